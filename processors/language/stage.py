"""Language detection with lingua, restricted to the languages a tenant actually receives.

Restricting the candidate set is both faster and more accurate on short ticket text than asking a
detector to pick among 75 languages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder
from pydantic import BaseModel, ConfigDict, Field, field_validator

from processors.base import Failed, Ok
from schemas import DetectedTicket, LanguageResult, RedactedTicket

_PLACEHOLDER = re.compile(r"<[A-Z_]+_\d+>")
_MAX_CHARS = 2_000
"""Detection on the first characters is as accurate and keeps long e-mails cheap."""


class LanguageConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    languages: list[str] = Field(
        default=["en", "de", "fr", "es", "it", "pt", "nl"],
        min_length=2,
        description="ISO 639-1 codes the detector chooses among.",
    )

    @field_validator("languages")
    @classmethod
    def _known_codes(cls, codes: list[str]) -> list[str]:
        bad = [c for c in codes if not hasattr(IsoCode639_1, c.upper())]
        if bad:
            raise ValueError(f"unknown ISO 639-1 language codes: {', '.join(bad)}")
        return [c.lower() for c in codes]


def detection_text(ticket: RedactedTicket) -> str:
    """Subject and body without redaction placeholders, which are not words of any language."""
    text = f"{ticket.subject}\n{ticket.body}" if ticket.subject else ticket.body
    return _PLACEHOLDER.sub(" ", text)[:_MAX_CHARS].strip()


class LanguageStage:
    name = "language"

    def __init__(self, config: LanguageConfig | None = None) -> None:
        self.config = config or LanguageConfig()
        languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in self.config.languages]
        self._detector: LanguageDetector = (
            LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models().build()
        )

    def process(self, batch: Sequence[RedactedTicket]) -> list[Ok[DetectedTicket] | Failed]:
        texts = [detection_text(t) for t in batch]
        to_detect = [i for i, text in enumerate(texts) if text]
        confidences = self._detector.compute_language_confidence_values_in_parallel([texts[i] for i in to_detect])
        results: dict[int, LanguageResult] = {}
        for i, values in zip(to_detect, confidences, strict=True):
            best = values[0]
            code = best.language.iso_code_639_1.name.lower()
            results[i] = LanguageResult(code=code, confidence=round(float(best.value), 4))
        out: list[Ok[DetectedTicket] | Failed] = []
        for i, ticket in enumerate(batch):
            language = results.get(i, LanguageResult(code="und", confidence=0.0))
            out.append(Ok(DetectedTicket(**dict(ticket), language=language)))
        return out
