"""Which texts spaCy's NER has to read: only those with a word that could be a name.

NER is most of the stage's CPU time. A text needs it when some capitalised word is not a function or
greeting word ("I", "Please", "Thanks" are not names), or, in a text typed in lowercase, when some word is a
given name of the lexicon (the model also finds "michael" or "joshua" there). The rest — about a quarter
of tickets — is only tokenized (lemmas for the context words of Presidio's recognizers are made when needed).
"""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

__all__ = ["may_hold_name"]

_CAPITALISED = re.compile(r"(?<![\w'’-])[A-ZÀ-ÖØ-Þ][^\W\d_]*")
_WORD = re.compile(r"[^\W\d_]+")
NEVER_NAMES = frozenset(w.casefold() for w in STOP_WORDS) | {
    "hi", "hello", "hey", "dear", "thanks", "thank", "please", "sorry", "yes", "no", "ok", "okay", "regards",
}  # fmt: skip


def may_hold_name(text: str, given_names: frozenset[str] = frozenset()) -> bool:
    """True when a capitalised word of `text` is not a function or greeting word, or a word is in `given_names`
    (lowercased)."""
    if any(m.group().casefold() not in NEVER_NAMES for m in _CAPITALISED.finditer(text)):
        return True
    return not given_names.isdisjoint(w.casefold() for w in _WORD.findall(text))
