import re
from io import StringIO

import pytest
from django.core.management import call_command

from shubbak.arabic import normalise
from shubbak.organisations.models import Membership, Organisation
from shubbak.registry import rules, selectors
from shubbak.registry.models import Enterprise, Ownership, Person
from shubbak.testing.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated():
    call_command("generate_data", people=200, enterprises=50, organisations=3, seed=1, stdout=StringIO())


def _other_spelling(name: str) -> str:
    """The name as someone else may type it: hamza dropped, ة as ه, or else with harakat."""
    if re.search("[أإآ]", name):
        return re.sub("[أإآ]", "ا", name)
    if name.endswith("ة"):
        return name[:-1] + "ه"
    return "".join(ch + "\u064e" if ch.isalpha() else ch for ch in name)  # a fatha on every letter


def test_counts_and_organisations(generated):
    organisations = Organisation.objects.filter(slug__startswith="bench-")
    assert organisations.count() == 3
    assert Person.objects.count() == 200
    assert Enterprise.objects.count() == 50
    assert set(Person.objects.values_list("organisation__slug", flat=True)) <= set(organisations.values_list("slug", flat=True))
    assert Ownership.objects.exists()


def test_search_text_is_filled_and_normalised(generated):
    for person in Person.objects.all():
        assert person.search_text
        assert person.search_text == normalise(person.search_text) == rules.person_search_text(person)
    for enterprise in Enterprise.objects.select_related("organisation"):
        assert enterprise.search_text == normalise(enterprise.search_text) == rules.enterprise_search_text(enterprise)
        assert enterprise.size_class == rules.size_class(
            country=enterprise.organisation.country, employees=enterprise.employees, revenue_band=enterprise.revenue_band
        )


def test_palestinian_ids_pass_their_check_digit(generated):
    ids = list(Person.objects.filter(id_type="ps_id").values_list("national_id", flat=True))
    assert ids
    for national_id in ids:
        assert rules.clean_national_id("ps_id", national_id) == national_id


def test_phones_are_stored_in_e164(generated):
    phones = [p for p in Person.objects.values_list("phone", flat=True) if p]
    assert phones
    assert all(re.fullmatch(r"\+(970|963|967)\d{7,9}", p) for p in phones)


def test_a_person_is_found_by_another_spelling_of_their_name(generated):
    manager = UserFactory()
    MembershipFactory(user=manager, organisation=Organisation.objects.get(slug="bench-001"), role=Membership.Role.NETWORK_MANAGER)
    for person in Person.objects.order_by("id")[:20]:
        first, family = _other_spelling(person.first_name), _other_spelling(person.family_name)
        assert (first, family) != (person.first_name, person.family_name)
        assert normalise(f"{first} {family}") == normalise(f"{person.first_name} {person.family_name}")
        assert selectors.person_list(user=manager, query=f"{first} {family}").filter(pk=person.pk).exists(), (first, family)
