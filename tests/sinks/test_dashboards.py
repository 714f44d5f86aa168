"""Grafana dashboards shipped with the chart: BI panels run on the real schema, ops panels use real metrics."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sinks.clickhouse import ClickHouseSink
from streams.metrics import Metrics
from tests.sinks.analytics_data import DAYS, NOW, load, sample

DASHBOARDS = Path(__file__).resolve().parents[2] / "helm" / "ticketstream" / "dashboards"
METRICS = {
    "ticketstream_stage_items_total", "ticketstream_stage_failures_total", "ticketstream_stage_batch_seconds_bucket",
    "ticketstream_e2e_latency_seconds_bucket", "ticketstream_consumer_lag", "ticketstream_deadletters_total",
    "ticketstream_llm_calls_total", "ticketstream_llm_cost_usd_total", "ticketstream_clickhouse_insert_rows_total",
    "ticketstream_outbound_actions_total", "ticketstream_llm_latency_seconds_bucket",
    "ticketstream_classification_tickets_total", "ticketstream_llm_tokens_total", "ticketstream_llm_fallbacks_total",
    "ticketstream_llm_circuit_state", "ticketstream_llm_budget_spent_usd", "ticketstream_llm_budget_remaining_usd",
    "ticketstream_llm_dedup_hits_total", "ticketstream_poll_events_total", "ticketstream_poll_errors_total",
    "ticketstream_poll_last_success_timestamp_seconds",
}


def panels(name: str) -> list[dict[str, object]]:
    board = json.loads((DASHBOARDS / name).read_text(encoding="utf-8"))
    assert board["uid"] and board["title"]
    return list(board["panels"])


def expand_macros(sql: str, database: str, tenant: str) -> str:
    """What the grafana-clickhouse-datasource plugin sends for a dashboard time range and variables."""
    start, end = int(NOW.timestamp()) - DAYS * 86400, int(NOW.timestamp())
    sql = re.sub(r"\$__timeFilter\((\w+)\)",
                 lambda m: f"{m.group(1)} >= toDateTime({start}) AND {m.group(1)} <= toDateTime({end})", sql)
    return sql.replace("${database}", database).replace("${tenant}", tenant)


@pytest.mark.parametrize("tenant", ["", "acme"])
def test_bi_dashboard_queries_run_and_return_data(sink: ClickHouseSink, tenant: str) -> None:
    load(sink, sample())
    found = panels("ticketstream-bi.json")
    assert len(found) >= 8
    for panel in found:
        assert panel["datasource"]["type"] == "grafana-clickhouse-datasource"  # type: ignore[index]
        for target in panel["targets"]:  # type: ignore[attr-defined]
            sql = expand_macros(target["rawSql"], sink.database, tenant)
            assert "$" not in sql, f"unexpanded macro in panel {panel['title']!r}"
            result = sink.query(sql)
            assert result.rows, f"panel {panel['title']!r} shows nothing on generated data"
            if tenant and "tenant_id" in result.column_names:
                assert {r["tenant_id"] for r in result.dicts()} == {tenant}


def test_operations_dashboard_uses_only_exported_metrics() -> None:
    found = panels("ticketstream-operations.json")
    used: set[str] = set()
    for panel in found:
        assert panel["datasource"]["type"] == "prometheus"  # type: ignore[index]
        for target in panel["targets"]:  # type: ignore[attr-defined]
            used |= set(re.findall(r"\bticketstream_[a-z0-9_]+", target["expr"]))
    assert used == METRICS
    assert used <= exported_metric_names(), f"not registered by streams.metrics: {used - exported_metric_names()}"


def exported_metric_names() -> set[str]:
    """Every sample name the worker's registry can expose (counters end in _total, histograms in _bucket...)."""
    suffixes = {"counter": ("_total",), "histogram": ("_bucket", "_count", "_sum")}
    return {family.name + suffix for family in Metrics().registry.collect()
            for suffix in suffixes.get(family.type, ("",))}
