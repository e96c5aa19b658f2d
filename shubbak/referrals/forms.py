"""Forms of the referral pages: sending a referral, answering one, and the filters of the lists and the report."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from shubbak.forms import BootstrapMixin
from shubbak.organisations.models import Organisation

from .models import Referral


class ShareWidget(forms.CheckboxSelectMultiple):
    """Checkboxes where some options are shown but cannot be ticked (identity without the client's consent)."""

    def __init__(self, *args, locked=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.locked = set(locked)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        if value in self.locked:
            option["attrs"]["disabled"] = True
            option["selected"] = False
            option["attrs"].pop("checked", None)
        return option


def receiver_choices(options: dict) -> list:
    """The receivers as grouped choices; each value says its kind and id ("offer:3", "org:7", "expert:12", "desk:7")."""
    groups = []
    if options["offers"]:
        groups.append(
            (_("Partners offering this service"), [(f"offer:{o.pk}", f"{o.organisation.name} — {o.title}") for o in options["offers"]])
        )
    if options["experts"]:
        groups.append((_("Local experts"), [(f"expert:{e.pk}", e.full_name) for e in options["experts"]]))
    if options["organisations"]:
        groups.append((_("Another organisation of the network"), [(f"org:{o.pk}", o.name) for o in options["organisations"]]))
    if options["desks"]:
        groups.append((_("Another desk (the client moved)"), [(f"desk:{o.pk}", o.name) for o in options["desks"]]))
    return [("", _("Choose …")), *groups]


class ReferralSendForm(BootstrapMixin, forms.Form):
    """Whom to refer to, what to share (identity only with the client's consent), and a note to the receiver."""

    to = forms.ChoiceField(label=_("Refer to"))
    shared_fields = forms.MultipleChoiceField(label=_("What the receiver will see"), required=False)
    note = forms.CharField(
        label=_("Note to the receiver"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What they need to know to serve the client. Do not write her name or phone here unless you share them."),
    )

    def __init__(self, *args, options: dict, consent: bool, preview: dict[str, str], **kwargs):
        kwargs.setdefault("initial", {"shared_fields": list(Referral.DEFAULT_SHARED)})
        super().__init__(*args, **kwargs)
        self.options = options
        self.consent = consent
        self.preview = preview
        self.fields["to"].choices = receiver_choices(options)
        locked = () if consent else Referral.IDENTITY
        self.fields["shared_fields"].choices = [(name, label) for name, label in Referral.SHAREABLE.items()]
        self.fields["shared_fields"].widget = ShareWidget(choices=self.fields["shared_fields"].choices, locked=locked)
        self.fields["shared_fields"].widget.attrs["class"] = "form-check-input"

    def share_rows(self) -> list[dict]:
        """One line per shareable field: its checkbox, what would be shared, and whether it is identity (locked without consent)."""
        rows = []
        for option in self["shared_fields"]:
            name = option.data["value"]
            identity = name in Referral.IDENTITY
            rows.append(
                {
                    "option": option,
                    "name": name,
                    "preview": self.preview.get(name, ""),
                    "identity": identity,
                    "locked": identity and not self.consent,
                }
            )
        return rows

    def clean_to(self) -> dict:
        """The chosen receiver as the service's arguments: kind, to_organisation, offer, expert."""
        value = self.cleaned_data["to"]
        prefix, _sep, pk = value.partition(":")
        pk = int(pk) if pk.isdigit() else None
        if prefix == "offer":
            found = next((o for o in self.options["offers"] if o.pk == pk), None)
            if found:
                return {"kind": Referral.Kind.PARTNER, "offer": found, "to_organisation": found.organisation}
        elif prefix == "expert":
            found = next((e for e in self.options["experts"] if e.pk == pk), None)
            if found:
                return {"kind": Referral.Kind.EXPERT, "expert": found}
        elif prefix in ("org", "desk"):
            group = self.options["organisations"] if prefix == "org" else self.options["desks"]
            found = next((o for o in group if o.pk == pk), None)
            if found:
                return {"kind": Referral.Kind.PARTNER if prefix == "org" else Referral.Kind.DESK, "to_organisation": found}
        raise forms.ValidationError(_("Choose whom to refer to from the list."))


ACTION_TEXT = {
    "accept": (_("Note (optional)"), False),
    "decline": (_("Why do you decline it?"), True),
    "start": (_("Note (optional)"), False),
    "complete": (_("What was done for the client?"), True),
    "no_show": (_("Note (optional)"), False),
    "cancel": (_("Why is it cancelled? (optional)"), False),
}


class ReferralActionForm(BootstrapMixin, forms.Form):
    """The text that goes with an answer: a reason to decline, the outcome when completed."""

    text = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, action: str, expert: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        label, required = ACTION_TEXT.get(action, (_("Note (optional)"), False))
        self.fields["text"].label = label
        self.fields["text"].required = required
        if action == "accept" and expert:  # an expert says what she will do and how long it takes: her assignment
            del self.fields["text"]
            self.fields["scope"] = forms.CharField(label=_("What you will do"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
            self.fields["expected_days"] = forms.DecimalField(
                label=_("Days it will take"), min_value=Decimal("0.5"), max_value=365, decimal_places=1, max_digits=5
            )
            self.fields["deliverables"] = forms.CharField(
                label=_("Deliverables (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            for name in ("scope", "expected_days", "deliverables"):
                self.fields[name].widget.attrs["class"] = "form-control"

    def assignment(self) -> dict | None:
        """The expert's assignment, when she accepts (scope, expected days, deliverables)."""
        if "scope" not in self.fields:
            return None
        return {name: self.cleaned_data[name] for name in ("scope", "expected_days", "deliverables")}

    def words(self) -> str:
        """The reason, outcome or note typed (empty for an expert's acceptance, which says its scope instead)."""
        return self.cleaned_data.get("text", "")


class SentFilterForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All"))] + Referral.Status.choices)
    partner = forms.ModelChoiceField(label=_("Sent to"), required=False, queryset=Organisation.objects.none(), empty_label=_("All"))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All"))] + Referral.Kind.choices)
    waiting = forms.BooleanField(label=_("Waiting too long"), required=False)

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners


class ReceivedFilterForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All"))] + Referral.Status.choices)
    waiting = forms.BooleanField(label=_("Waiting too long"), required=False)


class ReportFilterForm(BootstrapMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Sent by"), required=False, queryset=Organisation.objects.none(), empty_label=_("All my organisations")
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
