"""Assignment pages (the coordinator's side) and the expert's portal: three actors, isolation, constant queries."""

# ruff: noqa: F401, F811 (fixtures are imported from expert_fixtures and named in the tests' arguments)

from decimal import Decimal

import pytest
from django.urls import reverse

from shubbak.referrals import experts as services
from shubbak.referrals.models import Assignment, Referral, Timesheet
from shubbak.testing.access import check_three_actors

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


def _english(user):
    user.language = "en"
    user.save(update_fields=["language"])


def _day(actor, assignment, ago=1, days="1", **extra):
    return services.timesheet_add(actor=actor, assignment=assignment, date=days_ago(ago), days=days, work="مقابلة العميلة", **extra)


# --- the coordinator's side ------------------------------------------------------------------------------------


def test_assignment_list_three_actors_and_constant_queries(actors, assignment, salma, business_plan, client, django_assert_num_queries):
    for reader in (actors.admin, actors.viewer, actors.officer):
        client.force_login(reader)
        assert list(client.get(reverse("assignment_list")).context["page"]) == [assignment]
    client.force_login(actors.outsider)
    assert list(client.get(reverse("assignment_list")).context["page"]) == []
    client.force_login(actors.coordinator)
    url = reverse("assignment_list")
    client.get(url)
    with django_assert_num_queries(7) as few:
        client.get(url)
    for _ in range(30):
        services.assignment_create(actor=actors.admin, referral=make_referral(actors, salma, business_plan), scope="x", expected_days=1)
    make_referral(actors, salma, business_plan)  # one still waiting for its assignment
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"]) == 25
    assert len(response.context["to_assign"]) == 1


def test_assignment_list_filters(actors, assignment, salma_user, client):
    _day(salma_user, assignment)
    client.force_login(actors.coordinator)
    assert list(client.get(reverse("assignment_list"), {"waiting": "1"}).context["page"]) == [assignment]
    assert list(client.get(reverse("assignment_list"), {"status": "closed"}).context["page"]) == []
    listed = client.get(reverse("assignment_list")).context["page"][0]
    assert (listed.recorded_days, listed.approved_days, listed.waiting_count) == (Decimal("1"), None, 1)


def test_assignment_page_three_actors(actors, assignment):
    response = check_three_actors(actors=actors, url=reverse("assignment_detail", args=[assignment.pk]), member=actors.coordinator)
    assert (response.context["assignment"], response.context["can_manage"]) == (assignment, True)
    check_three_actors(actors=actors, url=reverse("assignment_detail", args=[assignment.pk]), member=actors.officer)


def test_opening_an_assignment_from_an_expert_referral_three_actors(actors, referral):
    url = reverse("assignment_create", args=[referral.pk])
    check_three_actors(actors=actors, url=url, write=True)
    data = {"scope": "خطة عمل", "expected_days": "2", "fee": "", "currency": "", "deliverables": "خطة العمل"}
    response = check_three_actors(actors=actors, url=url, method="post", data=data, write=True)
    created = Assignment.objects.get()
    assert response.url == reverse("assignment_detail", args=[created.pk])
    assert (created.fee, created.expected_days) == (Decimal("300"), Decimal("2"))


def test_opening_twice_shows_why(actors, assignment, referral, client):
    _english(actors.admin)
    client.force_login(actors.admin)
    response = client.post(reverse("assignment_create", args=[referral.pk]), {"scope": "x", "expected_days": "1"})
    assert response.context["form"].non_field_errors() == ["This referral already has an assignment."]


def test_editing_an_assignment_three_actors(actors, assignment):
    url = reverse("assignment_edit", args=[assignment.pk])
    check_three_actors(actors=actors, url=url, write=True)
    data = {"scope": "خطة عمل موسعة", "expected_days": "4", "fee": "600", "currency": "USD", "deliverables": ""}
    check_three_actors(actors=actors, url=url, method="post", data=data, write=True)
    assignment.refresh_from_db()
    assert (assignment.scope, assignment.expected_days, assignment.deliverables) == ("خطة عمل موسعة", Decimal("4"), "")


def test_the_coordinator_records_a_day_for_the_expert_three_actors(actors, assignment):
    data = {"date": days_ago(1).isoformat(), "days": "1", "work": "زيارة المشغل", "deliverable": ""}
    check_three_actors(actors=actors, url=reverse("assignment_timesheet_add", args=[assignment.pk]), method="post", data=data, write=True)
    assert Timesheet.objects.get().work == "زيارة المشغل"


def test_approving_three_actors(actors, assignment, salma_user):
    first, second = _day(salma_user, assignment, ago=2), _day(salma_user, assignment, ago=1)
    url = reverse("timesheets_approve", args=[assignment.pk])
    check_three_actors(actors=actors, url=url, method="post", data={"timesheet": first.pk}, write=True)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.approved_by, second.approved_at) == (actors.admin, None)
    check_three_actors(actors=actors, url=url, method="post", write=True, member=actors.coordinator)
    second.refresh_from_db()
    assert second.approved_by == actors.coordinator


def test_closing_with_a_rating_three_actors(actors, assignment, salma_user, client):
    _day(salma_user, assignment)
    _english(actors.coordinator)
    client.force_login(actors.coordinator)
    response = client.post(reverse("assignment_close", args=[assignment.pk]), {"rating": "5"})
    assert response.context["close_form"].non_field_errors() == ["Approve or remove the timesheet waiting for approval first."]
    assert response.context["open_form"] == "close"
    response = client.post(reverse("assignment_close", args=[assignment.pk]), {"rating": "9"})
    assert list(response.context["close_form"].errors) == ["rating"]
    services.timesheets_approve(actor=actors.admin, assignment=assignment)
    url = reverse("assignment_close", args=[assignment.pk])
    check_three_actors(actors=actors, url=url, method="post", data={"rating": "4", "note": "عمل متقن"}, write=True)
    assignment.refresh_from_db()
    assert (assignment.status, assignment.rating, assignment.rating_note) == ("closed", 4, "عمل متقن")


def test_a_removed_day_is_gone_three_actors(actors, assignment, salma_user):
    timesheet = _day(salma_user, assignment)
    url = reverse("assignment_timesheet_remove", args=[assignment.pk, timesheet.pk])
    check_three_actors(actors=actors, url=url, method="post", write=True)
    assert Timesheet.objects.count() == 0


# --- the expert's portal ---------------------------------------------------------------------------------------


@pytest.fixture
def other_assignment(actors, expert_data, business_plan):
    """Another vetted expert with an account, and her own assignment."""
    other = services.expert_save(
        actor=actors.admin, organisation=actors.organisation, data=expert_data | {"full_name": "رامي سعيد", "email": "rami@x.test"}
    )
    services.expert_vet(actor=actors.admin, expert=other, vetting="vetted")
    services.expert_invite(actor=actors.admin, expert=other)
    return services.assignment_create(actor=actors.admin, referral=make_referral(actors, other, business_plan), scope="y", expected_days=1)


def test_the_portal_shows_only_her_assignments_with_constant_queries(
    actors, assignment, other_assignment, salma, salma_user, business_plan, client, django_assert_num_queries
):
    client.force_login(salma_user)
    url = reverse("expert_portal")
    assert list(client.get(url).context["page"]) == [assignment]
    with django_assert_num_queries(7) as few:
        client.get(url)
    for _ in range(30):
        services.assignment_create(actor=actors.admin, referral=make_referral(actors, salma, business_plan), scope="x", expected_days=1)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"]) == 25
    assert other_assignment not in response.context["page"]


def test_another_experts_assignment_is_not_found(actors, assignment, other_assignment, salma_user, client):
    client.force_login(salma_user)
    assert client.get(reverse("portal_assignment", args=[assignment.pk])).status_code == 200
    for url in (
        reverse("portal_assignment", args=[other_assignment.pk]),
        reverse("assignment_detail", args=[assignment.pk]),  # the coordinator's page of her own assignment: not hers to open
    ):
        assert client.get(url).status_code == 404
    data = {"date": days_ago(1).isoformat(), "days": "1", "work": "x"}
    assert client.post(reverse("portal_timesheet_add", args=[other_assignment.pk]), data).status_code == 404
    assert Timesheet.objects.count() == 0


def test_staff_have_no_portal(actors, assignment, client):
    client.force_login(actors.coordinator)
    assert client.get(reverse("expert_portal")).status_code == 404
    assert client.get(reverse("portal_assignment", args=[assignment.pk])).status_code == 404


def test_the_portal_shows_what_was_shared_and_nothing_else(actors, assignment, salma_user, client):
    _english(salma_user)
    client.force_login(salma_user)
    response = client.get(reverse("portal_assignment", args=[assignment.pk]))
    page = response.content.decode()
    assert [(row["label"], row["value"]) for row in response.context["shared"]] == [
        ("gender", "Female"),
        ("age", "24"),
        ("governorate", "Nablus"),
        ("what the client asked for", "خطة عمل لمشغل خياطة\nتريد قرضاً لشراء ماكينتين"),
    ]
    assert "العميلة متاحة صباحاً" in page  # the note to the receiver
    assert "هبة الأسمر" not in page  # the name given with the request was not shared
    assert assignment.referral.case.tracking_code not in page


def test_the_expert_records_a_day_on_her_portal(actors, assignment, salma_user, client):
    _english(salma_user)
    client.force_login(salma_user)
    url = reverse("portal_timesheet_add", args=[assignment.pk])
    data = {"date": days_ago(1).isoformat(), "days": "0.5", "work": "مقابلة العميلة", "deliverable": "خطة العمل"}
    assert client.post(url, data).url == reverse("portal_assignment", args=[assignment.pk])
    timesheet = Timesheet.objects.get()
    assert (timesheet.days, timesheet.deliverable) == (Decimal("0.5"), "خطة العمل")
    response = client.post(url, data)
    assert response.context["timesheet_form"].errors == {"date": ["This day is already recorded."]}
    assert response.context["timesheet_form"]["work"].value() == "مقابلة العميلة"  # nothing typed is lost


def test_more_days_than_expected_asks_for_a_confirmation(actors, assignment, salma_user, client):
    for ago in (5, 4, 3):
        _day(salma_user, assignment, ago=ago)
    _english(salma_user)
    client.force_login(salma_user)
    url = reverse("portal_timesheet_add", args=[assignment.pk])
    data = {"date": days_ago(1).isoformat(), "days": "1", "work": "مراجعة أخيرة"}
    response = client.post(url, data)
    assert response.context["over_expected"] is True
    assert 'name="confirm_over"' in response.content.decode()
    assert Timesheet.objects.count() == 3
    assert client.post(url, data | {"confirm_over": "on"}).status_code == 302
    assert Timesheet.objects.count() == 4


def test_the_expert_takes_back_an_unapproved_day(actors, assignment, salma_user, client):
    timesheet = _day(salma_user, assignment)
    client.force_login(salma_user)
    assert client.post(reverse("portal_timesheet_remove", args=[assignment.pk, timesheet.pk])).status_code == 302
    assert Timesheet.objects.count() == 0


def test_she_sees_approvals_and_the_rating(actors, assignment, salma_user, client):
    services.timesheet_approve(actor=actors.coordinator, timesheet=_day(salma_user, assignment))
    services.assignment_close(actor=actors.coordinator, assignment=assignment, rating=5, note="ممتاز")
    client.force_login(salma_user)
    page = client.get(reverse("portal_assignment", args=[assignment.pk])).content.decode()
    assert "★ 5/5" in page and "ممتاز" in page and actors.coordinator.full_name in page
    assert 'name="work"' not in page  # a closed assignment takes no more days


def test_a_declined_referral_is_listed_as_waiting_nowhere(actors, salma, business_plan, client):
    make_referral(actors, salma, business_plan, status=Referral.Status.DECLINED)
    client.force_login(actors.coordinator)
    assert client.get(reverse("assignment_list")).context["to_assign"] == []
