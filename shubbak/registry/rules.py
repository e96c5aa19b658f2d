"""Rules of the registry that need no database: ID numbers, size classes, derived flags, search text."""

import math
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shubbak.arabic import digits_only, normalise
from shubbak.phones import search_forms

REVENUE_UPPER = {"lt_20k": 20_000, "20k_100k": 100_000, "100k_500k": 500_000, "500k_2m": 2_000_000, "gt_2m": math.inf}
NUMERIC_IDS = {"ps_id", "sy_id", "ye_id", "unrwa"}
_ID_SEPARATORS = re.compile(r"[\s\-/.]")
_SPACES_AND_DASHES = re.compile(r"[\s\-]")


def clean_national_id(id_type: str, value: str) -> str:
    """The ID in a canonical form (Latin digits, no spaces); a Palestinian ID must pass its check digit."""
    value = (value or "").strip()
    if not value:
        return ""
    if id_type in NUMERIC_IDS:
        if value.isascii() and value.isdigit():  # as most are typed, or read from a number cell
            digits = value
        else:
            digits = digits_only(value)
            if not digits or len(digits) != len(_ID_SEPARATORS.sub("", value)):
                raise ValidationError({"national_id": _("An ID number of this type has digits only.")})
        if id_type == "ps_id" and not _palestinian_id_is_valid(digits):
            raise ValidationError(
                {"national_id": _("This is not a valid Palestinian ID number: it has 9 digits and its last digit checks the others.")}
            )
        return digits
    return _SPACES_AND_DASHES.sub("", value).upper()


def _palestinian_id_is_valid(digits: str) -> bool:
    if len(digits) > 9:
        return False
    digits = digits.zfill(9)
    total = 0
    for i, ch in enumerate(digits):
        product = int(ch) * (1 + i % 2)
        total += product - 9 if product > 9 else product
    return total % 10 == 0


def size_class(*, country: str, employees: int, revenue_band: str) -> str:
    """micro / small / medium / large from employees and revenue, by the country's configured limits."""
    limits = settings.SIZE_THRESHOLDS.get(country) or settings.SIZE_THRESHOLDS["default"]
    revenue = REVENUE_UPPER.get(revenue_band)
    for name in ("micro", "small", "medium"):
        max_employees, max_revenue = limits[name]
        if employees <= max_employees and (revenue is None or revenue <= max_revenue):
            return name
    return "large"


def held_by_majority(owners: list[tuple[bool, float | None]]) -> bool:
    """True when owners with the quality hold at least half: by share where all shares are known, else by head count."""
    if not owners:
        return False
    if all(share is not None for _, share in owners):
        total = sum(share for _, share in owners)
        return total > 0 and 2 * sum(share for has, share in owners if has) >= total
    return 2 * sum(1 for has, _ in owners if has) >= len(owners)


def person_search_text(person) -> str:
    """Everything one may type to find a person, normalised: names, Latin name, ID, phones, e-mail."""
    parts = [
        person.first_name,
        person.father_name,
        person.grandfather_name,
        person.family_name,
        person.name_latin,
        person.national_id,
        person.email,
    ]
    for phone in (person.phone, person.phone_alt):
        parts.extend(search_forms(phone))
    return normalise(" ".join(p for p in parts if p))


def enterprise_search_text(enterprise) -> str:
    """Everything one may type to find an enterprise: names, registration and membership numbers, phone."""
    parts = [enterprise.name_ar, enterprise.name_en, enterprise.registration_number, enterprise.membership_number, enterprise.email]
    parts.extend(search_forms(enterprise.phone))
    return normalise(" ".join(p for p in parts if p))
