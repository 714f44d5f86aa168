"""A real Kafka broker for the test suite, and small helpers around it.

The broker is chosen in this order:

1. ``KAFKA_BOOTSTRAP_SERVERS`` when set: an existing broker or cluster, used as it is;
2. a testcontainers ``KafkaContainer`` (KRaft) when a Docker engine answers;
3. otherwise the project's own local broker (:class:`streams.kafka_local.LocalKafka`) with its home in a
   temporary directory and free ports, started for the session and stopped at its end.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

from confluent_kafka import KafkaException
from confluent_kafka.admin import AdminClient, NewTopic

from streams.kafka_local import BOOTSTRAP_ENV, LocalKafka

logger = logging.getLogger(__name__)

TESTCONTAINERS_IMAGE = "confluentinc/cp-kafka:7.6.0"


def free_ports(count: int = 1, host: str = "127.0.0.1") -> list[int]:
    """``count`` distinct ports the OS reports free right now (all sockets held open until all are known)."""
    with contextlib.ExitStack() as stack:
        ports = []
        for _ in range(count):
            sock = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            sock.bind((host, 0))
            ports.append(sock.getsockname()[1])
    return ports


def docker_engine_answers(timeout: float = 3.0) -> bool:
    """Whether a Docker engine answers a ping (the docker SDK, honouring ``DOCKER_HOST``)."""
    try:
        import docker
    except ImportError:
        return False
    try:
        client = docker.from_env(timeout=max(1, int(timeout)))
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception as exc:  # no socket, refused, timeout, bad DOCKER_HOST: all mean "no engine"
        logger.debug("no Docker engine: %s", exc)
        return False


@contextlib.contextmanager
def testcontainers_kafka(image: str = TESTCONTAINERS_IMAGE) -> Iterator[str]:
    """A Kafka broker in a container (KRaft mode); yields its bootstrap address."""
    try:
        from testcontainers.community.kafka import KafkaContainer
    except ImportError:  # testcontainers < 4.13 had it here
        from testcontainers.kafka import KafkaContainer

    with KafkaContainer(image).with_kraft() as container:
        yield container.get_bootstrap_server()


@contextlib.contextmanager
def local_kafka(home: Path, timeout: float = 120.0) -> Iterator[str]:
    """The project's local broker under ``home`` on free ports; stopped (and waited for) on exit."""
    port, controller_port = free_ports(2)
    broker = LocalKafka(home=home, port=port, controller_port=controller_port)
    info = broker.up(timeout=timeout)
    logger.info("local Kafka for the tests: %s", info.summary())
    try:
        yield info.bootstrap
    finally:
        broker.down()


@contextlib.contextmanager
def kafka_for_tests(tmp_home: Path, env: Mapping[str, str] | None = None) -> Iterator[str]:
    """A bootstrap address for the tests, chosen as the module docstring says."""
    env = os.environ if env is None else env
    configured = env.get(BOOTSTRAP_ENV, "").strip()
    if configured:
        yield configured
    elif docker_engine_answers():
        with testcontainers_kafka() as bootstrap:
            yield bootstrap
    else:
        with local_kafka(tmp_home) as bootstrap:
            yield bootstrap


class KafkaAdmin:
    """An AdminClient bound to one bootstrap address, with the few operations tests need."""

    def __init__(self, bootstrap: str) -> None:
        self.bootstrap = bootstrap
        self.client = AdminClient({"bootstrap.servers": bootstrap})

    def create_topics(
        self, partitions: Mapping[str, int], replication_factor: int = 1, timeout: float = 30.0
    ) -> None:
        """Create topics with explicit partition counts and wait until the broker's metadata shows them
        with those counts. Existing topics are kept as they are."""
        new = [
            NewTopic(name, num_partitions=n, replication_factor=replication_factor)
            for name, n in partitions.items()
        ]
        for name, future in self.client.create_topics(
            new, operation_timeout=timeout, request_timeout=timeout
        ).items():
            try:
                future.result(timeout=timeout)
            except KafkaException as exc:
                if exc.args[0].name() != "TOPIC_ALREADY_EXISTS":
                    raise RuntimeError(f"could not create topic {name!r} on {self.bootstrap}: {exc}") from exc
        deadline = time.monotonic() + timeout
        while True:
            missing = {name for name in partitions if self.partitions(name) is None}
            if not missing:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"topics {sorted(missing)} did not appear on {self.bootstrap}")
            time.sleep(0.1)

    def partitions(self, topic: str, timeout: float = 10.0) -> int | None:
        """The topic's partition count, or None when the broker does not know the topic."""
        metadata = self.client.list_topics(topic=topic, timeout=timeout).topics.get(topic)
        if metadata is None or metadata.error is not None:
            return None
        return len(metadata.partitions)

    def topics(self, timeout: float = 10.0) -> set[str]:
        return set(self.client.list_topics(timeout=timeout).topics)

    def delete_topics(self, names: list[str], timeout: float = 30.0) -> None:
        for future in self.client.delete_topics(
            names, operation_timeout=timeout, request_timeout=timeout
        ).values():
            with contextlib.suppress(KafkaException):
                future.result(timeout=timeout)
