"""The daily LLM budget shared between workers through the llm_calls topic, on the real broker."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime

import pytest
from confluent_kafka import Producer

from processors.classification.resilience import DailyBudget
from schemas import LlmCall
from streams.llm_budget import SpendObserver
from tests.broker import KafkaAdmin

pytestmark = pytest.mark.integration


def _call(call_id: str, cost: float, tenant: str = "acme") -> LlmCall:
    return LlmCall(call_id=call_id, tenant_id=tenant, backend="anthropic", model="m", started_at=datetime.now(UTC),
                   latency_ms=10.0, input_tokens=100, output_tokens=20, cost_usd=cost, outcome="ok")


def _wait(predicate: object, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def test_a_worker_stops_when_all_workers_together_spent_the_budget(kafka_bootstrap: str,
                                                                   kafka_admin: KafkaAdmin) -> None:
    topic = f"budget-{uuid.uuid4().hex[:8]}.tickets.llm_calls"
    kafka_admin.create_topics({topic: 2})
    producer = Producer({"bootstrap.servers": kafka_bootstrap})
    # Calls made earlier today by another worker are on the topic before this worker starts.
    for i in range(3):
        producer.produce(topic, key=b"acme:", value=_call(f"earlier-{i}", 0.2).to_json_bytes())
    assert producer.flush(30) == 0

    mine = DailyBudget()
    observer = SpendObserver(kafka_bootstrap, topic, [mine])
    observer.start()
    try:
        assert observer.ready.wait(30), "observer did not catch up with today's records"
        usd, tokens = mine.spent("acme")
        assert usd == pytest.approx(0.6) and tokens == 360
        assert mine.has_room("acme", 1.0, None)

        # This worker's own call is charged once, although its record also comes back from the topic.
        own = _call("mine-1", 0.25)
        mine.charge("acme", own.cost_usd, 120, call_id=own.call_id)
        producer.produce(topic, key=b"acme:", value=own.to_json_bytes())
        # ...and another worker spends the rest of the day's budget meanwhile.
        producer.produce(topic, key=b"acme:", value=_call("other-late", 0.3).to_json_bytes())
        producer.produce(topic, value=b"not json")  # skipped, not fatal
        assert producer.flush(30) == 0
        _wait(lambda: observer.seen >= 5)
        usd, _ = mine.spent("acme")
        assert usd == pytest.approx(1.15)
        assert not mine.has_room("acme", 1.0, None)
        assert mine.has_room("globex", 1.0, None)
    finally:
        observer.stop()
