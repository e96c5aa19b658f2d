from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The audit log: who changed what, where, when, from where, with before and after values."""

    name = "shubbak.audit"
    verbose_name = _("Audit log")
