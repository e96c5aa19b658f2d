import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from shubbak.audit.models import AuditEntry
from shubbak.organisations.models import Contact, Desk, Membership
from shubbak.testing.access import check_three_actors
from shubbak.testing.factories import ContactFactory, DeskFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_organisation_page_three_actors(actors):
    response = check_three_actors(actors=actors, url=reverse("organisation_detail", args=["nablus"]))
    assert response.context["organisation"] == actors.organisation
    assert list(response.context["desks"]) == [actors.desk]


def test_a_missing_organisation_answers_like_a_foreign_one(actors, client):
    client.force_login(actors.admin)
    missing = client.get(reverse("organisation_detail", args=["no-such-org"]))
    foreign = client.get(reverse("organisation_detail", args=["elsewhere"]))
    assert (missing.status_code, foreign.status_code) == (404, 404)
    csrf = re.compile(rb'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+')
    # Same page but for the CSRF token and the slug in the language form's return address.
    assert csrf.sub(b"", missing.content).replace(b"no-such-org", b"elsewhere") == csrf.sub(b"", foreign.content)


def test_organisation_edit_three_actors(actors):
    url = reverse("organisation_edit", args=["nablus"])
    check_three_actors(actors=actors, url=url, write=True)
    data = {
        "name_ar": "غرفة تجارة وصناعة نابلس",
        "name_en": "Nablus Chamber",
        "kind": "chamber",
        "country": "PS",
        "governorate": "PS-NBS",
        "phone": "+970 9 238 0335",
    }
    response = check_three_actors(actors=actors, url=url, method="post", data=data, write=True)
    assert response.status_code == 302
    actors.organisation.refresh_from_db()
    assert (actors.organisation.name_en, actors.organisation.phone) == ("Nablus Chamber", "+970 9 238 0335")
    entry = AuditEntry.objects.get(action="update", target_id=str(actors.organisation.pk))
    assert entry.changes["name_en"] == [
        actors.organisation.name_en.replace("Nablus Chamber", entry.changes["name_en"][0]),
        "Nablus Chamber",
    ]
    assert (entry.source, entry.ip) == ("web", "127.0.0.1")


def test_organisation_edit_keeps_bad_input_and_says_why(actors, client):
    client.force_login(actors.admin)
    data = {"name_ar": "", "kind": "chamber", "country": "PS", "governorate": "SY-DI", "phone": "call me"}
    response = client.post(reverse("organisation_edit", args=["nablus"]), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"name_ar", "governorate", "phone"}
    assert form["phone"].value() == "call me"
    assert AuditEntry.objects.filter(action="update").count() == 0


def test_a_coordinator_cannot_edit_the_organisation(actors, client):
    client.force_login(actors.coordinator)
    assert client.get(reverse("organisation_edit", args=["nablus"])).status_code == 403


def test_organisation_create_is_for_network_managers(actors, client):
    url = reverse("organisation_create", args=[actors.organisation.network.slug])
    client.force_login(actors.admin)
    assert client.get(url).status_code == 404  # an admin does not manage the network
    client.force_login(actors.manager)
    data = {"name_ar": "غرفة تجارة وصناعة جنين", "slug": "jenin", "kind": "chamber", "country": "PS", "governorate": "PS-JEN"}
    response = client.post(url, data)
    assert response.status_code == 302
    assert response.url == reverse("organisation_detail", args=["jenin"])


def test_desk_create_three_actors(actors):
    url = reverse("desk_create", args=["nablus"])
    check_three_actors(actors=actors, url=url, write=True)
    data = {"name_ar": "مكتب منشأتي – حوارة", "kind": "helpdesk", "governorate": "PS-NBS", "is_active": "on"}
    check_three_actors(actors=actors, url=url, method="post", data=data, write=True, member=actors.coordinator)
    assert Desk.objects.filter(organisation=actors.organisation, name_ar="مكتب منشأتي – حوارة").count() == 1


def test_desk_edit_three_actors_and_foreign_desk_is_404(actors, client):
    url = reverse("desk_edit", args=["nablus", actors.desk.pk])
    check_three_actors(actors=actors, url=url, write=True)
    foreign = DeskFactory(organisation=actors.other_organisation)
    client.force_login(actors.admin)
    assert client.get(reverse("desk_edit", args=["nablus", foreign.pk])).status_code == 404


def test_contact_pages_three_actors(actors):
    check_three_actors(actors=actors, url=reverse("contact_create", args=["nablus"]), write=True)
    contact = ContactFactory(organisation=actors.organisation)
    check_three_actors(actors=actors, url=reverse("contact_edit", args=["nablus", contact.pk]), write=True)
    check_three_actors(actors=actors, url=reverse("contact_delete", args=["nablus", contact.pk]), method="post", write=True)
    assert Contact.objects.filter(pk=contact.pk).exists() is False


def test_member_pages_three_actors(actors, mailoutbox):
    data = {"email": "new.officer@example.org", "full_name": "سلمى يوسف", "role": "officer"}
    check_three_actors(actors=actors, url=reverse("member_add", args=["nablus"]), method="post", data=data, write=True)
    membership = Membership.objects.get(user__email="new.officer@example.org")
    assert membership.organisation == actors.organisation
    url = reverse("member_edit", args=["nablus", membership.pk])
    check_three_actors(actors=actors, url=url, method="post", data={"role": "coordinator", "title": "منسقة", "is_active": "on"}, write=True)
    membership.refresh_from_db()
    assert membership.role == "coordinator"


def test_member_form_offers_network_manager_only_to_network_managers(actors, client):
    url = reverse("member_add", args=["nablus"])
    client.force_login(actors.admin)
    form = client.get(url).context["form"]
    assert form["role"].value() == "officer"
    assert "network_manager" not in [value for value, _label in form.fields["role"].choices]
    response = client.post(url, {"email": "x@example.org", "full_name": "س", "role": "network_manager"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["role"]
    client.force_login(actors.manager)
    assert "network_manager" in [value for value, _label in client.get(url).context["form"].fields["role"].choices]


def test_member_form_shows_a_service_refusal_in_arabic(actors, client):
    client.force_login(actors.admin)
    response = client.post(
        reverse("member_edit", args=["nablus", actors.admin.memberships.get().pk]), {"role": "officer", "is_active": "on"}
    )
    assert response.status_code == 200
    with translation.override("ar"):
        expected = gettext("You cannot change or end your own membership; ask another admin.")
    assert expected != "You cannot change or end your own membership; ask another admin."  # the Arabic catalogue has it
    assert response.context["form"].errors == {"__all__": [expected]}


def test_organisation_list_shows_only_visible_organisations(actors, client):
    client.force_login(actors.admin)
    response = client.get(reverse("organisation_list"))
    assert [o.slug for o in response.context["page"]] == ["nablus"]
    client.force_login(actors.manager)
    response = client.get(reverse("organisation_list"), {"q": "نابلس"})
    assert [o.slug for o in response.context["page"]] == ["nablus"]


def test_organisation_list_filters_answer_htmx_with_the_results_only(actors, client):
    client.force_login(actors.manager)
    response = client.get(reverse("organisation_list"), {"kind": "coordinating_body"}, headers={"HX-Request": "true"})
    assert response.templates[0].name == "organisations/_organisation_results.html"
    assert [o.slug for o in response.context["page"]] == ["pmu"]


def test_organisation_list_runs_the_same_queries_for_3_or_30_organisations(actors, client, django_assert_num_queries):
    client.force_login(actors.manager)
    network = actors.organisation.network
    client.get(reverse("organisation_list"))  # warm the session and content types
    with django_assert_num_queries(8) as few:
        client.get(reverse("organisation_list"))
    for i in range(27):
        DeskFactory(organisation=OrganisationFactory(network=network, slug=f"extra-{i}"))
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("organisation_list"))
    assert len(response.context["page"]) == 25


def test_organisation_page_runs_a_constant_number_of_queries(actors, client, django_assert_num_queries):
    client.force_login(actors.admin)
    url = reverse("organisation_detail", args=["nablus"])
    client.get(url)
    with django_assert_num_queries(9) as few:
        client.get(url)
    for _ in range(10):
        DeskFactory(organisation=actors.organisation)
        ContactFactory(organisation=actors.organisation)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


def test_switching_organisation_changes_the_home_page(actors, client):
    from shubbak.testing.factories import MembershipFactory

    MembershipFactory(user=actors.officer, organisation=actors.other_organisation, role="viewer")
    client.force_login(actors.officer)
    assert client.get(reverse("home")).context["organisation"] == actors.organisation
    response = client.post(reverse("switch_organisation"), {"organisation": "elsewhere"})
    assert response.status_code == 302
    assert client.get(reverse("home")).context["organisation"] == actors.other_organisation


def test_switching_to_a_foreign_organisation_is_404(actors, client):
    client.force_login(actors.officer)
    assert client.post(reverse("switch_organisation"), {"organisation": "elsewhere"}).status_code == 404


def test_pages_require_login(actors, client):
    response = client.get(reverse("organisation_detail", args=["nablus"]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
