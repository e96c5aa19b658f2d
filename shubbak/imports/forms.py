from django import forms
from django.utils.translation import gettext_lazy as _

from shubbak.forms import BootstrapMixin

from .fields import TARGETS
from .models import ImportJob, Kind


class UploadForm(BootstrapMixin, forms.Form):
    """What the file contains, and the file (checked by the service: size first, then type and content)."""

    kind = forms.ChoiceField(label=_("The file lists"), choices=Kind.choices, initial=Kind.PEOPLE)
    file = forms.FileField(
        label=_("File"),
        help_text=_("An Excel workbook (.xlsx, first sheet) or a CSV file, column names in the first row, one record per row."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class MappingForm(BootstrapMixin, forms.Form):
    """One select per field the import can fill, offering the file's columns."""

    def __init__(self, *args, job: ImportJob, initial_mapping: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        target = TARGETS[job.kind]
        columns = [("", _("— not in the file —"))] + [(str(i), header) for i, header in enumerate(job.headers)]
        for name in target.fields:
            self.fields[name] = forms.ChoiceField(
                label=target.label(name),
                choices=columns,
                required=name in target.required,
                initial=str(initial_mapping[name]) if name in initial_mapping else "",
            )
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"

    def mapping(self) -> dict[str, str]:
        return {name: value for name, value in self.cleaned_data.items() if value != ""}
