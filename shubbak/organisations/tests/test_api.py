import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from shubbak.audit.models import AuditEntry
from shubbak.organisations.models import Desk, Membership
from shubbak.testing.access import check_three_actors
from shubbak.testing.factories import DeskFactory

pytestmark = pytest.mark.django_db


def test_organisations_list_shows_only_what_the_user_may_see(actors):
    client = APIClient()
    client.force_authenticate(actors.admin)
    assert [o["slug"] for o in client.get("/api/v1/organisations/").json()["results"]] == ["nablus"]
    client.force_authenticate(actors.manager)
    assert sorted(o["slug"] for o in client.get("/api/v1/organisations/").json()["results"]) == ["nablus", "pmu"]


def test_organisation_detail_and_update_three_actors(actors):
    url = "/api/v1/organisations/nablus/"
    body = check_three_actors(actors=actors, url=url, api=True).json()
    assert (body["slug"], body["network"], body["governorate_name"]) == ("nablus", actors.organisation.network.slug, "نابلس")
    response = check_three_actors(actors=actors, url=url, method="patch", data={"phone": "+970 9 238 0335"}, write=True, api=True)
    assert response.json()["phone"] == "+970 9 238 0335"
    assert AuditEntry.objects.get(action="update", target_id=str(actors.organisation.pk)).source == "api"


def test_organisation_update_refuses_a_governorate_of_another_country(actors):
    client = APIClient()
    client.force_authenticate(actors.admin)
    response = client.patch("/api/v1/organisations/nablus/", {"governorate": "YE-HD"}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {"governorate": ["This governorate is not in the chosen country."]}
    arabic = client.patch("/api/v1/organisations/nablus/", {"governorate": "YE-HD"}, format="json")
    assert arabic.json() == {"governorate": ["هذه المحافظة لا تقع في الدولة المختارة."]}


def test_organisation_create_is_for_network_managers_of_that_network(actors):
    client = APIClient()
    data = {
        "slug": "jenin",
        "name_ar": "غرفة جنين",
        "kind": "chamber",
        "network": actors.organisation.network.slug,
        "country": "PS",
        "governorate": "PS-JEN",
    }
    client.force_authenticate(actors.admin)
    assert client.post("/api/v1/organisations/", data, format="json").status_code == 400  # not a network they manage
    client.force_authenticate(actors.manager)
    response = client.post("/api/v1/organisations/", data, format="json")
    assert response.status_code == 201
    assert response.json()["slug"] == "jenin"


def test_desks_three_actors(actors):
    url = f"/api/v1/desks/{actors.desk.pk}/"
    check_three_actors(actors=actors, url=url, api=True)
    check_three_actors(actors=actors, url=url, method="patch", data={"opening_hours": "الأحد–الخميس"}, write=True, api=True)
    actors.desk.refresh_from_db()
    assert actors.desk.opening_hours == "الأحد–الخميس"


def test_desk_create_in_a_foreign_organisation_is_refused_like_a_missing_one(actors):
    client = APIClient()
    client.force_authenticate(actors.admin)
    foreign = client.post("/api/v1/desks/", {"organisation": "elsewhere", "name_ar": "مكتب"}, format="json")
    missing = client.post("/api/v1/desks/", {"organisation": "no-such", "name_ar": "مكتب"}, format="json")
    assert (foreign.status_code, missing.status_code) == (400, 400)
    assert foreign.json()["organisation"][0].replace("elsewhere", "no-such") == missing.json()["organisation"][0]


def test_desk_create_by_a_viewer_is_403(actors):
    client = APIClient()
    client.force_authenticate(actors.viewer)
    assert client.post("/api/v1/desks/", {"organisation": "nablus", "name_ar": "مكتب"}, format="json").status_code == 403
    assert Desk.objects.count() == 1


def test_desk_list_runs_constant_queries(actors, django_assert_num_queries):
    client = APIClient()
    client.force_authenticate(actors.manager)
    client.get("/api/v1/desks/")  # computes the user's access once; the client keeps the same user object
    with django_assert_num_queries(2) as few:  # count, page
        client.get("/api/v1/desks/")
    for _ in range(20):
        DeskFactory(organisation=actors.organisation)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get("/api/v1/desks/").json()["count"] == 21


def test_memberships_three_actors_and_create(actors, mailoutbox):
    membership = actors.officer.memberships.get()
    url = f"/api/v1/memberships/{membership.pk}/"
    check_three_actors(actors=actors, url=url, api=True)
    check_three_actors(actors=actors, url=url, method="patch", data={"title": "مساعد فني"}, write=True, api=True)
    client = APIClient()
    client.force_authenticate(actors.admin)
    data = {"organisation": "nablus", "email": "salma@example.org", "full_name": "سلمى", "role": "officer"}
    response = client.post("/api/v1/memberships/", data, format="json")
    assert response.status_code == 201
    assert Membership.objects.get(user__email="salma@example.org").role == "officer"


def test_token_authentication_with_the_management_command(actors, capsys):
    call_command("drf_create_token", actors.officer.email)
    token = Token.objects.get(user=actors.officer).key
    assert token in capsys.readouterr().out
    client = APIClient()
    assert client.get("/api/v1/organisations/").status_code == 401
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert [o["slug"] for o in client.get("/api/v1/organisations/").json()["results"]] == ["nablus"]


def test_the_schema_declares_error_answers_on_every_operation(client):
    import yaml

    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"401", "403"} <= codes, (method, path)
            if method in {"post", "put", "patch"}:
                assert "400" in codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)


def test_the_docs_page_loads_without_a_cdn(client, actors):
    client.force_login(actors.officer)
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    assert b"cdn" not in response.content.lower()
