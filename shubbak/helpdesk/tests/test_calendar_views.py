"""The working calendar page: members read it, coordinators and admins change it, other organisations get 404."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from shubbak.audit.models import AuditEntry
from shubbak.helpdesk import calendars, services
from shubbak.helpdesk.models import Holiday, WorkingCalendar
from shubbak.testing.access import check_three_actors
from shubbak.testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _url(organisation) -> str:
    return reverse("calendar_edit", args=[organisation.slug])


def test_every_member_reads_the_calendar_and_only_managers_get_the_forms(actors, client):
    response = check_three_actors(actors=actors, url=_url(actors.organisation), member=actors.coordinator)
    assert response.context["can_manage"] is True
    assert 'name="weekend"' in response.content.decode()
    client.force_login(actors.viewer)
    response = client.get(_url(actors.organisation))
    assert response.context["can_manage"] is False
    html = response.content.decode()
    assert 'name="weekend"' not in html and 'name="date"' not in html
    client.force_login(actors.officer)
    assert client.get(_url(actors.organisation)).context["can_manage"] is False


def test_the_country_fixed_holidays_of_this_year_and_next_are_listed(actors, client):
    client.force_login(actors.officer)
    year = timezone.localdate().year
    response = client.get(_url(actors.organisation))
    assert response.context["years"] == [year, year + 1]
    assert response.context["fixed_holidays"] == sorted(calendars.fixed_holidays("PS", [year, year + 1]).items())
    assert response.context["fixed_holidays"][0][0] == datetime.date(year, 1, 1)

    yemen = OrganisationFactory(network=actors.organisation.network, country="YE", governorate="YE-HD", slug="mukalla")
    actors.manager.__dict__.pop("_shubbak_access", None)
    client.force_login(actors.manager)
    days = dict(client.get(_url(yemen)).context["fixed_holidays"])
    assert str(days[datetime.date(year, 5, 22)]) == str(calendars.FIXED_HOLIDAYS["YE"][1][2])  # Unity Day
    assert datetime.date(year, 1, 1) not in days  # not a public holiday in Yemen


def test_rest_days_are_changed_by_the_calendar_managers_only(actors, client, django_capture_on_commit_callbacks):
    data = {"form": "calendar", "weekend": "fri_sat", "national_holidays": ""}
    with django_capture_on_commit_callbacks(execute=True):
        response = check_three_actors(
            actors=actors, url=_url(actors.organisation), method="post", data=data, write=True, member=actors.coordinator
        )
    assert response.url == _url(actors.organisation)
    row = WorkingCalendar.objects.get(organisation=actors.organisation)
    assert (row.weekend, row.national_holidays) == ("fri_sat", False)
    assert services.calendar_for(actors.organisation).rest_days == calendars.WEEKENDS["fri_sat"]
    assert AuditEntry.objects.filter(target_type__model="workingcalendar", action="update", actor=actors.coordinator).count() == 1
    client.force_login(actors.officer)  # officers work cases but do not set the calendar
    assert client.post(_url(actors.organisation), {**data, "weekend": "fri"}).status_code == 403
    assert WorkingCalendar.objects.get(organisation=actors.organisation).weekend == "fri_sat"


def test_an_unknown_rest_day_choice_is_refused_with_the_form(actors, client):
    client.force_login(actors.admin)
    response = client.post(_url(actors.organisation), {"form": "calendar", "weekend": "sat_sun"})
    assert response.status_code == 200
    assert "weekend" in response.context["calendar_form"].errors
    assert not WorkingCalendar.objects.filter(organisation=actors.organisation).exists()


def test_a_lunar_holiday_is_added_with_its_hijri_date(actors, client):
    data = {"form": "holiday", "date": "2026-03-20", "name": "عيد الفطر"}
    check_three_actors(actors=actors, url=_url(actors.organisation), method="post", data=data, write=True, member=actors.admin)
    holiday = Holiday.objects.get(organisation=actors.organisation)
    assert (holiday.date, holiday.name) == (datetime.date(2026, 3, 20), "عيد الفطر")
    assert services.calendar_for(actors.organisation).is_working_day(datetime.date(2026, 3, 20)) is False
    client.force_login(actors.viewer)
    response = client.get(_url(actors.organisation))
    if timezone.localdate().year <= 2026:
        assert response.context["holidays"] == [(holiday, "1 شوال 1447 هـ")]
        assert "1 شوال 1447 هـ" in response.content.decode()


def test_the_same_day_twice_is_refused_and_the_input_is_kept(actors, client):
    day = timezone.localdate() + datetime.timedelta(days=30)
    services.holiday_add(actor=actors.admin, organisation=actors.organisation, date=day, name="عيد الأضحى")
    client.force_login(actors.admin)
    response = client.post(_url(actors.organisation), {"form": "holiday", "date": day.isoformat(), "name": "يوم آخر"})
    assert response.status_code == 200
    assert response.context["holiday_form"].non_field_errors()
    assert 'value="يوم آخر"' in response.content.decode()
    assert Holiday.objects.filter(organisation=actors.organisation).count() == 1


def test_a_holiday_is_removed_by_post_only_and_audited(actors, client):
    day = timezone.localdate() + datetime.timedelta(days=10)
    holiday = services.holiday_add(actor=actors.admin, organisation=actors.organisation, date=day, name="المولد النبوي")
    url = reverse("holiday_remove", args=[actors.organisation.slug, holiday.pk])
    client.force_login(actors.admin)
    assert client.get(url).status_code == 405
    response = check_three_actors(actors=actors, url=url, method="post", write=True, member=actors.coordinator)
    assert response.url == _url(actors.organisation)
    assert not Holiday.objects.filter(pk=holiday.pk).exists()
    assert AuditEntry.objects.get(action="delete", target_id=str(holiday.pk)).actor == actors.coordinator


def test_a_holiday_of_another_organisation_cannot_be_removed_through_ones_own(actors, client):
    elsewhere = services.holiday_add(actor=None, organisation=actors.other_organisation, date=datetime.date(2026, 5, 27), name="عيد الأضحى")
    client.force_login(actors.admin)
    response = client.post(reverse("holiday_remove", args=[actors.organisation.slug, elsewhere.pk]))
    assert response.status_code == 404
    assert Holiday.objects.filter(pk=elsewhere.pk).exists()


def test_the_organisation_page_links_to_its_calendar(actors, client):
    client.force_login(actors.viewer)
    html = client.get(reverse("organisation_detail", args=[actors.organisation.slug])).content.decode()
    assert f'href="{_url(actors.organisation)}"' in html
