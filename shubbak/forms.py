"""Form helpers shared by every app: Bootstrap classes on widgets, and service errors onto forms."""

from django import forms
from django.core.exceptions import ValidationError


def bootstrap_classes(fields) -> None:
    """Give each field's widget the Bootstrap 5 class it needs."""
    for field in fields:
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


class BootstrapMixin:
    """Gives every widget the Bootstrap 5 class it needs."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap_classes(self.fields.values())


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the fields it names, or at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
