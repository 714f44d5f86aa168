"""The Kafka broker stops in the middle of a run and comes back on the same ports and data directory.

The worker must ride it out: reconnect, finish the backlog, and lose or double nothing. The session's
broker is shared by every test, so this test starts a broker of its own (streams/kafka_local.py, the one
`ticketstream kafka up` runs) and stops it with a controlled shutdown, as an operator's restart does.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from streams.kafka_local import LocalKafka
from streams.settings import Settings
from streams.topics import TopicNames, ensure_topics
from tests.broker import free_ports
from tests.reliability.feed import zendesk_events
from tests.support.worker_process import (
    cli_query,
    drain,
    exactly_once_report,
    produce,
    start_worker,
    topic_size,
    wait_committed,
    worker_env,
)

pytestmark = pytest.mark.e2e

N_TICKETS = int(os.environ.get("RELIABILITY_BROKER_TICKETS", "1200"))
DOWN_S = 20.0


@pytest.fixture
def own_broker(tmp_path: Path) -> Iterator[LocalKafka]:
    port, controller_port = free_ports(2)
    broker = LocalKafka(home=tmp_path / "broker-home", port=port, controller_port=controller_port)
    broker.up(timeout=180)
    try:
        yield broker
    finally:
        broker.down()


def test_broker_restart_mid_run_worker_reconnects_and_finishes(own_broker: LocalKafka, tmp_path: Path) -> None:
    bootstrap = own_broker.bootstrap
    events = zendesk_events(N_TICKETS, seed=4242)
    tag = uuid.uuid4().hex[:8]
    app_id, prefix = f"brk-{tag}", f"brk-{tag}."
    env = worker_env(bootstrap, tmp_path / "home", prefix, app_id, TICKETSTREAM_OUTBOUND_ENABLED="false")
    settings = Settings(home=tmp_path / "home", topic_prefix=prefix, app_id=app_id, partitions=4,
                        kafka_bootstrap_servers=bootstrap)
    topics = TopicNames.from_settings(settings)
    ensure_topics(bootstrap, settings)
    watched = [topics.events, topics.redacted, topics.language, topics.classified, topics.enriched,
               topics.deadletter]

    worker = start_worker(env, tmp_path / "worker.log")
    try:
        worker.wait_ready()
        produce(bootstrap, topics.events, events)
        at_fault = wait_committed(bootstrap, app_id, topics.enriched, N_TICKETS // 3, alive=worker.alive)
        assert at_fault < N_TICKETS, "the run finished before the fault: nothing was tested"
        data_dir = own_broker.data_dir
        assert own_broker.down() is True
        time.sleep(DOWN_S)  # the outage itself: the worker keeps running without a broker
        assert worker.alive(), f"the worker exited while the broker was down:\n{worker.tail()}"
        info = own_broker.up(timeout=180)
        assert info.bootstrap == bootstrap and info.data_dir == data_dir and not info.already_running
        drain(bootstrap, app_id, watched, alive=worker.alive, stall_s=300)
        assert worker.stop() == 0, worker.tail()
    finally:
        worker.stop()

    final = cli_query(env, "SELECT event_id, count() AS n FROM ticketstream.ticket_events FINAL GROUP BY event_id")
    report = exactly_once_report(final, {e.event_id for e in events})
    assert (report["missing"], report["unexpected"], report["doubled"]) == ([], [], []), report
    assert report["distinct"] == report["rows"] == N_TICKETS
    assert topic_size(bootstrap, topics.deadletter) == 0, worker.tail()
    assert int(cli_query(env, "SELECT count() AS n FROM ticketstream.dead_letters")[0]["n"]) == 0
