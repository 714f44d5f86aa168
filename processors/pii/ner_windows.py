"""NER on the parts of a text that may hold a name, not on all of it.

spaCy's NER costs CPU per token and is most of the PII stage's time. Its entities (a name, or an
organisation or place that vetoes a name) contain a capitalised word, or a lowercase given name in text
typed in lowercase; the model decides from a few tokens around them (its CNN sees four tokens to each side).
So only windows of `WINDOW` tokens around such words are run through the model, each as its own small Doc,
and the entities found are put back on the whole text's Doc. When the windows cover most of a text, the
whole text is run as it is (splitting would save little and cut context).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from spacy.tokens import Doc, Span

from processors.pii.ner_gate import NEVER_NAMES

__all__ = ["WINDOW", "name_windows", "name_word_test", "put_back"]

WINDOW = 6
"""Tokens kept on each side of a possible name word: more than the four the model's encoder reads."""
WHOLE_WHEN = 0.9
"""Run the whole text when the windows cover at least this share of its tokens."""


def name_word_test(given_names: frozenset[str], name_words: frozenset[str],
                   is_english_word: Callable[[str], bool]) -> Callable[[str], bool]:
    """Whether a token may be (part of) a name, organisation or place: capitalised and not a function word nor
    a plain English word that is no name ("Please", "Street"); or, in lowercase, a given name of the lexicon."""

    def may_name(word: str) -> bool:
        lower = word.casefold()
        if word[:1].isupper() and any(c.isalpha() for c in word):
            return lower not in NEVER_NAMES and (lower in name_words or not is_english_word(word))
        return lower in given_names

    return may_name


def name_windows(doc: Doc, may_name: Callable[[str], bool], window: int = WINDOW) -> list[tuple[int, int]]:
    """Token ranges [start, end) to run NER on: the whole Doc, several windows, or none."""
    n = len(doc)
    spans: list[tuple[int, int]] = []
    for token in doc:
        if not may_name(token.text):
            continue
        start, end = max(0, token.i - window), min(n, token.i + window + 1)
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((start, end))
    if spans and sum(e - s for s, e in spans) >= WHOLE_WHEN * n:
        return [(0, n)]
    return spans


def put_back(doc: Doc, parts: Iterable[tuple[int, Doc]]) -> None:
    """Entities of window Docs (`offset`, window) onto `doc`, in `doc`'s token positions."""
    ents = [
        Span(doc, offset + e.start, offset + e.end, label=e.label)
        for offset, part in parts
        for e in part.ents
    ]
    doc.set_ents(ents, default="outside")
