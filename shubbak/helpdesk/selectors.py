"""Every read of the helpdesk: the queue, a case with its timeline, the desk dashboard, workload, follow-ups.

Reads keep to what the user may see (`view_cases`): another organisation's case is a 404, like a missing one.
"""

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone

from shubbak.organisations.models import Network, Organisation
from shubbak.organisations.permissions import access_for

from .models import Case, CaseEvent, FollowUp, Service, ServiceCategory, Session

Status = Case.Status
RUNNING = (Status.NEW, Status.TRIAGED, Status.ASSIGNED, Status.IN_PROGRESS)  # open and not waiting: the clock runs
DUE_SOON = datetime.timedelta(days=2)
SEARCH_PEOPLE_LISTED = 2000  # a queue search passes up to this many matching people to the database as a list of ids

# queue views: what a desk officer picks from
VIEWS = ("open", "new", "mine", "due_soon", "overdue", "waiting", "resolved", "closed", "all")
BY_DUE_DATE = ("due_soon", "overdue")  # the views listed by due date, soonest first (the others newest first)


def services_for(*, user=None, network_id: int | None = None, public_only: bool = False) -> QuerySet[Service]:
    """Active services of a network's catalogue (the user's networks when none is given)."""
    qs = Service.objects.filter(is_active=True).select_related("category")
    if network_id is not None:
        qs = qs.filter(network_id=network_id)
    elif user is not None:
        qs = qs.filter(network__organisations__in=access_for(user).organisation_ids("view")).distinct()
    if public_only:
        qs = qs.filter(is_public=True)
    return qs


def case_list(*, user, view: str = "open", filters: dict | None = None, now=None) -> QuerySet[Case]:
    """Cases the user may see, for one queue view and the filters of the queue page, newest first.

    filters: organisation, desk, assigned_to (a user id, or "none"), status, priority, channel, service, q (the
    tracking code, or words of the client's name or subject).
    """
    now = now or timezone.now()
    filters = filters or {}
    qs = Case.objects.for_user(user, "view_cases")
    if view == "open":
        qs = qs.filter(status__in=Case.OPEN_STATUSES)
    elif view == "new":
        qs = qs.filter(status=Status.NEW)
    elif view == "mine":
        qs = qs.filter(assigned_to=user, status__in=Case.OPEN_STATUSES)
    elif view == "due_soon":
        qs = qs.filter(status__in=RUNNING, resolution_due__gt=now, resolution_due__lte=now + DUE_SOON)
    elif view == "overdue":
        qs = qs.filter(status__in=RUNNING, resolution_due__lte=now)
    elif view in ("waiting", "resolved", "closed"):
        qs = qs.filter(status={"waiting": Status.WAITING, "resolved": Status.RESOLVED, "closed": Status.CLOSED}[view])
    if organisation := filters.get("organisation"):
        qs = qs.filter(organisation=organisation)
    if desk := filters.get("desk"):
        qs = qs.filter(desk=desk)
    if assigned := filters.get("assigned_to"):
        qs = qs.filter(assigned_to__isnull=True) if assigned == "none" else qs.filter(assigned_to=assigned)
    for name in ("status", "priority", "channel"):
        if value := filters.get(name):
            qs = qs.filter(**{name: value})
    if service := filters.get("service"):
        qs = qs.filter(services__service=service)
    if query := (filters.get("q") or "").strip():
        qs = _search(qs, query, user)
    if view in BY_DUE_DATE:
        qs = qs.order_by("resolution_due", "id")
    return qs.select_related("organisation", "desk", "assigned_to", "person", "enterprise")


def _search(qs: QuerySet[Case], query: str, user) -> QuerySet[Case]:
    """The case with this tracking code; else cases of a person the registry's search finds (any spelling of the name,
    a phone, an ID), cases with the words in their subject, and cases not linked yet with them in the name given."""
    from shubbak.registry.selectors import person_list

    from .tracking import clean_code

    if code := clean_code(query):
        return qs.filter(code=code)
    people = person_list(user=user, query=query).values_list("pk", flat=True)
    found = list(people[: SEARCH_PEOPLE_LISTED + 1])
    # The ids as a list: inside an OR, PostgreSQL can only run a subquery as a filter on every case of the desk read
    # newest first, while a list lets it combine the indexes. A broader search matches densely, and newest first is best.
    by_person = Q(person__in=found) if len(found) <= SEARCH_PEOPLE_LISTED else Q(person__in=people)
    return qs.filter(by_person | _subject_match(query) | Q(person__isnull=True, contact_name__icontains=query))


def case_text_index() -> bool:
    """Whether the database has the trigram index over subjects (migrations helpdesk 0002 and 0003)."""
    import sqlite3

    return connection.vendor == "sqlite" and sqlite3.sqlite_version_info >= (3, 34, 0)


def _subject_match(query: str) -> Q:
    """Subject containing the text. A LIKE over every case of the desk cannot use an index, so SQLite asks its FTS5
    trigram table (three letters at least), and PostgreSQL's trigram index serves the icontains."""
    if case_text_index() and len(query) >= 3:
        phrase = '"{}"'.format(query.replace('"', '""'))
        return Q(id__in=RawSQL("SELECT rowid FROM helpdesk_case_fts WHERE helpdesk_case_fts MATCH %s", [phrase]))
    return Q(subject__icontains=query)


def case_get(*, user, pk: int, action: str = "view_cases") -> Case:
    """One case, or 404 when the user may not see it (a write the user may not do is the caller's 403)."""
    case = (
        Case.objects.select_related("organisation__network", "desk", "person", "enterprise", "assigned_to", "created_by")
        .filter(pk=pk)
        .first()
    )
    access = access_for(user)
    if case is None or not access.can(case.organisation_id, "view_cases"):
        raise Http404
    return case


def timeline(case: Case, limit: int = 50, offset: int = 0) -> list[CaseEvent]:
    """The latest entries of the case's timeline, newest first, with who did each (`offset` pages further back)."""
    return list(case.events.select_related("actor")[offset : offset + limit])


def client_timeline(case: Case) -> list[CaseEvent]:
    """What the client sees: when it was received, status changes and the messages both ways (no internal notes)."""
    return list(case.events.filter(kind__in=CaseEvent.CLIENT_KINDS).order_by("created_at", "id"))


@dataclass
class Dashboard:
    by_status: dict[str, int]
    open: int
    overdue: int
    waiting: int
    unassigned: int
    received_this_month: int
    resolved_this_month: int
    resolved_on_time: int
    responded_this_month: int
    responded_on_time: int
    mean_rating: float | None

    @property
    def resolution_compliance(self) -> int | None:
        return round(100 * self.resolved_on_time / self.resolved_this_month) if self.resolved_this_month else None

    @property
    def response_compliance(self) -> int | None:
        return round(100 * self.responded_on_time / self.responded_this_month) if self.responded_this_month else None


def month_start(now=None) -> datetime.datetime:
    local = timezone.localtime(now or timezone.now())
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def dashboard(*, organisation_ids, now=None) -> Dashboard:
    """Counts for a desk's dashboard: by status, overdue, and service-level compliance this month (4 queries)."""
    now = now or timezone.now()
    start = month_start(now)
    cases = Case.objects.filter(organisation__in=organisation_ids)
    by_status = dict(cases.order_by().values_list("status").annotate(n=Count("id")))
    live = cases.filter(status__in=RUNNING)
    flags = live.aggregate(
        overdue=Count("id", filter=Q(resolution_due__lte=now)), unassigned=Count("id", filter=Q(assigned_to__isnull=True))
    )
    month = cases.filter(created_at__gte=start).aggregate(
        received=Count("id"),
        responded=Count("id", filter=Q(first_response_at__isnull=False)),
        responded_on_time=Count("id", filter=Q(first_response_at__lte=F("first_response_due"))),
    )
    resolved = cases.filter(resolved_at__gte=start).aggregate(
        resolved=Count("id"),
        on_time=Count("id", filter=Q(resolved_at__lte=F("resolution_due"))),
        rating_total=Sum("rating"),  # not "rating": an alias may not shadow the field it aggregates
        rated=Count("rating"),
    )
    return Dashboard(
        by_status={status: by_status.get(status, 0) for status in Status.values},
        open=sum(by_status.get(s, 0) for s in Case.OPEN_STATUSES),
        overdue=flags["overdue"],
        waiting=by_status.get(Status.WAITING, 0),
        unassigned=flags["unassigned"],
        received_this_month=month["received"],
        resolved_this_month=resolved["resolved"],
        resolved_on_time=resolved["on_time"],
        responded_this_month=month["responded"],
        responded_on_time=month["responded_on_time"],
        mean_rating=round(resolved["rating_total"] / resolved["rated"], 1) if resolved["rated"] else None,
    )


def workload(*, organisation_ids, now=None) -> list[dict]:
    """Open cases per officer, with how many are overdue (one query)."""
    now = now or timezone.now()
    rows = (
        Case.objects.filter(organisation__in=organisation_ids, status__in=Case.OPEN_STATUSES, assigned_to__isnull=False)
        .order_by()
        .values("assigned_to", "assigned_to__full_name", "assigned_to__email")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(status__in=RUNNING, resolution_due__lte=now)))
        .order_by("-open")
    )
    return list(rows)


def hours(*, organisation_ids, since: datetime.date | None = None, until: datetime.date | None = None) -> dict[str, list[dict]]:
    """Advisory hours by officer and by service (one query each)."""
    sessions = Session.objects.filter(organisation__in=organisation_ids)
    if since:
        sessions = sessions.filter(date__gte=since)
    if until:
        sessions = sessions.filter(date__lte=until)
    by_staff = list(
        sessions.order_by().values("staff", "staff__full_name").annotate(minutes=Sum("minutes"), sessions=Count("id")).order_by("-minutes")
    )
    by_service = list(
        sessions.order_by()
        .values("service", "service__name_ar", "service__name_en")
        .annotate(minutes=Sum("minutes"), sessions=Count("id"))
        .order_by("-minutes")
    )
    return {"staff": by_staff, "service": by_service}


def follow_ups_due(*, user, today: datetime.date | None = None) -> QuerySet[FollowUp]:
    """Follow-ups that are due and not done: the user's own (coordinators also see their organisations' unassigned)."""
    today = today or timezone.localdate()
    access = access_for(user)
    qs = FollowUp.objects.filter(done_at__isnull=True, due_on__lte=today, organisation__in=access.organisation_ids("work_cases"))
    coordinated = access.organisation_ids("coordinate_cases")
    qs = qs.filter(Q(assigned_to=user) | Q(organisation__in=coordinated, assigned_to__isnull=True))
    return qs.select_related("case", "assigned_to")


# --- the service catalogue -------------------------------------------------------------------------------------


def catalogue_networks(*, user) -> QuerySet[Network]:
    """Networks whose service catalogue the user may browse: those of the organisations she may see."""
    visible = Organisation.objects.filter(id__in=access_for(user).organisation_ids("view")).values("network_id")
    return Network.objects.filter(id__in=visible).order_by("name_ar")


def catalogue(*, user, active_only: bool = False) -> QuerySet[Service]:
    """Every service of the catalogues the user may browse, in catalogue order (inactive ones too unless told)."""
    qs = Service.objects.filter(network__in=catalogue_networks(user=user)).select_related("category", "network")
    return qs.filter(is_active=True) if active_only else qs


def categories(*, user) -> QuerySet[ServiceCategory]:
    """Service categories of the catalogues the user may browse."""
    return ServiceCategory.objects.filter(network__in=catalogue_networks(user=user)).select_related("network")


def service_get(*, user, pk: int) -> Service:
    """One service of a catalogue the user may browse; Http404 otherwise, exactly as for a missing one."""
    service = catalogue(user=user).filter(pk=pk).first()
    if service is None:
        raise Http404
    return service


def category_get(*, user, pk: int) -> ServiceCategory:
    """One category of a catalogue the user may browse; Http404 otherwise."""
    category = categories(user=user).filter(pk=pk).first()
    if category is None:
        raise Http404
    return category
