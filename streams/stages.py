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
    from processors.classification.stage import ClassificationStage

    return ClassificationStage()


def build_sla(settings: Settings) -> Stage[Any, Any]:
    from processors.sla.policy import SlaPolicy
    from processors.sla.stage import SlaStage

    tenants = settings.load_tenants()
    policies = {
        tenant: SlaPolicy.model_validate(cfg["sla_policy"])
        for tenant, cfg in tenants.items()
        if isinstance(cfg, dict) and "sla_policy" in cfg
    }
    return SlaStage(policies=policies, pipeline_version=settings.pipeline_version)


def build_sink(settings: Settings) -> Any:
    from sinks.clickhouse.factory import open_clickhouse

    sink = open_clickhouse(settings.clickhouse_url, settings.chdb_path, settings.clickhouse_database)
    sink.ensure_schema()
    return sink


def stage_builders(settings: Settings, with_sink: bool = True) -> StageBuilders:
    return StageBuilders(
        pii=lambda: build_pii(settings),
        language=lambda: build_language(settings),
        classify=lambda: build_classify(settings),
        sla=lambda: build_sla(settings),
        planner=OutboundPlanner,
        sink=(lambda: build_sink(settings)) if with_sink else None,
    )


def build_chain(settings: Settings) -> StageChain:
    return StageChain([build_pii(settings), build_language(settings), build_classify(settings), build_sla(settings)])
