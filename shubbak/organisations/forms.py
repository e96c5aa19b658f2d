from django import forms
from django.utils.translation import gettext_lazy as _

from shubbak import places
from shubbak.forms import BootstrapMixin

from .models import Contact, Desk, Membership, Organisation


class GovernorateField(forms.ChoiceField):
    """An ISO 3166-2 governorate chosen from a list grouped by country."""

    def __init__(self, *, country: str | None = None, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("governorate"))
        super().__init__(choices=[("", "—")] + places.governorate_choices(country), **kwargs)


class OrganisationForm(BootstrapMixin, forms.ModelForm):
    """An organisation's details; the slug only when creating."""

    governorate = GovernorateField()
    country = forms.ChoiceField(label=_("country"), choices=places.country_choices)
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name_ar", "name_en", "slug", "kind", "parent", "country", "governorate", "address", "phone", "email", "website"]

    def __init__(self, *args, network=None, **kwargs):
        super().__init__(*args, **kwargs)
        network = network or (self.instance.network if self.instance.pk else None)
        parents = Organisation.objects.filter(network=network) if network else Organisation.objects.none()
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
            del self.fields["slug"]
        self.fields["parent"].queryset = parents
        self.fields["name_en"].widget.attrs["dir"] = "ltr"
        for name in ("email", "website", "phone", "slug"):
            if name in self.fields:
                self.fields[name].widget.attrs["dir"] = "ltr"


class DeskForm(BootstrapMixin, forms.ModelForm):
    """A desk's details."""

    class Meta:
        model = Desk
        fields = ["name_ar", "name_en", "kind", "governorate", "address", "phone", "email", "opening_hours", "is_active"]

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["governorate"] = GovernorateField(country=organisation.country)
        self.fields["governorate"].widget.attrs["class"] = "form-select"
        for name in ("email", "phone", "name_en"):
            self.fields[name].widget.attrs["dir"] = "ltr"


class ContactForm(BootstrapMixin, forms.ModelForm):
    """A contact person's details."""

    class Meta:
        model = Contact
        fields = ["name", "position", "phone", "email", "is_primary"]


def limit_roles(field: forms.ChoiceField, can_name_managers: bool) -> None:
    """Offer 'network manager' only to those who may name one (the service refuses it anyway)."""
    if not can_name_managers:
        field.choices = [(value, label) for value, label in field.choices if value != Membership.Role.NETWORK_MANAGER]


class MembershipCreateForm(BootstrapMixin, forms.Form):
    """Add a person (new or existing account) to the organisation's staff."""

    email = forms.EmailField(label=_("e-mail"))
    full_name = forms.CharField(label=_("full name"), max_length=200)
    role = forms.ChoiceField(label=_("role"), choices=Membership.Role.choices, initial=Membership.Role.OFFICER)
    desk = forms.ModelChoiceField(label=_("desk"), queryset=Desk.objects.none(), required=False)
    title = forms.CharField(label=_("job title"), max_length=200, required=False)

    def __init__(self, *args, organisation: Organisation, can_name_managers: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desk"].queryset = organisation.desks.filter(is_active=True)
        self.fields["email"].widget.attrs["dir"] = "ltr"
        limit_roles(self.fields["role"], can_name_managers)


class MembershipForm(BootstrapMixin, forms.ModelForm):
    """Change a member's role, desk or title, or end the membership."""

    class Meta:
        model = Membership
        fields = ["role", "desk", "title", "is_active"]

    def __init__(self, *args, can_name_managers: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desk"].queryset = self.instance.organisation.desks.filter(is_active=True)
        if self.instance.role != Membership.Role.NETWORK_MANAGER:
            limit_roles(self.fields["role"], can_name_managers)


class OrganisationFilterForm(BootstrapMixin, forms.Form):
    """Filters of the organisation list."""

    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("kind"), choices=[("", _("All kinds"))] + Organisation.Kind.choices, required=False)
    country = forms.ChoiceField(label=_("country"), required=False)
    network = forms.ChoiceField(label=_("network"), required=False)

    def __init__(self, *args, networks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("All countries"))] + places.country_choices()
        self.fields["network"].choices = [("", _("All networks"))] + [(n.slug, n.name) for n in networks]
