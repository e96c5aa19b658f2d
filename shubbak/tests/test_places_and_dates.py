import datetime

import pycountry
import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from shubbak import places
from shubbak.templatetags.shubbak import hijri
from shubbak.testing.factories import UserFactory


def test_every_shipped_governorate_is_a_real_iso_3166_2_subdivision():
    assert [code for code in places.GOVERNORATES_AR if pycountry.subdivisions.get(code=code) is None] == []


def test_every_subdivision_of_the_served_countries_has_an_arabic_name():
    for country in places.COUNTRIES_AR:
        codes = {s.code for s in pycountry.subdivisions.get(country_code=country)}
        assert codes == {c for c in places.GOVERNORATES_AR if c.startswith(country + "-")}, country


def test_names_follow_the_active_language():
    with translation.override("ar"):
        assert (places.governorate_name("YE-HD"), places.country_name("SY")) == ("حضرموت", "سوريا")
    with translation.override("en"):
        assert (places.governorate_name("YE-HD"), places.country_name("SY")) == ("Ḩaḑramawt", "Syria")


def test_governorate_in_country():
    assert places.governorate_in_country("PS-HBN", "PS") is True
    assert places.governorate_in_country("PS-HBN", "SY") is False


def test_hijri_date_in_arabic_and_english():
    with translation.override("ar"):
        assert hijri(datetime.date(2026, 11, 21)) == "11 جمادى الآخرة 1448 هـ"
    with translation.override("en"):
        assert hijri(datetime.date(2026, 11, 21)) == "11 Jumada al-Akhirah 1448 AH"


@pytest.mark.django_db
@pytest.mark.parametrize(("calendar", "expected"), [("gregorian", "21 نوفمبر 2026"), ("hijri", "21 نوفمبر 2026 (11 جمادى الآخرة 1448 هـ)")])
def test_show_date_follows_the_user_preference(calendar, expected):
    request = RequestFactory().get("/")
    request.user = UserFactory(calendar=calendar)
    with translation.override("ar"):
        rendered = Template("{% load shubbak %}{% show_date d %}").render(Context({"request": request, "d": datetime.date(2026, 11, 21)}))
    assert rendered == expected
