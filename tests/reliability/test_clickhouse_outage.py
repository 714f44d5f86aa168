"""ClickHouse goes away for a while mid-run (the server behind CLICKHOUSE_URL stops, then returns on its port).

The sink must hold its batch and retry (its offsets stay uncommitted), the stages before it keep going so a
backlog builds up on the enriched topic, and when ClickHouse is back the backlog drains: every event once,
and no dead letter for any of these good tickets. ClickHouse is the real engine (chDB) behind the
tests' HTTP front (tests/support/chdb_http.py), so the worker uses the clickhouse-connect path.
"""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

import pytest

from sinks.clickhouse.chdb_client import ChdbClient
from streams.lag import group_progress
from streams.settings import Settings
from streams.topics import TopicNames, ensure_topics
from tests.reliability.feed import zendesk_events
from tests.support.chdb_http import ChdbHttpServer, shared_chdb_dir
from tests.support.worker_process import drain, produce, start_worker, topic_size, wait_committed, worker_env

pytestmark = pytest.mark.e2e

N_TICKETS = int(os.environ.get("RELIABILITY_CLICKHOUSE_TICKETS", "1200"))
MIN_DOWN_S = 30.0


def test_clickhouse_outage_backlog_drains_without_loss_or_dead_letters(
    kafka_bootstrap: str, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    chdb_dir = shared_chdb_dir(tmp_path_factory.getbasetemp())
    front: ChdbHttpServer | None = ChdbHttpServer(chdb_dir).start()
    assert front is not None
    url = front.url
    port = int(url.rsplit(":", 1)[1])
    tag = uuid.uuid4().hex[:8]
    app_id, prefix, database = f"chdown-{tag}", f"chdown-{tag}.", f"chdown_{tag}"
    env = worker_env(kafka_bootstrap, tmp_path / "home", prefix, app_id, CLICKHOUSE_URL=url,
                     TICKETSTREAM_CLICKHOUSE_DATABASE=database, TICKETSTREAM_OUTBOUND_ENABLED="false")
    settings = Settings(home=tmp_path / "home", topic_prefix=prefix, app_id=app_id, partitions=4,
                        kafka_bootstrap_servers=kafka_bootstrap)
    topics = TopicNames.from_settings(settings)
    ensure_topics(kafka_bootstrap, settings)
    events = zendesk_events(N_TICKETS, seed=77)

    worker = start_worker(env, tmp_path / "worker.log")
    down_for = 0.0
    try:
        worker.wait_ready()
        produce(kafka_bootstrap, topics.events, events)
        at_fault = wait_committed(kafka_bootstrap, app_id, topics.enriched, N_TICKETS // 4, alive=worker.alive)
        assert at_fault < N_TICKETS, "the run finished before the fault: nothing was tested"
        front.stop()
        front, went_down = None, time.monotonic()
        # Down until the outage has visibly held the sink back: the stages upstream go on, so more events
        # are classified than the sink has committed.
        while True:
            progress = group_progress(kafka_bootstrap, app_id, [topics.classified, topics.enriched])
            assert worker.alive(), worker.tail()
            held = progress is not None and progress[topics.classified].committed - \
                progress[topics.enriched].committed > N_TICKETS // 4
            if held and time.monotonic() - went_down > MIN_DOWN_S:
                break
            assert time.monotonic() - went_down < 600, f"no backlog built up: {progress}"
            time.sleep(1.0)
        stalled = group_progress(kafka_bootstrap, app_id, [topics.enriched])
        time.sleep(5.0)
        still = group_progress(kafka_bootstrap, app_id, [topics.enriched])
        assert stalled is not None and still is not None
        assert still[topics.enriched].committed == stalled[topics.enriched].committed  # nothing skipped
        down_for = time.monotonic() - went_down
        front = ChdbHttpServer(chdb_dir, port=port).start()
        drain(kafka_bootstrap, app_id, [topics.events, topics.redacted, topics.language, topics.classified,
                                        topics.enriched, topics.deadletter], alive=worker.alive)
        assert worker.stop() == 0, worker.tail()
    finally:
        worker.stop()
        if front is not None:
            front.stop()

    log = worker.tail(200_000)
    assert "clickhouse unavailable" in log, "the outage was never noticed"
    assert topic_size(kafka_bootstrap, topics.deadletter) == 0, log[-4000:]
    check = ChdbClient(chdb_dir)
    try:
        rows = check.query(f"SELECT event_id, count() AS n FROM {database}.ticket_events FINAL GROUP BY event_id")
        counts = {str(r[0]): int(r[1]) for r in rows.rows}
        assert set(counts) == {e.event_id for e in events}
        assert set(counts.values()) == {1}
        assert check.query(f"SELECT count() FROM {database}.dead_letters").scalar() == 0
    finally:
        check.close()
    print(f"\nClickHouse down for {down_for:.0f}s; {N_TICKETS} events landed once after it returned")
