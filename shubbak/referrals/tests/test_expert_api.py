"""/api/v1/experts/ and /api/v1/assignments/: the same rules as the pages; an expert's token sees only her own."""

# ruff: noqa: F401, F811 (fixtures are imported from expert_fixtures and named in the tests' arguments)

import pytest
from rest_framework.test import APIClient

from shubbak.audit.models import AuditEntry
from shubbak.referrals import experts as services
from shubbak.referrals.models import Assignment, Timesheet
from shubbak.testing.access import check_three_actors

from .expert_fixtures import (  # pytest fixtures, used by name in the tests' arguments
    assignment,
    business_plan,
    days_ago,
    expert_data,
    make_referral,
    referral,
    salma,
    salma_user,
)

pytestmark = pytest.mark.django_db


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _body(expert_data, **extra):
    body = {k: v for k, v in expert_data.items() if k not in {"specialisations", "daily_rate"}}
    return (
        body | {"specialisations": [s.pk for s in expert_data["specialisations"]], "daily_rate": "150.00", "organisation": "nablus"} | extra
    )


def test_roster_list_search_and_filters(actors, salma, business_plan):
    client = _client(actors.viewer)
    for params in ({}, {"search": "سلمي"}, {"service": business_plan.pk}, {"governorate": "PS-JEN"}, {"language": "en"}):
        assert [e["id"] for e in client.get("/api/v1/experts/", params).json()["results"]] == [salma.pk], params
    assert client.get("/api/v1/experts/", {"service": "abc"}).json()["results"] == []
    assert client.get("/api/v1/experts/", {"vetting": "pending"}).json()["results"] == []
    assert _client(actors.outsider).get("/api/v1/experts/").json()["results"] == []


def test_expert_detail_and_update_three_actors(actors, salma, business_plan):
    url = f"/api/v1/experts/{salma.pk}/"
    body = check_three_actors(actors=actors, url=url, api=True).json()
    assert (body["phone"], body["languages"], body["specialisations"], body["vetting"], body["organisation"]) == (
        "+970599555123",
        ["ar", "en"],
        [business_plan.pk],
        "vetted",
        "nablus",
    )
    response = check_three_actors(actors=actors, url=url, method="patch", data={"availability": "busy"}, write=True, api=True)
    assert response.json()["availability"] == "busy"
    assert AuditEntry.objects.filter(target_type__model="expert", action="update", source="api").count() == 1


def test_creating_an_expert(actors, expert_data):
    response = _client(actors.viewer).post("/api/v1/experts/", _body(expert_data), format="json")
    assert response.status_code == 403
    response = _client(actors.coordinator).post("/api/v1/experts/", _body(expert_data, phone="abc"), format="json")
    assert (response.status_code, list(response.json())) == (400, ["phone"])
    response = _client(actors.coordinator).post("/api/v1/experts/", _body(expert_data, languages=["ar"]), format="json")
    assert response.status_code == 201
    assert (response.json()["languages"], response.json()["vetting"], response.json()["assignment_count"]) == (["ar"], "pending", 0)
    response = _client(actors.outsider).post("/api/v1/experts/", _body(expert_data), format="json")
    assert response.status_code == 400  # an organisation the outsider cannot see is not a choice


def test_vetting_through_the_api_three_actors(actors, expert_data):
    expert = services.expert_save(actor=actors.admin, organisation=actors.organisation, data=expert_data)
    url = f"/api/v1/experts/{expert.pk}/vet/"
    response = check_three_actors(actors=actors, url=url, method="post", data={"vetting": "vetted"}, write=True, api=True)
    assert response.json()["vetting"] == "vetted"
    response = _client(actors.admin).post(url, {"vetting": "rejected"}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["note"])


# --- assignments -----------------------------------------------------------------------------------------------


def test_assignments_for_staff_and_for_the_expert_herself(actors, assignment, salma_user, expert_data, business_plan):
    assert [a["id"] for a in _client(actors.viewer).get("/api/v1/assignments/").json()["results"]] == [assignment.pk]
    assert _client(actors.outsider).get("/api/v1/assignments/").json()["results"] == []
    other = services.expert_save(actor=actors.admin, organisation=actors.organisation, data=expert_data | {"email": "o@x.test"})
    services.expert_vet(actor=actors.admin, expert=other, vetting="vetted")
    other_user = services.expert_invite(actor=actors.admin, expert=other)
    others = services.assignment_create(
        actor=actors.admin, referral=make_referral(actors, other, business_plan), scope="y", expected_days=1
    )
    mine = _client(salma_user).get("/api/v1/assignments/").json()["results"]
    assert [a["id"] for a in mine] == [assignment.pk]
    assert mine[0]["shared"]["governorate"] == "PS-NBS"
    assert _client(salma_user).get(f"/api/v1/assignments/{others.pk}/").status_code == 404
    assert _client(other_user).get(f"/api/v1/assignments/{assignment.pk}/").status_code == 404


def test_assignment_detail_three_actors(actors, assignment):
    body = check_three_actors(actors=actors, url=f"/api/v1/assignments/{assignment.pk}/", api=True).json()
    assert (body["expected_days"], body["fee"], body["currency"], body["status"]) == ("3.0", "450.00", "USD", "open")


def test_creating_an_assignment_from_a_referral(actors, referral):
    body = {"referral": referral.pk, "scope": "خطة عمل", "expected_days": "2"}
    assert _client(actors.outsider).post("/api/v1/assignments/", body, format="json").status_code == 404
    assert _client(actors.viewer).post("/api/v1/assignments/", body, format="json").status_code == 403
    assert _client(actors.admin).post("/api/v1/assignments/", body | {"referral": 999999}, format="json").status_code == 404
    response = _client(actors.admin).post("/api/v1/assignments/", body, format="json")
    assert (response.status_code, response.json()["fee"]) == (201, "300.00")
    response = _client(actors.admin).post("/api/v1/assignments/", body, format="json")
    assert response.status_code == 400
    assert Assignment.objects.count() == 1


def test_timesheets_by_the_expert_and_approval_by_the_coordinator(actors, assignment, salma_user):
    expert = _client(salma_user)
    url = f"/api/v1/assignments/{assignment.pk}/timesheets/"
    response = expert.post(url, {"date": days_ago(-1).isoformat(), "days": "1", "work": "x"}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert (response.status_code, list(response.json())) == (400, ["date"])
    for ago in (3, 2, 1):
        assert expert.post(url, {"date": days_ago(ago).isoformat(), "days": "1", "work": "x"}, format="json").status_code == 201
    over = {"date": days_ago(0).isoformat(), "days": "0.5", "work": "مراجعة"}
    assert expert.post(url, over, format="json").status_code == 400
    response = expert.post(url, over | {"confirm_over": True}, format="json")
    assert (response.status_code, response.json()["days"]) == (201, "0.5")
    assert [t["days"] for t in expert.get(url).json()] == ["0.5", "1", "1", "1"]
    approve = f"/api/v1/assignments/{assignment.pk}/approve/"
    assert expert.post(approve, {}, format="json").status_code == 403
    assert _client(actors.viewer).post(approve, {}, format="json").status_code == 403
    first = Timesheet.objects.order_by("date").first()
    assert _client(actors.coordinator).post(approve, {"timesheets": [first.pk]}, format="json").json() == {"approved": 1}
    assert _client(actors.coordinator).post(approve, {}, format="json").json() == {"approved": 3}
    assert _client(actors.coordinator).post(approve, {"timesheets": [987654]}, format="json").status_code == 400


def test_closing_through_the_api_three_actors(actors, assignment):
    url = f"/api/v1/assignments/{assignment.pk}/close/"
    response = check_three_actors(actors=actors, url=url, method="post", data={"rating": 5, "note": "ممتاز"}, write=True, api=True)
    assert (response.json()["status"], response.json()["rating"]) == ("closed", 5)
