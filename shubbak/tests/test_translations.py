"""Every string a person reads is translated: the Arabic catalogue has no empty or fuzzy entry."""

import re
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parents[1] / "locale" / "ar" / "LC_MESSAGES" / "django.po"


def _entries():
    for block in CATALOGUE.read_text(encoding="utf-8").split("\n\n"):
        if "msgid" not in block or re.search(r'^msgid ""\nmsgstr ""\n"Project-Id', block, re.M):
            continue
        yield block


def test_no_arabic_entry_is_empty():
    empty = [b for b in _entries() if re.search(r'^msgstr(\[\d\])? ""$(?!\n")', b, re.M)]
    assert empty == []


def test_no_arabic_entry_is_fuzzy():
    assert [b for b in _entries() if re.search(r"^#,.*\bfuzzy\b", b, re.M)] == []


def test_plural_entries_have_all_six_arabic_forms():
    plural = [b for b in _entries() if "msgid_plural" in b]
    assert plural, "expected plural entries"
    assert [b for b in plural if len(re.findall(r"^msgstr\[\d\]", b, re.M)) != 6] == []
