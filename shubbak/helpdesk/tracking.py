"""What a client without an account holds: the tracking code with her phone number, and signed survey links."""

from django.core import signing
from django.core.cache import cache

from shubbak.phones import to_e164

from .models import TRACKING_ALPHABET, TRACKING_LENGTH, Case

SURVEY_SALT = "shubbak.helpdesk.survey"
SURVEY_MAX_AGE = 60 * 60 * 24 * 90  # a survey link works for 90 days
FAILED_LOOKUPS_PER_CODE = 10  # wrong phone numbers for one code before it is locked for an hour
LOCK_SECONDS = 3600


def clean_code(text: str) -> str:
    """The code as typed (spaces, dashes, lower case, Arabic-Indic digits), in its stored form; '' if it cannot be one."""
    digits = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
    code = "".join(ch for ch in (text or "").translate(digits).upper() if ch.isalnum())
    if len(code) != TRACKING_LENGTH or any(ch not in TRACKING_ALPHABET for ch in code):
        return ""
    return code


def _same_phone(case: Case, phone: str) -> bool:
    stored = {
        p for p in (case.contact_phone, case.person.phone if case.person_id else "", case.person.phone_alt if case.person_id else "") if p
    }
    try:
        typed = to_e164(phone, case.organisation.country)
    except Exception:  # any unreadable phone is simply not the right one
        return False
    return bool(typed) and typed in stored


def find_case(code_text: str, phone: str) -> Case | None:
    """The case with this code whose client has this phone; None for a wrong pair (and after too many tries)."""
    code = clean_code(code_text)
    if not code:
        return None
    failures_key = f"helpdesk:track-failures:{code}"
    if (cache.get(failures_key) or 0) >= FAILED_LOOKUPS_PER_CODE:
        return None
    case = Case.objects.select_related("organisation", "person").filter(code=code).first()
    if case is not None and _same_phone(case, phone):
        return case
    try:
        cache.incr(failures_key)
    except ValueError:
        cache.set(failures_key, 1, LOCK_SECONDS)
    return None


def survey_token(case: Case) -> str:
    return signing.dumps({"case": case.pk, "code": case.code}, salt=SURVEY_SALT, compress=True)


def case_from_survey_token(token: str) -> Case | None:
    try:
        data = signing.loads(token, salt=SURVEY_SALT, max_age=SURVEY_MAX_AGE)
    except signing.BadSignature:
        return None
    return Case.objects.select_related("organisation").filter(pk=data.get("case"), code=data.get("code")).first()
