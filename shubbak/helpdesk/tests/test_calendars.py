import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shubbak.helpdesk.calendars import DAY, WEEKENDS, Calendar, fixed_holidays

HEBRON = ZoneInfo("Asia/Hebron")


def at(day: str, hour: int = 0, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=HEBRON)


# November 2026: Thursday 12th, Friday 13th, Saturday 14th, Sunday 15th (Independence Day in Palestine), Monday 16th.


def test_a_thursday_request_with_two_working_days_is_due_on_sunday_when_friday_is_the_rest_day():
    assert Calendar().add_working_days(at("2026-11-12", 10), 2) == at("2026-11-15", 10)


def test_friday_and_saturday_off_move_it_to_sunday_then_monday():
    calendar = Calendar(rest_days=WEEKENDS["fri_sat"])
    assert calendar.add_working_days(at("2026-11-12", 10), 2) == at("2026-11-16", 10)


def test_a_fixed_public_holiday_of_the_country_is_not_worked():
    calendar = Calendar(rest_days=WEEKENDS["fri_sat"], country="PS")
    assert not calendar.is_working_day(datetime.date(2026, 11, 15))  # Independence Day
    assert calendar.add_working_days(at("2026-11-12", 10), 2) == at("2026-11-17", 10)


def test_an_added_holiday_is_not_worked():
    eid = frozenset({datetime.date(2026, 11, 16)})
    calendar = Calendar(rest_days=WEEKENDS["fri_sat"], holidays=eid, country="PS")
    assert calendar.add_working_days(at("2026-11-12", 10), 2) == at("2026-11-18", 10)


def test_a_request_received_on_the_rest_day_starts_its_clock_the_next_working_morning():
    assert Calendar().add_working_days(at("2026-11-13", 22), 1) == at("2026-11-15", 0)


def test_working_time_skips_rest_days_and_holidays():
    calendar = Calendar(rest_days=WEEKENDS["fri_sat"], country="PS")
    assert calendar.working_seconds(at("2026-11-12", 12), at("2026-11-16", 12)) == 12 * 3600 + 12 * 3600  # Thursday pm, Monday am
    assert calendar.working_seconds(at("2026-11-13", 9), at("2026-11-13", 17)) == 0
    assert calendar.working_seconds(at("2026-11-16"), at("2026-11-12")) == 0


def test_working_time_is_counted_across_a_change_of_clocks():
    calendar = Calendar(rest_days=frozenset())
    # Palestine leaves summer time on Saturday 24 October 2026: that day lasts 25 hours
    assert calendar.working_seconds(at("2026-10-24"), at("2026-10-25")) == 25 * 3600
    assert calendar.add_working_days(at("2026-10-23", 12), 2) == at("2026-10-25", 11)


def test_shipped_fixed_holidays_for_the_three_countries():
    for country in ("PS", "SY", "YE"):
        assert fixed_holidays(country, [2026])
    assert fixed_holidays("PS", [2026])[datetime.date(2026, 11, 15)]


def test_a_calendar_without_working_days_says_so():
    with pytest.raises(ValueError):
        Calendar(rest_days=frozenset(range(7))).add_working_days(at("2026-11-12"), 1)


# Moments that exist on a Hebron clock (the hour skipped in spring never comes from timezone.now())
moments = st.datetimes(
    min_value=datetime.datetime(2025, 1, 1), max_value=datetime.datetime(2028, 1, 1), timezones=st.just(HEBRON), allow_imaginary=False
)
weekends = st.sampled_from(list(WEEKENDS.values()))


@given(start=moments, days=st.floats(min_value=0, max_value=60), weekend=weekends, country=st.sampled_from(["", "PS", "SY", "YE"]))
def test_adding_working_time_then_measuring_it_gives_it_back(start, days, weekend, country):
    calendar = Calendar(rest_days=weekend, country=country)
    due = calendar.add_working_days(start, days)
    assert due.astimezone(datetime.UTC) >= start.astimezone(datetime.UTC)  # (in one zone, Python compares the clocks' readings)
    assert abs(calendar.working_seconds(start, due) - days * DAY) <= 1


@given(start=moments, first=st.integers(0, 30 * DAY), second=st.integers(0, 30 * DAY), weekend=weekends)
def test_working_time_adds_up(start, first, second, weekend):
    calendar = Calendar(rest_days=weekend, country="PS")
    middle = calendar.add_working_seconds(start, first)
    in_two = calendar.add_working_seconds(middle, second).astimezone(datetime.UTC)  # (real time: not the clocks' readings)
    at_once = calendar.add_working_seconds(start, first + second).astimezone(datetime.UTC)
    assert abs(in_two - at_once) <= datetime.timedelta(seconds=1)
