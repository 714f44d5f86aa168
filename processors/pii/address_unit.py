"""A flat or suite number on its own ("please leave it at apt. 013", "we moved to Suite 790").

The block rules take a unit only as part of a street address. People also give just the unit — the building is
known, or the rest of the address sits in another field — and "apt. 013" still tells where someone lives. A
flat word and a number need no other context; "suite" and a lowercase "apt" without its period ("since apt 2" is
the package tool) only where an address part starts (a line start, a comma, a preposition: not "Creative
Suite 6", "regression suite 4") and not with a year; no count after the number ("apartment 2 bedrooms").
"Flat", "unit", "level", "floor" and "room" alone are ordinary words ("a flat 20 fee", "unit 5 of the course",
"level 3 support") and are left to the block rules.
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from processors.pii.recognizer_base import TextRecognizer
from processors.pii.recognizers import COUNT_AFTER

__all__ = ["UnitRecognizer"]

_UNIT = re.compile(
    r"(?<![\w.-])(?P<word>(?i:apt|apto|appt)\.|Apt|APT|apt(?=[ \t]*\d)|"
    r"(?i:apartment|appartement|apartamento|appartamento|wohnung|suite)|(?i:ste)\.)"
    r"[ \t]*(?:(?i:no|nr|n[º°])\.?[ \t]*|#[ \t]*)?(?P<number>\d{1,5}[a-zA-Z]?)(?![\w%²]|[.,]\d)"
)
_SUITE_AFTER = re.compile(r"(?:^|[\n,;:(]|(?i:\b(?:to|at|in|into|from|is|of|our|my|new))|(?<![\w.])[-–])[ \t]*$")
"""Where "suite" starts an address part: a line start, a comma or colon, or a preposition ("moved to suite 790",
"Acme Tower, Suite 400"). After a noun it is a product or test suite ("regression suite 4", "office suite 365",
"Creative Suite 6")."""
_COUNT_AFTER = re.compile(r"[ \t]*(?i:beds?|bedrooms?|bedroom|rooms?|adults?|guests?|children|kids|people|persons?|"
                          r"users?|seats?|modules?|tests?|m2|sqm|sq\.?[ \t]?m|square)\b")
"""A count after the number: "apartment 2 bedrooms", "suite 2 adults", "apartment 60 m2"."""
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
            if COUNT_AFTER.match(text, m.end()) or _COUNT_AFTER.match(text, m.end()):
                continue  # "apartment 2 weeks ago", "apartment 2 bedrooms" are no unit numbers
            if m["word"] in ("suite", "Suite", "SUITE", "apt") and (
                    _YEAR.fullmatch(m["number"]) or not _SUITE_AFTER.search(text, max(0, m.start() - 40), m.start())):
                continue
            out.append(self.result(self.ENTITY, m.start(), m.end(), self.SCORE))
        return out
