"""Reads of the expert roster and of expert assignments, always through the user's access.

- The roster of a network is browsed by its staff (any role but expert); other networks do not exist for them.
- Assignments are seen by the staff of the organisation that made them (view_cases) and by the expert herself:
  on her portal she sees only hers, and of the client only what the referral shared.
"""

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet, Sum
from django.http import Http404

from shubbak.arabic import search_tokens
from shubbak.helpdesk.models import Service
from shubbak.organisations.models import Membership
from shubbak.organisations.permissions import access_for

from .experts import language_codes
from .models import Assignment, Expert, Referral, Timesheet

Role = Membership.Role


def roster_networks(user) -> set[int]:
    """The networks whose roster the user may browse: where she holds a staff role (an expert's own role is not one)."""
    access = access_for(user)
    return {m.organisation.network_id for m in access.memberships if m.role != Role.EXPERT} | set(access.managed_networks)


def roster_organisations(user) -> set[int]:
    """Organisations whose roster the user keeps (manage_experts)."""
    return access_for(user).organisation_ids("manage_experts")


def _match(qs: QuerySet, query: str) -> QuerySet:
    """Experts whose normalised search text has every word of the query at the start of one of its words."""
    for word in dict.fromkeys(search_tokens(query)):
        qs = qs.filter(Q(search_text__startswith=word) | Q(search_text__contains=" " + word))
    return qs


def expert_list(*, user, query: str = "", filters: dict | None = None) -> QuerySet[Expert]:
    """Experts of the rosters the user may browse, matching the query in any spelling, filtered, with their record."""
    filters = filters or {}
    qs = Expert.objects.filter(network_id__in=roster_networks(user))
    qs = _match(qs, query)
    if service := filters.get("service"):
        qs = qs.filter(
            Exists(Expert.specialisations.through.objects.filter(expert_id=OuterRef("pk"), service_id=getattr(service, "pk", service)))
        )
    if governorate := filters.get("governorate"):
        qs = qs.filter(governorates__icontains=f'"{governorate}"')  # a JSON list of codes: the quoted code is one element
    for name in ("availability", "vetting", "gender"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    if language := filters.get("language"):
        qs = qs.filter(
            Q(languages=language)
            | Q(languages__startswith=language + ",")
            | Q(languages__endswith="," + language)
            | Q(languages__contains=f",{language},")
        )
    if filters.get("organisation"):
        qs = qs.filter(organisation=filters["organisation"])
    return (
        qs.select_related("organisation")
        .prefetch_related("specialisations")
        .annotate(assignment_count=Count("assignments"), average_rating=Avg("assignments__rating"))
        .order_by("full_name", "pk")
    )


def expert_get(*, user, pk) -> Expert:
    """One expert of a roster the user may browse; Http404 otherwise, exactly as for a missing one."""
    try:
        return (
            Expert.objects.filter(network_id__in=roster_networks(user))
            .select_related("organisation", "user", "vetted_by")
            .annotate(assignment_count=Count("assignments"), average_rating=Avg("assignments__rating"))
            .get(pk=pk)
        )
    except (Expert.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def roster_services(user) -> QuerySet[Service]:
    """Services experts can deliver in the networks whose roster the user browses (the roster's filter)."""
    return Service.objects.filter(network_id__in=roster_networks(user), by_expert=True, is_active=True).order_by("name_ar")


def expert_languages(expert: Expert) -> list[str]:
    return language_codes(expert.languages)


# --- assignments -----------------------------------------------------------------------------------------------


def _with_totals(qs: QuerySet[Assignment]) -> QuerySet[Assignment]:
    return qs.annotate(
        recorded_days=Sum("timesheets__days"),
        approved_days=Sum("timesheets__days", filter=Q(timesheets__approved_at__isnull=False)),
        waiting_count=Count("timesheets", filter=Q(timesheets__approved_at__isnull=True)),
    )


def assignment_list(*, user, filters: dict | None = None) -> QuerySet[Assignment]:
    """Assignments made by the organisations whose cases the user sees, open first, with days recorded and approved."""
    filters = filters or {}
    qs = Assignment.objects.filter(organisation__in=access_for(user).organisation_ids("view_cases"))
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("expert"):
        qs = qs.filter(expert=filters["expert"])
    if filters.get("waiting"):
        qs = qs.filter(Exists(Timesheet.objects.filter(assignment=OuterRef("pk"), approved_at__isnull=True)))
    qs = qs.select_related("expert", "organisation", "referral__case", "referral__case_service__service")
    return _with_totals(qs).order_by("-status", "-id")  # "open" sorts after "closed": descending puts it first


def assignment_get(*, user, pk) -> Assignment:
    """One assignment of an organisation whose cases the user sees; Http404 otherwise."""
    try:
        return (
            _with_totals(Assignment.objects.filter(organisation__in=access_for(user).organisation_ids("view_cases")))
            .select_related("expert__user", "organisation", "referral__case", "referral__case_service__service")
            .get(pk=pk)
        )
    except (Assignment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def assignments_visible(*, user) -> QuerySet[Assignment]:
    """For the API: the assignments of organisations whose cases the user sees, and her own if she is an expert."""
    if not getattr(user, "is_authenticated", False):
        return Assignment.objects.none()
    visible = Q(organisation__in=access_for(user).organisation_ids("view_cases")) | Q(expert__user=user)
    qs = Assignment.objects.filter(visible).select_related("expert", "organisation", "referral__case_service__service")
    return _with_totals(qs).order_by("-status", "-id")


def expert_assignments(*, user, expert: Expert) -> QuerySet[Assignment]:
    """The expert's assignments the user may open (those of organisations whose cases she sees)."""
    return assignment_list(user=user, filters={"expert": expert})


def referrals_to_assign(*, user) -> QuerySet[Referral]:
    """Open referrals to an expert without an assignment yet, from organisations where the user keeps the roster."""
    return (
        Referral.objects.filter(
            from_organisation__in=roster_organisations(user), kind=Referral.Kind.EXPERT, status__in=Referral.OPEN_STATUSES
        )
        .filter(assignment__isnull=True)
        .select_related("expert", "case", "case_service__service")
        .order_by("-id")
    )


def referral_for_assignment(*, user, pk) -> Referral:
    """An expert referral of an organisation whose cases the user sees; Http404 otherwise."""
    try:
        return (
            Referral.objects.filter(from_organisation__in=access_for(user).organisation_ids("view_cases"), kind=Referral.Kind.EXPERT)
            .select_related("expert", "case", "case_service__service", "from_organisation")
            .get(pk=pk)
        )
    except (Referral.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- the expert's portal ---------------------------------------------------------------------------------------


def portal_expert(user) -> Expert | None:
    """The roster record of the logged-in expert, or None for anyone else."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Expert.objects.select_related("organisation").filter(user=user).first()


def portal_assignments(*, user) -> QuerySet[Assignment]:
    """The logged-in expert's own assignments, open first; nobody else's."""
    qs = Assignment.objects.filter(expert__user=user).select_related("organisation", "referral__case_service__service")
    return _with_totals(qs).order_by("-status", "-id")


def portal_assignment_get(*, user, pk) -> Assignment:
    """One of the logged-in expert's own assignments; Http404 for any other, as for a missing one."""
    try:
        return (
            _with_totals(Assignment.objects.filter(expert__user=user))
            .select_related("expert", "organisation", "referral__case_service__service")
            .get(pk=pk)
        )
    except (Assignment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def shared_rows(referral: Referral) -> list[dict]:
    """What the referral shared with the expert, in words (label, value, ltr): the snapshot taken when it was sent, nothing else."""
    from .selectors import shared_rows as in_words  # the referrals' one way to show a snapshot

    return [row for row in in_words(referral.shared or {}) if row["value"]]


def timesheet_rows(assignment: Assignment) -> list[Timesheet]:
    """The assignment's timesheets, newest first, each with `running_days` and `over_expected` (past the expected days)."""
    timesheets = list(assignment.timesheets.select_related("approved_by").order_by("date", "id"))
    total = 0
    for timesheet in timesheets:
        total += timesheet.days
        timesheet.running_days = total
        timesheet.over_expected = total > assignment.expected_days
    return timesheets[::-1]
