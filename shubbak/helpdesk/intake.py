"""The public request: a client without an account asks for services, and is found in or added to the registry.

One service for the web form and the public API. It finds the person through a duplicate check made for this form
and links to a record only on a strong match (same ID number; or same phone with a similar name, as imports decide,
and the same first name), else registers her; the same for her enterprise (same registration number, or a similar
name among hers), which she then owns; it records her consents and opens the case. A resent submission (same
idempotency key) returns the first case and leaves nothing else behind.

Written for the rate the form must take (150 requests per second on two cores): everything is read, checked and
built before the transaction opens (on SQLite the transaction is the database's one writer); the transaction then
only inserts, one statement per table, with the audit entries of all the records in one. The records are validated
as the registry's and the case's services validate them (the same `person_prepare`/`enterprise_prepare` and
`full_clean`), less the checks that the rows they point to exist (they are in hand) and the unique checks (the
database's constraints make them, and the idempotency key's is how a resend is found).
"""

import fcntl
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shubbak import places
from shubbak.arabic import name_similarity, normalise
from shubbak.audit.models import AuditEntry
from shubbak.audit.services import audit_records, diff, snapshot
from shubbak.notifications.models import Notification
from shubbak.notifications.services import notify
from shubbak.organisations.models import Desk, Organisation
from shubbak.registry import isic, rules
from shubbak.registry import services as registry
from shubbak.registry.models import Consent, Enterprise, Ownership, Person, StatusChange
from shubbak.registry.selectors import SIMILAR_NAME

from . import selectors
from . import services as helpdesk
from .models import Case, CaseEvent, CaseService, Service

# The ID document a client of each country most likely holds; the form preselects it.
NATIONAL_ID_TYPES = {"PS": Person.IdType.PALESTINIAN, "SY": Person.IdType.SYRIAN, "YE": Person.IdType.YEMENI}
# What a client may say about her business on the public form (suspended and closed are for staff to record).
ENTERPRISE_STATUSES = (Enterprise.Status.IDEA, Enterprise.Status.INFORMAL, Enterprise.Status.REGISTERED)

PERSON_KEYS = ("first_name", "father_name", "family_name", "gender", "phone", "email", "governorate", "id_type", "national_id")
ENTERPRISE_KEYS = {  # key in the request → field of the enterprise
    "enterprise_name": "name_ar",
    "enterprise_status": "status",
    "legal_form": "legal_form",
    "registration_number": "registration_number",
    "isic_section": "isic_section",
}
CASE_KEYS = ("subject", "description", "heard_from", "campaign")
CASE_ERROR_KEYS = {"email": "contact_email", "phone": "contact_phone", "first_name": "contact_name"}  # key → field of the case

REQUIRED = {  # key → what to tell the client when it is missing
    "first_name": gettext_lazy("Write your first name."),
    "father_name": gettext_lazy("Write your father's name."),
    "family_name": gettext_lazy("Write your family name."),
    "gender": gettext_lazy("Choose female or male."),
    "phone": gettext_lazy("Write your mobile phone number."),
    "governorate": gettext_lazy("Choose your governorate."),
    "subject": gettext_lazy("Say in a few words what you need."),
    "heard_from": gettext_lazy("Say how you heard of the desk."),
}
SERVICES_REQUIRED = gettext_lazy("Choose at least one service.")
DATA_CONSENT_REQUIRED = gettext_lazy("We can take your request only if you agree that we keep and use your data to serve you.")
CONSENT_NOTE = "public request form"
DESCRIPTION_MAX = 4000

# What full_clean leaves out: the rows these point to are in hand (no query to see that they exist), and what is
# derived here rather than typed.
PERSON_UNCHECKED = ["organisation", "merged_into", "search_text"]
ENTERPRISE_UNCHECKED = ["organisation", "chamber", "merged_into", "search_text"]
CASE_UNCHECKED = ["organisation", "desk", "person", "enterprise", "assigned_to", "created_by"]
# What the duplicate check reads of each registered person it compares (and what linking her needs).
PERSON_MATCH_FIELDS = (
    "id", "organisation", "first_name", "father_name", "grandfather_name", "family_name", "gender", "birth_date", "phone",
    "phone_alt", "id_type", "national_id",
)  # fmt: skip
MATCH_LIMIT = 20  # registered people compared at most (a phone shared by a large family, an ID typed by many)


CATALOGUE_SECONDS = 60  # how long a worker keeps an organisation's public catalogue (a change shows within a minute)


@dataclass(frozen=True)
class PublicCatalogue:
    """What an organisation's public pages need: the organisation, its active desks, its network's public services,
    and the staff told of each new request."""

    organisation: Organisation
    desks: tuple[Desk, ...]
    services: tuple[Service, ...]  # by category, then by their order in it
    staff: tuple = ()  # users (coordinators and admins): someone given the role hears of requests within a minute

    @property
    def services_by_code(self) -> dict[str, Service]:
        return {s.code: s for s in self.services}


_catalogues: dict[str, tuple[float, PublicCatalogue | None]] = {}


def public_catalogue(slug: str) -> PublicCatalogue | None:
    """The catalogue of an active organisation (None for an unknown or inactive one), kept CATALOGUE_SECONDS per process.

    Every post of the public form needs it: reading it once a minute instead of four queries and some eighty
    records per request is a fifth of the form's cost.
    """
    now = time.monotonic()
    found = _catalogues.get(slug)
    if found is not None and found[0] > now:
        return found[1]
    organisation = Organisation.objects.select_related("network").filter(slug=slug, is_active=True).first()
    catalogue = None
    if organisation is not None:
        services = selectors.services_for(network_id=organisation.network_id, public_only=True)
        catalogue = PublicCatalogue(
            organisation=organisation,
            desks=tuple(Desk.objects.filter(organisation=organisation, is_active=True).order_by("name_ar", "id")),
            services=tuple(services.order_by("category__position", "category__name_ar", "category_id", "position", "name_ar")),
            staff=tuple(helpdesk.request_staff(organisation.pk)),
        )
    _catalogues[slug] = (now + CATALOGUE_SECONDS, catalogue)
    return catalogue


def forget_catalogues() -> None:
    """Drop what this process keeps (tests, and after changing a catalogue in a shell)."""
    _catalogues.clear()


def public_request_submit(
    *,
    organisation: Organisation,
    data: dict,
    services: list[Service],
    idempotency_key: str | None = None,
    channel: str = Case.Channel.WEB,
    desks: tuple[Desk, ...] | None = None,
    staff: tuple | None = None,
) -> Case:
    """Open a case from the public form or the public API; the client is linked to or added to the registry.

    `data` holds the client's answers (PERSON_KEYS, ENTERPRISE_KEYS, CASE_KEYS, `desk` (a Desk or None) and
    `consents` (Consent purposes)). `desks`: the organisation's active desks, and `staff`: the users to tell of the
    request (`PublicCatalogue.staff`), when the caller has them (else read). Raises ValidationError with messages
    keyed by those names.
    """
    # Everything is read and checked before the transaction: on SQLite it holds the database's one write lock.
    checked = _check(organisation, data, services, desks, channel)
    person, new_person = _person(organisation, checked.person)
    enterprise, new_enterprise = None, False
    if checked.enterprise is not None:
        enterprise, new_enterprise = _enterprise(organisation, checked.enterprise, person, new_person)
    purposes = _consents_to_record(person, data.get("consents") or (), new_person)
    if staff is None:
        staff = helpdesk.request_staff(organisation.pk)
    case = checked.case
    case.person, case.enterprise, case.idempotency_key = person, enterprise, idempotency_key or None
    try:
        with _writers_in_line(), transaction.atomic():
            _write(
                organisation=organisation,
                case=case,
                services=services,
                person=person if new_person else None,
                enterprise=enterprise if new_enterprise else None,
                purposes=purposes,
                staff=staff,
            )
    except IntegrityError:
        # The key's unique constraint: this submission was stored before (a resent form) or by a concurrent request
        # meanwhile. That case stands; everything written here was rolled back.
        if idempotency_key and (found := Case.objects.filter(organisation=organisation, idempotency_key=idempotency_key).first()):
            return found
        raise
    if case.contact_email:
        from .tasks import email_client

        transaction.on_commit(lambda: email_client(case.pk, "received"))  # at once, unless in a caller's transaction
    return case


def _write(*, organisation, case: Case, services, person: Person | None, enterprise: Enterprise | None, purposes, staff) -> None:
    """Insert what the submission adds (the new person and enterprise, if any), one statement per table."""
    created = []  # the records to enter in the audit log, in order
    if person is not None:
        person.save(force_insert=True)
        created.append(person)
    if enterprise is not None:
        enterprise.save(force_insert=True)
        StatusChange.objects.create(enterprise=enterprise, from_status="", to_status=enterprise.status, changed_by=None)
        ownership = Ownership(enterprise=enterprise, person=case.person, role=Ownership.Role.OWNER)
        ownership.save(force_insert=True)
        created += [enterprise, ownership]
    case.save(force_insert=True)  # a resend fails here, on the idempotency key
    CaseService.objects.bulk_create([CaseService(case=case, service=s, delivery=helpdesk._default_delivery(s)) for s in services])
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.CREATED, data={"channel": case.channel, "services": [s.pk for s in services]})
    consents = [Consent(person=case.person, purpose=purpose, recorded_by=None, note=CONSENT_NOTE) for purpose in purposes]
    if consents:
        Consent.objects.bulk_create(consents)
    created += [*consents, case]
    audit_records(actor=None, entries=[(AuditEntry.Action.CREATE, r, organisation, diff({}, snapshot(r))) for r in created])
    notify(staff, kind=Notification.Kind.NEW_REQUEST, title=str(case), url=helpdesk.case_url(case), email=False)


_line_files: dict[tuple[int, int, str], int] = {}


@contextmanager
def _writers_in_line():
    """On a SQLite file, the public form's writers wait in line for the database, each woken as the one before is done.

    SQLite lets one writer in at a time, and one that finds the database locked sleeps (1, 2, 5, 10 … 100 ms) before
    trying again, however soon the lock is free: in the benchmark, two workers spent a sixth of their time in that
    wait. An exclusive lock on a file beside the database, held for the transaction, makes them queue in the kernel
    instead. Other writers (staff pages, jobs) do not take it; they meet the form's writers in SQLite's own wait.
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block or connection.is_in_memory_db():
        yield
        return
    # Each process and thread opens its own: a lock held through one open file does not stop another thread using it.
    key = (os.getpid(), threading.get_ident(), f"{connection.settings_dict['NAME']}.intake-lock")
    if (fd := _line_files.get(key)) is None:
        fd = _line_files[key] = os.open(key[2], os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)


# --- checks: every problem at once, before anything is written --------------------------------------------------


def _text(data: dict, key: str) -> str:
    return " ".join(str(data.get(key) or "").split())  # one line, single spaces: what a form sends may have any


@dataclass
class _Checked:
    person: Person  # as it would be registered: normalised, validated, not saved
    enterprise: Enterprise | None
    case: Case  # validated, its clocks set; not saved, without its person and enterprise


def _check(organisation: Organisation, data: dict, services: list[Service], desks, channel: str) -> _Checked:
    """The request read, normalised and validated as the services validate; every problem at once."""
    errors: dict[str, list] = {}
    for key, message in REQUIRED.items():
        if not _text(data, key):
            errors[key] = [message]
    if not services:
        errors["services"] = [SERVICES_REQUIRED]
    elif any(s.network_id != organisation.network_id or not s.is_active or not s.is_public for s in services):
        errors["services"] = [_("Choose services this desk offers.")]
    desk = _desk(organisation, data.get("desk"), errors, desks)
    purposes = data.get("consents") or ()
    if any(purpose not in Consent.Purpose.values for purpose in purposes):
        errors["consents"] = [_("Choose from the listed consents.")]
    elif Consent.Purpose.DATA not in purposes:
        errors["consents"] = [DATA_CONSENT_REQUIRED]

    national_id = _text(data, "national_id")
    person = Person(
        organisation=organisation,
        **{key: _text(data, key) for key in PERSON_KEYS if key not in ("id_type", "national_id")},
        national_id=national_id,
        id_type=(data.get("id_type") or NATIONAL_ID_TYPES.get(organisation.country, "")) if national_id else "",
    )
    if person.governorate and not places.governorate_in_country(person.governorate, organisation.country):
        errors.setdefault("governorate", [_("Choose a governorate of %(country)s.") % {"country": organisation.country_name}])
    _collect(errors, lambda: registry.person_prepare(person))
    _collect(errors, lambda: _clean(person, PERSON_UNCHECKED))

    enterprise = None
    if _text(data, "enterprise_name"):
        values = {field: _text(data, key) for key, field in ENTERPRISE_KEYS.items()}
        if not values["status"]:
            errors["enterprise_status"] = [_("Say where your business stands.")]
        elif values["status"] not in ENTERPRISE_STATUSES:
            errors["enterprise_status"] = [_("Choose from the list.")]
        if not values["legal_form"]:
            errors["legal_form"] = [_("Choose the legal form of your business.")]
        if values["isic_section"] and values["isic_section"] not in isic_sections():
            errors["isic_section"] = [_("Choose from the list.")]
        enterprise = Enterprise(organisation=organisation, governorate=person.governorate, **values)
        if not errors.keys() & {"enterprise_status", "legal_form", "isic_section", "governorate"}:
            _collect(errors, lambda: registry.enterprise_prepare(enterprise), ENTERPRISE_KEYS)
            _collect(errors, lambda: _clean(enterprise, ENTERPRISE_UNCHECKED), ENTERPRISE_KEYS)

    case = Case(
        organisation=organisation,
        channel=channel,
        desk=desk,
        **{key: _text(data, key) for key in CASE_KEYS if key != "description"},
        description=str(data.get("description") or "").strip(),
        contact_name=person.full_name[:200],
        contact_phone=person.phone,
        contact_email=person.email,
    )
    if len(case.description) > DESCRIPTION_MAX:
        errors["description"] = [_("Write at most %(count)s characters.") % {"count": DESCRIPTION_MAX}]
    _collect(errors, lambda: _clean(case, CASE_UNCHECKED), CASE_ERROR_KEYS)
    if errors:
        raise ValidationError(errors)
    first_days, resolution_days = helpdesk._targets(services)
    calendar = helpdesk.calendar_for(organisation)
    case.created_at = timezone.now()
    case.first_response_due = calendar.add_working_days(case.created_at, first_days)
    case.resolution_due = calendar.add_working_days(case.created_at, resolution_days)
    return _Checked(person=person, enterprise=enterprise, case=case)


def _clean(record, unchecked: list[str]) -> None:
    record.full_clean(exclude=unchecked, validate_unique=False, validate_constraints=False)


def _desk(organisation: Organisation, desk, errors: dict, desks: tuple[Desk, ...] | None) -> Desk | None:
    """The desk she chose; the organisation's only desk when it has one; she must choose when it has several."""
    if desk is not None:
        if not isinstance(desk, Desk) or desk.organisation_id != organisation.pk or not desk.is_active:
            errors["desk"] = [_("Choose one of this organisation's desks.")]
            return None
        return desk
    if desks is None:
        desks = tuple(Desk.objects.filter(organisation=organisation, is_active=True)[:2])
    if len(desks) > 1:
        errors["desk"] = [_("Choose the desk nearest to you.")]
    return desks[0] if len(desks) == 1 else None


@lru_cache(maxsize=1)
def isic_sections() -> frozenset[str]:
    return frozenset(code for code, _label in isic.section_choices())


def _collect(errors: dict, check, keys: dict | None = None) -> None:
    """Run a model check and add its messages under the request's names, keeping the first message for each key."""
    reverse = {field: key for key, field in (keys or {}).items()}
    try:
        check()
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            key = reverse.get(field, field)
            if key not in errors:
                errors[key] = messages


# --- the registry: link on a strong match, else register --------------------------------------------------------


def _three_names(person: Person) -> str:
    return " ".join(p for p in (person.first_name, person.father_name, person.family_name) if p)


def _same_person(candidate: Person, records) -> Person | None:
    """The registered person this client is: same ID number; else same phone and a similar name, as imports decide.

    Stricter than imports on the phone: a family shares one phone and, brothers and sisters, the father's and the
    family name (محمود خليل الجعبري and سماح خليل الجعبري are 86% alike), so the first name must be the same (in any
    spelling), the gender too, and no other ID number. The form asks three names: a record with the grandfather's
    name is also compared on those three. Linking the wrong person would show her case on someone else's record; a
    missed link is only a duplicate, which the registry's merge resolves.
    """
    records = sorted(records, key=lambda p: p.pk)
    key = (candidate.id_type, candidate.national_id)
    if candidate.national_id:
        for record in records:
            if (record.id_type, record.national_id) == key:
                return record
    first_name = normalise(candidate.first_name)
    best, best_score = None, 0
    for record in records:
        if candidate.phone not in (record.phone, record.phone_alt) or normalise(record.first_name) != first_name:
            continue
        if record.gender and record.gender != candidate.gender:
            continue
        if candidate.national_id and record.national_id and (record.id_type, record.national_id) != key:
            continue
        score = max(name_similarity(record.full_name, candidate.full_name), name_similarity(_three_names(record), candidate.full_name))
        if score >= SIMILAR_NAME and score > best_score:
            best, best_score = record, score
    return best


def _person(organisation: Organisation, candidate: Person) -> tuple[Person, bool]:
    """The registered person she is (linked), else the candidate, to be registered: (person, new).

    One query through the organisation's indexes on the phone and the ID number. The registry's own duplicate check
    also looks at the other phone and at names with the birth date, which no index serves: the officer sees those
    at triage.
    """
    if found := _same_person(candidate, _registered_people(organisation, candidate)):
        found.organisation = organisation
        return found, False
    return candidate, True


def _registered_people(organisation: Organisation, candidate: Person) -> list[Person]:
    """The organisation's live records with her phone or her ID number (MATCH_LIMIT at most, oldest first).

    The statement is written once per process: building it through the ORM on every post cost ten times running it.
    """
    by_id = bool(candidate.national_id)
    sql, attnames = _match_sql(by_id)
    with connection.cursor() as cursor:
        cursor.execute(sql, [organisation.pk, candidate.phone, *([candidate.national_id] if by_id else [])])
        rows = cursor.fetchall()
    return [Person.from_db(connection.alias, attnames, row) for row in rows]


@lru_cache(maxsize=2)
def _match_sql(by_id: bool) -> tuple[str, list[str]]:
    """The statement, and the attributes its columns fill (in the model's order, as `from_db` reads them)."""
    meta, quote = Person._meta, connection.ops.quote_name
    column = {f.name: quote(f.column) for f in meta.concrete_fields}
    selected = [f for f in meta.concrete_fields if f.name in PERSON_MATCH_FIELDS]
    match = f"{column['phone']} = %s" + (f" OR {column['national_id']} = %s" if by_id else "")
    sql = (
        f"SELECT {', '.join(column[f.name] for f in selected)} FROM {quote(meta.db_table)} "
        f"WHERE {column['organisation']} = %s AND {column['merged_into']} IS NULL AND ({match}) "
        f"ORDER BY {column['id']} LIMIT {MATCH_LIMIT}"
    )
    return sql, [f.attname for f in selected]


def _enterprise(organisation: Organisation, candidate: Enterprise, person: Person, new_person: bool) -> tuple[Enterprise, bool]:
    """The registered enterprise she means, else the candidate, to be registered with her as its owner: (enterprise, new).

    Of the registry's duplicate reasons only two are strong enough to link without a person looking: the same
    registration number, or a similar name (SIMILAR_NAME) among the enterprises she already owns or runs. A similar
    name in the same governorate alone is someone else's business as often as hers (مخبز الأمل is in every town), so
    the registry's wider check (`enterprise_duplicates`) is left to the officer at triage.
    """
    live = Enterprise.objects.filter(organisation=organisation, merged_into__isnull=True).only("id", "organisation_id", "name_ar")
    number = candidate.registration_number
    if number and (found := live.filter(registration_number=number).order_by("pk").first()):
        return found, False
    if not new_person:
        for record in live.filter(ownerships__person=person).distinct().order_by("pk"):
            if name_similarity(record.name_ar, candidate.name_ar) >= SIMILAR_NAME:
                return record, False
    # She is its one owner: women- and youth-owned follow from her, as `ownership_add` derives them.
    today = timezone.localdate()
    candidate.women_owned = rules.held_by_majority([(person.gender == Person.Gender.FEMALE, None)])
    candidate.youth_owned = rules.held_by_majority([(bool(person.is_youth(today)), None)])
    return candidate, True


def _consents_to_record(person: Person, purposes, new_person: bool) -> list[str]:
    """Each consent she gave now, unless one for the same purpose is already in force."""
    wanted = list(dict.fromkeys(purposes))
    if new_person or not wanted:
        return wanted
    given = Consent.objects.filter(person=person, withdrawn_at__isnull=True, purpose__in=wanted).order_by()
    in_force = set(given.values_list("purpose", flat=True))
    return [purpose for purpose in wanted if purpose not in in_force]


# --- rate limits ---------------------------------------------------------------------------------------------------

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str | None) -> tuple[int, int] | None:
    """'20/h' → (20, 3600); as DRF reads rates ('20/hour' works too). '' or None means no limit."""
    if not rate:
        return None
    count, period = rate.split("/")
    return int(count), PERIODS[period.strip()[0].lower()]


def client_ip(request) -> str:
    """The client's address, read from the same headers as the login lockout (AXES_IPWARE_META_PRECEDENCE_ORDER)."""
    for header in getattr(settings, "AXES_IPWARE_META_PRECEDENCE_ORDER", ["REMOTE_ADDR"]):
        if value := request.META.get(header):
            return value.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def rate_exceeded(scope: str, ident: str, rate: str | None, *, count: bool = True) -> bool:
    """True when `ident` has used up `rate` in the current window (fixed windows, in Django's cache).

    With `count` this attempt is counted; without, the limit is only looked at (to count failures alone).
    """
    parsed = parse_rate(rate)
    if parsed is None:
        return False
    limit, period = parsed
    key = f"helpdesk:rate:{scope}:{ident}:{int(time.time() // period)}"
    if not count:
        return (cache.get(key) or 0) >= limit
    cache.add(key, 0, period + 1)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, period + 1)
        used = 1
    return used > limit
