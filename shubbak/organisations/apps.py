from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    """Networks, their organisations, desks, contacts and the staff who work there."""

    name = "shubbak.organisations"
    verbose_name = _("Organisations")
