"""Size- and time-bounded insert batches that remember their Kafka offsets, and retry with backoff.

The stream hands the sink what it consumed; `InsertBuffer` groups it into inserts of at most `max_rows`
rows, or whatever arrived within `max_wait_s` of the first item, and hands back a `PendingBatch` with
the deduplication token of its offsets and the offsets to commit once the insert succeeded.
`write_with_backoff` retries a `ClickHouseUnavailable` with capped exponential backoff and the same
token, so an insert whose answer was lost in an outage is not stored twice, and nothing is dropped:
the offsets are committed only after it returns.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from sinks.clickhouse.errors import ClickHouseUnavailable
from sinks.clickhouse.rows import offsets_token

T = TypeVar("T")
R = TypeVar("R")
log = logging.getLogger("ticketstream.clickhouse")


@dataclass(frozen=True)
class PendingBatch(Generic[T]):
    """Items for one insert; `token` for `dedup_token`; `commit` maps (topic, partition) to the next offset."""

    items: list[T]
    token: str
    commit: dict[tuple[str, int], int]


@dataclass
class InsertBuffer(Generic[T]):
    """Collects consumed items of one topic until `max_rows` of them or `max_wait_s` after the first one.

    Time comes from `clock` (monotonic seconds), so tests and replays can drive it.
    """

    topic: str
    max_rows: int = 10_000
    max_wait_s: float = 1.0
    clock: Callable[[], float] = time.monotonic
    _entries: list[tuple[T, int, int]] = field(default_factory=list, init=False)
    _first_at: float | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        if self.max_rows < 1:
            raise ValueError(f"InsertBuffer.max_rows must be at least 1, got {self.max_rows}")
        if self.max_wait_s <= 0:
            raise ValueError(f"InsertBuffer.max_wait_s must be positive, got {self.max_wait_s}")

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, item: T, partition: int, offset: int) -> None:
        if self._first_at is None:
            self._first_at = self.clock()
        self._entries.append((item, partition, offset))

    def due(self) -> bool:
        """True when the buffer should be flushed: full, or its oldest item waited `max_wait_s`."""
        if not self._entries or self._first_at is None:
            return False
        return len(self._entries) >= self.max_rows or self.clock() - self._first_at >= self.max_wait_s

    def take(self) -> PendingBatch[T] | None:
        """Up to `max_rows` items as one batch (None when empty); the rest stays for the next one."""
        if not self._entries:
            return None
        taken, self._entries = self._entries[: self.max_rows], self._entries[self.max_rows :]
        self._first_at = self.clock() if self._entries else None
        offsets: dict[int, list[int]] = {}
        for _, partition, offset in taken:
            offsets.setdefault(partition, []).append(offset)
        commit = {(self.topic, p): max(found) + 1 for p, found in offsets.items()}
        items = [item for item, _, _ in taken]
        return PendingBatch(items=items, token=offsets_token(self.topic, offsets), commit=commit)


@dataclass(frozen=True)
class Backoff:
    """Capped exponential backoff with jitter; `max_elapsed_s` None retries an outage for as long as it lasts."""

    initial_s: float = 0.5
    max_s: float = 30.0
    multiplier: float = 2.0
    jitter: float = 0.2
    max_elapsed_s: float | None = None

    def delay(self, attempt: int) -> float:
        base = min(self.max_s, self.initial_s * self.multiplier ** min(attempt, 30))
        return base * (1 + random.uniform(-self.jitter, self.jitter))


def write_with_backoff(
    write: Callable[[], R],
    backoff: Backoff | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> R:
    """Call `write` until it succeeds; retry only `ClickHouseUnavailable`, re-raise anything else.

    `write` must send the same rows with the same deduplication token each time (a `PendingBatch`
    does), so an attempt that reached ClickHouse before the connection broke is not stored twice.
    """
    backoff = backoff or Backoff()
    started = clock()
    attempt = 0
    while True:
        try:
            return write()
        except ClickHouseUnavailable as exc:
            waited = clock() - started
            if backoff.max_elapsed_s is not None and waited >= backoff.max_elapsed_s:
                raise
            delay = backoff.delay(attempt)
            log.warning("clickhouse unavailable (%s); retry %d in %.1fs", type(exc).__name__, attempt + 1, delay)
            sleep(delay)
            attempt += 1
