import csv
import datetime
import io
from urllib.parse import quote

import pytest
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation
from openpyxl import load_workbook

from shubbak import exports
from shubbak.registry import services
from shubbak.registry.models import Enterprise, Person

pytestmark = pytest.mark.django_db


def _person(actors, n, **data):
    base = {"first_name": "فاطمة", "family_name": "التميمي", "gender": "female", "governorate": "PS-NBS", "phone": f"0599{n:06d}"}
    return services.person_create(actor=actors.officer, organisation=actors.organisation, data=base | data, confirmed=True)


def _read_csv(response) -> tuple[bytes, list[list[str]]]:
    content = b"".join(response.streaming_content)
    return content, list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
        ("+970599123456", "+970599123456"),  # a phone: sign and digits only, arithmetic at worst
        ("+970599123456+cmd|' /C calc'!A0", "'+970599123456+cmd|' /C calc'!A0"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("  =1+1", "'  =1+1"),
        ("-12", "-12"),
        ("-12.5", "-12.5"),
        (-12, -12),
        (3.5, 3.5),
        ("فاطمة = أم محمد", "فاطمة = أم محمد"),
        (None, None),
    ],
)
def test_cells_a_spreadsheet_would_run_are_neutralised(value, safe):
    assert exports.neutralise(value) == safe


def test_the_csv_export_is_utf8_with_a_bom_in_arabic_and_neutralised(actors, django_assert_num_queries):
    _person(actors, 1, first_name='=HYPERLINK("http://evil.example","x")', birth_date=datetime.date(2001, 3, 14))
    _person(actors, 2, first_name="مريم", education="university", has_disability=True)
    with django_assert_num_queries(0):
        response = exports.people_export(Person.objects.filter(organisation=actors.organisation).order_by("id"), "csv")
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"export-{today}.csv\"; filename*=UTF-8''{quote(f'الأشخاص-{today}.csv', safe='')}"
    )
    with django_assert_num_queries(1):
        content, rows = _read_csv(response)
    assert content.startswith(b"\xef\xbb\xbf")
    header = dict(zip(rows[0], range(len(rows[0]))))
    assert rows[0][:5] == ["رقم السجل", "الاسم الأول", "اسم الأب", "اسم الجد", "اسم العائلة"]
    first, second = rows[1], rows[2]
    assert first[header["الاسم الأول"]] == '\'=HYPERLINK("http://evil.example","x")'
    assert first[header["الجوال"]] == "+970599000001"  # sign and digits only: no call can hide in it
    assert (first[header["الجنس"]], first[header["المحافظة"]], first[header["تاريخ الميلاد"]]) == ("أنثى", "نابلس", "2001-03-14")
    assert (second[header["التعليم"]], second[header["من ذوي الإعاقة"]], second[header["تاريخ الميلاد"]]) == ("خريج جامعي", "نعم", "")
    assert second[header["الجهة المسجِّلة"]] == "غرفة تجارة وصناعة نابلس"


def test_the_xlsx_export_is_right_to_left_with_bold_arabic_headers(actors):
    services.enterprise_create(
        actor=actors.officer,
        organisation=actors.organisation,
        data={"name_ar": "=1+1 مخبز", "legal_form": "sole", "status": "informal", "governorate": "PS-NBS", "men_full_time": 3},
        confirmed=True,
    )
    response = exports.enterprises_export(Enterprise.objects.all(), "xlsx")
    assert isinstance(response, FileResponse)
    assert response["Content-Type"] == exports.XLSX_TYPE
    assert "filename*=UTF-8''" + quote("المنشآت-") in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.sheet_view.rightToLeft is True
    assert sheet.title == "المنشآت"
    rows = list(sheet.iter_rows(values_only=True))
    header = dict(zip(rows[0], range(len(rows[0]))))
    assert rows[0][:4] == ("رقم السجل", "الاسم بالعربية", "الاسم بالإنجليزية", "الشكل القانوني")
    assert sheet["B1"].font.b is True
    bakery = rows[1]
    assert bakery[header["الاسم بالعربية"]] == "'=1+1 مخبز"
    assert (bakery[header["رجال، دوام كامل"]], bakery[header["الحجم"]]) == (3, "متناهية الصغر")
    assert bakery[header["الحالة"]] == "تعمل بشكل غير رسمي"
    assert bakery[header["عضو في غرفة تجارية"]] == "لا"
    assert bakery[header["تاريخ التسجيل"]] is None  # an empty date stays empty
    assert bakery[header["تاريخ الإدخال"]] == datetime.datetime.combine(timezone.localdate(), datetime.time())
    assert sheet.cell(row=2, column=header["رجال، دوام كامل"] + 1).data_type == "n"


def test_an_english_export_reads_left_to_right(actors):
    _person(actors, 1)
    with translation.override("en"):
        response = exports.people_export(Person.objects.all(), "xlsx")
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.sheet_view.rightToLeft is False
    assert [c.value for c in sheet[1]][:2] == ["Record number", "First name"]
    assert sheet["I2"].value == "Female"


def test_generic_exports_keep_numbers_and_dates(settings):
    columns = [("n", "عدد"), ("d", "تاريخ"), ("t", "نص")]
    rows = iter([[-5, datetime.date(2024, 3, 14), "-5"], [2.5, None, "@x"]])
    response = exports.xlsx_response(filename="test.xlsx", columns=columns, rows=rows)
    assert response["Content-Disposition"] == "attachment; filename=\"test.xlsx\"; filename*=UTF-8''test.xlsx"
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert list(sheet.iter_rows(values_only=True)) == [
        ("عدد", "تاريخ", "نص"),
        (-5, datetime.datetime(2024, 3, 14), "-5"),
        (2.5, None, "'@x"),
    ]
    assert sheet["B2"].number_format == "yyyy-mm-dd"
    _content, rows = _read_csv(exports.csv_response(filename="t.csv", columns=columns, rows=[[-5, datetime.date(2024, 3, 14), "=1"]]))
    assert rows == [["عدد", "تاريخ", "نص"], ["-5", "2024-03-14", "'=1"]]


def test_an_unknown_format_is_refused(actors):
    with pytest.raises(ValueError):
        exports.people_export(Person.objects.none(), "pdf")
