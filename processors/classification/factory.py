"""Build the classification stage from global options and the tenants' `classification:` blocks.

`streams/stages.py` fills `ClassificationOptions` from Settings; this module knows the constructors.
With no LLM configured the stage runs the local model alone, exactly as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from processors.classification.backend import ClassifierBackend
from processors.classification.cascade import CascadeBackend, RoutingPolicy
from processors.classification.config import (
    DEFAULT_PRICES,
    DEFAULT_THRESHOLDS,
    Budget,
    LlmLimits,
    PriceTable,
    ResolvedTaxonomy,
    TenantClassification,
    parse_tenant_classification,
)
from processors.classification.llm_backend import LlmBackend, LlmTransport, TenantLlmPolicy
from processors.classification.local_model import LocalClassifier
from processors.classification.stage import ClassificationStage


class ClassificationOptions(BaseModel):
    """Process-wide classification options (the `TICKETSTREAM_*` classification settings)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    llm: Literal["auto", "none", "anthropic", "openai_compatible"] = "auto"
    anthropic_api_key: str | None = None
    anthropic_base_url: str | None = None
    anthropic_model: str = "claude-haiku-4-5"
    openai_base_url: str | None = None
    openai_api_key: str | None = None
    openai_model: str = "default"
    openai_response_format: Literal["json_schema", "json_object"] = "json_schema"
    max_tokens: int = Field(default=512, ge=16)
    connect_timeout_s: float = Field(default=5.0, gt=0)
    limits: LlmLimits = Field(default_factory=LlmLimits)
    prices: dict[str, dict[str, float]] = Field(default_factory=lambda: dict(DEFAULT_PRICES))
    thresholds: dict[str, float] = Field(default_factory=lambda: dict(DEFAULT_THRESHOLDS))
    local_languages: list[str] = Field(default_factory=lambda: ["en"])
    default_budget: Budget = Field(default_factory=Budget)
    artifact_dir: Path | None = None

    def chosen_llm(self) -> str:
        if self.llm != "auto":
            return self.llm
        if self.anthropic_api_key:
            return "anthropic"
        if self.openai_base_url:
            return "openai_compatible"
        return "none"


def build_transport(options: ClassificationOptions) -> LlmTransport | None:
    chosen = options.chosen_llm()
    if chosen == "anthropic":
        from processors.classification.anthropic_backend import AnthropicTransport

        if not options.anthropic_api_key:
            raise ValueError("TICKETSTREAM_CLASSIFICATION_LLM=anthropic needs TICKETSTREAM_ANTHROPIC_API_KEY")
        return AnthropicTransport(options.anthropic_api_key, options.anthropic_model, max_tokens=options.max_tokens,
                                  base_url=options.anthropic_base_url, connect_timeout_s=options.connect_timeout_s)
    if chosen == "openai_compatible":
        from processors.classification.openai_backend import OpenAICompatibleTransport

        if not options.openai_base_url:
            raise ValueError("TICKETSTREAM_CLASSIFICATION_LLM=openai_compatible needs TICKETSTREAM_OPENAI_BASE_URL")
        return OpenAICompatibleTransport(options.openai_base_url, options.openai_model, api_key=options.openai_api_key,
                                         max_tokens=options.max_tokens, connect_timeout_s=options.connect_timeout_s,
                                         response_format=options.openai_response_format)
    return None


def build_classification_stage(
    options: ClassificationOptions,
    tenants: Mapping[str, Any] | None = None,
    *,
    transport: LlmTransport | None = None,
    local: LocalClassifier | None = None,
) -> ClassificationStage:
    """The stage with a cascade (local + LLM) or the local model alone; `transport` overrides options."""
    local = local or LocalClassifier.load(options.artifact_dir)
    local_labels = {f: local.labels(f) for f in local.fields}
    configs = parse_tenant_classification(tenants or {})
    default_cfg = TenantClassification(budget=options.default_budget)
    transport = transport if transport is not None else build_transport(options)

    def taxonomy_of(tenant: str, cfg: TenantClassification) -> ResolvedTaxonomy:
        try:
            return ResolvedTaxonomy.resolve(cfg.taxonomy, local_labels, cfg.taxonomy_version)
        except ValueError as exc:
            raise ValueError(f"tenants.{tenant}.classification.taxonomy: {exc}") from exc

    resolved = {tenant: taxonomy_of(tenant, cfg) for tenant, cfg in configs.items()}
    default_taxonomy = taxonomy_of("<default>", default_cfg)

    def routing(cfg: TenantClassification) -> RoutingPolicy:
        languages = cfg.local_languages if cfg.local_languages is not None else options.local_languages
        return RoutingPolicy(mode=cfg.mode, thresholds={**options.thresholds, **cfg.thresholds},
                             local_languages=frozenset(languages), fill_unknown_fields=cfg.fill_unknown_fields)

    def llm_policy(tenant: str, cfg: TenantClassification) -> TenantLlmPolicy:
        budget = cfg.budget if cfg.budget != Budget() else options.default_budget
        version = resolved[tenant].version if tenant in resolved else default_taxonomy.version
        return TenantLlmPolicy(summary=cfg.summary, budget=budget, taxonomy_version=version)

    backend: ClassifierBackend = local
    if transport is not None:
        prices = PriceTable.model_validate(options.prices)
        llm = LlmBackend(
            transport, limits=options.limits, price=prices.for_model(transport.model),
            policies={t: llm_policy(t, c) for t, c in configs.items()},
            default_policy=llm_policy("<default>", default_cfg),
        )
        backend = CascadeBackend(local, llm, policies={t: routing(c) for t, c in configs.items()},
                                 default_policy=routing(default_cfg))
    return ClassificationStage(
        backend,
        taxonomies={t: r.labels for t, r in resolved.items()},
        default_taxonomy=default_taxonomy.labels if transport is not None else {"category": (), "intent": ()},
    )
