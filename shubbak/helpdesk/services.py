"""Every write of the helpdesk: catalogue, calendars, intake, the case workflow, sessions, messages, outcomes, follow-ups.

Each function checks the actor's right (actor None is the system or the public form), validates, writes an audit
entry in the same transaction, adds to the case's timeline and notifies after commit.
"""

import datetime
from calendar import monthrange
from copy import copy

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shubbak.audit.models import AuditEntry
from shubbak.audit.services import audit_record, audited_create, audited_delete, audited_update
from shubbak.notifications.models import Notification
from shubbak.notifications.services import notify
from shubbak.organisations.models import Membership, Organisation
from shubbak.organisations.permissions import access_for
from shubbak.phones import to_e164

from . import calendars
from .models import Attachment, Case, CaseEvent, CaseService, FollowUp, Holiday, Service, ServiceCategory, Session, WorkingCalendar

Status = Case.Status
Kind = CaseEvent.Kind

DEFAULT_FIRST_RESPONSE_DAYS = 2
DEFAULT_RESOLUTION_DAYS = 15
FOLLOW_UP_MONTHS = (3, 6)
CALENDAR_CACHE_SECONDS = 60

# action → (statuses it may start from, status it leads to); None keeps the status
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "triage": ((Status.NEW,), Status.TRIAGED),
    "assign": ((Status.NEW, Status.TRIAGED, Status.ASSIGNED, Status.IN_PROGRESS, Status.WAITING), None),
    "start": ((Status.ASSIGNED, Status.WAITING), Status.IN_PROGRESS),
    "wait": ((Status.ASSIGNED, Status.IN_PROGRESS), Status.WAITING),
    "resume": ((Status.WAITING,), Status.IN_PROGRESS),
    "resolve": (Case.OPEN_STATUSES, Status.RESOLVED),
    "close": ((Status.RESOLVED,), Status.CLOSED),
    "reopen": ((Status.RESOLVED, Status.CLOSED), Status.IN_PROGRESS),
}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it has no such day (31 March + 6 → 30 September)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def _require(actor, organisation, action: str) -> None:
    if actor is not None and not access_for(actor).can(organisation, action):
        raise PermissionDenied


def _require_network(actor, network_id: int) -> None:
    if actor is not None and not access_for(actor).is_network_manager(network_id):
        raise PermissionDenied


# --- catalogue -------------------------------------------------------------------------------------------------


@transaction.atomic
def category_save(*, actor, category: ServiceCategory) -> ServiceCategory:
    _require_network(actor, category.network_id)
    if category.pk is None:
        return audited_create(actor=actor, instance=category, organisation=None)
    current = ServiceCategory.objects.get(pk=category.pk)
    data = {f: getattr(category, f) for f in ("name_ar", "name_en", "position")}
    return audited_update(actor=actor, instance=current, data=data, organisation=None)


SERVICE_FIELDS = (
    "category",
    "code",
    "name_ar",
    "name_en",
    "description_ar",
    "description_en",
    "in_house",
    "by_expert",
    "by_partner",
    "required_documents",
    "first_response_days",
    "resolution_days",
    "is_public",
    "is_active",
    "position",
)


def _check_service(service: Service) -> None:
    if service.category_id and service.category.network_id != service.network_id:
        raise ValidationError({"category": _("The category must belong to the same network.")})
    if not (service.in_house or service.by_expert or service.by_partner):
        raise ValidationError({"in_house": _("Say at least one way this service is delivered.")})
    if service.first_response_days and service.resolution_days and service.first_response_days > service.resolution_days:
        raise ValidationError({"first_response_days": _("The first response cannot be due after the resolution.")})


@transaction.atomic
def service_save(*, actor, service: Service) -> Service:
    """Add a service to a network's catalogue or change one; only the network's managers may."""
    _require_network(actor, service.network_id)
    _check_service(service)
    if service.pk is None:
        return audited_create(actor=actor, instance=service, organisation=None)
    current = Service.objects.get(pk=service.pk, network_id=service.network_id)
    data = {f: getattr(service, f) for f in SERVICE_FIELDS}
    return audited_update(actor=actor, instance=current, data=data, organisation=None)


# --- calendars -------------------------------------------------------------------------------------------------


def _calendar_key(organisation_id: int) -> str:
    return f"helpdesk:calendar:{organisation_id}"


def calendar_for(organisation: Organisation) -> calendars.Calendar:
    """The organisation's working calendar (cached a minute; a change clears it at once in this process)."""
    key = _calendar_key(organisation.pk)
    found = cache.get(key)
    if found is not None:
        return found
    settings_row = WorkingCalendar.objects.filter(organisation=organisation).first()
    weekend = settings_row.weekend if settings_row else WorkingCalendar.Weekend.FRIDAY
    national = settings_row.national_holidays if settings_row else True
    found = calendars.Calendar(
        rest_days=calendars.WEEKENDS[weekend],
        holidays=frozenset(Holiday.objects.filter(organisation=organisation).values_list("date", flat=True)),
        country=organisation.country if national else "",
    )
    cache.set(key, found, CALENDAR_CACHE_SECONDS)
    return found


@transaction.atomic
def calendar_update(*, actor, organisation: Organisation, weekend: str, national_holidays: bool) -> WorkingCalendar:
    _require(actor, organisation, "manage_calendar")
    row, created = WorkingCalendar.objects.get_or_create(organisation=organisation)
    if created:
        audit_record(actor=actor, action=AuditEntry.Action.CREATE, target=row, organisation=organisation, changes={})
    audited_update(actor=actor, instance=row, data={"weekend": weekend, "national_holidays": national_holidays}, organisation=organisation)
    transaction.on_commit(lambda: cache.delete(_calendar_key(organisation.pk)))
    return row


@transaction.atomic
def holiday_add(*, actor, organisation: Organisation, date: datetime.date, name: str) -> Holiday:
    _require(actor, organisation, "manage_calendar")
    holiday = audited_create(actor=actor, instance=Holiday(organisation=organisation, date=date, name=name), organisation=organisation)
    transaction.on_commit(lambda: cache.delete(_calendar_key(organisation.pk)))
    return holiday


@transaction.atomic
def holiday_remove(*, actor, holiday: Holiday) -> None:
    _require(actor, holiday.organisation, "manage_calendar")
    organisation_id = holiday.organisation_id
    audited_delete(actor=actor, instance=holiday, organisation=holiday.organisation)
    transaction.on_commit(lambda: cache.delete(_calendar_key(organisation_id)))


# --- intake ----------------------------------------------------------------------------------------------------


def _targets(services: list[Service]) -> tuple[int, int]:
    """The strictest first-response and resolution targets of the requested services, in working days."""
    if not services:
        return DEFAULT_FIRST_RESPONSE_DAYS, DEFAULT_RESOLUTION_DAYS
    return min(s.first_response_days for s in services), min(s.resolution_days for s in services)


def _event(case: Case, kind: str, actor=None, text: str = "", **data) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case, kind=kind, actor=actor if getattr(actor, "is_authenticated", False) else None, text=text, data=data
    )


def case_url(case: Case) -> str:
    return reverse("case_detail", args=[case.pk])


def _staff(organisation_id: int, roles) -> list:
    return [
        m.user
        for m in Membership.objects.filter(
            organisation_id=organisation_id, role__in=roles, is_active=True, user__is_active=True
        ).select_related("user")
    ]


def request_staff(organisation_id: int) -> list:
    """The users told of each new request: the organisation's active coordinators and admins."""
    return _staff(organisation_id, [Membership.Role.COORDINATOR, Membership.Role.ORG_ADMIN])


def _coordinators(case: Case) -> list:
    return request_staff(case.organisation_id)


CASE_FIELDS = (
    "subject",
    "description",
    "priority",
    "channel",
    "heard_from",
    "campaign",
    "desk",
    "person",
    "enterprise",
    "contact_name",
    "contact_phone",
    "contact_email",
)


@transaction.atomic
def case_create(
    *, actor, organisation: Organisation, data: dict, services: list[Service], idempotency_key: str | None = None, notify_staff: bool = True
) -> Case:
    """Open a case with its requested services and its service-level clocks started.

    With an idempotency key, a second submission with the same key returns the first case instead of a new one.
    """
    _require(actor, organisation, "work_cases")
    if idempotency_key:
        existing = Case.objects.filter(organisation=organisation, idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    if not services:
        raise ValidationError({"services": _("Choose at least one service.")})
    if any(s.network_id != organisation.network_id or not s.is_active for s in services):
        raise ValidationError({"services": _("Choose services this desk offers.")})
    case = Case(organisation=organisation, created_by=actor if actor is not None else None, idempotency_key=idempotency_key or None)
    for name, value in data.items():
        if name in CASE_FIELDS:
            setattr(case, name, value)
    if case.desk_id and case.desk.organisation_id != organisation.pk:
        raise ValidationError({"desk": _("The desk must belong to the same organisation.")})
    for record, name in ((case.person, "person"), (case.enterprise, "enterprise")):
        if record is not None and record.organisation_id != organisation.pk:
            raise ValidationError({name: _("Choose a record of this organisation.")})
    if case.contact_phone:
        try:
            case.contact_phone = to_e164(case.contact_phone, organisation.country)
        except ValidationError as exc:
            raise ValidationError({"contact_phone": exc.messages}) from exc
    first_days, resolution_days = _targets(services)
    calendar = calendar_for(organisation)
    case.created_at = timezone.now()
    case.first_response_due = calendar.add_working_days(case.created_at, first_days)
    case.resolution_due = calendar.add_working_days(case.created_at, resolution_days)
    try:
        with transaction.atomic():
            audited_create(actor=actor, instance=case, organisation=organisation)
    except IntegrityError:
        if idempotency_key:  # the same submission, sent twice at the same moment
            return Case.objects.get(organisation=organisation, idempotency_key=idempotency_key)
        raise
    CaseService.objects.bulk_create([CaseService(case=case, service=s, delivery=_default_delivery(s)) for s in services])
    _event(case, Kind.CREATED, actor, channel=case.channel, services=[s.pk for s in services])
    if notify_staff:
        notify(_coordinators(case), kind=Notification.Kind.NEW_REQUEST, title=str(case), url=case_url(case), email=False)
    return case


def _default_delivery(service: Service) -> str:
    if service.in_house:
        return CaseService.Delivery.IN_HOUSE
    return CaseService.Delivery.EXPERT if service.by_expert else CaseService.Delivery.PARTNER


# --- workflow --------------------------------------------------------------------------------------------------


def allowed_actions(case: Case) -> list[str]:
    return [action for action, (sources, _target) in TRANSITIONS.items() if case.status in sources]


def _check_transition(case: Case, action: str) -> str | None:
    sources, target = TRANSITIONS[action]
    if case.status not in sources:
        raise ValidationError(
            _("A case that is «%(status)s» cannot be moved this way.") % {"status": case.get_status_display()}, code="invalid_transition"
        )
    return target


def _locked(case: Case) -> Case:
    """The case as stored now, locked for the rest of the transaction on PostgreSQL."""
    return Case.objects.select_for_update().select_related("organisation").get(pk=case.pk)


def _leave_waiting(case: Case, data: dict, now) -> None:
    """Stop the pause: the clocks move on by the working time the case waited."""
    if case.status != Status.WAITING or case.paused_at is None:
        return
    calendar = calendar_for(case.organisation)
    waited = calendar.working_seconds(case.paused_at, now)
    data["paused_at"] = None
    data["paused_seconds"] = case.paused_seconds + waited
    if case.resolution_due:
        data["resolution_due"] = calendar.add_working_seconds(case.resolution_due, waited)
    if case.first_response_due and not case.first_response_at:
        data["first_response_due"] = calendar.add_working_seconds(case.first_response_due, waited)
    data["due_soon_notified_at"] = None


def _move(actor, case: Case, action: str, data: dict | None = None, text: str = "") -> Case:
    """Apply a transition: status, the pause of the clocks, the audit entry and a line on the timeline."""
    data = dict(data or {})
    target = _check_transition(case, action)
    now = timezone.now()
    before = case.status
    if target is not None and target != Status.WAITING:
        _leave_waiting(case, data, now)
    if target == Status.WAITING:
        data["paused_at"] = now
    if target is not None:
        data["status"] = target
    audited_update(actor=actor, instance=case, data=data, organisation=case.organisation)
    if target is not None and target != before:
        _event(case, Kind.STATUS, actor, text, action=action, before=before, after=target)
    return case


def _work(actor, case: Case) -> Case:
    _require(actor, case.organisation, "work_cases")
    return _locked(case)


@transaction.atomic
def case_triage(*, actor, case: Case, priority: str | None = None, person=None, enterprise=None) -> Case:
    """Look at a new request: set its priority and link it to the registry."""
    case = _work(actor, case)
    data = {}
    if priority:
        data["priority"] = priority
    for record, name in ((person, "person"), (enterprise, "enterprise")):
        if record is not None:
            if record.organisation_id != case.organisation_id:
                raise ValidationError({name: _("Choose a record of this organisation.")})
            data[name] = record
    return _move(actor, case, "triage", data)


@transaction.atomic
def case_link(*, actor, case: Case, person=None, enterprise=None) -> Case:
    """Link the case to the person and the enterprise it is about (found or registered with the duplicate check)."""
    case = _work(actor, case)
    data = {}
    for record, name in ((person, "person"), (enterprise, "enterprise")):
        if record is not None:
            if record.organisation_id != case.organisation_id:
                raise ValidationError({name: _("Choose a record of this organisation.")})
            data[name] = record
    audited_update(actor=actor, instance=case, data=data, organisation=case.organisation)
    _event(case, Kind.LINKED, actor, person=case.person_id, enterprise=case.enterprise_id)
    return case


def _can_take_cases(user, organisation_id: int) -> bool:
    return access_for(user).can(organisation_id, "work_cases")


@transaction.atomic
def case_assign(*, actor, case: Case, assignee) -> Case:
    """Give the case to an officer of its organisation; officers may take a case themselves, coordinators give any."""
    case = _work(actor, case)
    if actor is not None and assignee != actor:
        _require(actor, case.organisation, "coordinate_cases")
    if not _can_take_cases(assignee, case.organisation_id):
        raise ValidationError({"assigned_to": _("Choose a member of this organisation who works on cases.")})
    if case.assigned_to_id == assignee.pk:
        return case
    previous = case.assigned_to
    data = {"assigned_to": assignee}
    if case.status in (Status.NEW, Status.TRIAGED):
        _check_transition(case, "assign")
        data["status"] = Status.ASSIGNED
    audited_update(actor=actor, instance=case, data=data, organisation=case.organisation)
    _event(case, Kind.ASSIGNED, actor, previous=previous.full_name if previous else "", assignee=assignee.full_name)
    if assignee != actor:
        notify([assignee], kind=Notification.Kind.ASSIGNED, title=str(case), url=case_url(case))
    return case


def cases_reassign(*, actor, organisation: Organisation, cases: list[Case], assignee) -> int:
    """Reassign many cases at once (a coordinator balancing the load); each is audited. Returns how many moved."""
    _require(actor, organisation, "coordinate_cases")
    moved = 0
    with transaction.atomic():
        for case in cases:
            if case.organisation_id != organisation.pk or not case.is_open:
                continue
            before = case.assigned_to_id
            case_assign(actor=actor, case=case, assignee=assignee)
            moved += before != assignee.pk
    return moved


@transaction.atomic
def case_set_priority(*, actor, case: Case, priority: str) -> Case:
    case = _work(actor, case)
    before = case.priority
    audited_update(actor=actor, instance=case, data={"priority": priority}, organisation=case.organisation)
    if before != priority:
        _event(case, Kind.PRIORITY, actor, before=before, after=priority)
    return case


@transaction.atomic
def case_update(*, actor, case: Case, subject: str, description: str, priority: str, services: list[Service]) -> Case:
    """Change what the case is about: its subject and request text, its priority and the services it asks for."""
    case = _work(actor, case)
    if not subject.strip():
        raise ValidationError({"subject": _("Give the request a subject.")})
    audited_update(
        actor=actor, instance=case, data={"subject": subject.strip(), "description": description.strip()}, organisation=case.organisation
    )
    if priority != case.priority:
        case_set_priority(actor=actor, case=case, priority=priority)
    if {s.pk for s in services} != set(case.services.values_list("service_id", flat=True)):
        case_services_set(actor=actor, case=case, services=services)
    return case


@transaction.atomic
def case_transition(*, actor, case: Case, action: str, text: str = "") -> Case:
    """start, wait (pause the clocks for the client), resume; resolve, close and reopen have their own functions."""
    if action not in ("start", "wait", "resume"):
        raise ValidationError(_("This action is not known."), code="unknown_action")
    case = _work(actor, case)
    if action == "start" and not case.assigned_to_id:
        raise ValidationError(_("Assign the case before starting work on it."))
    return _move(actor, case, action, text=text)


OUTCOME_FIELDS = (
    "outcome",
    "outcome_note",
    "business_registered",
    "trademark_registered",
    "formalised",
    "jobs_women",
    "jobs_men",
    "financing_amount",
    "financing_currency",
    "new_market",
)


def _check_outcome(data: dict) -> None:
    errors = {}
    if not data.get("outcome"):
        errors["outcome"] = [_("Say how the request ended.")]
    amount = data.get("financing_amount")
    if amount is not None and amount != "" and not data.get("financing_currency"):
        errors["financing_currency"] = [_("Say the currency of the financing.")]
    if data.get("financing_currency") and (amount is None or amount == ""):
        errors["financing_amount"] = [_("Give the amount of the financing, or no currency.")]
    if amount not in (None, "") and float(amount) < 0:
        errors["financing_amount"] = [_("The amount cannot be negative.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def case_resolve(*, actor, case: Case, outcome: dict, text: str = "") -> Case:
    """Close the work with an outcome and, where they apply, its results (registration, jobs, financing …)."""
    case = _work(actor, case)
    data = {name: outcome[name] for name in OUTCOME_FIELDS if name in outcome}
    _check_outcome(data)
    data["resolved_at"] = timezone.now()
    _move(actor, case, "resolve", data, text)
    _event(case, Kind.OUTCOME, actor, outcome=case.outcome)
    pending = case.services.filter(status__in=[CaseService.Status.REQUESTED, CaseService.Status.IN_PROGRESS])
    if case.outcome == Case.Outcome.SERVED:
        pending.update(status=CaseService.Status.DELIVERED)
    elif case.outcome != Case.Outcome.PARTLY_SERVED:  # partly served: the officer says which, service by service
        pending.update(status=CaseService.Status.NOT_DELIVERED)
    return case


def _survey_link(case: Case) -> str:
    from .tracking import survey_token

    return settings.SHUBBAK_BASE_URL.rstrip("/") + reverse("public_survey", args=[survey_token(case)])


@transaction.atomic
def case_close(*, actor, case: Case, text: str = "") -> Case:
    """Close a resolved case: the client gets the satisfaction survey and follow-ups are planned."""
    case = _work(actor, case)
    _move(actor, case, "close", {"closed_at": timezone.now()}, text)
    if case.outcome in (Case.Outcome.SERVED, Case.Outcome.PARTLY_SERVED):
        today = timezone.localdate()
        owner = case.assigned_to or (actor if getattr(actor, "is_authenticated", False) else None)
        existing = set(case.follow_ups.filter(done_at__isnull=True).values_list("due_on", flat=True))
        for months in FOLLOW_UP_MONTHS:
            due = add_months(today, months)
            if due not in existing:
                audited_create(
                    actor=actor,
                    instance=FollowUp(case=case, organisation=case.organisation, assigned_to=owner, due_on=due),
                    organisation=case.organisation,
                )
    email = case.contact_email or (case.person.email if case.person_id else "")
    if email:
        from .tasks import email_client

        link = _survey_link(case)
        transaction.on_commit(lambda: email_client(case.pk, "survey", link))
    return case


@transaction.atomic
def case_reopen(*, actor, case: Case, text: str = "") -> Case:
    """Open a resolved or closed case again; its resolution clock starts over from now."""
    case = _work(actor, case)
    if not text.strip():
        raise ValidationError({"text": _("Say why the case is reopened.")})
    resolution_days = _targets(list(Service.objects.filter(case_services__case=case)))[1]
    data = {
        "resolved_at": None,
        "closed_at": None,
        "escalated_at": None,
        "due_soon_notified_at": None,
        "resolution_due": calendar_for(case.organisation).add_working_days(timezone.now(), resolution_days),
    }
    if not case.assigned_to_id:
        data["status"] = Status.TRIAGED
    _check_transition(case, "reopen")
    if "status" in data:
        before = case.status
        audited_update(actor=actor, instance=case, data=data, organisation=case.organisation)
        _event(case, Kind.STATUS, actor, text, action="reopen", before=before, after=case.status)
        return case
    return _move(actor, case, "reopen", data, text)


# --- the work on a case ---------------------------------------------------------------------------------------


def _responded(actor, case: Case, now) -> None:
    """The first contact with the client stops the first-response clock."""
    if case.first_response_at is None:
        audited_update(actor=actor, instance=case, data={"first_response_at": now}, organisation=case.organisation)


def _check_open(case: Case) -> None:
    if not case.is_open:
        raise ValidationError(_("This case is closed: reopen it first."))


@transaction.atomic
def note_add(*, actor, case: Case, text: str) -> CaseEvent:
    """An internal note, seen by staff only."""
    case = _work(actor, case)
    if not text.strip():
        raise ValidationError({"text": _("Write the note.")})
    event = CaseEvent(case=case, kind=Kind.NOTE, actor=actor, text=text.strip())
    return audited_create(actor=actor, instance=event, organisation=case.organisation)


@transaction.atomic
def message_send(*, actor, case: Case, text: str) -> CaseEvent:
    """A message to the client: shown on the request's status page and e-mailed when we have an address."""
    case = _work(actor, case)
    if not text.strip():
        raise ValidationError({"text": _("Write the message.")})
    now = timezone.now()
    event = audited_create(
        actor=actor, instance=CaseEvent(case=case, kind=Kind.MESSAGE_OUT, actor=actor, text=text.strip()), organisation=case.organisation
    )
    _responded(actor, case, now)
    email = case.contact_email or (case.person.email if case.person_id else "")
    if email:
        from .tasks import email_client

        transaction.on_commit(lambda: email_client(case.pk, "message", ""))
    return event


@transaction.atomic
def client_reply(*, case: Case, text: str) -> CaseEvent:
    """The client writes back from the status page: the clocks run again and the officer is told."""
    case = _locked(case)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write your message.")})
    if case.status == Status.CLOSED:
        raise ValidationError(_("This request is closed. Send a new request if you need more help."))
    event = audited_create(
        actor=None, instance=CaseEvent(case=case, kind=Kind.MESSAGE_IN, text=text[:4000]), organisation=case.organisation
    )
    if case.status == Status.WAITING:
        _move(None, case, "resume")
    notify(
        [case.assigned_to] if case.assigned_to_id else _coordinators(case),
        kind=Notification.Kind.CLIENT_REPLIED,
        title=str(case),
        url=case_url(case),
    )
    return event


@transaction.atomic
def session_add(*, actor, case: Case, session: Session) -> Session:
    """Record an advisory session; the first one with the client also counts as the first response."""
    case = _work(actor, case)
    session.case = case
    session.organisation = case.organisation
    if session.staff_id is None:
        session.staff = actor
    if not _can_take_cases(session.staff, case.organisation_id):
        raise ValidationError({"staff": _("Choose a member of this organisation who works on cases.")})
    if session.date and session.date > timezone.localdate():
        raise ValidationError({"date": _("A session cannot be in the future.")})
    if session.service_id and not case.services.filter(service_id=session.service_id).exists():
        raise ValidationError({"service": _("Choose one of the services of this case.")})
    audited_create(actor=actor, instance=session, organisation=case.organisation)
    _event(case, Kind.SESSION, actor, session.topic, session=session.pk, minutes=session.minutes, mode=session.mode)
    _responded(actor, case, timezone.now())
    if case.status == Status.ASSIGNED:
        _move(actor, case, "start")
    return session


ALLOWED_UPLOADS = {
    ".pdf": ("application/pdf", b"%PDF"),
    ".png": ("image/png", b"\x89PNG"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
}
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def check_upload(upload) -> tuple[str, str]:
    """The file's extension and type, when it is a kind we keep and is what its name says; else a clear error."""
    name = upload.name or ""
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED_UPLOADS:
        raise ValidationError({"file": _("Attach a PDF, a photo (JPG or PNG), or a Word or Excel file.")})
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": _("The file is larger than 10 MB.")})
    if upload.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    content_type, magic = ALLOWED_UPLOADS[extension]
    upload.seek(0)
    head = upload.read(len(magic))
    upload.seek(0)
    if head != magic:
        raise ValidationError(
            {"file": _("This file is not what its name says: it is not a real %(kind)s file.") % {"kind": extension[1:].upper()}}
        )
    return extension, content_type


@transaction.atomic
def attachment_add(*, actor, case: Case, upload) -> Attachment:
    case = _work(actor, case)
    _extension, content_type = check_upload(upload)
    name = (upload.name or "file").replace("/", "_").replace("\\", "_")[-200:]
    attachment = Attachment(case=case, name=name, content_type=content_type, size=upload.size, uploaded_by=actor)
    attachment.file.save(attachment_path_for(attachment), upload, save=False)
    try:
        audited_create(actor=actor, instance=attachment, organisation=case.organisation)
    except Exception:
        attachment.file.delete(save=False)
        raise
    _event(case, Kind.ATTACHMENT, actor, name, attachment=attachment.pk)
    return attachment


def attachment_path_for(attachment: Attachment) -> str:
    from .models import attachment_path

    return attachment_path(attachment, attachment.name)


@transaction.atomic
def case_services_set(*, actor, case: Case, services: list[Service]) -> Case:
    """Change which services the case asks for (delivered ones stay)."""
    case = _work(actor, case)
    _check_open(case)
    if not services:
        raise ValidationError({"services": _("Choose at least one service.")})
    if any(s.network_id != case.organisation.network_id for s in services):
        raise ValidationError({"services": _("Choose services this desk offers.")})
    current = {cs.service_id: cs for cs in case.services.all()}
    wanted = {s.pk for s in services}
    removed = [cs for sid, cs in current.items() if sid not in wanted and cs.status == CaseService.Status.REQUESTED]
    added = [s for s in services if s.pk not in current]
    for cs in removed:
        cs.delete()
    CaseService.objects.bulk_create([CaseService(case=case, service=s, delivery=_default_delivery(s)) for s in added])
    if removed or added:
        changes = {"services": [sorted(current), sorted(wanted)]}
        audit_record(actor=actor, action=AuditEntry.Action.UPDATE, target=case, organisation=case.organisation, changes=changes)
        _event(case, Kind.SERVICE, actor, added=[s.pk for s in added], removed=[cs.service_id for cs in removed])
    return case


@transaction.atomic
def client_rate(*, case: Case, rating: int, comment: str = "") -> Case:
    """The client's satisfaction (1–5) with a closed or resolved request; given once."""
    case = _locked(case)
    if case.status not in (Status.RESOLVED, Status.CLOSED):
        raise ValidationError(_("You can rate the service once your request is closed."))
    if case.rated_at:
        raise ValidationError(_("Thank you: this request was already rated."))
    if rating not in range(1, 6):
        raise ValidationError({"rating": _("Choose from 1 to 5.")})
    audited_update(
        actor=None,
        instance=case,
        data={"rating": rating, "rating_comment": comment.strip()[:2000], "rated_at": timezone.now()},
        organisation=case.organisation,
    )
    _event(case, Kind.RATED, None, comment.strip()[:2000], rating=rating)
    return case


@transaction.atomic
def follow_up_done(*, actor, follow_up: FollowUp, note: str) -> FollowUp:
    _require(actor, follow_up.organisation, "work_cases")
    if follow_up.done_at:
        raise ValidationError(_("This follow-up is already done."))
    if not note.strip():
        raise ValidationError({"note": _("Write what you learnt from the client.")})
    audited_update(
        actor=actor, instance=follow_up, data={"done_at": timezone.now(), "note": note.strip()}, organisation=follow_up.organisation
    )
    _event(follow_up.case, Kind.FOLLOW_UP, actor, note.strip(), follow_up=follow_up.pk)
    return follow_up


# --- deadlines -------------------------------------------------------------------------------------------------

DUE_SOON = datetime.timedelta(days=1)


def check_deadlines(now=None) -> dict[str, int]:
    """Tell officers of cases due within a day, and escalate overdue ones to the coordinators (once each).

    Run every quarter hour by the job worker (see tasks.py); safe to run twice.
    """
    now = now or timezone.now()
    counts = {"due_soon": 0, "escalated": 0, "follow_ups": 0}
    running = Case.objects.filter(status__in=[Status.NEW, Status.TRIAGED, Status.ASSIGNED, Status.IN_PROGRESS])
    for case in running.filter(
        resolution_due__gt=now, resolution_due__lte=now + DUE_SOON, due_soon_notified_at__isnull=True, assigned_to__isnull=False
    ).select_related("assigned_to")[:1000]:
        with transaction.atomic():
            Case.objects.filter(pk=case.pk).update(due_soon_notified_at=now)
            notify([case.assigned_to], kind=Notification.Kind.DUE_SOON, title=str(case), url=case_url(case))
            counts["due_soon"] += 1
    for case in running.filter(resolution_due__lte=now, escalated_at__isnull=True).select_related("assigned_to", "organisation")[:1000]:
        with transaction.atomic():
            Case.objects.filter(pk=case.pk).update(escalated_at=now)
            audit_record(
                actor=None,
                action=AuditEntry.Action.UPDATE,
                target=case,
                organisation=case.organisation,
                changes={"escalated_at": [None, str(now)]},
            )
            _event(case, Kind.ESCALATED, None)
            notify(_coordinators(case), kind=Notification.Kind.ESCALATED, title=str(case), url=case_url(case))
            if case.assigned_to_id:
                notify([case.assigned_to], kind=Notification.Kind.OVERDUE, title=str(case), url=case_url(case))
            counts["escalated"] += 1
    today = timezone.localdate(now)
    for follow_up in FollowUp.objects.filter(done_at__isnull=True, notified_at__isnull=True, due_on__lte=today).select_related(
        "case", "assigned_to"
    )[:1000]:
        with transaction.atomic():
            FollowUp.objects.filter(pk=follow_up.pk).update(notified_at=now)
            notify([follow_up.assigned_to], kind=Notification.Kind.FOLLOW_UP, title=str(follow_up.case), url=case_url(follow_up.case))
            counts["follow_ups"] += 1
    return counts


def copy_for_form(instance):
    """A copy to hand to a ModelForm, whose validation changes the instance it is given."""
    return copy(instance)
