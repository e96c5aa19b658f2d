"""The public request service: the client is found in or added to the registry, consents recorded, the case opened once."""

import datetime
import fcntl
import threading
import time
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shubbak.audit.models import AuditEntry
from shubbak.helpdesk import intake
from shubbak.helpdesk import services as helpdesk
from shubbak.helpdesk.models import Case, CaseEvent
from shubbak.notifications.models import Notification
from shubbak.registry import services as registry
from shubbak.registry.models import Consent, Enterprise, Ownership, Person
from shubbak.testing.factories import DeskFactory, ServiceCategoryFactory, ServiceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def catalogue(actors):
    category = ServiceCategoryFactory(network=actors.organisation.network, name_ar="التسجيل", name_en="Registration")
    return {
        "registration": ServiceFactory(category=category, code="business-registration", resolution_days=10),
        "trademark": ServiceFactory(category=category, code="trademark", resolution_days=20),
    }


@pytest.fixture
def answers():
    return {
        "first_name": "سماح",
        "father_name": "خليل",
        "family_name": "الجعبري",
        "gender": "female",
        "phone": "٠٥٩٩ ٢٢٢ ٣٣٣",
        "email": "",
        "governorate": "PS-HBN",
        "national_id": "",
        "enterprise_name": "",
        "subject": "تسجيل مشغل خياطة",
        "description": "أعمل من البيت وأريد تسجيل المشغل",
        "heard_from": "social",
        "campaign": "حملة منشأتي ٢٠٢٦",
        "consents": ["data"],
    }


def submit(actors, catalogue, answers, key=None, services=None):
    return intake.public_request_submit(
        organisation=actors.organisation,
        data=answers,
        services=services if services is not None else [catalogue["registration"]],
        idempotency_key=key,
    )


def test_a_new_client_is_registered_and_her_case_opened(actors, catalogue, answers):
    case = submit(actors, catalogue, answers)
    person = Person.objects.get()
    assert (person.full_name, person.phone, person.gender, person.governorate, person.organisation) == (
        "سماح خليل الجعبري",
        "+970599222333",
        "female",
        "PS-HBN",
        actors.organisation,
    )
    assert (case.person, case.enterprise, case.channel, case.status, case.heard_from, case.campaign) == (
        person,
        None,
        "web",
        "new",
        "social",
        "حملة منشأتي ٢٠٢٦",
    )
    assert (case.contact_name, case.contact_phone, case.desk) == ("سماح خليل الجعبري", "+970599222333", actors.desk)
    assert [cs.service for cs in case.services.all()] == [catalogue["registration"]]
    assert list(case.events.values_list("kind", flat=True)) == [CaseEvent.Kind.CREATED]
    created = AuditEntry.objects.filter(action="create", actor=None).values_list("target_type__model", flat=True)
    assert sorted(created) == ["case", "consent", "person"]


def test_the_consent_is_recorded_with_the_optional_one(actors, catalogue, answers):
    submit(actors, catalogue, dict(answers, consents=["data", "contact"]))
    consents = Consent.objects.order_by("purpose")
    assert [(c.purpose, c.recorded_by, c.note, c.withdrawn_at) for c in consents] == [
        ("contact", None, "public request form", None),
        ("data", None, "public request form", None),
    ]


def test_without_the_data_consent_nothing_is_written(actors, catalogue, answers):
    with pytest.raises(ValidationError) as raised:
        submit(actors, catalogue, dict(answers, consents=["contact"]))
    assert raised.value.message_dict == {"consents": [str(intake.DATA_CONSENT_REQUIRED)]}
    assert (Person.objects.count(), Case.objects.count()) == (0, 0)


def test_an_existing_person_is_linked_by_her_id_number(actors, catalogue, answers):
    known = registry.person_create(
        actor=actors.officer,
        organisation=actors.organisation,
        data={"first_name": "سماح", "family_name": "الجعبري", "gender": "female", "id_type": "ps_id", "national_id": "123456782"},
    )
    case = submit(actors, catalogue, dict(answers, first_name="سماهر", national_id="١٢٣٤٥٦٧٨٢", phone="0598000111"))
    assert case.person == known
    assert Person.objects.count() == 1
    assert case.contact_phone == "+970598000111"  # what she typed is kept on the case, the record is not changed
    known.refresh_from_db()
    assert (known.first_name, known.phone) == ("سماح", "")


def test_same_phone_and_a_similar_name_is_the_same_person(actors, catalogue, answers):
    known = registry.person_create(
        actor=actors.officer,
        organisation=actors.organisation,
        data={
            "first_name": "سماح",
            "father_name": "خليل",
            "grandfather_name": "عبد الرحمن",  # the form does not ask for it
            "family_name": "الجعبرى",
            "gender": "female",
            "phone": "+970599222333",
        },
    )
    case = submit(actors, catalogue, answers)
    assert case.person == known
    assert Person.objects.count() == 1


def test_same_phone_and_another_name_is_a_new_person_and_the_case_is_still_opened(actors, catalogue, answers):
    brother = registry.person_create(
        actor=actors.officer,
        organisation=actors.organisation,
        data={"first_name": "محمود", "father_name": "خليل", "family_name": "الجعبري", "gender": "male", "phone": "0599222333"},
    )
    case = submit(actors, catalogue, answers)
    assert case.person != brother
    assert case.person.full_name == "سماح خليل الجعبري"
    assert Person.objects.count() == 2


def test_same_phone_and_name_but_another_id_number_is_a_new_person(actors, catalogue, answers):
    registry.person_create(
        actor=actors.officer,
        organisation=actors.organisation,
        data={
            "first_name": "سماح",
            "father_name": "خليل",
            "family_name": "الجعبري",
            "gender": "female",
            "phone": "0599222333",
            "id_type": "ps_id",
            "national_id": "123456782",
        },
    )
    case = submit(actors, catalogue, dict(answers, national_id="400000006"))
    assert Person.objects.count() == 2
    assert case.person.national_id == "400000006"


def test_a_person_of_another_organisation_is_never_linked(actors, catalogue, answers):
    registry.person_create(
        actor=actors.outsider,
        organisation=actors.other_organisation,
        data={"first_name": "سماح", "father_name": "خليل", "family_name": "الجعبري", "gender": "female", "phone": "0599222333"},
    )
    case = submit(actors, catalogue, answers)
    assert case.person.organisation == actors.organisation
    assert Person.objects.count() == 2


def test_a_known_consent_is_not_recorded_twice(actors, catalogue, answers):
    submit(actors, catalogue, answers)
    submit(actors, catalogue, dict(answers, subject="طلب ثان"))
    assert Case.objects.count() == 2
    assert Person.objects.count() == 1
    assert list(Consent.objects.values_list("purpose", flat=True)) == ["data"]


def test_her_enterprise_is_registered_with_her_as_owner(actors, catalogue, answers):
    case = submit(
        actors,
        catalogue,
        dict(answers, enterprise_name="مشغل سماح للخياطة", enterprise_status="informal", legal_form="home_based", isic_section="C"),
    )
    enterprise = Enterprise.objects.get()
    assert case.enterprise == enterprise
    assert (enterprise.name_ar, enterprise.status, enterprise.legal_form, enterprise.isic_section, enterprise.governorate) == (
        "مشغل سماح للخياطة",
        "informal",
        "home_based",
        "C",
        "PS-HBN",
    )
    assert list(Ownership.objects.values_list("person", "role")) == [(case.person.pk, "owner")]
    enterprise.refresh_from_db()
    assert enterprise.women_owned


def test_a_registered_enterprise_is_found_by_its_registration_number(actors, catalogue, answers):
    known = registry.enterprise_create(
        actor=actors.officer,
        organisation=actors.organisation,
        data={"name_ar": "شركة النسيج", "legal_form": "company", "status": "registered", "registration_number": "562301"},
    )
    case = submit(
        actors,
        catalogue,
        dict(answers, enterprise_name="النسيج", enterprise_status="registered", legal_form="company", registration_number="562301"),
    )
    assert case.enterprise == known
    assert Enterprise.objects.count() == 1


def test_her_own_enterprise_is_found_by_its_name(actors, catalogue, answers):
    first = submit(actors, catalogue, dict(answers, enterprise_name="مشغل سماح", enterprise_status="informal", legal_form="home_based"))
    again = submit(actors, catalogue, dict(answers, enterprise_name="مشغل سماح", enterprise_status="informal", legal_form="home_based"))
    assert again.enterprise == first.enterprise
    assert (Enterprise.objects.count(), Ownership.objects.count()) == (1, 1)


def test_a_registered_enterprise_needs_its_number(actors, catalogue, answers):
    with pytest.raises(ValidationError) as raised:
        submit(actors, catalogue, dict(answers, enterprise_name="شركة النسيج", enterprise_status="registered", legal_form="company"))
    assert raised.value.message_dict == {"registration_number": ["A registered enterprise needs its registration number."]}


def test_the_same_submission_sent_again_gives_the_same_case(actors, catalogue, answers):
    first = submit(actors, catalogue, answers, key="5f0c6a0e-1d2b-4c1e-9a53-2f4b8e7d9c10")
    again = submit(actors, catalogue, dict(answers, subject="changed"), key="5f0c6a0e-1d2b-4c1e-9a53-2f4b8e7d9c10")
    assert again == first
    assert (Case.objects.count(), Person.objects.count(), Consent.objects.count()) == (1, 1, 1)


def test_a_resend_with_other_answers_undoes_what_it_wrote(actors, catalogue, answers):
    """The key is found only when the case is written (as for two requests at the same moment): the rest is rolled back."""
    stored = submit(actors, catalogue, answers, key="k-1")
    again = submit(actors, catalogue, dict(answers, first_name="هبة", phone="0599777888", consents=["data", "contact"]), key="k-1")
    assert again == stored
    assert (Case.objects.count(), Person.objects.count(), Consent.objects.count()) == (1, 1, 1)
    assert AuditEntry.objects.filter(target_type__model="person").count() == 1


def test_services_of_another_network_are_refused(actors, catalogue, answers):
    foreign = ServiceFactory(code="foreign")
    with pytest.raises(ValidationError) as raised:
        submit(actors, catalogue, answers, services=[catalogue["registration"], foreign])
    assert raised.value.message_dict == {"services": ["Choose services this desk offers."]}
    assert Case.objects.count() == 0


def test_services_kept_off_the_public_form_are_refused(actors, catalogue, answers):
    internal = ServiceFactory(category=catalogue["registration"].category, code="internal", is_public=False)
    with pytest.raises(ValidationError) as raised:
        submit(actors, catalogue, answers, services=[internal])
    assert raised.value.message_dict == {"services": ["Choose services this desk offers."]}


def test_missing_answers_are_all_named_at_once(actors, catalogue, answers):
    empty = dict.fromkeys(answers, "") | {"consents": []}
    with pytest.raises(ValidationError) as raised:
        submit(actors, catalogue, empty, services=[])
    errors = raised.value.message_dict
    assert sorted(errors) == sorted([*intake.REQUIRED, "services", "consents"])
    assert errors["phone"] == ["Write your mobile phone number."]
    assert errors["services"] == ["Choose at least one service."]


def test_a_bad_phone_number_says_how_to_write_it(actors, catalogue, answers):
    with pytest.raises(ValidationError) as raised:
        submit(actors, catalogue, dict(answers, phone="12ab"))
    assert raised.value.message_dict == {
        "phone": ["«12ab» is not a phone number we can read. Write it with its digits, e.g. 0599123456 or +970599123456."]
    }


def test_a_wrong_palestinian_id_number_is_refused(actors, catalogue, answers):
    with pytest.raises(ValidationError) as raised:
        submit(actors, catalogue, dict(answers, national_id="123456789"))
    assert list(raised.value.message_dict) == ["national_id"]


def test_a_governorate_of_another_country_is_refused(actors, catalogue, answers):
    with pytest.raises(ValidationError) as raised:
        submit(actors, catalogue, dict(answers, governorate="SY-DI"))
    assert list(raised.value.message_dict) == ["governorate"]


def test_with_several_desks_she_must_choose_one(actors, catalogue, answers):
    second = DeskFactory(organisation=actors.organisation, name_ar="مكتب الخليل")
    with pytest.raises(ValidationError) as raised:
        submit(actors, catalogue, answers)
    assert raised.value.message_dict == {"desk": ["Choose the desk nearest to you."]}
    assert submit(actors, catalogue, dict(answers, desk=second)).desk == second
    other_desk = DeskFactory(organisation=actors.other_organisation)
    with pytest.raises(ValidationError):
        submit(actors, catalogue, dict(answers, desk=other_desk))


def test_scripts_are_kept_as_text(actors, catalogue, answers):
    case = submit(actors, catalogue, dict(answers, subject="<script>alert(1)</script>", description="<b>مرحبا</b>\nسطر ثان"))
    assert (case.subject, case.description) == ("<script>alert(1)</script>", "<b>مرحبا</b>\nسطر ثان")


def test_the_client_is_emailed_after_commit(actors, catalogue, answers, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = submit(actors, catalogue, dict(answers, email="samah@example.org"))
    assert [m.to for m in mail.outbox] == [["samah@example.org"]]
    assert case.tracking_code in mail.outbox[0].body


def test_no_email_without_an_address(actors, catalogue, answers, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(actors, catalogue, answers)
    assert mail.outbox == []


def test_rates_are_read_like_drf(settings):
    assert intake.parse_rate("20/h") == (20, 3600)
    assert intake.parse_rate("1000/minute") == (1000, 60)
    assert intake.parse_rate("") is None


def test_a_rate_is_counted_per_client(settings):
    from django.core.cache import cache

    cache.clear()
    assert [intake.rate_exceeded("t", "1.2.3.4", "2/h") for _ in range(3)] == [False, False, True]
    assert intake.rate_exceeded("t", "5.6.7.8", "2/h") is False
    assert intake.rate_exceeded("t", "1.2.3.4", "2/h", count=False) is True


def test_a_brother_on_the_family_phone_is_not_his_sister(actors, catalogue, answers):
    brother = registry.person_create(
        actor=actors.officer,
        organisation=actors.organisation,
        data={"first_name": "محمد", "father_name": "خليل", "family_name": "الجعبري", "gender": "male", "phone": "0599222333"},
    )
    case = submit(actors, catalogue, dict(answers, first_name="محمود", gender="male"))
    assert case.person != brother


def test_the_first_name_in_another_spelling_is_the_same_person(actors, catalogue, answers):
    known = registry.person_create(
        actor=actors.officer,
        organisation=actors.organisation,
        data={"first_name": "إسراء", "father_name": "خليل", "family_name": "الجعبري", "gender": "female", "phone": "0599222333"},
    )
    assert submit(actors, catalogue, dict(answers, first_name="اسراء")).person == known


def test_a_choice_that_does_not_exist_is_refused_and_nothing_is_kept(actors, catalogue, answers):
    with pytest.raises(ValidationError) as raised:
        submit(actors, catalogue, dict(answers, gender="x"))
    assert list(raised.value.message_dict) == ["gender"]
    with pytest.raises(ValidationError) as raised:
        submit(actors, catalogue, dict(answers, heard_from="radio-x", enterprise_name="مشغل", enterprise_status="idea", legal_form="sole"))
    assert list(raised.value.message_dict) == ["heard_from"]
    assert (Person.objects.count(), Enterprise.objects.count(), Case.objects.count()) == (0, 0, 0)


# --- what one submission writes, and how few statements it takes ----------------------------------------------------


def inserted_tables(queries) -> list[str]:
    return [q["sql"].split('"')[1] for q in queries if q["sql"].startswith("INSERT INTO")]


def test_a_new_client_is_written_in_one_statement_per_table(actors, catalogue, answers):
    with CaptureQueriesContext(connection) as captured:
        submit(actors, catalogue, dict(answers, consents=["data", "contact"]), services=list(catalogue.values()))
    assert inserted_tables(captured.captured_queries) == [
        "registry_person",
        "helpdesk_case",
        "helpdesk_caseservice",
        "helpdesk_caseevent",
        "registry_consent",
        "audit_auditentry",
        "notifications_notification",
    ]
    assert not [q for q in captured.captured_queries if q["sql"].startswith("SELECT 1 AS")]  # no existence checks


def test_her_enterprise_adds_its_rows_and_every_record_is_audited(actors, catalogue, answers):
    with CaptureQueriesContext(connection) as captured:
        case = submit(actors, catalogue, dict(answers, enterprise_name="مشغل سماح", enterprise_status="informal", legal_form="home_based"))
    assert inserted_tables(captured.captured_queries)[:5] == [
        "registry_person",
        "registry_enterprise",
        "registry_statuschange",
        "registry_ownership",
        "helpdesk_case",
    ]
    entries = AuditEntry.objects.order_by("id")
    assert [(e.action, e.target_type.model, e.actor, e.organisation) for e in entries] == [
        ("create", model, None, actors.organisation) for model in ("person", "enterprise", "ownership", "consent", "case")
    ]
    assert entries.get(target_type__model="case").changes["subject"] == [None, "تسجيل مشغل خياطة"]
    assert entries.get(target_type__model="enterprise").changes["women_owned"] == [None, True]
    assert list(case.enterprise.status_changes.values_list("from_status", "to_status")) == [("", "informal")]


def test_a_registered_client_adds_only_the_case_and_her_new_consent(actors, catalogue, answers):
    known = registry.person_create(
        actor=actors.officer,
        organisation=actors.organisation,
        data={"first_name": "سماح", "father_name": "خليل", "family_name": "الجعبري", "gender": "female", "phone": "0599222333"},
        consents=["data"],
    )
    with CaptureQueriesContext(connection) as captured:
        case = submit(actors, catalogue, dict(answers, consents=["data", "contact"]))
    assert case.person == known
    assert inserted_tables(captured.captured_queries) == [
        "helpdesk_case",
        "helpdesk_caseservice",
        "helpdesk_caseevent",
        "registry_consent",
        "audit_auditentry",
        "notifications_notification",
    ]
    assert sorted(known.consents.values_list("purpose", flat=True)) == ["contact", "data"]


def test_the_person_is_registered_as_the_registry_would(actors, catalogue, answers):
    case = submit(actors, catalogue, dict(answers, national_id="١٢٣٤٥٦٧٨٢"))
    person = Person.objects.get(pk=case.person.pk)
    assert (person.id_type, person.national_id) == ("ps_id", "123456782")
    assert person.search_text == registry.rules.person_search_text(person)
    assert person.search_text


def test_a_known_young_owner_makes_her_new_enterprise_youth_owned(actors, catalogue, answers):
    known = registry.person_create(
        actor=actors.officer,
        organisation=actors.organisation,
        data={
            "first_name": "سماح",
            "father_name": "خليل",
            "family_name": "الجعبري",
            "gender": "female",
            "phone": "0599222333",
            "birth_date": datetime.date.today() - datetime.timedelta(days=365 * 22),
        },
    )
    case = submit(actors, catalogue, dict(answers, enterprise_name="مشغل سماح", enterprise_status="idea", legal_form="home_based"))
    assert case.person == known
    case.enterprise.refresh_from_db()
    assert (case.enterprise.women_owned, case.enterprise.youth_owned) == (True, True)


def test_the_coordinators_are_told_in_the_app(actors, catalogue, answers):
    case = submit(actors, catalogue, answers)
    told = Notification.objects.filter(kind="new_request", url=f"/cases/{case.pk}/")
    assert sorted(told.values_list("user", flat=True)) == sorted([actors.admin.pk, actors.coordinator.pk])
    assert told.first().title == str(case)


def test_the_staff_given_by_the_caller_are_told(actors, catalogue, answers):
    case = intake.public_request_submit(
        organisation=actors.organisation, data=answers, services=[catalogue["registration"]], staff=(actors.coordinator,)
    )
    assert list(Notification.objects.filter(url=f"/cases/{case.pk}/").values_list("user", flat=True)) == [actors.coordinator.pk]


def test_the_clocks_are_set_from_the_strictest_service(actors, catalogue, answers):
    case = submit(actors, catalogue, answers, services=[catalogue["registration"], catalogue["trademark"]])
    calendar = helpdesk.calendar_for(actors.organisation)
    assert case.resolution_due == calendar.add_working_days(case.created_at, 10)
    assert Case.objects.get(pk=case.pk).resolution_due == case.resolution_due


def test_fields_are_checked_as_the_models_check_them(actors, catalogue, answers):
    with pytest.raises(ValidationError) as raised:
        submit(actors, catalogue, dict(answers, email="not-an-address", subject="س" * 201, campaign="c" * 101))
    assert sorted(raised.value.message_dict) == ["campaign", "email", "subject"]
    assert (Person.objects.count(), Case.objects.count()) == (0, 0)


def test_an_enterprise_name_too_long_is_named_as_the_form_names_it(actors, catalogue, answers):
    with pytest.raises(ValidationError) as raised:
        submit(actors, catalogue, dict(answers, enterprise_name="م" * 201, enterprise_status="idea", legal_form="home_based"))
    assert list(raised.value.message_dict) == ["enterprise_name"]


@pytest.mark.django_db(transaction=True)
def test_on_a_sqlite_file_the_writers_take_turns_by_a_lock_beside_it(actors, catalogue, answers, monkeypatch, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    monkeypatch.setattr(connection, "is_in_memory_db", lambda: False)
    monkeypatch.setitem(connection.settings_dict, "NAME", str(tmp_path / "shubbak.sqlite3"))
    case = submit(actors, catalogue, answers)
    assert Case.objects.filter(pk=case.pk).exists()
    lock = tmp_path / "shubbak.sqlite3.intake-lock"
    assert lock.exists()
    with open(lock) as other:  # released: another process could take it at once
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)


def test_threads_of_one_worker_also_take_turns(monkeypatch, tmp_path):
    """A threaded worker's threads each open the lock file: one holding it keeps the others waiting."""
    fake = SimpleNamespace(
        vendor="sqlite", in_atomic_block=False, is_in_memory_db=lambda: False, settings_dict={"NAME": str(tmp_path / "db")}
    )
    monkeypatch.setattr(intake, "connection", fake)
    inside, release, order = threading.Event(), threading.Event(), []

    def first():
        with intake._writers_in_line():
            order.append("first in")
            inside.set()
            release.wait(5)
            order.append("first out")

    def second():
        inside.wait(5)
        with intake._writers_in_line():
            order.append("second in")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    inside.wait(5)
    time.sleep(0.2)  # the second thread is at the lock by now
    assert order == ["first in"]
    release.set()
    for thread in threads:
        thread.join(5)
    assert order == ["first in", "first out", "second in"]
