"""Backfill replays: put an export of ticket events back on an inbound topic, resumably and at a set rate.

Lines are produced as they are (bytes), so a line that is not a valid event is dead-lettered by the
stream with its reason instead of vanishing here. The checkpoint records the last line whose delivery
Kafka confirmed, so an interrupted replay resumes after it; a resumed replay may repeat up to one
flush window of lines, which the pipeline's idempotent sinks absorb.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from confluent_kafka import Producer


@dataclass(frozen=True)
class TimeRange:
    start: datetime | None = None
    end: datetime | None = None

    def contains(self, line: bytes) -> bool:
        """Lines without a readable `occurred_at` pass, so the stream can dead-letter them with a reason."""
        if self.start is None and self.end is None:
            return True
        try:
            value = json.loads(line).get("occurred_at")
            when = datetime.fromisoformat(value)
        except (ValueError, TypeError, AttributeError):
            return True
        if when.tzinfo is None:
            return True
        return (self.start is None or when >= self.start) and (self.end is None or when < self.end)


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
    path: Path
    source: str
    fingerprint: str
    line: int = 0

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
                return cls(path, str(source), fingerprint, int(data["line"]))
        return cls(path, str(source), fingerprint, 0)

    def save(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"source": self.source, "fingerprint": self.fingerprint, "line": self.line}))
        tmp.replace(self.path)


@dataclass
class ReplayResult:
    produced: int = 0
    skipped_out_of_range: int = 0
    resumed_from_line: int = 0
    lines: int = 0


def count_lines(path: Path) -> int:
    with open(path, "rb") as f:
        return sum(1 for line in f if line.strip())


def replay_file(
    path: Path,
    producer: Producer,
    topic: str,
    checkpoint: Checkpoint,
    time_range: TimeRange = TimeRange(),
    bucket: TokenBucket | None = None,
    on_line: Callable[[int], None] | None = None,
    flush_every: int = 1000,
) -> ReplayResult:
    """Produce the file's non-empty lines from the checkpoint on; keyed tenant_id:ticket_id when readable."""
    result = ReplayResult(resumed_from_line=checkpoint.line)
    errors: list[str] = []

    def on_delivery(err: object, _msg: object) -> None:
        if err is not None:
            errors.append(str(err))

    def flush(line_no: int) -> None:
        if producer.flush(60) != 0 or errors:
            raise RuntimeError(f"Kafka did not confirm {len(errors) or 'some'} messages: {errors[:1]}")
        checkpoint.line = line_no
        checkpoint.save()

    line_no = 0
    with open(path, "rb") as f:
        for raw in f:
            line = raw.rstrip(b"\r\n")
            if not line.strip():
                continue
            line_no += 1
            result.lines = line_no
            if line_no <= checkpoint.line:
                continue
            if not time_range.contains(line):
                result.skipped_out_of_range += 1
            else:
                if bucket is not None:
                    bucket.take()
                producer.produce(topic, key=_key(line), value=line, on_delivery=on_delivery)
                producer.poll(0)
                result.produced += 1
            if on_line is not None:
                on_line(line_no)
            if line_no % flush_every == 0:
                flush(line_no)
    flush(line_no)
    return result


def _key(line: bytes) -> bytes | None:
    try:
        data = json.loads(line)
        return f"{data['tenant_id']}:{data['ticket_id']}".encode()
    except (ValueError, KeyError, TypeError):
        return None
