import phonenumbers
import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given, settings
from hypothesis import strategies as st

from shubbak.arabic import digits_only
from shubbak.phones import national_number, search_forms, to_e164

# Countries served, and others whose national prefixes are unusual: Italy keeps its leading 0, Russia dials 8,
# Argentina and Brazil carry carrier codes, Mexico and Hungary have two-digit prefixes.
COUNTRIES = ["PS", "SY", "YE", "JO", "LB", "IT", "RU", "AR", "BR", "MX", "HU", "GB", "US", "DE", "SM"]


def parsed_search_forms(e164: str) -> list[str]:
    """search_forms as it was: a full parse of the stored number."""
    if not e164:
        return []
    number = phonenumbers.parse(e164)
    national = str(number.national_number)
    return [digits_only(e164), "0" + national, national]


def outcome(function, *args):
    try:
        return function(*args)
    except Exception as exc:  # the same failure counts as the same outcome
        return type(exc)


@pytest.mark.parametrize(
    ("e164", "forms"),
    [
        ("+970599123456", ["970599123456", "0599123456", "599123456"]),
        ("+963944123456", ["963944123456", "0944123456", "944123456"]),
        ("+390612345678", ["390612345678", "0612345678", "612345678"]),  # Italy: the 0 is part of the number
        ("", []),
    ],
)
def test_search_forms_are_the_international_and_national_digits(e164, forms):
    assert search_forms(e164) == forms


@settings(max_examples=3000, deadline=None)
@given(
    country=st.sampled_from(COUNTRIES), digits=st.text("0123456789", min_size=1, max_size=18), start=st.sampled_from(["", "0", "+", "00"])
)
@example(country="PS", digits="591234", start="0")  # stored as +9700591234: the national prefix is kept
@example(country="RU", digits="89161234567", start="")
def test_search_forms_of_every_stored_number_are_those_a_parse_gives(country, digits, start):
    try:
        e164 = to_e164(start + digits, country)
    except ValidationError:
        return
    assert search_forms(e164) == parsed_search_forms(e164)


@settings(max_examples=3000, deadline=None)
@given(st.text("0123456789", min_size=0, max_size=20).map(lambda digits: "+" + digits) | st.text("+0123456789 ٠١٢-x", max_size=20))
@example("+0970599123456")
@example("+97")
@example("+999123456")  # no such country code
@example("+970" + "1" * 18)
def test_national_number_is_what_a_parse_reads_even_for_numbers_never_stored(text):
    assert outcome(national_number, text) == outcome(lambda t: str(phonenumbers.parse(t).national_number), text)
