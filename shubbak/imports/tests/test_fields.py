import datetime

import pytest

from shubbak.imports.fields import CellError, cell_text, converters, guess_mapping

pytestmark = pytest.mark.usefixtures("english")


def test_arabic_headers_are_recognised():
    headers = ["م", "الاسم الأول", "اسم الأب", "اسم الجد", "اسم العائلة", "رقم الهوية", "الجوال", "الجنس", "تاريخ الميلاد", "ملاحظات"]
    assert guess_mapping("people", headers) == {
        "first_name": 1,
        "father_name": 2,
        "grandfather_name": 3,
        "family_name": 4,
        "national_id": 5,
        "phone": 6,
        "gender": 7,
        "birth_date": 8,
    }


def test_english_headers_and_spelling_variants_are_recognised():
    headers = ["First Name", "Last name", "Mobile Number", "E-mail", "Date of birth", "Sex", "الاسم الاول", "رقم  الهوية"]
    assert guess_mapping("people", headers) == {
        "first_name": 0,
        "family_name": 1,
        "phone": 2,
        "email": 3,
        "birth_date": 4,
        "gender": 5,
        "national_id": 7,
    }


def test_enterprise_headers_are_recognised():
    headers = ["اسم المنشأة", "الشكل القانوني", "رقم السجل التجاري", "النشاط", "Phone", "المحافظة"]
    assert guess_mapping("enterprises", headers) == {
        "name_ar": 0,
        "legal_form": 1,
        "registration_number": 2,
        "isic_division": 3,
        "phone": 4,
        "governorate": 5,
    }


def test_the_remembered_mapping_comes_first_where_the_file_has_that_header():
    remembered = {"phone": "رقم التواصل", "first_name": "الاسم", "family_name": "عمود غير موجود"}
    headers = ["الاسم", "رقم التواصل", "الجوال", "العائلة"]
    assert guess_mapping("people", headers, remembered) == {"first_name": 0, "phone": 1, "family_name": 3}


@pytest.fixture
def read():
    return converters("people", country="PS")


@pytest.mark.parametrize(
    ("name", "raw", "value"),
    [
        ("gender", "أنثى", "female"),
        ("gender", "انثى", "female"),
        ("gender", "Male", "male"),
        ("gender", "ذ", "male"),
        ("education", "جامعي", "university"),
        ("education", "University graduate", "university"),
        ("id_type", "passport", "passport"),
        ("birth_date", "١٤/٠٣/٢٠٠١", datetime.date(2001, 3, 14)),
        ("birth_date", "2001-03-14", datetime.date(2001, 3, 14)),
        ("birth_date", datetime.datetime(2001, 3, 14), datetime.date(2001, 3, 14)),
        ("birth_date", 36964, datetime.date(2001, 3, 14)),
        ("has_disability", "نعم", True),
        ("has_disability", "لا", False),
        ("has_disability", "✓", True),
        ("has_disability", 0, False),
        ("governorate", "نابلس", "PS-NBS"),
        ("governorate", "Hebron", "PS-HBN"),
        ("governorate", "ps-jen", "PS-JEN"),
        ("national_id", 123456782, "123456782"),
        ("phone", 599123456.0, "599123456"),
        ("first_name", "\u200fفاطمة\u200e ", "فاطمة"),
        ("first_name", "", None),
    ],
)
def test_cells_are_read_in_arabic_or_english_with_any_digits(read, name, raw, value):
    assert read[name](raw) == value


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("gender", "غير معروف", "«غير معروف» is not one of the choices: Female، Male."),
        ("birth_date", "أمس", "«أمس» is not a date we can read. Write it as 2024-03-14 or 14/03/2024."),
        ("has_disability", "ربما", "«ربما» is not yes or no. Write نعم or لا (or yes / no)."),
        ("governorate", "Damascus", "«Damascus» is not a governorate we know. Write its name, e.g. «Bethlehem»."),
    ],
)
def test_unreadable_cells_say_why(read, name, raw, message):
    with pytest.raises(CellError) as error:
        read[name](raw)
    assert error.value.message == message


def test_enterprise_numbers_and_sectors():
    read = converters("enterprises", country="PS")
    assert (read["men_full_time"]("١٢"), read["men_full_time"](3.0), read["women_part_time"]("1,200")) == (12, 3, 1200)
    assert (read["isic_division"]("١٠"), read["isic_division"](1), read["isic_section"]("c")) == ("10", "01", "C")
    assert read["founded_on"](2015) == datetime.date(2015, 1, 1)
    with pytest.raises(CellError) as error:
        read["men_full_time"]("-2")
    assert error.value.message == "«-2» is below zero."
    with pytest.raises(CellError):
        read["isic_division"]("04")


def test_cell_text_shows_numbers_and_dates_as_a_person_sees_them():
    assert [cell_text(v) for v in (12.0, 1.5, datetime.datetime(2024, 3, 14), None, " x ")] == ["12", "1.5", "2024-03-14", "", "x"]
