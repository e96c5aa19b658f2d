"""Background jobs of referrals: the signed link e-mailed to a receiver without accounts, and the hourly reminder of
referrals unanswered after their date."""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task(retries=3, retry_delay=60)
def email_referral_link(referral_id: int, email: str, reminder: bool = False) -> None:
    """E-mail (in Arabic) the signed link to a referral: only what was shared is behind it."""
    from . import links
    from .models import Referral

    referral = (
        Referral.objects.select_related("case_service__service", "from_organisation", "to_organisation", "expert")
        .filter(pk=referral_id, status__in=Referral.OPEN_STATUSES)
        .first()
    )
    if referral is None or not email or referral.link_revoked_at is not None:
        return
    with translation.override("ar"):
        context = {"referral": referral, "link": links.referral_link(referral), "reminder": reminder}
        send_mail(
            subject=render_to_string("referrals/email/link_subject.txt", context).strip(),
            message=render_to_string("referrals/email/link_body.txt", context),
            from_email=None,
            recipient_list=[email],
        )


@db_periodic_task(crontab(minute="7"))
def remind_referrals() -> None:
    from . import services

    services.referrals_remind()


from . import questionnaire_tasks  # noqa: E402, F401  (huey registers the periodic reminders of questionnaires on import)
