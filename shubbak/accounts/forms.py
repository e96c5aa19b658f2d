from django import forms

from .models import User


class PreferencesForm(forms.ModelForm):
    """A user's own profile and display preferences."""

    class Meta:
        model = User
        fields = ["full_name", "full_name_en", "phone", "language", "calendar"]
        widgets = {"calendar": forms.RadioSelect}
