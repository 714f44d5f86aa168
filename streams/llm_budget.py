"""Share the per-tenant daily LLM budget between workers through the llm_calls topic.

Every worker already publishes one LlmCall record per LLM call (tokens, cost) to `tickets.llm_calls` for
ClickHouse. `SpendObserver` reads that topic from the start of the current UTC day — with `assign`, no
consumer group and no commits, so every worker sees every record — and feeds each record to the
classification backend's `DailyBudget.observe`. A tenant's budget then stops calls once all workers together
have spent it (give or take the calls in flight and the topic's delivery delay, about a second).
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol

from confluent_kafka import OFFSET_END, Consumer, KafkaException, TopicPartition
from pydantic import ValidationError

from schemas import LlmCall

log = logging.getLogger("ticketstream.llm_budget")


class SharedBudget(Protocol):
    def share(self) -> None: ...

    def observe(self, tenant: str, day: date, usd: float, tokens: int,
                call_id: str) -> None: ...


class SpendObserver:
    def __init__(self, bootstrap: str, topic: str, budgets: list[SharedBudget], poll_s: float = 0.5) -> None:
        self.bootstrap = bootstrap
        self.topic = topic
        self.budgets = budgets
        self.poll_s = poll_s
        self.seen = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="llm-budget", daemon=True)
        self.ready = threading.Event()
        """Set once the observer has caught up with the records of today that existed when it started."""

    def start(self) -> None:
        for budget in self.budgets:
            budget.share()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _assign_from_midnight(self, consumer: Consumer) -> dict[int, int]:
        midnight = datetime.combine(datetime.now(UTC).date(), time(0), tzinfo=UTC)
        metadata = consumer.list_topics(self.topic, timeout=10)
        partitions = sorted(metadata.topics[self.topic].partitions) if self.topic in metadata.topics else []
        wanted = [TopicPartition(self.topic, p, int(midnight.timestamp() * 1000)) for p in partitions]
        starts = consumer.offsets_for_times(wanted, timeout=10) if wanted else []
        consumer.assign([TopicPartition(self.topic, tp.partition, tp.offset if tp.offset >= 0 else OFFSET_END)
                         for tp in starts])
        return {tp.partition: consumer.get_watermark_offsets(TopicPartition(self.topic, tp.partition),
                                                             timeout=10)[1] for tp in starts}

    def _run(self) -> None:
        consumer = Consumer({"bootstrap.servers": self.bootstrap, "group.id": "ticketstream-llm-budget",
                             "enable.auto.commit": False, "enable.partition.eof": False})
        try:
            while not self._stop.is_set():
                try:
                    catch_up = self._assign_from_midnight(consumer)
                    break
                except KafkaException as exc:
                    log.warning("llm budget: cannot read %s yet (%s); retrying", self.topic, exc)
                    self._stop.wait(2.0)
            else:
                return
            if not any(catch_up.values()):
                self.ready.set()
            while not self._stop.is_set():
                msg = consumer.poll(self.poll_s)
                if msg is None:
                    if not self.ready.is_set() and self._caught_up(consumer, catch_up):
                        self.ready.set()
                    continue
                if msg.error():
                    continue
                self._apply(msg.value())
                if not self.ready.is_set() and self._caught_up(consumer, catch_up):
                    self.ready.set()
        finally:
            consumer.close()

    def _caught_up(self, consumer: Consumer, ends: dict[int, int]) -> bool:
        positions = consumer.position([TopicPartition(self.topic, p) for p in ends])
        return all(tp.offset >= ends[tp.partition] or ends[tp.partition] == 0 for tp in positions)

    def _apply(self, value: bytes | None) -> None:
        if not value:
            return
        try:
            call = LlmCall.from_json_bytes(value)
        except (ValidationError, ValueError):
            return  # the ClickHouse sink dead-letters unreadable records; the budget just skips them
        started = call.started_at.astimezone(UTC)
        if datetime.now(UTC) - started > timedelta(days=1):
            return
        for budget in self.budgets:
            budget.observe(call.tenant_id, started.date(), call.cost_usd,
                           call.input_tokens + call.output_tokens + call.cache_read_tokens + call.cache_write_tokens,
                           call.call_id)
        self.seen += 1
