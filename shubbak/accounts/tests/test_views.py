import pytest
from django.urls import reverse

from shubbak.audit.models import AuditEntry
from shubbak.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


def _login(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_staff_log_in_with_e_mail_and_land_on_home(actors, client):
    response = _login(client, actors.officer.email.upper())
    assert response.status_code == 302
    assert response.url == reverse("home")
    home = client.get(reverse("home"))
    assert home.context["organisation"] == actors.organisation
    entry = AuditEntry.objects.get(action="login")
    assert (entry.actor, entry.ip, entry.source) == (actors.officer, "127.0.0.1", "web")


def test_a_wrong_password_says_so_in_arabic(actors, client):
    response = _login(client, actors.officer.email, "wrong")
    assert response.status_code == 200
    assert "عنوان البريد الإلكتروني و / أو كلمة المرور غير صحيحة." in response.content.decode()


def test_repeated_failures_lock_the_account_even_with_the_right_password(actors, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, actors.officer.email, "wrong").status_code == 200
    assert _login(client, actors.officer.email, "wrong").status_code == 429
    response = _login(client, actors.officer.email)
    assert response.status_code == 429
    assert "محاولات" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_an_e_mail(actors, client, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": actors.officer.email})
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [[actors.officer.email]]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_public_sign_up_is_closed(client):
    response = client.post(
        reverse("account_signup"), {"email": "x@example.org", "password1": "a-long-passphrase", "password2": "a-long-passphrase"}
    )
    assert response.status_code == 200
    assert response.templates[0].name == "account/signup_closed.html"
    from shubbak.accounts.models import User

    assert User.objects.filter(email="x@example.org").exists() is False


def test_the_login_page_is_arabic_right_to_left_by_default(client):
    html = client.get(reverse("account_login")).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "bootstrap.rtl.min.css" in html


def test_the_language_switch_is_remembered_in_a_cookie_and_on_the_account(actors, client):
    client.force_login(actors.officer)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    actors.officer.refresh_from_db()
    assert actors.officer.language == "en"
    assert '<html lang="en" dir="ltr">' in client.get(reverse("home")).content.decode()


def test_a_new_browser_gets_the_language_saved_on_the_account(actors, client):
    actors.officer.language = "en"
    actors.officer.save(update_fields=["language"])
    client.force_login(actors.officer)
    assert '<html lang="en" dir="ltr">' in client.get(reverse("home")).content.decode()


def test_preferences_save_the_calendar_and_show_hijri_dates(actors, client):
    client.force_login(actors.officer)
    data = {"full_name": actors.officer.full_name, "language": "ar", "calendar": "hijri", "phone": "0599123456"}
    response = client.post(reverse("preferences"), data)
    assert response.status_code == 302
    actors.officer.refresh_from_db()
    assert actors.officer.calendar == "hijri"
    assert "هـ)" in client.get(reverse("home")).content.decode()
    assert AuditEntry.objects.get(action="update", target_id=str(actors.officer.pk)).changes == {
        "calendar": ["gregorian", "hijri"],
        "phone": ["", "0599123456"],
    }


def test_preferences_refuse_an_empty_name_and_keep_the_rest(actors, client):
    client.force_login(actors.officer)
    response = client.post(reverse("preferences"), {"full_name": "", "language": "ar", "calendar": "hijri", "phone": "0599"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["full_name"]
    assert response.context["form"]["phone"].value() == "0599"


def test_a_user_without_any_role_is_told_whom_to_ask(client):
    client.force_login(UserFactory())
    response = client.get(reverse("home"))
    assert response.context["membership"] is None
    assert "Ask your organisation's admin to add you." in _english(client, reverse("home"))


def _english(client, url):
    client.cookies["django_language"] = "en"
    return client.get(url).content.decode().replace("&#x27;", "'")
