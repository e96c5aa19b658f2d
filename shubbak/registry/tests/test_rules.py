import re

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from hypothesis import given, settings
from hypothesis import strategies as st

from shubbak.arabic import digits_only
from shubbak.registry import rules


@pytest.mark.parametrize("value", ["123456782", "١٢٣٤٥٦٧٨٢", "123-456-782", "000000018"])
def test_valid_palestinian_ids_are_stored_as_latin_digits(value):
    assert rules.clean_national_id("ps_id", value) == value.translate(str.maketrans("١٢٣٤٥٦٧٨٩٠", "1234567890")).replace("-", "")


@pytest.mark.parametrize("value", ["123456789", "12345678A", "1234567890"])
def test_invalid_palestinian_ids_are_refused(value):
    with pytest.raises(ValidationError):
        rules.clean_national_id("ps_id", value)


def test_passport_numbers_keep_letters_in_capitals():
    assert rules.clean_national_id("passport", " n 1234-567 ") == "N1234567"


def _national_id_as_first_written(id_type: str, value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if id_type in rules.NUMERIC_IDS:
        digits = digits_only(value)
        if not digits or len(digits) != len(re.sub(r"[\s\-/.]", "", value)):
            raise ValidationError({"national_id": _("An ID number of this type has digits only.")})
        if id_type == "ps_id" and not rules._palestinian_id_is_valid(digits):
            raise ValidationError(
                {"national_id": _("This is not a valid Palestinian ID number: it has 9 digits and its last digit checks the others.")}
            )
        return digits
    return re.sub(r"[\s\-]", "", value).upper()


def _outcome(function, *args):
    try:
        return function(*args)
    except ValidationError as exc:
        return exc.message_dict
    except ValueError:  # «²» and other digits that are not decimal ones
        return ValueError


@settings(max_examples=1000)
@given(st.sampled_from(["ps_id", "sy_id", "unrwa", "passport", ""]), st.text("0123456789٠١٢٣٤٥٦٧٨٩²³ -/.aN", max_size=12))
def test_national_ids_are_cleaned_as_they_were_before_the_quick_path_for_latin_digits(id_type, value):
    assert _outcome(rules.clean_national_id, id_type, value) == _outcome(_national_id_as_first_written, id_type, value)


@pytest.mark.parametrize(
    ("country", "employees", "revenue", "expected"),
    [
        ("PS", 1, "lt_20k", "micro"),
        ("PS", 4, "", "micro"),
        ("PS", 5, "lt_20k", "small"),
        ("PS", 3, "100k_500k", "medium"),  # few staff, but revenue above the small limit
        ("PS", 25, "lt_20k", "large"),
        ("SY", 5, "lt_20k", "micro"),  # Syria counts up to 5 as micro
        ("SY", 40, "20k_100k", "medium"),
        ("JO", 9, "lt_20k", "micro"),  # default limits
    ],
)
def test_size_class_follows_the_country_limits(country, employees, revenue, expected):
    assert rules.size_class(country=country, employees=employees, revenue_band=revenue) == expected


def test_size_limits_come_from_configuration(settings):
    settings.SIZE_THRESHOLDS = {"default": {"micro": [1, 1], "small": [2, 2], "medium": [3, 3]}}
    assert rules.size_class(country="PS", employees=2, revenue_band="") == "small"


@pytest.mark.parametrize(
    ("owners", "expected"),
    [
        ([], False),
        ([(True, None)], True),
        ([(True, None), (False, None)], True),
        ([(True, None), (False, None), (False, None)], False),
        ([(True, 51.0), (False, 49.0)], True),
        ([(True, 30.0), (False, 70.0)], False),
        ([(True, 30.0), (False, None)], True),  # a missing share: count heads
    ],
)
def test_majority_by_share_or_head_count(owners, expected):
    assert rules.held_by_majority(owners) is expected
