"""In-app notifications; each can also go out by e-mail, after the transaction that caused it commits."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """Something a user should know: a case assigned to her, a client's reply, a deadline near or passed."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("A case was assigned to you")
        CLIENT_REPLIED = "client_replied", _("A client replied")
        DUE_SOON = "due_soon", _("A case is due soon")
        OVERDUE = "overdue", _("A case is overdue")
        ESCALATED = "escalated", _("A case was escalated to you")
        FOLLOW_UP = "follow_up", _("A follow-up is due")
        NEW_REQUEST = "new_request", _("A new request arrived")
        ASSIGNMENT = "assignment", _("A new assignment for you")
        TIMESHEET = "timesheet", _("A timesheet to approve")
        ASSIGNMENT_UPDATED = "assignment_updated", _("Your assignment was updated")
        REFERRAL_RECEIVED = "referral_received", _("A referral was sent to you")
        REFERRAL_UPDATED = "referral_updated", _("A referral was answered or changed")
        REFERRAL_WAITING = "referral_waiting", _("A referral is waiting for an answer")
        QUESTIONNAIRE = "questionnaire", _("A partner questionnaire to answer")
        QUESTIONNAIRE_ANSWERED = "questionnaire_answered", _("A partner answered a questionnaire")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notifications", db_index=False
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("about"), max_length=300, help_text=_("What it is about, e.g. a case's code and subject."))
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-id"]
        # A foreign key these indexes begin with has no index of its own (db_index=False): each insert writes one index fewer.
        indexes = [models.Index(fields=["user", "read_at", "-id"], name="notification_user_unread")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"
