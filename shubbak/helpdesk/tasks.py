"""Background jobs of the helpdesk: e-mails to clients, and the quarter-hourly check of deadlines."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task(retries=3, retry_delay=60)
def email_client(case_id: int, kind: str, link: str = "") -> None:
    """Tell the client (in Arabic) that a request was received, has a new message, or can be rated."""
    from .models import Case

    case = Case.objects.select_related("person", "organisation").filter(pk=case_id).first()
    if case is None:
        return
    email = case.contact_email or (case.person.email if case.person_id else "")
    if not email:
        return
    with translation.override("ar"):
        context = {
            "case": case,
            "kind": kind,
            "link": link,
            "track_link": settings.SHUBBAK_BASE_URL.rstrip("/") + reverse("public_track"),
        }
        send_mail(
            subject=render_to_string("helpdesk/email/client_subject.txt", context).strip(),
            message=render_to_string("helpdesk/email/client.txt", context),
            from_email=None,
            recipient_list=[email],
        )


@db_periodic_task(crontab(minute="*/15"))
def check_deadlines() -> None:
    from . import services

    services.check_deadlines()
