from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One write or security event: who, in which organisation, what, when, from where, before/after."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")
        LOGIN = "login", _("Logged in")
        LOGOUT = "logout", _("Logged out")

    class Source(models.TextChoices):
        WEB = "web", _("Web")
        API = "api", _("API")
        COMMAND = "command", _("Command or job")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(_("who (as recorded)"), max_length=254, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    target_type = models.ForeignKey(ContentType, verbose_name=_("record type"), on_delete=models.PROTECT, related_name="+", db_index=False)
    target_id = models.CharField(_("record id"), max_length=64)
    target_label = models.CharField(_("record"), max_length=300)
    changes = models.JSONField(_("changes"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.COMMAND)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        # A foreign key these indexes begin with has no index of its own (db_index=False): each insert writes one index fewer.
        indexes = [
            models.Index(fields=["organisation", "-at"], name="audit_org_at"),
            models.Index(fields=["target_type", "target_id", "-at"], name="audit_target_at"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_label}"

    def labelled_changes(self) -> list[tuple[str, object, object]]:
        """(field label in the active language, before, after) for each change; the labels need no query."""
        model = self.target_type.model_class()
        labels = {f.attname: f.verbose_name for f in model._meta.concrete_fields} if model else {}
        return [(str(labels.get(name, name)), before, after) for name, (before, after) in self.changes.items()]
