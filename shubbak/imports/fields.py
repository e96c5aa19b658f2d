"""What an import can fill, and how a spreadsheet cell becomes a field value (no database here).

Cells arrive as typed values from XLSX or text from CSV, in Arabic or English, with Arabic-Indic digits and
invisible direction marks. Choices are read from their code or their Arabic or English label, places from
their name, dates in the usual local forms. A cell that cannot be read raises CellError with a message in
the active language; an empty cell gives None ("nothing said").
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

from django.db import models
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from shubbak import places
from shubbak.arabic import normalise
from shubbak.registry import isic
from shubbak.registry.models import Enterprise, Person
from shubbak.registry.services import ENTERPRISE_FIELDS, PERSON_FIELDS, enterprise_prepare, person_prepare

from .models import Kind

_BIDI = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff]")  # invisible direction marks
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬", "01234567890123456789.,")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y.%m.%d")
_DATE_END = re.compile(r"[\sT]")  # a time after the date
DEFAULT_ID_TYPE = {"PS": Person.IdType.PALESTINIAN, "SY": Person.IdType.SYRIAN, "YE": Person.IdType.YEMENI}

# Header names people use, besides the field's own Arabic and English labels (compared once normalised).
SYNONYMS = {
    Kind.PEOPLE: {
        "first_name": ["الاسم الأول", "الاسم الاول", "الاسم", "اسم", "first name", "first", "given name", "firstname", "name"],
        "father_name": ["اسم الأب", "الأب", "اسم الوالد", "father", "father name", "father's name", "second name"],
        "grandfather_name": ["اسم الجد", "الجد", "grandfather", "grandfather name", "grandfather's name", "third name"],
        "family_name": ["اسم العائلة", "العائلة", "اللقب", "الكنية", "family name", "last name", "surname", "lastname", "family"],
        "name_latin": ["الاسم بالإنجليزية", "الاسم بالانجليزي", "الاسم باللاتينية", "english name", "name in english", "latin name"],
        "id_type": ["نوع الهوية", "نوع الوثيقة", "نوع الإثبات", "id type", "document type", "type of id"],
        "national_id": ["رقم الهوية", "الهوية", "رقم الهوية الوطنية", "الرقم الوطني", "رقم الوثيقة", "id number", "national id", "id no",
                        "id"],
        "gender": ["الجنس", "النوع الاجتماعي", "gender", "sex"],
        "birth_date": ["تاريخ الميلاد", "الميلاد", "تاريخ الولادة", "birth date", "date of birth", "dob", "birthdate"],
        "phone": ["الجوال", "جوال", "رقم الجوال", "الهاتف", "هاتف", "رقم الهاتف", "الموبايل", "رقم التواصل", "mobile", "phone",
                  "mobile number", "phone number", "tel", "telephone"],
        "phone_alt": ["هاتف آخر", "جوال آخر", "رقم آخر", "هاتف بديل", "هاتف 2", "other phone", "phone 2", "alternative phone",
                      "second phone"],
        "email": ["البريد الإلكتروني", "البريد", "الإيميل", "ايميل", "email", "e-mail", "mail"],
        "education": ["التعليم", "المؤهل العلمي", "المستوى التعليمي", "المؤهل", "education", "education level"],
        "has_disability": ["إعاقة", "ذوو الإعاقة", "ذوي الإعاقة", "disability", "disabled"],
        "war_injured": ["جريح حرب", "جريح", "إصابة حرب", "injured", "war injured"],
        "displacement": ["حالة النزوح", "النزوح", "نازح", "displacement", "displacement status"],
        "employment": ["الحالة العملية", "حالة العمل", "العمل", "الحالة الوظيفية", "employment", "employment status", "work status"],
        "governorate": ["المحافظة", "governorate", "province"],
        "locality": ["المدينة", "البلدة", "القرية", "المدينة أو القرية", "مكان السكن", "town", "village", "city", "locality"],
        "address": ["العنوان", "address"],
        "external_id": ["الرقم المرجعي", "الرقم التسلسلي", "رقم السجل", "المعرف", "رقم المستفيد", "external id", "reference", "ref"],
    },
    Kind.ENTERPRISES: {
        "name_ar": ["اسم المنشأة", "المنشأة", "اسم الشركة", "اسم المشروع", "الاسم", "الاسم بالعربية", "name", "enterprise name",
                    "business name", "company name", "name in arabic"],
        "name_en": ["الاسم بالإنجليزية", "الاسم بالانجليزي", "name in english", "english name"],
        "legal_form": ["الشكل القانوني", "الكيان القانوني", "نوع المنشأة", "legal form", "legal status"],
        "status": ["الحالة", "حالة المنشأة", "status"],
        "registration_number": ["رقم التسجيل", "رقم السجل التجاري", "السجل التجاري", "registration number", "registration no",
                                "commercial register", "cr number"],
        "registration_date": ["تاريخ التسجيل", "registration date"],
        "chamber_member": ["عضو في الغرفة", "عضوية الغرفة", "عضو غرفة", "chamber member", "member of chamber"],
        "chamber": ["الغرفة", "الغرفة التجارية", "chamber"],
        "membership_number": ["رقم العضوية", "membership number"],
        "isic_section": ["القطاع", "sector", "isic section"],
        "isic_division": ["النشاط", "النشاط الاقتصادي", "activity", "isic division", "isic"],
        "women_full_time": ["عاملات بدوام كامل", "نساء دوام كامل", "women full time"],
        "men_full_time": ["عاملون بدوام كامل", "رجال دوام كامل", "men full time"],
        "women_part_time": ["عاملات بدوام جزئي", "نساء دوام جزئي", "women part time"],
        "men_part_time": ["عاملون بدوام جزئي", "رجال دوام جزئي", "men part time"],
        "revenue_band": ["الإيرادات السنوية", "الإيرادات", "الإيراد", "annual revenue", "revenue", "turnover"],
        "founded_on": ["تاريخ التأسيس", "سنة التأسيس", "founded", "founded on", "date founded"],
        "governorate": ["المحافظة", "governorate", "province"],
        "locality": ["المدينة", "البلدة", "القرية", "المدينة أو القرية", "town", "village", "city", "locality"],
        "address": ["العنوان", "address"],
        "phone": ["الهاتف", "هاتف", "الجوال", "جوال", "رقم الهاتف", "phone", "mobile", "tel", "telephone"],
        "email": ["البريد الإلكتروني", "البريد", "الإيميل", "email", "e-mail"],
        "external_id": ["الرقم المرجعي", "الرقم التسلسلي", "رقم السجل", "المعرف", "external id", "reference", "ref"],
    },
}  # fmt: skip

CHOICE_SYNONYMS = {
    "gender": {"ذكر": "male", "رجل": "male", "m": "male", "ذ": "male", "انثى": "female", "أنثى": "female", "امرأة": "female", "f": "female",
               "ث": "female"},
    "education": {"جامعي": "university", "جامعة": "university", "بكالوريوس": "university", "ماجستير": "university", "دكتوراه": "university",
                  "دبلوم": "institute", "معهد": "institute", "ثانوي": "secondary", "توجيهي": "secondary", "ثانوية عامة": "secondary",
                  "أمي": "none", "لا يوجد": "none"},
}  # fmt: skip
# A column repeats the same few words (genders, places, choices) down 100,000 rows: fold each once.
_folded = lru_cache(maxsize=8192)(normalise)

YES = {"1", "نعم", "yes", "y", "true", "x", "✓", "✔", "صح", "ن", "اجل"}
NO = {"0", "لا", "no", "n", "false", "خطا", "-", "×"}


class CellError(Exception):
    """A cell that cannot be read as its field's value; the message is for the person who made the sheet."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, eq=False)  # hashed by identity: one per kind
class Target:
    """A kind of record an import fills: the model, the fields one may map, the required ones, how to prepare one."""

    kind: str
    model: type[models.Model]
    fields: tuple[str, ...]
    required: frozenset[str]
    prepare: Callable
    all_fields: tuple[str, ...]  # every concrete field, for full_clean's exclude
    attnames: dict[str, str]

    def field(self, name: str) -> models.Field:
        return self.model._meta.get_field(name)

    def label(self, name: str) -> str:
        return capfirst(str(self.field(name).verbose_name))


def _target(kind: str, model, allowed: set[str], prepare) -> Target:
    fields = tuple(f.name for f in model._meta.concrete_fields if f.name in allowed)
    required = frozenset(n for n in fields if not model._meta.get_field(n).blank and not model._meta.get_field(n).has_default())
    concrete = model._meta.concrete_fields
    return Target(kind, model, fields, required, prepare, tuple(f.name for f in concrete), {f.name: f.attname for f in concrete})


TARGETS = {
    Kind.PEOPLE: _target(Kind.PEOPLE, Person, PERSON_FIELDS, person_prepare),
    Kind.ENTERPRISES: _target(Kind.ENTERPRISES, Enterprise, ENTERPRISE_FIELDS, enterprise_prepare),
}


# --- Guessing the mapping from header names ----------------------------------------------------------


@cache
def _header_lookup(kind: str) -> dict[str, str]:
    """Normalised header name → field, from the synonyms and the field labels in Arabic and English."""
    target = TARGETS[kind]
    lookup: dict[str, str] = {}
    for name in target.fields:
        for synonym in SYNONYMS[kind].get(name, []):
            lookup.setdefault(normalise(synonym), name)
    for language in ("ar", "en"):
        with translation.override(language):
            for name in target.fields:
                lookup.setdefault(normalise(str(target.field(name).verbose_name)), name)
    return lookup


def guess_mapping(kind: str, headers: list[str], remembered: dict[str, str] | None = None) -> dict[str, int]:
    """Field → column index: the organisation's remembered choice where that header is in the file, else by header name."""
    mapping: dict[str, int] = {}
    taken: set[int] = set()
    fields = TARGETS[kind].fields
    for name, header in (remembered or {}).items():
        if name in fields and header in headers and headers.index(header) not in taken:
            mapping[name] = headers.index(header)
            taken.add(mapping[name])
    lookup = _header_lookup(kind)
    for index, header in enumerate(headers):
        name = lookup.get(normalise(header))
        if name and name not in mapping and index not in taken:
            mapping[name] = index
            taken.add(index)
    return mapping


# --- Reading cells -----------------------------------------------------------------------------------


def cell_text(raw) -> str:
    """A cell as the text a person sees: whole numbers without '.0', dates in ISO form, no direction marks."""
    if raw is None:
        return ""
    if type(raw) is str:  # most cells: skip the type checks below
        return _BIDI.sub("", raw).strip() if _BIDI.search(raw) else raw.strip()
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, datetime.datetime):
        return raw.date().isoformat() if raw.time() == datetime.time() else raw.isoformat(sep=" ")
    if isinstance(raw, datetime.date):
        return raw.isoformat()
    return _BIDI.sub("", str(raw)).strip()


def _text(raw):
    return cell_text(raw) or None


@cache
def _choice_table(model, name: str) -> dict[str, str]:
    field = model._meta.get_field(name)
    table: dict[str, str] = {}
    for value, label in field.choices:
        table.setdefault(normalise(value), value)
        for language in ("ar", "en"):
            with translation.override(language):
                table.setdefault(normalise(str(label)), value)
    for word, value in CHOICE_SYNONYMS.get(name, {}).items():
        table.setdefault(normalise(word), value)
    return table


def _choice(model, name: str) -> Callable:
    table = _choice_table(model, name)
    field = model._meta.get_field(name)

    def read(raw):
        text = cell_text(raw)
        if not text:
            return None
        value = table.get(_folded(text))
        if value is None:
            labels = "، ".join(str(label) for _value, label in field.choices)
            raise CellError(_("«{value}» is not one of the choices: {choices}.").format(value=text, choices=labels))
        return value

    return read


def _boolean(raw):
    if raw is None:
        return None
    if isinstance(raw, bool):
        return raw
    text = cell_text(raw).translate(_DIGITS).casefold()
    if not text:
        return None
    if text in YES or _folded(text) in YES or text == str(_("Yes")).casefold():
        return True
    if text in NO or _folded(text) in NO or text == str(_("No")).casefold():
        return False
    raise CellError(_("«{value}» is not yes or no. Write نعم or لا (or yes / no).").format(value=cell_text(raw)))


def _date(name: str) -> Callable:
    def read(raw):
        if raw is None or raw == "":
            return None
        if isinstance(raw, datetime.datetime):
            return raw.date()
        if isinstance(raw, datetime.date):
            return raw
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            if name == "founded_on" and 1900 <= raw <= 2100 and float(raw).is_integer():
                return datetime.date(int(raw), 1, 1)  # a year alone
            try:
                return from_excel(raw).date()  # a date cell without a date format: Excel's day number
            except (ValueError, OverflowError, TypeError):
                pass
        text = cell_text(raw).translate(_DIGITS)
        if not text:
            return None
        first = _DATE_END.split(text, maxsplit=1)[0]
        if (found := _date_from_text(first)) is not None:
            return found
        if name == "founded_on" and re.fullmatch(r"(19|20)\d\d", first):
            return datetime.date(int(first), 1, 1)
        raise CellError(_("«{value}» is not a date we can read. Write it as 2024-03-14 or 14/03/2024.").format(value=cell_text(raw)))

    return read


@lru_cache(maxsize=8192)  # a birth-date column repeats its days; strptime tries each form in turn
def _date_from_text(text: str) -> datetime.date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _whole_number(raw):
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        raise CellError(_("«{value}» is not a whole number.").format(value=raw))
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, int):
        number = raw
    else:
        text = re.sub(r"[\s,]", "", cell_text(raw).translate(_DIGITS))
        if not text:
            return None
        if not re.fullmatch(r"-?\d+", text):
            raise CellError(_("«{value}» is not a whole number.").format(value=cell_text(raw)))
        number = int(text)
    if number < 0:
        raise CellError(_("«{value}» is below zero.").format(value=number))
    return number


@cache
def _governorate_table(country: str) -> dict[str, str]:
    table = {}
    for code in places.GOVERNORATES_AR:
        table.setdefault(normalise(code), code)
        if code.startswith(country + "-"):
            table[normalise(code.split("-", 1)[1])] = code
            table[normalise(places.GOVERNORATES_AR[code])] = code
            with translation.override("en"):
                table[normalise(places.governorate_name(code))] = code
    return table


def _governorate(country: str) -> Callable:
    table = _governorate_table(country)

    def read(raw):
        text = cell_text(raw)
        if not text:
            return None
        code = table.get(_folded(text))
        if code is None:
            raise CellError(_("«{value}» is not a governorate we know. Write its name, e.g. «{example}».").format(
                value=text, example=next((places.governorate_name(c) for c in places.GOVERNORATES_AR if c.startswith(country + "-")), ""),
            ))  # fmt: skip
        return code

    return read


def _chamber(chambers) -> Callable:
    table = {}
    for chamber in chambers:
        for name in (chamber.name_ar, chamber.name_en, chamber.slug):
            if name:
                table.setdefault(normalise(name), chamber)

    def read(raw):
        text = cell_text(raw)
        if not text:
            return None
        chamber = table.get(_folded(text))
        if chamber is None:
            raise CellError(_("«{value}» is not a chamber we know. Write its name as registered in Shubbak.").format(value=text))
        return chamber

    return read


def _isic_section(raw):
    text = cell_text(raw)
    if not text:
        return None
    codes = {code for code, _title in isic.section_choices()}
    letter = text[:1].upper()
    if letter in codes and (len(text) == 1 or not text[1].isalpha()):
        return letter
    for code in codes:
        if normalise(isic.title(code)) == normalise(text):
            return code
    raise CellError(_("«{value}» is not an ISIC section (a letter from A to U).").format(value=text))


def _isic_division(raw):
    text = cell_text(raw).translate(_DIGITS)
    if not text:
        return None
    digits = re.match(r"\s*[A-Za-z]?\s*(\d{1,2})\b", text)
    code = digits.group(1).zfill(2) if digits else ""
    if not isic.section_of(code):
        raise CellError(_("«{value}» is not an ISIC division (two digits, e.g. 10 for food products).").format(value=cell_text(raw)))
    return code


def converters(kind: str, *, country: str, chambers=()) -> dict[str, Callable]:
    """Field → function reading one cell of that field (None for an empty cell), for an organisation's country."""
    target = TARGETS[kind]
    readers: dict[str, Callable] = {}
    for name in target.fields:
        field = target.field(name)
        if name == "governorate":
            readers[name] = _governorate(country)
        elif name == "chamber":
            readers[name] = _chamber(chambers)
        elif name == "isic_section":
            readers[name] = _isic_section
        elif name == "isic_division":
            readers[name] = _isic_division
        elif field.choices:
            readers[name] = _choice(target.model, name)
        elif isinstance(field, models.BooleanField):
            readers[name] = _boolean
        elif isinstance(field, models.DateField):
            readers[name] = _date(name)
        elif isinstance(field, models.IntegerField):
            readers[name] = _whole_number
        else:
            readers[name] = _text
    return readers
