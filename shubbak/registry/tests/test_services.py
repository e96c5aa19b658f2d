import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shubbak.audit.models import AuditEntry
from shubbak.registry import selectors, services
from shubbak.registry.models import AddressHistory, Consent, Enterprise, Ownership, Person, StatusChange

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_a_person_is_stored_normalised_and_audited(actors, fatima):
    assert (fatima.phone, fatima.national_id, fatima.full_name) == ("+970599123456", "123456782", "فاطمة عبد الله محمود التميمي")
    assert "فاطمه" in fatima.search_text and "0599123456" in fatima.search_text
    entry = AuditEntry.objects.get(action="create", target_id=str(fatima.pk), target_type__model="person")
    assert (entry.actor, entry.organisation) == (actors.officer, actors.organisation)


@pytest.mark.parametrize(
    "query",
    [
        "فاطمه التميمي",
        "فاطِمَة",
        "فاطمة عبدالله",
        "فاطمـــة  عبد  الله",
        "0599123456",
        "٠٥٩٩ ١٢٣ ٤٥٦",
        "+970 599 123 456",
        "123456782",
        "fatima",
    ],
)
def test_search_finds_the_person_in_any_spelling(actors, fatima, query):
    if query == "fatima":
        services.person_update(actor=actors.officer, person=fatima, data={"name_latin": "Fatima Tamimi"})
    assert list(selectors.person_list(user=actors.officer, query=query)) == [fatima]


def test_search_needs_every_word(actors, fatima):
    assert list(selectors.person_list(user=actors.officer, query="فاطمة القاسم")) == []


def test_other_organisations_cannot_find_the_person(actors, fatima):
    assert list(selectors.person_list(user=actors.outsider, query="فاطمة")) == []
    assert list(selectors.person_list(user=actors.manager, query="فاطمة")) == [fatima]  # the network manager sees the network


def test_a_likely_duplicate_is_shown_with_the_reasons(actors, fatima, person_data):
    again = dict(person_data, first_name="فاطمه", father_name="عبدالله", national_id="", id_type="", phone="0599 123 456")
    with pytest.raises(services.DuplicatesFound) as found:
        services.person_create(actor=actors.coordinator, organisation=actors.organisation, data=again)
    assert [(d.record, d.reasons) for d in found.value.duplicates] == [(fatima, ["same phone number", "similar name and same birth date"])]
    confirmed = services.person_create(actor=actors.coordinator, organisation=actors.organisation, data=again, confirmed=True)
    assert Person.objects.filter(family_name="التميمي").count() == 2
    assert confirmed.pk != fatima.pk


def test_same_id_is_a_duplicate_even_with_another_name(actors, fatima, person_data):
    with pytest.raises(services.DuplicatesFound) as found:
        services.person_create(actor=actors.officer, organisation=actors.organisation, data=dict(person_data, first_name="سارة", phone=""))
    assert found.value.duplicates[0].reasons == ["same ID number", "same phone number"][:1]


def test_duplicates_in_another_organisation_are_not_revealed(actors, fatima, person_data):
    services.person_create(actor=actors.outsider, organisation=actors.other_organisation, data=dict(person_data, governorate="PS-HBN"))
    assert Person.objects.filter(national_id="123456782").count() == 2


def test_bad_input_gets_clear_messages_and_nothing_is_stored(actors, person_data):
    bad = dict(person_data, phone="call me", national_id="123456789", governorate="SY-DI", birth_date=datetime.date(2999, 1, 1))
    with pytest.raises(ValidationError) as error:
        services.person_create(actor=actors.officer, organisation=actors.organisation, data=bad)
    assert set(error.value.message_dict) == {"phone", "national_id", "governorate", "birth_date"}
    assert Person.objects.count() == 0


def test_a_viewer_cannot_register_people(actors, person_data):
    with pytest.raises(PermissionDenied):
        services.person_create(actor=actors.viewer, organisation=actors.organisation, data=person_data)


def test_moving_keeps_the_previous_address(actors, fatima):
    updated = services.person_update(actor=actors.officer, person=fatima, data={"governorate": "PS-JEN", "displacement": "displaced"})
    assert (updated.governorate, updated.displacement) == ("PS-JEN", "displaced")
    assert list(AddressHistory.objects.values_list("governorate", "displacement")) == [("PS-NBS", "resident")]
    entry = AuditEntry.objects.get(action="update", target_type__model="person")
    assert entry.changes == {"displacement": ["resident", "displaced"], "governorate": ["PS-NBS", "PS-JEN"]}


def test_consent_is_recorded_and_withdrawn_with_who_and_when(actors, fatima):
    consent = services.consent_give(actor=actors.officer, person=fatima, purpose="share")
    services.consent_withdraw(actor=actors.coordinator, consent=consent)
    consent.refresh_from_db()
    assert (consent.recorded_by, consent.withdrawn_by) == (actors.officer, actors.coordinator)
    assert consent.withdrawn_at is not None
    with pytest.raises(ValidationError):
        services.consent_withdraw(actor=actors.coordinator, consent=consent)
    assert Consent.objects.count() == 1


def test_an_enterprise_size_is_derived_never_typed(actors, bakery):
    assert bakery.size_class == "micro"
    grown = services.enterprise_update(actor=actors.officer, enterprise=bakery, data={"men_full_time": 12, "size_class": "micro"})
    assert grown.size_class == "medium"  # Palestine: small up to 9 staff, medium up to 19
    assert services.enterprise_update(actor=actors.officer, enterprise=grown, data={"women_part_time": 10}).size_class == "large"


def test_formalisation_is_kept_in_the_status_history(actors, bakery):
    with pytest.raises(ValidationError) as error:
        services.enterprise_update(actor=actors.officer, enterprise=bakery, data={"status": "registered"})
    assert error.value.message_dict == {"registration_number": ["A registered enterprise needs its registration number."]}
    services.enterprise_update(actor=actors.officer, enterprise=bakery, data={"status": "registered", "registration_number": "562301"})
    assert [(c.from_status, c.to_status, c.is_formalisation) for c in StatusChange.objects.order_by("id")] == [
        ("", "informal", False),
        ("informal", "registered", True),
    ]


def test_a_division_outside_its_section_is_refused_and_a_lone_division_fills_its_section(actors, bakery):
    with pytest.raises(ValidationError):
        services.enterprise_update(actor=actors.officer, enterprise=bakery, data={"isic_section": "A", "isic_division": "10"})
    assert services.enterprise_update(actor=actors.officer, enterprise=bakery, data={"isic_division": "10"}).isic_section == "C"


def test_women_and_youth_owned_follow_the_owners(actors, bakery, fatima):
    services.ownership_add(actor=actors.officer, enterprise=bakery, person=fatima, role="owner", share=60)
    bakery.refresh_from_db()
    assert (bakery.women_owned, bakery.youth_owned) == (True, True)  # born 2001: youth (up to 29) for a few years yet
    older = services.person_update(actor=actors.officer, person=fatima, data={"birth_date": datetime.date(1970, 1, 1)})
    bakery.refresh_from_db()
    assert (older.birth_date.year, bakery.youth_owned) == (1970, False)


def test_merging_moves_every_link_fills_blanks_and_keeps_the_duplicate(actors, fatima, bakery, person_data):
    twin = services.person_create(
        actor=actors.officer, organisation=actors.organisation, confirmed=True,
        data=dict(person_data, national_id="", id_type="", phone="", email="fatima@example.org", locality="رفيديا"),
    )  # fmt: skip
    services.ownership_add(actor=actors.officer, enterprise=bakery, person=twin, role="owner")
    services.consent_give(actor=actors.officer, person=twin, purpose="data")
    moved = services.record_merge(actor=actors.coordinator, survivor=fatima, duplicate=twin)
    assert moved == {"registry.consent": 1, "registry.ownership": 1}
    fatima.refresh_from_db()
    twin.refresh_from_db()
    assert (fatima.email, fatima.locality, twin.merged_into) == ("fatima@example.org", "رفيديا", fatima)
    assert list(Ownership.objects.values_list("person_id", flat=True)) == [fatima.pk]
    assert list(selectors.person_list(user=actors.officer, query="فاطمة")) == [fatima]
    entry = AuditEntry.objects.filter(target_id=str(fatima.pk), target_type__model="person").latest("id")
    assert entry.changes["merged_from"] == [None, twin.pk]


def test_a_merge_keeps_one_of_two_identical_links(actors, fatima, bakery, person_data):
    twin = services.person_create(actor=actors.officer, organisation=actors.organisation, confirmed=True, data=person_data)
    services.ownership_add(actor=actors.officer, enterprise=bakery, person=fatima, role="owner")
    services.ownership_add(actor=actors.officer, enterprise=bakery, person=twin, role="owner")
    services.record_merge(actor=actors.officer, survivor=fatima, duplicate=twin)
    assert list(Ownership.objects.values_list("person_id", flat=True)) == [fatima.pk]


def test_a_merge_across_organisations_needs_rights_in_both(actors, fatima, person_data):
    other = services.person_create(
        actor=actors.outsider, organisation=actors.other_organisation, data=dict(person_data, governorate="PS-HBN")
    )
    with pytest.raises(PermissionDenied):
        services.record_merge(actor=actors.officer, survivor=fatima, duplicate=other)
    assert Person.objects.filter(merged_into__isnull=False).count() == 0


def test_enterprise_duplicates_by_name_in_the_same_governorate(actors, bakery):
    with pytest.raises(services.DuplicatesFound) as found:
        services.enterprise_create(
            actor=actors.officer,
            organisation=actors.organisation,
            data={"name_ar": "مخبز الامل", "legal_form": "sole", "governorate": "PS-NBS"},
        )
    assert [(d.record, d.reasons) for d in found.value.duplicates] == [(bakery, ["similar name in the same governorate"])]
    elsewhere = services.enterprise_create(
        actor=actors.officer,
        organisation=actors.organisation,
        data={"name_ar": "مخبز الأمل", "legal_form": "sole", "governorate": "PS-JEN"},
    )
    assert Enterprise.objects.count() == 2 and elsewhere.governorate == "PS-JEN"


def test_reindex_rebuilds_stale_search_text(actors, fatima):
    from django.core.management import call_command

    Person.objects.filter(pk=fatima.pk).update(search_text="stale")
    assert list(selectors.person_list(user=actors.officer, query="فاطمة")) == []
    call_command("reindex_search")
    assert list(selectors.person_list(user=actors.officer, query="فاطمة")) == [fatima]
