"""Spreadsheet exports (XLSX and CSV): streamed, right-to-left in Arabic, safe against formula injection.

`xlsx_response` and `csv_response` turn (key, header) columns and an iterable of rows into a download;
`people_export` and `enterprises_export` give the registry's standard columns for a queryset. Rows are
consumed one at a time (querysets through `.iterator(chunk_size=2000)`), so a large export never holds
more than one chunk of records in memory.
"""

import csv
import datetime
import io
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from urllib.parse import quote

from django.db import models
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from shubbak import places

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
CHUNK_SIZE = 2000  # records fetched per query while exporting
CSV_FLUSH_ROWS = 500  # rows per streamed piece of a CSV

# A spreadsheet program runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A sign followed by digits only (a phone in E.164, a negative amount) is arithmetic, never a call: left as is.
_SIGNED_NUMBER = re.compile(r"[+-]\d+(?:\.\d+)?")
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

Columns = list[tuple[str, str]]


def neutralise(value):
    """The value with a leading apostrophe when a spreadsheet would read it as a formula; numbers stay numbers."""
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_PREFIXES) and not _SIGNED_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _plain(value):
    """A value a spreadsheet can hold: lazy strings forced, aware date-times in local time without zone."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _xlsx_value(value):
    value = _plain(value)
    if isinstance(value, str):
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def _csv_value(value) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, datetime.date):  # datetime too
        return value.isoformat(sep=" ") if isinstance(value, datetime.datetime) else value.isoformat()
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


def dated_filename(base: str, extension: str) -> str:
    """«base-YYYY-MM-DD.ext», with today's local date."""
    return f"{base}-{timezone.localdate().isoformat()}.{extension}"


def content_disposition(filename: str) -> str:
    """An attachment header: an ASCII name for old clients, and the exact (e.g. Arabic) name as RFC 5987 filename*."""
    if re.fullmatch(r"[A-Za-z0-9._-]+", filename):
        fallback = filename
    else:
        tail = re.search(r"(-\d{4}-\d{2}-\d{2})?(\.[A-Za-z0-9]+)?$", filename)
        fallback = "export" + (tail.group(1) or "") + (tail.group(2) or "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def write_xlsx(target, *, columns: Columns, rows: Iterable[Sequence], title: str = "") -> None:
    """Write one sheet to a path or binary file: bold header, right-to-left in Arabic, one row in memory at a time."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_SHEET_TITLE_FORBIDDEN.sub(" ", title)[:31] or "Sheet1")
    sheet.sheet_view.rightToLeft = bool(get_language_bidi())  # views are written before the first row
    sheet.freeze_panes = "A2"
    for index, (_key, header) in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(12, len(str(header)) + 4), 50)
    bold = Font(bold=True)
    header_cells = []
    for _key, header in columns:
        cell = WriteOnlyCell(sheet, value=_xlsx_value(header))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_xlsx_value(v) for v in row])
    workbook.save(target)


def xlsx_response(*, filename: str, columns: Columns, rows: Iterable[Sequence]) -> FileResponse:
    """An XLSX download: written row by row to a temporary file, then streamed from it."""
    spooled = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it once sent)
    title = filename.rsplit(".", 1)[0]
    write_xlsx(spooled, columns=columns, rows=rows, title=re.sub(r"-\d{4}-\d{2}-\d{2}$", "", title))
    spooled.seek(0)
    response = FileResponse(spooled, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response


def _csv_pieces(columns: Columns, rows: Iterable[Sequence], language: str) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    with translation.override(language):  # rows are made while streaming, after the view returned
        buffer.write("\ufeff")  # the BOM tells Excel the file is UTF-8
        writer.writerow([_csv_value(header) for _key, header in columns])
        for count, row in enumerate(rows, 1):
            writer.writerow([_csv_value(v) for v in row])
            if count % CSV_FLUSH_ROWS == 0:
                yield buffer.getvalue().encode("utf-8")
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue().encode("utf-8")


def csv_response(*, filename: str, columns: Columns, rows: Iterable[Sequence]) -> StreamingHttpResponse:
    """A CSV download in UTF-8 with a BOM, streamed as it is made."""
    response = StreamingHttpResponse(_csv_pieces(columns, rows, get_language() or "ar"), content_type=CSV_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response


# --- The registry's standard columns ------------------------------------------------------------

PERSON_EXPORT_FIELDS = [
    "id", "first_name", "father_name", "grandfather_name", "family_name", "name_latin", "id_type", "national_id", "gender",
    "birth_date", "phone", "phone_alt", "email", "education", "has_disability", "war_injured", "displacement", "employment",
    "governorate", "locality", "address", "external_id", "organisation", "created_at",
]  # fmt: skip
ENTERPRISE_EXPORT_FIELDS = [
    "id", "name_ar", "name_en", "legal_form", "status", "registration_number", "registration_date", "chamber_member", "chamber",
    "membership_number", "isic_section", "isic_division", "women_full_time", "men_full_time", "women_part_time", "men_part_time",
    "revenue_band", "size_class", "women_owned", "youth_owned", "founded_on", "governorate", "locality", "address", "phone",
    "email", "external_id", "organisation", "created_at",
]  # fmt: skip


def _header(field: models.Field) -> str:
    if field.primary_key:
        return _("Record number")
    return capfirst(str(field.verbose_name))


def _getter(field: models.Field) -> Callable:
    """How to read one export cell of a record: labels for choices, names for places and links, local dates."""
    name = field.name
    if field.choices:
        return lambda obj: getattr(obj, f"get_{name}_display")()
    if name == "governorate":
        return lambda obj: places.governorate_name(obj.governorate)
    if isinstance(field, models.BooleanField):
        return lambda obj: _("Yes") if getattr(obj, name) else _("No")
    if isinstance(field, models.ForeignKey):
        return lambda obj: str(getattr(obj, name) or "")
    if isinstance(field, models.DateTimeField):
        return lambda obj: timezone.localdate(getattr(obj, name)) if getattr(obj, name) else None
    return lambda obj: getattr(obj, name)


def _table(model, names: list[str]) -> tuple[Columns, list[Callable]]:
    fields = [model._meta.get_field(name) for name in names]
    return [(f.name, _header(f)) for f in fields], [_getter(f) for f in fields]


def people_columns() -> Columns:
    """(key, header in the active language) of the standard people export."""
    from shubbak.registry.models import Person

    return _table(Person, PERSON_EXPORT_FIELDS)[0]


def enterprise_columns() -> Columns:
    """(key, header in the active language) of the standard enterprises export."""
    from shubbak.registry.models import Enterprise

    return _table(Enterprise, ENTERPRISE_EXPORT_FIELDS)[0]


def _rows(queryset, getters: list[Callable]) -> Iterator[list]:
    for record in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield [get(record) for get in getters]


def person_rows(queryset) -> Iterator[list]:
    """The standard export row of each person, read in chunks."""
    from shubbak.registry.models import Person

    return _rows(queryset.select_related("organisation"), _table(Person, PERSON_EXPORT_FIELDS)[1])


def enterprise_rows(queryset) -> Iterator[list]:
    """The standard export row of each enterprise, read in chunks."""
    from shubbak.registry.models import Enterprise

    return _rows(queryset.select_related("organisation", "chamber"), _table(Enterprise, ENTERPRISE_EXPORT_FIELDS)[1])


def _respond(fmt: str, *, base: str, columns: Columns, rows: Iterable[Sequence]) -> HttpResponse:
    if fmt == "xlsx":
        return xlsx_response(filename=dated_filename(base, "xlsx"), columns=columns, rows=rows)
    if fmt == "csv":
        return csv_response(filename=dated_filename(base, "csv"), columns=columns, rows=rows)
    raise ValueError(f"unknown export format {fmt!r}")


def people_export(queryset, fmt: str) -> HttpResponse:
    """Download the people of a queryset (already filtered by the user's access) as "xlsx" or "csv"."""
    return _respond(fmt, base=_("people"), columns=people_columns(), rows=person_rows(queryset))


def enterprises_export(queryset, fmt: str) -> HttpResponse:
    """Download the enterprises of a queryset (already filtered by the user's access) as "xlsx" or "csv"."""
    return _respond(fmt, base=_("enterprises"), columns=enterprise_columns(), rows=enterprise_rows(queryset))
