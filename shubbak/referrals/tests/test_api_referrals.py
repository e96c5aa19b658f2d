"""/api/v1/referrals/: senders see theirs whole, partner staff tokens only what was sent to them, shared fields only."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from shubbak.helpdesk.models import CaseService
from shubbak.referrals.models import Referral
from shubbak.testing.access import check_three_actors

from .referral_data import build_world, give_consent, send
from .test_referral_views import receiving_actors

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
Status = Referral.Status
RECEIVER_KEYS = {
    "id", "kind", "status", "service", "service_name", "from_organisation", "to_organisation", "expert_name", "shared", "note",
    "sent_at", "respond_by", "accepted_at", "declined_at", "started_at", "finished_at", "decline_reason", "outcome_note",
}  # fmt: skip


@pytest.fixture
def world(actors):
    return build_world(actors)


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_senders_list_their_referrals_whole(world):
    referral = send(world)
    (row,) = _client(world.actors.officer).get("/api/v1/referrals/").json()["results"]
    assert row["id"] == referral.pk and row["case"] == world.case.pk and row["case_service"] == world.case_service.pk
    assert (row["to_organisation"], row["from_organisation"], row["service"]) == ("faten", world.actors.organisation.slug, "small-loans")
    assert row["shared_fields"] == ["gender", "age", "governorate", "request"]
    assert _client(world.actors.outsider).get("/api/v1/referrals/").json()["results"] == []


def test_a_partner_staff_token_sees_only_referrals_sent_to_its_organisation_and_only_what_was_shared(world):
    mine = send(world)
    client = _token_client(world.partner_staff)
    (row,) = client.get("/api/v1/referrals/").json()["results"]
    assert set(row) == RECEIVER_KEYS
    assert row["id"] == mine.pk and row["shared"] == mine.shared and row["note"] == "تحتاج قرضاً صغيراً"
    assert "هبة" not in str(row) and world.case.code not in str(row)
    assert client.get("/api/v1/referrals/", {"side": "sent"}).json()["results"] == []
    assert _token_client(world.other_staff).get("/api/v1/referrals/").json()["results"] == []
    assert _token_client(world.other_staff).get(f"/api/v1/referrals/{mine.pk}/").status_code == 404


def test_retrieve_three_actors_on_each_side(world):
    referral = send(world)
    body = check_three_actors(actors=world.actors, url=f"/api/v1/referrals/{referral.pk}/", api=True).json()
    assert body["case"] == world.case.pk
    body = check_three_actors(actors=receiving_actors(world), url=f"/api/v1/referrals/{referral.pk}/", api=True).json()
    assert set(body) == RECEIVER_KEYS
    assert _client(world.actors.officer).get("/api/v1/referrals/abc/").status_code == 404


def test_sending_through_the_api(world):
    body = {"case_service": world.case_service.pk, "kind": "partner", "offer": world.offer.pk, "shared_fields": ["age"], "note": "عاجل"}
    assert _client(world.actors.viewer).post("/api/v1/referrals/", body, format="json").status_code == 403
    assert _client(world.partner_staff).post("/api/v1/referrals/", body, format="json").status_code == 400  # not its case
    response = _client(world.actors.officer).post("/api/v1/referrals/", body, format="json")
    assert response.status_code == 201
    referral = Referral.objects.get()
    assert response.json()["id"] == referral.pk and referral.shared == {"age": 24} and referral.offer == world.offer
    assert CaseService.objects.get().status == "in_progress"


def test_identity_without_consent_is_a_400_saying_so(world):
    body = {"case_service": world.case_service.pk, "kind": "partner", "to_organisation": "faten", "shared_fields": ["name"]}
    response = _client(world.actors.officer).post("/api/v1/referrals/", body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "has not agreed to share her identity" in response.json()["shared_fields"][0]
    give_consent(world)
    response = _client(world.actors.officer).post("/api/v1/referrals/", body, format="json")
    assert response.status_code == 201 and response.json()["shared"] == {"name": "هبة النجار"}


def test_another_organisations_case_service_or_receiver_is_not_found(world):
    client = _client(world.actors.outsider)
    body = {"case_service": world.case_service.pk, "kind": "partner", "to_organisation": "faten", "shared_fields": ["age"]}
    response = client.post("/api/v1/referrals/", body, format="json")
    assert response.status_code == 400 and "case_service" in response.json() and "to_organisation" in response.json()
    assert Referral.objects.count() == 0


def test_answering_through_the_api(world):
    referral = send(world)
    partner = _token_client(world.partner_staff)
    url = f"/api/v1/referrals/{referral.pk}"
    response = partner.post(f"{url}/decline/", {"text": ""}, format="json")
    assert response.status_code == 400 and "text" in response.json()
    assert partner.post(f"{url}/start/", {}, format="json").status_code == 400  # not accepted yet
    response = partner.post(f"{url}/accept/", {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "accepted" and set(response.json()) == RECEIVER_KEYS
    assert partner.post(f"{url}/cancel/", {}, format="json").status_code == 403
    assert _client(world.actors.officer).post(f"{url}/complete/", {"text": "x"}, format="json").status_code == 403
    assert _token_client(world.other_staff).post(f"{url}/accept/", {}, format="json").status_code == 404
    assert _client(world.partner_viewer).post(f"{url}/start/", {}, format="json").status_code == 403
    response = partner.post(f"{url}/complete/", {"text": "قرض بقيمة 2000 دولار"}, format="json")
    assert response.json()["status"] == "completed" and response.json()["outcome_note"] == "قرض بقيمة 2000 دولار"
    assert CaseService.objects.get().status == "delivered"


def test_no_show_and_cancel_actions(world):
    referral = send(world)
    officer = _client(world.actors.officer)
    assert officer.post(f"/api/v1/referrals/{referral.pk}/cancel/", {"text": "وجدت عملاً"}, format="json").json()["status"] == "cancelled"
    second = send(world)
    partner = _client(world.partner_staff)
    partner.post(f"/api/v1/referrals/{second.pk}/accept/", {}, format="json")
    assert partner.post(f"/api/v1/referrals/{second.pk}/no_show/", {}, format="json").json()["status"] == "no_show"


def test_the_list_takes_a_constant_number_of_queries(world, django_assert_num_queries):
    send(world)
    client = _client(world.actors.officer)
    client.get("/api/v1/referrals/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/referrals/")
    referral = Referral.objects.get()
    Referral.objects.filter(pk=referral.pk).update(status=Status.DECLINED)
    send(world, kind="partner", to_organisation=world.other_partner)
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(client.get("/api/v1/referrals/").json()["results"]) == 2
