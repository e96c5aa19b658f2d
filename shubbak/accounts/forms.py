from django import forms

from shubbak.forms import BootstrapMixin

from .models import User


class PreferencesForm(BootstrapMixin, forms.ModelForm):
    """A user's own profile and display preferences."""

    class Meta:
        model = User
        fields = ["full_name", "full_name_en", "phone", "language", "calendar"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("full_name_en", "phone"):
            self.fields[name].widget.attrs["dir"] = "ltr"
