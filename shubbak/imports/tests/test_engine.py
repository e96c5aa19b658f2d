import datetime
import pickle
from copy import copy
from functools import partial

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shubbak.audit.models import AuditEntry
from shubbak.audit.services import diff, snapshot
from shubbak.imports import engine, services
from shubbak.imports.fields import guess_mapping
from shubbak.imports.models import ImportJob
from shubbak.registry.models import Enterprise, Person

from .conftest import PEOPLE_HEADERS, person_row

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def context(actors) -> engine.Context:
    return engine.Context.build(
        organisation=actors.organisation, kind="people", mapping=guess_mapping("people", PEOPLE_HEADERS), headers=PEOPLE_HEADERS
    )


SAMPLES = [None, "", "فاطمة", Person.Gender.FEMALE, True, False, 0, 7, datetime.date(2001, 3, 14), timezone.now(), {"a": [None, 1]}]


@pytest.mark.filterwarnings("ignore:DateTimeField .* received a naive datetime")  # a date given to a date-and-time field
@pytest.mark.parametrize("model", [Person, Enterprise, AuditEntry])
def test_values_are_prepared_for_the_database_as_get_db_prep_save_prepares_them(model):
    def outcome(prepare, value):
        try:
            prepared = prepare(value)
        except Exception as exc:  # a value a field cannot take fails the same way
            return type(exc)
        return type(prepared), str(prepared)

    for field in engine._columns(model):
        to_db = engine._to_db(field, connection)
        for value in SAMPLES * 2:  # the second time, from what was remembered
            assert outcome(to_db, value) == outcome(partial(field.get_db_prep_save, connection=connection), value), (field, value)


def test_the_audit_entry_of_a_created_record_holds_what_audited_create_records(actors):
    person = Person(organisation=actors.organisation, first_name="فاطمة", family_name="التميمي", gender="female")
    person.birth_date = datetime.date(2001, 3, 14)
    person.created_at = timezone.now()
    person.pk = 41
    assert engine._created_changes(person) == diff({}, snapshot(person))


def test_an_update_writes_what_bulk_update_writes(actors):
    one, two = (
        Person.objects.create(organisation=actors.organisation, first_name=name, family_name="التميمي", gender="female")
        for name in ("فاطمة", "مريم")
    )
    for person, town in ((one, "بيتا"), (two, "حوارة")):
        person.locality, person.birth_date, person.has_disability = town, datetime.date(1990, 1, 2), True
    engine._update(Person, [one, two], ["birth_date", "has_disability", "locality"])
    assert list(Person.objects.order_by("id").values_list("locality", "birth_date", "has_disability")) == [
        ("بيتا", datetime.date(1990, 1, 2), True),
        ("حوارة", datetime.date(1990, 1, 2), True),
    ]


def test_a_value_that_passed_its_checks_is_not_checked_again_but_a_failing_one_always_is(actors):
    ctx = context(actors)
    long_name = "ا" * 61  # more than the 60 letters a name may have
    rows = [(2, person_row(1)), (3, person_row(2, first=long_name)), (4, person_row(3)), (5, person_row(4, first=long_name))]
    plan = engine.plan_chunk(ctx, rows)
    assert [r.action for r in plan.results] == ["create", "error", "create", "error"]
    assert [r.errors[0][:2] for r in plan.results if r.errors] == [("الاسم الأول", long_name), ("الاسم الأول", long_name)]
    assert ("first_name", str, "فاطمة") in ctx.known_valid
    assert ("first_name", str, long_name) not in ctx.known_valid


def test_a_chunk_is_matched_with_one_query_per_kind_of_key_whatever_its_size(actors):
    ctx = context(actors)
    for size in (2, 40):
        with CaptureQueriesContext(connection) as queries:
            engine.plan_chunk(ctx, [(n + 1, person_row(n)) for n in range(1, size)])
        assert len(queries) == 3  # external id, ID number, phone


def test_an_emptied_plan_lets_go_of_its_records(actors):
    plan = engine.plan_chunk(context(actors), [(2, person_row(1)), (3, person_row(2))])
    assert len(plan.creates) == 2
    plan.clear()
    assert (plan.results, plan.creates, plan.current, plan.originals, plan.snapshots, plan.rows_of) == ([], [], {}, {}, {}, {})


def test_the_import_puts_back_the_connections_checkpoint_setting(actors):
    if connection.vendor != "sqlite":
        pytest.skip("a setting of SQLite")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint=321")
    with services._checkpoints_spaced(Person), connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        assert cursor.fetchone() == (16384,)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        assert cursor.fetchone() == (321,)


def test_rows_read_ahead_of_the_plan_are_not_changed_by_it(actors):
    row = person_row(1)
    kept = copy(row)
    engine.plan_chunk(context(actors), [(2, row)])
    assert row == kept


@pytest.mark.parametrize("errors", [False, True])
def test_a_row_read_in_a_reader_process_arrives_as_it_was_read(actors, errors):
    ctx = context(actors)
    (row,) = engine.read_rows(ctx, [(2, person_row(1, nid="123456789") if errors else person_row(1))])
    received = pickle.loads(pickle.dumps(row, protocol=pickle.HIGHEST_PROTOCOL))
    assert (received.result, received.cells, received.values) == (row.result, row.cells, row.values)
    assert (received.external, received.nid, received.phone, received.registration) == (row.external, row.nid, row.phone, row.registration)
    if errors:
        assert received.fresh is None and received.fresh_errors.message_dict == row.fresh_errors.message_dict
        return
    assert snapshot(received.fresh) == snapshot(row.fresh) and received.fresh.search_text == row.fresh.search_text
    assert (received.fresh._state.adding, received.fresh._state.db) == (row.fresh._state.adding, row.fresh._state.db)
    assert "organisation" not in received.fresh._state.fields_cache  # the receiver puts its own back
    assert received.fresh.organisation_id == actors.organisation.pk


def test_a_new_record_is_what_the_model_s_init_makes(actors):
    chamber = actors.organisation
    cases = [
        (Person, {"first_name": "فاطمة", "birth_date": datetime.date(2001, 3, 14), "has_disability": True, "phone": "0599000001"}),
        (Enterprise, {"name_ar": "مشغل النور", "chamber": chamber, "chamber_member": True, "men_full_time": 3}),
        (ImportJob, {"original_name": "people.xlsx"}),  # defaults made anew for each record: lists, dicts
    ]
    for model, values in cases:
        make = engine._record_maker(model, actors.organisation)
        made, expected = make(values), model(organisation=actors.organisation, **values)
        assert {k: v for k, v in vars(made).items() if k != "_state"} == {k: v for k, v in vars(expected).items() if k != "_state"}
        assert vars(made._state) == vars(expected._state)
        assert made.organisation is actors.organisation and made.pk is None
    first, second = (make({}) for _ in range(2))
    assert first.headers == [] and first.headers is not second.headers
    first._state.fields_cache.clear()
    assert second._state.fields_cache == {"organisation": actors.organisation}
