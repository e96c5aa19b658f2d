"""generate_data --cases: consistent cases at a small size (the same code writes the million of the benchmark)."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone

from shubbak.helpdesk.models import Case, CaseEvent, CaseService, FollowUp, Service, Session, WorkingCalendar
from shubbak.helpdesk.services import calendar_for
from shubbak.organisations.models import Membership, Organisation
from shubbak.registry.management.commands.generate_data import staff_email

pytestmark = pytest.mark.django_db

Status = Case.Status
CASES = 300


@pytest.fixture
def generated():
    out = StringIO()
    call_command("generate_data", cases=CASES, organisations=3, seed=4, stdout=out)
    return out.getvalue()


def test_counts_organisations_staff_and_catalogue(generated):
    organisations = Organisation.objects.filter(slug__startswith="bench-")
    assert organisations.count() == 3
    assert Case.objects.count() == CASES
    assert set(Case.objects.values_list("organisation__slug", flat=True)) <= set(organisations.values_list("slug", flat=True))
    for organisation in organisations:
        assert WorkingCalendar.objects.filter(organisation=organisation).exists()
        coordinator = Membership.objects.get(user__email=staff_email(organisation.slug, "coordinator"))
        assert (coordinator.organisation, coordinator.role) == (organisation, Membership.Role.COORDINATOR)
        assert Membership.objects.filter(organisation=organisation, role=Membership.Role.OFFICER).count() >= 3
    assert Service.objects.filter(network__organisations__slug="bench-001").exists()
    assert f"{CASES:,} cases with" in generated


def test_each_status_has_the_fields_it_implies():
    call_command("generate_data", cases=CASES, organisations=3, seed=4, stdout=StringIO())
    cases = Case.objects.all()
    by_status = dict(cases.values_list("status").annotate(n=Count("id")))
    open_share = sum(by_status.get(s, 0) for s in Case.OPEN_STATUSES) / CASES
    assert 0.04 <= open_share <= 0.2, by_status
    assert by_status[Status.CLOSED] > CASES / 2
    assert not cases.filter(status=Status.NEW).filter(Q(assigned_to__isnull=False) | Q(resolved_at__isnull=False)).exists()
    assert not cases.filter(status__in=[Status.ASSIGNED, Status.IN_PROGRESS, Status.WAITING], assigned_to__isnull=True).exists()
    assert not cases.filter(status=Status.WAITING, paused_at__isnull=True).exists()
    assert not cases.exclude(status=Status.WAITING).filter(paused_at__isnull=False).exists()
    assert not cases.filter(status__in=Case.OPEN_STATUSES).filter(Q(resolved_at__isnull=False) | ~Q(outcome="")).exists()
    assert not cases.filter(status__in=[Status.RESOLVED, Status.CLOSED]).filter(Q(resolved_at__isnull=True) | Q(outcome="")).exists()
    assert not cases.filter(status=Status.RESOLVED, closed_at__isnull=False).exists()
    assert not cases.filter(status=Status.CLOSED).filter(Q(closed_at__isnull=True) | Q(closed_at__lt=F("resolved_at"))).exists()
    assert not cases.filter(rating__isnull=False).exclude(status__in=[Status.RESOLVED, Status.CLOSED]).exists()
    assert not cases.filter(~Q(financing_currency=""), financing_amount__isnull=True).exists()


def test_clocks_follow_the_organisation_calendar(generated):
    cases = Case.objects.all()
    now = timezone.now()
    assert not cases.filter(Q(first_response_due__lte=F("created_at")) | Q(resolution_due__lt=F("first_response_due"))).exists()
    assert not cases.filter(Q(first_response_at__lt=F("created_at")) | Q(resolved_at__lt=F("created_at"))).exists()
    late = Q(created_at__gt=now) | Q(first_response_at__gt=now) | Q(resolved_at__gt=now) | Q(closed_at__gt=now) | Q(rated_at__gt=now)
    assert not cases.filter(late).exists()
    assert cases.filter(status__in=[Status.NEW, Status.TRIAGED, Status.ASSIGNED, Status.IN_PROGRESS], resolution_due__lt=now).exists()
    assert cases.filter(resolved_at__gt=F("resolution_due")).exists()  # some were late
    assert not cases.filter(resolution_due__lt=now, status=Status.IN_PROGRESS, escalated_at__isnull=True).exists()
    for case in cases.select_related("organisation").prefetch_related("services__service"):
        calendar = calendar_for(case.organisation)
        targets = [cs.service for cs in case.services.all()]
        first = calendar.add_working_days(case.created_at, min(s.first_response_days for s in targets))
        due = calendar.add_working_days(case.created_at, min(s.resolution_days for s in targets))
        assert case.first_response_due == first, case.pk
        if case.paused_seconds:  # the clock moved on by the working time the case waited
            due = calendar.add_working_seconds(due, case.paused_seconds)
        assert case.resolution_due == due, case.pk


def test_timeline_services_sessions_and_follow_ups_belong_to_the_case(generated):
    counts = CaseEvent.objects.values("case").annotate(n=Count("id"), first=Min("created_at"), last=Max("created_at"))
    assert len(counts) == CASES
    assert min(c["n"] for c in counts) >= 3
    assert 5 <= sum(c["n"] for c in counts) / CASES <= 10
    created = dict(Case.objects.values_list("id", "created_at"))
    assert all(c["first"] == created[c["case"]] for c in counts)
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.CREATED).count() == CASES
    assert not CaseEvent.objects.filter(created_at__gt=timezone.now()).exists()
    per_case = CaseService.objects.values("case").annotate(n=Count("id"))
    assert len(per_case) == CASES and {c["n"] for c in per_case} <= {1, 2, 3}
    assert not CaseService.objects.exclude(service__network=F("case__organisation__network")).exists()
    assert not Case.objects.filter(person__isnull=False).exclude(person__organisation=F("organisation")).exists()
    assert not Case.objects.filter(enterprise__isnull=False).exclude(enterprise__organisation=F("organisation")).exists()
    assert Case.objects.filter(assigned_to__isnull=False).exists()
    assert (
        not Case.objects.filter(assigned_to__isnull=False)
        .exclude(assigned_to__memberships__organisation=F("organisation"), assigned_to__memberships__role=Membership.Role.OFFICER)
        .exists()
    )
    sessions = Session.objects.all()
    assert sessions.exists()
    assert not sessions.exclude(organisation=F("case__organisation")).exists()
    assert not sessions.exclude(case__status__in=[Status.IN_PROGRESS, Status.WAITING, Status.RESOLVED, Status.CLOSED]).exists()
    assert sessions.count() == CaseEvent.objects.filter(kind=CaseEvent.Kind.SESSION).count()
    follow_ups = FollowUp.objects.all()
    assert follow_ups.exists()
    assert not follow_ups.exclude(case__status=Status.CLOSED).exists()
    assert not follow_ups.filter(due_on__lte=F("case__closed_at__date")).exists()
    assert follow_ups.filter(done_at__isnull=False).count() == CaseEvent.objects.filter(kind=CaseEvent.Kind.FOLLOW_UP).count()


def test_some_cases_have_a_long_timeline_and_codes_are_tracking_codes():
    call_command("generate_data", cases=1200, organisations=2, seed=5, people=300, enterprises=50, stdout=StringIO())
    long = CaseEvent.objects.values("case").annotate(n=Count("id")).filter(n__gte=50)
    assert long.exists()
    codes = list(Case.objects.values_list("code", flat=True))
    assert len(set(codes)) == len(codes)
    assert all(len(code) == 12 for code in codes)


def test_generated_cases_are_found_by_the_queue_search_and_new_ones_still_are(generated):
    from shubbak.accounts.models import User
    from shubbak.helpdesk import selectors, services

    coordinator = User.objects.get(email=staff_email("bench-001", "coordinator"))
    case = Case.objects.filter(organisation__slug="bench-001").select_related("person").order_by("id").first()
    word = case.subject.split()[-1]
    assert case in selectors.case_list(user=coordinator, view="all", filters={"q": word})
    new = services.case_create(
        actor=coordinator,
        organisation=case.organisation,
        data={"subject": "طلب ترخيص مخبز الياسمين", "channel": Case.Channel.WALK_IN},
        services=[case.services.first().service],
    )
    assert list(selectors.case_list(user=coordinator, view="all", filters={"q": "مخبز الياسمين"})) == [new]


def test_running_it_again_adds_cases_to_the_same_desks(generated):
    staff = Membership.objects.count()
    call_command("generate_data", cases=50, organisations=3, seed=6, people=0, enterprises=0, stdout=StringIO())
    assert Case.objects.count() == CASES + 50
    assert Membership.objects.count() == staff
    assert Case.objects.filter(created_at__gte=timezone.now() - datetime.timedelta(days=3 * 366)).count() == CASES + 50
