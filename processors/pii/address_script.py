"""Postal addresses written in Cyrillic or Greek letters, in the layouts of Russia, Ukraine and Greece.

The Latin-script address rules key on Latin street types and place words. Russian and Ukrainian addresses
are regular: a street marker before the name ("ул.", "вул.", "пр.", "наб.", "ш.", always with its period, or a
whole word such as "улица"; "Проблема, 3 дня" is no street), the house after a comma
("д. 19" or "19"), the flat ("кв. 164"), the town with its marker ("г. Воронеж", "м. Львів") and a five- or
six-digit postcode, on one line with commas or on several lines, often in capitals on labels. A Greek address
is the street and number, then a "ddd dd" postcode and the town ("Ζίτσης 28, 456 97 Ιωάννινα").
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from processors.pii.recognizer_base import TextRecognizer

__all__ = ["ScriptAddressRecognizer"]

_CYR = "А-ЯЁІЇЄҐа-яёіїєґ"
_GR_UP = "Α-ΩΆΈΉΊΌΎΏΪΫ"
_GR = f"{_GR_UP}α-ωάέήίόύώϊϋΐΰς"
_PART_SEP = r"(?:,[ \t]*(?:\n[ \t]*)?|[ \t]*\n[ \t]*)"
_CYRILLIC = re.compile(
    rf"(?<![\w.])(?:(?i:ул|вул|пр|просп|пр-т|бул|б-р|ш|наб|пер|пл|алл|пр-д|туп|мкр)\."
    r"|(?i:улица|вулиця|проспект|проезд|площадь|площа|провулок|переулок|набережная|шоссе)(?=[ \t]))"
    rf"[ \t]*[{_CYR}\d][{_CYR}\w .'’«»-]{{0,60}}?"  # the street's name ("Мала Арнаутська", "70 лет Октября")
    rf",[ \t]*(?:(?i:д|буд)\.[ \t]*)?\d{{1,4}}[{_CYR}a-zA-Z]?(?:[/-]\d{{1,4}})?"  # the house
    rf"(?:,[ \t]*(?i:кв|оф|к|корп|стр)\.[ \t]*\d{{1,4}}[{_CYR}]?)*"  # flat, office, building
    rf"(?:{_PART_SEP}(?:(?i:г|м|с|смт|пгт|п|обл)\.[ \t]*[{_CYR}][{_CYR}\w .'’-]{{1,40}}?(?=[,\n.]|$)"
    r"|\d{5,6}(?!\d))){0,3}",
    re.MULTILINE,
)
_GREEK = re.compile(
    rf"(?<![\w.])(?:(?i:λεωφ|οδ|πλ)\.[ \t]*)?[{_GR_UP}][{_GR}]+(?:[ \t]+[{_GR_UP}][{_GR}.]+){{0,3}}"
    rf"[ \t]+\d{{1,4}}[{_GR}]?"
    rf",?{_PART_SEP}(?:ΤΚ[ \t]*)?\d{{3}}[ \t]?\d{{2}}[ \t]+[{_GR_UP}][{_GR}]+(?:[ \t]+[{_GR_UP}][{_GR}]+)?"
)
_GREEK_TYPED = re.compile(
    rf"(?<![\w.])(?:(?i:λεωφ|οδ|πλ|λ)\.|Λεωφόρος|Οδός|Πλατεία)[ \t]*[{_GR_UP}][{_GR}]*\.?"
    rf"(?:[ \t]+[{_GR_UP}][{_GR}]*\.?){{0,3}}[ \t]+\d{{1,4}}[{_GR}]?(?![\w])"
)
"""A Greek street with its type before the name and a house number, without a postcode: "Λεωφ. Ηρώων
Πολυτεχνείου 19", "Λεωφόρος Β. Αλεξάνδρου 189". The type makes it a street in any sentence."""
_HAS_SCRIPT = re.compile(rf"[{_CYR}{_GR}]")


class ScriptAddressRecognizer(TextRecognizer):
    ENTITY = "STREET_ADDRESS"
    SCORE = 0.75

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        if _HAS_SCRIPT.search(text) is None or not any(c.isdigit() for c in text):
            return []
        found = [m.span() for pattern in (_CYRILLIC, _GREEK) for m in pattern.finditer(text)]
        found += [m.span() for m in _GREEK_TYPED.finditer(text)
                  if not any(s <= m.start() < e for s, e in found)]  # the street of a whole address found above
        return [self.result(self.ENTITY, s, e, self.SCORE) for s, e in found]
