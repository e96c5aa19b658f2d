"""Background jobs of the partner questionnaire: the signed link e-mailed to a partner without accounts, and the
reminders to partners who have not answered (checked every hour of the working day; at most one a day each).

The consumer finds these jobs through `shubbak.referrals.tasks`, which imports this module.
"""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task(retries=3, retry_delay=60)
def email_questionnaire_link(response_id: int, email: str, reminder: bool = False) -> None:
    """E-mail (in Arabic) the questionnaire's signed link to a partner who has no staff accounts."""
    from . import directory
    from .models import QuestionnaireResponse

    response = (
        QuestionnaireResponse.objects.select_related("questionnaire__network", "organisation")
        .filter(pk=response_id, status=QuestionnaireResponse.Status.WAITING)
        .first()
    )
    if response is None or not email:
        return
    with translation.override("ar"):
        context = {
            "response": response,
            "questionnaire": response.questionnaire,
            "link": directory.response_link(response),
            "reminder": reminder,
        }
        send_mail(
            subject=render_to_string("referrals/questionnaire_email_subject.txt", context).strip(),
            message=render_to_string("referrals/questionnaire_email.txt", context),
            from_email=None,
            recipient_list=[email],
        )


@db_periodic_task(crontab(minute="10", hour="8-17"))
def remind_questionnaires() -> None:
    from . import directory

    directory.questionnaires_remind_due()
