"""Phone numbers: read in any digits and local formats, stored as E.164 (+970599123456)."""

import re
from functools import lru_cache

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shubbak.arabic import digits_only

_LATIN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_E164 = re.compile(r"\+[1-9][0-9]{2,}")
# phonenumbers' bounds on a national significant number (_MIN_LENGTH_FOR_NSN, _MAX_LENGTH_FOR_NSN): outside them,
# parsing raises, so national_number below leaves such numbers to it.
_NATIONAL_LENGTHS = range(2, 18)


_pattern = lru_cache(maxsize=None)(re.compile)  # a country's national prefix, as phonenumbers compiles it


def to_e164(raw: str, country: str) -> str:
    """The number in E.164 form, read with the organisation's country for local numbers; '' stays ''."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    text = raw.translate(_LATIN_DIGITS)
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, country or None)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_possible_number(number):
        raise ValidationError(
            _("«%(phone)s» is not a phone number we can read. Write it with its digits, e.g. 0599123456 or +970599123456."),
            params={"phone": raw},
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def national_number(e164: str) -> str:
    """`str(phonenumbers.parse(e164).national_number)`, read from the digits where that is all parsing would do.

    Parsing "+" and digits takes as the country code the first of the 1 to 3 leading digits that is one, strips the
    country's national prefix (e.g. a leading 0) when the rest starts with one, and reads the rest as a number. When
    no national prefix can start the rest, the digits say it all, without a parse (some 10 µs, for each phone of
    every record written); anything else goes through phonenumbers.
    """
    if _E164.fullmatch(e164):
        for size in (1, 2, 3):
            code = int(e164[1 : 1 + size])
            if code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
                rest = e164[1 + size :]
                region = phonenumbers.region_code_for_country_code(code)
                metadata = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(code, region)
                prefix = metadata.national_prefix_for_parsing if metadata is not None else None
                if metadata is not None and len(rest) in _NATIONAL_LENGTHS and not (prefix and _pattern(prefix).match(rest)):
                    return str(int(rest))
                break
    return str(phonenumbers.parse(e164).national_number)


def search_forms(e164: str) -> list[str]:
    """Digit strings a person may type for this number: international, national with 0, without 0."""
    if not e164:
        return []
    national = national_number(e164)
    return [e164[1:] if _E164.fullmatch(e164) else digits_only(e164), "0" + national, national]
