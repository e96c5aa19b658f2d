from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """Bringing people and enterprises in from spreadsheets: upload, map columns, preview, run as a job."""

    name = "shubbak.imports"
    verbose_name = _("Imports")
