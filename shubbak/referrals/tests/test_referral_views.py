"""Referral pages: refer from a case, the sender's list, the partner portal, one referral, the report per partner.

The three actors of every page: the sender's staff, a read-only member (403 on writes), another organisation (404) —
and on the receiving side the partner's staff, the partner's read-only member, and another partner (404).
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from shubbak.helpdesk.models import CaseEvent
from shubbak.referrals import services
from shubbak.referrals.models import Referral
from shubbak.testing.access import Actors, check_three_actors

from .referral_data import build_world, give_consent, send

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
Status = Referral.Status


@pytest.fixture
def client(client, settings):
    """A browser that chose English (the account's language, Arabic, applies only when no language was chosen)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def world(actors):
    return build_world(actors)


def receiving_actors(world) -> Actors:
    """The three actors seen from the partner: its staff, its read-only member, and another partner's staff."""
    a = world.actors
    return Actors(
        organisation=world.partner,
        desk=a.desk,
        other_organisation=world.other_partner,
        manager=a.manager,
        admin=world.partner_staff,
        coordinator=world.partner_staff,
        officer=world.partner_staff,
        viewer=world.partner_viewer,
        outsider=world.other_staff,
    )


def _refer_url(world) -> str:
    return f"/cases/{world.case.pk}/services/{world.case_service.pk}/refer/"


# --- refer ----------------------------------------------------------------------------------------------------


def test_the_refer_page_three_actors(world):
    response = check_three_actors(actors=world.actors, url=_refer_url(world), write=True, member=world.actors.officer)
    body = response.content.decode()
    assert "مؤسسة فاتن للإقراض — قروض للشابات" in body  # the partner's offer of this service
    assert "سناء الخطيب" in body  # a vetted expert of this service
    assert 'value="offer:' in body and 'value="expert:' in body and 'value="org:' in body


def test_identity_cannot_be_ticked_without_consent_and_the_page_says_why(client, world):
    client.force_login(world.actors.officer)
    body = client.get(_refer_url(world)).content.decode()
    for name in Referral.IDENTITY:
        assert f'value="{name}" class="form-check-input" id=' in body
    assert body.count("disabled") >= len(Referral.IDENTITY)
    assert "has not agreed to share her identity" in body
    assert f"/people/{world.person.pk}/" in body  # where to record the consent
    for name in Referral.DEFAULT_SHARED:
        assert f'value="{name}" class="form-check-input" id="id_shared_fields_' in body
    give_consent(world)
    body = client.get(_refer_url(world)).content.decode()
    assert "has not agreed" not in body and "هبة النجار" in body  # the preview of what would go


def test_sending_from_the_page(client, world):
    client.force_login(world.actors.officer)
    response = client.post(
        _refer_url(world), {"to": f"offer:{world.offer.pk}", "shared_fields": ["age", "gender"], "note": "تحتاج 2000 دولار"}
    )
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/referrals/{referral.pk}/"
    assert (referral.offer, referral.shared, referral.note) == (world.offer, {"gender": "female", "age": 24}, "تحتاج 2000 دولار")


def test_a_crafted_identity_tick_without_consent_is_refused_on_the_page(client, world):
    client.force_login(world.actors.officer)
    response = client.post(_refer_url(world), {"to": f"org:{world.other_partner.pk}", "shared_fields": ["name", "age"]})
    assert response.status_code == 200
    assert escape("The client has not agreed to share her identity") in response.content.decode()
    assert Referral.objects.count() == 0


def test_a_receiver_not_offered_is_refused(client, world):
    client.force_login(world.actors.officer)
    for value in (f"org:{world.actors.organisation.pk}", f"org:{world.actors.other_organisation.pk}", "expert:999", "x"):
        response = client.post(_refer_url(world), {"to": value, "shared_fields": ["age"]})
        assert response.status_code == 200
    assert Referral.objects.count() == 0


def test_a_service_of_another_case_is_404(client, world):
    client.force_login(world.actors.officer)
    assert client.get(f"/cases/{world.case.pk}/services/{world.case_service.pk + 100}/refer/").status_code == 404


def test_the_suggestions_send_in_one_click(client, world):
    from shubbak.referrals import views

    if not hasattr(views, "_suggestions"):
        pytest.skip("no suggestions")
    client.force_login(world.actors.officer)
    body = client.get(_refer_url(world)).content.decode()
    try:
        from shubbak.referrals import matching  # noqa: F401
    except ImportError:
        assert 'name="suggested"' not in body
        return
    assert f'name="suggested" value="offer:{world.offer.pk}"' in body
    response = client.post(_refer_url(world), {"suggested": f"offer:{world.offer.pk}", "shared_fields": list(Referral.DEFAULT_SHARED)})
    assert response.status_code == 302
    assert Referral.objects.get().offer == world.offer


# --- the case panel -------------------------------------------------------------------------------------------


def test_the_case_panel_lists_each_services_referrals_in_two_queries(world, rf, django_assert_num_queries):
    from django.template.loader import render_to_string

    send(world)
    case = world.case
    with django_assert_num_queries(2):
        html = render_to_string("referrals/_case_panel.html", {"case": case, "can_work": True})
    assert "مؤسسة فاتن للإقراض" in html and f"/referrals/{Referral.objects.get().pk}/" in html
    assert "/refer/" not in html  # an open referral: no second one
    services.referral_decline(actor=world.partner_staff, referral=Referral.objects.get(), reason="لا")
    html = render_to_string("referrals/_case_panel.html", {"case": case, "can_work": True})
    assert _refer_url(world) in html
    assert _refer_url(world) not in render_to_string("referrals/_case_panel.html", {"case": case, "can_work": False})


# --- the sender's list ----------------------------------------------------------------------------------------


def test_the_sent_list_shows_my_organisations_referrals_only(client, world):
    mine = send(world)
    client.force_login(world.actors.officer)
    body = client.get("/referrals/").content.decode()
    assert f"/referrals/{mine.pk}/" in body and "مؤسسة فاتن للإقراض" in body
    for user in (world.actors.outsider, world.other_staff):
        client.force_login(user)
        response = client.get("/referrals/")
        assert f"/referrals/{mine.pk}/" not in response.content.decode()


def test_the_sent_list_filters(client, world):
    waiting = send(world)
    Referral.objects.filter(pk=waiting.pk).update(respond_by=timezone.now() - datetime.timedelta(hours=1))
    client.force_login(world.actors.officer)
    assert f"/referrals/{waiting.pk}/" in client.get("/referrals/", {"waiting": "on"}).content.decode()
    assert f"/referrals/{waiting.pk}/" not in client.get("/referrals/", {"status": "accepted"}).content.decode()
    assert f"/referrals/{waiting.pk}/" not in client.get("/referrals/", {"partner": world.other_partner.pk}).content.decode()
    response = client.get("/referrals/", {"partner": world.partner.pk}, HTTP_HX_REQUEST="true")
    assert f"/referrals/{waiting.pk}/" in response.content.decode() and "<html" not in response.content.decode()


def test_partner_staff_land_on_their_portal(client, world):
    send(world)
    client.force_login(world.partner_staff)
    response = client.get("/referrals/")
    assert response.status_code == 302 and response["Location"] == "/referrals/received/"


def _many(world, count: int) -> None:
    from shubbak.helpdesk import services as helpdesk_services

    for i in range(count):
        case = helpdesk_services.case_create(
            actor=world.actors.officer, organisation=world.actors.organisation, data={"subject": f"طلب {i}"}, services=[world.service]
        )
        services.referral_send(
            actor=world.actors.officer,
            case_service=case.services.get(),
            kind="partner",
            offer=world.offer if i % 2 else world.quiet_offer,
            shared_fields=["age", "request"],
            note="",
        )


def test_the_lists_take_a_constant_number_of_queries(client, world, django_assert_num_queries):
    _many(world, 2)
    client.force_login(world.actors.officer)
    client.get("/referrals/")  # warm the session
    counts = {}
    for url in ("/referrals/", "/referrals/received/"):
        for user in (world.actors.officer, world.partner_staff):
            client.force_login(user)
            with CaptureQueriesContext(connection) as few:
                client.get(url)
            counts[(url, user.pk, 2)] = len(few.captured_queries)
    _many(world, 6)
    for url in ("/referrals/", "/referrals/received/"):
        for user in (world.actors.officer, world.partner_staff):
            client.force_login(user)
            with django_assert_num_queries(counts[(url, user.pk, 2)]):
                client.get(url)


# --- the partner portal ---------------------------------------------------------------------------------------


def test_the_portal_shows_the_shared_fields_only_and_only_referrals_sent_to_the_partner(client, world):
    referral = send(world, shared_fields=["age", "governorate"], note="اتصلوا بالمكتب")
    client.force_login(world.partner_staff)
    body = client.get("/referrals/received/").content.decode()
    assert f"#{referral.pk} · Small loans" in body and "Nablus" in body and "اتصلوا بالمكتب" in body
    for secret in ("هبة", "قرض لتوسيع المطبخ", referral.case.tracking_code, "0599", f"/cases/{world.case.pk}/"):
        assert secret not in body
    client.force_login(world.other_staff)
    assert f"#{referral.pk}" not in client.get("/referrals/received/").content.decode()
    client.force_login(world.partner_viewer)  # reads, does not answer
    body = client.get("/referrals/received/").content.decode()
    assert f"#{referral.pk} · Small loans" in body and f"/referrals/{referral.pk}/accept/" not in body


def test_the_partner_accepts_declines_and_reports_from_the_portal(client, world):
    referral = send(world)
    client.force_login(world.partner_staff)
    body = client.get("/referrals/received/").content.decode()
    assert f'action="/referrals/{referral.pk}/accept/"' in body and f'action="/referrals/{referral.pk}/decline/"' in body
    response = client.post(f"/referrals/{referral.pk}/accept/", {"next": "/referrals/received/"})
    assert response.status_code == 302 and response["Location"] == "/referrals/received/"
    client.post(f"/referrals/{referral.pk}/start/")
    response = client.post(f"/referrals/{referral.pk}/complete/", {"complete-text": ""})
    assert Referral.objects.get().status == Status.IN_PROGRESS  # the outcome is required
    client.post(f"/referrals/{referral.pk}/complete/", {"complete-text": "تم منح القرض"})
    assert Referral.objects.get().status == Status.COMPLETED


def test_answering_three_actors_on_the_receiving_side(world):
    referral = send(world)
    check_three_actors(actors=receiving_actors(world), url=f"/referrals/{referral.pk}/accept/", method="post", write=True)
    assert Referral.objects.get().status == Status.ACCEPTED


def test_the_sender_cannot_answer_for_the_partner_nor_the_partner_cancel(client, world):
    referral = send(world)
    client.force_login(world.actors.officer)
    assert client.post(f"/referrals/{referral.pk}/accept/").status_code == 403
    client.force_login(world.partner_staff)
    assert client.post(f"/referrals/{referral.pk}/cancel/").status_code == 403
    assert client.post(f"/referrals/{referral.pk}/delete/").status_code == 404
    assert Referral.objects.get().status == Status.SENT


def test_cancel_three_actors_on_the_sending_side(world):
    referral = send(world)
    check_three_actors(actors=world.actors, url=f"/referrals/{referral.pk}/cancel/", method="post", write=True, member=world.actors.officer)
    assert Referral.objects.get().status == Status.CANCELLED


def test_a_forbidden_move_from_a_page_says_why(client, world):
    referral = send(world)
    client.force_login(world.partner_staff)
    response = client.post(f"/referrals/{referral.pk}/start/", follow=True)
    assert escape("A referral that is «Sent» cannot be moved this way.") in response.content.decode()


# --- one referral ---------------------------------------------------------------------------------------------


def test_the_referral_page_three_actors_on_each_side(world):
    referral = send(world)
    body = check_three_actors(actors=world.actors, url=f"/referrals/{referral.pk}/", member=world.actors.officer).content.decode()
    assert world.case.tracking_code in body and 'id="history-heading"' in body and f"/cases/{world.case.pk}/" in body
    body = check_three_actors(actors=receiving_actors(world), url=f"/referrals/{referral.pk}/").content.decode()
    assert world.case.tracking_code not in body and "هبة" not in body and f"/cases/{world.case.pk}/" not in body
    assert 'id="history-heading"' not in body and "قرض لتوسيع المطبخ" in body  # the request, shared by default


def test_the_sender_sees_the_history_with_words(client, world):
    referral = send(world)
    services.referral_decline(actor=world.partner_staff, referral=referral, reason="لا نخدم الشابات دون 25")
    client.force_login(world.actors.officer)
    body = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Referred to مؤسسة فاتن للإقراض" in body and "مؤسسة فاتن للإقراض declined the referral" in body
    assert "لا نخدم الشابات دون 25" in body


def test_revoke_and_renew_the_link_from_the_referral_page(client, world):
    referral = send(world, kind="partner", offer=world.quiet_offer)
    old_key = referral.link_key
    for user, status in ((world.actors.viewer, 403), (world.actors.outsider, 404)):
        client.force_login(user)
        assert client.post(f"/referrals/{referral.pk}/link/revoke/").status_code == status
        assert client.post(f"/referrals/{referral.pk}/link/renew/").status_code == status
    client.force_login(world.actors.officer)
    assert client.post(f"/referrals/{referral.pk}/link/revoke/").status_code == 302
    referral.refresh_from_db()
    assert referral.link_revoked_at is not None
    response = client.post(f"/referrals/{referral.pk}/link/renew/")
    body = response.content.decode()
    referral.refresh_from_db()
    assert response.status_code == 200 and referral.link_revoked_at is None and referral.link_key != old_key
    assert "http://testserver/r/" in body and "suad@tadamon.example" in body
    actions = list(CaseEvent.objects.filter(kind="service").order_by("id").values_list("data__action", flat=True))
    assert actions == ["sent", "link_revoked", "link_renewed"]


# --- the report per partner -----------------------------------------------------------------------------------


def test_the_report_per_partner(client, world):
    first = send(world)
    Referral.objects.filter(pk=first.pk).update(sent_at=timezone.now() - datetime.timedelta(hours=5))  # sent 5 hours ago
    services.referral_accept(actor=world.partner_staff, referral=first)
    services.referral_complete(actor=world.partner_staff, referral=first, outcome_note="تم")
    _many(world, 3)  # quiet partner: 2, partner: 1
    Referral.objects.filter(offer=world.quiet_offer).update(respond_by=timezone.now() - datetime.timedelta(hours=1))
    client.force_login(world.actors.coordinator)
    response = client.get("/referrals/partners/")
    rows = {row["name"]: row for row in response.context["rows"]}
    assert set(rows) == {"مؤسسة فاتن للإقراض", "جمعية التضامن"}
    faten = rows["مؤسسة فاتن للإقراض"]
    assert (faten["sent"], faten["accepted"], faten["completed"], faten["declined"], faten["waiting"]) == (2, 1, 1, 0, 0)
    assert abs(faten["median_accept_hours"] - 5) < 0.5  # read from the histogram: within a tenth
    tadamon = rows["جمعية التضامن"]
    assert (tadamon["sent"], tadamon["accepted"], tadamon["waiting"], tadamon["median_accept"]) == (2, 0, 2, None)
    assert f"{faten['median_accept_hours']} h" in response.content.decode()


def test_the_report_is_for_coordinators_and_shows_only_their_referrals(client, world):
    send(world)
    for user, status in ((world.actors.viewer, 403), (world.actors.officer, 403), (world.partner_staff, 403)):
        client.force_login(user)
        assert client.get("/referrals/partners/").status_code == status
    client.force_login(world.actors.outsider)  # coordinates another organisation: none of ours
    assert client.get("/referrals/partners/").context["rows"] == []
    client.force_login(world.actors.manager)
    assert [r["sent"] for r in client.get("/referrals/partners/").context["rows"]] == [1]


def test_the_report_reads_two_small_queries_whatever_the_number_of_referrals(world, django_assert_num_queries):
    from shubbak.referrals import selectors

    _many(world, 4)
    selectors.partner_report(user=world.actors.coordinator)  # the user's access, cached
    with django_assert_num_queries(2):  # the running counts, and the referrals waiting too long
        rows = selectors.partner_report(user=world.actors.coordinator)
    assert sum(r["sent"] for r in rows) == 4
