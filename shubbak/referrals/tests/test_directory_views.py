"""Directory pages: browse and search (every member of the network, constant queries), partner and offer pages, and the
offer form with its rule editor (the partner's staff and network managers; others 403; other networks 404)."""

import pytest
from django.urls import reverse

from shubbak.organisations.models import Membership
from shubbak.referrals.models import Offer
from shubbak.testing.access import check_three_actors
from shubbak.testing.factories import MembershipFactory, OrganisationFactory, UserFactory

from .directory_data import YOUNG_WOMEN, offer, partner, service_in

pytestmark = pytest.mark.django_db
DIRECTORY = reverse("directory")


@pytest.fixture
def network(actors):
    return actors.organisation.network


@pytest.fixture
def loans(network):
    return service_in(network)


@pytest.fixture
def own_offer(actors, loans):
    """An offer of the actors' own organisation: its admin manages it, its viewer reads it."""
    return offer(actors.organisation, loans, title="قروض الأسرة المنتجة", rule=YOUNG_WOMEN, capacity=20)


def html(response) -> str:
    return " ".join(response.content.decode().split())


# --- the directory -------------------------------------------------------------------------------------------------


def in_english(user) -> None:
    user.language = "en"
    user.save(update_fields=["language"])


def test_every_member_of_the_network_browses_it_and_other_networks_see_none_of_it(actors, client, own_offer):
    lender = partner(own_offer.organisation.network, "مؤسسة فاتن للإقراض")
    offer(lender, own_offer.service, title="قروض للشابات في غزة", governorates=["PS-GZA"])
    client.force_login(actors.viewer)
    page = html(client.get(DIRECTORY))
    for text in ("قروض الأسرة المنتجة", "قروض للشابات في غزة", "مؤسسة فاتن للإقراض", "غزة", "فلسطين"):
        assert text in page
    client.force_login(actors.outsider)
    page = html(client.get(DIRECTORY))
    assert "قروض الأسرة المنتجة" not in page and "مؤسسة فاتن للإقراض" not in page


def test_an_offer_says_for_whom_where_how_many_whom_to_call_and_the_agreement(actors, client, own_offer):
    own_offer.contact = actors.organisation.contacts.create(name="سعاد كمال", phone="+970599123456", email="suad@example.ps")
    own_offer.save(update_fields=["contact"])
    in_english(actors.viewer)
    client.force_login(actors.viewer)
    page = html(client.get(DIRECTORY))
    for text in (
        'For whom</dt> <dd class="col-8"><ul class="list-unstyled mb-0"><li>gender: Female</li><li>age: from 18 to 35</li></ul>',
        "All of Palestine, State of",
        "20 clients a month",
        "سعاد كمال",
        'href="tel:+970599123456"',
        "No agreement recorded",
    ):
        assert text in page


@pytest.mark.parametrize("query", ["الاسره المنتجه", "الأسرة", "قروض صغيره", "غرفة تجارة"])
def test_the_search_finds_every_spelling(actors, client, own_offer, query):
    client.force_login(actors.viewer)
    response = client.get(DIRECTORY, {"q": query}, headers={"HX-Request": "true"})
    assert "قروض الأسرة المنتجة" in response.content.decode()
    assert "<html" not in response.content.decode()  # HTMX gets the results only


def test_a_search_that_matches_nothing_says_so(actors, client, own_offer):
    in_english(actors.viewer)
    client.force_login(actors.viewer)
    page = html(client.get(DIRECTORY, {"q": "بقالة"}))
    assert "0 offers" in page and "No offer matches. Try another word or fewer filters." in page
    assert "قروض الأسرة المنتجة" not in page


def test_the_directory_reads_with_a_constant_number_of_queries(actors, client, network, loans, django_assert_num_queries):
    client.force_login(actors.viewer)
    client.get(DIRECTORY)  # session and caches warm

    def add(n):
        for i in range(n):
            lender = partner(network, f"مؤسسة {n}-{i}")
            contact = lender.contacts.create(name="سعاد", phone="+970599000000", email="s@example.ps")
            offer(lender, loans, title=f"قروض {n}-{i}", rule=YOUNG_WOMEN, contact=contact)

    add(2)
    with django_assert_num_queries(7) as few:
        client.get(DIRECTORY, {"q": "قروض", "kind": "lender"})
    add(12)
    with django_assert_num_queries(len(few.captured_queries)):
        assert "قروض 12-11" in client.get(DIRECTORY, {"q": "قروض", "kind": "lender"}).content.decode()


def test_the_partners_page_reads_with_a_constant_number_of_queries(actors, client, network, loans, django_assert_num_queries):
    client.force_login(actors.viewer)
    url = reverse("directory_partners")
    client.get(url)
    for i in range(2):
        offer(partner(network, f"مؤسسة {i}"), loans)
    with django_assert_num_queries(9) as few:
        client.get(url)
    for i in range(2, 12):
        offer(partner(network, f"مؤسسة {i}"), loans)
    with django_assert_num_queries(len(few.captured_queries)):
        assert "مؤسسة 11" in client.get(url).content.decode()


def test_the_partners_page_lists_the_networks_partners_only(actors, client, network, loans):
    offer(partner(network, "مؤسسة فاتن"), loans, title="قروض للشابات")
    client.force_login(actors.viewer)
    page = client.get(reverse("directory_partners")).content.decode()
    assert "مؤسسة فاتن" in page and "قروض للشابات" in page
    client.force_login(actors.outsider)
    assert "مؤسسة فاتن" not in client.get(reverse("directory_partners")).content.decode()


# --- partner and offer pages: three actors ------------------------------------------------------------------------


def test_the_partner_page_three_actors(actors, own_offer):
    response = check_three_actors(actors=actors, url=reverse("directory_partner", args=[actors.organisation.slug]))
    assert "قروض الأسرة المنتجة" in response.content.decode()
    assert reverse("offer_create", args=[actors.organisation.slug]) in response.content.decode()


def test_the_offer_page_three_actors(actors, own_offer):
    response = check_three_actors(actors=actors, url=reverse("offer_detail", args=[own_offer.pk]))
    assert reverse("offer_edit", args=[own_offer.pk]) in response.content.decode()


def test_readers_get_no_edit_links(actors, client, own_offer):
    client.force_login(actors.viewer)
    page = client.get(reverse("offer_detail", args=[own_offer.pk])).content.decode()
    assert reverse("offer_edit", args=[own_offer.pk]) not in page


def test_a_withdrawn_offer_shows_on_its_partners_page_only_to_those_who_manage_it(actors, client, own_offer):
    Offer.objects.filter(pk=own_offer.pk).update(is_active=False)
    url = reverse("directory_partner", args=[actors.organisation.slug])
    client.force_login(actors.admin)
    assert "قروض الأسرة المنتجة" in client.get(url).content.decode()
    client.force_login(actors.viewer)
    assert "قروض الأسرة المنتجة" not in client.get(url).content.decode()


# --- the offer form and its rule editor ---------------------------------------------------------------------------


def rows(**values) -> dict:
    """The rule editor's inputs: rule-0-field=…, any-0-field=…"""
    data = {"rule-mode": "rows", "rule-match": "all", "rule-rows": "3", "rule-group-rows": "2"}
    for key, value in values.items():
        data[key.replace("__", "-").replace("_field", "-field")] = value
    return data


def offer_post(loans, **rule_inputs) -> dict:
    return {
        "service": loans.pk,
        "title": "قروض للشابات",
        "description": "",
        "capacity_per_month": "15",
        "is_active": "on",
        "save": "1",
        "rule-mode": "rows",
        "rule-match": "all",
        "rule-rows": "3",
        "rule-group-rows": "2",
        **rule_inputs,
    }


def test_creating_an_offer_three_actors(actors, loans):
    url = reverse("offer_create", args=[actors.organisation.slug])
    check_three_actors(actors=actors, url=url, method="post", data=offer_post(loans), write=True)
    assert Offer.objects.get(organisation=actors.organisation).rule == {}


def test_editing_an_offer_three_actors(actors, own_offer, loans):
    url = reverse("offer_edit", args=[own_offer.pk])
    response = check_three_actors(actors=actors, url=url, method="post", data=offer_post(loans, **{"rule-0-field": ""}), write=True)
    assert response.status_code == 302
    own_offer.refresh_from_db()
    assert (own_offer.title, own_offer.rule, own_offer.capacity_per_month) == ("قروض للشابات", {}, 15)


def test_staff_of_another_partner_may_not_edit_but_the_partners_own_staff_and_network_managers_may(actors, client, network, loans):
    lender = partner(network, "مؤسسة فاتن")
    theirs = offer(lender, loans)
    outsider_partner = UserFactory()
    MembershipFactory(user=outsider_partner, organisation=partner(network, "صندوق آخر"), role=Membership.Role.PARTNER_STAFF)
    own_staff = UserFactory()
    MembershipFactory(user=own_staff, organisation=lender, role=Membership.Role.PARTNER_STAFF)
    url = reverse("offer_edit", args=[theirs.pk])
    client.force_login(outsider_partner)
    assert client.get(url).status_code == 403
    assert client.get(reverse("offer_create", args=[lender.slug])).status_code == 403
    assert client.get(reverse("offer_detail", args=[theirs.pk])).status_code == 200  # the directory is the network's
    for user in (own_staff, actors.manager):
        client.force_login(user)
        assert client.get(url).status_code == 200


def test_the_rule_editor_saves_its_rows_as_the_rule(actors, client, loans):
    client.force_login(actors.admin)
    data = offer_post(
        loans,
        **{
            "rule-0-field": "person.gender",
            "rule-0-op": "in",
            "rule-0-values": ["female"],
            "rule-1-field": "person.age",
            "rule-1-op": "between",
            "rule-1-low": "١٨",  # Arabic-Indic digits
            "rule-1-high": "35",
            "rule-2-field": "person.governorate",
            "rule-2-op": "in",
            "rule-2-values": ["PS-GZA", "PS-KYS"],
            "any-0-field": "person.displacement",
            "any-0-op": "in",
            "any-0-values": ["displaced"],
            "any-1-field": "person.war_injured",
            "any-1-op": "eq",
            "any-1-flag": "yes",
        },
    )
    response = client.post(reverse("offer_create", args=[actors.organisation.slug]), data)
    assert response.status_code == 302
    assert Offer.objects.get(organisation=actors.organisation).rule == {
        "all": [
            {"field": "person.gender", "op": "eq", "value": "female"},
            {"field": "person.age", "op": "between", "value": [18, 35]},
            {"field": "person.governorate", "op": "in", "value": ["PS-GZA", "PS-KYS"]},
            {
                "any": [
                    {"field": "person.displacement", "op": "eq", "value": "displaced"},
                    {"field": "person.war_injured", "op": "eq", "value": True},
                ]
            },
        ]
    }


def test_a_rule_on_a_field_that_does_not_exist_is_shown_with_its_message_and_nothing_is_saved(actors, client, loans):
    in_english(actors.admin)
    client.force_login(actors.admin)
    data = offer_post(loans, **{"rule-0-field": "person.salary", "rule-0-op": "gte", "rule-0-low": "100"})
    response = client.post(reverse("offer_create", args=[actors.organisation.slug]), data)
    assert response.status_code == 200
    page = html(response)
    assert "The rule refers to «person.salary», which is not a field we know." in page
    assert "Check the conditions marked below." in page
    assert not Offer.objects.exists()


def test_a_number_that_is_not_a_number_and_a_missing_value_are_told(actors, client, loans):
    in_english(actors.admin)
    client.force_login(actors.admin)
    data = offer_post(
        loans,
        **{"rule-0-field": "person.age", "rule-0-op": "gte", "rule-0-low": "شاب", "rule-1-field": "person.education", "rule-1-op": "in"},
    )
    page = html(client.post(reverse("offer_create", args=[actors.organisation.slug]), data))
    assert "age is compared with numbers." in page
    assert "Give the values education is compared with." in page
    assert not Offer.objects.exists()


def test_choosing_a_field_redraws_its_choices_without_saving_or_complaining(actors, client, loans):
    in_english(actors.admin)
    client.force_login(actors.admin)
    data = {"rule-refresh": "1", "rule-rows": "2", "rule-group-rows": "1", "rule-0-field": "person.education"}
    response = client.post(reverse("offer_create", args=[actors.organisation.slug]), data, headers={"HX-Request": "true"})
    page = html(response)
    assert response.status_code == 200
    assert 'value="university"' in page and "University graduate" in page
    assert "is one of" in page
    assert "This field is required" not in page and "alert-danger" not in page
    assert not Offer.objects.exists()


def test_adding_a_row_keeps_what_was_typed(actors, client, loans):
    client.force_login(actors.admin)
    data = offer_post(loans, **{"rule-add": "1", "rule-0-field": "person.gender", "rule-0-values": ["female"]})
    page = client.post(reverse("offer_create", args=[actors.organisation.slug]), data).content.decode()
    assert 'name="rule-rows" value="4"' in page
    assert 'name="rule-3-field"' in page
    assert 'value="female" checked' in page or "checked" in page
    assert not Offer.objects.exists()


def test_the_edit_page_shows_the_rule_in_rows_and_in_words(actors, client, own_offer):
    in_english(actors.admin)
    client.force_login(actors.admin)
    page = html(client.get(reverse("offer_edit", args=[own_offer.pk])))
    assert '<option value="person.gender" selected>' in page
    assert 'name="rule-1-low" value="18"' in page and 'name="rule-1-high" value="35"' in page
    assert "In words:" in page and "age: from 18 to 35" in page


def test_a_rule_the_rows_cannot_show_is_edited_as_json(actors, client, own_offer):
    deep = {
        "any": [{"all": [{"field": "person.gender", "op": "eq", "value": "female"}]}, {"field": "person.age", "op": "gte", "value": 50}]
    }
    Offer.objects.filter(pk=own_offer.pk).update(rule=deep)
    in_english(actors.admin)
    client.force_login(actors.admin)
    page = client.get(reverse("offer_edit", args=[own_offer.pk])).content.decode()
    assert 'name="rule-json"' in page and "person.gender" in page
    data = offer_post(own_offer.service, **{"rule-mode": "json", "rule-json": '{"all": [{"field": "person.age", "op": "gte"'})
    page = html(client.post(reverse("offer_edit", args=[own_offer.pk]), data))
    assert "The rule is not valid JSON" in page
    own_offer.refresh_from_db()
    assert own_offer.rule == deep


def test_other_networks_services_are_not_offered_in_the_form(actors, client, loans):
    elsewhere = service_in(OrganisationFactory().network, code="elsewhere", name_ar="خدمة شبكة أخرى")
    client.force_login(actors.admin)
    page = client.get(reverse("offer_create", args=[actors.organisation.slug])).content.decode()
    assert "خدمة شبكة أخرى" not in page
    response = client.post(reverse("offer_create", args=[actors.organisation.slug]), offer_post(elsewhere))
    assert response.status_code == 200 and not Offer.objects.exists()
