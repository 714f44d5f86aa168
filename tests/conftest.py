"""Shared fixtures. The broker logic lives in tests/broker.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.broker import KafkaAdmin, kafka_for_tests


@pytest.fixture(scope="session")
def kafka_bootstrap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Kafka broker for the session: KAFKA_BOOTSTRAP_SERVERS, else testcontainers where a Docker
    engine answers, else the project's local broker in a temporary home on free ports."""
    with kafka_for_tests(tmp_path_factory.mktemp("kafka-home")) as bootstrap:
        yield bootstrap


@pytest.fixture(scope="session")
def kafka_admin(kafka_bootstrap: str) -> KafkaAdmin:
    """Admin helper on the session broker: ``kafka_admin.create_topics({"name": partitions})``."""
    return KafkaAdmin(kafka_bootstrap)
