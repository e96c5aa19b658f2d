"""Offers (who may write them, what is checked), rules in words, and the directory's search in any Arabic spelling."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shubbak.audit.models import AuditEntry
from shubbak.organisations.models import Membership
from shubbak.referrals import directory
from shubbak.testing.factories import ContactFactory, MembershipFactory, OrganisationFactory, UserFactory

from .directory_data import YOUNG_WOMEN, offer, partner, service_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def network(actors):
    return actors.organisation.network


@pytest.fixture
def loans(network):
    return service_in(network)


@pytest.fixture
def lender(network):
    return partner(network, "مؤسسة فاتن للإقراض", governorate="PS-GZA")


def staff_of(organisation, role=Membership.Role.PARTNER_STAFF):
    user = UserFactory()
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


def offer_data(service, **extra):
    return {"service": service, "title": "قروض للنساء", "rule": YOUNG_WOMEN, "governorates": ["PS-GZA"], "capacity_per_month": 20} | extra


# --- who may write ---------------------------------------------------------------------------------------------


def test_a_partners_own_staff_add_its_offers_and_the_write_is_audited(lender, loans):
    record = directory.offer_create(actor=staff_of(lender), organisation=lender, data=offer_data(loans))
    assert (record.organisation, record.title, record.rule, record.capacity_per_month) == (lender, "قروض للنساء", YOUNG_WOMEN, 20)
    entry = AuditEntry.objects.get(target_id=str(record.pk), action="create")
    assert entry.organisation == lender and entry.changes["title"] == [None, "قروض للنساء"]


def test_network_managers_write_any_partners_offers(actors, lender, loans):
    record = directory.offer_create(actor=actors.manager, organisation=lender, data=offer_data(loans))
    directory.offer_update(actor=actors.manager, offer=record, data={"capacity_per_month": 30})
    record.refresh_from_db()
    assert record.capacity_per_month == 30
    assert AuditEntry.objects.get(target_id=str(record.pk), action="update").changes == {"capacity_per_month": [20, 30]}


def test_staff_of_another_partner_readers_and_outsiders_may_not_write(actors, network, lender, loans):
    other_partner = partner(network, "صندوق آخر")
    record = offer(lender, loans)
    for user in (staff_of(other_partner), staff_of(lender, Membership.Role.VIEWER), actors.outsider, actors.admin):
        with pytest.raises(PermissionDenied):
            directory.offer_create(actor=user, organisation=lender, data=offer_data(loans))
        with pytest.raises(PermissionDenied):
            directory.offer_update(actor=user, offer=record, data={"title": "x"})


# --- what is checked -----------------------------------------------------------------------------------------------


def test_a_rule_on_a_field_that_does_not_exist_is_refused_with_a_clear_message(lender, loans):
    rule = {"all": [{"field": "person.salary", "op": "gte", "value": 100}]}
    with pytest.raises(ValidationError) as error:
        directory.offer_create(actor=None, organisation=lender, data=offer_data(loans, rule=rule))
    assert error.value.message_dict == {"rule": ["The rule refers to «person.salary», which is not a field we know."]}


def test_a_rule_with_a_wrong_value_is_refused_on_update_and_the_offer_keeps_its_rule(lender, loans):
    record = offer(lender, loans, rule=YOUNG_WOMEN)
    rule = {"all": [{"field": "person.age", "op": "between", "value": ["young", 35]}]}
    with pytest.raises(ValidationError) as error:
        directory.offer_update(actor=None, offer=record, data={"rule": rule})
    assert error.value.message_dict == {"rule": ["age is compared with numbers."]}
    record.refresh_from_db()
    assert record.rule == YOUNG_WOMEN


def test_service_governorates_contact_and_agreement_dates_are_checked(lender, loans):
    elsewhere = service_in(OrganisationFactory().network, code="elsewhere")
    data = offer_data(
        elsewhere,
        governorates=["PS-GZA", "XX-YY"],
        contact=ContactFactory(),
        mou_start=datetime.date(2026, 6, 1),
        mou_end=datetime.date(2026, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        directory.offer_create(actor=None, organisation=lender, data=data)
    assert error.value.message_dict == {
        "service": ["Choose a service of this network's catalogue."],
        "governorates": ["«XX-YY» is not a governorate we know."],
        "contact": ["Choose a contact person of this partner."],
        "mou_end": ["The agreement cannot end before it starts."],
    }


def test_an_empty_rule_opens_the_offer_to_everyone(lender, loans):
    record = directory.offer_create(actor=None, organisation=lender, data=offer_data(loans, rule=None))
    assert record.rule == {}


# --- rules in words ------------------------------------------------------------------------------------------------


def test_rules_read_as_plain_words():
    rule = {
        "all": [
            {"field": "person.gender", "op": "eq", "value": "female"},
            {"field": "person.age", "op": "between", "value": [18, 35]},
            {"field": "person.governorate", "op": "in", "value": ["PS-GZA", "PS-RFH"]},
            {"field": "enterprise.status", "op": "ne", "value": "registered"},
            {"field": "enterprise.employees", "op": "lte", "value": 5},
            {
                "any": [
                    {"field": "person.war_injured", "op": "eq", "value": True},
                    {"field": "person.has_disability", "op": "eq", "value": True},
                ]
            },
        ]
    }
    assert directory.rule_lines(rule) == [
        "gender: Female",
        "age: from 18 to 35",
        "governorate: Gaza or Rafah",
        "enterprise status: not Registered",
        "employees: 5 or less",
        "one of: injured in war: yes / has a disability: yes",
    ]
    assert directory.rule_text({}) == "Open to everyone"
    assert directory.rule_text({"any": [{"field": "person.age", "op": "gte", "value": 40}]}) == "age: 40 or more"


def test_target_groups_make_a_rule_and_are_read_back_from_it(network):
    rule = directory.rule_for_groups(["women", "youth"], network)
    assert rule == {
        "any": [
            {"field": "person.gender", "op": "eq", "value": "female"},
            {"field": "person.age", "op": "between", "value": [18, network.youth_max_age]},
        ]
    }
    assert directory.groups_for_rule(rule, network) == ["women", "youth"]
    assert directory.groups_for_rule({}, network) == []
    assert directory.groups_for_rule(YOUNG_WOMEN, network) is None  # written by hand: not a list of groups


# --- the directory ---------------------------------------------------------------------------------------------------


@pytest.fixture
def listed(actors, network, loans, lender):
    training = service_in(network, name_ar="تدريب على إدارة المشاريع", name_en="Business training", code="training")
    centre = partner(network, "مركز التدريب المهني", kind="training_provider", governorate="PS-NBS")
    elsewhere = OrganisationFactory(network=actors.other_organisation.network)
    return {
        "loans": offer(lender, loans, title="قروض الأسرة المنتجة", description="تمويل صغير بدون فوائد", governorates=["PS-GZA"]),
        "training": offer(centre, training, title="دورة فن البيع"),
        "withdrawn": offer(centre, training, title="دورة متوقفة", is_active=False),
        "elsewhere": offer(elsewhere, service_in(elsewhere.network, code="x"), title="قروض شبكة أخرى"),
    }


def titles(offers) -> list[str]:
    return [o.title for o in offers]


def test_the_directory_lists_the_active_offers_of_the_users_networks(actors, listed):
    assert titles(directory.offer_list(user=actors.viewer)) == ["قروض الأسرة المنتجة", "دورة فن البيع"]
    assert titles(directory.offer_list(user=actors.outsider)) == ["قروض شبكة أخرى"]


@pytest.mark.parametrize(
    "query",
    [
        "الاسره المنتجه",  # no hamza, haa for taa marbuta
        "الأسرة",
        "للاقراض",  # the partner's name, without hamza
        "فاتن",
        "بدون فوائد",  # the description
        "Small loans",  # the service, in English
        "قروض صغيره",  # the service, in Arabic, another spelling
        "قُروض",  # with a damma
    ],
)
def test_the_directory_search_finds_every_spelling_of_partner_title_description_and_service(actors, listed, query):
    assert titles(directory.offer_list(user=actors.viewer, filters={"q": query})) == ["قروض الأسرة المنتجة"]


def test_the_directory_filters_by_service_kind_and_governorate(actors, listed, loans):
    viewer = actors.viewer
    assert titles(directory.offer_list(user=viewer, filters={"service": loans})) == ["قروض الأسرة المنتجة"]
    assert titles(directory.offer_list(user=viewer, filters={"kind": "training_provider"})) == ["دورة فن البيع"]
    # Gaza: the lender lists it; the training centre lists no governorate, so it serves all of its country
    assert titles(directory.offer_list(user=viewer, filters={"governorate": "PS-GZA"})) == ["قروض الأسرة المنتجة", "دورة فن البيع"]
    assert titles(directory.offer_list(user=viewer, filters={"governorate": "PS-NBS"})) == ["دورة فن البيع"]
    assert titles(directory.offer_list(user=viewer, filters={"governorate": "SY-DI"})) == []


def test_an_offer_card_says_where_and_whether_the_agreement_holds(actors, listed):
    today = datetime.date(2026, 11, 21)
    loans = listed["loans"]
    assert directory.offer_card(loans, today).where == "Gaza"
    assert directory.offer_card(listed["training"], today).where == "All of Palestine, State of"
    loans.mou_start, loans.mou_end = datetime.date(2025, 1, 1), datetime.date(2026, 1, 1)
    assert directory.offer_card(loans, today).agreement == "ended"
    loans.mou_end = datetime.date(2027, 1, 1)
    assert directory.offer_card(loans, today).agreement == "valid"
    loans.mou_start = datetime.date(2027, 1, 1)
    assert directory.offer_card(loans, today).agreement == "not_started"
