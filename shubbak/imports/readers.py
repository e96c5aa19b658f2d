"""Reading uploaded spreadsheets without loading them whole: checks at upload time, then a stream of rows.

XLSX is read with openpyxl in read-only mode (`data_only=True`: a formula cell gives the value Excel saved
with it, nothing is ever evaluated). CSV is decoded as UTF-8 (with or without a BOM) or, failing that, as
Windows-1256, the encoding of Arabic Excel's "CSV" files. The header is the first non-empty row.
"""

import codecs
import csv
import gc
import logging
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.etree.ElementTree import XMLPullParser

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS

logger = logging.getLogger(__name__)

ENCODINGS = {
    "utf-8": gettext_lazy("UTF-8"),
    "utf-8-sig": gettext_lazy("UTF-8 with a byte-order mark (BOM)"),
    "cp1256": gettext_lazy("Windows-1256 (Arabic Excel)"),
}
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # never in a text file; NUL bytes mean UTF-16 or binary
_BLOCK = 1 << 20
MAX_COLUMNS = 200
_XML_BLOCK = 1 << 16
_SHEET_DATA, _ROW, _VALUE, _INLINE, _TEXT, _RUN, _SHARED_TABLE, _SHARED_ITEM = (
    f"{{{SHEET_MAIN_NS}}}{tag}" for tag in ("sheetData", "row", "v", "is", "t", "r", "sst", "si")
)
csv.field_size_limit(1 << 20)


@dataclass
class Inspection:
    """What an upload turned out to be: its format, encoding and separator (CSV), header cells and size."""

    file_format: str
    headers: list[str]
    total_rows: int | None
    encoding: str = ""
    delimiter: str = ""


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _is_empty(row) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in row)


def header_labels(row) -> list[str]:
    """The header cells, trailing empty ones dropped; an empty header cell is named after its column letter."""
    cells = [_cell_text(v) for v in row][:MAX_COLUMNS]
    while cells and not cells[-1]:
        cells.pop()
    return [text or _("Column {letter}").format(letter=get_column_letter(i)) for i, text in enumerate(cells, 1)]


# --- CSV -----------------------------------------------------------------------------------------


def detect_encoding(path: Path) -> str:
    """'utf-8-sig' (BOM), 'utf-8' or 'cp1256'; ValidationError when the bytes are not text in either."""
    with open(path, "rb") as f:
        head = f.read(4)
        if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
            raise ValidationError(
                _("This CSV file is in UTF-16 («Unicode text»). In Excel, save it as «CSV UTF-8 (comma delimited)» and upload it again.")
            )
        for encoding in ("utf-8-sig", "cp1256"):
            f.seek(0)
            decoder = codecs.getincrementaldecoder(encoding)()
            try:
                for block in iter(lambda: f.read(_BLOCK), b""):
                    if _CONTROL.search(decoder.decode(block)):
                        raise ValueError("control characters")
                decoder.decode(b"", final=True)
            except (UnicodeDecodeError, ValueError):
                continue
            if encoding == "utf-8-sig" and not head.startswith(codecs.BOM_UTF8):
                return "utf-8"
            return encoding
    raise ValidationError(
        _("This file is not text we can read (neither UTF-8 nor Windows-1256). Save it from Excel as «CSV UTF-8» and upload it again.")
    )


def _python_encoding(encoding: str) -> str:
    return "utf-8-sig" if encoding == "utf-8" else encoding  # a stray BOM never reaches the first header


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


@contextmanager
def _csv_rows(path: Path, encoding: str, delimiter: str) -> Iterator[Iterator[tuple[int, list]]]:
    with open(path, encoding=_python_encoding(encoding), newline="") as text:
        yield ((number, row) for number, row in enumerate(csv.reader(text, delimiter=delimiter), 1))


def _count_lines(path: Path) -> int:
    lines, last = 0, b"\n"
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(_BLOCK), b""):
            lines += block.count(b"\n")
            last = block[-1:]
    return lines + (last != b"\n")


def inspect_csv(path: Path) -> Inspection:
    encoding = detect_encoding(path)
    with open(path, encoding=_python_encoding(encoding), newline="") as text:
        first = next((line for line in text if line.strip()), "")
    delimiter = _sniff_delimiter(first)
    headers, data_seen, header_line = [], False, 0
    try:
        with _csv_rows(path, encoding, delimiter) as rows:
            for number, row in rows:
                if _is_empty(row):
                    continue
                if not headers:
                    headers, header_line = header_labels(row), number
                    continue
                data_seen = True
                break
    except csv.Error as exc:
        raise ValidationError(_("This CSV file is malformed: {problem}.").format(problem=exc)) from None
    _require_rows(headers, data_seen)
    return Inspection("csv", headers, max(_count_lines(path) - header_line, 1), encoding, delimiter)


# --- XLSX ----------------------------------------------------------------------------------------


def _open_workbook(path: Path):
    if not zipfile.is_zipfile(path):
        raise ValidationError(
            _("This is not an Excel workbook (.xlsx). If it is an old .xls file, open it in Excel and save it as .xlsx or CSV UTF-8.")
        )
    try:
        reader = _ExcelReader(path, read_only=True, data_only=True)  # as load_workbook, but for the shared strings
        reader.read()
        workbook = reader.wb
    except Exception:  # openpyxl raises many kinds of error on damaged files
        logger.info("unreadable workbook %s", path, exc_info=True)
        raise ValidationError(_("This workbook is damaged or is not an Excel workbook; we could not read it.")) from None
    if not workbook.worksheets:
        workbook.close()
        raise ValidationError(_("This workbook has no sheet."))
    return workbook


class _ExcelReader(ExcelReader):
    """openpyxl's workbook reader, with the shared strings read by `_string_table` (the rest is openpyxl's)."""

    def read_strings(self):
        part = self.package.find(SHARED_STRINGS)
        if part is not None:
            with self.archive.open(part.PartName[1:]) as source:
                self.shared_strings = _string_table(source)


@contextmanager
def no_cycle_collection():
    """Pause Python's cycle collector while making many objects at once, or it walks every object of the process
    again and again (reading a sheet's XML takes 4 times as long with it running)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read_elements(source, tag: str, parent_tag: str, read) -> Iterator[list]:
    """`read(element)` for each <tag> child of <parent_tag> in an XML stream, a list per block of the stream.

    Only the start of each element is reported (half the events): an element is complete, and is read, when the
    next one starts or the stream ends, and is then dropped from the tree, so memory stays flat. The cycle collector
    rests while a block becomes elements (they are many, short-lived and free of cycles).
    """
    parser = XMLPullParser(events=("start",))
    parent = pending = None

    def done(element):
        results.append(read(element))
        if parent is not None and len(parent) and parent[0] is element:
            del parent[0]

    while True:
        block = source.read(_XML_BLOCK)
        results: list = []
        with no_cycle_collection():
            if block:
                parser.feed(block)
            else:
                parser.close()
            for _event, element in parser.read_events():
                if element.tag == tag:
                    if pending is not None:
                        done(pending)
                    pending = element
                elif parent is None and element.tag == parent_tag:
                    parent = element
            if not block and pending is not None:
                done(pending)
        yield results
        if not block:
            return


def _string_table(source) -> list[str]:
    """The shared strings, as openpyxl's read_string_table reads them, 4 times as fast (no rich-text objects)."""
    return [text for block in _read_elements(source, _SHARED_ITEM, _SHARED_TABLE, _shared_text) for text in block]


def _shared_text(item) -> str:
    """An item's text as openpyxl's Text.content gives it: its own <t> (the last), then each run's (a run's last <t>);
    phonetic guides left out. Children are known by their local name, whatever their namespace, as there."""
    plain, runs = None, []
    for child in item:
        name = child.tag.rpartition("}")[2]
        if name == "t":
            plain = child.text
        elif name == "r":
            run = None
            for part in child:
                if part.tag.rpartition("}")[2] == "t":
                    run = part.text
            if run is not None:
                runs.append(run)
    return ((plain or "") + "".join(runs)).replace("x005F_", "")


class _RowReader:
    """A <row> element as (row number, values), as openpyxl's iter_rows(values_only=True) gives it with
    data_only=True: shared and inline strings, numbers, dates by their style, booleans, formula results as saved
    (never evaluated), error codes as their text.

    openpyxl builds a dictionary per cell and reads inline strings (all text that openpyxl itself writes) through
    its generic rich-text model; here each cell becomes its value at once.
    """

    def __init__(self, shared_strings, *, epoch, date_formats, timedelta_formats):
        self.shared_strings = shared_strings
        self.epoch = epoch
        self.date_formats = date_formats
        self.timedelta_formats = timedelta_formats
        self.row_counter = 0

    def __call__(self, row) -> tuple[int, list]:
        number = row.get("r")
        self.row_counter = int(float(number)) if number else self.row_counter + 1
        values: list = []
        column = 0
        shared_strings = self.shared_strings
        for cell in row:
            reference = cell.get("r")
            column = _column_index(reference.rstrip("0123456789")) if reference else column + 1
            kind = cell.get("t", "n")
            if kind == "s":  # most cells of a sheet Excel saved: read here, without a call
                text = cell.findtext(_VALUE)
                value = shared_strings[int(text)] if text else None
            else:
                value = self._value(cell, kind)
            if value is not None:
                if column - 1 > len(values):  # empty cells before it
                    values.extend([None] * (column - 1 - len(values)))
                values.append(value)
        return self.row_counter, values

    def _value(self, cell, kind: str):
        if kind == "inlineStr":
            inline = cell.find(_INLINE)
            return None if inline is None else "".join(_inline_parts(inline))
        text = cell.findtext(_VALUE)
        if not text:
            return None
        if kind == "s":
            return self.shared_strings[int(text)]
        if kind == "n":
            number = float(text) if ("." in text or "E" in text or "e" in text) else int(text)
            style = cell.get("s")
            if style and int(style) in self.date_formats:
                try:
                    return from_excel(number, self.epoch, timedelta=int(style) in self.timedelta_formats)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return number
        if kind == "b":
            return bool(int(text))
        if kind == "d":
            return from_ISO8601(text)
        return text  # "str" (a formula's text result) and "e" (an error code such as #N/A)


@lru_cache(maxsize=1024)
def _column_index(letters: str) -> int:
    return column_index_from_string(letters)


def _inline_parts(inline):
    for child in inline:
        if child.tag == _TEXT:
            yield child.text or ""
        elif child.tag == _RUN:
            yield child.findtext(_TEXT) or ""


def _parsed_rows(workbook, sheet) -> Iterator[tuple[int, list]]:
    """(row number, values) of the sheet's rows with a value, as iter_rows(values_only=True) gives them."""
    read = _RowReader(
        sheet._shared_strings,
        epoch=workbook.epoch,
        date_formats=workbook._date_formats,
        timedelta_formats=workbook._timedelta_formats,
    )
    with sheet._get_source() as source:
        for rows in _read_elements(source, _ROW, _SHEET_DATA, read):
            yield from ((number, values) for number, values in rows if values)


def _sheet_rows(workbook) -> Iterator[tuple[int, tuple]]:
    sheet = workbook.worksheets[0]
    sheet.reset_dimensions()  # the stored size is often wrong; read every row there is
    if all(hasattr(sheet, a) for a in ("_get_source", "_shared_strings")) and hasattr(workbook, "_date_formats"):
        return _parsed_rows(workbook, sheet)
    return enumerate(sheet.iter_rows(values_only=True), 1)  # another openpyxl version: its public reader


@contextmanager
def _xlsx_rows(path: Path) -> Iterator[Iterator[tuple[int, tuple]]]:
    workbook = _open_workbook(path)
    try:
        yield _sheet_rows(workbook)
    finally:
        workbook.close()


def _estimate_xlsx_rows(path: Path, sheet) -> int | None:
    """The sheet's row count: from its stored size, else from the size of its XML and the length of its first rows."""
    if sheet.max_row and sheet.max_row > 1:
        return sheet.max_row
    name = getattr(sheet, "_worksheet_path", "")
    try:
        with zipfile.ZipFile(path) as archive:
            size = archive.getinfo(name).file_size
            with archive.open(name) as xml:
                head = xml.read(_BLOCK)
    except (KeyError, OSError, zipfile.BadZipFile):
        return None
    rows_in_head = head.count(b"<row ")
    if rows_in_head < 2:
        return None
    return round(size / (len(head) / rows_in_head)) if len(head) < size else rows_in_head


def inspect_xlsx(path: Path) -> Inspection:
    workbook = _open_workbook(path)
    headers, data_seen, header_line = [], False, 0
    try:
        estimated = _estimate_xlsx_rows(path, workbook.worksheets[0])
        for number, row in _sheet_rows(workbook):
            if _is_empty(row):
                continue
            if not headers:
                headers, header_line = header_labels(row), number
                continue
            data_seen = True
            break
    except ValidationError:
        raise
    except Exception:
        logger.info("unreadable sheet %s", path, exc_info=True)
        raise ValidationError(_("This workbook is damaged or is not an Excel workbook; we could not read it.")) from None
    finally:
        workbook.close()
    _require_rows(headers, data_seen)
    return Inspection("xlsx", headers, estimated - header_line if estimated and estimated > header_line else None)


def _require_rows(headers: list[str], data_seen: bool) -> None:
    if not headers:
        raise ValidationError(_("The file has no rows. Put the column names in the first row and one record per row below it."))
    if not data_seen:
        raise ValidationError(_("The file has a header row but no records below it."))


# --- Both ----------------------------------------------------------------------------------------


def inspect(path: Path, file_format: str) -> Inspection:
    """Check that the stored upload is a readable XLSX or CSV with a header and at least one record."""
    if path.stat().st_size == 0:
        raise ValidationError(_("The file is empty."))
    return inspect_xlsx(path) if file_format == "xlsx" else inspect_csv(path)


@contextmanager
def data_rows(path: Path, *, file_format: str, encoding: str = "", delimiter: str = ",") -> Iterator[Iterator[tuple[int, list]]]:
    """(row number in the sheet, cells) of every non-empty record after the header, streamed."""
    opener = _xlsx_rows(path) if file_format == "xlsx" else _csv_rows(path, encoding, delimiter or ",")
    with opener as rows:

        def records():
            header_seen = False
            for number, row in rows:
                if _is_empty(row):
                    continue
                if not header_seen:
                    header_seen = True
                    continue
                yield number, list(row)

        yield records()


def describe_encoding(encoding: str) -> str:
    return str(ENCODINGS.get(encoding, encoding))
