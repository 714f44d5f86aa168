"""Prometheus metrics: the names the dashboards use, what recording does to them, the /metrics server,
and per-partition consumer lag against a real broker."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from confluent_kafka import Consumer, Producer, TopicPartition
from prometheus_client.parser import text_string_to_metric_families

from processors.classification.observer import BudgetSnapshot, LlmSnapshot
from streams.metrics import LagPoller, Metrics, partition_lag, serve_metrics
from tests.broker import KafkaAdmin

# The contract with helm/ticketstream/dashboards/*.json: names and label sets.
CONTRACT = {
    "ticketstream_stage_items_total": {"stage"},
    "ticketstream_stage_failures_total": {"stage", "reason"},
    "ticketstream_stage_batch_seconds": {"stage"},
    "ticketstream_stage_batch_size": {"stage"},
    "ticketstream_e2e_latency_seconds": set(),
    "ticketstream_consumer_lag": {"topic", "partition"},
    "ticketstream_deadletters_total": {"stage", "error_type"},
    "ticketstream_llm_calls_total": {"backend", "model", "outcome"},
    "ticketstream_llm_tokens_total": {"backend", "model", "kind"},
    "ticketstream_llm_cost_usd_total": {"backend", "model", "tenant"},
    "ticketstream_llm_latency_seconds": {"backend", "model"},
    "ticketstream_llm_dedup_hits_total": {"backend", "model"},
    "ticketstream_llm_circuit_state": {"backend"},
    "ticketstream_llm_fallbacks_total": {"backend", "reason"},
    "ticketstream_llm_budget_spent_usd": {"backend", "tenant"},
    "ticketstream_llm_budget_spent_tokens": {"backend", "tenant"},
    "ticketstream_llm_budget_remaining_usd": {"backend", "tenant"},
    "ticketstream_llm_budget_remaining_tokens": {"backend", "tenant"},
    "ticketstream_classification_tickets_total": {"tenant", "route"},
    "ticketstream_classification_field_decisions_total": {"field", "backend"},
    "ticketstream_clickhouse_insert_rows_total": {"table"},
    "ticketstream_clickhouse_insert_seconds": {"table"},
    "ticketstream_outbound_actions_total": {"kind", "result"},
    "ticketstream_poll_events_total": {"source", "tenant", "result"},
    "ticketstream_poll_errors_total": {"source", "tenant", "error"},
    "ticketstream_poll_last_success_timestamp_seconds": {"source", "tenant"},
}


def samples(metrics: Metrics) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of the exposition text, as a user scraping /metrics sees it."""
    out = {}
    for family in text_string_to_metric_families(metrics.exposition().decode()):
        for s in family.samples:
            out[(s.name, frozenset(s.labels.items()))] = s.value
    return out


def value(metrics: Metrics, name: str, **labels: str) -> float | None:
    return samples(metrics).get((name, frozenset(labels.items())))


def record_everything(m: Metrics) -> None:
    m.observe_batch("pii", 10, 0.2, {"ValidationError": 2})
    m.observe_e2e([datetime.now(UTC) - timedelta(seconds=3)])
    m.set_consumer_lag({("tickets.events", 0): 5})
    m.dead_letter("pii", "ValidationError")
    m.llm_call("anthropic", "claude-haiku-4-5", "ok", 0.8, {"input": 100, "output": 20}, tenant="acme",
               cost_usd=0.002)
    m.llm_dedup_hits.labels("anthropic", "claude-haiku-4-5").inc()
    m.watch_llm("classify", lambda: [LlmSnapshot("anthropic", "claude-haiku-4-5", "open", (
        BudgetSnapshot("acme", 0.5, 900, limit_usd=2.0, limit_tokens=1000),))])
    m.llm_fallback("anthropic", "circuit_open")
    m.classification_tickets.labels("acme", "confidence").inc()
    m.field_decisions.labels("category", "local").inc()
    m.clickhouse_insert("ticket_events", 64, 0.05)
    m.outbound_action("tags", "applied")
    m.poll_events.labels("freshdesk", "acme", "produced").inc(3)
    m.poll_errors.labels("freshdesk", "acme", "ConnectError").inc()
    m.poll_last_success.labels("freshdesk", "acme").set(1.7e9)


def test_every_dashboard_metric_is_exposed_with_its_labels() -> None:
    m = Metrics()
    record_everything(m)
    found: dict[str, set[str]] = {}
    for family in text_string_to_metric_families(m.exposition().decode()):
        for s in family.samples:
            base = s.name
            for suffix in ("_bucket", "_count", "_sum", "_created"):
                if base.endswith(suffix) and base.removesuffix(suffix) in CONTRACT:
                    base = base.removesuffix(suffix)
            found.setdefault(base, set()).update(set(s.labels) - {"le"})
    for name, labels in CONTRACT.items():
        assert name in found, f"{name} missing from the exposition"
        assert found[name] == labels, f"{name} has labels {found[name]}, dashboards expect {labels}"


def test_each_metrics_object_has_its_own_registry() -> None:
    a, b = Metrics(), Metrics()
    a.outbound_action("tags", "applied")
    assert value(a, "ticketstream_outbound_actions_total", kind="tags", result="applied") == 1
    assert value(b, "ticketstream_outbound_actions_total", kind="tags", result="applied") is None


def test_batches_count_items_failures_and_sizes() -> None:
    m = Metrics()
    m.observe_batch("classify", 64, 0.3, {"ValidationError": 1, "LlmTimeout": 0})
    with m.time_batch("classify", 10) as failures:
        failures["ValidationError"] = 2
    assert value(m, "ticketstream_stage_items_total", stage="classify") == 74
    assert value(m, "ticketstream_stage_failures_total", stage="classify", reason="ValidationError") == 3
    assert value(m, "ticketstream_stage_failures_total", stage="classify", reason="LlmTimeout") is None
    assert value(m, "ticketstream_stage_batch_size_count", stage="classify") == 2
    assert value(m, "ticketstream_stage_batch_size_sum", stage="classify") == 74
    assert value(m, "ticketstream_stage_batch_size_bucket", stage="classify", le="16.0") == 1
    assert value(m, "ticketstream_stage_batch_seconds_count", stage="classify") == 2


def test_time_batch_records_even_when_the_batch_raises() -> None:
    m = Metrics()
    with pytest.raises(RuntimeError), m.time_batch("sla", 5):
        raise RuntimeError("boom")
    assert value(m, "ticketstream_stage_items_total", stage="sla") == 5


def test_e2e_latency_from_event_time_and_clock_skew_counts_as_zero() -> None:
    m = Metrics()
    now = datetime(2025, 1, 1, 12, 0, 0, tzinfo=UTC)
    m.observe_e2e([now - timedelta(seconds=4), now + timedelta(seconds=30), datetime(2025, 1, 1, 11, 59)], now=now)
    assert value(m, "ticketstream_e2e_latency_seconds_count") == 3
    assert value(m, "ticketstream_e2e_latency_seconds_sum") == pytest.approx(64.0)
    assert value(m, "ticketstream_e2e_latency_seconds_bucket", le="0.1") == 1  # the future one, as 0
    assert value(m, "ticketstream_e2e_latency_seconds_bucket", le="2.5") == 1
    assert value(m, "ticketstream_e2e_latency_seconds_bucket", le="5.0") == 2
    assert value(m, "ticketstream_e2e_latency_seconds_bucket", le="60.0") == 3


def test_llm_call_records_outcome_tokens_cost_and_latency() -> None:
    m = Metrics()
    m.llm_call("vllm", "qwen", "ok", 1.5, {"input": 300, "output": 40, "cache_read": 0}, tenant="acme",
               cost_usd=0.01)
    m.llm_call("vllm", "qwen", "timeout", 30.0)
    m.llm_call("vllm", "qwen", "circuit_open")  # never sent: no latency
    assert value(m, "ticketstream_llm_calls_total", backend="vllm", model="qwen", outcome="ok") == 1
    assert value(m, "ticketstream_llm_calls_total", backend="vllm", model="qwen", outcome="timeout") == 1
    assert value(m, "ticketstream_llm_tokens_total", backend="vllm", model="qwen", kind="input") == 300
    assert value(m, "ticketstream_llm_tokens_total", backend="vllm", model="qwen", kind="cache_read") is None
    assert value(m, "ticketstream_llm_cost_usd_total", backend="vllm", model="qwen", tenant="acme") == \
        pytest.approx(0.01)
    assert value(m, "ticketstream_llm_latency_seconds_count", backend="vllm", model="qwen") == 2


def test_circuit_state_and_budgets_are_read_at_scrape_time() -> None:
    m = Metrics()
    state = {"breaker": "closed", "spent": 0.25}

    def source() -> list[LlmSnapshot]:
        return [LlmSnapshot("anthropic", "claude-haiku-4-5", state["breaker"], (  # type: ignore[arg-type]
            BudgetSnapshot("acme", float(state["spent"]), 100, limit_usd=1.0),
            BudgetSnapshot("beta", 0.0, 0)))]

    m.watch_llm("classify", source)
    for breaker, expected in (("closed", 0), ("half_open", 1), ("open", 2)):
        state["breaker"] = breaker
        assert value(m, "ticketstream_llm_circuit_state", backend="anthropic") == expected
    state["spent"] = 1.5  # over budget: nothing left, never negative
    assert value(m, "ticketstream_llm_budget_spent_usd", backend="anthropic", tenant="acme") == 1.5
    assert value(m, "ticketstream_llm_budget_remaining_usd", backend="anthropic", tenant="acme") == 0.0
    assert value(m, "ticketstream_llm_budget_spent_tokens", backend="anthropic", tenant="beta") == 0
    assert value(m, "ticketstream_llm_budget_remaining_usd", backend="anthropic", tenant="beta") is None
    assert value(m, "ticketstream_llm_budget_remaining_tokens", backend="anthropic", tenant="acme") is None

    def broken() -> list[LlmSnapshot]:
        raise RuntimeError("stage gone")

    m.watch_llm("classify", broken)  # replaces the source; a failing source leaves /metrics working
    text = m.exposition().decode()
    assert "ticketstream_llm_circuit_state{" not in text and "ticketstream_stage_items_total" in text


def test_consumer_lag_drops_partitions_that_went_away() -> None:
    m = Metrics()
    m.set_consumer_lag({("t", 0): 5, ("t", 1): 7})
    m.set_consumer_lag({("t", 1): 2})
    assert value(m, "ticketstream_consumer_lag", topic="t", partition="0") is None
    assert value(m, "ticketstream_consumer_lag", topic="t", partition="1") == 2


def test_metrics_server_answers_over_http() -> None:
    m = Metrics()
    m.clickhouse_insert("ticket_events", 64, 0.02)
    with serve_metrics(m, port=0, host="127.0.0.1") as server:
        response = httpx.get(f"http://127.0.0.1:{server.port}/metrics", timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert 'ticketstream_clickhouse_insert_rows_total{table="ticket_events"} 64.0' in response.text
    with pytest.raises(httpx.TransportError):
        httpx.get(f"http://127.0.0.1:{server.port}/metrics", timeout=2)


@pytest.mark.integration
def test_partition_lag_and_poller_against_a_real_broker(kafka_bootstrap: str, kafka_admin: KafkaAdmin) -> None:
    topic, group = f"metrics-lag-{uuid.uuid4().hex[:8]}", f"metrics-group-{uuid.uuid4().hex[:8]}"
    kafka_admin.create_topics({topic: 2})
    producer = Producer({"bootstrap.servers": kafka_bootstrap})
    for partition, count in ((0, 3), (1, 1)):
        for i in range(count):
            producer.produce(topic, value=f"m{i}".encode(), partition=partition)
    assert producer.flush(30) == 0
    # Nothing committed yet: lag counts from the start of each partition.
    assert partition_lag(kafka_bootstrap, group, [topic, "no-such-topic"]) == {(topic, 0): 3, (topic, 1): 1}

    consumer = Consumer({"bootstrap.servers": kafka_bootstrap, "group.id": group, "enable.auto.commit": False})
    try:
        consumer.commit(offsets=[TopicPartition(topic, 0, 2), TopicPartition(topic, 1, 1)], asynchronous=False)
    finally:
        consumer.close()
    m = Metrics()
    poller = LagPoller(m, kafka_bootstrap, group, [topic], interval=0.1)
    assert poller.poll_once() == {(topic, 0): 1, (topic, 1): 0}
    assert value(m, "ticketstream_consumer_lag", topic=topic, partition="0") == 1
    assert value(m, "ticketstream_consumer_lag", topic=topic, partition="1") == 0
