"""The LLM answering 500s, timing out and rate limiting (429) during a run: nothing is lost or dead-lettered.

The worker runs with `TICKETSTREAM_CLASSIFICATION_LLM=anthropic` against the Anthropic Messages API test
server (tests/support/anthropic_server.py, the real SDK on the worker's side). Tickets the local model
does not decide alone (non-English ones by default) go to the LLM; while it fails they must fall back to
the local model, and the record in ClickHouse says which backend decided. Once the server recovers, the
LLM decides again.
"""

from __future__ import annotations

import json
import os
import uuid
from collections import Counter
from pathlib import Path

import pytest

from connectors.demo import DemoFeed
from streams.settings import Settings
from streams.topics import TopicNames, ensure_topics
from tests.support.anthropic_server import API_KEY, running_anthropic_server
from tests.support.worker_process import (
    cli_query,
    drain,
    exactly_once_report,
    produce,
    start_worker,
    topic_size,
    worker_env,
)

pytestmark = pytest.mark.e2e

N_TICKETS = int(os.environ.get("RELIABILITY_LLM_TICKETS", "800"))
FAULTS = [{"status": 500}] * 10 + [{"delay": 3.0}] * 6 + [{"status": 429, "retry_after": "0"}] * 10
"""Served in this order to the first requests; then the server answers normally (it has recovered)."""


def test_llm_errors_timeouts_and_429s_fall_back_to_the_local_model(kafka_bootstrap: str, tmp_path: Path) -> None:
    feed = DemoFeed(seed=31).take(N_TICKETS)
    events = [t.event for t in feed]
    tag = uuid.uuid4().hex[:8]
    app_id, prefix = f"llm-{tag}", f"llm-{tag}."
    with running_anthropic_server() as server:
        server.script(FAULTS)
        env = worker_env(kafka_bootstrap, tmp_path / "home", prefix, app_id,
                         TICKETSTREAM_CLASSIFICATION_LLM="anthropic", TICKETSTREAM_ANTHROPIC_API_KEY=API_KEY,
                         TICKETSTREAM_ANTHROPIC_BASE_URL=server.base_url, TICKETSTREAM_LLM_REQUEST_TIMEOUT_S="1",
                         TICKETSTREAM_LLM_MAX_ATTEMPTS="2", TICKETSTREAM_LLM_BACKOFF_BASE_S="0.05",
                         TICKETSTREAM_LLM_BACKOFF_MAX_S="0.2", TICKETSTREAM_LLM_BREAKER_COOLDOWN_S="2",
                         # every fault reaches the server, rather than the circuit breaker absorbing most
                         TICKETSTREAM_LLM_BREAKER_FAILURES="1000",
                         TICKETSTREAM_OUTBOUND_ENABLED="false")
        settings = Settings(home=tmp_path / "home", topic_prefix=prefix, app_id=app_id, partitions=4,
                            kafka_bootstrap_servers=kafka_bootstrap)
        topics = TopicNames.from_settings(settings)
        ensure_topics(kafka_bootstrap, settings)
        worker = start_worker(env, tmp_path / "worker.log")
        try:
            worker.wait_ready()
            produce(kafka_bootstrap, topics.events, events)
            drain(kafka_bootstrap, app_id, [topics.events, topics.redacted, topics.language, topics.classified,
                                            topics.enriched, topics.deadletter, topics.llm_calls],
                  alive=worker.alive)
            assert worker.stop() == 0, worker.tail()
        finally:
            worker.stop()
        statuses = Counter(r.status for r in server.requests)
        wire = json.dumps([r.body for r in server.requests], ensure_ascii=False)

    # Every scripted fault was served, and the server answered normally afterwards.
    assert statuses[500] == 10 and statuses[429] == 10 and statuses[200] > 0, statuses
    leaked = sorted({v for t in feed for v in t.pii_values if v in wire})
    assert not leaked, f"PII reached the LLM: {leaked[:3]}"

    final = cli_query(env, "SELECT event_id, count() AS n FROM ticketstream.ticket_events FINAL GROUP BY event_id")
    report = exactly_once_report(final, {e.event_id for e in events})
    assert (report["missing"], report["unexpected"], report["doubled"]) == ([], [], []), report
    assert topic_size(kafka_bootstrap, topics.deadletter) == 0, worker.tail()

    # Tickets meant for the LLM (not English): some decided by the local fallback, the rest by the LLM.
    language = {t.event.event_id: t.language for t in feed}
    rows = cli_query(env, "SELECT event_id, category_backend FROM ticketstream.ticket_events FINAL")
    backends = Counter(r["category_backend"] for r in rows if language[r["event_id"]] != "en")
    assert backends["local"] > 0 and backends["anthropic"] > 0, backends
    calls = cli_query(env, "SELECT outcome, error_type, count() AS n FROM ticketstream.llm_calls FINAL "
                           "GROUP BY outcome, error_type")
    seen = {(c["outcome"], c["error_type"]) for c in calls}
    assert ("error", "InternalServerError(500)") in seen, seen
    assert ("timeout", "APITimeoutError") in seen, seen
    assert ("rate_limited", "RateLimitError") in seen, seen
    assert any(o == "ok" for o, _ in seen), seen
    print(f"\nLLM faults: server statuses {dict(statuses)}; non-English tickets by backend {dict(backends)}")
