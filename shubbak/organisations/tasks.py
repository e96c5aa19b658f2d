"""Background jobs: run in process by default, by huey workers when REDIS_URL is set."""

from allauth.account.forms import default_token_generator  # allauth checks its own tokens
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from huey.contrib.djhuey import db_task


@db_task(retries=3, retry_delay=60)
def send_welcome_email(user_id: int, organisation_id: int) -> None:
    """Tell a new staff member their account exists, with a link to choose a password."""
    from shubbak.accounts.models import User

    from .models import Organisation

    user = User.objects.get(pk=user_id)
    organisation = Organisation.objects.get(pk=organisation_id)
    key = default_token_generator.make_token(user)
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(user), "key": key})
    with translation.override(user.language):
        context = {"user": user, "organisation": organisation, "link": settings.SHUBBAK_BASE_URL.rstrip("/") + path}
        send_mail(
            subject=render_to_string("organisations/email/welcome_subject.txt", context).strip(),
            message=render_to_string("organisations/email/welcome.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
