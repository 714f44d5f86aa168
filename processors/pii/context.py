"""Context-aware scoring: numbers that only look like PII are kept when their context says what they are.

An order id, a version string or a timestamp can pass a phone, licence or passport pattern. When the
words right before a numeric span name it as one of those ("order #", "version", "build", "Rechnung
Nr.") or its shape is a date/time or a `v1.2.3` version, the span is dropped — unless the tenant turned
`suppress_lookalikes` off or has its own pattern for such ids.
"""

from __future__ import annotations

import re

__all__ = ["LOOKALIKE_ENTITIES", "is_lookalike"]

LOOKALIKE_ENTITIES = frozenset(
    {"PHONE_NUMBER", "US_DRIVER_LICENSE", "US_PASSPORT", "US_BANK_NUMBER", "US_SSN", "IP_ADDRESS", "CREDIT_CARD"}
)
"""Types whose values are numbers (or number-like codes) that other identifiers can resemble."""

_WINDOW = 32
_NON_PII_LABEL = re.compile(
    r"(?i)(?:\b(?:order|invoice|ticket|case|incident|ref|reference|tracking|shipment|parcel|package|sku|"
    r"serial|model|part|item|product|article|version|ver|build|release|firmware|patch|timestamp|epoch|"
    r"transaction|txn|request|job|issue|bug|pr|po|bestellung|bestellnummer|rechnung|rechnungsnummer|"
    r"auftrag|sendung|commande|facture|colis|pedido|factura|envío|ordine|fattura|encomenda|bestelling)"
    r"(?:\s*(?:no\.?|nr\.?|number|num|id|n[º°o]\.?|#))?|\bv)\s*[:#=]?\s*[\"'(]?$"
)
"""A label right before a span that says it is an identifier of a thing, not of a person."""
_VERSION = re.compile(r"^v?\d{1,4}(?:\.\d{1,5}){1,3}(?:[-+][\w.]+)?$")
_DATE_TIME = re.compile(
    r"^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?Z?)?$"
    r"|^\d{1,2}:\d{2}(?::\d{2})?$"
)


def is_lookalike(text: str, start: int, end: int, entity: str) -> bool:
    """True when the span `text[start:end]` of type `entity` is an order id, version or timestamp."""
    if entity not in LOOKALIKE_ENTITIES:
        return False
    value = text[start:end].strip()
    before = text[max(0, start - _WINDOW) : start]
    if _DATE_TIME.match(value):
        return True
    if _NON_PII_LABEL.search(before):
        return True
    return value[:1] in "vV" and _VERSION.match(value) is not None
