"""Template helpers: dates in the user's calendar, and names of places."""

import datetime

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.translation import get_language
from hijridate import Gregorian

from shubbak import places

register = template.Library()


def hijri(value: datetime.date) -> str:
    """The Hijri (Umm al-Qura) date, e.g. «10 جمادى الآخرة 1448 هـ»."""
    try:
        h = Gregorian(value.year, value.month, value.day).to_hijri()
    except (OverflowError, ValueError):  # outside the Umm al-Qura table (1343–1500 AH)
        return ""
    arabic = (get_language() or "ar").startswith("ar")
    month = h.month_name("ar" if arabic else "en")
    return f"{h.day} {month} {h.year} {'هـ' if arabic else 'AH'}"


@register.simple_tag(takes_context=True)
def show_date(context, value, with_time=False):
    """A date (or date-time, in local time) in Gregorian, and in Hijri too when the user prefers it."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        text = date_filter(value, "j F Y H:i" if with_time else "j F Y")
        day = value.date()
    else:
        text = date_filter(value, "j F Y")
        day = value
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.calendar == "hijri":
        extra = hijri(day)
        if extra:
            text = f"{text} ({extra})"
    return text


@register.filter
def governorate_name(code: str) -> str:
    return places.governorate_name(code)


@register.filter
def country_name(code: str) -> str:
    return places.country_name(code)
