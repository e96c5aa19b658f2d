from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    """Who the clients are: people and enterprises, their owners, consents and history."""

    name = "shubbak.registry"
    verbose_name = _("Registry")
