"""Eligibility rules as data, evaluated with an explanation of every condition.

A rule is JSON kept on whatever offers something (a partner's offer, a programme, a lending product):

    {"all": [
        {"field": "person.gender", "op": "eq", "value": "female"},
        {"field": "person.age", "op": "between", "value": [18, 35]},
        {"any": [{"field": "enterprise.status", "op": "in", "value": ["idea", "informal"]},
                 {"field": "person.displacement", "op": "eq", "value": "displaced"}]}
    ]}

`validate(rule)` says clearly what is wrong with a rule (a field that does not exist, an operator a field does not
take, a value of the wrong kind) before it is saved; `evaluate(rule, Subject(...))` says whether the subject is
eligible and, for every condition, whether it passed and why, in the active language ("العمر 24" /
"العمر 40، والمطلوب من 18 إلى 35"). A condition about something unknown (no birth date, no enterprise) fails, saying
it is unknown. An empty rule lets everyone in.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shubbak import places


@dataclass
class Subject:
    """Who is being checked: a person, her enterprise (either may be missing), on a day."""

    person: object | None = None
    enterprise: object | None = None
    today: datetime.date = field(default_factory=timezone.localdate)


@dataclass(frozen=True)
class Field:
    label: object  # lazy text
    kind: str  # choice | number | bool | place
    read: Callable[[Subject], object]
    choices: Callable[[], dict] | None = None


def _person(attr):
    return lambda s: getattr(s.person, attr) if s.person is not None else None


def _enterprise(attr):
    return lambda s: getattr(s.enterprise, attr) if s.enterprise is not None else None


def _age(s: Subject):
    return s.person.age_on(s.today) if s.person is not None else None


def _years_in_business(s: Subject):
    founded = getattr(s.enterprise, "founded_on", None)
    if founded is None:
        return None
    return s.today.year - founded.year - ((s.today.month, s.today.day) < (founded.month, founded.day))


def _choices(model_path: str, name: str) -> Callable[[], dict]:
    def load():
        from django.apps import apps

        app, model = model_path.split(".")
        return {value: str(label) for value, label in apps.get_model(app, model)._meta.get_field(name).choices}

    return load


def _isic_sections() -> dict:
    from shubbak.registry import isic

    return dict(isic.section_choices())


FIELDS: dict[str, Field] = {
    "person.gender": Field(gettext_lazy("gender"), "choice", _person("gender"), _choices("registry.Person", "gender")),
    "person.age": Field(gettext_lazy("age"), "number", _age),
    "person.governorate": Field(gettext_lazy("governorate"), "place", _person("governorate")),
    "person.education": Field(gettext_lazy("education"), "choice", _person("education"), _choices("registry.Person", "education")),
    "person.has_disability": Field(gettext_lazy("has a disability"), "bool", _person("has_disability")),
    "person.war_injured": Field(gettext_lazy("injured in war"), "bool", _person("war_injured")),
    "person.displacement": Field(
        gettext_lazy("displacement status"), "choice", _person("displacement"), _choices("registry.Person", "displacement")
    ),
    "person.employment": Field(
        gettext_lazy("employment status"), "choice", _person("employment"), _choices("registry.Person", "employment")
    ),
    "enterprise.sector": Field(gettext_lazy("sector (ISIC section)"), "choice", _enterprise("isic_section"), _isic_sections),
    "enterprise.size_class": Field(
        gettext_lazy("size"), "choice", _enterprise("size_class"), _choices("registry.Enterprise", "size_class")
    ),
    "enterprise.legal_form": Field(
        gettext_lazy("legal form"), "choice", _enterprise("legal_form"), _choices("registry.Enterprise", "legal_form")
    ),
    "enterprise.status": Field(
        gettext_lazy("enterprise status"), "choice", _enterprise("status"), _choices("registry.Enterprise", "status")
    ),
    "enterprise.chamber_member": Field(gettext_lazy("member of a chamber"), "bool", _enterprise("chamber_member")),
    "enterprise.years_in_business": Field(gettext_lazy("years in business"), "number", _years_in_business),
    "enterprise.employees": Field(gettext_lazy("employees"), "number", _enterprise("employees")),
    "enterprise.governorate": Field(gettext_lazy("enterprise governorate"), "place", _enterprise("governorate")),
}

OPERATORS = {
    "choice": {"eq", "ne", "in", "not_in"},
    "place": {"eq", "ne", "in", "not_in"},
    "number": {"eq", "gte", "lte", "between"},
    "bool": {"eq"},
}


@dataclass
class Reason:
    passed: bool
    text: str


@dataclass
class Result:
    eligible: bool
    reasons: list[Reason]

    @property
    def passed(self) -> list[str]:
        return [r.text for r in self.reasons if r.passed]

    @property
    def failed(self) -> list[str]:
        return [r.text for r in self.reasons if not r.passed]

    @property
    def summary(self) -> str:
        """«eligible: woman, 24 …» or «not eligible: age 40 …», as the officer reads it."""
        if self.eligible:
            return _("eligible: %(reasons)s") % {"reasons": "، ".join(self.passed) or _("open to everyone")}
        return _("not eligible: %(reasons)s") % {"reasons": "، ".join(self.failed)}


# --- validation ---------------------------------------------------------------------------------------------------


def validate(rule) -> None:
    """Raise a ValidationError that says what is wrong with the rule, in words an administrator understands."""
    errors: list[str] = []
    _check(rule, errors, depth=0)
    if errors:
        raise ValidationError(errors)


def _check(node, errors: list[str], depth: int) -> None:
    if depth > 5:
        errors.append(_("The rule is nested too deeply."))
        return
    if not isinstance(node, dict):
        errors.append(_("Each part of a rule is a condition or a group of conditions."))
        return
    groups = [key for key in ("all", "any") if key in node]
    if groups:
        if len(node) != 1 or not isinstance(node[groups[0]], list):
            errors.append(_("A group holds only a list of conditions under «all» or «any»."))
            return
        for part in node[groups[0]]:
            _check(part, errors, depth + 1)
        return
    name, op, value = node.get("field"), node.get("op"), node.get("value")
    spec = FIELDS.get(name)
    if spec is None:
        errors.append(_("The rule refers to «%(field)s», which is not a field we know.") % {"field": name})
        return
    if op not in OPERATORS[spec.kind]:
        errors.append(_("«%(op)s» cannot be used with %(field)s.") % {"op": op, "field": spec.label})
        return
    values = value if op in ("in", "not_in", "between") else [value]
    if not isinstance(values, list) or not values or (op == "between" and len(values) != 2):
        errors.append(_("Give the values %(field)s is compared with.") % {"field": spec.label})
        return
    for one in values:
        if spec.kind == "number" and (isinstance(one, bool) or not isinstance(one, int | float)):
            errors.append(_("%(field)s is compared with numbers.") % {"field": spec.label})
        elif spec.kind == "bool" and not isinstance(one, bool):
            errors.append(_("%(field)s is yes or no.") % {"field": spec.label})
        elif spec.kind == "choice" and one not in spec.choices():
            errors.append(_("«%(value)s» is not a value of %(field)s.") % {"value": one, "field": spec.label})
        elif spec.kind == "place" and one not in places.GOVERNORATES_AR:
            errors.append(_("«%(value)s» is not a governorate we know.") % {"value": one})
    if op == "between" and not errors and values[0] > values[1]:
        errors.append(_("The lower bound of %(field)s is above its upper bound.") % {"field": spec.label})


# --- evaluation ---------------------------------------------------------------------------------------------------


def evaluate(rule, subject: Subject) -> Result:
    """Whether the subject meets the rule, with a reason for every condition (validate rules when they are saved)."""
    if not rule:
        return Result(True, [])
    reasons: list[Reason] = []
    return Result(_evaluate(rule, subject, reasons), reasons)


def _evaluate(node: dict, subject: Subject, reasons: list[Reason]) -> bool:
    if "all" in node:
        results = [_evaluate(part, subject, reasons) for part in node["all"]]
        return all(results)
    if "any" in node:
        inner: list[Reason] = []
        results = [_evaluate(part, subject, inner) for part in node["any"]]
        if any(results):
            reasons.extend(r for r in inner if r.passed)
            return True
        reasons.append(Reason(False, _(" or ").join(r.text for r in inner)))
        return False
    passed, text = _condition(node, subject)
    reasons.append(Reason(passed, text))
    return passed


def _shown(spec: Field, value) -> str:
    if spec.kind == "choice":
        return spec.choices().get(value, str(value))
    if spec.kind == "place":
        return places.governorate_name(value) or str(value)
    if spec.kind == "bool":
        return _("yes") if value else _("no")
    return str(value)


def _condition(node: dict, subject: Subject) -> tuple[bool, str]:
    spec = FIELDS[node["field"]]
    op, wanted = node["op"], node["value"]
    actual = spec.read(subject)
    label = str(spec.label)
    if actual is None or (actual == "" and spec.kind in ("choice", "place")):
        return False, _("%(field)s unknown") % {"field": label}
    if op == "eq":
        passed = actual == wanted
    elif op == "ne":
        passed = actual != wanted
    elif op == "in":
        passed = actual in wanted
    elif op == "not_in":
        passed = actual not in wanted
    elif op == "gte":
        passed = actual >= wanted
    elif op == "lte":
        passed = actual <= wanted
    else:  # between, bounds included
        passed = wanted[0] <= actual <= wanted[1]
    shown = f"{label}: {_shown(spec, actual)}"
    if passed:
        return True, shown
    return False, _("%(actual)s, required: %(wanted)s") % {"actual": shown, "wanted": _wanted(spec, op, wanted)}


def _wanted(spec: Field, op: str, wanted) -> str:
    if op == "between":
        return _("from %(low)s to %(high)s") % {"low": wanted[0], "high": wanted[1]}
    if op == "gte":
        return _("%(value)s or more") % {"value": wanted}
    if op == "lte":
        return _("%(value)s or less") % {"value": wanted}
    if op in ("in", "not_in"):
        listed = "، ".join(_shown(spec, v) for v in wanted)
        return listed if op == "in" else _("not %(values)s") % {"values": listed}
    return _shown(spec, wanted) if op == "eq" else _("not %(values)s") % {"values": _shown(spec, wanted)}
