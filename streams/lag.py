"""Consumer-group lag of the worker, to tell when a run has drained (demo, tests, benchmarks)."""

from __future__ import annotations

import time
from collections.abc import Iterable

from confluent_kafka import Consumer, TopicPartition


def group_lag(bootstrap: str, group: str, topics: Iterable[str], timeout: float = 10.0) -> int:
    """Messages on `topics` not yet committed by `group` (a partition never committed counts fully)."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False})
    try:
        metadata = consumer.list_topics(timeout=timeout)
        partitions = [
            TopicPartition(topic, p)
            for topic in topics
            if topic in metadata.topics
            for p in metadata.topics[topic].partitions
        ]
        committed = consumer.committed(partitions, timeout=timeout)
        lag = 0
        for tp in committed:
            low, high = consumer.get_watermark_offsets(TopicPartition(tp.topic, tp.partition), timeout=timeout)
            done = tp.offset if tp.offset >= 0 else low
            lag += max(0, high - done)
        return lag
    finally:
        consumer.close()


def wait_drained(bootstrap: str, group: str, topics: list[str], timeout: float, stable_checks: int = 3,
                 interval: float = 1.0) -> float:
    """Wait until the group's lag is zero for `stable_checks` checks in a row.

    Returns the seconds until the first zero-lag check of that streak, i.e. when the work was done.
    """
    start = time.monotonic()
    zero_in_a_row = 0
    first_zero = 0.0
    while True:
        lag = group_lag(bootstrap, group, topics)
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
