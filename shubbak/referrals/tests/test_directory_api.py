"""API: /partners/ (read by the network), /offers/ (written with manage_offers, rules checked) and
/cases/{id}/suggestions/ (same access as the case)."""

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from shubbak.organisations.models import Membership
from shubbak.referrals import directory
from shubbak.referrals.models import Offer
from shubbak.testing.access import check_three_actors
from shubbak.testing.factories import MembershipFactory, UserFactory

from .directory_data import MEN_ONLY, YOUNG_WOMEN, client_case, offer, partner, service_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def network(actors):
    return actors.organisation.network


@pytest.fixture
def loans(network):
    return service_in(network, in_house=False)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client


def staff_of(organisation, role=Membership.Role.PARTNER_STAFF):
    user = UserFactory()
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


# --- partners -------------------------------------------------------------------------------------------------------


def test_partners_are_read_by_the_network_with_their_active_offers(actors, network, loans):
    lender = partner(network, "مؤسسة فاتن")
    offer(lender, loans, title="قروض للشابات", rule=YOUNG_WOMEN, capacity=20)
    offer(lender, loans, title="متوقف", is_active=False)
    body = api(actors.viewer).get(reverse("partner-list")).json()
    (listed,) = [p for p in body["results"] if p["slug"] == lender.slug]
    assert [o["title"] for o in listed["offers"]] == ["قروض للشابات"]
    assert listed["offers"][0]["rule_text"] == "gender: Female; age: from 18 to 35"
    assert listed["offers"][0]["capacity_per_month"] == 20
    assert lender.slug not in str(api(actors.outsider).get(reverse("partner-list")).json())
    assert api(actors.outsider).get(reverse("partner-detail", args=[lender.pk])).status_code == 404


def test_the_partner_list_reads_with_a_constant_number_of_queries(actors, network, loans, django_assert_num_queries):
    client = api(actors.viewer)
    for i in range(2):
        offer(partner(network, f"مؤسسة {i}"), loans)
    client.get(reverse("partner-list"))
    with django_assert_num_queries(4) as few:
        client.get(reverse("partner-list"))
    for i in range(2, 12):
        offer(partner(network, f"مؤسسة {i}"), loans)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(reverse("partner-list")).json()["count"] == 12


# --- offers ---------------------------------------------------------------------------------------------------------------


def new_offer(organisation, loans, **extra) -> dict:
    return {
        "organisation": organisation.slug,
        "service": loans.pk,
        "title": "قروض للنساء",
        "rule": YOUNG_WOMEN,
        "capacity_per_month": 5,
    } | extra


def test_creating_an_offer_three_actors(actors, loans):
    response = check_three_actors(
        actors=actors, url=reverse("offer-list"), method="post", data=new_offer(actors.organisation, loans), write=True, api=True
    )
    assert response.status_code == 201
    assert Offer.objects.get(pk=response.json()["id"]).rule == YOUNG_WOMEN


def test_updating_an_offer_three_actors(actors, loans):
    record = offer(actors.organisation, loans)
    url = reverse("offer-detail", args=[record.pk])
    response = check_three_actors(actors=actors, url=url, method="patch", data={"rule": MEN_ONLY}, write=True, api=True)
    with translation.override("ar"):  # the language of the request
        assert response.json()["rule_text"] == directory.rule_text(MEN_ONLY)
    record.refresh_from_db()
    assert record.rule == MEN_ONLY


def test_a_rule_on_a_field_that_does_not_exist_is_a_400_saying_so(actors, loans):
    rule = {"all": [{"field": "person.salary", "op": "gte", "value": 1}]}
    response = api(actors.admin).post(reverse("offer-list"), new_offer(actors.organisation, loans, rule=rule), format="json")
    assert response.status_code == 400
    assert response.json() == {"rule": ["The rule refers to «person.salary», which is not a field we know."]}
    assert not Offer.objects.exists()


def test_staff_of_another_partner_read_but_may_not_write_its_offers(actors, network, loans):
    lender = partner(network, "مؤسسة فاتن")
    record = offer(lender, loans)
    other = api(staff_of(partner(network, "صندوق آخر")))
    assert other.get(reverse("offer-detail", args=[record.pk])).status_code == 200
    assert other.patch(reverse("offer-detail", args=[record.pk]), {"title": "x"}, format="json").status_code == 403
    assert other.post(reverse("offer-list"), new_offer(lender, loans), format="json").status_code == 403
    own = api(staff_of(lender))
    assert own.patch(reverse("offer-detail", args=[record.pk]), {"title": "قروض جديدة"}, format="json").status_code == 200


def test_an_organisation_of_another_network_or_none_at_all_is_not_found(actors, loans):
    client = api(actors.outsider)
    assert client.post(reverse("offer-list"), new_offer(actors.organisation, loans), format="json").status_code == 404
    response = api(actors.admin).post(
        reverse("offer-list"), new_offer(actors.organisation, loans) | {"organisation": "nowhere"}, format="json"
    )
    assert response.status_code == 404


def test_offers_are_searched_in_any_spelling(actors, network, loans):
    offer(partner(network, "مؤسسة فاتن للإقراض"), loans, title="قروض الأسرة المنتجة")
    body = api(actors.viewer).get(reverse("offer-list"), {"search": "الاسره"}).json()
    assert [o["title"] for o in body["results"]] == ["قروض الأسرة المنتجة"]


# --- suggestions -----------------------------------------------------------------------------------------------------------


@pytest.fixture
def case_service(actors, loans):
    return client_case(actors, loans)


def suggestions_url(case_service) -> str:
    return reverse("case-suggestions", args=[case_service.case_id]) + f"?service={case_service.pk}"


def test_suggestions_for_a_case_service_three_actors(actors, network, loans, case_service):
    offer(partner(network, "مؤسسة فاتن"), loans, title="قروض للشابات", rule=YOUNG_WOMEN, capacity=20)
    offer(partner(network, "صندوق الرجال"), loans, title="قروض للرجال", rule=MEN_ONLY)
    check_three_actors(actors=actors, url=suggestions_url(case_service), member=actors.officer, api=True)
    body = api(actors.officer).get(suggestions_url(case_service)).json()  # in English
    assert [(s["name"], s["eligible"]) for s in body] == [("مؤسسة فاتن", True), ("صندوق الرجال", False)]
    assert body[0]["reasons"] == [
        "eligible: gender: Female، age: 24",
        "offers «قروض للشابات»",
        "works across the country",
        "20 of 20 places left this month",
        "no earlier referrals",
    ]
    assert (body[0]["kind"], body[0]["places_left"], body[0]["capacity"], body[0]["offer_title"]) == ("partner", 20, 20, "قروض للشابات")
    assert body[1]["reasons"][0] == "not eligible: gender: Female, required: Male"


def test_suggestions_need_a_service_of_that_case(actors, loans, case_service):
    client = api(actors.officer)
    url = reverse("case-suggestions", args=[case_service.case_id])
    assert client.get(url).status_code == 400
    other = client_case(actors, service_in(actors.organisation.network, code="training"))
    assert client.get(url + f"?service={other.pk}").status_code == 404
    assert client.get(reverse("case-suggestions", args=[999999]) + f"?service={case_service.pk}").status_code == 404


def test_partner_staff_do_not_see_suggestions_for_the_desks_cases(actors, network, case_service):
    staff = staff_of(partner(network, "مؤسسة فاتن"))
    assert api(staff).get(suggestions_url(case_service)).status_code == 404
