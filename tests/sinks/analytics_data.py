"""Shared generated data for the analytics tests: written once per database through the real sink."""

from __future__ import annotations

from datetime import UTC, datetime

from sinks.clickhouse import ClickHouseSink
from sinks.clickhouse.sample_data import SampleData, generate

NOW = datetime(2025, 6, 30, 12, 0, tzinfo=UTC)
DAYS = 14


def sample() -> SampleData:
    return generate(tickets=400, days=DAYS, end=NOW, seed=11)


def load(sink: ClickHouseSink, data: SampleData) -> None:
    for start in range(0, len(data.enriched), 250):
        sink.write_enriched(data.enriched[start : start + 250])
    sink.write_llm_calls(data.llm_calls)
    sink.write_sla_outcomes(data.outcomes)
    sink.write_dead_letters(data.dead_letters)
