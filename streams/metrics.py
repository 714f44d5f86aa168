"""Prometheus metrics of every long-running process, on a registry of their own.

The metric names are a contract with the Grafana dashboards in helm/ticketstream/dashboards/: rename one and
a panel goes blank. Nothing is registered at import time: the process builds one `Metrics` and passes it
to what records into it, so tests get fresh registries and two apps in one process do not collide.
Label values are ids of stages, backends, tables, tenants and topics — never ticket content.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4, generate_latest, start_http_server
from prometheus_client.registry import Collector

from processors.classification.observer import LlmSnapshot

log = logging.getLogger("ticketstream.metrics")

CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4

# Stage batches take milliseconds (language) to tens of seconds (an LLM batch under retries).
BATCH_SECONDS_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
BATCH_SIZE_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096)
# Event time to ClickHouse insert: normally seconds; minutes to hours while a backlog drains.
E2E_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 900.0, 3600.0, 21600.0, 86400.0)
LLM_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0, 60.0, 120.0)
INSERT_BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

CIRCUIT_STATES: Mapping[str, int] = {"closed": 0, "half_open": 1, "open": 2}
"""Values of ticketstream_llm_circuit_state: 0 closed (calls flow), 1 half-open (probing), 2 open (fallback)."""

TOKEN_KINDS = ("input", "output", "cache_read", "cache_write")

LlmSnapshotSource = Callable[[], Iterable[LlmSnapshot]]
"""What `Metrics.watch_llm` reads at each scrape, e.g. `ClassificationStage.llm_snapshots`."""


class Metrics:
    """Every ticketstream metric, registered on `registry` (a new CollectorRegistry unless given)."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        r = self.registry
        self.stage_items = Counter("ticketstream_stage_items_total", "Items a stage handled (ok or failed).",
                                   ["stage"], registry=r)
        self.stage_failures = Counter("ticketstream_stage_failures_total", "Items a stage failed, by reason class.",
                                      ["stage", "reason"], registry=r)
        self.stage_batch_seconds = Histogram("ticketstream_stage_batch_seconds", "Time a stage spent on one batch.",
                                             ["stage"], buckets=BATCH_SECONDS_BUCKETS, registry=r)
        self.stage_batch_size = Histogram("ticketstream_stage_batch_size", "Items per stage batch.",
                                          ["stage"], buckets=BATCH_SIZE_BUCKETS, registry=r)
        self.e2e_latency = Histogram("ticketstream_e2e_latency_seconds",
                                     "From the event's time at the helpdesk to its ClickHouse insert.",
                                     buckets=E2E_BUCKETS, registry=r)
        self.consumer_lag = Gauge("ticketstream_consumer_lag", "Messages not yet committed by the worker's group.",
                                  ["topic", "partition"], registry=r)
        self.deadletters = Counter("ticketstream_deadletters_total", "Messages sent to the dead-letter topic.",
                                   ["stage", "error_type"], registry=r)
        self.llm_calls = Counter(
            "ticketstream_llm_calls_total", "LLM requests and requests not made, by outcome as in ClickHouse llm_calls "
            "(ok, invalid_answer, error, timeout, rate_limited, circuit_open, budget_exceeded).",
            ["backend", "model", "outcome"], registry=r)
        self.llm_tokens = Counter("ticketstream_llm_tokens_total", "LLM tokens by kind (input, output, cache_*).",
                                  ["backend", "model", "kind"], registry=r)
        self.llm_cost = Counter("ticketstream_llm_cost_usd_total", "Estimated LLM spend in US dollars (price table).",
                                ["backend", "model", "tenant"], registry=r)
        self.llm_latency = Histogram("ticketstream_llm_latency_seconds",
                                     "Latency of LLM requests that reached the server.", ["backend", "model"],
                                     buckets=LLM_BUCKETS, registry=r)
        self.llm_dedup_hits = Counter(
            "ticketstream_llm_dedup_hits_total", "Tickets answered without an LLM request: the same redacted text "
            "and question was asked within the dedup window or in the same batch.", ["backend", "model"], registry=r)
        self.llm_fallbacks = Counter("ticketstream_llm_fallbacks_total",
                                     "Tickets sent to the LLM that kept the local model's result, by the LLM outcome.",
                                     ["backend", "reason"], registry=r)
        self.classification_tickets = Counter(
            "ticketstream_classification_tickets_total", "Tickets classified by the cascade, by route: local (the "
            "local model alone) or why the LLM was asked (language, confidence, unknown_label, fill).",
            ["tenant", "route"], registry=r)
        self.field_decisions = Counter("ticketstream_classification_field_decisions_total",
                                       "Classified fields by the backend whose label they carry.",
                                       ["field", "backend"], registry=r)
        self.llm_state = LlmStateCollector()
        r.register(self.llm_state)
        self.clickhouse_rows = Counter("ticketstream_clickhouse_insert_rows_total", "Rows inserted into ClickHouse.",
                                       ["table"], registry=r)
        self.clickhouse_seconds = Histogram("ticketstream_clickhouse_insert_seconds", "ClickHouse insert latency.",
                                            ["table"], buckets=INSERT_BUCKETS, registry=r)
        self.outbound_actions = Counter("ticketstream_outbound_actions_total",
                                        "Outbound actions by kind and result (applied, skipped, failed, ...).",
                                        ["kind", "result"], registry=r)
        self.poll_events = Counter("ticketstream_poll_events_total",
                                   "Records a poller read, by result (produced, skipped, already_seen).",
                                   ["source", "tenant", "result"], registry=r)
        self.poll_errors = Counter("ticketstream_poll_errors_total",
                                   "Poll cycles that failed (helpdesk down, refused credentials, ...), by error class.",
                                   ["source", "tenant", "error"], registry=r)
        self.poll_last_success = Gauge("ticketstream_poll_last_success_timestamp_seconds",
                                       "Unix time of a poller's last cycle that read to the end of the stream.",
                                       ["source", "tenant"], registry=r)

    # ---------------------------------------------------------------------------------------- stages

    def observe_batch(self, stage: str, size: int, seconds: float, failures: Mapping[str, int] | None = None) -> None:
        """One stage batch: its size, its duration, and how many of its items failed per reason class."""
        self.stage_items.labels(stage).inc(size)
        self.stage_batch_size.labels(stage).observe(size)
        self.stage_batch_seconds.labels(stage).observe(seconds)
        for reason, count in (failures or {}).items():
            if count:
                self.stage_failures.labels(stage, reason).inc(count)

    @contextmanager
    def time_batch(self, stage: str, size: int) -> Iterator[dict[str, int]]:
        """`with metrics.time_batch("pii", len(batch)) as failures: ... failures[reason] += 1`."""
        failures: dict[str, int] = {}
        start = time.perf_counter()
        try:
            yield failures
        finally:
            self.observe_batch(stage, size, time.perf_counter() - start, failures)

    def dead_letter(self, stage: str, error_type: str) -> None:
        self.deadletters.labels(stage, error_type).inc()

    def observe_e2e(self, event_times: Iterable[datetime], now: datetime | None = None) -> None:
        """End-to-end latency of inserted tickets; clock skew (event time in the future) counts as 0."""
        now = now or datetime.now(UTC)
        for at in event_times:
            if at.tzinfo is None:
                at = at.replace(tzinfo=UTC)
            self.e2e_latency.observe(max(0.0, (now - at).total_seconds()))

    # ---------------------------------------------------------------------------------------- LLM

    def llm_call(self, backend: str, model: str, outcome: str, seconds: float | None = None,
                 tokens: Mapping[str, int] | None = None, tenant: str | None = None, cost_usd: float = 0.0) -> None:
        """One LLM request: outcome, latency (None: it never reached the server), tokens by kind (see
        TOKEN_KINDS) and its cost for the tenant."""
        self.llm_calls.labels(backend, model, outcome).inc()
        if seconds is not None:
            self.llm_latency.labels(backend, model).observe(seconds)
        for kind, count in (tokens or {}).items():
            if count:
                self.llm_tokens.labels(backend, model, kind).inc(count)
        if cost_usd > 0:
            self.llm_cost.labels(backend, model, tenant or "unknown").inc(cost_usd)

    def llm_fallback(self, backend: str, reason: str, count: int = 1) -> None:
        self.llm_fallbacks.labels(backend, reason).inc(count)

    def watch_llm(self, name: str, source: LlmSnapshotSource) -> None:
        """Expose breaker state and budgets from `source` at every scrape; `name` replaces an earlier source."""
        self.llm_state.set_source(name, source)

    # ---------------------------------------------------------------------------------------- sinks

    def clickhouse_insert(self, table: str, rows: int, seconds: float) -> None:
        self.clickhouse_rows.labels(table).inc(rows)
        self.clickhouse_seconds.labels(table).observe(seconds)

    def outbound_action(self, kind: str, result: str) -> None:
        self.outbound_actions.labels(kind, result).inc()

    def set_consumer_lag(self, lags: Mapping[tuple[str, int], int]) -> None:
        """Replace the lag gauge's series: partitions no longer assigned or existing disappear."""
        self.consumer_lag.clear()
        for (topic, partition), lag in lags.items():
            self.consumer_lag.labels(topic, str(partition)).set(lag)

    # ---------------------------------------------------------------------------------------- exposition

    def exposition(self) -> bytes:
        """The registry in the Prometheus text format (serve with CONTENT_TYPE)."""
        return generate_latest(self.registry)


class LlmStateCollector(Collector):
    """Breaker state and daily budgets, read from snapshot sources at scrape time.

    Gauges set on events would go stale: a breaker half-opens when its cooldown passes and a budget starts
    over at midnight UTC without any call to report it. A failing source is logged and skipped, so one
    broken stage cannot break the whole /metrics page.
    """

    def __init__(self) -> None:
        self._sources: dict[str, LlmSnapshotSource] = {}
        self._lock = threading.Lock()

    def set_source(self, name: str, source: LlmSnapshotSource) -> None:
        with self._lock:
            self._sources[name] = source

    def describe(self) -> Iterable[GaugeMetricFamily]:
        return self._families()

    def collect(self) -> Iterable[GaugeMetricFamily]:
        families = self._families()
        circuit, spent_usd, spent_tokens, left_usd, left_tokens = families
        with self._lock:
            sources = list(self._sources.items())
        for name, source in sources:
            try:
                snapshots = list(source())
            except Exception as exc:
                log.warning("LLM state of %s unavailable: %s", name, type(exc).__name__)
                continue
            for snap in snapshots:
                circuit.add_metric([snap.backend], CIRCUIT_STATES.get(snap.breaker_state, CIRCUIT_STATES["open"]))
                for b in snap.budgets:
                    labels = [snap.backend, b.tenant]
                    spent_usd.add_metric(labels, b.spent_usd)
                    spent_tokens.add_metric(labels, b.spent_tokens)
                    if b.remaining_usd is not None:
                        left_usd.add_metric(labels, b.remaining_usd)
                    if b.remaining_tokens is not None:
                        left_tokens.add_metric(labels, b.remaining_tokens)
        return families

    @staticmethod
    def _families() -> list[GaugeMetricFamily]:
        budget = ["backend", "tenant"]
        return [
            GaugeMetricFamily("ticketstream_llm_circuit_state",
                              "Circuit breaker per LLM backend: 0 closed, 1 half-open, 2 open.", labels=["backend"]),
            GaugeMetricFamily("ticketstream_llm_budget_spent_usd",
                              "LLM spend of the tenant today (UTC), all workers when the budget is shared.",
                              labels=budget),
            GaugeMetricFamily("ticketstream_llm_budget_spent_tokens",
                              "LLM tokens of the tenant today (UTC), all workers when the budget is shared.",
                              labels=budget),
            GaugeMetricFamily("ticketstream_llm_budget_remaining_usd",
                              "What is left of the tenant's daily USD budget (only tenants with one).", labels=budget),
            GaugeMetricFamily("ticketstream_llm_budget_remaining_tokens",
                              "What is left of the tenant's daily token budget (only tenants with one).",
                              labels=budget),
        ]


# -------------------------------------------------------------------------------------------- serving


@dataclass
class MetricsServer:
    """A `/metrics` HTTP server in a daemon thread (prometheus-client's WSGI server)."""

    server: Any
    thread: threading.Thread

    @property
    def port(self) -> int:
        return int(self.server.server_port)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)

    def __enter__(self) -> MetricsServer:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def serve_metrics(metrics: Metrics, port: int, host: str = "0.0.0.0") -> MetricsServer:
    """Serve `metrics` on http://host:port/metrics (port 0 picks a free one; see `.port`).

    For processes without a web server of their own; the faust worker and the ops server in
    streams/health.py serve the same exposition on their own port instead.
    """
    server, thread = start_http_server(port, addr=host, registry=metrics.registry)
    return MetricsServer(server, thread)


# -------------------------------------------------------------------------------------------- consumer lag


def partition_lag(bootstrap: str, group: str, topics: Iterable[str], timeout: float = 10.0
                  ) -> dict[tuple[str, int], int]:
    """Per-partition lag of a consumer group: end offset minus committed offset (from the start when none)."""
    from confluent_kafka import Consumer, TopicPartition

    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False})
    try:
        metadata = consumer.list_topics(timeout=timeout)
        partitions = [TopicPartition(t, p) for t in topics if t in metadata.topics
                      for p in metadata.topics[t].partitions]
        lags: dict[tuple[str, int], int] = {}
        for tp in _committed(consumer, partitions, timeout) if partitions else []:
            low, high = consumer.get_watermark_offsets(TopicPartition(tp.topic, tp.partition), timeout=timeout)
            done = tp.offset if tp.offset >= 0 else low
            lags[(tp.topic, tp.partition)] = max(0, high - done)
        return lags
    finally:
        consumer.close()


# A new group's coordinator is being elected or loaded: librdkafka does not flag these retriable.
_SETTLING = frozenset({"NOT_COORDINATOR", "COORDINATOR_NOT_AVAILABLE", "COORDINATOR_LOAD_IN_PROGRESS"})


def _committed(consumer: Any, partitions: list[Any], timeout: float) -> list[Any]:
    """Committed offsets, waiting out the retriable errors of a group coordinator that is not ready yet."""
    from confluent_kafka import KafkaException

    deadline = time.monotonic() + timeout
    while True:
        try:
            return list(consumer.committed(partitions, timeout=timeout))
        except KafkaException as exc:
            error = exc.args[0] if exc.args else None
            settling = getattr(error, "retriable", lambda: False)() or getattr(error, "name", str)() in _SETTLING
            if not settling or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


class LagPoller:
    """Refreshes ticketstream_consumer_lag from the group's committed offsets every `interval` seconds.

    The worker's own consumer knows its lag only for the partitions it holds; committed offsets give the
    group's lag on every partition, which is what KEDA and the dashboards scale and alert on.
    """

    def __init__(self, metrics: Metrics, bootstrap: str, group: str, topics: Iterable[str],
                 interval: float = 15.0) -> None:
        self.metrics, self.bootstrap, self.group = metrics, bootstrap, group
        self.topics = list(topics)
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def poll_once(self) -> dict[tuple[str, int], int]:
        lags = partition_lag(self.bootstrap, self.group, self.topics)
        self.metrics.set_consumer_lag(lags)
        return lags

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.poll_once()
            except Exception as exc:  # the broker is away for a moment: keep the last values
                log.warning("consumer lag poll failed: %s", type(exc).__name__)
            self._stop.wait(self.interval)

    def start(self) -> LagPoller:
        self._thread = threading.Thread(target=self._run, name="lag-poller", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(self.interval + 15)
