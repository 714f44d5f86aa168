"""Consumer-group lag of the worker, to tell when a run has drained (demo, tests, benchmarks)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from confluent_kafka import Consumer, KafkaError, KafkaException, TopicPartition

_COORDINATOR_NOT_READY = {
    KafkaError.NOT_COORDINATOR,
    KafkaError.COORDINATOR_NOT_AVAILABLE,
    KafkaError.COORDINATOR_LOAD_IN_PROGRESS,
    KafkaError._TIMED_OUT,
    KafkaError._TRANSPORT,
}
"""A new broker creates __consumer_offsets lazily; until then committed offsets cannot be read."""


def _not_ready_yet(exc: KafkaException) -> bool:
    """A coordinator still loading or a partition whose leader is being elected (a new topic, a restarted
    broker): the answer is unknown for now, not an error."""
    error = exc.args[0] if exc.args else None
    return isinstance(error, KafkaError) and (
        error.retriable() or error.code() in _COORDINATOR_NOT_READY
        or error.code() in (KafkaError.NOT_LEADER_FOR_PARTITION, KafkaError.LEADER_NOT_AVAILABLE))


@dataclass(frozen=True)
class TopicProgress:
    committed: int
    end: int

    @property
    def lag(self) -> int:
        return max(0, self.end - self.committed)


def group_progress(bootstrap: str, group: str, topics: Iterable[str], timeout: float = 10.0
                   ) -> dict[str, TopicProgress] | None:
    """Committed and end offsets per topic; None while the group coordinator is not ready yet."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False})
    try:
        metadata = consumer.list_topics(timeout=timeout)
        partitions = [
            TopicPartition(topic, p)
            for topic in topics
            if topic in metadata.topics
            for p in metadata.topics[topic].partitions
        ]
        try:
            committed = consumer.committed(partitions, timeout=timeout)
            progress: dict[str, TopicProgress] = {}
            for tp in committed:
                low, high = consumer.get_watermark_offsets(TopicPartition(tp.topic, tp.partition), timeout=timeout)
                done = tp.offset if tp.offset >= 0 else low
                before = progress.get(tp.topic, TopicProgress(0, 0))
                progress[tp.topic] = TopicProgress(before.committed + done - low, before.end + high - low)
        except KafkaException as exc:
            if _not_ready_yet(exc):
                return None
            raise
        return progress
    finally:
        consumer.close()


def group_lag(bootstrap: str, group: str, topics: Iterable[str], timeout: float = 10.0) -> int | None:
    """Messages on `topics` not yet committed by `group`; None while that cannot be known yet."""
    progress = group_progress(bootstrap, group, topics, timeout)
    return None if progress is None else sum(p.lag for p in progress.values())


def wait_drained(bootstrap: str, group: str, topics: list[str], timeout: float, stable_checks: int = 3,
                 interval: float = 1.0, on_check: Callable[[dict[str, TopicProgress]], None] | None = None) -> float:
    """Wait until the group's lag is zero for `stable_checks` checks in a row.

    Returns the seconds until the first zero-lag check of that streak, i.e. when the work was done.
    """
    start = time.monotonic()
    zero_in_a_row = 0
    first_zero = 0.0
    lag: int | None = None
    while True:
        progress = group_progress(bootstrap, group, topics)
        lag = None if progress is None else sum(p.lag for p in progress.values())
        if progress is not None and on_check is not None:
            on_check(progress)
        if lag == 0:
            if zero_in_a_row == 0:
                first_zero = time.monotonic() - start
            zero_in_a_row += 1
        else:
            zero_in_a_row = 0
        if zero_in_a_row >= stable_checks:
            return first_zero
        if time.monotonic() - start > timeout:
            raise TimeoutError(f"consumer group {group} still has {lag} messages to process after {timeout:.0f}s")
        time.sleep(interval)
