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

from processors.pii.names import first_names, other_languages_function_words, surnames
from processors.pii.unknown_words import MIN_ENGLISH_SHARE, english_share, english_words, is_english_word

__all__ = ["FilteredSpacyRecognizer"]

_WORD = re.compile(r"[^\W\d_][^\W\d_'’.-]*")


@cache
def _lexicon() -> frozenset[str]:
    return frozenset(n.casefold() for n in first_names() | surnames())


class FilteredSpacyRecognizer(SpacyRecognizer):
    def __init__(self, model: str, **kwargs: object) -> None:
        self._model = model
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        results = super().analyze(text, entities, nlp_artifacts)
        persons = [r for r in results if r.entity_type == "PERSON"]
        if not persons:
            return results
        words = english_words(self._model)
        english = not words or english_share(text, words) >= MIN_ENGLISH_SHARE
        return [r for r in results if r.entity_type != "PERSON" or self._plausible(text[r.start:r.end], english)]

    def _plausible(self, span: str, english: bool) -> bool:
        if any(c.isdigit() or c == "_" for c in span):
            return False
        found = _WORD.findall(span)
        if not found or all(w.isupper() and len(w) > 1 for w in found):
            return False
        lexicon = any(w.strip(".'’").casefold() in _lexicon() for w in found)
        if not english:
            return lexicon and all(w[:1].isupper() for w in found)
        if len(found) == 1 and not lexicon and found[0].casefold() in other_languages_function_words():
            return False  # "Mein Passwort: ...", "Sie"
        words = english_words(self._model)
        return not (len(found) == 1 and not lexicon and words and is_english_word(found[0], words))
