"""The import of one chunk of rows: read, validate like the services, match existing records, then write in bulk.

`read_rows` reads the cells and prepares each row as a new record, without the database (an import runs it in a
reader process, see pipeline.py); `plan_rows` matches (a query per kind of key per chunk, none per row) and decides,
row by row, whether the row creates a record, updates one, changes nothing or fails; `write_plan` applies the
decisions with bulk inserts and batched updates, and writes the audit entries and side records (old addresses, status
changes) in bulk too. `plan_chunk` is the first two; the preview runs it alone.

Matching, within the organisation's live records (merged-away ones are skipped):
- by external id when the file has that column and the cell is filled;
- else people by ID type and number, then by mobile phone when the names agree (relatives share phones);
- else enterprises by registration number.
A record matched by a natural key but holding another external id is not the same record.
Rows of the same file that match each other update the first one instead of creating twice.
"""

import sqlite3
from collections.abc import Callable
from contextlib import suppress
from copy import copy
from dataclasses import dataclass, field
from functools import cached_property, lru_cache, partial

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connections, models, router
from django.db.models.base import ModelState
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_init, pre_init
from django.utils import timezone
from django.utils.translation import gettext as _

from shubbak.arabic import name_similarity
from shubbak.audit.models import AuditEntry
from shubbak.audit.services import _jsonable as jsonable
from shubbak.audit.services import diff, snapshot
from shubbak.middleware import current_request_context
from shubbak.organisations.models import Organisation
from shubbak.phones import to_e164
from shubbak.registry import rules
from shubbak.registry.models import AddressHistory, Enterprise, Ownership, Person, StatusChange
from shubbak.registry.selectors import SIMILAR_NAME
from shubbak.registry.services import ADDRESS_FIELDS

from . import fields
from .fields import DEFAULT_ID_TYPE, CellError, Target

WRITE_BATCH = 500
KNOWN_VALID = 100_000  # values remembered per import as having passed their field's checks (a few MB)
DERIVED = {"isic_section"}  # set by prepare from another field
NOT_CLEANED = {"search_text", "organisation", "merged_into", "chamber"}  # links are set from lists loaded once: no query per row


@dataclass
class Context:
    """Everything a chunk needs that does not change during an import: computed once per job."""

    organisation: Organisation
    target: Target
    mapping: dict[str, int]
    headers: list[str]
    readers: dict[str, Callable]
    actor: object = None
    job_id: int | None = None
    known_valid: set = field(default_factory=set)  # (field, type, value) that passed the field's checks in this import

    @classmethod
    def build(cls, *, organisation: Organisation, kind: str, mapping: dict[str, int], headers: list[str], actor=None, job_id=None):
        chambers = ()
        if kind == fields.Kind.ENTERPRISES and "chamber" in mapping:
            chambers = list(Organisation.objects.filter(kind=Organisation.Kind.CHAMBER, country=organisation.country, is_active=True))
        readers = fields.converters(kind, country=organisation.country, chambers=chambers)
        mapping = {name: int(column) for name, column in mapping.items() if name in readers}
        return cls(organisation, fields.TARGETS[kind], mapping, headers, readers, actor, job_id)

    @cached_property
    def new_record(self) -> Callable[[dict], models.Model]:
        """`model(organisation=…, **values)` for this import's kind of record (see `_record_maker`)."""
        return _record_maker(self.target.model, self.organisation)

    @property
    def is_people(self) -> bool:
        return self.target.model is Person

    def column(self, name: str) -> str:
        """The header of the column mapped to a field, or the field's label when it is not in the file."""
        if name in self.mapping and self.mapping[name] < len(self.headers):
            return self.headers[self.mapping[name]]
        return "" if name == NON_FIELD_ERRORS else self.target.label(name)


def _record_maker(model, organisation: Organisation) -> Callable[[dict], models.Model]:
    """A function giving what `model(organisation=organisation, **values)` gives, made from a blank record's attributes.

    Django's __init__ goes through every field of the model, for each row: 14 µs a record, a tenth of reading a row.
    Copying the blank record's attributes takes 2. A default that comes out new each time (a callable's, a database
    default) is made anew for each record; links (a chamber) are set through their descriptor, as __init__ does; with
    receivers of the model's init signals, Django's own __init__ is used.
    """
    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        return lambda values: model(organisation=organisation, **values)
    blank = model(organisation=organisation)
    attributes = {name: value for name, value in blank.__dict__.items() if name != "_state"}
    state = blank._state.__dict__
    fields = model._meta.concrete_fields
    made = [(f.attname, f.get_default) for f in fields if f.get_default() is not f.get_default()]
    links = {f.name for f in fields if f.is_relation}

    def new_record(values: dict) -> models.Model:
        record = model.__new__(model)
        own = record.__dict__
        own.update(attributes)
        for attname, default in made:
            own[attname] = default()
        record._state = ModelState()
        record._state.__dict__.update(state)
        record._state.fields_cache = dict(state["fields_cache"])
        for name, value in values.items():
            if name in links:
                setattr(record, name, value)
            else:
                own[name] = value
        return record

    return new_record


@dataclass
class RowResult:
    """What one row did (create, update, unchanged, error), why, and what went wrong."""

    number: int
    action: str = ""
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (column, value, message)
    record: models.Model | None = None
    reason: str = ""  # how it was matched
    changed: list[str] = field(default_factory=list)  # labels of the fields it changes


@dataclass
class Plan:
    """The decisions for one chunk, ready to write."""

    results: list[RowResult] = field(default_factory=list)
    creates: list[models.Model] = field(default_factory=list)
    current: dict[int, models.Model] = field(default_factory=dict)  # pk → the record as the chunk leaves it
    originals: dict[int, dict] = field(default_factory=dict)  # pk → snapshot before the chunk, for records a row changes
    snapshots: dict[int, dict] = field(default_factory=dict)  # pk → snapshot as the chunk leaves it, for the same
    rows_of: dict[int, list[RowResult]] = field(default_factory=dict)  # pk → rows that changed it

    @property
    def changed_pks(self) -> list[int]:
        return [pk for pk, after in self.snapshots.items() if after != self.originals[pk]]

    def clear(self) -> None:
        """Let go of the chunk's rows and records once they are written and counted.

        A Django ValidationError refers to itself, so a caught one lives on, with its traceback, until the cycle
        collector finds it; the traceback's frames reach `plan_chunk`'s, and through it this plan. Emptied, the chunk
        is freed at once instead of being walked, and held, until then.
        """
        for part in (self.results, self.creates, self.current, self.originals, self.snapshots, self.rows_of):
            part.clear()


@dataclass
class Row:
    """A row of the file, read and prepared as a new record: all of it made without the database, so that a reader
    process can make it and send it pickled (see pipeline.py)."""

    result: RowResult
    cells: list
    values: dict
    fresh: models.Model | None = None  # the row as a new record, prepared (None when preparing failed)
    fresh_errors: ValidationError | None = None
    external: str = ""
    nid: tuple[str, str] | None = None
    phone: str = ""
    registration: str = ""

    def __reduce__(self):
        """Pickled as plain values, without the organisation (the receiver puts its own back): Django pickles a model
        instance through several calls and copies, six times the cost, on both sides, for each row sent."""
        fresh = self.fresh
        if fresh is not None:
            state = fresh._state
            attributes = {name: value for name, value in fresh.__dict__.items() if name != "_state"}
            cache = {name: value for name, value in state.fields_cache.items() if name != "organisation"}
            fresh = (type(fresh), attributes, state.adding, state.db, cache)
        result = self.result
        return _unpickled_row, (
            (result.number, result.action, result.errors, result.record, result.reason, result.changed),
            (self.cells, self.values, fresh, self.fresh_errors, self.external, self.nid, self.phone, self.registration),
        )


def _unpickled_row(result: tuple, row: tuple) -> Row:
    cells, values, fresh, *keys = row
    if fresh is not None:
        model, attributes, adding, db, cache = fresh
        fresh = model.__new__(model)
        fresh.__dict__.update(attributes)
        fresh._state = ModelState()
        fresh._state.adding, fresh._state.db = adding, db
        fresh._state.fields_cache.update(cache)
    return Row(RowResult(*result), cells, values, fresh, *keys)


def _read_row(ctx: Context, number: int, cells: list) -> Row:
    """Read the mapped cells, then prepare the row as a new record: that normalises its matching keys too."""
    row = Row(RowResult(number), cells, {})
    width = len(cells)
    for name, column in ctx.mapping.items():
        raw = cells[column] if column < width else None
        if raw is None or raw == "":
            continue
        try:
            value = ctx.readers[name](raw)
        except CellError as exc:
            row.result.errors.append((ctx.column(name), fields.cell_text(raw), exc.message))
            continue
        if value is not None:
            row.values[name] = value
    if row.result.errors:
        return row
    default_id_type = DEFAULT_ID_TYPE.get(ctx.organisation.country) if ctx.is_people else None
    if default_id_type and row.values.get("national_id") and not row.values.get("id_type"):
        row.values["id_type"] = default_id_type  # a sheet of one country's IDs often has no ID-type column
    row.fresh = ctx.new_record(row.values)
    try:
        ctx.target.prepare(row.fresh)
    except ValidationError as exc:  # kept without its traceback, whose frames would hold the whole chunk in a cycle
        row.fresh, row.fresh_errors = None, exc.with_traceback(None)
    _keys(ctx, row)
    return row


def _keys(ctx: Context, row: Row) -> None:
    """The row's matching keys, normalised as the services store them (a key that cannot be read is left out)."""
    values, fresh = row.values, row.fresh
    row.external = (values.get("external_id") or "").strip()
    if ctx.is_people:
        if fresh is not None:  # prepared: phone and ID already in their stored form
            row.nid = (fresh.id_type, fresh.national_id) if fresh.national_id else None
            row.phone = fresh.phone
            return
        if values.get("national_id") and values.get("id_type"):
            with suppress(ValidationError):
                row.nid = (values["id_type"], rules.clean_national_id(values["id_type"], values["national_id"]))
        if values.get("phone"):
            with suppress(ValidationError):
                row.phone = to_e164(values["phone"], ctx.organisation.country)
    else:
        row.registration = (fresh.registration_number if fresh is not None else (values.get("registration_number") or "")).strip()


def _cell(ctx: Context, row: Row, name: str) -> str:
    column = ctx.mapping.get(name)
    if column is None or column >= len(row.cells):
        return ""
    return fields.cell_text(row.cells[column])


def _report(ctx: Context, row: Row, exc: ValidationError) -> None:
    """The errors of a validation, in the order of the file's columns."""
    for name in sorted(exc.message_dict, key=lambda n: ctx.mapping.get(n, len(ctx.headers))):
        for message in exc.message_dict[name]:
            row.result.errors.append((ctx.column(name), _cell(ctx, row, name), message))


@lru_cache(maxsize=256)
def _fields_to_clean(target: Target, given: frozenset[str]) -> tuple[list[str], list[tuple[str, str, bool]]]:
    """For a row that gives these fields (rows of a file mostly give the same ones): the fields full_clean leaves out,
    and (name, attname, is a relation) of those it checks."""
    checked = (given | target.required | DERIVED) - NOT_CLEANED
    unchecked = [name for name in target.all_fields if name not in checked]
    return unchecked, [(name, target.attnames[name], target.field(name).is_relation) for name in target.all_fields if name in checked]


def _clean(ctx: Context, record: models.Model, row: Row) -> bool:
    """full_clean as the services do, on the fields the row sets (the others keep valid defaults or stored values).

    A field's own checks (length, choices, the form of an e-mail) depend on its value alone, and a sheet repeats
    values down its columns (names, towns, choices, dates): a value that passed its field's checks earlier in the
    import, and came out of them unchanged, is not checked again. Links are always checked (they look in the database).
    """
    unchecked, checked = _fields_to_clean(ctx.target, frozenset(row.values))
    known = ctx.known_valid
    skipped, fresh = [], []
    for name, attname, is_relation in checked:
        value = getattr(record, attname)
        key = (name, value.__class__, value)
        try:
            seen = not is_relation and key in known
        except TypeError:  # not hashable: always checked
            continue
        if seen:
            skipped.append(name)
        elif not is_relation:
            fresh.append((attname, key))
    try:
        record.full_clean(exclude=unchecked + skipped, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        _report(ctx, row, exc)
        return False
    if len(known) > KNOWN_VALID:
        known.clear()
    for attname, key in fresh:
        value = getattr(record, attname)
        if value.__class__ is key[1] and value == key[2]:
            known.add(key)
    return True


def _validate(ctx: Context, record: models.Model, row: Row) -> bool:
    """Prepare and validate as the services do; on failure, the row's errors say which column and why."""
    try:
        ctx.target.prepare(record)
    except ValidationError as exc:
        _report(ctx, row, exc)
        return False
    return _clean(ctx, record, row)


class _Index:
    """Matching keys → records: the chunk's matches in the database, then the records the chunk itself creates."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.keys: dict[tuple, list] = {}  # key → refs; a ref is ("db", pk) or ("new", position in plan.creates)

    def record(self, ref) -> models.Model:
        kind, value = ref
        return self.plan.current[value] if kind == "db" else self.plan.creates[value]

    def add(self, key: tuple, ref) -> None:
        refs = self.keys.setdefault(key, [])
        if ref not in refs:
            refs.append(ref)

    def add_record(self, ctx: Context, record: models.Model, ref) -> None:
        if record.external_id:
            self.add(("external", record.external_id), ref)
        if ctx.is_people:
            if record.national_id:
                self.add(("nid", record.id_type, record.national_id), ref)
            if record.phone:
                self.add(("phone", record.phone), ref)
        elif record.registration_number:
            self.add(("registration", record.registration_number), ref)

    def get(self, key: tuple) -> list:
        return self.keys.get(key, [])


def _load_matches(ctx: Context, rows: list[Row], plan: Plan, index: _Index) -> None:
    """One query per kind of key for the whole chunk: the organisation's live records sharing any key with any row.

    A query per key, unordered, so that each reads its own (organisation, key) index: with the keys ORed, or ordered
    by id, SQLite walks every record of the organisation instead, for every chunk (some 70 ms a chunk with 100,000
    people); the records are put in id order here. PostgreSQL gets the keys as one array in a subquery: given a list
    of 1,000 values, its planner also prefers walking the organisation's records (18 ms against 2 ms, 40,000 people).
    """
    wanted = {"external_id": {r.external for r in rows if r.external}}
    if ctx.is_people:
        wanted["national_id"] = {r.nid[1] for r in rows if r.nid}
        wanted["phone"] = {r.phone for r in rows if r.phone}
    else:
        wanted["registration_number"] = {r.registration for r in rows if r.registration}
    live = ctx.target.model.objects.filter(organisation=ctx.organisation, merged_into__isnull=True).order_by()  # not by -id
    postgres = connections[live.db].vendor == "postgresql"
    found: dict[int, models.Model] = {}
    for column, values in wanted.items():
        if values:
            keys = RawSQL("SELECT unnest(%s::text[])", [sorted(values)]) if postgres else values
            for record in live.filter(**{f"{column}__in": keys}):
                found.setdefault(record.pk, record)
    for pk in sorted(found):
        record = found[pk]
        record.organisation = ctx.organisation  # prepare reads the country: no query per record
        plan.current[pk] = record
        index.add_record(ctx, record, ("db", pk))


def _full_name(values: dict) -> str:
    return " ".join(values.get(n, "") for n in ("first_name", "father_name", "grandfather_name", "family_name") if values.get(n))


def _find(ctx: Context, row: Row, index: _Index):
    """The record this row is about, and why we think so; (None, '') for a new record."""

    def same_source(record) -> bool:  # another external id means another record of the source system
        return not row.external or not record.external_id or record.external_id == row.external

    if row.external and (refs := index.get(("external", row.external))):
        return refs[0], _("same external id")
    if ctx.is_people:
        if row.nid:
            for ref in index.get(("nid", *row.nid)):
                if same_source(index.record(ref)):
                    return ref, _("same ID number")
        if row.phone:
            name = _full_name(row.values)
            for ref in index.get(("phone", row.phone)):
                record = index.record(ref)
                other_id = row.nid and record.national_id and (record.id_type, record.national_id) != row.nid
                if same_source(record) and not other_id and name_similarity(record.full_name, name) >= SIMILAR_NAME:
                    return ref, _("same mobile phone and name")
    elif row.registration:
        for ref in index.get(("registration", row.registration)):
            if same_source(index.record(ref)):
                return ref, _("same registration number")
    return None, ""


def _same_values(ctx: Context, row: Row, record: models.Model) -> bool:
    """True when the row, read and normalised, says nothing the record does not already hold."""
    fresh = row.fresh
    return fresh is not None and all(
        getattr(fresh, ctx.target.attnames[name]) == getattr(record, ctx.target.attnames[name]) for name in row.values
    )


def read_rows(ctx: Context, chunk: list[tuple[int, list]]) -> list[Row]:
    """Read the chunk's rows (number, cells) and prepare each as a new record; no database, so another process may."""
    return [_read_row(ctx, number, cells) for number, cells in chunk]


def plan_chunk(ctx: Context, chunk: list[tuple[int, list]]) -> Plan:
    """Decide what each row of the chunk does, without writing anything."""
    return plan_rows(ctx, read_rows(ctx, chunk))


def plan_rows(ctx: Context, rows: list[Row]) -> Plan:
    """Decide what each row, read by `read_rows`, does, without writing anything; the list is emptied."""
    plan = Plan()
    index = _Index(plan)
    _load_matches(ctx, [r for r in rows if not r.result.errors], plan, index)
    first_row_of: dict[tuple, int] = {}
    for row in rows:
        result = row.result
        plan.results.append(result)
        if result.errors:
            result.action = "error"
            continue
        ref, reason = _find(ctx, row, index)
        if ref is None:
            if row.fresh is None:
                _report(ctx, row, row.fresh_errors)
            if row.fresh is None or not _clean(ctx, row.fresh, row):
                result.action = "error"
                continue
            ref = ("new", len(plan.creates))
            plan.creates.append(row.fresh)
            first_row_of[ref] = result.number
            result.action, result.record = "create", row.fresh
            index.add_record(ctx, row.fresh, ref)
            continue
        base = index.record(ref)
        result.reason = reason if ref[0] == "db" else _("same as row {number}").format(number=first_row_of[ref])
        if _same_values(ctx, row, base):
            result.action, result.record = "unchanged", base
            continue
        changed = copy(base)
        for name, value in row.values.items():
            setattr(changed, name, value)
        if not _validate(ctx, changed, row):
            result.action = "error"
            continue
        before, after = snapshot(base), snapshot(changed)
        result.changed = [ctx.target.label(name) for name in diff(before, after) if name in ctx.target.fields]
        result.action = "update" if before != after else "unchanged"
        result.record = changed
        if ref[0] == "db":
            plan.originals.setdefault(ref[1], before)
            plan.snapshots[ref[1]] = after
            plan.current[ref[1]] = changed
            plan.rows_of.setdefault(ref[1], []).append(result)
        else:
            plan.creates[ref[1]] = changed
        index.add_record(ctx, changed, ref)
    for pk, results in plan.rows_of.items():  # back where it started (e.g. a row and its correction): nothing to write
        if plan.snapshots[pk] == plan.originals[pk]:
            for result in results:
                result.action = "unchanged"
    rows.clear()  # see Plan.clear
    index.keys.clear()
    return plan


def _columns(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f is not model._meta.pk]


# Fields whose get_db_prep_save gives back, unchanged, a value of this type (or None); checked against the methods
# that take part in it, so that a subclass converting values in its own way is never skipped.
_UNCHANGED = ((models.CharField, str), (models.TextField, str), (models.BooleanField, bool))
_PREPARING = ("get_db_prep_save", "get_db_prep_value", "get_prep_value", "to_python")
_PREPARED_KNOWN = 1000  # prepared values remembered per field
# Fields whose values repeat (links, the chunk's time, birth dates, counts, an empty IP address) and whose preparation
# depends on the value alone.
_REPEATING = (models.ForeignKey, models.DateField, models.IntegerField, models.GenericIPAddressField)


def _to_db(field: models.Field, connection) -> Callable:
    """`field.get_db_prep_save(value, connection)`, skipped where it would return the value as it is.

    An import converts some 40 values per row (the record and its audit entry). For text (a str, or a str subclass
    such as a choice), booleans and None, which are most of them, the call returns its argument after several layers
    of method calls. Values that repeat (`_REPEATING`) are prepared once each: a link has a few ids (organisation,
    actor, content type), and every audit entry of a chunk has the same time.
    """
    prepare = field.get_db_prep_save
    for kind, kept in _UNCHANGED:
        if isinstance(field, kind) and all(getattr(type(field), name) is getattr(kind, name) for name in _PREPARING):

            def to_db(value, kept=kept):
                return value if value is None or isinstance(value, kept) else prepare(value, connection=connection)

            return to_db
    if isinstance(field, _REPEATING):
        prepared: dict = {}

        def to_db(value):
            key = (value.__class__, value)
            try:
                return prepared[key]
            except KeyError:
                if len(prepared) >= _PREPARED_KNOWN:
                    prepared.clear()
                prepared[key] = result = prepare(value, connection=connection)
                return result
            except TypeError:  # not hashable
                return prepare(value, connection=connection)

        return to_db
    return lambda value: prepare(value, connection=connection)


def _db_values(model, rows: list[list], connection) -> list[list]:
    """Rows of values (in `_columns` order) as the database takes them: through each field's get_db_prep_save, as
    bulk_create converts them, and JSON as text for PostgreSQL's COPY."""
    prepare = []
    for f in _columns(model):
        to_db = _to_db(f, connection)
        if connection.vendor == "postgresql" and isinstance(f, models.JSONField):
            to_db = partial(_copy_value, to_db)
        prepare.append(to_db)
    return [[to_db(value) for to_db, value in zip(prepare, row)] for row in rows]


def _copy_value(to_db, value):
    """psycopg's JSON wrapper (what get_db_prep_save gives a JSONField) as the text COPY expects."""
    value = to_db(value)
    obj = getattr(value, "obj", None)
    return value.dumps(obj) if obj is not None and hasattr(value, "dumps") else value


def _sqlite_insert(model, rows: list[list]) -> list[int]:
    """INSERT rows of values (in `_columns` order, from `_db_values`) on SQLite; the new ids, in order.

    On SQLite, bulk_create spends most of its time compiling every value through several layers (~4 µs each) and
    cuts batches at 999 parameters; an import writes some 40 values per row (the record and its audit entry), so
    building the statement directly halves the time of a chunk. (On PostgreSQL, COPY is faster still.)
    """
    if not rows:
        return []
    connection = connections[router.db_for_write(model)]
    fields = _columns(model)
    quote = connection.ops.quote_name
    head = "INSERT INTO {} ({}) VALUES ".format(quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields))
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    returning = f" RETURNING {quote(model._meta.pk.column)}"
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per_statement = max(1, min(WRITE_BATCH, limit // len(fields)))
    ids = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            batch = rows[start : start + per_statement]
            cursor.execute(head + ", ".join([one] * len(batch)) + returning, [value for row in batch for value in row])
            ids.extend(pk for (pk,) in cursor.fetchall())
    return ids


def _postgres_copy(model, rows: list[list], connection, ids: list[int] | None = None, meanwhile: Callable | None = None) -> None:
    """COPY rows of values (in `_columns` order, from `_db_values`, with their ids if given) into a PostgreSQL table:
    its fastest bulk insert. `meanwhile` runs once the rows are sent, while the database works through them."""
    fields = _columns(model)
    quote = connection.ops.quote_name
    columns = ([model._meta.pk.column] if ids else []) + [f.column for f in fields]
    statement = "COPY {} ({}) FROM STDIN".format(quote(model._meta.db_table), ", ".join(quote(c) for c in columns))
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for position, row in enumerate(rows):
            copy.write_row([ids[position], *row] if ids else row)
        if meanwhile is not None:
            meanwhile()


def _update(model, records: list[models.Model], names: list[str]) -> None:
    """What `bulk_update(records, names)` writes, as one UPDATE statement executed for each record.

    bulk_update builds a CASE … WHEN expression per field over every record, which costs more than the writing
    itself; the values go through the same get_db_prep_save.
    """
    connection = connections[router.db_for_write(model)]
    if connection.vendor not in {"sqlite", "postgresql"}:
        model.objects.bulk_update(records, names, batch_size=WRITE_BATCH)
        return
    fields = [model._meta.get_field(name) for name in names]
    pk = model._meta.pk
    quote = connection.ops.quote_name
    statement = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(model._meta.db_table), ", ".join(f"{quote(f.column)} = %s" for f in fields), quote(pk.column)
    )
    prepare = [(f.attname, _to_db(f, connection)) for f in fields] + [(pk.attname, _to_db(pk, connection))]
    with connection.cursor() as cursor:
        cursor.executemany(statement, [[to_db(getattr(record, attname)) for attname, to_db in prepare] for record in records])


def _insert(model, records: list[models.Model], meanwhile: Callable) -> None:
    """bulk_create (auto dates set, ids read back, instances marked saved), through `_sqlite_insert` on SQLite and
    COPY on PostgreSQL; then `meanwhile()`, which PostgreSQL lets run while it still works through the rows."""
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor not in {"sqlite", "postgresql"}:
        model.objects.bulk_create(records, batch_size=WRITE_BATCH)
        meanwhile()
        return
    fields = _columns(model)
    stamped = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    for record in records:
        for f in stamped:
            f.pre_save(record, add=True)
    rows = _db_values(model, [[getattr(record, f.attname) for f in fields] for record in records], connection)
    if connection.vendor == "sqlite":
        _saved(records, _sqlite_insert(model, rows), alias)
        meanwhile()
        return
    pk = model._meta.pk  # ids drawn from the table's sequence first, then one COPY
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [connection.ops.quote_name(model._meta.db_table), pk.column, len(rows)],
        )
        ids = [value for (value,) in cursor.fetchall()]
    _saved(records, ids, alias)
    _postgres_copy(model, rows, connection, ids=ids, meanwhile=meanwhile)


def _saved(records: list[models.Model], ids: list[int], alias: str) -> None:
    for record, pk in zip(records, ids):
        record.pk = pk
        record._state.adding = False
        record._state.db = alias


class _AuditRows:
    """Audit entries as audit_record would write them (same fields, same request context), gathered for one INSERT."""

    def __init__(self, ctx: Context, model):
        actor = ctx.actor if ctx.actor is not None and getattr(ctx.actor, "is_authenticated", False) else None
        request = current_request_context()
        self.ctx = ctx
        self.common = {
            "at": timezone.now(),
            "actor_id": actor.pk if actor else None,
            "actor_label": actor.email if actor else "",
            "organisation_id": ctx.organisation.pk,
            "target_type_id": ContentType.objects.get_for_model(model, for_concrete_model=True).pk,
            "source": request.source,
            "ip": request.ip,
            "user_agent": request.user_agent,
        }
        self.order = [f.attname for f in _columns(AuditEntry)]
        self.rows: list[list] = []
        self.ready: list[list] = []  # rows already converted for the database
        self.connection = connections[router.db_for_write(AuditEntry)]

    def add(self, action: str, record: models.Model, changes: dict) -> None:
        values = self.common | {
            "action": action,
            "target_id": str(record.pk),
            "target_label": str(record)[:300],
            "changes": changes | {"import_job": [None, self.ctx.job_id]},
        }
        self.rows.append([values[name] for name in self.order])

    def prepare(self) -> None:
        """Convert the entries gathered so far for the database (on PostgreSQL, while it works through the records)."""
        if self.connection.vendor in {"sqlite", "postgresql"}:
            self.ready.extend(_db_values(AuditEntry, self.rows, self.connection))
            self.rows.clear()

    def write(self) -> None:
        self.prepare()
        vendor = self.connection.vendor
        if vendor == "sqlite":
            _sqlite_insert(AuditEntry, self.ready)
        elif vendor == "postgresql":
            if self.ready:
                _postgres_copy(AuditEntry, self.ready, self.connection)
        elif self.rows:
            AuditEntry.objects.bulk_create([AuditEntry(**dict(zip(self.order, row))) for row in self.rows], batch_size=WRITE_BATCH)


def write_plan(ctx: Context, plan: Plan) -> None:
    """Apply a chunk's decisions in bulk (the caller holds the transaction) and record them in the audit log."""
    model = ctx.target.model
    actor = ctx.actor if getattr(ctx.actor, "is_authenticated", False) else None
    audit = _AuditRows(ctx, model)
    addresses, statuses = [], []
    if plan.creates:

        def audit_creates():  # while PostgreSQL indexes the new records (its trigram index takes a while)
            for record in plan.creates:
                audit.add(AuditEntry.Action.CREATE, record, _created_changes(record))
                if model is Enterprise:
                    statuses.append(StatusChange(enterprise=record, from_status="", to_status=record.status, changed_by=actor))
            audit.prepare()

        _insert(model, plan.creates, meanwhile=audit_creates)
    changed_pks = plan.changed_pks
    if changed_pks:
        now = timezone.now()
        attnames: set[str] = set()
        records = []
        for pk in changed_pks:
            record, before = plan.current[pk], plan.originals[pk]
            changes = diff(before, plan.snapshots[pk])
            attnames.update(changes)
            record.updated_at = now
            records.append(record)
            audit.add(AuditEntry.Action.UPDATE, record, changes)
            if model is Person and any(before[name] != getattr(record, name) for name in ADDRESS_FIELDS):
                addresses.append(AddressHistory(person=record, **{name: before[name] for name in ADDRESS_FIELDS}))
            if model is Enterprise and before["status"] != record.status:
                statuses.append(StatusChange(enterprise=record, from_status=before["status"], to_status=record.status, changed_by=actor))
        by_attname = {f.attname: f.name for f in model._meta.concrete_fields}
        names = {by_attname[a] for a in attnames} | {"search_text", "updated_at"} | ({"size_class"} if model is Enterprise else set())
        _update(model, records, sorted(names))
        if model is Person:
            _refresh_owner_flags(ctx, [pk for pk in changed_pks if plan.originals[pk]["birth_date"] != _iso(plan.current[pk].birth_date)])
    AddressHistory.objects.bulk_create(addresses, batch_size=WRITE_BATCH)
    StatusChange.objects.bulk_create(statuses, batch_size=WRITE_BATCH)
    audit.write()


_PLAIN = {str, bool, int}  # values an audit snapshot keeps as they are


@lru_cache(maxsize=8)
def _audited(model) -> list[str]:
    """The attributes an audit snapshot holds for this model (whatever its values), in order."""
    return sorted(snapshot(model()))


def _created_changes(record: models.Model) -> dict:
    """`diff({}, snapshot(record))`, what the audit log records of a new record, with a call per field only for the
    values that need converting (dates): a fifth of the cost, for each record an import creates."""
    changes = {}
    for attname in _audited(type(record)):
        value = getattr(record, attname)
        if value is not None:
            changes[attname] = [None, value if value.__class__ in _PLAIN else jsonable(value)]
    return changes


def _iso(value) -> str | None:
    return None if value is None else str(value)


def _refresh_owner_flags(ctx: Context, person_pks: list[int]) -> None:
    """A new birth date may change whether an enterprise is youth-owned (rare: one query when none is linked)."""
    if not person_pks:
        return
    from shubbak.registry.services import _refresh_owner_flags as refresh  # the registry's own rule, not copied

    ownerships = Ownership.objects.filter(person_id__in=person_pks).select_related("enterprise__organisation")
    enterprises = {o.enterprise_id: o.enterprise for o in ownerships}
    for enterprise in enterprises.values():
        refresh(actor=ctx.actor, enterprise=enterprise)
