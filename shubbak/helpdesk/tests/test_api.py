"""The staff API of the helpdesk: the catalogue, the case queue with its filters, and the workflow as explicit actions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from shubbak.audit.models import AuditEntry
from shubbak.helpdesk import services
from shubbak.helpdesk.models import Case, CaseEvent, Service
from shubbak.testing.access import check_three_actors
from shubbak.testing.factories import ServiceCategoryFactory, ServiceFactory

pytestmark = pytest.mark.django_db
Status = Case.Status
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def catalogue(actors):
    category = ServiceCategoryFactory(network=actors.organisation.network, name_ar="الخدمات الإدارية", name_en="Administrative")
    return {
        "registration": ServiceFactory(category=category, code="business-registration", first_response_days=1, resolution_days=15),
        "trademark": ServiceFactory(category=category, code="trademark-registration", first_response_days=2, resolution_days=30),
        "elsewhere": ServiceFactory(
            code="elsewhere", name_ar="خدمة شبكة أخرى", category=ServiceCategoryFactory(network=actors.other_organisation.network)
        ),
    }


def new_case(actors, catalogue, **data) -> Case:
    data = {"subject": "تسجيل مشغل خياطة", "channel": Case.Channel.WALK_IN, "contact_name": "سناء عودة", **data}
    return services.case_create(actor=actors.officer, organisation=actors.organisation, data=data, services=[catalogue["registration"]])


@pytest.fixture
def case(actors, catalogue) -> Case:
    return new_case(actors, catalogue)


@pytest.fixture
def client_records(actors):
    """The person the case is about and her enterprise, registered in the registry."""
    from shubbak.registry import services as registry

    person = registry.person_create(
        actor=actors.officer,
        organisation=actors.organisation,
        data={"first_name": "سناء", "family_name": "عودة", "gender": "female", "phone": "0599123456", "governorate": "PS-NBS"},
    )
    enterprise = registry.enterprise_create(
        actor=actors.officer,
        organisation=actors.organisation,
        data={"name_ar": "مشغل سناء للخياطة", "legal_form": "home_based", "governorate": "PS-NBS", "women_full_time": 2},
    )
    return person, enterprise


# --- the catalogue ---------------------------------------------------------------------------------------------


def test_members_list_their_networks_catalogue_only(actors, catalogue):
    codes = [s["code"] for s in _client(actors.viewer).get("/api/v1/services/").json()["results"]]
    assert sorted(codes) == ["business-registration", "trademark-registration"]
    assert [s["code"] for s in _client(actors.outsider).get("/api/v1/services/").json()["results"]] == ["elsewhere"]
    body = check_three_actors(actors=actors, url=f"/api/v1/services/{catalogue['trademark'].pk}/", api=True).json()
    assert (body["network"], body["category_name"], body["deliveries"], body["resolution_days"]) == (
        actors.organisation.network.slug,
        "الخدمات الإدارية",
        ["in_house"],
        30,
    )


def test_the_catalogue_filters_retired_services_and_lists_its_categories(actors, catalogue):
    catalogue["trademark"].is_active = False
    catalogue["trademark"].save(update_fields=["is_active"])
    client = _client(actors.officer)
    assert [s["code"] for s in client.get("/api/v1/services/", {"active": "true"}).json()["results"]] == ["business-registration"]
    assert len(client.get("/api/v1/services/").json()["results"]) == 2
    assert [c["name_en"] for c in client.get("/api/v1/services/categories/").json()] == ["Administrative"]


def _service_body(actors, catalogue, **extra) -> dict:
    body = {
        "network": actors.organisation.network.slug,
        "category": catalogue["registration"].category_id,
        "code": "export-readiness",
        "name_ar": "تقييم الجاهزية للتصدير",
        "name_en": "Export readiness",
        "by_expert": True,
        "in_house": False,
        "required_documents": "شهادة تسجيل المنشأة\nشهادات الجودة",
        "first_response_days": 3,
        "resolution_days": 20,
    }
    return {**body, **extra}


def test_network_managers_add_services_and_members_are_refused(actors, catalogue):
    body = _service_body(actors, catalogue)
    assert _client(actors.admin).post("/api/v1/services/", body, format="json").status_code == 403  # not a network manager
    assert _client(actors.viewer).post("/api/v1/services/", body, format="json").status_code == 403
    foreign = _client(actors.outsider).post("/api/v1/services/", body, format="json", **EN)
    assert (foreign.status_code, foreign.json()["network"]) == (400, ["Object with slug=" + body["network"] + " does not exist."])
    response = _client(actors.manager).post("/api/v1/services/", body, format="json")
    assert response.status_code == 201
    created = Service.objects.get(code="export-readiness")
    assert (response.json()["id"], response.json()["documents"], created.deliveries) == (
        created.pk,
        ["شهادة تسجيل المنشأة", "شهادات الجودة"],
        ["expert"],
    )
    assert AuditEntry.objects.filter(action="create", target_id=str(created.pk), source="api").count() == 1


def test_the_services_rules_answer_400_with_their_messages(actors, catalogue):
    client = _client(actors.manager)
    taken = client.post("/api/v1/services/", _service_body(actors, catalogue, code="trademark-registration"), format="json", **EN)
    assert taken.status_code == 400
    # a model constraint's message: under "__all__" as shubbak.api.service_call passes it on (non_field_errors if renamed)
    assert list(taken.json().values()) == [["Another service of this network has this code."]]
    nowhere = client.post("/api/v1/services/", _service_body(actors, catalogue, by_expert=False), format="json", **EN)
    assert nowhere.json() == {"in_house": ["Say at least one way this service is delivered."]}
    foreign = _service_body(actors, catalogue, category=catalogue["elsewhere"].category_id)
    assert "category" in client.post("/api/v1/services/", foreign, format="json").json()


def test_a_service_is_changed_by_its_network_managers_only(actors, catalogue):
    url = f"/api/v1/services/{catalogue['trademark'].pk}/"
    response = check_three_actors(
        actors=actors, url=url, method="patch", data={"resolution_days": 25}, write=True, member=actors.manager, api=True
    )
    assert response.json()["resolution_days"] == 25
    assert _client(actors.admin).patch(url, {"resolution_days": 20}, format="json").status_code == 403
    catalogue["trademark"].refresh_from_db()
    assert catalogue["trademark"].resolution_days == 25
    entry = AuditEntry.objects.get(action="update", target_id=str(catalogue["trademark"].pk))
    assert entry.changes == {"resolution_days": [30, 25]}


# --- the queue -------------------------------------------------------------------------------------------------


def test_the_queue_lists_the_organisations_cases_with_its_filters(actors, catalogue, case):
    urgent = new_case(actors, catalogue, subject="علامة تجارية للصابون", priority="urgent", channel="phone")
    services.case_assign(actor=actors.coordinator, case=urgent, assignee=actors.officer)
    client = _client(actors.viewer)

    def ids(**params):
        response = client.get("/api/v1/cases/", params)
        assert response.status_code == 200, response.json()
        return [c["id"] for c in response.json()["results"]]

    assert ids() == [urgent.pk, case.pk]
    assert ids(priority="urgent") == ids(channel="phone") == ids(status="assigned") == [urgent.pk]
    assert ids(assigned_to="none") == [case.pk]
    assert ids(assigned_to=str(actors.officer.pk)) == [urgent.pk]
    assert ids(q="صابون") == ids(q=urgent.tracking_code.lower()) == [urgent.pk]
    assert ids(service=catalogue["registration"].pk, view="all") == [urgent.pk, case.pk]
    assert ids(organisation="elsewhere") == [] and ids(organisation="nablus") == [urgent.pk, case.pk]
    assert ids(view="closed") == []
    row = client.get("/api/v1/cases/").json()["results"][0]
    assert (row["tracking_code"], row["organisation"], row["assigned_to_name"], row["overdue"]) == (
        urgent.tracking_code,
        "nablus",
        actors.officer.full_name,
        False,
    )
    assert _client(actors.officer).get("/api/v1/cases/", {"view": "mine"}).json()["count"] == 1
    assert _client(actors.outsider).get("/api/v1/cases/").json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
        "count_capped": False,
    }


def test_an_unknown_filter_value_is_a_400(actors, case):
    response = _client(actors.officer).get("/api/v1/cases/", {"status": "lost", "view": "everything"}, **EN)
    assert response.status_code == 400
    assert set(response.json()) == {"status", "view"}


def test_the_queue_makes_the_same_number_of_queries_for_any_number_of_cases(actors, catalogue):
    client = _client(actors.officer)
    new_case(actors, catalogue)
    client.get("/api/v1/cases/")
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/cases/")
    for n in range(6):
        services.case_assign(actor=actors.coordinator, case=new_case(actors, catalogue, subject=f"طلب {n}"), assignee=actors.officer)
    with CaptureQueriesContext(connection) as seven:
        response = client.get("/api/v1/cases/")
    assert response.json()["count"] == 7
    assert len(seven) == len(one)


# --- one case --------------------------------------------------------------------------------------------------


def test_a_case_is_read_with_its_services_by_members_only(actors, case):
    body = check_three_actors(actors=actors, url=f"/api/v1/cases/{case.pk}/", api=True).json()
    assert [s["code"] for s in body["services"]] == ["business-registration"]
    assert (body["status"], body["contact_name"], body["allowed_actions"]) == ("new", "سناء عودة", ["triage", "assign", "resolve"])


def test_staff_open_a_case_and_a_resent_request_returns_the_same_case(actors, catalogue):
    body = {
        "organisation": "nablus",
        "services": [catalogue["registration"].pk, catalogue["trademark"].pk],
        "subject": "تسجيل علامة لمشغل الخياطة",
        "channel": "field_visit",
        "contact_name": "هبة شاهين",
        "contact_phone": "٠٥٩٩٨٨٧٧٦٦",
        "desk": actors.desk.pk,
    }
    client = _client(actors.officer)
    first = client.post("/api/v1/cases/", body, format="json", HTTP_IDEMPOTENCY_KEY="tablet-7-0001")
    assert first.status_code == 201, first.json()
    created = Case.objects.get()
    assert (created.channel, created.contact_phone, created.desk, created.created_by) == (
        "field_visit",
        "+970599887766",
        actors.desk,
        actors.officer,
    )
    assert [s["code"] for s in first.json()["services"]] == ["business-registration", "trademark-registration"]
    again = client.post("/api/v1/cases/", body, format="json", HTTP_IDEMPOTENCY_KEY="tablet-7-0001")
    assert (again.status_code, again.json()["id"], Case.objects.count()) == (200, created.pk, 1)
    assert list(created.events.values_list("kind", flat=True)) == [CaseEvent.Kind.CREATED]


def test_opening_a_case_is_refused_to_viewers_outsiders_and_without_services(actors, catalogue):
    body = {"organisation": "nablus", "services": [catalogue["registration"].pk], "subject": "طلب"}
    assert _client(actors.viewer).post("/api/v1/cases/", body, format="json").status_code == 403
    foreign = _client(actors.outsider).post("/api/v1/cases/", body, format="json", **EN)
    assert foreign.status_code == 400 and "organisation" in foreign.json()
    empty = _client(actors.officer).post("/api/v1/cases/", {**body, "services": []}, format="json", **EN)
    assert (empty.status_code, list(empty.json())) == (400, ["services"])
    other = _client(actors.officer).post("/api/v1/cases/", {**body, "services": [catalogue["elsewhere"].pk]}, format="json", **EN)
    assert other.status_code == 400 and "services" in other.json()
    assert Case.objects.count() == 0


# --- the workflow ----------------------------------------------------------------------------------------------


def test_a_case_goes_through_the_whole_workflow_by_explicit_actions(actors, catalogue, case, client_records):
    person, enterprise = client_records
    officer, coordinator = _client(actors.officer), _client(actors.coordinator)
    url = f"/api/v1/cases/{case.pk}"

    def post(client, name, body=None, expected=200):
        response = client.post(f"{url}/{name}/", body or {}, format="json")
        assert response.status_code == expected, (name, response.json())
        return response.json()

    assert post(officer, "triage", {"priority": "high", "person": person.pk, "enterprise": enterprise.pk})["status"] == "triaged"
    assert post(coordinator, "assign", {"assigned_to": actors.officer.pk})["assigned_to"] == actors.officer.pk
    assert post(officer, "start")["status"] == "in_progress"
    session = post(officer, "sessions", {"date": "2026-01-05", "minutes": 45, "mode": "in_person", "topic": "متطلبات التسجيل"}, 201)
    assert (session["staff"], session["staff_name"], session["minutes"]) == (actors.officer.pk, actors.officer.full_name, 45)
    message = post(officer, "messages", {"text": "نرجو إحضار عقد الإيجار."}, 201)
    assert message["kind"] == "message_out"
    waiting = post(officer, "wait", {"text": "بانتظار عقد الإيجار"})
    assert (waiting["status"], waiting["paused_at"] is not None) == ("waiting", True)
    assert post(officer, "resume")["status"] == "in_progress"
    assert post(officer, "notes", {"text": "العميلة تحتاج أيضاً إلى قرض صغير."}, 201)["kind"] == "note"
    outcome = {
        "outcome": "served",
        "business_registered": True,
        "jobs_women": 2,
        "financing_amount": "5000.00",
        "financing_currency": "ILS",
    }
    resolved = post(officer, "resolve", outcome)
    assert (resolved["status"], resolved["jobs_women"], resolved["financing_amount"], resolved["services"][0]["status"]) == (
        "resolved",
        2,
        "5000.00",
        "delivered",
    )
    closed = post(officer, "close")
    assert (closed["status"], case.follow_ups.count()) == ("closed", 2)
    reopened = post(officer, "reopen", {"reason": "لم يصل السجل التجاري بعد"})
    assert reopened["status"] == "in_progress"

    kinds = [e["kind"] for e in officer.get(f"{url}/timeline/").json()]
    assert kinds[0] == "status" and kinds[-1] == "created"
    assert {"assigned", "session", "message_out", "note", "outcome"} <= set(kinds)
    assert [n["text"] for n in _client(actors.viewer).get(f"{url}/notes/").json()] == ["العميلة تحتاج أيضاً إلى قرض صغير."]
    assert [m["text"] for m in officer.get(f"{url}/messages/").json()] == ["نرجو إحضار عقد الإيجار."]
    assert [s["topic"] for s in officer.get(f"{url}/sessions/").json()] == ["متطلبات التسجيل"]
    assert len(officer.get(f"{url}/timeline/", {"limit": 2}).json()) == 2
    assert AuditEntry.objects.filter(target_id=str(case.pk), target_type__model="case", source="api").count() >= 8


def test_a_move_the_workflow_forbids_is_a_400_that_says_why(actors, case):
    client = _client(actors.officer)
    response = client.post(f"/api/v1/cases/{case.pk}/close/", {}, format="json", **EN)
    assert (response.status_code, response.json()) == (400, {"non_field_errors": ["A case that is «New» cannot be moved this way."]})
    response = client.post(f"/api/v1/cases/{case.pk}/start/", {}, format="json", **EN)
    assert response.json() == {"non_field_errors": ["Assign the case before starting work on it."]}
    response = client.post(f"/api/v1/cases/{case.pk}/resolve/", {"outcome": "served", "financing_amount": "100"}, format="json", **EN)
    assert response.json() == {"financing_currency": ["Say the currency of the financing."]}
    assert client.post(f"/api/v1/cases/{case.pk}/reopen/", {}, format="json").status_code == 400  # a reason is required
    case.refresh_from_db()
    assert case.status == Status.NEW


def test_an_officer_takes_a_case_herself_but_gives_none_to_others(actors, case):
    response = _client(actors.officer).post(f"/api/v1/cases/{case.pk}/assign/", {"assigned_to": actors.coordinator.pk}, format="json")
    assert response.status_code == 403
    response = _client(actors.officer).post(f"/api/v1/cases/{case.pk}/assign/", {"assigned_to": actors.officer.pk}, format="json")
    assert (response.status_code, response.json()["status"]) == (200, "assigned")
    stranger = _client(actors.coordinator).post(f"/api/v1/cases/{case.pk}/assign/", {"assigned_to": actors.outsider.pk}, format="json")
    assert stranger.status_code == 400 and "assigned_to" in stranger.json()


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("assign", {"assigned_to": 1}),
        ("triage", {"priority": "high"}),
        ("start", {}),
        ("wait", {}),
        ("resume", {}),
        ("resolve", {"outcome": "served"}),
        ("close", {}),
        ("reopen", {"reason": "سبب"}),
        ("notes", {"text": "ملاحظة"}),
        ("messages", {"text": "رسالة"}),
        ("sessions", {"minutes": 30, "topic": "جلسة"}),
    ],
)
def test_every_write_is_a_404_for_outsiders_and_a_403_for_viewers(actors, case, name, body):
    url = f"/api/v1/cases/{case.pk}/{name}/"
    assert _client(actors.outsider).post(url, body, format="json").status_code == 404
    assert _client(actors.viewer).post(url, body, format="json").status_code == 403
    assert Case.objects.get(pk=case.pk).status == Status.NEW
    assert CaseEvent.objects.filter(case=case).count() == 1


@pytest.mark.parametrize("name", ["timeline", "notes", "messages", "sessions"])
def test_the_case_readings_follow_the_same_tenancy(actors, case, name):
    check_three_actors(actors=actors, url=f"/api/v1/cases/{case.pk}/{name}/", api=True)


def test_an_id_that_is_not_a_number_is_a_404(actors, case):
    client = _client(actors.officer)
    assert client.get("/api/v1/cases/abc/").status_code == 404
    assert client.post("/api/v1/cases/abc/start/", {}, format="json").status_code == 404
    assert client.get("/api/v1/services/abc/").status_code == 404
