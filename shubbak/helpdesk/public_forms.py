"""Forms of the public pages: the request form, the tracking lookup, the client's reply and her rating."""

import copy
import uuid
from functools import lru_cache
from itertools import groupby
from types import MappingProxyType

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from shubbak import places
from shubbak.forms import BootstrapMixin, bootstrap_classes
from shubbak.registry import isic
from shubbak.registry.models import Consent, Enterprise, Person

from . import intake
from .models import Case

REQUIRED = intake.REQUIRED


def _required(key: str) -> dict:
    return {"required": REQUIRED[key]}


def _choices(choices, blank: str = "—") -> list:
    return [("", blank), *choices]


@lru_cache(maxsize=64)
def _governorates(country: str, language: str) -> list:
    return places.governorate_choices(country)


@lru_cache(maxsize=8)
def _sections(language: str) -> list:
    return isic.section_choices()


class PublicRequestForm(forms.Form):
    """What a client tells the desk: services, who she is, her business, her need, how she heard, her consent.

    The fields are named as `intake.public_request_submit` names its answers, so its errors land on them. They are
    made once per organisation's catalogue and language (`_organisation_fields`) and shared by the requests, not
    copied for each as Django's forms do: nothing changes a field after that (validating and showing a form read
    them only), and the copy cost a submission 0.5 ms.
    """

    services = forms.TypedMultipleChoiceField(
        label=_("Services you need"), coerce=int, widget=forms.CheckboxSelectMultiple, error_messages={"required": intake.SERVICES_REQUIRED}
    )
    desk = forms.TypedChoiceField(label=_("Desk"), coerce=int, error_messages={"required": _("Choose the desk nearest to you.")})
    first_name = forms.CharField(label=_("first name"), max_length=60, error_messages=_required("first_name"))
    father_name = forms.CharField(label=_("father's name"), max_length=60, error_messages=_required("father_name"))
    family_name = forms.CharField(label=_("family name"), max_length=60, error_messages=_required("family_name"))
    gender = forms.ChoiceField(
        label=_("gender"), choices=Person.Gender.choices, widget=forms.RadioSelect, error_messages=_required("gender")
    )
    phone = forms.CharField(
        label=_("mobile phone"),
        max_length=30,
        help_text=_("We use it with your tracking code to show you where your request stands."),
        error_messages=_required("phone"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "dir": "ltr"}),
    )
    email = forms.EmailField(
        label=_("e-mail (optional)"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"})
    )
    governorate = forms.ChoiceField(label=_("governorate"), error_messages=_required("governorate"))
    id_type = forms.ChoiceField(label=_("ID type"), required=False, choices=Person.IdType.choices)
    national_id = forms.CharField(
        label=_("ID number (optional)"),
        max_length=32,
        required=False,
        help_text=_("It helps us find your file if you came to us before."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr", "autocomplete": "off"}),
    )
    enterprise_name = forms.CharField(label=_("name of your business (optional)"), max_length=200, required=False)
    enterprise_status = forms.ChoiceField(
        label=_("Your business is"),
        required=False,
        choices=[(s.value, s.label) for s in intake.ENTERPRISE_STATUSES],
        initial=Enterprise.Status.INFORMAL,
        widget=forms.RadioSelect,
    )
    legal_form = forms.ChoiceField(label=_("legal form"), required=False, choices=_choices(Enterprise.LegalForm.choices))
    registration_number = forms.CharField(
        label=_("registration number"),
        max_length=40,
        required=False,
        help_text=_("If your business is registered."),
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    isic_section = forms.ChoiceField(label=_("sector (optional)"), required=False)
    subject = forms.CharField(label=_("What do you need, in a few words?"), max_length=200, error_messages=_required("subject"))
    description = forms.CharField(
        label=_("Tell us more (optional)"),
        max_length=intake.DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    heard_from = forms.ChoiceField(
        label=_("How did you hear of the desk?"), choices=_choices(Case.HeardFrom.choices), error_messages=_required("heard_from")
    )
    campaign = forms.CharField(label=_("Which campaign or event? (optional)"), max_length=100, required=False)
    consent_data = forms.BooleanField(label=Consent.Purpose.DATA.label, error_messages={"required": intake.DATA_CONSENT_REQUIRED})
    consent_contact = forms.BooleanField(label=Consent.Purpose.CONTACT.label, required=False)
    # Left empty by people (hidden by CSS); bots fill every field they find.
    website = forms.CharField(
        label=_("Leave this field empty"), required=False, widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"})
    )
    submission = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, organisation, services, desks, **kwargs):
        desk_choices = tuple((d.pk, d.name) for d in desks) if len(desks) > 1 else ()
        fields = _organisation_fields(organisation.country, tuple(s.pk for s in services), desk_choices, get_language())
        self.base_fields = {}  # (what BaseForm copies)
        super().__init__(*args, **kwargs)
        self.fields = fields
        self.organisation = organisation
        self.services_by_pk = {s.pk: s for s in services}
        self.desks = {d.pk: d for d in desks}
        if not self.is_bound:
            self.initial["submission"] = uuid.uuid4().hex

    @property
    def service_groups(self) -> list[tuple[str, list]]:
        """The services under their categories, each with whether it is ticked, for the checkboxes."""
        chosen = {str(v) for v in (self.data.getlist("services") if self.is_bound else self.initial.get("services", []))}
        services = list(self.services_by_pk.values())
        return [
            (category, [(s, str(s.pk) in chosen) for s in items]) for category, items in groupby(services, key=lambda s: s.category.name)
        ]

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def idempotency_key(self) -> str | None:
        """The submission id the form was given when it was shown; a resent form carries the same one."""
        try:
            return uuid.UUID(self.data.get("submission", "")).hex
        except ValueError:
            return None

    def answers(self) -> tuple[dict, list]:
        """The answers as `public_request_submit` takes them, and the chosen services."""
        data = dict(self.cleaned_data)
        services = [self.services_by_pk[pk] for pk in data.pop("services")]
        data["desk"] = self.desks.get(data.pop("desk", None))
        data["consents"] = [
            purpose
            for purpose, given in ((Consent.Purpose.DATA, data.pop("consent_data")), (Consent.Purpose.CONTACT, data.pop("consent_contact")))
            if given
        ]
        for name in ("website", "submission"):
            data.pop(name)
        return data, services


@lru_cache(maxsize=64)
def _organisation_fields(country: str, service_pks: tuple, desk_choices: tuple, language: str) -> dict:
    """The request form's fields with an organisation's choices set, made once per catalogue and language."""
    fields = copy.deepcopy(PublicRequestForm.base_fields)
    fields["services"].choices = [(pk, pk) for pk in service_pks]  # validation only: the template shows the names
    if desk_choices:
        fields["desk"].choices = _choices(desk_choices, _("Choose…"))
    else:
        del fields["desk"]
    fields["governorate"].choices = _choices(_governorates(country, language), _("Choose…"))
    fields["id_type"].initial = intake.NATIONAL_ID_TYPES.get(country, Person.IdType.PASSPORT)
    fields["isic_section"].choices = _choices(_sections(language))
    for name in ("first_name", "father_name", "family_name"):
        fields[name].widget.attrs["autocomplete"] = "off"
    bootstrap_classes(fields.values())
    return MappingProxyType(fields)  # read-only: every request of this catalogue shares them


class TrackForm(BootstrapMixin, forms.Form):
    """The tracking code and the phone number given with the request."""

    code = forms.CharField(
        label=_("tracking code"),
        max_length=30,
        widget=forms.TextInput(
            attrs={"dir": "ltr", "autocomplete": "off", "autocapitalize": "characters", "placeholder": "XXXX-XXXX-XXXX"}
        ),
        error_messages={"required": _("Write the tracking code you were given.")},
    )
    phone = forms.CharField(
        label=_("mobile phone"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "dir": "ltr"}),
        error_messages={"required": _("Write the phone number you gave with your request.")},
    )


class ReplyForm(BootstrapMixin, forms.Form):
    text = forms.CharField(
        label=_("Your message to the desk"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write your message.")},
    )


class RatingForm(BootstrapMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with the service?"),
        coerce=int,
        choices=[
            (5, _("5 · Very satisfied")),
            (4, _("4 · Satisfied")),
            (3, _("3 · Neither")),
            (2, _("2 · Not satisfied")),
            (1, _("1 · Not at all satisfied")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose from 1 to 5.")},
    )
    comment = forms.CharField(
        label=_("Anything to add? (optional)"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
