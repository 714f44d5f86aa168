"""Helpers and fixtures of the replay tests: topics on the real broker, reading them back, and the chDB
engine reached directly and through its HTTP front (as tests/sinks does). Import the fixtures by name."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from confluent_kafka import Consumer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from sinks.clickhouse import ChdbClient, ClickHouseClient, ConnectClient
from tests.support.chdb_http import ChdbHttpServer, shared_chdb_dir


def new_topic(bootstrap: str, partitions: int = 2) -> str:
    topic = f"replay-{uuid.uuid4().hex[:10]}"
    admin = AdminClient({"bootstrap.servers": bootstrap})  # kept referenced until the future resolves
    admin.create_topics([NewTopic(topic, partitions, 1)])[topic].result(30)
    return topic


def consume(bootstrap: str, topic: str, expected: int, timeout: float = 30.0) -> list[tuple[bytes | None, bytes]]:
    """(key, value) of every message on `topic`: waits for `expected`, then two more seconds for extras."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"check-{uuid.uuid4()}",
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    consumer.subscribe([topic])
    out: list[tuple[bytes | None, bytes]] = []
    deadline = time.monotonic() + timeout
    settle: float | None = None
    while time.monotonic() < deadline:
        msg = consumer.poll(0.5)
        if msg is not None and not msg.error():
            out.append((msg.key(), msg.value() or b""))
        if len(out) >= expected and settle is None:
            settle = time.monotonic() + 2.0
        if settle is not None and time.monotonic() > settle:
            break
    consumer.close()
    return out


def message_count(bootstrap: str, topic: str) -> int:
    """Messages on `topic` by its partitions' watermarks: exact, with no wait for a consumer group."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"count-{uuid.uuid4()}"})
    try:
        partitions = consumer.list_topics(topic, timeout=30).topics[topic].partitions
        total = 0
        for partition in partitions:
            low, high = consumer.get_watermark_offsets(TopicPartition(topic, partition), timeout=30)
            total += high - low
        return total
    finally:
        consumer.close()


@pytest.fixture(scope="session")
def chdb_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_chdb_dir(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="session")
def chdb_front(chdb_dir: Path) -> Iterator[ChdbHttpServer]:
    with ChdbHttpServer(chdb_dir) as front:
        yield front


@pytest.fixture(params=["chdb", "connect"])
def client(request: pytest.FixtureRequest, chdb_dir: Path) -> Iterator[ClickHouseClient]:
    """The two client paths over the same engine: chDB in-process, clickhouse-connect over HTTP."""
    opened: ClickHouseClient
    if request.param == "chdb":
        opened = ChdbClient(chdb_dir)
    else:
        front: ChdbHttpServer = request.getfixturevalue("chdb_front")
        opened = ConnectClient(front.url)
    yield opened
    opened.close()


@pytest.fixture
def database() -> str:
    return f"ts_replay_{uuid.uuid4().hex[:12]}"
