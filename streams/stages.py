"""Builds the configured stages from settings: the one place that knows every stage's constructor."""

from __future__ import annotations

from typing import Any

from processors.base import Stage
from processors.chain import StageChain
from processors.outbound_planner import OutboundPlanner
from streams.app import StageBuilders
from streams.settings import Settings


def build_pii(settings: Settings) -> Stage[Any, Any]:
    import os

    from processors.pii import PiiConfig, PiiStage, load_tenant_configs
    from streams.settings import SettingsError

    try:
        tenants = load_tenant_configs(settings.load_tenants(), os.environ)
    except ValueError as exc:  # names the tenant and setting; secrets are never echoed
        raise SettingsError(f"TICKETSTREAM_TENANTS_FILE: {exc}") from None
    return PiiStage(PiiConfig(), tenants)


def build_language(settings: Settings) -> Stage[Any, Any]:
    from processors.language import LanguageConfig, LanguageStage, tenant_configs
    from streams.settings import SettingsError

    try:
        base = LanguageConfig(languages=settings.languages)
    except ValueError as exc:
        raise SettingsError(f"TICKETSTREAM_LANGUAGES (languages): {exc}") from exc
    try:
        tenants = tenant_configs(base, settings.load_tenants())
    except ValueError as exc:
        if isinstance(exc, SettingsError):
            raise
        raise SettingsError(f"TICKETSTREAM_TENANTS_FILE: {exc}") from exc
    return LanguageStage(base, tenants)


def build_classify(settings: Settings) -> Stage[Any, Any]:
    from processors.classification.config import DEFAULT_PRICES, DEFAULT_THRESHOLDS, Budget, LlmLimits
    from processors.classification.factory import ClassificationOptions, build_classification_stage

    options = ClassificationOptions(
        llm=settings.classification_llm,  # type: ignore[arg-type]  # validated by the settings pattern
        anthropic_api_key=settings.anthropic_api_key,
        anthropic_base_url=settings.anthropic_base_url,
        anthropic_model=settings.anthropic_model,
        openai_base_url=settings.openai_base_url,
        openai_api_key=settings.openai_api_key,
        openai_model=settings.openai_model,
        openai_response_format=settings.openai_response_format,  # type: ignore[arg-type]  # pattern-checked
        max_tokens=settings.llm_max_tokens,
        connect_timeout_s=settings.llm_connect_timeout_s,
        limits=LlmLimits(
            max_concurrency=settings.llm_max_concurrency, rate_per_s=settings.llm_rate_per_s,
            burst=settings.llm_burst, max_attempts=settings.llm_max_attempts,
            backoff_base_s=settings.llm_backoff_base_s, backoff_max_s=settings.llm_backoff_max_s,
            request_timeout_s=settings.llm_request_timeout_s, batch_deadline_s=settings.llm_batch_deadline_s,
            breaker_failures=settings.llm_breaker_failures, breaker_cooldown_s=settings.llm_breaker_cooldown_s,
            dedup_window_s=settings.llm_dedup_window_s,
        ),
        prices={**DEFAULT_PRICES, **(settings.llm_prices or {})},
        thresholds={**DEFAULT_THRESHOLDS, **(settings.classification_thresholds or {})},
        local_languages=settings.classification_local_languages,
        default_budget=Budget(daily_usd=settings.classification_daily_budget_usd,
                              daily_tokens=settings.classification_daily_budget_tokens),
        artifact_dir=settings.classification_artifact_dir,
    )
    return build_classification_stage(options, settings.load_tenants())


def build_planner(settings: Settings) -> OutboundPlanner:
    from processors.outbound_planner import planner_configs
    from streams.settings import SettingsError

    try:
        return OutboundPlanner(tenants=planner_configs(settings.load_tenants()))
    except ValueError as exc:
        raise SettingsError(f"TICKETSTREAM_TENANTS_FILE: {exc}") from exc


def build_sla(settings: Settings) -> Stage[Any, Any]:
    from processors.sla.stage import SlaStage
    from processors.sla.state import StateRetention
    from processors.sla.tenants import policies_from_tenants

    retention = StateRetention(closed_days=settings.sla_state_closed_days, open_days=settings.sla_state_open_days)
    return SlaStage(policies=policies_from_tenants(settings.load_tenants()), pipeline_version=settings.pipeline_version,
                    retention=retention)


def build_sink(settings: Settings) -> Any:
    from sinks.clickhouse.factory import open_clickhouse
    from sinks.clickhouse.retention import Retention
    from streams.settings import SettingsError

    try:
        retention = Retention.parse(settings.clickhouse_retention)
    except ValueError as exc:
        raise SettingsError(f"TICKETSTREAM_CLICKHOUSE_RETENTION (clickhouse_retention): {exc}") from exc

    sink = open_clickhouse(settings.clickhouse_url, settings.chdb_path, settings.clickhouse_database,
                           retention=retention)
    sink.ensure_schema()
    return sink


def stage_builders(settings: Settings, with_sink: bool = True, eager: bool = False) -> StageBuilders:
    """How the worker gets its stages.

    `eager` builds every stage now, before the worker joins its consumer group. With lazy building an
    agent spends seconds loading models after partitions were assigned, while faust's table recovery
    pauses and resumes the stream partitions; a partition could stay unconsumed after a restart. Loading
    first also means a worker that cannot load a model fails before it takes partitions from others.
    """
    if not eager:
        return StageBuilders(
            pii=lambda: build_pii(settings),
            language=lambda: build_language(settings),
            classify=lambda: build_classify(settings),
            sla=lambda: build_sla(settings),
            planner=lambda: build_planner(settings),
            sink=(lambda: build_sink(settings)) if with_sink else None,
        )
    planner = build_planner(settings)
    pii, language, classify, sla = (build_pii(settings), build_language(settings), build_classify(settings),
                                    build_sla(settings))
    return StageBuilders(
        pii=lambda: pii,
        language=lambda: language,
        classify=lambda: classify,
        sla=lambda: sla,
        planner=lambda: planner,
        sink=(lambda: build_sink(settings)) if with_sink else None,
    )


def build_chain(settings: Settings) -> StageChain:
    return StageChain([build_pii(settings), build_language(settings), build_classify(settings), build_sla(settings)])
