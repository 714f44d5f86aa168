"""Context-aware scoring: numbers that only look like PII are kept when their context says what they are.

An order id, a version string or a timestamp can pass a phone, licence or passport pattern. When the
words right before a numeric span name it as one of those ("order #", "version", "build", "Rechnung
Nr.") or its shape is a date/time or a `v1.2.3` version, the span is dropped — unless the tenant turned
`suppress_lookalikes` off or has its own pattern for such ids. A span that overlaps a date or time in the
text is dropped too, and a PERSON span only made of codes with digits ("ORD-671845272").
"""

from __future__ import annotations

import re

__all__ = ["LOOKALIKE_ENTITIES", "is_lookalike", "mask_dates", "trim_date_time"]

LOOKALIKE_ENTITIES = frozenset(
    {"PHONE_NUMBER", "US_DRIVER_LICENSE", "US_PASSPORT", "US_BANK_NUMBER", "US_SSN", "IP_ADDRESS", "CREDIT_CARD",
     "PERSON"}
)
"""Types whose values are numbers (or number-like codes) that other identifiers can resemble."""

_WINDOW = 32
_NON_PII_LABEL = re.compile(
    r"(?i)(?:\b(?:order|invoice|ticket|case|incident|ref|reference|tracking|shipment|parcel|package|sku|"
    r"serial|model|part|item|product|article|version|ver|build|release|firmware|patch|timestamp|epoch|"
    r"transaction|txn|request|job|issue|bug|pr|po|bestellung|bestellnummer|rechnung|rechnungsnummer|"
    r"report|booking|reservation|dossier|réservation|reserva|prenotazione|"
    r"auftrag|sendung|commande|facture|colis|pedido|factura|envío|ordine|fattura|encomenda|bestelling)"
    r"(?:\s*(?:no\.?|nr\.?|number|num|id|n[º°o]\.?|#))?|\bv)\s*[:#=]?\s*[\"'(]?$"
)
"""A label right before a span that says it is an identifier of a thing, not of a person."""
_ACCOUNT_LABEL = re.compile(
    r"(?i)(?:\b(?:customer|client|account|member|membership|contract|policy|claim|kunden|vertrags?|mitglieds?|"
    r"contrat|cliente|contrato|póliza|contratto|klant)[ \t]*(?:no\.?|nr\.?|number|num|id|n[º°o]\.?|#|nummer)"
    r"|\b(?:kundennummer|vertragsnummer|klantnummer|mitgliedsnummer))[ \t]*[:#=]?[ \t]*[\"'(]?$"
)
"""A customer, account or contract number ("Customer number:", "Kundennummer"): the tenant's own identifier, kept
unless the tenant marks it sensitive (its own pattern). Not for card numbers: a valid card number after "account
no." is still a card."""
_PHONE_CUE = re.compile(r"(?i)\b(?:phone|tel|telephone|mobile|mob|cell|fax|call|whats ?app|sms|telefon|handy|"
                        r"téléphone|teléfono|telefono|portable|móvil|cellulare)\b")
_CARD_CUE = re.compile(r"(?i)\b(?:card|visa|master ?card|amex|discover|kreditkarte|karte|carte|tarjeta|carta)\b")
_CODE_BEFORE = re.compile(r"[^\W\d_][-_/]$")
"""Glued to letters before it: the rest of a code ("ORD-2024-50185", "INV/2025/7471"); "Tel-0171 ..." is not."""
_VERSION = re.compile(r"^v?\d{1,4}(?:\.\d{1,5}){1,3}(?:[-+][\w.]+)?$")
_DATE_TIME = re.compile(
    r"^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?Z?)?$"
    r"|^\d{1,2}:\d{2}(?::\d{2})?$"
)

_DATE_TIME_IN_TEXT = re.compile(
    r"(?<![\d.:/-])(?:\d{4}(?P<s>[-/.])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})"
    r"|(?P<a>\d{1,2})(?P<t>[-/.])(?P<b>\d{1,2})(?P=t)(?:\d{4}|\d{2}))"
    r"(?![\d.:/-]\d)(?!(?<=-\d\d)\d)(?:[T ]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?Z?)?"
    r"|(?<![\d.:])\d{1,2}:\d{2}(?::\d{2})?(?![\d:])"
)
"""A date or time inside running text: libphonenumber reads "25.03.2012 10" of "25.03.2012 10:52" as a number. One
separator throughout and a two- or four-digit year: "06-08/578 6889" is a Hungarian phone number, and so is
"06-1-248-8147" (a dashed two-digit year with more digits after it)."""


def _is_date(m: re.Match[str]) -> bool:
    if m["m"]:
        return int(m["m"]) <= 12 and int(m["d"]) <= 31
    if m["a"]:
        a, b = int(m["a"]), int(m["b"])
        return (a <= 31 and b <= 12) or (a <= 12 and b <= 31)
    return True  # a time


def _inside_date_time(text: str, start: int, end: int) -> bool:
    lo = max(0, start - _WINDOW)
    return any(m.start() + lo < end and start < m.end() + lo and _is_date(m)
               for m in _DATE_TIME_IN_TEXT.finditer(text[lo : end + _WINDOW]))


def is_lookalike(text: str, start: int, end: int, entity: str) -> bool:
    """True when the span `text[start:end]` of type `entity` is an order id, version or timestamp."""
    if entity not in LOOKALIKE_ENTITIES:
        return False
    value = text[start:end].strip()
    if entity == "PERSON":  # spaCy tags codes such as "ORD-671845272" as people; a name has a word without digits
        return all(any(c.isdigit() for c in word) for word in value.split())
    if _DATE_TIME.match(value):
        return True
    if _inside_date_time(text, start, end) and _date_time_share(text, start, end) * 2 > end - start:
        return True  # mostly a date or time ("25.03.2012 10" of "25.03.2012 10:52"); a phone next to one is cut
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - _WINDOW) : start]  # a label on the line above labels something else
    if entity == "PHONE_NUMBER" and (value.startswith(("+", "00")) or _PHONE_CUE.search(before)):
        return False  # written as a phone number or announced as one: no label makes it an id
    if entity == "CREDIT_CARD" and _CARD_CUE.search(before):
        return False  # announced as a card: "this card for my next order 4130 7143 ..."
    if _NON_PII_LABEL.search(before) or _CODE_BEFORE.search(before):
        return True
    if entity != "CREDIT_CARD" and _ACCOUNT_LABEL.search(before):
        return True
    return value[:1] in "vV" and _VERSION.match(value) is not None


def _date_time_share(text: str, start: int, end: int) -> int:
    lo = max(0, start - _WINDOW)
    covered = set()
    for m in _DATE_TIME_IN_TEXT.finditer(text[lo : end + _WINDOW]):
        if _is_date(m):
            covered |= set(range(max(start, m.start() + lo), min(end, m.end() + lo)))
    return len(covered)


def mask_dates(text: str) -> str:
    """`text` with its dates and times blanked out (same length): a grouped number after a date is not run into it
    ("12.03.2024 0171 2345678")."""
    if ":" not in text and not any(c in text for c in "./-"):
        return text
    out = list(text)
    for m in _DATE_TIME_IN_TEXT.finditer(text):
        if _is_date(m):
            out[m.start() : m.end()] = " " * (m.end() - m.start())
    return "".join(out)


def trim_date_time(text: str, start: int, end: int) -> tuple[int, int]:
    """`text[start:end]` without a date or time that overlaps one of its ends ("030 1234567 10" of
    "030 1234567 10:30-12:00"): libphonenumber runs a number into the time after it."""
    lo = max(0, start - _WINDOW)
    for m in _DATE_TIME_IN_TEXT.finditer(text[lo : end + _WINDOW]):
        a, b = m.start() + lo, m.end() + lo
        if not _is_date(m) or b <= start or a >= end:
            continue
        if a > start:
            end = min(end, a)
        elif b < end:
            start = max(start, b)
    value = text[start:end]
    stripped = value.strip(" \t.,-/")
    offset = value.find(stripped) if stripped else 0
    return start + offset, start + offset + len(stripped)
