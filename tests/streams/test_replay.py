"""Backfill replay: time range, rate limit, and resume after an interruption, on the real broker."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from confluent_kafka import Consumer, Producer
from confluent_kafka.admin import AdminClient, NewTopic

from connectors.demo import DemoFeed
from streams.replay import Checkpoint, TimeRange, TokenBucket, replay_file


def test_time_range_keeps_unreadable_lines_for_the_dead_letter_topic() -> None:
    window = TimeRange(datetime(2026, 11, 2, 9, tzinfo=UTC), datetime(2026, 11, 2, 10, tzinfo=UTC))
    assert window.contains(b'{"occurred_at": "2026-11-02T09:30:00Z"}')
    assert not window.contains(b'{"occurred_at": "2026-11-02T10:00:00Z"}')
    assert not window.contains(b'{"occurred_at": "2026-11-02T08:59:59+00:00"}')
    assert window.contains(b"{broken")


def test_token_bucket_spaces_items_at_the_rate() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    bucket = TokenBucket(10.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(30):
        bucket.take()
    assert now[0] == pytest.approx(2.0, abs=0.01)  # 10 at once (burst), then 20 more at 10/s


def _consume(bootstrap: str, topic: str, expected: int) -> list[bytes]:
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"t-{uuid.uuid4()}",
                         "auto.offset.reset": "earliest"})
    consumer.subscribe([topic])
    values: list[bytes] = []
    idle = 0
    polls = 0
    while idle < 6 and polls < 120:
        polls += 1
        msg = consumer.poll(0.5)
        if msg is None or msg.error():
            idle += 1 if len(values) >= expected else 0
            continue
        values.append(msg.value())
    consumer.close()
    return values


def test_interrupted_replay_resumes_without_gaps(kafka_bootstrap: str, tmp_path: Path) -> None:
    topic = f"replay-{uuid.uuid4().hex[:8]}"
    admin = AdminClient({"bootstrap.servers": kafka_bootstrap})  # kept referenced until the future resolves
    admin.create_topics([NewTopic(topic, 2, 1)])[topic].result(30)
    source = tmp_path / "export.jsonl"
    events = [t.event for t in DemoFeed(seed=9).take(30)]
    source.write_text("".join(e.model_dump_json() + "\n" for e in events) + "\n")
    point_path = tmp_path / "export.checkpoint"
    producer = Producer({"bootstrap.servers": kafka_bootstrap})

    def stop_at_15(line: int) -> None:
        if line == 15:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        replay_file(source, producer, topic, Checkpoint.load(point_path, source), on_line=stop_at_15, flush_every=10)
    assert json.loads(point_path.read_text())["line"] == 10

    resumed = replay_file(source, producer, topic, Checkpoint.load(point_path, source), flush_every=10)
    assert resumed.resumed_from_line == 10 and resumed.produced == 20
    assert json.loads(point_path.read_text())["line"] == 30

    seen = {json.loads(v)["event_id"] for v in _consume(kafka_bootstrap, topic, 30)}
    assert seen == {e.event_id for e in events}


def test_checkpoint_of_another_file_is_not_used(tmp_path: Path) -> None:
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text('{"x": 1}\n')
    b.write_text('{"x": 2}\n{"x": 3}\n')
    point = Checkpoint.load(tmp_path / "cp", a)
    point.line = 1
    point.save()
    assert Checkpoint.load(tmp_path / "cp", a).line == 1
    assert Checkpoint.load(tmp_path / "cp", b).line == 0


def test_lag_of_a_group_on_a_fresh_broker_is_unknown_or_full(kafka_bootstrap: str) -> None:
    """Right after a broker starts, the coordinator may not be ready: lag is None then, never an error."""
    from streams.lag import group_lag

    topic = f"lag-{uuid.uuid4().hex[:8]}"
    admin = AdminClient({"bootstrap.servers": kafka_bootstrap})  # kept referenced until the future resolves
    admin.create_topics([NewTopic(topic, 1, 1)])[topic].result(30)
    producer = Producer({"bootstrap.servers": kafka_bootstrap})
    for i in range(3):
        producer.produce(topic, value=str(i).encode())
    producer.flush(30)
    lag = group_lag(kafka_bootstrap, f"never-committed-{uuid.uuid4().hex[:6]}", [topic])
    assert lag in (None, 3)
