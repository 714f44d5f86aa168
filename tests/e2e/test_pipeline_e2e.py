"""End to end on a real broker: the worker as a separate process, 1,000 demo tickets plus malformed ones.

Checks what an operator would: every ticket lands in ClickHouse once with its enrichment, no PII of the
generated tickets is anywhere in ClickHouse or on the outbound topic, outbound actions were produced,
malformed messages are dead-lettered with a reason while the good ones around them land, and the batch
CLI gives the same enrichment as the stream.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from confluent_kafka import Consumer, Producer, TopicPartition

from connectors.demo import DemoFeed, DemoTicket
from schemas import DeadLetter, EnrichedTicket, OutboundAction
from streams.lag import wait_drained
from streams.settings import Settings
from streams.topics import TopicNames, ensure_topics

pytestmark = pytest.mark.e2e

N_TICKETS = 1_000
REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _malformed(feed_event: bytes) -> dict[str, bytes]:
    """Bad messages, keyed by what their dead letter's reason must name (the field, or the JSON problem)."""
    good = json.loads(feed_event)
    missing = {k: v for k, v in good.items() if k != "event_id"}
    oversized = dict(good, event_id="oversized-1", body="x" * 70_000)
    bad_enum = dict(good, event_id="bad-enum-1", channel="carrier-pigeon")
    return {
        "Invalid JSON: EOF": b'{"tenant_id": "acme", "ticket_id": ',
        "event_id: Field required": json.dumps(missing).encode(),
        "body: String should have at most 64000 characters": json.dumps(oversized).encode(),
        "channel: Input should be": json.dumps(bad_enum).encode(),
        "invalid unicode": b'{"tenant_id": "acme", "body": "\xff\xfe broken"}',
    }


def _consume_all(bootstrap: str, topic: str) -> list[tuple[bytes | None, bytes]]:
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"check-{uuid.uuid4()}",
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    consumer.subscribe([topic])
    out: list[tuple[bytes | None, bytes]] = []
    empty_polls = 0
    while empty_polls < 5:
        msg = consumer.poll(1.0)
        if msg is None:
            empty_polls += 1 if out or empty_polls < 20 else 5
            continue
        if msg.error():
            continue
        empty_polls = 0
        out.append((msg.key(), msg.value()))
    consumer.close()
    return out


@dataclass
class Run:
    settings: Settings
    env: dict[str, str]
    bootstrap: str
    topics: TopicNames
    tickets: list[DemoTicket]
    malformed: dict[str, bytes]
    worker_log: Path
    consumer_state: dict[str, Any]

    def cli(self, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([sys.executable, "-m", "streams.cli", *args], env=self.env, input=stdin,
                              capture_output=True, timeout=900, cwd=REPO)

    def query_json(self, sql: str) -> list[dict[str, Any]]:
        done = self.cli("query", sql, "--format", "json")
        assert done.returncode == 0, done.stderr.decode()[-2000:]
        return [json.loads(line) for line in done.stdout.decode().splitlines() if line.strip()]


@pytest.fixture(scope="module")
def run(kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    logs = tmp_path_factory.mktemp("e2e-logs")
    home = logs / "home"  # not created: the worker makes its own home directory, as on a fresh pod
    prefix = f"e2e-{uuid.uuid4().hex[:8]}."
    env = dict(os.environ, KAFKA_BOOTSTRAP_SERVERS=kafka_bootstrap, TICKETSTREAM_HOME=str(home),
               TICKETSTREAM_TOPIC_PREFIX=prefix, TICKETSTREAM_APP_ID=f"e2e-{uuid.uuid4().hex[:8]}",
               TICKETSTREAM_WEB_PORT=str(_free_port()), TICKETSTREAM_PARTITIONS="4")
    env.pop("CLICKHOUSE_URL", None)
    settings = Settings(home=home, topic_prefix=prefix, app_id=env["TICKETSTREAM_APP_ID"], partitions=4,
                        kafka_bootstrap_servers=kafka_bootstrap)
    topics = TopicNames.from_settings(settings)
    ensure_topics(kafka_bootstrap, settings)

    tickets = DemoFeed(seed=2026).take(N_TICKETS)
    malformed = _malformed(tickets[0].event.to_json_bytes())
    producer = Producer({"bootstrap.servers": kafka_bootstrap, "enable.idempotence": True})
    bad = list(malformed.values())
    for i, ticket in enumerate(tickets):
        producer.produce(topics.events, key=ticket.event.key.encode(), value=ticket.event.to_json_bytes())
        if i % 200 == 100 and bad:  # bad messages between good ones, on the same keys
            producer.produce(topics.events, key=ticket.event.key.encode(), value=bad.pop())
    assert producer.flush(60) == 0

    worker_log = logs / "worker.log"
    with open(worker_log, "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "streams.cli", "worker"], env=env, stdout=log,
                                stderr=subprocess.STDOUT, cwd=REPO)
    try:
        watched = [topics.events, topics.redacted, topics.language, topics.classified, topics.enriched,
                   topics.deadletter]
        wait_drained(kafka_bootstrap, settings.app_id, watched, timeout=900)
        assert proc.poll() is None, f"worker died: {worker_log.read_text()[-3000:]}"
        with urllib.request.urlopen(f"http://127.0.0.1:{env['TICKETSTREAM_WEB_PORT']}/debug/consumer",
                                    timeout=30) as resp:
            consumer_state = json.loads(resp.read())
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(90)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    yield Run(settings, env, kafka_bootstrap, topics, tickets, malformed, worker_log, consumer_state)


def test_every_ticket_lands_once_with_enrichment(run: Run) -> None:
    rows = run.query_json(
        "SELECT tenant_id, ticket_id, event_id, language, category, intent, sla_policy, breach_probability, "
        "risk_level, resolution_due FROM ticketstream.ticket_events FINAL"
    )
    keys = [(r["tenant_id"], r["ticket_id"], r["event_id"]) for r in rows]
    expected = {(t.event.tenant_id, t.event.ticket_id, t.event.event_id) for t in run.tickets}
    assert len(keys) == len(set(keys)) == N_TICKETS
    assert set(keys) == expected
    for r in rows:
        assert r["language"] and r["language"] != "und"
        assert r["category"] and r["intent"] and r["sla_policy"] and r["risk_level"]
        assert 0.0 <= float(r["breach_probability"]) <= 1.0
    # The language of the generated text is known: the detector must get nearly all of them right.
    truth = {t.event.event_id: t.language for t in run.tickets}
    right = sum(r["language"] == truth[r["event_id"]] for r in rows)
    assert right / len(rows) > 0.95


def test_no_pii_in_clickhouse_or_outbound(run: Run) -> None:
    dump = json.dumps(run.query_json("SELECT * FROM ticketstream.ticket_events"), ensure_ascii=False)
    dump += json.dumps(run.query_json("SELECT * FROM ticketstream.tickets"), ensure_ascii=False)
    dump += json.dumps(run.query_json("SELECT * FROM ticketstream.dead_letters"), ensure_ascii=False)
    outbound = _consume_all(run.bootstrap, run.topics.outbound)
    dump += "\n".join(v.decode() for _, v in outbound)
    leaked = sorted({v for t in run.tickets for v in t.pii_values if v in dump})
    assert not leaked, f"{len(leaked)} PII values leaked, e.g. {leaked[:5]}"
    assert "<PERSON_1>" in dump  # redaction happened, and left its placeholders


def test_outbound_actions_produced(run: Run) -> None:
    outbound = [OutboundAction.from_json_bytes(v) for _, v in _consume_all(run.bootstrap, run.topics.outbound)]
    assert outbound
    ids = {a.action_id for a in outbound}
    assert len(ids) == len(outbound)  # one action per event and kind
    tagged = {a.event_id for a in outbound if a.kind == "add_tags"}
    assert tagged == {t.event.event_id for t in run.tickets}
    assert any(a.kind == "internal_note" for a in outbound)


def test_malformed_messages_dead_lettered_with_reason(run: Run) -> None:
    letters = [DeadLetter.from_json_bytes(v) for _, v in _consume_all(run.bootstrap, run.topics.deadletter)]
    by_payload = {letter.payload(): letter for letter in letters}
    assert len(letters) == len(run.malformed)
    for expected, payload in run.malformed.items():
        letter = by_payload[payload]  # the original bytes are kept, whole
        assert letter.stage == "pii"
        assert expected in letter.reason, (expected, letter.reason)
    rows = run.query_json("SELECT stage, reason FROM ticketstream.dead_letters")
    assert len(rows) == len(run.malformed)


def test_batch_cli_gives_the_same_enrichment_as_the_stream(run: Run) -> None:
    sample = run.tickets[:300]
    stdin = b"".join(t.event.to_json_bytes() + b"\n" for t in sample)
    done = run.cli("process", "-", "-", stdin=stdin)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    batch = [EnrichedTicket.model_validate_json(line) for line in done.stdout.splitlines()]
    assert [b.event_id for b in batch] == [t.event.event_id for t in sample]
    streamed = {}
    for _, value in _consume_all(run.bootstrap, run.topics.enriched):
        ticket = EnrichedTicket.model_validate_json(value)
        streamed[ticket.event_id] = ticket
    for ticket in batch:
        assert ticket == streamed[ticket.event_id]


def _end_offsets(bootstrap: str, topic: str) -> int:
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"ends-{uuid.uuid4()}"})
    try:
        parts = consumer.list_topics(topic, timeout=10).topics[topic].partitions
        return sum(consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1] for p in parts)
    finally:
        consumer.close()


def test_deadletters_list_and_replay(run: Run) -> None:
    listed = run.cli("deadletters", "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr.decode()[-2000:]
    rows = [json.loads(line) for line in listed.stdout.decode().splitlines()]
    assert len(rows) == len(run.malformed)
    assert {r["stage"] for r in rows} == {"pii"}
    assert "payload_b64" not in listed.stdout.decode()  # never print what may hold PII

    dry = run.cli("deadletters", "replay", "--reason", "Invalid JSON", "--dry-run")
    assert dry.returncode == 0 and "would replay 2" in dry.stdout.decode(), dry.stdout.decode()
    before = _end_offsets(run.bootstrap, run.topics.events)
    done = run.cli("deadletters", "replay", "--reason", "Invalid JSON")
    assert done.returncode == 0 and "replayed 2" in done.stdout.decode(), done.stderr.decode()[-2000:]
    assert _end_offsets(run.bootstrap, run.topics.events) == before + 2


def test_debug_consumer_view_shows_partitions_offsets_and_the_fetch_loop(run: Run) -> None:
    """/debug/consumer is what an operator (and the stall watchdog's log) reads when a partition stops."""
    state = run.consumer_state
    parts = state["partitions"]
    events = [v for k, v in parts.items() if k.startswith(f"{run.topics.events}[")]
    assert len(events) == 4  # one worker holds all four partitions of the inbound topic
    produced = len(run.tickets) + len(run.malformed)
    assert sum(p["committed_offset"] or 0 for p in events) == produced  # drained: committed = end
    assert all(p["active"] and not p["paused"] and p["aiokafka"]["status"] == "CONSUMING" for p in events)
    assert state["flow_active"] and state["flow_control_active"] and not state["in_recovery"]
    assert any("_drain_messages" in frame for frame in state["fetch_task"]), state["fetch_task"]
