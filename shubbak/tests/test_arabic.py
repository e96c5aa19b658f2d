import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from shubbak.arabic import digits_only, normalise, tokens


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("أحمد", "احمد"),
        ("إبراهيم", "ابراهيم"),
        ("آمنة", "امنه"),
        ("فاطمة", "فاطمه"),
        ("مُحَمَّد", "محمد"),
        ("مـحـمـد", "محمد"),
        ("مصطفى", "مصطفي"),
        ("لؤي", "لوي"),
        ("هانئ", "هاني"),
        ("عبد الله", "عبدالله"),
        ("عبدالله", "عبدالله"),
        ("أبو بكر", "ابوبكر"),
        ("محمد بن سلمان", "محمد بنسلمان"),
        ("نصر الله", "نصرالله"),
        ("عطا الله", "عطاالله"),
        ("فتح الله الخطيب", "فتحالله الخطيب"),
        ("٠٥٩٩١٢٣٤٥٦", "0599123456"),
        ("۰۵۹۹", "0599"),
        ("  Mohammed   Ali ", "mohammed ali"),
    ],
)
def test_real_variants_fold_to_one_form(variant, canonical):
    assert normalise(variant) == canonical


def test_tokens_are_normalised_words():
    assert tokens("فاطِمة عبد الرحيم، الخليل") == ["فاطمه", "عبدالرحيم", "الخليل"]


def test_a_phone_with_the_00_prefix_searches_as_international():
    from shubbak.arabic import search_tokens

    assert search_tokens("00970 599 123 456") == ["970599123456"]
    assert search_tokens("+970 599 123 456") == ["970599123456"]


def test_digits_only_reads_any_digits_and_drops_separators():
    assert digits_only("+٩٧٠ (٥٩) ٩١٢-٣٤٥٦") == "970599123456"


@given(st.text())
def test_normalise_is_idempotent(text):
    assert normalise(normalise(text)) == normalise(text)


@given(
    st.text(alphabet="ابتثجحخدذرسشصضطظعغفقكلمنهويةىأإآ ", min_size=1),
    st.lists(st.sampled_from("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0640")),
)
def test_harakat_and_tatweel_never_change_the_result(text, marks):
    decorated = "".join(ch + (marks[i % len(marks)] if marks and ch != " " else "") for i, ch in enumerate(text))
    assert normalise(decorated) == normalise(text)


@given(st.text(alphabet="٠١٢٣٤٥٦٧٨٩"))
def test_arabic_indic_digits_equal_latin_digits(text):
    latin = text.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
    assert normalise(text) == latin


def _normalise_in_three_passes(text: str) -> str:
    """normalise as first written: diacritics dropped by a pattern, then letters folded, then digits."""
    import re
    import unicodedata

    from shubbak import arabic

    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]", "", text)
    text = text.translate(arabic._LETTERS).translate(arabic._DIGITS).casefold()
    text = arabic._NOT_WORD.sub(" ", text).strip()
    return arabic._ALLAH_SUFFIX.sub(r"\1\2", arabic._JOINED_PREFIXES.sub(r"\1", text))


NAME_WORDS = st.sampled_from(["عبد", "الله", "ابو", "أبو", "ابن", "بن", "ام", "أم", "محمد", "نصر", "عطا", "فاطمة", "x", "7", "ـ", "عبدُ"])
NAMES = st.lists(st.tuples(NAME_WORDS, st.sampled_from([" ", "  ", "-", "\t", "، ", ""])), max_size=6).map(
    lambda parts: "".join(word + gap for word, gap in parts)
)


@settings(max_examples=2000)
@given(
    st.text()
    | NAMES
    | st.text(alphabet="ابتثجحخدذرسشصضطظعغفقكلمنهويةىأإآٱؤئکی ٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹\u0610\u061a\u064b\u065f\u0670\u06d6\u06ed\u0640ـ")
)
@example("نصر الله عبد الله ابو بكر ام كلثوم ابن سينا بن علي")
def test_normalise_folds_in_one_pass_what_it_folded_in_three(text):
    assert normalise(text) == _normalise_in_three_passes(text)
