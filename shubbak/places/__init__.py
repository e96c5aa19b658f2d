"""Countries and governorates (ISO 3166-1 and 3166-2) with Arabic names.

pycountry supplies the codes and English names; it has no Arabic names for subdivisions, so they are
shipped here for the countries Shubbak serves. A test checks every code against pycountry.
"""

from functools import cache

import pycountry
from django.utils.translation import get_language

COUNTRIES_AR = {"PS": "فلسطين", "SY": "سوريا", "YE": "اليمن", "JO": "الأردن", "LB": "لبنان"}

GOVERNORATES_AR = {
    # Palestine
    "PS-BTH": "بيت لحم", "PS-DEB": "دير البلح (الوسطى)", "PS-GZA": "غزة", "PS-HBN": "الخليل", "PS-JEM": "القدس",
    "PS-JEN": "جنين", "PS-JRH": "أريحا والأغوار", "PS-KYS": "خان يونس", "PS-NBS": "نابلس", "PS-NGZ": "شمال غزة",
    "PS-QQA": "قلقيلية", "PS-RBH": "رام الله والبيرة", "PS-RFH": "رفح", "PS-SLT": "سلفيت", "PS-TBS": "طوباس",
    "PS-TKM": "طولكرم",
    # Syria
    "SY-DI": "دمشق", "SY-DR": "درعا", "SY-DY": "دير الزور", "SY-HA": "الحسكة", "SY-HI": "حمص", "SY-HL": "حلب",
    "SY-HM": "حماة", "SY-ID": "إدلب", "SY-LA": "اللاذقية", "SY-QU": "القنيطرة", "SY-RA": "الرقة", "SY-RD": "ريف دمشق",
    "SY-SU": "السويداء", "SY-TA": "طرطوس",
    # Yemen
    "YE-AB": "أبين", "YE-AD": "عدن", "YE-AM": "عمران", "YE-BA": "البيضاء", "YE-DA": "الضالع", "YE-DH": "ذمار",
    "YE-HD": "حضرموت", "YE-HJ": "حجة", "YE-HU": "الحديدة", "YE-IB": "إب", "YE-JA": "الجوف", "YE-LA": "لحج",
    "YE-MA": "مأرب", "YE-MR": "المهرة", "YE-MW": "المحويت", "YE-RA": "ريمة", "YE-SA": "أمانة العاصمة",
    "YE-SD": "صعدة", "YE-SH": "شبوة", "YE-SN": "صنعاء", "YE-SU": "أرخبيل سقطرى", "YE-TA": "تعز",
    # Jordan
    "JO-AJ": "عجلون", "JO-AM": "العاصمة (عمّان)", "JO-AQ": "العقبة", "JO-AT": "الطفيلة", "JO-AZ": "الزرقاء",
    "JO-BA": "البلقاء", "JO-IR": "إربد", "JO-JA": "جرش", "JO-KA": "الكرك", "JO-MA": "المفرق", "JO-MD": "مادبا",
    "JO-MN": "معان",
    # Lebanon
    "LB-AK": "عكار", "LB-AS": "الشمال", "LB-BA": "بيروت", "LB-BH": "بعلبك الهرمل", "LB-BI": "البقاع",
    "LB-JA": "الجنوب", "LB-JL": "جبل لبنان", "LB-NA": "النبطية",
}  # fmt: skip


def _arabic() -> bool:
    return (get_language() or "ar").startswith("ar")


def country_name(code: str) -> str:
    """The country's name in the active language."""
    if _arabic() and code in COUNTRIES_AR:
        return COUNTRIES_AR[code]
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or country.name if country else code


@cache
def _english_governorate(code: str) -> str:
    subdivision = pycountry.subdivisions.get(code=code)
    return subdivision.name if subdivision else code


def governorate_name(code: str) -> str:
    """The governorate's name in the active language."""
    if not code:
        return ""
    return GOVERNORATES_AR.get(code, code) if _arabic() else _english_governorate(code)


def country_choices() -> list[tuple[str, str]]:
    """The countries Shubbak serves, for a form's select."""
    return [(code, country_name(code)) for code in COUNTRIES_AR]


def governorate_choices(country: str | None = None) -> list[tuple[str, str]]:
    """Governorates (of one country, or all, grouped by country), for a form's select."""
    countries = [country] if country else list(COUNTRIES_AR)
    grouped = []
    for c in countries:
        options = sorted(((code, governorate_name(code)) for code in GOVERNORATES_AR if code.startswith(c + "-")), key=lambda o: o[1])
        grouped.append((country_name(c), options))
    return grouped[0][1] if country else grouped


def governorate_in_country(code: str, country: str) -> bool:
    """True when the ISO 3166-2 code is a subdivision of the country."""
    return code in GOVERNORATES_AR and code.startswith(country + "-")
