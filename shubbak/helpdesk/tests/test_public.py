"""The public pages: request form, the page after sending, tracking with code and phone, the survey."""

import re
import uuid

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import signing
from django.core.cache import cache

from shubbak.helpdesk import intake, public, services, tracking
from shubbak.helpdesk.models import Case, CaseEvent
from shubbak.registry.models import Consent, Person
from shubbak.testing.factories import DeskFactory, OrganisationFactory, ServiceCategoryFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    intake.forget_catalogues()  # each test has its own organisations under the same short names
    cache.clear()  # rate counts live in the cache, which outlives a test
    yield
    cache.clear()


@pytest.fixture
def client(client):
    """Pages in English, so that tests compare messages exactly (the Arabic catalogue is filled separately)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def catalogue(actors):
    network = actors.organisation.network
    registration = ServiceCategoryFactory(network=network, name_ar="التسجيل", name_en="Registration", position=1)
    advice = ServiceCategoryFactory(network=network, name_ar="الاستشارات", name_en="Advice", position=2)
    return {
        "registration": ServiceFactory(
            category=registration, code="registration", name_en="Business registration", description_en="At the ministry"
        ),
        "trademark": ServiceFactory(category=registration, code="trademark", name_en="Trademark registration"),
        "plan": ServiceFactory(category=advice, code="plan", name_en="Business plan"),
        "internal": ServiceFactory(category=advice, code="internal", name_en="Internal service", is_public=False),
    }


def form_data(catalogue, **changes):
    data = {
        "services": [catalogue["registration"].pk, catalogue["plan"].pk],
        "first_name": "سماح",
        "father_name": "خليل",
        "family_name": "الجعبري",
        "gender": "female",
        "phone": "0599 222 333",
        "email": "",
        "governorate": "PS-HBN",
        "id_type": "ps_id",
        "national_id": "",
        "enterprise_name": "مشغل سماح",
        "enterprise_status": "informal",
        "legal_form": "home_based",
        "registration_number": "",
        "isic_section": "C",
        "subject": "تسجيل مشغل خياطة",
        "description": "أعمل من البيت",
        "heard_from": "social",
        "campaign": "",
        "consent_data": "on",
        "submission": uuid.uuid4().hex,
        "website": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


URL = "/request/nablus/"


def test_the_form_lists_the_public_services_by_category(client, actors, catalogue):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    legends = re.findall(r'<legend class="fs-6 fw-semibold mb-1">([^<]+)</legend>', html)
    assert legends == ["Registration", "Advice"]
    assert "Business plan" in html and "At the ministry" in html
    assert "Internal service" not in html
    assert 'name="desk"' not in html  # one desk: it is chosen for her
    assert re.search(r'name="submission" value="[0-9a-f]{32}"', html)
    assert 'name="website"' in html and 'class="d-none"' in html
    assert "Keep and use my data to serve me" in html


def test_with_several_desks_the_client_chooses_one(client, actors, catalogue):
    second = DeskFactory(organisation=actors.organisation, name_ar="مكتب الخليل")
    html = client.get(URL).content.decode()
    assert 'name="desk"' in html and "مكتب الخليل" in html
    response = client.post(URL, form_data(catalogue, desk=second.pk))
    assert response.status_code == 302
    assert Case.objects.get().desk == second


def test_an_unknown_or_inactive_organisation_is_not_found(client, actors, catalogue):
    OrganisationFactory(slug="closed", is_active=False, network=actors.organisation.network)
    assert client.get("/request/nowhere/").status_code == 404
    assert client.get("/request/closed/").status_code == 404


def test_a_request_is_sent_and_its_code_shown(client, actors, catalogue):
    response = client.post(URL, form_data(catalogue))
    assert response.status_code == 302
    assert response["Location"] == "/request/nablus/sent/"  # no personal data in the address
    case = Case.objects.get()
    assert (case.person.full_name, case.enterprise.name_ar, case.channel, case.desk) == (
        "سماح خليل الجعبري",
        "مشغل سماح",
        "web",
        actors.desk,
    )
    assert sorted(case.services.values_list("service__code", flat=True)) == ["plan", "registration"]
    assert list(Consent.objects.values_list("purpose", flat=True)) == ["data"]
    sent = client.get(response["Location"])
    html = sent.content.decode()
    groups = case.tracking_code.split("-")
    shown = re.search(r'id="tracking-code">(.*?)</p>', html).group(1)
    assert re.findall(r'<span class="text-nowrap">(\w+)</span>', shown) == groups
    assert case.tracking_code in html  # in the SMS text
    assert "http://testserver/track/" in html


def test_a_resent_form_gives_the_same_case(client, actors, catalogue):
    data = form_data(catalogue)
    first = client.post(URL, data)
    second = client.post(URL, data)
    assert (first.status_code, second.status_code) == (302, 302)
    assert (Case.objects.count(), Person.objects.count()) == (1, 1)


def test_the_sent_page_needs_a_case_sent_from_this_browser(client, actors, catalogue):
    assert client.get("/request/nablus/sent/")["Location"] == URL


def test_the_sent_case_goes_in_a_signed_cookie_for_the_sent_page_only_and_no_session_is_written(client, actors, catalogue):
    response = client.post(URL, form_data(catalogue))
    cookie = response.cookies[public.SENT_COOKIE]
    assert (cookie["path"], cookie["max-age"], cookie["httponly"], cookie["samesite"]) == ("/request/nablus/sent/", 3600, True, "Lax")
    assert str(Case.objects.get().pk) in cookie.value and cookie.value != str(Case.objects.get().pk)  # signed
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert not Session.objects.exists()


def test_a_forged_or_foreign_sent_cookie_shows_nothing(client, actors, catalogue):
    client.post(URL, form_data(catalogue))
    case = Case.objects.get()
    client.cookies[public.SENT_COOKIE] = str(case.pk)  # not signed
    assert client.get("/request/nablus/sent/")["Location"] == URL
    other = OrganisationFactory(slug="hebron", network=actors.organisation.network)
    client.cookies[public.SENT_COOKIE] = signing.get_cookie_signer(salt=public.SENT_COOKIE + public.SENT_SALT).sign(str(case.pk))
    assert client.get("/request/nablus/sent/").status_code == 200
    assert client.get(f"/request/{other.slug}/sent/")["Location"] == f"/request/{other.slug}/"


def test_a_post_takes_the_same_few_queries_whoever_sends_it(client, actors, catalogue, django_assert_num_queries):
    client.post(URL, form_data(catalogue))  # the catalogue is read once a minute
    # the duplicate check, then in one transaction (a savepoint inside the test's): person, enterprise, its status,
    # her ownership, the case, its services, its timeline, her consent, the audit entries, the notifications
    with django_assert_num_queries(1 + 2 + 10):
        assert client.post(URL, form_data(catalogue, phone="0599333444", first_name="هبة")).status_code == 302
    # she again, with her business: her consents and her businesses are looked up; the case, its services, timeline,
    # audit entry and notifications are written
    with django_assert_num_queries(3 + 2 + 5):
        assert client.post(URL, form_data(catalogue, phone="0599333444", first_name="هبة")).status_code == 302


def test_a_bot_filling_the_hidden_field_is_answered_but_nothing_is_stored(client, actors, catalogue):
    response = client.post(URL, form_data(catalogue, website="http://spam.example"))
    assert response.status_code == 200
    assert (Case.objects.count(), Person.objects.count()) == (0, 0)


def test_missing_answers_are_shown_next_to_their_fields_and_nothing_typed_is_lost(client, actors, catalogue):
    data = form_data(catalogue, first_name="", phone="", consent_data=None, services=[], subject="<script>alert(1)</script>")
    response = client.post(URL, data)
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "services": ["Choose at least one service."],
        "first_name": ["Write your first name."],
        "phone": ["Write your mobile phone number."],
        "consent_data": ["We can take your request only if you agree that we keep and use your data to serve you."],
    }
    html = response.content.decode()
    assert 'value="الجعبري"' in html and 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    assert "<script>alert(1)" not in html
    assert Case.objects.count() == 0


def test_the_requests_share_the_form_fields_and_leave_nothing_in_them_for_the_next(client, actors, catalogue):
    """The fields are made once per catalogue and language and shared, not copied for each request."""
    client.post(URL, form_data(catalogue, phone="12ab", first_name="", family_name="التميمي"))
    page = client.get(URL)
    html = page.content.decode()
    assert "التميمي" not in html and "12ab" not in html and "is-invalid" not in html and "Write your first name." not in html
    first_name = re.search(r'<input[^>]*name="first_name"[^>]*>', html).group()
    assert 'class="form-control"' in first_name  # the Bootstrap class once, not once per request
    fields = page.context["form"].fields
    assert fields is client.get(URL).context["form"].fields
    with pytest.raises(TypeError):
        fields["first_name"] = None


def test_a_bad_phone_says_how_to_write_it_and_the_choices_stay_ticked(client, actors, catalogue):
    response = client.post(URL, form_data(catalogue, phone="12ab"))
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "phone": ["«12ab» is not a phone number we can read. Write it with its digits, e.g. 0599123456 or +970599123456."]
    }
    assert response.context["form"]["services"].value() == [str(catalogue["registration"].pk), str(catalogue["plan"].pk)]
    html = response.content.decode()
    assert f'value="{catalogue["plan"].pk}" id="service-{catalogue["plan"].pk}" checked' in html


def test_services_not_offered_on_the_form_are_refused(client, actors, catalogue):
    response = client.post(URL, form_data(catalogue, services=[catalogue["internal"].pk]))
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["services"]


def test_a_registered_business_without_its_number_is_told_so(client, actors, catalogue):
    response = client.post(URL, form_data(catalogue, enterprise_status="registered", legal_form="company"))
    assert response.status_code == 400
    assert response.context["form"].errors == {"registration_number": ["A registered enterprise needs its registration number."]}


def test_too_many_requests_from_one_address_are_refused_and_the_answers_kept(client, actors, catalogue, settings):
    settings.PUBLIC_REQUEST_RATE = "2/h"
    for _ in range(2):
        assert client.post(URL, form_data(catalogue)).status_code == 302
    response = client.post(URL, form_data(catalogue, subject="طلب ثالث"))
    assert response.status_code == 429
    assert 'value="طلب ثالث"' in response.content.decode()
    assert Case.objects.count() == 2
    other = client.post(URL, form_data(catalogue), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


# --- tracking ------------------------------------------------------------------------------------------------------


@pytest.fixture
def sent_case(client, actors, catalogue):
    client.post(URL, form_data(catalogue))
    case = Case.objects.get()
    client.session.flush()
    return case


def track(client, code, phone="0599222333"):
    return client.post("/track/", {"code": code, "phone": phone})


def test_code_and_phone_open_the_request(client, actors, sent_case):
    response = track(client, sent_case.tracking_code.lower().replace("-", " "), "+970 599 222 333")
    assert response["Location"] == "/track/case/"
    page = client.get("/track/case/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Received. The desk will look at it soon." in html
    assert "Business registration" in html and "Business plan" in html


@pytest.mark.parametrize("wrong", ["code", "phone"])
def test_a_wrong_code_or_phone_gets_one_neutral_message(client, actors, sent_case, wrong):
    code = "ABCD-EFGH-JKMN" if wrong == "code" else sent_case.tracking_code
    phone = "0599000000" if wrong == "phone" else "0599222333"
    response = track(client, code, phone)
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "We found no request with this code and this phone number. Check both and try again."
    ]
    assert public.TRACKED_KEY not in client.session


def test_the_same_message_for_a_wrong_code_and_a_wrong_phone(client, actors, sent_case):
    by_code = track(client, "ABCD-EFGH-JKMN").context["form"].non_field_errors()
    by_phone = track(client, sent_case.tracking_code, "0599000000").context["form"].non_field_errors()
    assert by_code == by_phone


def test_too_many_wrong_tries_from_one_address_are_refused(client, actors, sent_case, settings):
    settings.PUBLIC_TRACK_RATE = "2/h"
    assert [track(client, "ABCD-EFGH-JKMN").status_code for _ in range(2)] == [400, 400]
    assert track(client, sent_case.tracking_code).status_code == 429  # even the right pair, for this hour


def test_the_request_page_needs_a_lookup_first(client, actors, sent_case):
    assert client.get("/track/case/")["Location"] == "/track/"


def test_the_client_sees_messages_but_no_internal_notes(client, actors, sent_case):
    services.note_add(actor=actors.officer, case=sent_case, text="ملاحظة داخلية سرية")
    services.message_send(actor=actors.officer, case=sent_case, text="<b>أحضري</b> صورة الهوية")
    track(client, sent_case.tracking_code)
    html = client.get("/track/case/").content.decode()
    assert "ملاحظة داخلية سرية" not in html
    assert "&lt;b&gt;أحضري&lt;/b&gt; صورة الهوية" in html
    assert actors.officer.full_name not in html


def test_the_client_replies(client, actors, sent_case):
    track(client, sent_case.tracking_code)
    response = client.post("/track/case/", {"action": "reply", "reply-text": "سأحضرها غدا"})
    assert response["Location"] == "/track/case/#messages"
    assert list(sent_case.events.filter(kind=CaseEvent.Kind.MESSAGE_IN).values_list("text", flat=True)) == ["سأحضرها غدا"]
    assert "سأحضرها غدا" in client.get("/track/case/").content.decode()


def test_an_empty_reply_is_refused(client, actors, sent_case):
    track(client, sent_case.tracking_code)
    response = client.post("/track/case/", {"action": "reply", "reply-text": "  "})
    assert response.status_code == 400
    assert list(response.context["reply_form"].errors) == ["text"]


def test_the_rating_form_comes_once_the_request_is_done(client, actors, sent_case):
    track(client, sent_case.tracking_code)
    assert client.get("/track/case/").context["rating_form"] is None
    services.case_resolve(actor=actors.officer, case=sent_case, outcome={"outcome": "served"})
    page = client.get("/track/case/")
    assert page.context["rating_form"] is not None
    response = client.post("/track/case/", {"action": "rate", "rate-rating": "4", "rate-comment": "خدمة جيدة"})
    assert response["Location"] == "/track/case/#rating"
    sent_case.refresh_from_db()
    assert (sent_case.rating, sent_case.rating_comment) == (4, "خدمة جيدة")
    assert client.get("/track/case/").context["rating_form"] is None


def test_forgetting_the_request_on_this_phone(client, actors, sent_case):
    track(client, sent_case.tracking_code)
    client.post("/track/", {"forget": "1"})
    assert client.get("/track/case/")["Location"] == "/track/"


# --- survey --------------------------------------------------------------------------------------------------------


def test_a_bad_survey_link_says_so(client, actors):
    response = client.get("/survey/not-a-token/")
    assert response.status_code == 404
    assert "90" in response.content.decode()


def test_the_survey_takes_one_rating(client, actors, sent_case):
    services.case_resolve(actor=actors.officer, case=sent_case, outcome={"outcome": "served"})
    services.case_close(actor=actors.officer, case=sent_case)
    url = f"/survey/{tracking.survey_token(sent_case)}/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"rate-rating": "9"}).status_code == 400
    response = client.post(url, {"rate-rating": "5", "rate-comment": "شكرا"})
    assert response["Location"] == url
    sent_case.refresh_from_db()
    assert sent_case.rating == 5
    thanks = client.get(url)
    assert thanks.status_code == 200
    assert thanks.templates[0].name == "helpdesk/public/survey_thanks.html"
