from django import forms
from django.utils.translation import gettext_lazy as _

from shubbak import places
from shubbak.forms import BootstrapMixin
from shubbak.organisations.models import Organisation

from . import isic
from .models import Consent, Enterprise, Ownership, Person

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RecordFormMixin(BootstrapMixin):
    """The organisation the record belongs to, and governorates of that organisation's country."""

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        if "organisation" in self.fields:
            if len(organisations) > 1:
                self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])
            else:
                del self.fields["organisation"]
        country = (
            self.instance.organisation.country if self.instance.organisation_id else (organisations[0].country if organisations else None)
        )
        self.fields["governorate"] = forms.ChoiceField(
            label=_("governorate"), required=False, choices=[("", "—")] + places.governorate_choices(country)
        )
        self.fields["governorate"].widget.attrs["class"] = "form-select"
        for name in ("phone", "phone_alt", "email", "national_id", "name_latin", "name_en", "registration_number", "membership_number"):
            if name in self.fields:
                self.fields[name].widget.attrs["dir"] = "ltr"


class PersonForm(RecordFormMixin, forms.ModelForm):
    """A person's details, as a desk officer fills them in."""

    organisation = forms.ModelChoiceField(label=_("registered by"), queryset=Organisation.objects.none(), required=False)
    consents = forms.MultipleChoiceField(
        label=_("The person agrees to"), choices=Consent.Purpose.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    confirm_new = forms.BooleanField(label=_("I have checked the records above: this is a different person"), required=False)

    class Meta:
        model = Person
        fields = [
            "first_name", "father_name", "grandfather_name", "family_name", "name_latin", "gender", "birth_date",
            "id_type", "national_id", "phone", "phone_alt", "email", "education", "employment", "has_disability",
            "war_injured", "displacement", "governorate", "locality", "address",
        ]  # fmt: skip
        widgets = {"birth_date": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["consents"]
            del self.fields["confirm_new"]


class EnterpriseForm(RecordFormMixin, forms.ModelForm):
    """An enterprise's details; its size class is derived from employees and revenue."""

    organisation = forms.ModelChoiceField(label=_("registered by"), queryset=Organisation.objects.none(), required=False)
    confirm_new = forms.BooleanField(label=_("I have checked the records above: this is a different enterprise"), required=False)

    class Meta:
        model = Enterprise
        fields = [
            "name_ar", "name_en", "legal_form", "status", "registration_number", "registration_date", "chamber_member",
            "chamber", "membership_number", "isic_section", "isic_division", "women_full_time", "men_full_time",
            "women_part_time", "men_part_time", "revenue_band", "founded_on", "governorate", "locality", "address",
            "phone", "email",
        ]  # fmt: skip
        widgets = {"registration_date": DATE, "founded_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["isic_section"] = forms.ChoiceField(
            label=_("sector (ISIC section)"), required=False, choices=[("", "—")] + isic.section_choices()
        )
        self.fields["isic_division"] = forms.ChoiceField(
            label=_("activity (ISIC division)"), required=False, choices=[("", "—")] + isic.division_choices()
        )
        for name in ("isic_section", "isic_division"):
            self.fields[name].widget.attrs["class"] = "form-select"
        self.fields["chamber"].queryset = Organisation.objects.filter(kind=Organisation.Kind.CHAMBER, is_active=True)
        if self.instance.pk:
            del self.fields["confirm_new"]


class OwnershipForm(BootstrapMixin, forms.Form):
    """Link a person (chosen by search) to the enterprise."""

    person = forms.IntegerField(label=_("person"), widget=forms.HiddenInput)
    role = forms.ChoiceField(label=_("role"), choices=Ownership.Role.choices)
    share = forms.DecimalField(label=_("share (%)"), required=False, min_value=0, max_value=100, decimal_places=2)


class ConsentForm(BootstrapMixin, forms.Form):
    """Record a consent the person gives now."""

    purpose = forms.ChoiceField(label=_("purpose"), choices=Consent.Purpose.choices)
    note = forms.CharField(label=_("note"), required=False, max_length=300)


class PersonFilterForm(BootstrapMixin, forms.Form):
    """Search box and filters of the people list."""

    q = forms.CharField(label=_("Name, phone or ID number"), required=False)
    governorate = forms.ChoiceField(label=_("governorate"), required=False)
    gender = forms.ChoiceField(label=_("gender"), required=False, choices=[("", _("All"))] + Person.Gender.choices)
    employment = forms.ChoiceField(label=_("employment status"), required=False, choices=[("", _("All"))] + Person.Employment.choices)
    organisation = forms.ModelChoiceField(
        label=_("registered by"), required=False, queryset=Organisation.objects.none(), empty_label=_("All")
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["governorate"].choices = [("", _("All"))] + places.governorate_choices()
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])
        if len(organisations) < 2:
            del self.fields["organisation"]


class EnterpriseFilterForm(BootstrapMixin, forms.Form):
    """Search box and filters of the enterprise list."""

    q = forms.CharField(label=_("Name, phone or registration number"), required=False)
    governorate = forms.ChoiceField(label=_("governorate"), required=False)
    isic_section = forms.ChoiceField(label=_("sector"), required=False)
    size_class = forms.ChoiceField(label=_("size"), required=False, choices=[("", _("All"))] + Enterprise.Size.choices)
    legal_form = forms.ChoiceField(label=_("legal form"), required=False, choices=[("", _("All"))] + Enterprise.LegalForm.choices)
    chamber_member = forms.ChoiceField(
        label=_("chamber membership"), required=False, choices=[("", _("All")), ("yes", _("Members")), ("no", _("Not members"))]
    )
    organisation = forms.ModelChoiceField(
        label=_("registered by"), required=False, queryset=Organisation.objects.none(), empty_label=_("All")
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["governorate"].choices = [("", _("All"))] + places.governorate_choices()
        self.fields["isic_section"].choices = [("", _("All"))] + isic.section_choices()
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])
        if len(organisations) < 2:
            del self.fields["organisation"]


class MergeForm(forms.Form):
    """The record to fold into this one, and the confirmation."""

    other = forms.IntegerField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(label=_("Merge: move everything to this record and keep the other only as a pointer"), required=True)
