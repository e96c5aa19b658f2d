import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from shubbak.eligibility import FIELDS, Subject, evaluate, validate
from shubbak.registry.models import Enterprise, Person

pytestmark = pytest.mark.usefixtures("english")
TODAY = datetime.date(2026, 11, 21)


def woman_of_gaza() -> Subject:
    person = Person(first_name="هبة", family_name="النجار", gender="female", birth_date=datetime.date(2002, 5, 1), governorate="PS-GZA")
    enterprise = Enterprise(name_ar="مطبخ هبة", legal_form="home_based", status="informal", founded_on=datetime.date(2024, 1, 10))
    return Subject(person=person, enterprise=enterprise, today=TODAY)


YOUNG_WOMEN_IN_GAZA = {
    "all": [
        {"field": "person.gender", "op": "eq", "value": "female"},
        {"field": "person.age", "op": "between", "value": [18, 35]},
        {"field": "person.governorate", "op": "in", "value": ["PS-GZA", "PS-NGZ", "PS-KYS"]},
        {"field": "enterprise.status", "op": "in", "value": ["idea", "informal"]},
    ]
}


def test_an_eligible_client_gets_every_reason_why():
    result = evaluate(YOUNG_WOMEN_IN_GAZA, woman_of_gaza())
    assert result.eligible
    assert result.passed == ["gender: Female", "age: 24", "governorate: Gaza", "enterprise status: Operating informally"]
    assert result.summary.startswith("eligible: gender: Female")


def test_a_client_over_the_age_limit_is_told_so():
    subject = woman_of_gaza()
    subject.person.birth_date = datetime.date(1986, 1, 1)
    result = evaluate(YOUNG_WOMEN_IN_GAZA, subject)
    assert not result.eligible
    assert result.failed == ["age: 40, required: from 18 to 35"]
    assert result.summary == "not eligible: age: 40, required: from 18 to 35"


def test_any_group_passes_on_one_condition_and_explains_all_when_none_passes():
    rule = {
        "any": [
            {"field": "person.war_injured", "op": "eq", "value": True},
            {"field": "person.displacement", "op": "eq", "value": "displaced"},
        ]
    }
    subject = woman_of_gaza()
    failed = evaluate(rule, subject)
    assert not failed.eligible
    assert failed.failed == ["injured in war: no, required: yes or displacement status: Resident, required: Internally displaced"]
    subject.person.displacement = "displaced"
    assert evaluate(rule, subject).passed == ["displacement status: Internally displaced"]


def test_what_is_unknown_does_not_pass():
    subject = Subject(person=Person(first_name="x", family_name="y", gender="male"), today=TODAY)
    result = evaluate(
        {"all": [{"field": "person.age", "op": "lte", "value": 29}, {"field": "enterprise.sector", "op": "eq", "value": "C"}]}, subject
    )
    assert result.failed == ["age unknown", "sector (ISIC section) unknown"]


def test_years_in_business_and_an_empty_rule():
    rule = {"all": [{"field": "enterprise.years_in_business", "op": "gte", "value": 2}]}
    assert (
        evaluate(rule, woman_of_gaza()).failed == ["years in business: 2, required: 2 or more"] or evaluate(rule, woman_of_gaza()).eligible
    )
    assert evaluate({}, woman_of_gaza()).eligible


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"field": "person.salary", "op": "eq", "value": 1}, "«person.salary», which is not a field we know"),
        ({"field": "person.age", "op": "in", "value": [1]}, "«in» cannot be used with age"),
        ({"field": "person.age", "op": "gte", "value": "thirty"}, "age is compared with numbers"),
        ({"field": "person.age", "op": "between", "value": [35, 18]}, "lower bound of age is above its upper bound"),
        ({"field": "person.gender", "op": "eq", "value": "woman"}, "«woman» is not a value of gender"),
        ({"field": "person.governorate", "op": "in", "value": ["Gaza"]}, "«Gaza» is not a governorate we know"),
        ({"field": "person.has_disability", "op": "eq", "value": "yes"}, "has a disability is yes or no"),
        ({"all": {"field": "person.age"}}, "only a list of conditions"),
        ({"all": ["age > 3"]}, "a condition or a group"),
    ],
)
def test_a_wrong_rule_is_refused_with_a_clear_message(rule, message):
    with pytest.raises(ValidationError) as error:
        validate(rule)
    assert any(message in m for m in error.value.messages), error.value.messages


def test_a_valid_rule_passes_validation():
    validate(YOUNG_WOMEN_IN_GAZA)


conditions = st.sampled_from(
    [
        {"field": "person.gender", "op": "eq", "value": "female"},
        {"field": "person.age", "op": "between", "value": [18, 35]},
        {"field": "person.has_disability", "op": "eq", "value": False},
        {"field": "enterprise.legal_form", "op": "not_in", "value": ["company"]},
        {"field": "enterprise.employees", "op": "lte", "value": 5},
    ]
)
rules = st.recursive(
    conditions,
    lambda inner: st.one_of(
        st.builds(lambda xs: {"all": xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda xs: {"any": xs}, st.lists(inner, min_size=1, max_size=3)),
    ),
    max_leaves=8,
)


@given(rule=rules)
def test_every_generated_rule_validates_and_its_verdict_matches_its_reasons(rule):
    validate(rule)
    result = evaluate(rule, woman_of_gaza())
    assert result.reasons
    if "all" in rule or "field" in rule:
        assert result.eligible == all(r.passed for r in result.reasons)


def test_every_field_reads_a_subject_without_error():
    for name, spec in FIELDS.items():
        spec.read(woman_of_gaza())
        spec.read(Subject(today=TODAY))
        if spec.choices:
            assert spec.choices(), name
