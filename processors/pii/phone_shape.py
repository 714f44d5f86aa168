"""Phone numbers written with separators and no phone word near them, told apart from other grouped numbers.

People write phone numbers in groups ("26 01 81 59", "(32) 484-557", "0152 2601 8159"), and a ticket often gives
one with no "phone" or "call" before it: in a signature, after a name, in a list of contacts. Other numbers
that come in groups are amounts and quantities ("1 234 567 rows", "12 500 EUR"), year ranges ("2019-2020"),
times ("0900-1700"), dates and versions; identifiers announced by a label are dropped later by
`context.is_lookalike`. A grouped number that is none of those is taken as a phone number, with a lower score
than one next to a phone word.
"""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

__all__ = ["ZIP_PLUS_4", "is_amount", "is_quantity", "is_unlabelled_phone"]

_GROUPS = re.compile(r"\d+")
_EXTENSION = re.compile(r"\s?(?:x|ext\.?|#)\s?\d{1,6}$")
ZIP_PLUS_4 = re.compile(r"^\d{5}-\d{4}$")
"""A US postal code ("86826-1055"), which libphonenumber also reads as a Spanish or French number; German numbers
written so ("07071-1234") come with a phone word. In an address the address recognizers take it."""
_UNIT_OR_WORD_AFTER = re.compile(r"\s?(?:[%‰€$£¥]|(?P<word>[A-Za-zÀ-ÿ]+))")
"""Right after the number: a unit, a currency or a word ("337 424 rows", "12 500 EUR", "1 000 km")."""
_CURRENCY_BEFORE = re.compile(r"(?:[€$£¥]|\b(?:EUR|USD|GBP|CHF|SEK|NOK|DKK|PLN|CZK|kr|Rs|R\$))\s?$")
_NOT_A_UNIT = frozenset(STOP_WORDS) | {"x", "ext", "und", "oder", "et", "ou", "y", "o", "e", "tel", "fax", "mobile"}
"""Words after a phone number that do not make it a quantity: function words, extensions, contact labels."""


def _thousands(groups: list[str], separators: set[str]) -> bool:
    """1 234 567 / 12.345.678: every group after the first has three digits, the first no leading zero."""
    return (
        len(groups) >= 2
        and separators <= {" ", ".", ",", "\u202f", "\xa0"}
        and all(len(g) == 3 for g in groups[1:])
        and 1 <= len(groups[0]) <= 3
        and not groups[0].startswith("0")
    )


def _year_or_time_range(groups: list[str]) -> bool:
    if len(groups) != 2 or len(groups[0]) != 4 or len(groups[1]) != 4:
        return False
    years = all(1900 <= int(g) <= 2099 for g in groups)
    times = all(int(g[:2]) <= 24 and int(g[2:]) < 60 for g in groups)
    return years or times


_SSN_SHAPED = re.compile(r"^\d{3}-\d{2}-\d{4}$")
"""Left to the SSN recognizers, which weigh it with their own context."""
_QUANTITY_WORD_BEFORE = re.compile(
    r"(?i)\b(?:total|of|from|to|between|about|around|approx\.?|approximately|over|under|than|only|exactly|nearly|"
    r"almost|by|sum|count|amount|balance|price|cost|paid|pay|charged|refund(?:ed)?)\s*[:=]?\s*$"
)


_UNIT_AFTER = re.compile(
    r"[ \t]?(?:[%‰€$£¥]|(?i:eur|euro|euros|usd|gbp|chf|sek|nok|dkk|pln|czk|kr|dollars?|pounds?|km|kg|mb|gb|tb|kb|"
    r"ms|units?|users?|rows?|items?|pieces?|pcs|requests?|messages?|records?|lines?|times?|bytes?|visits?|views?|"
    r"customers?|orders?|tickets?|seats?|licen[cs]es?)\b)"
)


def is_amount(text: str, start: int, end: int) -> bool:
    """A number with a currency before it or a unit right after it ("164 780 kg", "€ 12 345 678"): what a
    validated phone number never has."""
    return (_CURRENCY_BEFORE.search(text, max(0, start - 5), start) is not None
            or _UNIT_AFTER.match(text, end) is not None)


def is_quantity(text: str, start: int, end: int) -> bool:
    """An amount or a count: a currency before the number, or a unit, currency or noun right after it."""
    if text[start : start + 1] in ("(", "+", "0"):
        return False  # how phone numbers start, not amounts
    if _CURRENCY_BEFORE.search(text, max(0, start - 5), start):
        return True
    unit = _UNIT_OR_WORD_AFTER.match(text, end, end + 24)
    return unit is not None and (unit["word"] is None or unit["word"].lower() not in _NOT_A_UNIT)


_WORD_BEFORE = re.compile(r"([^\s:=#(]+)[ \t]*[:=#]?[ \t]*$")


def _labelled_by_word_before(text: str, start: int) -> bool:
    """A word right before the number that says what it is: a lowercase noun ("ports 8080 8443", "serial is" is
    fine, "Amount due:"), an abbreviation ("KB 123 4567", "ISBN") or a code ("AA1 01 2345"). Names, punctuation,
    line starts and function words ("at", "is", "on") leave it a phone number."""
    m = _WORD_BEFORE.search(text, max(0, start - 30), start)
    if m is None:
        return False
    if m.group(1).endswith((",", ";")):
        return False  # "ask Pawlonka in accounts, 22 596 67 27": the word ends a phrase, it labels nothing
    word = m.group(1).strip(".,;!?\"'")
    if not word or word.casefold() in _NOT_A_UNIT:
        return False
    if any(c.isdigit() for c in word) and any(c.isalpha() for c in word):
        return True
    letters = [c for c in word.removesuffix("s") if c.isalpha()]  # "SKUs 1234-5678" as "SKU"
    return bool(letters) and ((all(c.isupper() for c in letters) and len(letters) > 1) or word[0].islower())


_LISTED_AFTER = re.compile(r"(?<![\d\w])(\d[\d \-./]{2,18}\d)[ \t]*"
                           r"(?:[,/;&]|\b(?i:or|and|und|oder|et|ou|y|o|e)\b)[ \t]*$")
"""A grouped number, then a list joint, right before the number: "part numbers 4455-6677 or 4455-6678"."""


def _shape(value: str) -> str:
    return re.sub(r"\d", "9", value)


def _labelled_list_item(text: str, start: int, end: int) -> bool:
    """The number continues a list of numbers of its own shape whose first item a label names: that label names
    it too. An id or date of another shape before a phone number ("Emp ID 45521, 98765 43210") labels nothing."""
    shape = _shape(text[start:end])
    for _ in range(4):  # "SKUs 1234-5678, 2345-6789 and 3456-7890"
        m = _LISTED_AFTER.search(text, max(0, start - 40), start)
        if m is None or _shape(m.group(1)) != shape:
            return False
        start = m.start(1)
        if _labelled_by_word_before(text, start):
            return True
    return False


def is_unlabelled_phone(text: str, start: int, end: int) -> bool:
    """Whether the grouped number `text[start:end]` (7 to 13 digits, no phone word near) reads as a phone number."""
    value = _EXTENSION.sub("", text[start:end])
    groups = _GROUPS.findall(value)
    digits = sum(len(g) for g in groups)
    if not 7 <= digits <= 13 or len(groups) < 2 or (start > 0 and text[start - 1] in "#№/\\"):
        return False
    if ZIP_PLUS_4.match(value) or _SSN_SHAPED.match(value) or _year_or_time_range(groups):
        return False
    if sum(len(g) == 4 and 1900 <= int(g) <= 2099 for g in groups) >= 2:
        return False  # 1999-2004-2010
    if value[0] in "123456789" and (_labelled_by_word_before(text, start) or _labelled_list_item(text, start, end)):
        return False  # "(351) ...", "+44 ...", "0171 ..." start as only phone numbers do
    if not any(c in value for c in "-/") and is_quantity(text, start, end):
        return False  # amounts and counts are not written with dashes or slashes
    separators = set(re.sub(r"[\d()+]", "", value))
    if not _thousands(groups, separators) or value.startswith(("(", "+")):
        return True
    # Grouped by thousands: "30 868 716" is written for phone numbers (Norway, Denmark) as for counts, which have a
    # word for them before; "1 234 567" and "939 653 033" are counts unless libphonenumber knows the number.
    return len(groups[0]) == 2 and not _QUANTITY_WORD_BEFORE.search(text, max(0, start - 24), start)
