"""Background jobs of notifications."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from huey.contrib.djhuey import db_task


@db_task(retries=3, retry_delay=60)
def email_notification(notification_id: int) -> None:
    """Send one notification by e-mail, in the user's language."""
    from .models import Notification

    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None or not notification.user.email:
        return
    with translation.override(notification.user.language):
        context = {"notification": notification, "link": settings.SHUBBAK_BASE_URL.rstrip("/") + notification.url}
        send_mail(
            subject=render_to_string("notifications/email/subject.txt", context).strip(),
            message=render_to_string("notifications/email/body.txt", context),
            from_email=None,
            recipient_list=[notification.user.email],
        )
