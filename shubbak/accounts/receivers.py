"""Log-ins and log-outs are security events: they go to the audit log like every write."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from shubbak.audit.services import audit_record


@receiver(user_logged_in)
def _audit_login(sender, request, user, **kwargs):
    audit_record(actor=user, action="login", target=user)


@receiver(user_logged_out)
def _audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action="logout", target=user)
