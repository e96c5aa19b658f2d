import gc
import io
import zipfile
from xml.sax.saxutils import escape

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.reader.strings import read_string_table

from shubbak.imports import readers

from .conftest import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.usefixtures("english")

# A workbook as Excel writes it: shared strings, a rich-text inline string, a date, a boolean, a formula with its
# saved value, a formula without one, an empty row and a gap between cells.
SHEET = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<dimension ref="A1:E5"/><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v>'
    '</c><c r="C1" t="inlineStr"><is><r><t>تاريخ </t></r><r><t>الميلاد</t></r></is></c><c r="D1" t="s">'
    '<v>2</v></c><c r="E1" t="s"><v>3</v></c></row><row r="2"><c r="A2" t="s"><v>4</v></c><c r="B2">'
    '<v>599123456</v></c><c r="C2" s="1"><v>36964</v></c><c r="D2" t="b"><v>1</v></c><c r="E2"><f>1+1</f>'
    '<v>2</v></c></row><row r="4"><c r="A4" t="inlineStr"><is><t xml:space="preserve"> مريم </t>'
    '<rPh sb="0" eb="1"><t>phonetic</t></rPh></is></c><c r="C4" t="str"><f>A4&amp;"x"</f><v>مريمx</v></c>'
    '<c r="E4"><f>B4*2</f></c></row></sheetData></worksheet>'
)

SHARED = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="5" uniqueCount="5">'
    "<si><t>الاسم الأول</t></si><si><t>الجوال</t></si><si><t>إعاقة</t></si><si><r><t>مجموع</t></r></si>"
    "<si><t>فاطمة</t></si></sst>"
)

STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1">'
    '<font/></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" xfId="0"/><xf numFmtId="14" xfId="0" applyNumberFormat="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)

REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
SML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
WORKBOOK = (
    f'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="{REL}">'
    '<sheets><sheet name="الأشخاص" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
RELS = (
    f'<Relationships xmlns="{PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    f'<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/></Relationships>'
)
ROOT_RELS = (
    f'<Relationships xmlns="{PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
TYPES = (
    f'<Types xmlns="{PACKAGE}/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{SML}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SML}.worksheet+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SML}.sharedStrings+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{SML}.styles+xml"/></Types>'
)


def _excel_workbook(path, sheet: str = SHEET, shared: str = SHARED):
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in [
            ("[Content_Types].xml", TYPES),
            ("_rels/.rels", ROOT_RELS),
            ("xl/workbook.xml", WORKBOOK),
            ("xl/_rels/workbook.xml.rels", RELS),
            ("xl/worksheets/sheet1.xml", sheet),
            ("xl/sharedStrings.xml", shared),
            ("xl/styles.xml", STYLES),
        ]:
            archive.writestr(name, text)
    return path


@pytest.fixture
def excel_like(tmp_path):
    return _excel_workbook(tmp_path / "excel.xlsx")


def _openpyxl_rows(path):
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        return [tuple(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _trimmed(row):
    row = list(row)
    while row and row[-1] is None:
        row.pop()
    return tuple(row)


def test_the_quick_sheet_reader_gives_what_openpyxl_gives(excel_like):
    with readers.data_rows(excel_like, file_format="xlsx") as records:
        ours = [(number, _trimmed(values)) for number, values in records]
    theirs = [_trimmed(row) for row in _openpyxl_rows(excel_like)]
    expected = [(number, row) for number, row in enumerate(theirs, 1) if any(v is not None for v in row)][1:]
    assert ours == expected
    assert ours == [
        (2, ("فاطمة", 599123456, ours[0][1][2], True, 2)),
        (4, (" مريم ", None, "مريمx")),
    ]
    assert ours[0][1][2].isoformat() == "2001-03-14T00:00:00"


def test_a_long_sheet_reads_as_openpyxl_reads_it_across_the_blocks_it_is_read_in(tmp_path):
    texts = [f"نص {n}" for n in range(500)]
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="s"><v>{n % 500}</v></c><c r="C{n}"><v>{n * 7}</v></c><c r="D{n}" s="1"><v>{36000 + n}</v></c>'
        f'<c r="E{n}" t="inlineStr"><is><r><t>سطر </t></r><r><t>{n}</t></r></is></c><c r="F{n}" t="b"><v>{n % 2}</v></c></row>'
        for n in range(1, 4001)
    )
    sheet = SHEET.split("<sheetData>")[0] + f"<sheetData>{rows}</sheetData></worksheet>"
    shared = f'<sst xmlns="{SHARED_NS}">' + "".join(f"<si><t>{t}</t></si>" for t in texts) + "</sst>"
    path = _excel_workbook(tmp_path / "long.xlsx", sheet, shared)
    assert len(sheet) > 10 * readers._XML_BLOCK
    with readers.data_rows(path, file_format="xlsx") as records:
        ours = [(number, tuple(values)) for number, values in records]
    theirs = [_trimmed(row) for row in _openpyxl_rows(path)]
    assert ours == [(number, row) for number, row in enumerate(theirs, 1)][1:]
    assert ours[-1][1][:2] == ("نص 0", None)
    assert gc.isenabled()  # the collector, paused while reading, runs again


SHARED_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc", "Cn"]), max_size=6) | st.sampled_from(["x005F_x", " ", ""])
SHARED_ITEM = st.lists(
    st.one_of(
        TEXT.map(lambda t: f"<t>{escape(t)}</t>"),
        st.just("<t/>"),
        st.lists(TEXT, max_size=3).map(lambda ts: "<r><rPr><b/></rPr>" + "".join(f"<t>{escape(t)}</t>" for t in ts) + "</r>"),
        TEXT.map(lambda t: f'<rPh sb="0" eb="1"><t>{escape(t)}</t></rPh><phoneticPr fontId="1"/>'),
    ),
    max_size=4,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(SHARED_ITEM, max_size=8))
def test_shared_strings_read_as_openpyxl_reads_them(items):
    xml = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{SHARED_NS}">' + "".join(f"<si>{i}</si>" for i in items) + "</sst>"
    assert readers._string_table(io.BytesIO(xml.encode())) == read_string_table(io.BytesIO(xml.encode()))


def test_inspecting_an_excel_workbook(excel_like):
    found = readers.inspect(excel_like, "xlsx")
    assert (found.file_format, found.headers, found.total_rows) == ("xlsx", ["الاسم الأول", "الجوال", "تاريخ الميلاد", "إعاقة", "مجموع"], 4)


def test_a_workbook_written_by_openpyxl_has_its_rows_estimated(tmp_path):
    path = tmp_path / "big.xlsx"
    path.write_bytes(xlsx_bytes([["الاسم", "الجوال"]] + [[f"اسم {n}", f"0599{n:06d}"] for n in range(3000)]))
    found = readers.inspect(path, "xlsx")
    assert found.headers == ["الاسم", "الجوال"]
    assert 2700 <= found.total_rows <= 3300  # the file has no stored size: estimated from its length


def test_empty_header_cells_are_named_after_their_column(tmp_path):
    path = tmp_path / "gaps.csv"
    path.write_bytes(csv_bytes([["", "", ""], ["الاسم", "", "الجوال", ""], ["فاطمة", "x", "0599", ""]]))
    assert readers.inspect(path, "csv").headers == ["الاسم", "Column B", "الجوال"]


def test_a_damaged_sheet_is_refused(tmp_path, excel_like):
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(excel_like) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, data[:200] if item.filename.endswith("sheet1.xml") else data)
    with pytest.raises(ValidationError) as refused:
        readers.inspect(damaged, "xlsx")
    assert refused.value.messages == ["This workbook is damaged or is not an Excel workbook; we could not read it."]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("الاسم,الجوال\nفاطمة,0599\n".encode("utf-8-sig"), "utf-8-sig"),
        ("الاسم,الجوال\nفاطمة,0599\n".encode(), "utf-8"),
        ("الاسم,الجوال\nفاطمة,0599\n".encode("cp1256"), "cp1256"),
        (b"name,phone\nfatima,0599\n", "utf-8"),
    ],
)
def test_csv_encoding_is_detected(tmp_path, data, encoding):
    path = tmp_path / "people.csv"
    path.write_bytes(data)
    assert readers.detect_encoding(path) == encoding
    with readers.data_rows(path, file_format="csv", encoding=encoding, delimiter=",") as records:
        assert next(records)[1][0] in {"فاطمة", "fatima"}


def test_describing_the_encoding_in_the_page_language(english):
    assert readers.describe_encoding("cp1256") == "Windows-1256 (Arabic Excel)"
