"""spaCy's PERSON spans, with those the small English model gets wrong on tickets left out.

The model is the only one available offline, so it reads German, French and Spanish tickets too, and there
it calls ordinary words people ("Laut Sendungsverfolgung", "zugestellt", "mein router", "Herren"). On
English tickets it takes codes and acronyms for names ("WAN IP", "ERR_CONNECTION_RESET", "Gen 4") and some
product words ("Safari", "Email"). Measured on the development templates of the ticket corpus
(benchmarks/pii_ticket_corpus.py), these were most of the stage's false redactions. A span is kept when
- it has no digit or underscore and is not made only of all-capital words (acronyms);
- in text that does not read as English (`unknown_words.english_share`), every word is capitalised and one is
  a given name or surname of the lexicons ("Gregor Zauner"): other names there are left to the lexicon,
  title and greeting rules, which work in every language;
- a single English word ("Safari", "Care") is a lexicon name too ("Heather", "Crystal" stay), and a single word
  is not a function word of another language ("Mein", "Sie").
"""

from __future__ import annotations

import re
from functools import cache

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import SpacyRecognizer

from processors.pii.names import COMPANY_OR_ROLE, NOT_NAMES, first_names, other_languages_function_words, surnames
from processors.pii.unknown_words import MIN_ENGLISH_SHARE, english_share, english_words, is_english_word

__all__ = ["FilteredSpacyRecognizer"]

_WORD = re.compile(r"[^\W\d_][^\W\d_'’.-]*")


@cache
def _lexicon() -> frozenset[str]:
    return frozenset(n.casefold() for n in first_names() | surnames())


def _trim_greetings(text: str, start: int, end: int) -> tuple[int, int]:
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text[start:end])]
    while words and _greeting(text[start + words[0][0] : start + words[0][1]]):
        words.pop(0)
    while words and _greeting(text[start + words[-1][0] : start + words[-1][1]]):
        words.pop()
    return (start + words[0][0], start + words[-1][1]) if words else (start, start)


def _greeting(word: str) -> bool:
    w = word.strip(".,:;!?").casefold()
    return w in NOT_NAMES or w in _SIGN_OFF_WORDS


_SIGN_OFF_WORDS = frozenset({"hallo", "grüße", "gruß", "grüßen", "freundlichen", "salut", "bonjour", "hola",
                             "saludos", "ciao", "saluti", "cordiali", "groeten", "hej", "hei", "moin", "servus"})


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out, pos = [], start
    for piece in text[start:end].split("\n"):
        stripped = piece.strip()
        if stripped:
            offset = pos + piece.index(stripped)
            out.append((offset, offset + len(stripped)))
        pos += len(piece) + 1
    return out


class FilteredSpacyRecognizer(SpacyRecognizer):
    def __init__(self, model: str, **kwargs: object) -> None:
        self._model = model
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        results = super().analyze(text, entities, nlp_artifacts)
        if not any(r.entity_type == "PERSON" for r in results):
            return results
        words = english_words(self._model)
        english = not words or english_share(text, words) >= MIN_ENGLISH_SHARE
        out: list[RecognizerResult] = []
        for r in results:
            if r.entity_type != "PERSON":
                out.append(r)
                continue
            for start, end in _lines(text, r.start, r.end):  # "Beste Grüße\nGrzegorz": a name is on one line
                start, end = _trim_greetings(text, start, end)  # "Hallo Clara" -> "Clara"
                if end > start and self._plausible(text[start:end], english):
                    out.append(RecognizerResult(r.entity_type, start, end, r.score, r.analysis_explanation,
                                                r.recognition_metadata))
        return out

    def _plausible(self, span: str, english: bool) -> bool:
        if any(c.isdigit() or c == "_" for c in span):
            return False
        found = _WORD.findall(span)
        if not found or all(w.isupper() and len(w) > 1 for w in found):
            return False
        lexicon = any(w.strip(".'’").casefold() in _lexicon() for w in found)
        if len(found) == 1 and (found[0].casefold() in NOT_NAMES or (
                found[0].casefold() in other_languages_function_words() and (not english or not lexicon))):
            return False  # "Herren", "Cher", "Bien" in a salutation; "Mein Passwort: ...", "Sie"
        if not lexicon and all(w.islower() for w in found):
            return False  # "helo", "pls help"
        if COMPANY_OR_ROLE.search(span):
            return False  # "Castellana Seguros S.L.", "Bravura Consulting"
        if not english:
            return lexicon and all(w[:1].isupper() for w in found)
        words = english_words(self._model)
        return not (len(found) == 1 and not lexicon and words and is_english_word(found[0], words))
