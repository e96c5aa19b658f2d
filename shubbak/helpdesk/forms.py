"""Forms of the staff pages: the queue's filters, a case taken at the desk, and the work on a case."""

from itertools import groupby

from django import forms
from django.utils.translation import gettext_lazy as _

from shubbak.forms import BootstrapMixin
from shubbak.organisations.models import Desk, Membership, Organisation
from shubbak.registry.models import Enterprise, Person

from .models import Case, Service, Session

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CASE_WORKER_ROLES = (Membership.Role.ORG_ADMIN, Membership.Role.COORDINATOR, Membership.Role.OFFICER)
STAFF_CHANNELS = [(c.value, c.label) for c in (Case.Channel.WALK_IN, Case.Channel.PHONE, Case.Channel.FIELD_VISIT, Case.Channel.EMAIL)]


def case_workers(organisation_ids) -> list:
    """Active staff who work on cases in these organisations, by name (one query)."""
    memberships = Membership.objects.filter(
        organisation__in=organisation_ids, role__in=CASE_WORKER_ROLES, is_active=True, user__is_active=True
    ).select_related("user")
    users = {m.user.pk: m.user for m in memberships}
    return sorted(users.values(), key=lambda u: u.full_name)


class ServiceGroupsMixin:
    """Renders the `services` checkboxes grouped under their categories."""

    def service_groups(self):
        options = list(self["services"])
        return [(category, list(group)) for category, group in groupby(options, key=lambda o: o.data["value"].instance.category)]


class QueueFilterForm(BootstrapMixin, forms.Form):
    """The queue's search box and filters (a GET form: a filtered queue can be bookmarked and shared)."""

    view = forms.CharField(required=False, widget=forms.HiddenInput)
    q = forms.CharField(label=_("Code, name or subject"), required=False, max_length=100)
    organisation = forms.ModelChoiceField(
        label=_("organisation"), required=False, queryset=Organisation.objects.none(), empty_label=_("All")
    )
    desk = forms.ModelChoiceField(label=_("desk"), required=False, queryset=Desk.objects.none(), empty_label=_("All"))
    assigned_to = forms.ChoiceField(label=_("officer"), required=False)
    status = forms.ChoiceField(label=_("status"), required=False, choices=[("", _("All"))] + Case.Status.choices)
    priority = forms.ChoiceField(label=_("priority"), required=False, choices=[("", _("All"))] + Case.Priority.choices)
    channel = forms.ChoiceField(label=_("channel"), required=False, choices=[("", _("All"))] + Case.Channel.choices)
    service = forms.ModelChoiceField(label=_("service"), required=False, queryset=Service.objects.none(), empty_label=_("All"))

    def __init__(self, *args, organisations=(), officers=(), services=None, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [o.pk for o in organisations]
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=ids)
        if len(organisations) < 2:
            del self.fields["organisation"]
        self.fields["desk"].queryset = Desk.objects.filter(organisation__in=ids, is_active=True)
        self.fields["assigned_to"].choices = [("", _("All")), ("none", _("Unassigned"))] + [(str(u.pk), u.full_name) for u in officers]
        self.fields["service"].queryset = services if services is not None else Service.objects.none()
        self.fields["q"].widget.attrs.update(type="search", autocomplete="off")


class CaseForm(ServiceGroupsMixin, BootstrapMixin, forms.ModelForm):
    """A request taken at the desk, on the phone or on a field visit."""

    organisation = forms.ModelChoiceField(label=_("organisation"), queryset=Organisation.objects.none())
    services = forms.ModelMultipleChoiceField(
        label=_("services requested"),
        queryset=Service.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one service.")},
    )
    person = forms.IntegerField(required=False, widget=forms.HiddenInput)
    enterprise = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Case
        fields = [
            "channel", "desk", "subject", "description", "priority", "heard_from", "campaign",
            "contact_name", "contact_phone", "contact_email",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, organisations, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        ids = [o.pk for o in organisations]
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=ids)
        self.fields["organisation"].initial = organisations[0].pk if organisations else None
        if len(organisations) < 2:
            self.fields["organisation"].widget = forms.HiddenInput()
        self.fields["channel"].choices = STAFF_CHANNELS
        self.fields["desk"].queryset = Desk.objects.filter(organisation__in=ids, is_active=True)
        self.fields["desk"].empty_label = "—"
        self.fields["services"].queryset = services
        self.fields["heard_from"].choices = [("", "—")] + Case.HeardFrom.choices
        for name in ("contact_phone", "contact_email"):
            self.fields[name].widget.attrs["dir"] = "ltr"
        self.fields["contact_phone"].widget.attrs.update(type="tel", autocomplete="off")

    def clean_person(self):
        return self._record(Person, "person")

    def clean_enterprise(self):
        return self._record(Enterprise, "enterprise")

    def _record(self, model, name):
        pk = self.cleaned_data.get(name)
        if not pk:
            return None
        record = model.objects.for_user(self.user).filter(pk=pk).first()
        if record is None:
            raise forms.ValidationError(_("Choose a record from the search results."))
        return record

    def clean(self):
        data = super().clean()
        if not (data.get("person") or data.get("contact_name")):
            self.add_error("contact_name", _("Give the client's name, or choose the person from the registry."))
        if not (data.get("person") or data.get("contact_phone") or data.get("contact_email")):
            self.add_error("contact_phone", _("Give a phone number or an e-mail address, or choose the person from the registry."))
        return data


class CaseEditForm(ServiceGroupsMixin, BootstrapMixin, forms.ModelForm):
    """What the request is about: subject, text, priority, services."""

    services = forms.ModelMultipleChoiceField(
        label=_("services requested"),
        queryset=Service.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one service.")},
    )

    class Meta:
        model = Case
        fields = ["subject", "description", "priority"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = services


class LinkForm(forms.Form):
    """The person or the enterprise (chosen from the search results) the case is about."""

    person = forms.IntegerField(required=False, widget=forms.HiddenInput)
    enterprise = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if not data.get("person") and not data.get("enterprise"):
            raise forms.ValidationError(_("Choose a person or an enterprise from the search results."))
        return data


class AssignForm(BootstrapMixin, forms.Form):
    assignee = forms.TypedChoiceField(label=_("officer"), coerce=int)

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", "—")] + [(u.pk, u.full_name) for u in officers]


class ReassignForm(BootstrapMixin, forms.Form):
    """Selected cases of the queue, and the officer they go to."""

    cases = forms.TypedMultipleChoiceField(coerce=int, error_messages={"required": _("Select at least one case.")})
    assignee = forms.TypedChoiceField(label=_("Reassign selected to"), coerce=int)

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", "—")] + [(u.pk, u.full_name) for u in officers]
        # the ids are checked against what the user may see in the view; here they need only be numbers
        posted = self.data.getlist("cases") if hasattr(self.data, "getlist") else []
        self.fields["cases"].choices = [(value, value) for value in posted if str(value).isdigit()][:200]


class TextForm(BootstrapMixin, forms.Form):
    """A note, a message, or the reason for a step."""

    text = forms.CharField(label=_("text"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, label=None, required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].required = required
        if label:
            self.fields["text"].label = label


class SessionForm(BootstrapMixin, forms.ModelForm):
    """An advisory session with the client."""

    class Meta:
        model = Session
        fields = ["date", "minutes", "mode", "service", "topic", "notes"]
        widgets = {"date": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.filter(pk__in=[s.pk for s in services])
        self.fields["service"].choices = [("", "—")] + [(s.pk, s.name) for s in services]  # no second query to show them
        self.fields["minutes"].widget.attrs.update(min=5, max=600, step=5, inputmode="numeric")


class OutcomeForm(BootstrapMixin, forms.ModelForm):
    """How the request ended and, where they apply, its results."""

    text = forms.CharField(label=_("note on the timeline"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = Case
        fields = [
            "outcome", "business_registered", "trademark_registered", "formalised", "jobs_women", "jobs_men",
            "financing_amount", "financing_currency", "new_market", "outcome_note",
        ]  # fmt: skip
        widgets = {"outcome_note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].required = True
        self.fields["outcome"].choices = [("", "—")] + Case.Outcome.choices
        self.fields["financing_currency"].choices = [("", "—")] + Case.Currency.choices
        for name in ("jobs_women", "jobs_men"):
            self.fields[name].required = False  # left empty: none
            self.fields[name].widget.attrs.update(min=0, inputmode="numeric")
        self.fields["financing_amount"].widget.attrs.update(min=0, inputmode="decimal", dir="ltr")

    def clean_jobs_women(self):
        return self.cleaned_data.get("jobs_women") or 0

    def clean_jobs_men(self):
        return self.cleaned_data.get("jobs_men") or 0


class AttachmentForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=_("file"), help_text=_("PDF, JPG, PNG, Word or Excel; 10 MB at most."), max_length=200, allow_empty_file=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"


class FollowUpDoneForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("What we learnt"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
