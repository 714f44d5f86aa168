"""A flat or suite number on its own ("please leave it at apt. 013", "we moved to Suite 790").

The block rules take a unit only as part of a street address. People also give just the unit — the building is
known, or the rest of the address sits in another field — and "apt. 013" still tells where someone lives. A
flat word and a number need no other context; "suite" only where no capitalised product name is before it
("Creative Suite 6", "Office Suite 2019") and not with a year. "Flat", "unit", "level", "floor" and "room" alone
are ordinary words ("a flat 20 fee", "unit 5 of the course", "level 3 support") and are left to the block rules.
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from processors.pii.recognizer_base import TextRecognizer
from processors.pii.recognizers import COUNT_AFTER

__all__ = ["UnitRecognizer"]

_UNIT = re.compile(
    r"(?<![\w.-])(?P<word>(?i:apt|apto|appt)\.?|(?i:apartment|appartement|wohnung|suite)|(?i:ste)\.)"
    r"[ \t]*(?:(?i:no|nr|n[º°])\.?[ \t]*|#[ \t]*)?(?P<number>\d{1,5}[a-zA-Z]?)(?![\w%]|[.,]\d)"
)
_PRODUCT_BEFORE = re.compile(r"(?:^|[^\w\n])[A-Z][\w+-]*[ \t]+$|(?i:\btest|\bsoftware|\bproduct|\bsecurity)[ \t]+$")
"""A capitalised word or a software noun right before "suite": a product or test suite, not an address. A line or
sentence start ("Suite 790, please") has no word before it."""
_YEAR = re.compile(r"(?:19|20)\d\d")


class UnitRecognizer(TextRecognizer):
    ENTITY = "STREET_ADDRESS"
    SCORE = 0.6

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        if not any(c.isdigit() for c in text):
            return []
        out = []
        for m in _UNIT.finditer(text):
            if COUNT_AFTER.match(text, m.end()):
                continue  # "apartment 2 weeks ago" is no unit number
            if m["word"].casefold() == "suite" and (
                    _YEAR.fullmatch(m["number"]) or _PRODUCT_BEFORE.search(text, max(0, m.start() - 40), m.start())):
                continue
            out.append(self.result(self.ENTITY, m.start(), m.end(), self.SCORE))
        return out
