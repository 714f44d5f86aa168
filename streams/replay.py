"""Backfill replays: put ticket events back on an inbound topic, resumably and at a set rate.

Any source (streams/replay_sources.py: JSONL, CSV, the ClickHouse event log; streams/replay_helpdesk.py: a
helpdesk's export API) becomes a sequence of `ReplayItem`s that `produce_items` sends. Items that are not
valid events are produced as they are, so the stream dead-letters them with their reason instead of them
vanishing here. The checkpoint records the position of the last item whose delivery Kafka confirmed, so an
interrupted replay resumes after it; a resumed replay may repeat up to one flush window of items, which the
pipeline's idempotent sinks absorb.

Every event a replay produces carries a `ReplayStamp` (schemas/replay.py): its pipeline version tag, and
whether it may cause outbound actions or replace live results (both off unless asked).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from confluent_kafka import Producer

from schemas import ReplayStamp


@dataclass(frozen=True)
class ReplayItem:
    """One message to produce. `position` is what the checkpoint records once Kafka confirmed it."""

    value: bytes
    key: bytes | None
    occurred_at: datetime | None
    """None when unreadable: the item passes any time range, so the stream can dead-letter it with a reason."""
    position: Any


@dataclass(frozen=True)
class TimeRange:
    start: datetime | None = None
    end: datetime | None = None

    def contains(self, line: bytes) -> bool:
        """Lines without a readable `occurred_at` pass, so the stream can dead-letter them with a reason."""
        if self.start is None and self.end is None:
            return True
        try:
            return self.contains_time(occurred_at_of(json.loads(line)))
        except ValueError:
            return True

    def contains_time(self, when: datetime | None) -> bool:
        """None (unknown) and naive times pass: the stream names what is wrong with them."""
        if when is None or when.tzinfo is None:
            return True
        return (self.start is None or when >= self.start) and (self.end is None or when < self.end)


def occurred_at_of(data: object) -> datetime | None:
    """`occurred_at` of a parsed event, or None when it has none that reads as an ISO time."""
    try:
        return datetime.fromisoformat(data.get("occurred_at"))  # type: ignore[attr-defined]
    except (ValueError, TypeError, AttributeError):
        return None


def key_of(data: object) -> bytes | None:
    """`tenant_id:ticket_id`, the pipeline's message key, when the parsed event has both."""
    try:
        return f"{data['tenant_id']}:{data['ticket_id']}".encode()  # type: ignore[index]
    except (KeyError, TypeError, UnicodeEncodeError):
        return None


def encode_event(data: dict[str, Any], stamp: ReplayStamp | None) -> bytes:
    """A parsed event back to JSON bytes, with the replay's stamp (replacing any earlier one).

    Text that cannot be UTF-8 (undecodable bytes kept with `surrogateescape`, a lone surrogate) is written
    so that the stream still rejects it with a reason, as it would the original bytes.
    """
    if stamp is not None:
        data = {**data, "replay": stamp.model_dump(mode="json")}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        try:
            return text.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            return text.encode("utf-8", "surrogatepass")


class TokenBucket:
    """At most `rate` items per second on average, with bursts of up to one second's worth."""

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate, self.capacity = rate, max(1.0, rate)
        self.tokens, self._clock, self._sleep = self.capacity, clock, sleep
        self._last = clock()

    def take(self) -> None:
        while True:
            now = self._clock()
            self.tokens = min(self.capacity, self.tokens + (now - self._last) * self.rate)
            self._last = now
            if self.tokens >= 1 - 1e-9:  # tolerance: float sums of small refills can stop just short of 1
                self.tokens = max(0.0, self.tokens - 1)
                return
            self._sleep((1 - self.tokens) / self.rate)


@dataclass
class Checkpoint:
    """Resume point of a file replay: the last line (JSONL) or row (CSV) Kafka confirmed.

    `stamp` is the replay's stamp: resuming with other options would mix two versions in one run."""

    path: Path
    source: str
    fingerprint: str
    line: int = 0
    stamp: dict[str, Any] | None = None

    @staticmethod
    def fingerprint_of(path: Path) -> str:
        """The first 64 KiB and the size: a different file under the same name does not resume."""
        with open(path, "rb") as f:
            head = f.read(65536)
        return hashlib.sha256(head + str(path.stat().st_size).encode()).hexdigest()[:16]

    @classmethod
    def load(cls, path: Path, source: Path) -> Checkpoint:
        fingerprint = cls.fingerprint_of(source)
        if path.exists():
            data: dict[str, Any] = json.loads(path.read_text())
            if data.get("fingerprint") == fingerprint:
                return cls(path, str(source), fingerprint, int(data["line"]), data.get("stamp"))
        return cls(path, str(source), fingerprint, 0)

    def save(self) -> None:
        write_json_atomically(self.path, {"source": self.source, "fingerprint": self.fingerprint, "line": self.line,
                                "stamp": self.stamp})


def write_json_atomically(path: Path, data: dict[str, Any]) -> None:
    """Write, then rename: an interruption leaves the previous checkpoint, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data))
    tmp.replace(path)


def stamp_conflict(saved: dict[str, Any] | None, stamp: ReplayStamp | None) -> str | None:
    """Why a checkpoint written under another stamp must not be resumed, or None when it may."""
    current = None if stamp is None else stamp.model_dump(mode="json")
    if saved is None or saved == current:
        return None
    return (f"the checkpoint was written by a replay with {_describe(saved)}, this one has {_describe(current)}; "
            "resume with the same --pipeline-version/--outbound/--live, or pass --restart")


def _describe(stamp: dict[str, Any] | None) -> str:
    if stamp is None:
        return "no stamp"
    return ", ".join(f"{k}={v}" for k, v in sorted(stamp.items()))


@dataclass
class ReplayResult:
    produced: int = 0
    skipped_out_of_range: int = 0
    resumed_from_line: int = 0
    lines: int = 0
    """The last line (file sources) or the number of items read (other sources)."""
    notes: list[str] = field(default_factory=list)
    """What a source has to report, e.g. records a helpdesk mapping skipped."""


def count_lines(path: Path) -> int:
    with open(path, "rb") as f:
        return sum(1 for line in f if line.strip())


class _Delivery:
    """Produces items and confirms them in flushes; a flush that Kafka does not fully confirm raises."""

    def __init__(self, producer: Producer, topic: str) -> None:
        self.producer, self.topic = producer, topic
        self.errors: list[str] = []

    def _on_delivery(self, err: object, _msg: object) -> None:
        if err is not None:
            self.errors.append(str(err))

    def send(self, item: ReplayItem) -> None:
        self.producer.produce(self.topic, key=item.key, value=item.value, on_delivery=self._on_delivery)
        self.producer.poll(0)

    def confirm(self) -> None:
        if self.producer.flush(60) != 0 or self.errors:
            raise RuntimeError(f"Kafka did not confirm {len(self.errors) or 'some'} messages: {self.errors[:1]}")


def produce_items(
    items: Iterable[ReplayItem],
    producer: Producer,
    topic: str,
    save: Callable[[Any], None],
    time_range: TimeRange = TimeRange(),
    bucket: TokenBucket | None = None,
    on_item: Callable[[ReplayItem], None] | None = None,
    flush_every: int = 1000,
) -> ReplayResult:
    """Produce the items in the range; every `flush_every` items and at the end, wait for Kafka to confirm
    them all, then `save` the last item's position (also of items skipped as out of range)."""
    result = ReplayResult()
    delivery = _Delivery(producer, topic)
    last: Any = None
    count = 0
    for item in items:
        count += 1
        if not time_range.contains_time(item.occurred_at):
            result.skipped_out_of_range += 1
        else:
            if bucket is not None:
                bucket.take()
            delivery.send(item)
            result.produced += 1
        last = item.position
        if on_item is not None:
            on_item(item)
        if count % flush_every == 0:
            delivery.confirm()
            save(last)
    delivery.confirm()
    if last is not None:
        save(last)
    result.lines = count
    return result


def jsonl_items(path: Path, after_line: int = 0, stamp: ReplayStamp | None = None) -> Iterator[ReplayItem]:
    """The file's non-empty lines after `after_line`, stamped; a line that is not a JSON object stays as it is."""
    line_no = 0
    with open(path, "rb") as f:
        for raw in f:
            line = raw.rstrip(b"\r\n")
            if not line.strip():
                continue
            line_no += 1
            if line_no <= after_line:
                continue
            try:
                data = json.loads(line)
            except ValueError:
                data = None
            if not isinstance(data, dict):
                yield ReplayItem(line, None, None, line_no)
                continue
            value = line if stamp is None else encode_event(data, stamp)
            yield ReplayItem(value, key_of(data), occurred_at_of(data), line_no)


def replay_file(
    path: Path,
    producer: Producer,
    topic: str,
    checkpoint: Checkpoint,
    time_range: TimeRange = TimeRange(),
    bucket: TokenBucket | None = None,
    on_line: Callable[[int], None] | None = None,
    flush_every: int = 1000,
    stamp: ReplayStamp | None = None,
    items: Callable[[Path, int, ReplayStamp | None], Iterable[ReplayItem]] = jsonl_items,
) -> ReplayResult:
    """Produce a file (JSONL by default; `items` reads another format) from the checkpoint on; keyed
    tenant_id:ticket_id when readable, each event stamped with `stamp`."""
    start = checkpoint.line

    def save(line: int) -> None:
        checkpoint.line = line
        checkpoint.stamp = None if stamp is None else stamp.model_dump(mode="json")
        checkpoint.save()

    result = produce_items(items(path, start, stamp), producer, topic, save, time_range, bucket,
                           None if on_line is None else (lambda item: on_line(item.position)), flush_every)
    result.resumed_from_line = start
    result.lines = checkpoint.line
    return result
