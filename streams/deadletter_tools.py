"""Listing and replaying dead letters: after a fix, send the original bytes back to the topic they failed on.

Replaying is safe to repeat: ClickHouse deduplicates on (tenant, ticket, event) and outbound action ids
are derived from the event, so a letter replayed twice has the effect of one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from confluent_kafka import Consumer, Producer, TopicPartition
from pydantic import ValidationError

from schemas import DeadLetter


@dataclass(frozen=True)
class LetterFilter:
    stage: str | None = None
    error_type: str | None = None
    reason_contains: str | None = None
    since: datetime | None = None

    def matches(self, letter: DeadLetter) -> bool:
        return (
            (self.stage is None or letter.stage == self.stage)
            and (self.error_type is None or letter.error_type == self.error_type)
            and (self.reason_contains is None or self.reason_contains in letter.reason)
            and (self.since is None or letter.failed_at >= self.since)
        )


def read_dead_letters(bootstrap: str, topic: str, timeout: float = 10.0) -> Iterator[DeadLetter]:
    """Every dead letter on the topic, from the beginning to the current end (a throwaway consumer)."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"ticketstream-dlq-read-{uuid.uuid4().hex[:8]}",
                         "enable.auto.commit": False, "auto.offset.reset": "earliest"})
    try:
        metadata = consumer.list_topics(topic, timeout=timeout)
        if topic not in metadata.topics or metadata.topics[topic].error is not None:
            raise ValueError(f"dead-letter topic {topic!r} does not exist")
        ends: dict[int, int] = {}
        assignment = []
        for p in metadata.topics[topic].partitions:
            low, high = consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=timeout)
            if high > low:
                ends[p] = high
                assignment.append(TopicPartition(topic, p, low))
        if not assignment:
            return
        consumer.assign(assignment)
        while ends:
            msg = consumer.poll(timeout)
            if msg is None:
                raise TimeoutError(f"no message from {topic} within {timeout}s; {len(ends)} partitions unread")
            partition, offset, value = msg.partition(), msg.offset(), msg.value()
            if msg.error() or partition is None or offset is None:
                continue
            if offset + 1 >= ends.get(partition, 0):
                ends.pop(partition, None)
            if value is None:
                continue
            try:
                yield DeadLetter.from_json_bytes(value)
            except (ValidationError, ValueError):
                continue  # not a dead letter of ours; it stays on the topic
    finally:
        consumer.close()


@dataclass
class ReplayStats:
    read: int = 0
    replayed: int = 0
    by_topic: dict[str, int] = field(default_factory=dict)


def replay_dead_letters(bootstrap: str, topic: str, letter_filter: LetterFilter, dry_run: bool = False,
                        on_letter: Callable[[DeadLetter], None] | None = None) -> ReplayStats:
    """Produce each matching letter's original payload, with its key, to the topic it failed on."""
    stats = ReplayStats()
    producer = None if dry_run else Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True})
    for letter in read_dead_letters(bootstrap, topic):
        stats.read += 1
        if not letter_filter.matches(letter):
            continue
        if on_letter is not None:
            on_letter(letter)
        if producer is not None:
            producer.produce(letter.topic, key=letter.key.encode() if letter.key else None, value=letter.payload())
            producer.poll(0)
        stats.replayed += 1
        stats.by_topic[letter.topic] = stats.by_topic.get(letter.topic, 0) + 1
    if producer is not None and producer.flush(60) != 0:
        raise RuntimeError("some replayed dead letters were not delivered to Kafka")
    return stats
