"""Forms of the expert roster, assignments and timesheets. They only parse input: the rules are in experts.py."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shubbak import places
from shubbak.forms import BootstrapMixin
from shubbak.helpdesk.models import Case, Service
from shubbak.organisations.models import Organisation

from .experts import LANGUAGES, days_text, language_codes
from .models import Assignment, Expert

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _language_choices():
    return [(code, name) for code, name in LANGUAGES.items()]


class ExpertForm(BootstrapMixin, forms.Form):
    """An expert's record as the coordinator keeping the roster fills it in."""

    organisation = forms.ModelChoiceField(label=_("roster kept by"), queryset=Organisation.objects.none())
    full_name = forms.CharField(label=_("full name"), max_length=200)
    gender = forms.ChoiceField(label=_("gender"), choices=[("", "—"), ("female", _("Female")), ("male", _("Male"))])
    phone = forms.CharField(label=_("mobile phone"), max_length=32, required=False)
    email = forms.EmailField(label=_("e-mail"), required=False)
    specialisations = forms.ModelMultipleChoiceField(
        label=_("specialisations"), queryset=Service.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    qualifications = forms.CharField(
        label=_("qualifications"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Degrees, certificates, years of experience, past clients."),
    )
    languages = forms.MultipleChoiceField(
        label=_("languages"), choices=_language_choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    governorates = forms.MultipleChoiceField(label=_("governorates"), required=False, widget=forms.CheckboxSelectMultiple)
    daily_rate = forms.DecimalField(label=_("daily rate"), required=False, min_value=0, max_digits=10, decimal_places=2)
    currency = forms.ChoiceField(label=_("currency"), choices=Case.Currency.choices, initial=Case.Currency.USD)
    availability = forms.ChoiceField(label=_("availability"), choices=Expert.Availability.choices)

    def __init__(self, *args, organisations=(), network=None, expert: Expert | None = None, **kwargs):
        if expert is not None:
            kwargs.setdefault(
                "initial",
                {
                    "full_name": expert.full_name,
                    "gender": expert.gender,
                    "phone": expert.phone,
                    "email": expert.email,
                    "specialisations": list(expert.specialisations.all()),
                    "qualifications": expert.qualifications,
                    "languages": language_codes(expert.languages),
                    "governorates": expert.governorates,
                    "daily_rate": expert.daily_rate,
                    "currency": expert.currency,
                    "availability": expert.availability,
                },
            )
        super().__init__(*args, **kwargs)
        if expert is not None or len(organisations) < 2:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations]).order_by("name_ar")
        keeper = expert.organisation if expert is not None else (organisations[0] if organisations else None)
        network_id = expert.network_id if expert is not None else getattr(network, "pk", keeper.network_id if keeper else None)
        chosen = [s.pk for s in expert.specialisations.all()] if expert is not None else []
        self.fields["specialisations"].queryset = Service.objects.filter(
            Q(network_id=network_id, by_expert=True, is_active=True) | Q(pk__in=chosen)
        ).order_by("name_ar")
        self.fields["governorates"].choices = places.governorate_choices(keeper.country if keeper else "PS")
        for name in ("phone", "email", "daily_rate"):
            self.fields[name].widget.attrs["dir"] = "ltr"
        self.fields["phone"].widget.attrs.update(inputmode="tel", autocomplete="off")


class ExpertFilterForm(BootstrapMixin, forms.Form):
    """Search box and filters of the roster."""

    q = forms.CharField(label=_("Name, service, phone or qualification"), required=False)
    service = forms.ModelChoiceField(label=_("service"), queryset=Service.objects.none(), required=False, empty_label=_("All"))
    governorate = forms.ChoiceField(label=_("governorate"), required=False)
    availability = forms.ChoiceField(label=_("availability"), required=False, choices=[("", _("All")), *Expert.Availability.choices])
    vetting = forms.ChoiceField(label=_("vetting"), required=False, choices=[("", _("All")), *Expert.Vetting.choices])
    language = forms.ChoiceField(label=_("language"), required=False, choices=[("", _("All")), *LANGUAGES.items()])

    def __init__(self, *args, services=None, **kwargs):
        super().__init__(*args, **kwargs)
        if services is not None:
            self.fields["service"].queryset = services
        self.fields["governorate"].choices = [("", _("All")), *places.governorate_choices()]


class VettingForm(BootstrapMixin, forms.Form):
    """The vetting decision and what was checked."""

    vetting = forms.ChoiceField(label=_("vetting"), choices=Expert.Vetting.choices)
    note = forms.CharField(label=_("what was checked, or why"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class CVForm(BootstrapMixin, forms.Form):
    """The expert's CV: a PDF or Word file of at most 5 MB."""

    cv = forms.FileField(
        label=_("CV"),
        help_text=_("PDF or Word (DOCX), at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,application/pdf"}),
    )


class AssignmentForm(BootstrapMixin, forms.Form):
    """What the expert is engaged to do: scope, expected days, fee, deliverables."""

    scope = forms.CharField(label=_("scope of work"), widget=forms.Textarea(attrs={"rows": 3}))
    expected_days = forms.DecimalField(label=_("expected days"), min_value=0.5, max_digits=5, decimal_places=1)
    fee = forms.DecimalField(
        label=_("fee"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_("Left empty: the expert's daily rate × the expected days."),
    )
    currency = forms.ChoiceField(label=_("currency"), choices=[("", "—"), *Case.Currency.choices], required=False)
    deliverables = forms.CharField(
        label=_("deliverables"), required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=_("One per line.")
    )

    def __init__(self, *args, assignment: Assignment | None = None, **kwargs):
        if assignment is not None:
            kwargs.setdefault(
                "initial",
                {
                    "scope": assignment.scope,
                    "expected_days": days_text(assignment.expected_days),
                    "fee": assignment.fee,
                    "currency": assignment.currency,
                    "deliverables": assignment.deliverables,
                },
            )
        super().__init__(*args, **kwargs)
        for name in ("expected_days", "fee"):
            self.fields[name].widget.attrs.update(dir="ltr", step="0.5" if name == "expected_days" else "any")


class TimesheetForm(BootstrapMixin, forms.Form):
    """A day (or half a day) the expert worked."""

    date = forms.DateField(label=_("date"), widget=DATE)
    days = forms.ChoiceField(
        label=_("days"), choices=[("1", _("A whole day")), ("0.5", _("Half a day"))], widget=forms.RadioSelect, initial="1"
    )
    work = forms.CharField(label=_("work done"), widget=forms.Textarea(attrs={"rows": 3}))
    deliverable = forms.CharField(
        label=_("deliverable"), required=False, max_length=200, help_text=_("If a deliverable was handed over that day.")
    )
    confirm_over = forms.BooleanField(label=_("Yes, record it: more days were needed than expected"), required=False)

    def __init__(self, *args, deliverables: list[str] = (), **kwargs):
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()
        if deliverables:
            self.fields["deliverable"].widget = forms.Select(
                choices=[("", "—"), *((d, d) for d in deliverables)], attrs={"class": "form-select"}
            )


class CloseForm(BootstrapMixin, forms.Form):
    """Close the assignment with a rating of the expert's work."""

    rating = forms.TypedChoiceField(
        label=_("rating"),
        coerce=int,
        choices=[(5, _("5 – excellent")), (4, _("4 – good")), (3, _("3 – acceptable")), (2, _("2 – weak")), (1, _("1 – poor"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("rating note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
