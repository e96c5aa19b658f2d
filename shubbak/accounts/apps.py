from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Staff accounts: who can log in, and their preferences."""

    name = "shubbak.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from . import receivers  # noqa: F401  (login and logout go to the audit log)
