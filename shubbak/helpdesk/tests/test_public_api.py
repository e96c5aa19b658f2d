"""The public API: a request with an idempotency key, tracking with code and phone, the catalogue; throttled."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from shubbak.helpdesk import intake, services
from shubbak.helpdesk.models import Case
from shubbak.registry.models import Person
from shubbak.testing.factories import DeskFactory, ServiceCategoryFactory, ServiceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    intake.forget_catalogues()  # each test has its own organisations under the same short names
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    client = APIClient()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def catalogue(actors):
    category = ServiceCategoryFactory(network=actors.organisation.network, name_ar="التسجيل", name_en="Registration")
    return {
        "registration": ServiceFactory(
            category=category, code="registration", name_en="Business registration", required_documents="صورة الهوية\nعقد الإيجار"
        ),
        "plan": ServiceFactory(category=category, code="plan", name_en="Business plan"),
        "internal": ServiceFactory(category=category, code="internal", is_public=False),
    }


def body(**changes):
    data = {
        "organisation": "nablus",
        "services": ["registration", "plan"],
        "first_name": "سماح",
        "father_name": "خليل",
        "family_name": "الجعبري",
        "gender": "female",
        "phone": "0599222333",
        "governorate": "PS-HBN",
        "subject": "تسجيل مشغل خياطة",
        "description": "سطر أول\nسطر ثان",
        "heard_from": "friend",
        "consents": ["data", "contact"],
    }
    data.update(changes)
    return data


def send(api, data, key="3a9c5e52-8d7f-4d0b-9a47-0c0a8f0b7e11"):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return api.post("/api/v1/public/requests/", data, format="json", **headers)


def test_a_request_is_created_then_a_resend_returns_it(api, actors, catalogue):
    first = send(api, body())
    assert first.status_code == 201
    case = Case.objects.get()
    assert first.json() == {
        "code": case.tracking_code,
        "organisation": "nablus",
        "organisation_name": actors.organisation.name,
        "subject": "تسجيل مشغل خياطة",
        "status": "new",
        "status_display": "New",
        "status_text": "Received. The desk will look at it soon.",
        "created_at": first.json()["created_at"],
    }
    assert (case.channel, case.description, case.person.phone) == ("api", "سطر أول\nسطر ثان", "+970599222333")
    again = send(api, body(subject="changed"))
    assert again.status_code == 200
    assert again.json()["code"] == case.tracking_code
    assert (Case.objects.count(), Person.objects.count()) == (1, 1)


def test_the_idempotency_key_is_required(api, actors, catalogue):
    response = send(api, body(), key=None)
    assert response.status_code == 400
    assert list(response.json()) == ["idempotency_key"]
    assert Case.objects.count() == 0


def test_invalid_fields_are_named_with_their_messages(api, actors, catalogue):
    response = send(api, body(first_name="", gender="x", consents=[], services=[]))
    assert response.status_code == 400
    assert response.json() == {
        "services": ["Choose at least one service."],
        "first_name": ["Write your first name."],
        "gender": ['"x" is not a valid choice.'],
    }


def test_service_rules_come_back_as_field_messages(api, actors, catalogue):
    response = send(api, body(phone="12ab", consents=["contact"]))
    assert response.status_code == 400
    assert response.json() == {
        "phone": ["«12ab» is not a phone number we can read. Write it with its digits, e.g. 0599123456 or +970599123456."],
        "consents": ["We can take your request only if you agree that we keep and use your data to serve you."],
    }


def test_unknown_and_internal_services_are_refused(api, actors, catalogue):
    response = send(api, body(services=["registration", "internal", "nothing"]))
    assert response.status_code == 400
    assert response.json() == {"services": ["Unknown services: internal, nothing."]}


def test_an_unknown_organisation_is_not_found(api, actors, catalogue):
    assert send(api, body(organisation="nowhere")).status_code == 404


def test_a_desk_of_another_organisation_is_refused(api, actors, catalogue):
    response = send(api, body(desk=DeskFactory(organisation=actors.other_organisation).pk))
    assert response.status_code == 400
    assert list(response.json()) == ["desk"]


def test_requests_are_throttled_per_address(api, actors, catalogue, settings):
    settings.PUBLIC_REQUEST_RATE = "2/h"
    assert [send(api, body(), key=f"key-{n}").status_code for n in range(3)] == [201, 201, 429]
    assert Case.objects.count() == 2


def test_tracking_gives_status_services_and_the_client_timeline(api, actors, catalogue):
    send(api, body())
    case = Case.objects.get()
    services.note_add(actor=actors.officer, case=case, text="داخلي")
    services.message_send(actor=actors.officer, case=case, text="أحضري الهوية")
    response = api.post("/api/v1/public/track/", {"code": case.code.lower(), "phone": "+970 599 222 333"}, format="json")
    assert response.status_code == 200
    data = response.json()
    assert (data["code"], data["status"], data["can_rate"]) == (case.tracking_code, "new", False)
    assert [(s["code"], s["status"]) for s in data["services"]] == [("registration", "requested"), ("plan", "requested")]
    assert [(e["kind"], e["title"], e["text"]) for e in data["timeline"]] == [
        ("created", "We received your request", ""),
        ("message_out", "Message from the desk", "أحضري الهوية"),
    ]


def test_a_wrong_code_or_phone_is_one_404(api, actors, catalogue):
    send(api, body())
    case = Case.objects.get()
    by_code = api.post("/api/v1/public/track/", {"code": "ABCD-EFGH-JKMN", "phone": "0599222333"}, format="json")
    by_phone = api.post("/api/v1/public/track/", {"code": case.code, "phone": "0599000000"}, format="json")
    assert (by_code.status_code, by_phone.status_code) == (404, 404)
    assert (
        by_code.json()
        == by_phone.json()
        == {"detail": "We found no request with this code and this phone number. Check both and try again."}
    )


def test_wrong_tracking_tries_are_limited_per_address(api, actors, catalogue, settings):
    settings.PUBLIC_TRACK_RATE = "2/h"
    send(api, body())
    case = Case.objects.get()
    wrong = [api.post("/api/v1/public/track/", {"code": "ABCD-EFGH-JKMN", "phone": "1"}, format="json").status_code for _ in range(2)]
    right = api.post("/api/v1/public/track/", {"code": case.code, "phone": "0599222333"}, format="json")
    assert (wrong, right.status_code) == ([404, 404], 429)


def test_the_catalogue_of_an_organisation(api, actors, catalogue):
    response = api.get("/api/v1/public/services/?organisation=nablus")
    assert response.status_code == 200
    data = response.json()
    assert sorted((s["code"], s["category"], s["documents"]) for s in data["services"]) == [  # same position: by name
        ("plan", "Registration", []),
        ("registration", "Registration", ["صورة الهوية", "عقد الإيجار"]),
    ]
    assert data["desks"] == [{"id": actors.desk.pk, "name": actors.desk.name_ar, "governorate": actors.desk.governorate}]
    assert ["PS-HBN", "Hebron"] in data["governorates"]
    assert api.get("/api/v1/public/services/?organisation=nowhere").status_code == 404
    assert api.get("/api/v1/public/services/").status_code == 400


def test_the_schema_declares_the_public_endpoints(client):
    import yaml

    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    request = schema["paths"]["/api/v1/public/requests/"]["post"]
    assert {"200", "201", "400", "404", "429"} <= set(request["responses"])
    assert [p["name"] for p in request["parameters"] if p["in"] == "header"] == ["Idempotency-Key"]
    assert "/api/v1/public/track/" in schema["paths"] and "/api/v1/public/services/" in schema["paths"]
