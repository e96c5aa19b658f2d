"""Forms of the directory: the search, an offer with its rule editor, the questionnaire, a partner's answers.

The rule editor shows a rule as rows a person fills in (a field, how it compares, the values) combined with «all» or
«any», with one group inside «all» where one condition is enough. Its inputs are lenient on purpose: whatever is wrong
(a field that does not exist, a value of the wrong kind) is told by `shubbak.eligibility.validate`, in its words.
"""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shubbak import eligibility, places
from shubbak.forms import BootstrapMixin
from shubbak.organisations.models import Contact, Organisation

from . import directory
from .models import Offer, Questionnaire

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫", "01234567890123456789.")
MAX_ROWS = 20


def _governorates(country: str | None) -> list:
    return places.governorate_choices(country or None)


def unbound(form: forms.BaseForm, data) -> forms.BaseForm:
    """The same form unbound, showing the posted values but no errors (a form redrawn to change its choices)."""
    initial = {name: field.widget.value_from_datadict(data, {}, form.add_prefix(name)) for name, field in form.fields.items()}
    form.data, form.is_bound, form.initial = {}, False, initial
    return form


class DirectoryFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    service = forms.ModelChoiceField(label=_("service"), queryset=None, required=False, empty_label=_("All services"))
    governorate = forms.ChoiceField(label=_("governorate"), required=False)
    kind = forms.ChoiceField(label=_("kind of partner"), required=False)

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.fields["governorate"].choices = [("", _("Everywhere"))] + _governorates(None)
        self.fields["kind"].choices = [("", _("All kinds"))] + [(k, Organisation.Kind(k).label) for k in directory.PARTNER_KINDS]
        self.fields["q"].widget.attrs["placeholder"] = _("Partner, offer or service, in any spelling")


# --- the rule editor ----------------------------------------------------------------------------------------------

OPERATORS = {"choice": ("in", "not_in"), "place": ("in", "not_in"), "number": ("between", "gte", "lte", "eq"), "bool": ("eq",)}
OPERATOR_LABELS = {
    "in": _("is one of"),
    "not_in": _("is none of"),
    "between": _("is between"),
    "gte": _("is at least"),
    "lte": _("is at most"),
    "eq": _("is"),
}


def field_choices() -> list:
    person = [(name, capfirst(spec.label)) for name, spec in eligibility.FIELDS.items() if name.startswith("person.")]
    enterprise = [(name, capfirst(spec.label)) for name, spec in eligibility.FIELDS.items() if name.startswith("enterprise.")]
    return [("", _("Choose…")), (_("The person"), person), (_("The enterprise"), enterprise)]


class LenientChoices(forms.MultipleChoiceField):
    """Any of the offered values, or others: the rule's own check says what is wrong."""

    def validate(self, value):
        pass


def _number(text: str):
    text = (text or "").translate(DIGITS).strip()
    if not text:
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text  # not a number: validate() says so


class ConditionForm(BootstrapMixin, forms.Form):
    """One row of the rule editor: its choices follow the field chosen."""

    field = forms.CharField(label=_("Condition on"), required=False, widget=forms.Select)
    op = forms.CharField(label=_("how"), required=False, widget=forms.Select)
    values = LenientChoices(label=_("values"), required=False, widget=forms.CheckboxSelectMultiple)
    low = forms.CharField(
        label=pgettext_lazy("a range of numbers", "from"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "dir": "ltr"}),
    )
    high = forms.CharField(
        label=pgettext_lazy("a range of numbers", "to"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "dir": "ltr"}),
    )
    flag = forms.ChoiceField(label=_("value"), required=False, choices=[("yes", _("yes")), ("no", _("no"))])

    def __init__(self, *args, country: str = "", redraw: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.problems: list[str] = []
        for name in ("field", "op"):  # choosing another field or operator redraws the editor with its choices
            self.fields[name].widget.attrs.update(redraw or {})
        chosen = (self.data.get(self.add_prefix("field")) if self.is_bound else self.initial.get("field")) or ""
        self.spec = eligibility.FIELDS.get(chosen)
        self.kind = self.spec.kind if self.spec else ""
        self.fields["field"].widget.choices = field_choices()
        if chosen and not self.spec:  # an unknown field stays shown, so that the message about it makes sense
            self.fields["field"].widget.choices.append((chosen, chosen))
        operators = OPERATORS.get(self.kind, ())
        self.fields["op"].widget.choices = [(op, OPERATOR_LABELS[op]) for op in operators]
        if self.kind == "choice":
            self.fields["values"].choices = list(self.spec.choices().items())
        elif self.kind == "place":
            self.fields["values"].choices = [(code, name) for group in [_governorates(country)] for code, name in group]
        if self.is_bound and self.data.get(self.add_prefix("op")) not in operators and operators:
            self.data = self.data.copy()
            self.data[self.add_prefix("op")] = operators[0]

    @property
    def filled(self) -> bool:
        value = self.data.get(self.add_prefix("field")) if self.is_bound else self.initial.get("field")
        return bool(value)

    def _values(self) -> dict:
        if self.is_bound:
            self.is_valid()  # every input is optional and lenient: this only reads them
            return self.cleaned_data
        empty = {"field": "", "op": "", "values": [], "low": "", "high": "", "flag": "yes"}
        return empty | {k: ("" if v is None else v) for k, v in self.initial.items()}

    @property
    def operator(self) -> str:
        return self._values()["op"] if self.filled else ""

    def condition(self) -> dict | None:
        """The row as a condition of the rule (None for an empty row)."""
        if not self.filled:
            return None
        data = self._values()
        name, op = data["field"], data["op"] or "eq"
        if self.kind in ("choice", "place"):
            values = data["values"]
            if len(values) == 1:
                return {"field": name, "op": "eq" if op == "in" else "ne", "value": values[0]}
            return {"field": name, "op": op, "value": values}
        if self.kind == "number":
            low, high = _number(str(data["low"])), _number(str(data["high"]))
            return {"field": name, "op": op, "value": [low, high] if op == "between" else low}
        if self.kind == "bool":
            return {"field": name, "op": "eq", "value": data["flag"] != "no"}
        return {"field": name, "op": op, "value": data["values"]}

    @staticmethod
    def initial_for(condition: dict) -> dict:
        spec = eligibility.FIELDS.get(condition.get("field"))
        op, value = condition.get("op"), condition.get("value")
        initial = {"field": condition.get("field"), "op": op}
        if spec is None:
            return initial
        if spec.kind in ("choice", "place"):
            initial["op"] = "not_in" if op in ("ne", "not_in") else "in"
            initial["values"] = value if isinstance(value, list) else [value]
        elif spec.kind == "number":
            low, high = (value + [None, None])[:2] if isinstance(value, list) else (value, None)
            initial.update(low=low, high=high)
        elif spec.kind == "bool":
            initial["flag"] = "yes" if value else "no"
        return initial


def _split(rule) -> tuple[str, list, list] | None:
    """(match, conditions, conditions of the inner any-group) when the rows can show the rule; None otherwise."""
    if not rule:
        return "all", [], []
    if "field" in rule:
        return "all", [rule], []
    match = "all" if "all" in rule else "any" if "any" in rule else None
    if match is None or not isinstance(rule[match], list):
        return None
    conditions = [part for part in rule[match] if isinstance(part, dict) and "field" in part]
    groups = [part for part in rule[match] if isinstance(part, dict) and "field" not in part]
    if not groups:
        return match, conditions, []
    if match == "all" and len(groups) == 1 and "any" in groups[0] and all("field" in p for p in groups[0]["any"]):
        return match, conditions, groups[0]["any"]
    return None


def _count(data, name: str, default: int) -> int:
    try:
        return max(0, min(int(data.get(name, default)), MAX_ROWS))
    except (TypeError, ValueError):
        return default


class RuleEditor:
    """The rule of an offer as rows (see the module's docstring), or as JSON for a rule the rows cannot show."""

    def __init__(self, data=None, *, rule=None, country: str = "", url: str = ""):
        self.is_bound = data is not None
        self.errors: list[str] = []
        self.json_text = ""
        self.redraw = (
            {
                "hx-post": url,
                "hx-trigger": "change",
                "hx-target": "#rule-editor",
                "hx-select": "#rule-editor",
                "hx-swap": "outerHTML",
                "hx-vals": '{"rule-refresh": "1"}',
            }
            if url
            else {}
        )
        country = {"country": country, "redraw": self.redraw}
        if self.is_bound:
            self.mode = "json" if data.get("rule-mode") == "json" and "rule-switch" not in data else "rows"
            self.match = "any" if data.get("rule-match") == "any" else "all"
            main = _count(data, "rule-rows", 2) + (1 if "rule-add" in data else 0)
            group = _count(data, "rule-group-rows", 1) + (1 if "rule-add-group" in data else 0)
            self.json_text = data.get("rule-json", "")
            self.rows = [ConditionForm(data, prefix=f"rule-{i}", **country) for i in range(min(main, MAX_ROWS))]
            self.group_rows = [ConditionForm(data, prefix=f"any-{i}", **country) for i in range(min(group, MAX_ROWS))]
            return
        split = _split(rule or {})
        if split is None:
            self.mode, self.match, conditions, grouped = "json", "all", [], []
            self.json_text = json.dumps(rule, ensure_ascii=False, indent=2)
        else:
            self.mode = "rows"
            self.match, conditions, grouped = split
        self.rows = [ConditionForm(initial=ConditionForm.initial_for(c), prefix=f"rule-{i}", **country) for i, c in enumerate(conditions)]
        self.rows += [ConditionForm(prefix=f"rule-{i}", **country) for i in range(len(self.rows), max(len(self.rows) + 1, 2))]
        self.group_rows = [ConditionForm(initial=ConditionForm.initial_for(c), prefix=f"any-{i}", **country) for i, c in enumerate(grouped)]
        self.group_rows += [ConditionForm(prefix=f"any-{i}", **country) for i in range(len(self.group_rows), len(self.group_rows) + 1)]

    @property
    def has_group(self) -> bool:
        return any(row.filled for row in self.group_rows)

    @property
    def rule(self) -> dict | None:
        """The rule the rows (or the JSON) make; {} when no row is filled: open to everyone; None for unreadable JSON."""
        if self.mode == "json":
            try:
                rule = json.loads(self.json_text or "{}")
            except ValueError:
                return None
            return rule if isinstance(rule, dict) else None
        conditions = [c for c in (row.condition() for row in self.rows) if c]
        grouped = [c for c in (row.condition() for row in self.group_rows) if c]
        if self.match == "any":
            parts = conditions + grouped
            return {"any": parts} if parts else {}
        if len(grouped) > 1:
            conditions.append({"any": grouped})
        else:
            conditions += grouped
        return {"all": conditions} if conditions else {}

    def is_valid(self) -> bool:
        """Check every row on its own (its messages next to it) and the whole rule (messages above the rows)."""
        self.errors = []
        if self.mode == "json":
            rule = self.rule
            if rule is None:
                self.errors.append(_("The rule is not valid JSON: check its brackets and quotes."))
                return False
        else:
            for row in [*self.rows, *self.group_rows]:
                row.problems = []
                if row.filled:
                    try:
                        eligibility.validate({"all": [row.condition()]})
                    except ValidationError as exc:
                        row.problems = list(dict.fromkeys(exc.messages))  # «compared with numbers» once, not per bound
            if any(row.problems for row in [*self.rows, *self.group_rows]):
                self.errors = [_("Check the conditions marked below.")]
                return False
        try:
            directory.check_rule(self.rule)
        except ValidationError as exc:
            self.errors = list(dict.fromkeys(exc.messages))
        return not self.errors

    @property
    def text(self) -> list[str]:
        """The rule in words, as the directory will show it (nothing while it is not valid)."""
        rule = self.rule
        if rule is None:
            return []
        try:
            directory.check_rule(rule)
        except ValidationError:
            return []
        return directory.rule_lines(rule)


# --- offers -------------------------------------------------------------------------------------------------------


class OfferForm(BootstrapMixin, forms.ModelForm):
    """An offer's details; its rule comes from the rule editor beside it."""

    governorates = forms.MultipleChoiceField(
        label=_("governorates served"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: all of the country."),
    )

    class Meta:
        model = Offer
        fields = ["service", "title", "description", "governorates", "capacity_per_month", "contact", "mou_start", "mou_end", "is_active"]
        widgets = {"mou_start": DATE, "mou_end": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, organisation: Organisation, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services.filter(network_id=organisation.network_id)
        self.fields["contact"].queryset = Contact.objects.filter(organisation=organisation)
        self.fields["governorates"].choices = _governorates(organisation.country)
        self.fields["capacity_per_month"].widget.attrs["inputmode"] = "numeric"


# --- the questionnaire --------------------------------------------------------------------------------------------


class QuestionnaireForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Questionnaire
        fields = ["title", "introduction", "due_on", "remind_every_days"]
        widgets = {"due_on": DATE, "introduction": forms.Textarea(attrs={"rows": 4})}


class ProductForm(BootstrapMixin, forms.Form):
    """One product or service a partner offers, as the questionnaire asks about it."""

    offer = forms.IntegerField(required=False, widget=forms.HiddenInput)
    service = forms.TypedChoiceField(label=_("service"), coerce=int)
    title = forms.CharField(label=_("name of the product"), max_length=200, help_text=_("e.g. «Small loans for women»"))
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    target_groups = forms.MultipleChoiceField(
        label=_("target groups"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: open to everyone."),
    )
    conditions = forms.CharField(
        label=_("other conditions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. a guarantor, a feasibility study, a minimum age of the business"),
    )
    capacity_per_month = forms.IntegerField(label=_("clients you can take each month"), required=False, min_value=0)
    governorates = forms.MultipleChoiceField(
        label=_("governorates served"), required=False, widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: all of the country.")
    )

    def __init__(self, *args, services=(), country: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", _("Choose…"))] + [(s.pk, s.name) for s in services]
        self.fields["target_groups"].choices = [(key, group.label) for key, group in directory.TARGET_GROUPS.items()]
        self.fields["governorates"].choices = _governorates(country)
        self.fields["capacity_per_month"].widget.attrs["inputmode"] = "numeric"


ProductFormSet = forms.formset_factory(ProductForm, extra=1, can_delete=True, max_num=30, absolute_max=30)


class AnswerForm(BootstrapMixin, forms.Form):
    """Who to contact about the partner's offers, and anything else to say."""

    contact_name = forms.CharField(label=_("contact person"), max_length=200, required=False)
    contact_position = forms.CharField(label=_("position"), max_length=200, required=False)
    contact_phone = forms.CharField(label=_("phone"), max_length=32, required=False, widget=forms.TextInput(attrs={"dir": "ltr"}))
    contact_email = forms.EmailField(label=_("e-mail"), required=False, widget=forms.EmailInput(attrs={"dir": "ltr"}))
    notes = forms.CharField(label=_("anything else"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    @staticmethod
    def initial_for(answers: dict) -> dict:
        contact = answers.get("contact") or {}
        return {f"contact_{k}": v for k, v in contact.items()} | {"notes": answers.get("notes", "")}


def answers_from(form: AnswerForm, products: forms.BaseFormSet) -> dict:
    """The answers JSON from the two valid forms."""
    data = form.cleaned_data
    return {
        "products": [
            {key: value for key, value in p.cleaned_data.items() if key != "DELETE"}
            for p in products.forms
            if p.cleaned_data and not p.cleaned_data.get("DELETE")
        ],
        "contact": {k: data[f"contact_{k}"] for k in ("name", "position", "phone", "email")},
        "notes": data["notes"],
    }
