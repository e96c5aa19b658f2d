"""ISIC Rev.4 sections and divisions, with Arabic and English titles (shipped in data/isic_rev4.json)."""

import json
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

DATA = Path(__file__).with_name("data") / "isic_rev4.json"


@cache
def _sections() -> list[dict]:
    return json.loads(DATA.read_text(encoding="utf-8"))


@cache
def _division_section() -> dict[str, str]:
    return {d["code"]: s["code"] for s in _sections() for d in s["divisions"]}


def _title(item: dict) -> str:
    return item["name_en"] if (get_language() or "ar").startswith("en") else item["name_ar"]


def section_of(division: str) -> str | None:
    """The section letter of a two-digit division code."""
    return _division_section().get(division)


def section_choices() -> list[tuple[str, str]]:
    return [(s["code"], f"{s['code']} · {_title(s)}") for s in _sections()]


def division_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Divisions grouped under their sections, for a select."""
    return [(f"{s['code']} · {_title(s)}", [(d["code"], f"{d['code']} · {_title(d)}") for d in s["divisions"]]) for s in _sections()]


def title(code: str) -> str:
    """The title of a section (letter) or division (two digits) in the active language."""
    for section in _sections():
        if section["code"] == code:
            return _title(section)
        for division in section["divisions"]:
            if division["code"] == code:
                return _title(division)
    return ""
