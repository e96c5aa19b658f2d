from django import forms
from django.utils.translation import gettext_lazy as _

from shubbak.forms import BootstrapMixin

from .models import AuditEntry
from .selectors import audited_types


class AuditFilterForm(BootstrapMixin, forms.Form):
    """Filters of an audit page."""

    action = forms.ChoiceField(label=_("action"), required=False)
    target_type = forms.ModelChoiceField(label=_("record type"), queryset=None, required=False, empty_label=_("All records"))
    actor = forms.CharField(label=_("who (e-mail)"), required=False)
    since = forms.DateField(label=_("from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions"))] + AuditEntry.Action.choices
        self.fields["target_type"].queryset = audited_types()
        self.fields["target_type"].label_from_instance = lambda ct: (
            str(ct.model_class()._meta.verbose_name) if ct.model_class() else ct.model
        )
