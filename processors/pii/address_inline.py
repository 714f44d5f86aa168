"""Postal addresses written on one line and anchored by their postcode, or as a street with no house number.

`AddressBlockRecognizer` starts from a street line of a known shape. Tickets also give addresses as a comma
list whose street part has no street-type word anyone listed ("Urbanización Agustina Rivera 37, Valencia,
18571", "22 Jones Bridge, Brandifort, SA, 2653", "Flat 66, Fuller Fields, West Leighport, EC11 3QE") and French
or Italian streets without a number above their postcode line ("rue Martin\\n26905 Boucherville"). What makes
these an address is the postcode at the end: a comma list that ends in a postcode (with its place before or
after it), and whose first part is a house number with words, a unit ("Flat 66") or a street-type word, is
an address. Parts holding English function words ("I paid 30, then 12345 ...") are not address parts.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.lang.en.stop_words import STOP_WORDS

from processors.pii.address_block import _PLACE, _PLACE_WORD, _POSTCODE, _SUFFIXES
from processors.pii.recognizer_base import TextRecognizer

__all__ = ["InlineAddressRecognizer"]

_LETTERS_WORD = r"[^\W\d_][^\W\d_'’]{0,40}+(?:-[^\W\d_][^\W\d_'’]{0,40}+)*+"
_LETTERS_PLACE = rf"{_LETTERS_WORD}(?:[ \t]+{_LETTERS_WORD}){{0,3}}"
"""A place before its postcode: letters only, or the possessive word would take "-490195" of "Ratlam-490195"."""
_POSTAL_TAIL = re.compile(
    r"(?<![\w-])(?=[^\n,]{0,60}?\d)"  # cheap exit: a postcode has digits, on this line and in this part
    rf"(?:{_POSTCODE}(?:[ \t]+(?=[A-ZÀ-Þ]){_PLACE})?(?:[ \t]*\([A-Z]{{2}}\))?"  # 36-176 Białystok / 30023 (VE)
    rf"|(?=[A-ZÀ-Þ]){_LETTERS_PLACE}[ \t-]+{_POSTCODE}"  # Tahihoro 5713 / Ratlam-490195
    r"|[A-Z]{2,3}[ \t]+\d{4,5})"  # QLD 2907
    r"(?=[ \t]*(?:[,.;:!?)\]\"]|\n|$)|[ \t]+(?:around|at|on|pls|plz|please|for|before|after|until|by|asap|thanks|thx|"
    r"instead|from|and|or|y|e|et|und)\b)"
)
_HOUSE_NUMBER = re.compile(r"(?<![\w.-])\d{1,5}[a-zA-Z]?(?:[-/]\d{1,4}[a-zA-Z]?)?(?![\w-]|\.\d)|(?i:\bs/n\b)")
_DATE_PART = re.compile(r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-zäéû]*\.?"
                        r"\s+\d{1,2}(?:st|nd|rd|th)?$"
                        r"|(?i:^|\s)\d{1,2}(?:st|nd|rd|th)?\.?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|"
                        r"dec|januar|februar|märz|mai|juni|juli|oktober|dezember|janvier|février|mars|avril|juin|"
                        r"juillet|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|abril|mayo|junio|"
                        r"julio|agosto|septiembre|octubre|noviembre|diciembre)[a-zäéû]*\.?$")
_UNIT_WORDS = r"(?i:flat|apt\.?|apartment|unit|suite|studio|level|h\.?\s?no\.?|house no\.?)\s*\d"
_UNIT_PART = re.compile(rf"^{_UNIT_WORDS}")
_UNIT_ANYWHERE = re.compile(rf"(?<![^\s(,:;]){_UNIT_WORDS}")
_PREFIX_TYPED = re.compile(
    r"(?:^|\s)(?:Via|Vía|Gran Vía|(?i:rue|rúa|avenue de|boulevard|chemin|allée|impasse|quai|viale|vicolo|piazza|"
    r"corso|contrada|calle|avenida|paseo|camino|carrer|rambla|pasaje|urbanización|pasadizo|cañada|alameda|travesía|ronda|rua|"
    r"travessa|estrada|largo|ulica|ul\.|al\.|aleja|plac|os\.|strada|calea|bulevardul|rotonda))(?=\s|$)"
)
"""Street types written before the name ("rue Martin", "Urbanización Agustina Rivera 37"): the street starts there.
Lowercase "via" ("shipped via DHL") is English; the English types count only as suffixes (`_SUFFIX_TYPED`)."""
_SUFFIX_TYPED = re.compile(rf"\S[ \t]+(?:{_SUFFIXES}|Street|Avenue|Road|Lane|Drive|Court|Way|Place|Terrace|"
                           r"Boulevard|Crescent|Close|Square|Row|Walk|Trail|Highway|Parkway|Plaza|Marg|Nagar|Chowk)"
                           r"(?:[ \t]+\d[\w/-]*)?$")
"""English street suffixes, capitalised, ending the part after a name ("22 Jones Bridge", "Kumer Marg"), not
"Lake April" or "Gate 12"."""
_SENTENCE_END = re.compile(r"(?:[^\W\d_]{4}|\d)\.[ \t]$")
"""A period after a word of 4+ letters or a number, then a space: "Mrs. Ceri. Confirmed", not "ul. Mazurska"."""
_LOWER_WORD = re.compile(r"(?<![\w.-])[a-zß-ÿ][^\W\d_]+(?![\w.])")
_PARTICLES = frozenset({"de", "la", "del", "di", "da", "du", "van", "von", "der", "den", "le", "las", "los", "y"})
_YEAR = re.compile(r"(?:19|20)\d\d")
_CAPITALISED_WORD = re.compile(r"\b[A-ZÀ-Þ][^\W\d_]+")
_PART_WORD = re.compile(r"(?<![\d])[^\W\d_]{2,}")
_STOP = frozenset(w.casefold() for w in STOP_WORDS) - {"de", "la", "del", "di", "da", "du", "van", "von", "der",
                                                         "via"}
_CUE_BEFORE = re.compile(r"(?:^|[\s,:;(>])$")
_STREET_ONLY_LINE = re.compile(
    rf"(?m)^[ \t]*(?P<street>(?i:rue|avenue|boulevard|chemin|allée|impasse|place|quai|route|via|viale|piazza|"
    rf"corso|calle|avenida|paseo|camino|rua|travessa|estrada|strada|ulica|ul\.)[ \t]+{_PLACE_WORD}"
    rf"(?:[ \t]+{_PLACE_WORD}){{0,4}})[ \t]*,?[ \t]*\n[ \t]*{_POSTCODE}[ \t]+{_PLACE}[ \t]*$"
)
"""A street without a house number ("rue Martin", "boulevard Madeleine Muriset") above its postcode line."""


class InlineAddressRecognizer(TextRecognizer):
    ENTITY = "STREET_ADDRESS"
    SCORE = 0.7

    def __init__(self, is_word: Callable[[str], bool], supported_language: str = "en") -> None:
        super().__init__(supported_language=supported_language)
        self._is_word = is_word

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        if not any(c.isdigit() for c in text):
            return []
        out = [self.result(self.ENTITY, m.start("street"), m.end(), self.SCORE)
               for m in _STREET_ONLY_LINE.finditer(text)]
        for tail in _POSTAL_TAIL.finditer(text):
            if _YEAR.fullmatch(tail.group()):
                continue  # "Office 2021", "Sprint 14, 2024": a year, not a postcode alone
            start = self._street_start(text, tail.start(), tail.end())
            if start is not None:
                out.append(self.result(self.ENTITY, start, tail.end(), self.SCORE))
        return out

    def _street_start(self, text: str, postal_start: int, postal_end: int) -> int | None:
        """Walk back over up to four comma parts before the postcode part to a street part; None if there is none.
        A part may begin with words of the sentence ("was delivered to Unit 88 5 Walker Spur"): the street part
        is what follows its last English function word, and no part further left is looked at."""
        before = text[:postal_start].rstrip(" \t")
        tail = text[postal_start:postal_end]
        strong_tail = not re.search(r"(?<!\d)(?:19|20)\d\d$", tail) and not any(  # not "Berlin 2024"
            self._is_word(w) for w in re.findall(r"[^\W\d_]{3,}", tail))  # nor "Model 2419", "Invoice 48213"
        for _ in range(4):
            if not before.endswith(","):
                return None
            part_end = len(before) - 1
            part_start = part_end
            while (part_start > 0 and text[part_start - 1] not in ",\n;:!?()[]\"“”«»" and part_end - part_start < 60
                   and not _SENTENCE_END.search(text, max(0, part_start - 8), part_start)):
                part_start -= 1  # a part ends at a comma, a line or a sentence ("Mrs. Ceri. Confirmed ...")
            stops = [w.end() for w in _PART_WORD.finditer(text, part_start, part_end) if w.group().casefold() in _STOP]
            street_start = max(stops, default=part_start)
            typed = (_PREFIX_TYPED.search(text, street_start, part_end)
                     or _UNIT_ANYWHERE.search(text, street_start, part_end))
            if typed is not None:  # "... de facturation pour avenue de Grégoire": the street starts at its type
                street_start = typed.start() + (len(typed.group()) - len(typed.group().lstrip()))
            else:  # "Confirmed new delivery address Peiters Allé 77": it starts after the sentence's last word
                lower = [w.end() for w in _LOWER_WORD.finditer(text, street_start, part_end)
                         if w.group() not in _PARTICLES]
                street_start = max(lower, default=street_start)
            street = text[street_start:part_end]
            lead = street_start + len(street) - len(street.lstrip())
            numbered = strong_tail and _NUMBERED_NAME.fullmatch(street.strip()) is not None
            if _street_like(street.strip(), self._is_word) or numbered:
                return self._unit_before(text, part_start, lead) if not stops else lead
            if stops:
                return None
            before = text[:part_start].rstrip(" \t")
        return None


    @staticmethod
    def _unit_before(text: str, part_start: int, lead: int) -> int:
        """"Flat 66, Fuller Fields, ...": a unit part right before the street belongs to the address."""
        before = text[:part_start].rstrip(" \t")
        if not before.endswith(","):
            return lead
        start = max(before.rfind("\n", 0, len(before) - 1), before.rfind(",", 0, len(before) - 1),
                    before.rfind("(", 0, len(before) - 1), before.rfind(":", 0, len(before) - 1)) + 1
        unit = _UNIT_ANYWHERE.search(text, start, len(before) - 1)
        if unit is None or not re.fullmatch(r"[\w/-]*[ \t]*", text[unit.end() : len(before) - 1]) \
                or len(before) - start > 40:
            return lead
        return unit.start() + len(unit.group()) - len(unit.group().lstrip())


_NUMBERED_NAME = re.compile(
    r"\d{1,5}[a-zA-Z]?(?:/\d{1,4}[a-zA-Z]?)?[ \t]+[A-ZÀ-Þ][^\W\d_]+(?:[ \t]+[A-ZÀ-Þ][^\W\d_]+){1,2}")
"""A house number and two or three capitalised words as the first part of a comma list that ends in a postcode:
"70447 Turner Divide, North Ashleymouth, NJ 78048", "4/3 Collier Brace, East Barbara ACT 2907" — street names
of ordinary words, which `_street_like` alone does not take."""


def _street_like(part: str, is_word: Callable[[str], bool]) -> bool:
    """A unit ("Flat 66"), a street-type word, or a house number with a capitalised word English does not know
    ("Berntsentjernet 04A", not "Windows 11" or "Item 7"); not a date ("Aug 26", "15 Dec")."""
    if not part or _DATE_PART.search(part):
        return False
    if _UNIT_PART.match(part) or _PREFIX_TYPED.search(part) or _SUFFIX_TYPED.search(part):
        return True
    return _HOUSE_NUMBER.search(part) is not None and any(
        not is_word(w) for w in _CAPITALISED_WORD.findall(part))
