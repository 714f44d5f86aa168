"""The local Kafka broker behind `ticketstream kafka up|down|status`, against the real thing (no mocks)."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition

from streams.kafka_local import KafkaLocalError, LocalKafka, resolve_bootstrap
from tests.broker import KafkaAdmin, free_ports

pytestmark = pytest.mark.integration

# Errors a client sees for a moment while a restarted broker takes its partitions' leadership back.
SETTLING = {
    KafkaError.NOT_LEADER_FOR_PARTITION,
    KafkaError.LEADER_NOT_AVAILABLE,
    KafkaError._TIMED_OUT,
}


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[LocalKafka]:
    port, controller_port = free_ports(2)
    kafka = LocalKafka(home=tmp_path / "home", port=port, controller_port=controller_port)
    try:
        yield kafka
    finally:
        kafka.down()


def produce(bootstrap: str, topic: str, key: bytes, value: bytes) -> None:
    delivered: list[KafkaError | None] = []
    producer = Producer({"bootstrap.servers": bootstrap, "acks": "all"})
    producer.produce(topic, key=key, value=value, on_delivery=lambda err, _msg: delivered.append(err))
    assert producer.flush(30) == 0
    assert delivered == [None]


def consume_one(bootstrap: str, topic: str, group: str) -> tuple[bytes | None, bytes | None]:
    """Join ``group``, read the first message of ``topic`` and commit it."""
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": group,
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
        }
    )
    try:
        consumer.subscribe([topic])
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            msg = consumer.poll(0.5)
            if msg is None:
                continue
            assert msg.error() is None, msg.error()
            consumer.commit(message=msg, asynchronous=False)
            return msg.key(), msg.value()
        raise AssertionError(f"no message on {topic} within 60 s")
    finally:
        consumer.close()


def read_all(bootstrap: str, topic: str, partitions: int) -> list[tuple[bytes | None, bytes | None]]:
    """Every message of ``topic`` from the beginning, without a consumer group."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "unused", "enable.auto.commit": False})
    try:
        assigned = [TopicPartition(topic, p, 0) for p in range(partitions)]
        ends = {p: high_watermark(consumer, topic, p) for p in range(partitions)}
        consumer.assign(assigned)
        messages: list[tuple[bytes | None, bytes | None]] = []
        deadline = time.monotonic() + 30
        while sum(ends.values()) > len(messages) and time.monotonic() < deadline:
            msg = consumer.poll(0.5)
            if msg is not None and msg.error() is None:
                messages.append((msg.key(), msg.value()))
        return messages
    finally:
        consumer.close()


def high_watermark(consumer: Consumer, topic: str, partition: int) -> int:
    """The partition's end offset; retried briefly, as a client would, while leadership settles."""
    deadline = time.monotonic() + 30
    while True:
        try:
            return int(consumer.get_watermark_offsets(TopicPartition(topic, partition), timeout=10)[1])
        except KafkaException as exc:
            if exc.args[0].code() not in SETTLING or time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def committed_offset(bootstrap: str, group: str, topic: str, partitions: int) -> int:
    """The group's committed offsets. Right after a restart the broker may still be loading the offsets topic and
    answer NOT_COORDINATOR (seen on a loaded CI host); a client retries that, and so does this."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group})
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                offsets = consumer.committed([TopicPartition(topic, p) for p in range(partitions)], timeout=30)
                return sum(tp.offset for tp in offsets if tp.offset >= 0)
            except KafkaException as exc:
                code = exc.args[0].code()
                retriable = code in SETTLING or code in (KafkaError.NOT_COORDINATOR,
                                                         KafkaError.COORDINATOR_LOAD_IN_PROGRESS,
                                                         KafkaError.COORDINATOR_NOT_AVAILABLE)
                if not retriable or time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
    finally:
        consumer.close()


def process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_up_down_and_data_survives_a_restart(broker: LocalKafka) -> None:
    info = broker.up()
    assert info.bootstrap == broker.bootstrap
    assert not info.already_running
    assert info.startup_seconds > 0

    status = broker.status()
    assert status.running and status.answering
    assert status.pid == info.pid
    assert status.bootstrap == broker.bootstrap
    assert status.version == "4.1.1"
    assert status.data_dir == broker.home / "kafka" / "data"
    assert broker.pid_file.read_text().strip() == str(info.pid)
    assert broker.log_file.is_file() and "Kafka Server started" in broker.log_file.read_text()

    topic = f"tickets.test-{uuid.uuid4().hex[:8]}"
    admin = KafkaAdmin(broker.bootstrap)
    admin.create_topics({topic: 3})
    assert admin.partitions(topic) == 3

    produce(broker.bootstrap, topic, b"acme:T-1", b'{"subject": "printer on fire"}')
    assert consume_one(broker.bootstrap, topic, "lifecycle-group") == (
        b"acme:T-1",
        b'{"subject": "printer on fire"}',
    )

    assert broker.down() is True
    status = broker.status()
    assert not status.running and not status.answering and status.pid is None
    assert not broker.pid_file.exists()
    assert not process_exists(info.pid)

    again = broker.up()
    assert not again.already_running
    assert again.pid != info.pid
    admin = KafkaAdmin(broker.bootstrap)
    assert admin.partitions(topic) == 3
    assert read_all(broker.bootstrap, topic, 3) == [(b"acme:T-1", b'{"subject": "printer on fire"}')]
    assert committed_offset(broker.bootstrap, "lifecycle-group", topic, 3) == 1

    assert broker.down() is True
    assert not broker.status().running
    assert not process_exists(again.pid)


def test_up_twice_is_idempotent_and_a_crash_at_startup_shows_the_log(broker: LocalKafka) -> None:
    first = broker.up()
    second = broker.up()
    assert second.already_running
    assert second.pid == first.pid
    assert second.bootstrap == first.bootstrap
    assert broker.status().answering

    # The running broker's address is what the pipeline uses unless KAFKA_BOOTSTRAP_SERVERS is set.
    assert resolve_bootstrap({}, broker) == broker.bootstrap
    assert resolve_bootstrap({"KAFKA_BOOTSTRAP_SERVERS": "kafka-1:9092,kafka-2:9092"}, broker) == (
        "kafka-1:9092,kafka-2:9092"
    )

    broker.down()
    assert resolve_bootstrap({}, broker) is None

    # Same (formatted) home, a config value the broker rejects at startup: the error carries its log.
    bad = LocalKafka(
        home=broker.home,
        port=broker.port,
        controller_port=broker.controller_port,
        extra_properties={"log.retention.ms": "not-a-number"},
    )
    with pytest.raises(KafkaLocalError, match="exited during startup") as excinfo:
        bad.up(timeout=60)
    assert "log.retention.ms" in str(excinfo.value)
    assert not bad.status().running
    assert not bad.pid_file.exists()


def test_down_and_status_when_not_running_are_fine(tmp_path: Path) -> None:
    port, controller_port = free_ports(2)
    kafka = LocalKafka(home=tmp_path / "never-started", port=port, controller_port=controller_port)
    assert kafka.down() is False
    status = kafka.status()
    assert not status.running and not status.answering and status.pid is None and not status.formatted

    # A PID file left behind by a broker that is gone (crash, reboot) is cleaned up, not obeyed.
    finished = subprocess.Popen(["true"])
    finished.wait()
    kafka.kafka_dir.mkdir(parents=True)
    kafka.pid_file.write_text(f"{finished.pid}\n")
    assert not kafka.status().running
    assert kafka.down() is False
    assert not kafka.pid_file.exists()


@pytest.mark.parametrize("which", ["port", "controller_port"])
def test_port_taken_by_another_listener_is_a_clear_error(tmp_path: Path, which: str) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        taken = other.getsockname()[1]
        port, controller_port = free_ports(2)
        ports = {"port": port, "controller_port": controller_port, which: taken}
        kafka = LocalKafka(home=tmp_path / "home", **ports)
        with pytest.raises(KafkaLocalError, match=f"Port {taken} on 127.0.0.1 .*already in use"):
            kafka.up(timeout=30)
        assert not kafka.status().running
        assert not kafka.pid_file.exists()


def test_session_fixture_gives_a_broker_that_takes_explicit_partition_counts(
    kafka_bootstrap: str, kafka_admin: KafkaAdmin
) -> None:
    topic = f"tickets.fixture-{uuid.uuid4().hex[:8]}"
    kafka_admin.create_topics({topic: 4})
    assert kafka_admin.partitions(topic) == 4
    produce(kafka_bootstrap, topic, b"acme:T-9", b"hello")
    assert read_all(kafka_bootstrap, topic, 4) == [(b"acme:T-9", b"hello")]
