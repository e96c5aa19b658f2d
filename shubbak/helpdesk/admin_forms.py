"""Forms of the service catalogue and the working calendars (the services validate and save)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shubbak.forms import BootstrapMixin
from shubbak.organisations.models import Network

from .models import Holiday, Service, ServiceCategory, WorkingCalendar
from .services import SERVICE_FIELDS


class CatalogueSearchForm(BootstrapMixin, forms.Form):
    """Words of a service's name, description or documents, in any spelling; a network when the user sees several."""

    q = forms.CharField(label=_("Search the services"), required=False, max_length=100)
    network = forms.ModelChoiceField(label=_("network"), queryset=Network.objects.none(), required=False, to_field_name="slug")

    def __init__(self, *args, networks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"type": "search", "placeholder": _("e.g. trademark, loan, export"), "autocomplete": "off"})
        if len(networks) > 1:
            self.fields["network"].queryset = Network.objects.filter(pk__in=[n.pk for n in networks])
            self.fields["network"].empty_label = _("All networks")
        else:
            del self.fields["network"]


def _ltr(form: forms.Form, *names: str) -> None:
    for name in names:
        if name in form.fields:
            form.fields[name].widget.attrs["dir"] = "ltr"


class CategoryForm(BootstrapMixin, forms.ModelForm):
    """A category's names and its place in the catalogue."""

    class Meta:
        model = ServiceCategory
        fields = ["name_ar", "name_en", "position"]
        labels = {"position": _("order in the catalogue")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _ltr(self, "name_en")


class ServiceForm(BootstrapMixin, forms.ModelForm):
    """A service of the catalogue: names, how it is delivered, documents, targets, where it is offered."""

    class Meta:
        model = Service
        fields = list(SERVICE_FIELDS)  # what service_save writes
        labels = {"position": _("order in its category")}
        widgets = {
            "description_ar": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "required_documents": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = ServiceCategory.objects.filter(network=network)
        _ltr(self, "code", "name_en", "description_en")


class CalendarForm(BootstrapMixin, forms.Form):
    """The weekly rest days and whether the country's fixed public holidays are kept."""

    weekend = forms.ChoiceField(label=_("weekly rest days"), choices=WorkingCalendar.Weekend.choices)
    national_holidays = forms.BooleanField(label=_("observe the country's fixed public holidays"), required=False)


class HolidayForm(BootstrapMixin, forms.Form):
    """A day the organisation's desks are closed (a lunar holiday of this year, or any other day off)."""

    date = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    name = forms.CharField(label=_("name"), max_length=Holiday._meta.get_field("name").max_length)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["placeholder"] = _("e.g. Eid al-Fitr")
