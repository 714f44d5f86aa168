"""Names nobody listed: a capitalised word that English does not know, in text that reads as English.

The name lexicons (names.py) and spaCy's small model both miss rare given names and surnames — "Avtorhan",
"Czarnecki", "Mimount" — which are exactly the ones no list will ever hold. What such words have in common
is that they are capitalised and are not English words. English here is WordNet's word index and its
irregular forms, which the spaCy English model ships in its lemmatizer tables (so nothing is downloaded),
plus spaCy's stop words; a few suffix rules cover regular inflections ("Refunds", "Shipped").

A capitalised unknown word is taken for a name (score 0.55) unless
- the text does not read as English (under 75% of its lowercase words are English words): in German every
  noun is capitalised, in Spanish or Polish most words are unknown, and the rule would redact half the text;
- spaCy's NER calls the word part of a product, work of art, event, law, amount or date;
- it is CamelCase, all capitals or holds a digit ("GitHub", "HTTP", "Win11" never match the word pattern),
  part of a domain, path or e-mail address ("Example.com"), or a common product and software name;
- it directly names a kind of thing on a ticket ("Freemium account", "Pro plan", "Acme app"), or follows a
  possessive determiner ("my Freemium", "Mein Passwort");
- it is a function word of another European language (spaCy's stop words: "Bitte", "Votre"), one letter
  away from an English word or two English words run together (typos: "Recieved", "Ehlp", "Ihave"), or
  shorter than four letters;
In text typed without any capital letter the same holds for lowercase words of 4+ letters ("why is yulan so
impulsive?"), with typos judged from 4 letters (lowercase typing has many) and at least three other words
to judge the language by. Product and vendor names a tenant talks about go in its allow-list
(`TenantPiiConfig.allow_list`).
"""

from __future__ import annotations

import logging
import re
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.lookups import Lookups
from spacy.util import get_package_path, is_package

from processors.pii.names import CAP_WORD, other_languages_function_words
from processors.pii.recognizer_base import TextRecognizer

__all__ = ["UnknownWordNameRecognizer", "english_share", "english_words", "is_english_word", "near_english",
           "not_names"]

log = logging.getLogger(__name__)

SCORE = 0.55
MIN_ENGLISH_SHARE = 0.75
MIN_CHARS = 4
"""Shorter capitalised words are left alone: sentence-initial typos ("Hw", "Acn") far outnumber rare 3-letter
names, and common short names are in the lexicons."""
_SHORT_FUNCTION_WORDS = (frozenset(w for w in STOP_WORDS if len(w) <= 2 and w.isalpha()) - {"ca", "re"}
                         | {"u", "ur"})  # "ca", "re": halves of "ca n't", "'re" in spaCy's list
_NOT_NAME_LABELS = frozenset({"PRODUCT", "WORK_OF_ART", "EVENT", "LANGUAGE", "LAW", "MONEY", "QUANTITY", "DATE",
                              "TIME"})
"""spaCy labels that overrule the rule. Not ORG, GPE, LOC, FAC or NORP: the small model gives those labels to
many rare names ("Czarnecki is from ..."); vetoing them cost 0.5-1.1 points of recall on the development
split of the evaluation file, for companies and places that are often worth redacting anyway."""
_WORD = re.compile(rf"(?<![\w@./\\-])({CAP_WORD})(?![\w@/\\-]|\.\w)")
_ANY_WORD = re.compile(r"[^\W\d_]+")
_CAPITAL = re.compile(r"[A-ZÀ-ÖØ-Þ]")
_CASELESS_WORD = re.compile(r"(?<![\w@./\\-])([^\W\d_]{4,})(?:['’]s)?(?![\w@/\\-]|\.\w)")
MIN_CASELESS_CONTEXT = 3
_LOWER_WORD = re.compile(r"(?<![\w'’-])(?:(?![A-ZÀ-Þ])[^\W\d_]){2,}(?![\w'’-])")
"""A lowercase word in any Latin script ("arrivé" counts too: accented words are rarely English)."""
_CONTRACTION = re.compile(r"['’](?:s|m|d|re|ll|ve|t)$")
_INFLECTIONS = (("s", ""), ("es", ""), ("ies", "y"), ("ed", ""), ("ed", "e"), ("ied", "y"), ("ing", ""),
                ("ing", "e"), ("ly", ""), ("er", ""), ("ers", ""), ("est", ""), ("ness", ""), ("less", ""),
                ("able", ""), ("able", "e"))
_AFTER_POSSESSIVE = re.compile(
    r"(?i:\b(?:my|your|our|their|its|mein|meine|meinen|meinem|dein|deine|unser|unsere|ihr|ihre|mon|ma|mes|ton|"
    r"ta|notre|votre|nos|vos|leur|mi|mis|tu|tus|su|sus|nuestro|nuestra|mio|mia|miei|mie|tuo|tua|nostro|nostra|"
    r"vostro|vostra|mijn|jouw|uw|onze|hun|meu|minha|seu|sua|nosso|nossa)\s+)$")
"""A possessive determiner before the word: "my Freemium", "Mein Passwort", "votre Kundenkonto" — after one
comes a thing, not a person's name ("her"/"his" are left out: "her Ngozika" is unusual, "his" ambiguous)."""
LEGAL_FORM = (r"(?:GmbH|AG|S\.?L\.?|S\.?A\.?|SARL|SAS|BV|B\.V\.|NV|Oy|AB|AS|A/S|Ltd\.?|LLC|Inc\.?|Corp\.?|PLC|plc|"
              r"Pty|KG|Srl|S\.r\.l\.|SpA|S\.p\.A\.)(?![\w])")
"""Legal forms of companies: "Castellana Seguros S.L.", "Ironbridge GmbH" are not people."""
_BEFORE_LEGAL_FORM = re.compile(rf"(?:[ \t]+{CAP_WORD}){{0,3}},?[ \t]+{LEGAL_FORM}")
_THING = re.compile(r"\s+(?:account|acount|accounts|plan|plans|subscription|subscriptions|app|apps|application|"
                    r"version|versions|edition|tier|card|cards|membership|package|licen[cs]e|server|servers|api|"
                    r"integration|plugin|extension|store|shop|product|products|service|services|platform|portal|"
                    r"dashboard|login|profile|order|orders|invoice|invoices|payment|payments|device|devices|"
                    r"router|update|updates|release|settings|page|site|website|feature|features|module|"
                    r"workspace|instance|cluster|bucket|repository|repo|project|tool|widget|bot)\b")


@cache
def english_words(model: str) -> frozenset[str]:
    """WordNet's word index and irregular forms from `model`'s lemmatizer tables, and spaCy's stop words."""
    words = {w.casefold() for w in STOP_WORDS}
    tables = _lookups_dir(model)
    if tables is None:
        log.warning("spaCy model %s has no lemmatizer tables: unknown-word names are not recognised", model)
        return frozenset()
    lookups = Lookups().from_disk(tables)
    for table in ("lemma_index", "lemma_exc"):
        if lookups.has_table(table):
            for entries in lookups.get_table(table).values():
                words |= {w.casefold() for w in (entries if isinstance(entries, list) else entries.keys())}
    return frozenset(words | _known_words())


@cache
def words_beyond_nouns(model: str) -> frozenset[str]:
    """English words that are verbs, adjectives or adverbs too ("mark", "bill", "sue", "young"), and stop words.

    WordNet holds famous people's surnames as nouns ("robinson", "holmes", "schulz"), so being English says
    little about a lowercase name; being a verb or an adjective as well says it is a word of everyday text."""
    words = {w.casefold() for w in STOP_WORDS}
    tables = _lookups_dir(model)
    if tables is None:
        return frozenset(words)
    index = Lookups().from_disk(tables).get_table("lemma_index")
    for pos in ("verb", "adj", "adv"):
        words |= {w.casefold() for w in index.get(pos, [])}
    return frozenset(words)


@cache
def not_names(model: str) -> frozenset[str]:
    """Words never taken for a name: English ones and the function words of other languages. Only English ones
    decide whether a text reads as English."""
    english = english_words(model)
    return english | other_languages_function_words() if english else english


@cache
def _known_words() -> frozenset[str]:
    text = resources.files("processors.pii").joinpath("data", "known_words.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().casefold() for line in text.splitlines() if line.strip() and line[0] != "#")


def _lookups_dir(model: str) -> Path | None:
    base = Path(model) if Path(model).is_dir() else (get_package_path(model) if is_package(model) else None)
    if base is None:
        return None
    found = sorted(base.glob("**/lemmatizer/lookups/lookups.bin"))
    return found[0].parent if found else None


def is_english_word(word: str, words: frozenset[str]) -> bool:
    """`word` or its regular base form is in `words` ("Refunds" → refund, "Shipped" → ship)."""
    return _form(_CONTRACTION.sub("", word.casefold()), words)


MAX_NAME_CHARS = 30
"""Longer letter runs (pasted keys, "AAAA…") are no names."""


def near_english(word: str, words: frozenset[str], edit_from: int = 7) -> bool:
    """Two English words run together ("Ihave", "Helpme", "Wannarestore"), or, from `edit_from` letters, one
    letter away from an English word ("Recieved", "Moidfy"): a typo, not a name. Shorter names often are one
    letter from a word ("Zama", "Dana"), so only sentence starts, where typos gather, check from 4 letters
    (`edit_from`); measured on the development split, checking every 4-letter word cost 0.4 points of recall."""
    return _near(word.casefold(), words, edit_from)


@lru_cache(maxsize=65536)
def _near(w: str, words: frozenset[str], edit_from: int) -> bool:
    if len(w) < MIN_CHARS or not w.isalpha():
        return False
    if len(w) > MAX_NAME_CHARS:
        return True  # no name is this long, and the checks below grow with the square of the length
    if any(_form(w[:i], words) and _form(w[i:], words) for i in range(1, len(w)) if _part(w[:i]) and _part(w[i:])):
        return True
    if len(w) < edit_from:
        return False
    # the word and its possible base forms ("suoports" → "suoport", "reimursed" → "reimurse"), each one edit off
    forms = {w} | {w[: len(w) - len(suffix)] + base for suffix, base in _INFLECTIONS
                   if w.endswith(suffix) and len(w) - len(suffix) >= 3}
    return any(one_edit_from(form, words) for form in forms)


_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")


@cache
def _gap_index(words: frozenset[str]) -> np.ndarray:
    """Sorted hashes of (i, word without its i-th letter) for every word of `words` whose i-th letter is a-z. Two
    words one letter apart at position i lose that letter to the same string, so one lookup per position finds a
    substituted or left-out letter; generating every edit of a word instead (about 54 per letter) cost 0.1-0.4
    ms per ticket on words the cache had not seen. 8 bytes per entry (~5 MB), built once per word list."""
    keys = {hash((i, w[:i] + w[i + 1 :])) for w in words for i, c in enumerate(w) if c in _ASCII_LETTERS}
    return np.sort(np.fromiter(keys, dtype=np.int64, count=len(keys)))


def one_edit_from(w: str, words: frozenset[str]) -> bool:
    """`w` is in `words` or one edit away from a word of it: a letter typed too many, two letters swapped, or an
    a-z letter left out or typed in place of another (Damerau-Levenshtein distance 1 over a-z)."""
    if w in words:
        return True
    n = len(w)
    if any(w[:i] + w[i + 1 :] in words for i in range(n)):  # a letter too many
        return True
    if any(w[:i] + w[i + 1] + w[i] + w[i + 2 :] in words for i in range(n - 1)):  # two letters swapped
        return True
    keys = np.fromiter([hash((i, w[:i] + w[i + 1 :])) for i in range(n)]  # a letter replaced at i
                       + [hash((i, w)) for i in range(n + 1)],  # a letter left out at i
                       dtype=np.int64, count=2 * n + 1)
    index = _gap_index(words)
    at = np.minimum(np.searchsorted(index, keys), len(index) - 1)
    return bool(np.any(index[at] == keys)) if len(index) else False


def _form(w: str, words: frozenset[str]) -> bool:
    """`w` (lowercase, no contraction) is a word or a regular form of one."""
    return w in words or any(w.endswith(suffix) and w[: len(w) - len(suffix)] + base in words
                             for suffix, base in _INFLECTIONS)


def _sentence_start(text: str, at: int) -> bool:
    before = text[:at].rstrip(" \t\"'“‘(")
    return not before or before[-1] in ".!?:\n"


def _part(piece: str) -> bool:
    """A piece of a run-together word: 3+ letters, or a short function word ("Helpme", "Doyou", "Ihave") —
    not any 2-letter WordNet entry, or "Mimount" would be "mi" + "mount"."""
    return len(piece) >= 3 or piece in _SHORT_FUNCTION_WORDS


def english_share(text: str, words: frozenset[str], ignore: frozenset[str] = frozenset()) -> float:
    """Share of the lowercase words of `text` that are English. Text of mostly capitalised words (a subject
    like "Rechnung Falsch Bitte Prüfen", a form) has too few lowercase words to judge by, so there every word
    counts but those in `ignore` (the candidate names, never counted). 1.0 when there is nothing to judge by
    (a bare name)."""
    found = [w for w in _LOWER_WORD.findall(text) if w not in ignore]
    if len(found) < 3 and "\n" not in text.strip():
        every = [w for w in _ANY_WORD.findall(text) if len(w) >= 2]
        if len(every) < 3:
            return 1.0
        found = [w for w in every if w not in ignore]  # the candidate names themselves do not count
        if len(found) < 2:
            return 0.0  # a line of unknown capitalised words: a heading in another language as likely as names
    if not found:
        return 1.0
    return sum(is_english_word(w, words) for w in found) / len(found)


class UnknownWordNameRecognizer(TextRecognizer):
    """PERSON for capitalised words that are not English words, in English text (see the module docstring)."""

    ENTITY = "PERSON"

    def __init__(self, model: str, supported_language: str = "en") -> None:
        self._model = model
        self._words: frozenset[str] = frozenset()
        self._not_names: frozenset[str] = frozenset()
        super().__init__(supported_language=supported_language)

    def load(self) -> None:
        self._words = english_words(self._model)
        self._not_names = not_names(self._model)
        if self._words:
            _gap_index(self._words)  # ~1.5 s once, at start-up rather than on the first ticket

    def _unknown(self, text: str, m: re.Match[str]) -> bool:
        word = m.group(1)
        if len(word.rstrip("'’s")) < MIN_CHARS or is_english_word(word, self._not_names):
            return False
        return not near_english(word, self._words, MIN_CHARS if _sentence_start(text, m.start()) else 7)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if not self._words:
            return []
        caseless = not _CAPITAL.search(text)
        if caseless:  # typed without capitals: a word English does not know, spelt out, is a name there too
            candidates = [m for m in _CASELESS_WORD.finditer(text)
                          if not is_english_word(m.group(1), self._not_names)
                          and not near_english(m.group(1), self._words, MIN_CHARS)]
        else:
            candidates = [m for m in _WORD.finditer(text) if self._unknown(text, m)]
        if not candidates:
            return []
        ignore = frozenset(m.group(1) for m in candidates)
        if caseless and sum(w not in ignore for w in _LOWER_WORD.findall(text)) < MIN_CASELESS_CONTEXT:
            return []  # too few other words to tell English text with a name from a word in another language
        if english_share(text, self._words, ignore) < MIN_ENGLISH_SHARE:
            return []
        vetoed = _non_person_entities(nlp_artifacts)
        results = []
        for m in candidates:
            start, end = m.span(1)
            if text[end - 2 : end] in ("'s", "’s"):  # the word pattern takes apostrophes in: "Ilyasova's"
                end -= 2
            if (any(s < end and start < e for s, e in vetoed) or _THING.match(text, m.end())
                    or _BEFORE_LEGAL_FORM.match(text, m.end())
                    or _AFTER_POSSESSIVE.search(text, max(0, start - 12), start)):
                continue
            results.append(self.result(self.ENTITY, start, end, SCORE))
        return results


def _non_person_entities(nlp_artifacts: NlpArtifacts | None) -> list[tuple[int, int]]:
    doc = getattr(nlp_artifacts, "tokens", None)
    ents = getattr(doc, "ents", None) or ()
    return [(e.start_char, e.end_char) for e in ents if e.label_ in _NOT_NAME_LABELS]
