"""Lines typed in capitals, read as if typed in ordinary case.

Names, streets and cities in "BERTRAND ANSWER YOUR PHONE!!! IT'S ABOUT ROGER" or "PICKUP – CALLE DE JACINTO
SOLERA 34, 09450 LLEIDA" escape spaCy's NER, the name lexicon and the street patterns, which all lean on
capitalisation. A line mostly in capitals is re-cased character by character, so the text keeps its length and
every offset found on it holds for the original: function words in lower case, other words capitalised;
words of up to three letters that are not function words or given names (acronyms, state codes: "TX", "SSN")
and words with digits ("4C", "H-8335") stay as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.lang.en.stop_words import STOP_WORDS

__all__ = ["is_shouting", "recase_shouting", "trim_recased_name"]

_TOKEN = re.compile(r"\S+")
_LETTERS = re.compile(r"[^\W\d_]+")
_FUNCTION_WORDS = frozenset(w.casefold() for w in STOP_WORDS)
MIN_CASED = 8
"""Fewer cased letters than this on a line ("OK", "ID: 42") is no shouting."""
MAX_WORD = 30


_ALL_BYTES = bytes(range(128))
_NOT_UPPER = bytes(b for b in _ALL_BYTES if not chr(b).isupper())
_NOT_LOWER = bytes(b for b in _ALL_BYTES if not chr(b).islower())


def _count(text: str, upper: bool) -> int:
    """Capitals (or lower-case letters) in `text`, counted in C: this runs on every text of the feed."""
    if text.isascii():
        return len(text.encode("ascii").translate(None, _NOT_UPPER if upper else _NOT_LOWER))
    return sum(map(str.isupper if upper else str.islower, text))


def is_shouting(line: str) -> bool:
    """Whether at least 80 % of the line's cased letters, and at least `MIN_CASED`, are capitals."""
    upper = _count(line, upper=True)
    return upper >= MIN_CASED and upper >= 4 * _count(line, upper=False)


def _lower(s: str) -> str:
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in s)


def _recase_word(run: str, after_apostrophe: bool, given_names: frozenset[str]) -> str:
    if len(run) > MAX_WORD:
        return run  # a pasted key or "AAAA…", no word: left as typed
    folded = _lower(run)
    if after_apostrophe or folded in _FUNCTION_WORDS:
        return folded
    if len(run) <= 3 and folded not in given_names:
        return run
    head = run[0].upper() if len(run[0].upper()) == 1 else run[0]
    return head + folded[1:]


def _recase_line(line: str, given_names: frozenset[str]) -> str:
    out = list(line)
    for token in _TOKEN.finditer(line):
        if any(c.isdigit() for c in token.group()):
            continue
        for run in _LETTERS.finditer(token.group()):
            start = token.start() + run.start()
            after_apostrophe = start > 0 and line[start - 1] in "'’"
            out[start : start + len(run.group())] = _recase_word(run.group(), after_apostrophe, given_names)
    return "".join(out)


def _reads_english(line: str, foreign: frozenset[str]) -> bool:
    """No more function words of other languages than of English: German or French in capitals ("BITTE PRÜFEN SIE
    DAS KONTO") re-cased would read as a row of names, since the NER and name rules only know English. A line of
    names and labels alone ("APPLICANT: KRISTEN ODOM") has neither and is re-cased. One foreign word is not enough:
    names are often one ("KIM" is Turkish for "who")."""
    words = [_lower(w.group()) for w in _LETTERS.finditer(line)]
    english = sum(w in _FUNCTION_WORDS for w in words)
    others = sum(w in foreign and w not in _FUNCTION_WORDS for w in words)
    return others < 2 or english >= others


def recase_shouting(text: str, given_names: frozenset[str] = frozenset(),
                    foreign: frozenset[str] = frozenset()) -> str:
    """`text` with its lines in capitals re-cased (`given_names`: lowercased given names, capitalised even when
    short, "MAX" → "Max"; `foreign`: other languages' function words, to leave their lines as typed); the same object
    when no line shouts. Always the same length as `text`."""
    if _count(text, upper=True) < MIN_CASED:
        return text  # no line can shout
    recased = "".join(
        _recase_line(line, given_names) if is_shouting(line) and _reads_english(line, foreign) else line
        for line in text.splitlines(keepends=True)
    )
    return recased if len(recased) == len(text) and recased != text else text  # `is text`: nothing re-cased


def trim_recased_name(text: str, seen: str, start: int, end: int, is_word: Callable[[str], bool],
                      is_name: Callable[[str], bool]) -> tuple[int, int]:
    """A PERSON span found on a re-cased line without its trailing English words: re-cased, "DEMETER ANSWER YOUR
    PHONE" reads "Demeter Answer Your Phone" and spaCy takes "Demeter Answer" for a full name. Words that are
    names in the lexicons ("ROSE", "HILL") stay."""
    if seen is text or seen[start:end] == text[start:end]:
        return start, end
    words = list(_LETTERS.finditer(seen, start, end))
    while len(words) > 1 and is_word(words[-1].group()) and not is_name(words[-1].group()):
        words.pop()
    return start, (words[-1].end() if words else end)
