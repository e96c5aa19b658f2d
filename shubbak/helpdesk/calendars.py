"""Working time: weekly rest days and public holidays, and service-level clocks that count working time only.

A working day counts whole (the desks' hours differ and a client may write at night); a day of rest or a holiday
does not count at all. A target of N working days is N whole working days of elapsed time, so a request received on
Thursday at 10:00 with a two-day target, where Friday is the day of rest, is due on Sunday at 10:00. Days begin at
local midnight in the project's time zone.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext_lazy as _

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)
WEEKENDS = {"fri": frozenset({FRIDAY}), "fri_sat": frozenset({FRIDAY, SATURDAY}), "fri_sun": frozenset({FRIDAY, SUNDAY})}
DAY = 86400

# Public holidays on fixed Gregorian dates. Lunar ones (the two Eids, the Prophet's birthday, the Hijri new year, Isra
# and Mi'raj) and Easter move each year: admins add them per organisation.
FIXED_HOLIDAYS: dict[str, list[tuple[int, int, str]]] = {
    "PS": [
        (1, 1, _("New Year's Day")),
        (1, 7, _("Orthodox Christmas")),
        (5, 1, _("Labour Day")),
        (11, 15, _("Independence Day")),
        (12, 25, _("Christmas")),
    ],
    "SY": [
        (1, 1, _("New Year's Day")),
        (3, 21, _("Mother's Day")),
        (4, 17, _("Evacuation Day")),
        (5, 1, _("Labour Day")),
        (5, 6, _("Martyrs' Day")),
        (12, 8, _("Liberation Day")),
        (12, 25, _("Christmas")),
    ],
    "YE": [
        (5, 1, _("Labour Day")),
        (5, 22, _("Unity Day")),
        (9, 26, _("Revolution Day (26 September)")),
        (10, 14, _("Revolution Day (14 October)")),
        (11, 30, _("Independence Day")),
    ],
    "JO": [(1, 1, _("New Year's Day")), (5, 1, _("Labour Day")), (5, 25, _("Independence Day")), (12, 25, _("Christmas"))],
    "LB": [
        (1, 1, _("New Year's Day")),
        (2, 9, _("Saint Maroun's Day")),
        (5, 1, _("Labour Day")),
        (11, 22, _("Independence Day")),
        (12, 25, _("Christmas")),
    ],
}


def fixed_holidays(country: str, years) -> dict[datetime.date, str]:
    return {datetime.date(year, month, day): name for year in years for month, day, name in FIXED_HOLIDAYS.get(country, [])}


@dataclass(frozen=True)
class Calendar:
    """Which days are worked; `holidays` holds dates (any year), `rest_days` weekday numbers (Monday 0)."""

    rest_days: frozenset[int] = WEEKENDS["fri"]
    holidays: frozenset[datetime.date] = frozenset()
    country: str = ""  # fixed public holidays of this country are not worked either

    def is_working_day(self, day: datetime.date) -> bool:
        if day.weekday() in self.rest_days or day in self.holidays:
            return False
        return not any(day.month == m and day.day == d for m, d, _name in FIXED_HOLIDAYS.get(self.country, ()))

    @staticmethod
    def _zone():
        return ZoneInfo(settings.TIME_ZONE)

    def _day_bounds(self, day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
        """The day's local midnights, in UTC: arithmetic on them counts real time across a change of clocks."""
        zone = self._zone()
        start = datetime.datetime.combine(day, datetime.time(), tzinfo=zone)
        end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), tzinfo=zone)
        return start.astimezone(datetime.UTC), end.astimezone(datetime.UTC)

    def working_seconds(self, start: datetime.datetime, end: datetime.datetime) -> int:
        """Working time between two moments, in seconds (0 when end is not after start)."""
        if end <= start:
            return 0
        zone = self._zone()
        day, last = start.astimezone(zone).date(), end.astimezone(zone).date()
        start, end = start.astimezone(datetime.UTC), end.astimezone(datetime.UTC)
        total = 0.0
        while day <= last:
            if self.is_working_day(day):
                day_start, day_end = self._day_bounds(day)
                total += max(0.0, (min(end, day_end) - max(start, day_start)).total_seconds())
            day += datetime.timedelta(days=1)
        return round(total)

    def add_working_seconds(self, start: datetime.datetime, seconds: float) -> datetime.datetime:
        """The moment when `seconds` of working time have passed since `start`."""
        zone = self._zone()
        day = start.astimezone(zone).date()
        moment = start.astimezone(datetime.UTC)
        remaining = float(seconds)
        for _guard in range(3660):  # ten years of days: a calendar with no working day at all stops here
            day_start, day_end = self._day_bounds(day)
            if self.is_working_day(day):
                begin = max(moment, day_start)
                available = (day_end - begin).total_seconds()
                if remaining <= available:
                    return (begin + datetime.timedelta(seconds=remaining)).astimezone(zone)
                remaining -= available
            day += datetime.timedelta(days=1)
        raise ValueError("This calendar has no working days.")

    def add_working_days(self, start: datetime.datetime, days: float) -> datetime.datetime:
        return self.add_working_seconds(start, days * DAY)
