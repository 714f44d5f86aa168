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


@pytest.fixture(scope="session", autouse=True)
def _hermetic_llm_settings() -> Iterator[None]:
    """No test reaches the internet: workers and CLIs started by tests never pick a cloud LLM up from a
    developer's environment (an ANTHROPIC_API_KEY would make `auto` choose Anthropic)."""
    import os

    saved = {k: os.environ.pop(k) for k in ("ANTHROPIC_API_KEY", "TICKETSTREAM_ANTHROPIC_API_KEY",
                                            "TICKETSTREAM_OPENAI_BASE_URL") if k in os.environ}
    previous = os.environ.get("TICKETSTREAM_CLASSIFICATION_LLM")
    os.environ["TICKETSTREAM_CLASSIFICATION_LLM"] = "none"
    yield
    os.environ.update(saved)
    if previous is None:
        os.environ.pop("TICKETSTREAM_CLASSIFICATION_LLM", None)
    else:
        os.environ["TICKETSTREAM_CLASSIFICATION_LLM"] = previous
