"""Sanity checks for the ISIC Rev.4 reference data (sections and divisions). No database needed."""

import json
import re
from pathlib import Path

import pytest

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "isic_rev4.json"

SECTION_CODES = list("ABCDEFGHIJKLMNOPQRSTU")

# The 88 divisions of ISIC Rev.4, with the official gaps (04, 34, 40, 44, 48, 54, 57, 67, 76, 83, 89).
DIVISIONS_BY_SECTION = {
    "A": ["01", "02", "03"],
    "B": ["05", "06", "07", "08", "09"],
    "C": ["10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "21"]
    + ["22", "23", "24", "25", "26", "27", "28", "29", "30", "31", "32", "33"],
    "D": ["35"],
    "E": ["36", "37", "38", "39"],
    "F": ["41", "42", "43"],
    "G": ["45", "46", "47"],
    "H": ["49", "50", "51", "52", "53"],
    "I": ["55", "56"],
    "J": ["58", "59", "60", "61", "62", "63"],
    "K": ["64", "65", "66"],
    "L": ["68"],
    "M": ["69", "70", "71", "72", "73", "74", "75"],
    "N": ["77", "78", "79", "80", "81", "82"],
    "O": ["84"],
    "P": ["85"],
    "Q": ["86", "87", "88"],
    "R": ["90", "91", "92", "93"],
    "S": ["94", "95", "96"],
    "T": ["97", "98"],
    "U": ["99"],
}
OFFICIAL_DIVISION_CODES = [code for codes in DIVISIONS_BY_SECTION.values() for code in codes]

ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")


@pytest.fixture(scope="module")
def sections():
    with DATA_FILE.open(encoding="utf-8") as f:
        return json.load(f)


def _divisions(sections):
    return [division for section in sections for division in section["divisions"]]


def test_official_list_itself_has_88_distinct_codes():
    assert len(OFFICIAL_DIVISION_CODES) == 88
    assert len(set(OFFICIAL_DIVISION_CODES)) == 88
    assert sorted(OFFICIAL_DIVISION_CODES) == OFFICIAL_DIVISION_CODES


def test_exactly_21_sections_a_to_u_in_order(sections):
    assert len(sections) == 21
    assert [section["code"] for section in sections] == SECTION_CODES


def test_exactly_88_divisions(sections):
    assert len(_divisions(sections)) == 88


def test_division_codes_are_the_official_set_in_order(sections):
    assert [division["code"] for division in _divisions(sections)] == OFFICIAL_DIVISION_CODES


def test_each_section_holds_its_official_divisions(sections):
    assert {s["code"]: [d["code"] for d in s["divisions"]] for s in sections} == DIVISIONS_BY_SECTION


def test_division_codes_are_two_digit_strings(sections):
    for division in _divisions(sections):
        assert isinstance(division["code"], str)
        assert re.fullmatch(r"\d{2}", division["code"]), division["code"]


def test_no_duplicated_division_code(sections):
    codes = [division["code"] for division in _divisions(sections)]
    assert len(codes) == len(set(codes))


def test_every_name_is_non_empty(sections):
    for entry in [*sections, *_divisions(sections)]:
        for field in ("name_en", "name_ar"):
            value = entry[field]
            assert isinstance(value, str) and value.strip(), (entry["code"], field)


def test_every_arabic_name_contains_arabic_letters(sections):
    for entry in [*sections, *_divisions(sections)]:
        assert ARABIC_LETTER.search(entry["name_ar"]), entry["code"]
