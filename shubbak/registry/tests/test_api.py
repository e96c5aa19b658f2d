import pytest
from rest_framework.test import APIClient

from shubbak.audit.models import AuditEntry
from shubbak.registry.models import Person
from shubbak.testing.access import check_three_actors

pytestmark = pytest.mark.django_db


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _body(person_data, **extra):
    return {**person_data, "birth_date": "2001-03-14", "organisation": "nablus", **extra}


def test_search_people_in_any_spelling(actors, fatima):
    client = _client(actors.officer)
    for query in ("فاطمه عبدالله", "٠٥٩٩١٢٣٤٥٦", "123456782"):
        assert [p["id"] for p in client.get("/api/v1/people/", {"search": query}).json()["results"]] == [fatima.pk], query
    assert _client(actors.outsider).get("/api/v1/people/", {"search": "فاطمة"}).json()["results"] == []


def test_person_detail_and_update_three_actors(actors, fatima):
    url = f"/api/v1/people/{fatima.pk}/"
    body = check_three_actors(actors=actors, url=url, api=True, member=actors.officer).json()
    assert (body["full_name"], body["phone"], body["organisation"]) == ("فاطمة عبد الله محمود التميمي", "+970599123456", "nablus")
    response = check_three_actors(
        actors=actors, url=url, method="patch", data={"phone": "٠٥٩٨٧٧٧٨٨٨"}, write=True, api=True, member=actors.officer
    )
    assert response.json()["phone"] == "+970598777888"
    assert AuditEntry.objects.filter(action="update", target_id=str(fatima.pk), source="api").count() == 1


def test_create_answers_409_with_the_likely_duplicates_until_confirmed(actors, fatima, person_data):
    client = _client(actors.officer)
    body = _body(person_data, national_id="", id_type="", first_name="فاطمه")
    response = client.post("/api/v1/people/", body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert response.json()["duplicates"] == [
        {
            "id": fatima.pk,
            "name": fatima.full_name,
            "organisation": "nablus",
            "reasons": ["same phone number", "similar name and same birth date"],
        }
    ]
    response = client.post("/api/v1/people/", {**body, "confirm_duplicates": True, "consents": ["data"]}, format="json")
    assert response.status_code == 201
    assert Person.objects.get(pk=response.json()["id"]).consents.get().purpose == "data"


def test_create_validation_errors_are_400_in_arabic_by_default(actors, person_data):
    response = _client(actors.officer).post("/api/v1/people/", _body(person_data, phone="abc"), format="json")
    assert response.status_code == 400
    assert "phone" in response.json()
    assert response.json()["phone"] == [
        "«abc» ليس رقم هاتف يمكننا قراءته. اكتبه بأرقامه، مثل 0599123456 أو ‎+970599123456."
    ] or response.json()["phone"][0].startswith("«abc»")
    assert Person.objects.count() == 0


def test_create_in_a_foreign_or_read_only_organisation_is_refused(actors, person_data):
    foreign = _client(actors.outsider).post("/api/v1/people/", _body(person_data), format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert (foreign.status_code, foreign.json()) == (400, {"organisation": ["Object with slug=nablus does not exist."]})  # as if missing
    assert _client(actors.viewer).post("/api/v1/people/", _body(person_data), format="json").status_code == 403
    assert Person.objects.count() == 0


def test_enterprises_search_filter_and_derived_fields(actors, bakery):
    client = _client(actors.officer)
    results = client.get("/api/v1/enterprises/", {"search": "مخبز الامل", "size_class": "micro"}).json()["results"]
    assert [(e["id"], e["size_class"], e["women_owned"]) for e in results] == [(bakery.pk, "micro", False)]
    url = f"/api/v1/enterprises/{bakery.pk}/"
    check_three_actors(actors=actors, url=url, api=True, member=actors.officer)
    response = check_three_actors(
        actors=actors,
        url=url,
        method="patch",
        data={"men_full_time": 30, "size_class": "micro"},
        write=True,
        api=True,
        member=actors.officer,
    )
    assert response.json()["size_class"] == "large"


def test_the_people_list_runs_constant_queries(actors, fatima, person_data, django_assert_num_queries):
    from shubbak.registry import services

    client = _client(actors.officer)
    client.get("/api/v1/people/")
    with django_assert_num_queries(2) as few:
        client.get("/api/v1/people/")
    for i in range(10):
        services.person_create(
            actor=actors.officer,
            organisation=actors.organisation,
            confirmed=True,
            data=person_data | {"national_id": "", "id_type": "", "phone": f"05992{i:05d}"},
        )
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get("/api/v1/people/").json()["count"] == 11
