import pytest
from django.urls import reverse

from shubbak.registry import services
from shubbak.registry.models import Consent, Enterprise, Ownership, Person
from shubbak.testing.access import check_three_actors

pytestmark = pytest.mark.django_db


def test_person_page_three_actors(actors, fatima):
    response = check_three_actors(actors=actors, url=reverse("person_detail", args=[fatima.pk]), member=actors.officer)
    assert response.context["person"] == fatima


def test_person_edit_three_actors_and_the_change_is_saved(actors, fatima, person_data):
    url = reverse("person_edit", args=[fatima.pk])
    check_three_actors(actors=actors, url=url, write=True, member=actors.officer)
    data = person_data | {"phone": "0599 111 222", "displacement": "displaced", "birth_date": "2001-03-14"}
    response = check_three_actors(actors=actors, url=url, method="post", data=data, write=True, member=actors.officer)
    assert response.status_code == 302
    fatima.refresh_from_db()
    assert (fatima.phone, fatima.displacement) == ("+970599111222", "displaced")


def test_registering_a_person_shows_likely_duplicates_then_accepts_a_confirmation(actors, fatima, person_data, client):
    client.force_login(actors.officer)
    data = person_data | {"first_name": "فاطمه", "national_id": "", "id_type": "", "birth_date": "2001-03-14", "consents": ["data"]}
    response = client.post(reverse("person_create"), data)
    assert response.status_code == 200
    assert [(d.record, d.reasons) for d in response.context["duplicates"]] == [
        (fatima, ["نفس رقم الهاتف", "اسم مشابه وتاريخ الميلاد نفسه"])
    ]
    assert response.context["form"]["first_name"].value() == "فاطمه"  # nothing typed is lost
    response = client.post(reverse("person_create"), data | {"confirm_new": "on"})
    assert response.status_code == 302
    created = Person.objects.exclude(pk=fatima.pk).get()
    assert list(Consent.objects.filter(person=created).values_list("purpose", flat=True)) == ["data"]


def test_registering_needs_a_role_that_manages_the_registry(actors, client, person_data):
    client.force_login(actors.viewer)
    assert client.get(reverse("person_create")).status_code == 403
    assert client.post(reverse("person_create"), person_data).status_code == 403
    assert Person.objects.count() == 0


def test_bad_input_on_the_form_keeps_everything_typed(actors, client, person_data):
    client.force_login(actors.officer)
    response = client.post(reverse("person_create"), person_data | {"phone": "hello", "national_id": "123", "birth_date": "2001-03-14"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"phone", "national_id"}
    assert response.context["form"]["phone"].value() == "hello"


def test_people_list_three_actors_search_and_constant_queries(actors, fatima, person_data, client, django_assert_num_queries):
    for reader in (actors.officer, actors.viewer):  # lists are not per record: an outsider gets an empty list (tested below)
        client.force_login(reader)
        assert list(client.get(reverse("person_list"), {"q": "فاطمه"}).context["page"]) == [fatima]
    client.force_login(actors.officer)
    url = reverse("person_list")
    client.get(url)
    with django_assert_num_queries(7) as few:
        client.get(url)
    for i in range(30):
        services.person_create(
            actor=actors.officer, organisation=actors.organisation, confirmed=True,
            data=person_data | {"national_id": "", "id_type": "", "phone": f"05991{i:05d}", "first_name": f"اسم{i}"},
        )  # fmt: skip
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"]) == 25


def test_the_outsider_lists_nothing(actors, fatima, client):
    client.force_login(actors.outsider)
    assert list(client.get(reverse("person_list")).context["page"]) == []
    assert client.get(reverse("registry_search"), {"q": "فاطمة"}).context["people"] == []


def test_enterprise_pages_three_actors(actors, bakery):
    check_three_actors(actors=actors, url=reverse("enterprise_detail", args=[bakery.pk]), member=actors.officer)
    check_three_actors(actors=actors, url=reverse("enterprise_edit", args=[bakery.pk]), write=True, member=actors.officer)
    data = {
        "name_ar": "مخبز الأمل",
        "legal_form": "sole",
        "status": "informal",
        "governorate": "PS-NBS",
        "men_full_time": 7,
        "revenue_band": "lt_20k",
    }
    data |= {"women_full_time": 0, "women_part_time": 0, "men_part_time": 0}
    check_three_actors(
        actors=actors, url=reverse("enterprise_edit", args=[bakery.pk]), method="post", data=data, write=True, member=actors.officer
    )
    bakery.refresh_from_db()
    assert bakery.size_class == "small"


def test_enterprise_list_filters(actors, bakery, client):
    client.force_login(actors.officer)
    assert list(client.get(reverse("enterprise_list"), {"size_class": "micro"}).context["page"]) == [bakery]
    assert list(client.get(reverse("enterprise_list"), {"size_class": "medium"}).context["page"]) == []
    assert list(client.get(reverse("enterprise_list"), {"q": "مخبز الامل"}).context["page"]) == [bakery]


def test_owners_are_linked_and_removed_with_three_actors(actors, bakery, fatima, client):
    url = reverse("owner_add", args=[bakery.pk])
    check_three_actors(
        actors=actors,
        url=url,
        method="post",
        data={"person": fatima.pk, "role": "owner", "share": "100"},
        write=True,
        member=actors.officer,
    )
    ownership = Ownership.objects.get()
    bakery.refresh_from_db()
    assert (ownership.person, bakery.women_owned) == (fatima, True)
    check_three_actors(actors=actors, url=reverse("owner_search", args=[bakery.pk]) + "?q=فاطمه", write=True, member=actors.officer)
    check_three_actors(
        actors=actors, url=reverse("owner_remove", args=[bakery.pk, ownership.pk]), method="post", write=True, member=actors.officer
    )
    assert Ownership.objects.count() == 0


def test_a_person_of_another_organisation_cannot_be_linked(actors, bakery, person_data, client):
    stranger = services.person_create(
        actor=actors.outsider, organisation=actors.other_organisation, data=person_data | {"governorate": "PS-HBN"}
    )
    client.force_login(actors.officer)
    assert client.post(reverse("owner_add", args=[bakery.pk]), {"person": stranger.pk, "role": "owner"}).status_code == 404
    assert Ownership.objects.count() == 0


def test_consents_three_actors(actors, fatima):
    check_three_actors(
        actors=actors,
        url=reverse("consent_add", args=[fatima.pk]),
        method="post",
        data={"purpose": "contact"},
        write=True,
        member=actors.officer,
    )
    consent = fatima.consents.get()
    check_three_actors(
        actors=actors, url=reverse("consent_withdraw", args=[fatima.pk, consent.pk]), method="post", write=True, member=actors.officer
    )
    consent.refresh_from_db()
    assert consent.withdrawn_by == actors.officer


def test_merge_pages_three_actors_and_the_merge(actors, fatima, person_data, client):
    twin = services.person_create(
        actor=actors.officer, organisation=actors.organisation, confirmed=True, data=person_data | {"email": "f@example.org"}
    )
    url = reverse("person_merge", args=[fatima.pk])
    response = check_three_actors(actors=actors, url=url + "?q=فاطمه", write=True, member=actors.officer)
    assert response.context["candidates"] == [twin]
    check_three_actors(actors=actors, url=f"{url}?other={twin.pk}", write=True, member=actors.officer)
    check_three_actors(actors=actors, url=url, method="post", data={"other": twin.pk, "confirm": "on"}, write=True, member=actors.officer)
    twin.refresh_from_db()
    fatima.refresh_from_db()
    assert (twin.merged_into, fatima.email) == (fatima, "f@example.org")
    client.force_login(actors.officer)
    client.cookies["django_language"] = "en"
    assert "This record was merged into another one." in client.get(reverse("person_detail", args=[twin.pk])).content.decode()


def test_an_enterprise_merge_moves_the_owners(actors, bakery, fatima, client):
    twin = services.enterprise_create(
        actor=actors.officer,
        organisation=actors.organisation,
        confirmed=True,
        data={"name_ar": "مخبز الامل", "legal_form": "sole", "governorate": "PS-NBS"},
    )
    services.ownership_add(actor=actors.officer, enterprise=twin, person=fatima, role="owner")
    client.force_login(actors.officer)
    client.post(reverse("enterprise_merge", args=[bakery.pk]), {"other": twin.pk, "confirm": "on"})
    assert list(Ownership.objects.values_list("enterprise_id", flat=True)) == [bakery.pk]
    assert Enterprise.objects.live().count() == 1


def test_exporting_a_list_needs_a_role_that_manages_the_registry(actors, fatima, client):
    client.force_login(actors.viewer)
    assert client.get(reverse("person_list"), {"export": "csv"}).status_code == 403
    client.force_login(actors.officer)
    response = client.get(reverse("person_list"), {"export": "csv", "q": "فاطمه"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.count("\n") == 2 and "التميمي" in body


def test_a_network_manager_exports_only_what_they_may_manage(actors, fatima, person_data, client):
    services.person_create(actor=actors.outsider, organisation=actors.other_organisation, data=person_data | {"governorate": "PS-HBN"})
    client.force_login(actors.manager)
    body = b"".join(client.get(reverse("person_list"), {"export": "csv"}).streaming_content).decode("utf-8-sig")
    assert body.count("\n") == 2


def test_a_person_registered_from_a_case_goes_back_to_it_listing_the_new_record(actors, client):
    client.force_login(actors.officer)
    data = {"first_name": "سناء", "family_name": "عودة", "gender": "female", "displacement": "resident"}
    response = client.post("/people/new/?next=/cases/7/link/", data)
    assert response.status_code == 302 and response["Location"].startswith("/cases/7/link/?q=")
    elsewhere = client.post("/people/new/?next=https://evil.example/", {**data, "first_name": "هدى"})
    assert elsewhere["Location"].startswith("/people/")
