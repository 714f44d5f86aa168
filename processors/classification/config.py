"""Configuration of classification: per-tenant taxonomy and routing, LLM limits and prices.

Plain pydantic models so `streams/stages.py` can fill them from Settings and the tenants YAML without
processors/ importing streams/. A bad value raises `ValueError` naming the tenant and the key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from processors.classification.backend import CLASSIFY_FIELDS

DEFAULT_PRIORITY_LABELS: tuple[str, ...] = ("low", "normal", "high", "urgent")
"""Same values as `schemas.events.Priority`, so a predicted priority can go back to the helpdesk."""
DEFAULT_SENTIMENT_LABELS: tuple[str, ...] = ("negative", "neutral", "positive")

DEFAULT_THRESHOLDS: dict[str, float] = {"category": 0.6, "intent": 0.6, "priority": 0.6, "sentiment": 0.6}
"""Local confidence below which a field goes to the LLM. 0.6 routed 0.4% of the English bitext held-out
split (in-distribution, so real traffic routes more); see benchmarks/cascade_eval.py for other values."""

DEFAULT_PRICES: dict[str, dict[str, float]] = {
    # USD per million tokens: input, output, cache read, cache write (5-minute TTL). Check current prices.
    "claude-haiku-4-5": {"input": 1.0, "output": 5.0, "cache_read": 0.10, "cache_write": 1.25},
    "claude-sonnet-4-5": {"input": 3.0, "output": 15.0, "cache_read": 0.30, "cache_write": 3.75},
    "claude-opus-4-1": {"input": 15.0, "output": 75.0, "cache_read": 1.50, "cache_write": 18.75},
}

BATCH_PRICE_FACTOR = 0.5
"""Anthropic's Message Batches bill all usage (input, output, cache reads and writes) at 50% of the
standard price, so a batch call is priced from the same table times this factor."""

_LABEL_PATTERN = r"^[A-Za-z0-9_.:-]{1,64}$"


class ModelPrice(BaseModel):
    """USD per million tokens."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    input: float = Field(ge=0)
    output: float = Field(ge=0)
    cache_read: float = Field(default=0.0, ge=0)
    cache_write: float = Field(default=0.0, ge=0)

    def cost_usd(self, input_tokens: int, output_tokens: int, cache_read: int = 0, cache_write: int = 0, *,
                 batch: bool = False) -> float:
        """Anthropic reports cache reads and writes apart from `input_tokens`, so the four add up.

        `batch`: the call ran in a Message Batch, billed at `BATCH_PRICE_FACTOR` of the standard price.
        """
        standard = (
            input_tokens * self.input
            + output_tokens * self.output
            + cache_read * self.cache_read
            + cache_write * self.cache_write
        ) / 1_000_000
        return standard * BATCH_PRICE_FACTOR if batch else standard


class Budget(BaseModel):
    """A tenant's daily LLM allowance (UTC day). Either limit, both or none."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    daily_usd: float | None = Field(default=None, ge=0)
    daily_tokens: int | None = Field(default=None, ge=0)


class TenantClassification(BaseModel):
    """The `classification:` block of one tenant in the tenants YAML.

    `taxonomy` maps a field to its allowed labels; an empty list means "the local model's labels"
    (category, intent) or the defaults (priority, sentiment). A field not listed is not classified.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    mode: Literal["local", "cascade"] = "cascade"
    taxonomy: dict[str, list[str]] = Field(default_factory=lambda: {f: list[str]() for f in CLASSIFY_FIELDS})
    taxonomy_version: str | None = Field(default=None, max_length=64)
    thresholds: dict[str, float] = Field(default_factory=dict)
    local_languages: list[str] | None = None
    """Languages the local model may decide alone; others go to the LLM whatever their confidence.
    None = the global setting."""
    fill_unknown_fields: Literal["when_routed", "always"] = "when_routed"
    """Fields the local model cannot answer (priority, sentiment): ask the LLM only when the ticket goes
    to it anyway (`when_routed`, cheap) or on every ticket (`always`, every ticket costs a call)."""
    summary: bool = True
    """Ask the LLM for a one-line summary whenever it is called."""
    budget: Budget = Field(default_factory=Budget)

    @field_validator("taxonomy")
    @classmethod
    def _check_taxonomy(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        import re

        for name, labels in value.items():
            if name not in CLASSIFY_FIELDS:
                raise ValueError(f"unknown field {name!r} (fields: {', '.join(CLASSIFY_FIELDS)})")
            for label in labels:
                if not re.match(_LABEL_PATTERN, str(label)):
                    raise ValueError(f"label {label!r} of field {name!r} must match {_LABEL_PATTERN}")
            if len(set(labels)) != len(labels):
                raise ValueError(f"field {name!r} lists a label twice")
        for required in ("category", "intent"):
            if required not in value:
                raise ValueError(f"field {required!r} is required")
        return value

    @field_validator("thresholds")
    @classmethod
    def _check_thresholds(cls, value: dict[str, float]) -> dict[str, float]:
        for name, threshold in value.items():
            if name not in CLASSIFY_FIELDS:
                raise ValueError(f"threshold for unknown field {name!r}")
            if not 0.0 <= threshold <= 1.01:
                raise ValueError(f"threshold of {name!r} must be in [0, 1.01] (1.01 = always ask the LLM)")
        return value


class ResolvedTaxonomy(BaseModel):
    """A tenant's taxonomy with every label list filled in, and a version that changes with it."""

    model_config = ConfigDict(frozen=True)

    labels: dict[str, tuple[str, ...]]
    version: str

    @classmethod
    def resolve(
        cls,
        taxonomy: Mapping[str, Sequence[str]],
        local_labels: Mapping[str, Sequence[str]],
        version: str | None = None,
    ) -> ResolvedTaxonomy:
        labels: dict[str, tuple[str, ...]] = {}
        for name, given in taxonomy.items():
            if given:
                labels[name] = tuple(given)
            elif name in local_labels:
                labels[name] = tuple(local_labels[name])
            elif name == "priority":
                labels[name] = DEFAULT_PRIORITY_LABELS
            elif name == "sentiment":
                labels[name] = DEFAULT_SENTIMENT_LABELS
            else:
                raise ValueError(f"field {name!r} has no labels and the local model has none for it")
        if version is None:
            digest = hashlib.sha256(json.dumps(labels, sort_keys=True).encode()).hexdigest()[:12]
            version = f"tx-{digest}"
        return cls(labels=labels, version=version)


class LlmLimits(BaseModel):
    """Resilience knobs of one LLM backend."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_concurrency: int = Field(default=8, ge=1, le=256)
    rate_per_s: float = Field(default=20.0, gt=0)
    burst: int = Field(default=20, ge=1)
    max_attempts: int = Field(default=3, ge=1, le=10)
    backoff_base_s: float = Field(default=0.5, ge=0)
    backoff_max_s: float = Field(default=20.0, ge=0)
    request_timeout_s: float = Field(default=20.0, gt=0)
    batch_deadline_s: float = Field(default=45.0, gt=0)
    """Longest a stage batch waits for its LLM calls; what is not back by then keeps the local result."""
    breaker_failures: int = Field(default=5, ge=1)
    breaker_cooldown_s: float = Field(default=30.0, ge=0)
    dedup_window_s: float = Field(default=600.0, ge=0)
    dedup_max_entries: int = Field(default=10_000, ge=0)


def parse_tenant_classification(tenants: Mapping[str, Any]) -> dict[str, TenantClassification]:
    """The `classification:` block of every tenant that has one; errors name the tenant and key."""
    out: dict[str, TenantClassification] = {}
    for tenant, cfg in tenants.items():
        if not isinstance(cfg, Mapping) or "classification" not in cfg:
            continue
        try:
            out[str(tenant)] = TenantClassification.model_validate(cfg["classification"] or {})
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or '<block>'}: {err['msg']}"
                for err in exc.errors(include_input=False, include_url=False)
            )
            raise ValueError(f"tenants.{tenant}.classification: {problems}") from exc
    return out


class PriceTable(BaseModel):
    """Prices per model name; a model without a price is an error when a USD budget needs one."""

    model_config = ConfigDict(frozen=True)

    prices: dict[str, ModelPrice] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _wrap(cls, value: Any) -> Any:
        if isinstance(value, Mapping) and "prices" not in value:
            return {"prices": dict(value)}
        return value

    def for_model(self, model: str) -> ModelPrice | None:
        return self.prices.get(model)
