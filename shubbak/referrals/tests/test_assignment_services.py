"""The rules of expert assignments: who opens one, the timesheet rules, approval rights, the close with a rating."""

# ruff: noqa: F401, F811 (fixtures are imported from expert_fixtures and named in the tests' arguments)

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shubbak.audit.models import AuditEntry
from shubbak.notifications.models import Notification
from shubbak.organisations.models import Membership
from shubbak.referrals import expert_selectors as selectors
from shubbak.referrals import experts as services
from shubbak.referrals.models import Assignment, Referral, Timesheet
from shubbak.testing.factories import MembershipFactory, OrganisationFactory, UserFactory

from .expert_fixtures import (  # pytest fixtures, used by name in the tests' arguments
    assignment,
    business_plan,
    days_ago,
    expert_data,
    make_referral,
    referral,
    salma,
    salma_user,
)

pytestmark = pytest.mark.django_db


def _open(actor, referral, **extra):
    return services.assignment_create(actor=actor, referral=referral, scope="خطة عمل", expected_days="3", **extra)


# --- opening an assignment -------------------------------------------------------------------------------------


def test_the_coordinator_opens_an_assignment_at_the_experts_rate(actors, referral, salma_user):
    assignment = _open(actors.coordinator, referral, deliverables="  خطة العمل\nالتوقعات المالية  ")
    assert (assignment.expert, assignment.organisation, assignment.status) == (referral.expert, actors.organisation, "open")
    assert (assignment.expected_days, assignment.fee, assignment.currency) == (Decimal("3"), Decimal("450"), "USD")
    assert assignment.deliverables == "خطة العمل\nالتوقعات المالية"
    entry = AuditEntry.objects.get(target_type__model="assignment", action="create")
    assert (entry.actor, entry.organisation) == (actors.coordinator, actors.organisation)
    notification = Notification.objects.get(user=salma_user)
    assert (notification.kind, notification.url) == ("assignment", f"/expert/assignments/{assignment.pk}/")


def test_a_fee_given_is_kept(actors, referral):
    assignment = _open(actors.admin, referral, fee="300", currency="ILS")
    assert (assignment.fee, assignment.currency) == (Decimal("300"), "ILS")


def test_the_expert_herself_opens_it_when_she_accepts(actors, salma, salma_user, business_plan):
    from shubbak.referrals import services as referrals

    referral = make_referral(actors, salma, business_plan, status=Referral.Status.SENT)
    terms = {"scope": "خطة عمل", "expected_days": "2.5", "deliverables": "خطة العمل"}
    referrals.referral_accept(actor=salma_user, referral=referral, assignment=terms)
    assignment = Assignment.objects.get(referral=referral)
    assert (assignment.expected_days, assignment.fee, assignment.referral.status) == (Decimal("2.5"), Decimal("375"), "accepted")
    assert not Notification.objects.filter(user=salma_user, kind="assignment").exists()  # she did it herself


def test_the_keeper_of_another_organisations_roster_may_open_it_for_her_expert(actors, business_plan, expert_data):
    hq = actors.organisation.parent
    coordinator = UserFactory()
    MembershipFactory(user=coordinator, organisation=hq, role=Membership.Role.COORDINATOR)
    expert = services.expert_save(actor=coordinator, organisation=hq, data=expert_data)
    services.expert_vet(actor=coordinator, expert=expert, vetting="vetted")
    referral = make_referral(actors, expert, business_plan)
    assert _open(coordinator, referral).organisation == actors.organisation


def test_who_may_not_open_an_assignment(actors, referral):
    other_expert = UserFactory()
    for user in (actors.officer, actors.viewer, actors.outsider, other_expert):
        with pytest.raises(PermissionDenied):
            _open(user, referral)
    assert Assignment.objects.count() == 0


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("declined", "This referral is «Declined»: it can no longer become an assignment."),
        ("completed", "This referral is «Completed»: it can no longer become an assignment."),
        ("cancelled", "This referral is «Cancelled»: it can no longer become an assignment."),
    ],
)
def test_a_closed_referral_does_not_become_an_assignment(actors, referral, status, message, english):
    Referral.objects.filter(pk=referral.pk).update(status=status)
    with pytest.raises(ValidationError) as error:
        _open(actors.coordinator, referral)
    assert error.value.messages == [message]


def test_one_assignment_per_referral(actors, assignment, referral, english):
    with pytest.raises(ValidationError) as error:
        _open(actors.coordinator, referral)
    assert error.value.messages == ["This referral already has an assignment."]


def test_only_an_expert_referral_and_a_vetted_expert(actors, referral, salma, english):
    services.expert_vet(actor=actors.admin, expert=salma, vetting="suspended", note="تأخرت في التسليم")
    with pytest.raises(ValidationError) as error:
        _open(actors.coordinator, referral)
    assert error.value.messages == ["Only a vetted expert can take an assignment; this expert is «Suspended»."]
    Referral.objects.filter(pk=referral.pk).update(kind="partner", expert=None, to_organisation=OrganisationFactory())
    with pytest.raises(ValidationError) as error:
        _open(actors.coordinator, Referral.objects.get(pk=referral.pk))
    assert error.value.messages == ["Only a referral to an expert can become an assignment."]


@pytest.mark.parametrize("days", ["0", "0.25", "1.3", "-1", "abc"])
def test_expected_days_count_in_half_days(actors, referral, days):
    with pytest.raises(ValidationError) as error:
        services.assignment_create(actor=actors.coordinator, referral=referral, scope="x", expected_days=days)
    assert set(error.value.message_dict) == {"expected_days"}


def test_the_scope_is_needed_and_the_fee_is_not_negative(actors, referral):
    with pytest.raises(ValidationError) as error:
        services.assignment_create(actor=actors.coordinator, referral=referral, scope=" ", expected_days=2, fee="-1")
    assert set(error.value.message_dict) == {"fee"}
    with pytest.raises(ValidationError) as error:
        services.assignment_create(actor=actors.coordinator, referral=referral, scope=" ", expected_days=2)
    assert set(error.value.message_dict) == {"scope"}


def test_an_open_assignment_can_be_changed_by_the_coordinator(actors, assignment, english):
    services.assignment_update(actor=actors.coordinator, assignment=assignment, data={"expected_days": "4.5", "fee": "600"})
    assignment.refresh_from_db()
    assert (assignment.expected_days, assignment.fee) == (Decimal("4.5"), Decimal("600"))
    with pytest.raises(PermissionDenied):
        services.assignment_update(actor=actors.officer, assignment=assignment, data={"fee": "1"})


# --- timesheets ------------------------------------------------------------------------------------------------


def _day(actor, assignment, ago=1, days="1", **extra):
    return services.timesheet_add(actor=actor, assignment=assignment, date=days_ago(ago), days=days, work="مقابلة العميلة", **extra)


def test_the_expert_records_her_days_and_the_coordinators_hear(actors, assignment, salma_user):
    timesheet = _day(salma_user, assignment, ago=2, days="0.5", deliverable="خطة العمل")
    assert (timesheet.date, timesheet.days, timesheet.deliverable, timesheet.approved_at) == (
        days_ago(2),
        Decimal("0.5"),
        "خطة العمل",
        None,
    )
    assert sorted(n.user.full_name for n in Notification.objects.filter(kind="timesheet")) == sorted(
        [actors.admin.full_name, actors.coordinator.full_name]
    )
    entry = AuditEntry.objects.get(target_type__model="timesheet", action="create")
    assert (entry.actor, entry.organisation) == (salma_user, actors.organisation)


def test_the_coordinator_records_a_day_for_an_expert_without_an_account(actors, assignment):
    assert _day(actors.coordinator, assignment).assignment == assignment
    assert not Notification.objects.filter(kind="timesheet").exists()


def test_nobody_else_records_days(actors, assignment, salma_user, expert_data, business_plan):
    other = services.expert_save(actor=actors.admin, organisation=actors.organisation, data=expert_data | {"email": "o@x.test"})
    other_user = services.expert_invite(actor=actors.admin, expert=other)
    for user in (actors.officer, actors.viewer, actors.outsider, other_user):
        with pytest.raises(PermissionDenied):
            _day(user, assignment)


@pytest.mark.parametrize(
    ("ago", "days", "work", "errors"),
    [
        (-1, "1", "x", {"date": ["This day has not come yet: record days once they are worked."]}),
        (45, "1", "x", {"date": ["This day is before the expert was referred ({date})."]}),
        (1, "0.75", "x", {"days": ["Record half a day (0.5) or a whole day (1)."]}),
        (1, "2", "x", {"days": ["Record half a day (0.5) or a whole day (1)."]}),
        (1, "1", "  ", {"work": ["Say what was done that day."]}),
    ],
)
def test_timesheet_rules(actors, assignment, salma_user, referral, ago, days, work, errors, english):
    with pytest.raises(ValidationError) as error:
        services.timesheet_add(actor=salma_user, assignment=assignment, date=days_ago(ago), days=days, work=work)
    started = referral.sent_at.astimezone().date().isoformat()
    assert error.value.message_dict == {k: [m.format(date=started) for m in v] for k, v in errors.items()}
    assert Timesheet.objects.count() == 0


def test_not_twice_the_same_day(actors, assignment, salma_user, english):
    _day(salma_user, assignment, ago=3, days="0.5")
    with pytest.raises(ValidationError) as error:
        _day(salma_user, assignment, ago=3, days="0.5")
    assert error.value.message_dict == {"date": ["This day is already recorded."]}


def test_today_counts_as_worked(actors, assignment, salma_user):
    assert _day(salma_user, assignment, ago=0).date == days_ago(0)


def test_more_days_than_expected_only_once_confirmed(actors, assignment, salma_user, english):
    for ago in (5, 4, 3):
        _day(salma_user, assignment, ago=ago)
    with pytest.raises(services.DaysOverExpected) as error:
        _day(salma_user, assignment, ago=2, days="0.5")
    assert error.value.message_dict == {
        "days": ["With this day, 3.5 days would be recorded, more than the 3 expected. Confirm to record it anyway."]
    }
    assert Timesheet.objects.count() == 3
    _day(salma_user, assignment, ago=2, days="0.5", confirm_over=True)
    rows = selectors.timesheet_rows(assignment)
    assert [(t.date, t.over_expected) for t in rows] == [
        (days_ago(2), True),
        (days_ago(3), False),
        (days_ago(4), False),
        (days_ago(5), False),
    ]


def test_half_days_add_up_to_the_expected_days_without_a_warning(actors, assignment, salma_user):
    for ago in range(1, 7):
        _day(salma_user, assignment, ago=ago, days="0.5")
    assert selectors.assignment_get(user=actors.admin, pk=assignment.pk).recorded_days == Decimal("3")


def test_a_day_is_taken_back_only_while_not_approved(actors, assignment, salma_user, english):
    first, second = _day(salma_user, assignment, ago=2), _day(salma_user, assignment, ago=1)
    services.timesheet_remove(actor=salma_user, timesheet=first)
    services.timesheet_approve(actor=actors.coordinator, timesheet=second)
    with pytest.raises(ValidationError) as error:
        services.timesheet_remove(actor=salma_user, timesheet=second)
    assert error.value.messages == ["An approved timesheet cannot be removed."]
    with pytest.raises(PermissionDenied):
        services.timesheet_remove(actor=actors.officer, timesheet=second)
    assert list(Timesheet.objects.all()) == [second]
    assert AuditEntry.objects.filter(target_type__model="timesheet", action="delete").count() == 1


# --- approval --------------------------------------------------------------------------------------------------


def test_the_coordinator_approves_and_the_expert_hears(actors, assignment, salma_user):
    timesheet = _day(salma_user, assignment)
    approved = services.timesheet_approve(actor=actors.coordinator, timesheet=timesheet)
    assert (approved.approved_by, approved.approved_at is not None) == (actors.coordinator, True)
    assert Notification.objects.filter(user=salma_user, kind="assignment_updated").count() == 1
    entry = AuditEntry.objects.get(target_type__model="timesheet", action="update")
    assert entry.changes["approved_by_id"] == [None, actors.coordinator.pk]


def test_approval_rights(actors, assignment, salma_user, english):
    timesheet = _day(salma_user, assignment)
    for user in (actors.officer, actors.viewer, actors.outsider, salma_user):
        with pytest.raises(PermissionDenied):
            services.timesheet_approve(actor=user, timesheet=timesheet)
    services.timesheet_approve(actor=actors.manager, timesheet=timesheet)
    with pytest.raises(ValidationError) as error:
        services.timesheet_approve(actor=actors.admin, timesheet=timesheet)
    assert error.value.messages == ["This timesheet is already approved."]


def test_a_coordinator_who_is_also_the_expert_does_not_approve_her_own_days(actors, assignment, salma, english):
    salma.user = actors.coordinator
    salma.save(update_fields=["user"])
    timesheet = _day(actors.coordinator, assignment)
    with pytest.raises(ValidationError) as error:
        services.timesheet_approve(actor=actors.coordinator, timesheet=timesheet)
    assert error.value.messages == ["You cannot approve your own timesheets."]
    with pytest.raises(ValidationError):
        services.assignment_close(actor=actors.coordinator, assignment=assignment, rating=5)


def test_approving_every_waiting_timesheet_at_once(actors, assignment, salma_user):
    for ago in (3, 2, 1):
        _day(salma_user, assignment, ago=ago)
    assert services.timesheets_approve(actor=actors.admin, assignment=assignment) == 3
    assert services.timesheets_approve(actor=actors.admin, assignment=assignment) == 0
    assert Notification.objects.filter(user=salma_user, kind="assignment_updated").count() == 1


# --- closing with a rating -------------------------------------------------------------------------------------


def test_closing_needs_every_timesheet_approved_and_a_rating(actors, assignment, salma_user, salma, english):
    _day(salma_user, assignment, ago=2)
    _day(salma_user, assignment, ago=1)
    with pytest.raises(ValidationError) as error:
        services.assignment_close(actor=actors.coordinator, assignment=assignment, rating=5)
    assert error.value.messages == ["Approve or remove the 2 timesheets waiting for approval first."]
    services.timesheets_approve(actor=actors.coordinator, assignment=assignment)
    for rating in (0, 6, None, "good"):
        with pytest.raises(ValidationError) as error:
            services.assignment_close(actor=actors.coordinator, assignment=assignment, rating=rating)
        assert error.value.message_dict == {"rating": ["Rate the expert's work from 1 to 5."]}
    closed = services.assignment_close(actor=actors.coordinator, assignment=assignment, rating="4", note=" خطة جيدة ")
    assert (closed.status, closed.rating, closed.rating_note, closed.closed_at is not None) == ("closed", 4, "خطة جيدة", True)
    entry = AuditEntry.objects.filter(target_type__model="assignment", action="update").latest("id")
    assert entry.changes["rating"] == [None, 4]
    listed = selectors.expert_list(user=actors.viewer).get()
    assert (listed.assignment_count, listed.average_rating) == (1, 4)
    assert Notification.objects.filter(user=salma_user, kind="assignment_updated").count() == 2


def test_a_closed_assignment_takes_no_more_days_nor_a_second_rating(actors, assignment, salma_user, english):
    services.assignment_close(actor=actors.coordinator, assignment=assignment, rating=3)
    with pytest.raises(ValidationError) as error:
        _day(salma_user, assignment)
    assert error.value.messages == ["This assignment is closed: no more days can be recorded."]
    with pytest.raises(ValidationError) as error:
        services.assignment_close(actor=actors.coordinator, assignment=assignment, rating=5)
    assert error.value.messages == ["This assignment is already closed."]


def test_only_the_coordinator_closes(actors, assignment, salma_user):
    for user in (actors.officer, actors.viewer, actors.outsider, salma_user):
        with pytest.raises(PermissionDenied):
            services.assignment_close(actor=user, assignment=assignment, rating=5)


# --- the portal's isolation ------------------------------------------------------------------------------------


def test_an_expert_sees_only_her_own_assignments(actors, assignment, salma_user, expert_data, business_plan, english):
    from django.http import Http404

    other = services.expert_save(actor=actors.admin, organisation=actors.organisation, data=expert_data | {"email": "o@x.test"})
    services.expert_vet(actor=actors.admin, expert=other, vetting="vetted")
    other_user = services.expert_invite(actor=actors.admin, expert=other)
    others = _open(actors.coordinator, make_referral(actors, other, business_plan))
    assert list(selectors.portal_assignments(user=salma_user)) == [assignment]
    assert list(selectors.portal_assignments(user=other_user)) == [others]
    with pytest.raises(Http404):
        selectors.portal_assignment_get(user=salma_user, pk=others.pk)
    assert list(selectors.assignment_list(user=salma_user)) == []  # her expert's role does not show the desk's assignments
    assert selectors.shared_rows(assignment.referral)[0] == {"name": "gender", "label": "gender", "value": "Female", "ltr": False}
