"""Matching: partners' offers, experts and in-house delivery for a case's requested service, ranked, with reasons.

The client of every test: a woman of 24 in Nablus with an informal enterprise, at the Nablus desk.
"""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from shubbak.eligibility import FIELDS, OPERATORS, Subject, evaluate
from shubbak.referrals.matching import passes, suggestions
from shubbak.referrals.models import Expert, Referral
from shubbak.registry.models import Enterprise, Person
from shubbak.testing.factories import OrganisationFactory

from .directory_data import MEN_ONLY, OVER_40, YOUNG_WOMEN, client_case, expert, offer, partner, referrals, service_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
Status = Referral.Status


@pytest.fixture
def network(actors):
    return actors.organisation.network


@pytest.fixture
def service(network):
    return service_in(network, in_house=False, by_partner=True, by_expert=True)


@pytest.fixture
def case_service(actors, service):
    return client_case(actors, service)


def last_month():
    return timezone.now() - datetime.timedelta(days=40)


def names(found) -> list[str]:
    return [s.name for s in found]


def test_eligible_offers_come_first_and_the_others_last_saying_why(network, service, case_service):
    for_men = offer(partner(network, "صندوق التشغيل"), service, title="قروض للرجال", rule=MEN_ONLY, capacity=100)
    for_her = offer(partner(network, "مؤسسة فاتن"), service, title="قروض للشابات", rule=YOUNG_WOMEN, governorates=["PS-GZA"])
    found = suggestions(case_service)
    assert [s.offer for s in found] == [for_her, for_men]
    assert [s.eligible for s in found] == [True, False]
    assert found[0].reasons[0] == "eligible: gender: Female، age: 24"
    assert found[1].reasons[0] == "not eligible: gender: Female, required: Male"


def test_an_age_limit_is_explained(network, service, case_service):
    offer(partner(network, "صندوق التشغيل"), service, rule=OVER_40)
    (found,) = suggestions(case_service)
    assert not found.eligible
    assert found.reasons[0] == "not eligible: age: 24, required: 40 or more"


def test_an_offer_open_to_everyone_says_so(network, service, case_service):
    offer(partner(network, "صندوق التشغيل"), service, title="قروض بلا شروط")
    (found,) = suggestions(case_service)
    assert found.reasons == [
        "eligible: open to everyone",
        "offers «قروض بلا شروط»",
        "works across the country",
        "capacity not stated",
        "no earlier referrals",
    ]


def test_partners_in_the_clients_governorate_come_before_those_of_the_whole_country_and_those_elsewhere(network, service, case_service):
    offer(partner(network, "في غزة"), service, governorates=["PS-GZA", "PS-RFH"])
    offer(partner(network, "في كل البلد"), service)
    offer(partner(network, "في نابلس"), service, governorates=["PS-NBS", "PS-JEN"])
    found = suggestions(case_service)
    assert names(found) == ["في نابلس", "في كل البلد", "في غزة"]
    assert [s.reasons[2] for s in found] == ["works in Nablus", "works across the country", "works in Gaza، Rafah, not in Nablus"]


def test_places_left_this_month_count_referrals_sent_this_month_that_were_not_declined_or_cancelled(network, service, case_service):
    roomy = offer(partner(network, "مؤسسة فيها أماكن"), service, capacity=20)
    full = offer(partner(network, "مؤسسة ممتلئة"), service, capacity=10)
    referrals(case_service, offer=roomy, statuses={Status.SENT: 3, Status.ACCEPTED: 2, Status.IN_PROGRESS: 2, Status.COMPLETED: 1})
    referrals(case_service, offer=roomy, statuses={Status.DECLINED: 4, Status.CANCELLED: 1})
    referrals(case_service, offer=roomy, statuses={Status.SENT: 5}, sent_at=last_month())
    referrals(case_service, offer=full, statuses={Status.ACCEPTED: 10})
    found = suggestions(case_service)
    assert [s.offer for s in found] == [roomy, full]
    assert found[0].reasons[3] == "12 of 20 places left this month"
    assert (found[0].capacity, found[0].places_left) == (20, 12)
    assert found[1].reasons[3] == "no places left this month (10 a month)"
    assert found[1].places_left == 0


def test_past_completion_rate_counts_completed_among_completed_declined_and_no_show(network, service, case_service):
    weak = offer(partner(network, "مؤسسة ضعيفة"), service)
    strong = offer(partner(network, "مؤسسة قوية"), service)
    history = {Status.COMPLETED: 20, Status.DECLINED: 3, Status.NO_SHOW: 2, Status.CANCELLED: 4}
    referrals(case_service, offer=strong, statuses=history, sent_at=last_month())
    referrals(case_service, offer=weak, statuses={Status.COMPLETED: 1, Status.DECLINED: 3}, sent_at=last_month())
    found = suggestions(case_service)
    assert [s.offer for s in found] == [strong, weak]
    assert found[0].reasons[4] == "completed 80 % of 25 referrals"
    assert (found[0].completed, found[0].finished, found[0].completion_rate) == (20, 25, 80)
    assert found[1].reasons[4] == "completed 25 % of 4 referrals"


def test_the_completion_rate_is_the_partners_across_its_offers(network, service, case_service):
    lender = partner(network, "مؤسسة فاتن")
    other_service = service_in(network, name_ar="تدريب", name_en="Training", code="training")
    training = offer(lender, other_service, title="تدريب")
    loans = offer(lender, service, title="قروض")
    referrals(case_service, offer=training, statuses={Status.COMPLETED: 1}, sent_at=last_month())
    (found,) = suggestions(case_service)
    assert found.offer == loans
    assert found.reasons[4] == "completed 100 % of 1 referral"


def test_vetted_available_experts_specialised_in_the_service_are_suggested_with_their_load(actors, network, service, case_service):
    busy_with_two = expert(network, actors.organisation, service, name="ريم", governorates=["PS-NBS"])
    free = expert(network, actors.organisation, service, name="سناء", governorates=["PS-NBS"])
    expert(network, actors.organisation, service, name="قيد التدقيق", vetting=Expert.Vetting.PENDING)
    expert(network, actors.organisation, service, name="مشغولة", availability=Expert.Availability.BUSY)
    expert(network, actors.organisation, service_in(network, code="other"), name="تخصص آخر")
    elsewhere = OrganisationFactory()
    expert(elsewhere.network, elsewhere, service, name="شبكة أخرى")
    referrals(case_service, expert=busy_with_two, statuses={Status.ACCEPTED: 1, Status.IN_PROGRESS: 1, Status.COMPLETED: 3})
    found = suggestions(case_service)
    assert [s.expert for s in found] == [free, busy_with_two]
    assert (found[0].kind, found[0].organisation) == ("expert", actors.organisation)
    assert found[0].reasons == [
        "eligible: open to everyone",
        "specialised in Small loans",
        "works in Nablus",
        "no open assignments",
        "no earlier referrals",
    ]
    assert found[1].reasons[3:] == ["2 open assignments", "completed 100 % of 3 referrals"]


def test_in_house_delivery_is_suggested_when_the_service_allows_it_after_the_specialists(actors, network):
    service = service_in(network, code="legal", name_en="Legal advice", in_house=True)
    case_service = client_case(actors, service)
    offer(partner(network, "مكتب محاماة", kind="ngo"), service, title="استشارات قانونية")
    offer(partner(network, "للرجال", kind="ngo"), service, rule=MEN_ONLY)
    found = suggestions(case_service)
    assert [s.kind for s in found] == ["partner", "in_house", "partner"]
    in_house = found[1]
    assert in_house.organisation == actors.organisation
    assert in_house.reasons == [
        "eligible: open to everyone",
        f"delivered in house by {actors.organisation.name}",
        "no earlier requests delivered in house",
    ]


def test_no_in_house_suggestion_when_the_service_is_not_delivered_in_house(network, service, case_service):
    assert suggestions(case_service) == []


def test_inactive_offers_other_services_other_networks_and_ended_agreements_are_left_out(network, service, case_service):
    today = timezone.localdate()
    offer(partner(network, "غير فعال"), service, is_active=False)
    offer(partner(network, "شريك موقوف", is_active=False), service)
    offer(partner(network, "اتفاقية منتهية"), service, mou_end=today - datetime.timedelta(days=1))
    offer(partner(network, "اتفاقية لم تبدأ"), service, mou_start=today + datetime.timedelta(days=3))
    offer(partner(network, "خدمة أخرى"), service_in(network, code="other"))
    elsewhere = OrganisationFactory()
    offer(elsewhere, service)
    valid = offer(partner(network, "اتفاقية سارية"), service, mou_start=today, mou_end=today)
    assert [s.offer for s in suggestions(case_service)] == [valid]


def test_a_limited_number_of_suggestions_best_first(network, service, case_service):
    for i in range(5):
        record = offer(partner(network, f"شريك {i}"), service, capacity=10)
        referrals(case_service, offer=record, statuses={Status.SENT: 4 - i})
    found = suggestions(case_service, limit=3)
    assert names(found) == ["شريك 4", "شريك 3", "شريك 2"]
    assert [s.places_left for s in found] == [10, 9, 8]


def test_a_case_without_a_linked_client_is_not_eligible_for_conditions_it_cannot_check(actors, network, service, case_service):
    case = case_service.case
    case.person, case.enterprise = None, None
    case.save(update_fields=["person", "enterprise"])
    offer(partner(network, "مؤسسة فاتن"), service, rule=YOUNG_WOMEN)
    (found,) = suggestions(case_service)
    assert found.reasons[0] == "not eligible: gender unknown، age unknown"


def test_the_query_count_does_not_grow_with_offers_experts_and_referrals(actors, network, service, case_service, django_assert_num_queries):
    def add(n):
        for i in range(n):
            record = offer(partner(network, f"شريك {n}-{i}"), service, rule=YOUNG_WOMEN, capacity=5)
            referrals(case_service, offer=record, statuses={Status.COMPLETED: 1, Status.SENT: 1})
            person = expert(network, actors.organisation, service, name=f"خبيرة {n}-{i}")
            referrals(case_service, expert=person, statuses={Status.COMPLETED: 1, Status.ACCEPTED: 1})

    add(1)
    # the case; offers, places used, partner history; experts, their load and history; the offers and experts returned
    with django_assert_num_queries(9) as few:
        suggestions(case_service)
    add(15)
    cache.clear()
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(suggestions(case_service, limit=50)) == 32
    with django_assert_num_queries(7):  # histories come from the cache for a while; load is always counted
        suggestions(case_service, limit=50)


def test_the_completion_rate_counts_the_last_year(network, service, case_service):
    record = offer(partner(network, "مؤسسة فاتن"), service)
    referrals(case_service, offer=record, statuses={Status.COMPLETED: 3}, sent_at=timezone.now() - datetime.timedelta(days=400))
    referrals(case_service, offer=record, statuses={Status.DECLINED: 1}, sent_at=last_month())
    (found,) = suggestions(case_service)
    assert found.reasons[4] == "completed 0 % of 1 referral"


# --- the compiled rule ranks exactly as the rules engine decides ----------------------------------------------------

CHOICES = {name: list(spec.choices()) for name, spec in FIELDS.items() if spec.kind == "choice"}
PLACES = ["PS-GZA", "PS-NBS", "PS-RFH", "SY-DI"]


def _values(name):
    spec = FIELDS[name]
    if spec.kind == "choice":
        return st.sampled_from(CHOICES[name])
    if spec.kind == "place":
        return st.sampled_from(PLACES)
    if spec.kind == "bool":
        return st.booleans()
    return st.integers(0, 60)


@st.composite
def conditions(draw):
    name = draw(st.sampled_from(sorted(FIELDS)))
    op = draw(st.sampled_from(sorted(OPERATORS[FIELDS[name].kind])))
    if op in ("in", "not_in"):
        value = draw(st.lists(_values(name), min_size=1, max_size=3))
    elif op == "between":
        value = sorted(draw(st.lists(st.integers(0, 60), min_size=2, max_size=2)))
    else:
        value = draw(_values(name))
    return {"field": name, "op": op, "value": value}


rules = st.recursive(
    conditions(),
    lambda children: st.dictionaries(st.sampled_from(["all", "any"]), st.lists(children, min_size=1, max_size=4), min_size=1, max_size=1),
    max_leaves=8,
)


@st.composite
def subjects(draw):
    blank = st.just("")
    person = Person(
        gender=draw(st.sampled_from(["female", "male"])),
        birth_date=draw(st.none() | st.dates(datetime.date(1950, 1, 1), datetime.date(2015, 1, 1))),
        governorate=draw(blank | st.sampled_from(PLACES)),
        education=draw(blank | st.sampled_from(CHOICES["person.education"])),
        displacement=draw(st.sampled_from(CHOICES["person.displacement"])),
        employment=draw(blank | st.sampled_from(CHOICES["person.employment"])),
        has_disability=draw(st.booleans()),
        war_injured=draw(st.booleans()),
    )
    enterprise = Enterprise(
        status=draw(st.sampled_from(CHOICES["enterprise.status"])),
        legal_form=draw(st.sampled_from(CHOICES["enterprise.legal_form"])),
        size_class=draw(st.sampled_from(CHOICES["enterprise.size_class"])),
        isic_section=draw(blank | st.sampled_from(CHOICES["enterprise.sector"])),
        chamber_member=draw(st.booleans()),
        founded_on=draw(st.none() | st.dates(datetime.date(1990, 1, 1), datetime.date(2026, 1, 1))),
        governorate=draw(blank | st.sampled_from(PLACES)),
        women_full_time=draw(st.integers(0, 30)),
    )
    return Subject(
        person=draw(st.none() | st.just(person)),
        enterprise=draw(st.none() | st.just(enterprise)),
        today=datetime.date(2026, 11, 21),
    )


@given(rule=rules, subject=subjects())
def test_the_compiled_rule_gives_the_same_answer_as_the_rules_engine(rule, subject):
    assert passes(rule, subject) == evaluate(rule, subject).eligible
