"""Arabic text handling with no models: normalisation for matching, tokens, and name similarity.

Names are written many ways (أحمد / احمد, فاطمة / فاطمه, عبد الله / عبدالله, with or without harakat,
Arabic-Indic digits). `normalise` folds every such variant to one form; store it beside the original
and apply it to queries, so that the database compares like with like.
"""

import re
import unicodedata

_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي", "ک": "ك", "ی": "ي"})
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# In one pass over the text: harakat, Quranic marks and tatweel dropped, letters and digits folded.
_FOLD = _LETTERS | _DIGITS | dict.fromkeys([*range(0x0610, 0x061B), *range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06EE), 0x0640])
# Name parts written apart or together: عبد الله / عبدالله, أبو بكر / ابوبكر.
_JOINED_PREFIXES = re.compile(r"\b(عبد|ابو|ابن|بن|ام)\s+(?=\w)")
_JOINED_PREFIX_WORDS = ("عبد ", "ابو ", "بن ", "ام ")  # «ابن » holds «بن »
# Compound names ending in «الله» are written apart or together: نصر الله / نصرالله, عطا الله / عطاالله.
_ALLAH_SUFFIX = re.compile(r"\b(\w+)\s+(الله)\b")
_NOT_WORD = re.compile(r"[^\w]+")


def normalise(text: str) -> str:
    """Fold harakat, tatweel, hamza and alef forms, taa marbuta, alef maqsura, digits, case and spacing."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_FOLD).casefold()
    text = _NOT_WORD.sub(" ", text).strip()  # from here, words and single spaces: each pattern needs its words and a space
    if any(prefix in text for prefix in _JOINED_PREFIX_WORDS):
        text = _JOINED_PREFIXES.sub(r"\1", text)
    return _ALLAH_SUFFIX.sub(r"\1\2", text) if " الله" in text else text


def tokens(text: str) -> list[str]:
    """The normalised words of a text."""
    return normalise(text).split()


def digits_only(text: str) -> str:
    """Latin digits of a phone or ID number written with any digits and separators."""
    return "".join(ch for ch in (text or "").translate(_DIGITS) if ch.isdigit())


def search_tokens(query: str) -> list[str]:
    """Tokens to search for: a phone or ID typed with spaces or dashes stays one number."""
    if re.fullmatch(r"[\d٠-٩۰-۹\s\-+()/.]+", query or "") and digits_only(query):
        digits = digits_only(query)
        return [digits[2:] if digits.startswith("00") else digits]  # 00970… is +970…
    return tokens(query)


def name_similarity(a: str, b: str) -> int:
    """0–100: how alike two names are once normalised, whatever the order of their parts."""
    from rapidfuzz import fuzz

    left, right = normalise(a), normalise(b)
    if not left or not right:
        return 0
    return round(fuzz.token_sort_ratio(left, right))
