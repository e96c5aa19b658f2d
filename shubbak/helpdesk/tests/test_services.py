import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shubbak.audit.models import AuditEntry
from shubbak.helpdesk import services
from shubbak.helpdesk.models import Case, CaseEvent, CaseService, FollowUp, Holiday, WorkingCalendar
from shubbak.notifications.models import Notification
from shubbak.registry.models import Person
from shubbak.testing.factories import ServiceCategoryFactory, ServiceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
Status = Case.Status


@pytest.fixture
def catalogue(actors):
    category = ServiceCategoryFactory(network=actors.organisation.network)
    return {
        "registration": ServiceFactory(category=category, first_response_days=3, resolution_days=20),
        "trademark": ServiceFactory(category=category, first_response_days=2, resolution_days=30),
    }


def new_case(actors, catalogue, *, actor=None, **data) -> Case:
    data = {"subject": "تسجيل محل خياطة", "channel": Case.Channel.WALK_IN, "contact_name": "سناء عودة", **data}
    return services.case_create(
        actor=actor or actors.officer, organisation=actors.organisation, data=data, services=list(catalogue.values())
    )


def moved_back(case: Case, **fields) -> None:
    """Pretend time passed: move the case's moments back."""
    Case.objects.filter(pk=case.pk).update(**fields)
    case.refresh_from_db()


def test_a_new_case_takes_the_strictest_targets_of_its_services_in_working_days(actors, catalogue):
    case = new_case(actors, catalogue)
    calendar = services.calendar_for(actors.organisation)
    assert case.status == Status.NEW
    assert case.first_response_due == calendar.add_working_days(case.created_at, 2)
    assert case.resolution_due == calendar.add_working_days(case.created_at, 20)
    assert set(case.services.values_list("service_id", flat=True)) == {s.pk for s in catalogue.values()}
    assert list(case.events.values_list("kind", flat=True)) == [CaseEvent.Kind.CREATED]
    assert AuditEntry.objects.filter(action="create", target_id=str(case.pk)).exists()
    assert len(case.code) == 12 and case.tracking_code.count("-") == 2


def test_the_organisations_rest_days_and_holidays_move_the_due_dates(actors, catalogue):
    WorkingCalendar.objects.create(organisation=actors.organisation, weekend="fri_sat")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    Holiday.objects.create(organisation=actors.organisation, date=tomorrow, name="عيد الفطر")
    case = new_case(actors, catalogue)
    calendar = services.calendar_for(actors.organisation)
    assert tomorrow in calendar.holidays and calendar.rest_days == {4, 5}
    assert calendar.working_seconds(case.created_at, case.resolution_due) == 20 * 86400


def test_a_change_of_calendar_is_seen_at_once(actors, catalogue, django_capture_on_commit_callbacks):
    assert services.calendar_for(actors.organisation).rest_days == {4}
    with django_capture_on_commit_callbacks(execute=True):
        services.calendar_update(actor=actors.coordinator, organisation=actors.organisation, weekend="fri_sun", national_holidays=False)
    calendar = services.calendar_for(actors.organisation)
    assert calendar.rest_days == {4, 6} and calendar.country == ""


def test_only_members_who_work_cases_open_them(actors, catalogue):
    for user in (actors.viewer, actors.outsider):
        with pytest.raises(PermissionDenied):
            new_case(actors, catalogue, actor=user)


def test_services_of_another_network_are_refused(actors, catalogue):
    elsewhere = ServiceFactory()
    with pytest.raises(ValidationError) as error:
        services.case_create(actor=actors.officer, organisation=actors.organisation, data={"subject": "x"}, services=[elsewhere])
    assert "services" in error.value.message_dict


def test_a_case_about_another_organisations_person_is_refused(actors, catalogue):
    stranger = Person.objects.create(organisation=actors.other_organisation, first_name="علي", family_name="حسن", gender="male")
    with pytest.raises(ValidationError) as error:
        new_case(actors, catalogue, person=stranger)
    assert "person" in error.value.message_dict


def test_the_same_submission_twice_makes_one_case(actors, catalogue):
    first = new_case(actors, catalogue)
    key_case = services.case_create(
        actor=None, organisation=actors.organisation, data={"subject": "a"}, services=[catalogue["trademark"]], idempotency_key="k-1"
    )
    again = services.case_create(
        actor=None, organisation=actors.organisation, data={"subject": "a"}, services=[catalogue["trademark"]], idempotency_key="k-1"
    )
    assert again.pk == key_case.pk != first.pk
    assert Case.objects.count() == 2


def test_coordinators_hear_of_a_new_request_in_the_app(actors, catalogue):
    case = new_case(actors, catalogue)
    told = set(Notification.objects.filter(kind="new_request", url__endswith=f"/cases/{case.pk}/").values_list("user", flat=True))
    assert told == {actors.coordinator.pk, actors.admin.pk}


def test_an_officer_takes_a_case_and_a_coordinator_gives_one(actors, catalogue, django_capture_on_commit_callbacks):
    case = new_case(actors, catalogue)
    services.case_assign(actor=actors.officer, case=case, assignee=actors.officer)
    case.refresh_from_db()
    assert (case.status, case.assigned_to) == (Status.ASSIGNED, actors.officer)
    with pytest.raises(PermissionDenied):
        services.case_assign(actor=actors.officer, case=case, assignee=actors.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_assign(actor=actors.coordinator, case=case, assignee=actors.admin)
    assert Notification.objects.filter(user=actors.admin, kind="assigned").count() == 1
    assert [m.to for m in mail.outbox] == [[actors.admin.email]]
    with pytest.raises(ValidationError):
        services.case_assign(actor=actors.coordinator, case=case, assignee=actors.viewer)  # a viewer does not work cases


def test_waiting_for_the_client_stops_the_clocks_and_resuming_moves_them_on(actors, catalogue):
    case = new_case(actors, catalogue)
    services.case_assign(actor=actors.officer, case=case, assignee=actors.officer)
    services.case_transition(actor=actors.officer, case=case, action="wait")
    case.refresh_from_db()
    assert case.status == Status.WAITING and case.paused_at is not None
    two_days_ago = timezone.now() - datetime.timedelta(days=2)
    moved_back(case, paused_at=two_days_ago)
    due, first_due = case.resolution_due, case.first_response_due
    services.case_transition(actor=actors.officer, case=case, action="resume")
    case.refresh_from_db()
    calendar = services.calendar_for(actors.organisation)
    waited = calendar.working_seconds(two_days_ago, timezone.now())
    assert case.status == Status.IN_PROGRESS and case.paused_at is None
    assert abs(case.paused_seconds - waited) <= 2
    assert abs(calendar.working_seconds(due, case.resolution_due) - waited) <= 2
    assert abs(calendar.working_seconds(first_due, case.first_response_due) - waited) <= 2
    assert not case.is_overdue()


def test_a_move_the_workflow_forbids_is_refused_with_a_clear_message(actors, catalogue):
    case = new_case(actors, catalogue)
    with pytest.raises(ValidationError) as error:
        services.case_transition(actor=actors.officer, case=case, action="resume")
    assert error.value.code == "invalid_transition"
    assert "New" in error.value.messages[0]
    with pytest.raises(ValidationError):
        services.case_close(actor=actors.officer, case=case)
    with pytest.raises(ValidationError):
        services.case_transition(actor=actors.officer, case=case, action="start")  # nobody assigned yet
    with pytest.raises(ValidationError):
        services.case_transition(actor=actors.officer, case=case, action="delete")
    case.refresh_from_db()
    assert case.status == Status.NEW


def test_a_session_is_the_first_response_and_starts_the_work(actors, catalogue):
    case = new_case(actors, catalogue)
    services.case_assign(actor=actors.officer, case=case, assignee=actors.officer)
    session = services.Session(minutes=45, topic="خطة العمل", mode="in_person", service=catalogue["registration"])
    services.session_add(actor=actors.officer, case=case, session=session)
    case.refresh_from_db()
    assert case.first_response_at is not None and case.status == Status.IN_PROGRESS
    assert session.organisation == actors.organisation and session.staff == actors.officer
    future = services.Session(minutes=30, topic="x", date=timezone.localdate() + datetime.timedelta(days=3))
    with pytest.raises(ValidationError):
        services.session_add(actor=actors.officer, case=case, session=future)
    with pytest.raises(ValidationError):
        services.session_add(actor=actors.officer, case=case, session=services.Session(minutes=30, topic="x", service=ServiceFactory()))


def test_a_client_reply_resumes_a_waiting_case_and_tells_the_officer(actors, catalogue):
    case = new_case(actors, catalogue, contact_email="sana@example.com")
    services.case_assign(actor=actors.officer, case=case, assignee=actors.officer)
    services.message_send(actor=actors.officer, case=case, text="أرسلي صورة الهوية من فضلك")
    services.case_transition(actor=actors.officer, case=case, action="wait")
    services.client_reply(case=case, text="أرسلتها")
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and case.first_response_at is not None
    assert Notification.objects.filter(user=actors.officer, kind="client_replied").exists()
    kinds = list(case.events.order_by("id").values_list("kind", flat=True))
    assert kinds[-3:] == ["status", "message_in", "status"][-3:] or "message_in" in kinds


def test_notes_stay_internal_and_messages_reach_the_client(actors, catalogue):
    from shubbak.helpdesk import selectors

    case = new_case(actors, catalogue)
    services.note_add(actor=actors.officer, case=case, text="العميلة تحتاج متابعة قانونية")
    services.message_send(actor=actors.officer, case=case, text="موعدك يوم الأحد")
    seen = [e.kind for e in selectors.client_timeline(case)]
    assert "note" not in seen and "message_out" in seen
    with pytest.raises(ValidationError):
        services.note_add(actor=actors.officer, case=case, text="   ")


def test_resolving_needs_an_outcome_and_a_currency_for_financing(actors, catalogue):
    case = new_case(actors, catalogue)
    with pytest.raises(ValidationError) as error:
        services.case_resolve(actor=actors.officer, case=case, outcome={})
    assert "outcome" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.case_resolve(actor=actors.officer, case=case, outcome={"outcome": "served", "financing_amount": 5000})
    assert "financing_currency" in error.value.message_dict
    outcome = {"outcome": "served", "financing_amount": 5000, "financing_currency": "USD", "jobs_women": 2, "business_registered": True}
    services.case_resolve(actor=actors.officer, case=case, outcome=outcome)
    case.refresh_from_db()
    assert (case.status, case.jobs_women, case.business_registered) == (Status.RESOLVED, 2, True)
    assert set(case.services.values_list("status", flat=True)) == {CaseService.Status.DELIVERED}


def test_closing_plans_follow_ups_and_sends_the_survey(actors, catalogue, django_capture_on_commit_callbacks):
    case = new_case(actors, catalogue, contact_email="sana@example.com")
    services.case_assign(actor=actors.officer, case=case, assignee=actors.officer)
    services.case_resolve(actor=actors.officer, case=case, outcome={"outcome": "served"})
    with django_capture_on_commit_callbacks(execute=True):
        services.case_close(actor=actors.officer, case=case)
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.closed_at
    today = timezone.localdate()
    assert sorted(FollowUp.objects.filter(case=case).values_list("due_on", flat=True)) == [
        services.add_months(today, 3),
        services.add_months(today, 6),
    ]
    assert mail.outbox and "/survey/" in mail.outbox[-1].body
    assert all(f.assigned_to == actors.officer for f in FollowUp.objects.filter(case=case))


def test_reopening_needs_a_reason_and_restarts_the_clock(actors, catalogue):
    case = new_case(actors, catalogue)
    services.case_assign(actor=actors.officer, case=case, assignee=actors.officer)
    services.case_resolve(actor=actors.officer, case=case, outcome={"outcome": "served"})
    services.case_close(actor=actors.officer, case=case)
    with pytest.raises(ValidationError):
        services.case_reopen(actor=actors.officer, case=case, text="")
    services.case_reopen(actor=actors.officer, case=case, text="العميلة عادت بطلب جديد للعلامة")
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and case.closed_at is None and case.resolved_at is None
    assert case.resolution_due > timezone.now()


def test_the_client_rates_once_and_only_a_finished_request(actors, catalogue):
    case = new_case(actors, catalogue)
    with pytest.raises(ValidationError):
        services.client_rate(case=case, rating=5)
    services.case_resolve(actor=actors.officer, case=case, outcome={"outcome": "served"})
    with pytest.raises(ValidationError):
        services.client_rate(case=case, rating=9)
    services.client_rate(case=case, rating=4, comment="خدمة ممتازة")
    with pytest.raises(ValidationError):
        services.client_rate(case=case, rating=5)
    case.refresh_from_db()
    assert (case.rating, case.rating_comment) == (4, "خدمة ممتازة")


def test_overdue_cases_are_escalated_once_and_due_soon_ones_announced_once(actors, catalogue):
    late = new_case(actors, catalogue)
    services.case_assign(actor=actors.coordinator, case=late, assignee=actors.officer)
    moved_back(late, resolution_due=timezone.now() - datetime.timedelta(hours=1))
    soon = new_case(actors, catalogue)
    services.case_assign(actor=actors.coordinator, case=soon, assignee=actors.officer)
    moved_back(soon, resolution_due=timezone.now() + datetime.timedelta(hours=5))
    waiting = new_case(actors, catalogue)
    services.case_assign(actor=actors.coordinator, case=waiting, assignee=actors.officer)
    services.case_transition(actor=actors.officer, case=waiting, action="wait")
    moved_back(waiting, resolution_due=timezone.now() - datetime.timedelta(hours=1))  # paused: not escalated
    assert services.check_deadlines() == {"due_soon": 1, "escalated": 1, "follow_ups": 0}
    assert services.check_deadlines() == {"due_soon": 0, "escalated": 0, "follow_ups": 0}
    late.refresh_from_db()
    assert late.escalated_at and late.events.filter(kind="escalated").count() == 1
    assert Notification.objects.filter(user=actors.coordinator, kind="escalated").count() == 1
    assert Notification.objects.filter(user=actors.officer, kind="due_soon").count() == 1


def test_bulk_reassignment_moves_open_cases_of_the_organisation_only(actors, catalogue):
    cases = [new_case(actors, catalogue) for _ in range(3)]
    services.case_resolve(actor=actors.officer, case=cases[2], outcome={"outcome": "served"})
    cases[2].refresh_from_db()
    moved = services.cases_reassign(actor=actors.coordinator, organisation=actors.organisation, cases=cases, assignee=actors.officer)
    assert moved == 2
    with pytest.raises(PermissionDenied):
        services.cases_reassign(actor=actors.officer, organisation=actors.organisation, cases=cases, assignee=actors.officer)


@pytest.mark.parametrize(
    ("name", "content", "ok"),
    [
        ("هوية.pdf", b"%PDF-1.7 ...", True),
        ("photo.JPG", b"\xff\xd8\xff\xe0 jpeg", True),
        ("invoice.pdf", b"MZ\x90\x00 an exe", False),  # disguised
        ("script.html", b"<script>alert(1)</script>", False),
        ("empty.pdf", b"", False),
    ],
)
def test_attachments_are_checked_by_type_and_content(actors, catalogue, settings, tmp_path, name, content, ok):
    settings.MEDIA_ROOT = tmp_path
    case = new_case(actors, catalogue)
    upload = SimpleUploadedFile(name, content)
    if ok:
        attachment = services.attachment_add(actor=actors.officer, case=case, upload=upload)
        assert attachment.name == name and (tmp_path / attachment.file.name).exists()
        assert not attachment.file.name.endswith(name)  # stored under a random name
    else:
        with pytest.raises(ValidationError):
            services.attachment_add(actor=actors.officer, case=case, upload=upload)
        assert not list(tmp_path.rglob("*.*"))


def test_a_file_over_the_limit_is_refused(actors, catalogue, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = new_case(actors, catalogue)
    upload = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * services.MAX_UPLOAD_BYTES)
    with pytest.raises(ValidationError) as error:
        services.attachment_add(actor=actors.officer, case=case, upload=upload)
    assert "10 MB" in error.value.message_dict["file"][0]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [("2026-03-31", 6, "2026-09-30"), ("2026-11-30", 3, "2027-02-28"), ("2027-11-30", 3, "2028-02-29"), ("2026-01-15", 12, "2027-01-15")],
)
def test_months_later(day, months, expected):
    assert services.add_months(datetime.date.fromisoformat(day), months) == datetime.date.fromisoformat(expected)


def test_a_due_follow_up_is_announced_to_its_officer_once(actors, catalogue):
    case = new_case(actors, catalogue)
    services.case_assign(actor=actors.officer, case=case, assignee=actors.officer)
    services.case_resolve(actor=actors.officer, case=case, outcome={"outcome": "served"})
    services.case_close(actor=actors.officer, case=case)
    first = FollowUp.objects.filter(case=case).order_by("due_on").first()
    FollowUp.objects.filter(pk=first.pk).update(due_on=timezone.localdate())
    assert services.check_deadlines()["follow_ups"] == 1
    assert services.check_deadlines()["follow_ups"] == 0
    assert Notification.objects.filter(user=actors.officer, kind="follow_up").count() == 1
    done = FollowUp.objects.filter(case=case).order_by("due_on").first()
    with pytest.raises(ValidationError):
        services.follow_up_done(actor=actors.officer, follow_up=done, note="")
    services.follow_up_done(actor=actors.officer, follow_up=done, note="المشروع يعمل ووظّف عاملين")
    with pytest.raises(ValidationError):
        services.follow_up_done(actor=actors.officer, follow_up=done, note="مرة أخرى")
