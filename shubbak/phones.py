"""Phone numbers: read in any digits and local formats, stored as E.164 (+970599123456)."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shubbak.arabic import digits_only


def to_e164(raw: str, country: str) -> str:
    """The number in E.164 form, read with the organisation's country for local numbers; '' stays ''."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    text = raw.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789"))
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


def search_forms(e164: str) -> list[str]:
    """Digit strings a person may type for this number: international, national with 0, without 0."""
    if not e164:
        return []
    number = phonenumbers.parse(e164)
    national = str(number.national_number)
    return [digits_only(e164), "0" + national, national]
