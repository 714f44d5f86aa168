"""SLA streaming state in faust Tables, on the real broker with the worker as a process.

50 new tickets go through a worker with TICKETSTREAM_SLA_STATE=true, which is then stopped; one follow-up per
ticket goes through a second worker process that has only the changelog to recover the tables from (memory
store, fresh process): every follow-up's prediction knows the ticket's previous risk level, priority and
creation time from the recovered table, the stream equals the batch CLI over the same 100 events, and the
queue-backlog table (also recovered) is served on the worker's web port.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from confluent_kafka import Producer

from connectors.demo import DemoFeed
from processors.sla.state import StateEvent, TicketState, update_ticket
from schemas import EnrichedTicket, EventType, Status, TicketEvent
from streams.lag import group_progress, wait_drained
from streams.settings import Settings
from streams.sla_state import QUEUE_TOPIC
from streams.topics import TopicNames, ensure_topics
from tests.e2e.test_pipeline_e2e import _consume_all, _free_port

pytestmark = pytest.mark.e2e

N_TICKETS = 50
REPO = Path(__file__).resolve().parents[2]


def _follow_up(event: TicketEvent, i: int) -> TicketEvent:
    solved = i % 3 == 0
    return event.model_copy(update={
        "event_id": f"{event.event_id}-f",
        "event_type": EventType.solved if solved else EventType.updated,
        "occurred_at": event.occurred_at + timedelta(hours=6 + i % 5),
        "ticket_created_at": None,  # the stream must remember it
        "priority": None,            # and the priority
        "status": Status.solved if solved else Status.pending,
    })


def _consumer_state(web_port: int) -> str:
    """The worker's /debug/consumer snapshot, to say which layer holds a stalled partition."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{web_port}/debug/consumer", timeout=10) as resp:
            return resp.read().decode()
    except OSError as exc:
        return f"unavailable ({exc})"


def _run_worker(env: dict[str, str], bootstrap: str, settings: Settings, watched: list[str], log: Path,
                web_port: int) -> dict[str, dict[str, object]]:
    with open(log, "ab") as out:
        proc = subprocess.Popen([sys.executable, "-m", "streams.cli", "worker"], env=env, stdout=out,
                                stderr=subprocess.STDOUT, cwd=REPO)
    try:
        try:
            wait_drained(bootstrap, settings.app_id, watched, timeout=float(os.environ.get("SLA_E2E_TIMEOUT", "300")))
        except TimeoutError as exc:
            progress = group_progress(bootstrap, settings.app_id, watched)
            raise AssertionError(f"{exc}; progress {progress}; consumer {_consumer_state(web_port)}; "
                                 f"worker log tail:\n{log.read_text()[-4000:]}") from exc
        assert proc.poll() is None, f"worker died: {log.read_text()[-3000:]}"
        queues: dict[str, dict[str, object]] = {}
        for _ in range(30):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{web_port}/sla/queues/", timeout=5) as resp:
                    queues = json.loads(resp.read())
                break
            except OSError:
                time.sleep(1)
        return queues
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(90)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_sla_state_kept_in_faust_tables(kafka_bootstrap: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    prefix = f"sla-{uuid.uuid4().hex[:8]}."
    app_id = f"sla-{uuid.uuid4().hex[:8]}"
    web_port = _free_port()
    env = dict(os.environ, KAFKA_BOOTSTRAP_SERVERS=kafka_bootstrap, TICKETSTREAM_HOME=str(home),
               TICKETSTREAM_TOPIC_PREFIX=prefix, TICKETSTREAM_APP_ID=app_id, TICKETSTREAM_WEB_PORT=str(web_port),
               TICKETSTREAM_PARTITIONS="2", TICKETSTREAM_BATCH_SIZE="16",
               TICKETSTREAM_SLA_STATE="true")
    env.pop("CLICKHOUSE_URL", None)
    settings = Settings(home=home, topic_prefix=prefix, app_id=app_id, partitions=2,
                        kafka_bootstrap_servers=kafka_bootstrap)
    topics = TopicNames.from_settings(settings)
    ensure_topics(kafka_bootstrap, settings)
    watched = [topics.events, topics.redacted, topics.language, topics.classified, topics.enriched,
               settings.topic(QUEUE_TOPIC)]
    created = [t.event for t in DemoFeed(seed=7).take(N_TICKETS)]
    follow = [_follow_up(e, i) for i, e in enumerate(created)]
    producer = Producer({"bootstrap.servers": kafka_bootstrap, "enable.idempotence": True})
    log = home / "worker.log"
    home.mkdir(parents=True)

    for e in created:
        producer.produce(topics.events, key=e.key.encode(), value=e.to_json_bytes())
    assert producer.flush(60) == 0
    _run_worker(env, kafka_bootstrap, settings, watched, log, web_port)
    # The follow-ups reach a new worker process: its tables start empty and recover from the changelog.
    for e in follow:
        producer.produce(topics.events, key=e.key.encode(), value=e.to_json_bytes())
    assert producer.flush(60) == 0
    first_run_log = log.stat().st_size
    queues = _run_worker(env, kafka_bootstrap, settings, watched, log, web_port)
    second_run = log.read_bytes()[first_run_log:].decode("utf-8", "replace")
    assert "Done reading from changelog topics" in second_run, "the second worker did not restore the tables"

    streamed = {}
    deliveries: Counter[str] = Counter()
    for _, value in _consume_all(kafka_bootstrap, topics.enriched):
        ticket = EnrichedTicket.model_validate_json(value)
        deliveries[ticket.event_id] += 1
        streamed.setdefault(ticket.event_id, ticket)  # the first result; a redelivery would see its own state
    assert len(streamed) == 2 * N_TICKETS
    follow_ups = [streamed[e.event_id] for e in follow]
    assert all(t.sla.previous_risk_level is not None for t in follow_ups), "ticket state not recovered"
    first = {e.ticket_id: streamed[e.event_id] for e in created}
    for t in follow_ups:  # priority and creation time came from the table state
        assert t.sla.priority == first[t.ticket_id].sla.priority
        assert t.sla.resolution_due == first[t.ticket_id].sla.resolution_due

    # The same 100 events through the batch CLI (in-memory state, one process) give the same enrichment.
    stdin = b"".join(e.to_json_bytes() + b"\n" for e in [*created, *follow])
    done = subprocess.run([sys.executable, "-m", "streams.cli", "process", "-", "-"], env=env, input=stdin,
                          capture_output=True, timeout=900, cwd=REPO)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    batch = [EnrichedTicket.model_validate_json(line) for line in done.stdout.splitlines()]
    redelivered = {e: n for e, n in deliveries.items() if n > 1}
    watchdog = [line[:300] for line in log.read_text().splitlines() if "ticketstream.watchdog" in line]
    for ticket in batch:
        got = streamed[ticket.event_id]
        diff = {k: (v, getattr(got, k)) for k, v in ticket if v != getattr(got, k)}
        assert not diff, f"{ticket.event_id}: batch vs stream {diff}; redelivered {redelivered}; watchdog {watchdog}"

    # Queue backlog recovered as well: per queue, the tickets open after all events (the demo feed has
    # follow-ups of its own, so a ticket may be solved and then reopened by a later event).
    final: dict[str, TicketState] = {}
    for e in [*created, *follow]:
        final[e.key] = update_ticket(final.get(e.key), StateEvent(
            event_id=e.event_id, event_type=e.event_type, occurred_at=e.occurred_at, created_at=e.ticket_created_at,
            status=e.status, queue=e.queue, priority=e.priority.value if e.priority else None))
    expected = Counter(f"{key.split(':')[0]}:{s.queue}" for key, s in final.items() if s.is_open and s.queue)
    served = {k: v["open_tickets"] for k, v in queues.items() if v["open_tickets"]}
    assert served == dict(expected)

    # Solved follow-ups recorded their SLA outcome in ClickHouse; too few of them to retrain from is a clear error.
    def cli(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([sys.executable, "-m", "streams.cli", *args], env=env, capture_output=True,
                              timeout=600, cwd=REPO)

    done = cli("query", "SELECT event_id, met_resolution FROM ticketstream.sla_outcomes FINAL", "--format", "json")
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    recorded = {json.loads(line)["event_id"] for line in done.stdout.decode().splitlines() if line.strip()}
    assert recorded == {e.event_id for e in follow if e.event_type == EventType.solved}
    refused = cli("train", "sla", "--from-clickhouse", "--out", str(tmp_path / "sla-artifact"))
    assert refused.returncode != 0
    assert b"at least 50 are needed" in refused.stderr + refused.stdout
