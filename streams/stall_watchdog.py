"""A guard against a partition the worker holds, has messages on, and does not finish reading.

faust-streaming 0.15.3 drops records it has fetched — the rest of a batch when flow stops or the
generation changes mid-batch, records of a partition not active at that moment — while aiokafka's position
has already moved past them (streams/faust_offsets_fix.py); until a rebalance seeks back, nothing re-reads
them. Two states follow, both seen on restarted workers under CPU load (docs/reliability.md):
- nothing after the dropped records arrives: lag on the partition, no message of it in flight in an agent,
  its read offset not moving — the lag only grows;
- later records arrive and are processed, but the commit cannot pass the dropped one (`head_hole`; faust
  itself would have committed past it and lost it).
When either lasts `stall_after_s`, the watchdog logs the consumer's state (streams/consumer_state.py), stops
the flow, seeks every stream partition to its committed offset and resumes (`_remedy`). Records re-read that
way were processed before or were dropped; every stage is idempotent by event id. A partition that stays
stuck after `max_remedies` tries in a row makes /healthz fail, so the orchestrator restarts the worker.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from streams.consumer_state import consumer_snapshot
from streams.faust_offsets_fix import head_hole, skip_range
from streams.health import NotReady

log = logging.getLogger("ticketstream.watchdog")

Key = tuple[str, int]


@dataclass(frozen=True)
class PartitionView:
    """What one check sees of a partition: the group's lag, faust's read offset, messages in agents."""

    lag: int
    read_offset: int | None
    in_flight: int
    hole: int | None = None
    """The committed offset, when its record was dropped while later ones were processed (faust_offsets_fix)."""


@dataclass
class _Still:
    since: float
    view: PartitionView


@dataclass
class StallDetector:
    """Pure: which partitions have had work and made no progress for `stall_after_s`."""

    stall_after_s: float
    _still: dict[Key, _Still] = field(default_factory=dict)
    _holes: dict[Key, tuple[int, float]] = field(default_factory=dict)

    def observe(self, now: float, views: Mapping[Key, PartitionView]) -> list[Key]:
        stalled = []
        for key in list(self._still):
            if key not in views:  # revoked
                del self._still[key]
        for key in list(self._holes):
            if views.get(key) is None or views[key].hole != self._holes[key][0]:
                del self._holes[key]
        for key, view in views.items():
            if view.hole is not None and view.lag > 0:
                since = self._holes.setdefault(key, (view.hole, now))[1]
                if now - since >= self.stall_after_s:
                    stalled.append(key)
                    continue
            busy = view.lag == 0 or view.in_flight > 0
            before = self._still.get(key)
            moved = before is None or view.read_offset != before.view.read_offset or view.lag < before.view.lag
            if busy or moved or before is None:
                self._still[key] = _Still(since=now, view=view)
                continue
            before.view = view
            if now - before.since >= self.stall_after_s:
                stalled.append(key)
        return sorted(stalled)

    def reset(self, key: Key, now: float) -> None:
        """After a remedy the partition gets a fresh `stall_after_s`."""
        if key in self._still:
            self._still[key].since = now
        if key in self._holes:
            self._holes[key] = (self._holes[key][0], now)


@dataclass
class StallWatchdog:
    """Runs the detector on a faust app's consumer every `interval_s` and remedies what it finds."""

    app: Any
    lag_of: Callable[[list[str]], dict[Key, int]]
    stall_after_s: float = 30.0
    interval_s: float = 10.0
    max_remedies: int = 3
    detector: StallDetector = field(init=False)
    remedies: dict[Key, int] = field(default_factory=dict)
    _committed_at_remedy: dict[Key, int | None] = field(default_factory=dict)
    failed: bool = False

    def __post_init__(self) -> None:
        self.detector = StallDetector(self.stall_after_s)

    def _stream_partitions(self) -> list[Any]:
        consumer = self.app.consumer
        return [tp for tp in consumer.assignment() if not consumer._is_changelog_tp(tp)]

    def _in_flight(self) -> dict[Key, int]:
        counts: dict[Key, int] = {}
        for message in list(self.app.consumer._unacked_messages):
            key = (message.tp.topic, message.tp.partition)
            counts[key] = counts.get(key, 0) + 1
        return counts

    async def check(self) -> list[Key]:
        """One check; returns the partitions it remedied."""
        app = self.app
        if app.rebalancing or getattr(app, "in_recovery", False) or not app.tables.recovery.completed.is_set():
            return []
        tps = {(tp.topic, tp.partition): tp for tp in self._stream_partitions()}
        if not tps:
            return []
        topics = sorted({topic for topic, _ in tps})
        lags = await asyncio.get_running_loop().run_in_executor(None, self.lag_of, topics)
        in_flight = self._in_flight()
        read = app.consumer._read_offset
        views = {key: PartitionView(lag=lags.get(key, 0), read_offset=read.get(tp), in_flight=in_flight.get(key, 0),
                                    hole=head_hole(app.consumer, tp))
                 for key, tp in tps.items()}
        stalled = self.detector.observe(time.monotonic(), views)
        self._forget_remedies_that_worked(tps)
        if not stalled:
            return []
        log.warning("partitions with lag not read for %.0fs: %s; consumer state: %s", self.stall_after_s,
                    ", ".join(f"{t}[{p}]" for t, p in stalled), json.dumps(consumer_snapshot(app), default=str))
        remedy = []
        for key in stalled:
            self.remedies[key] = self.remedies.get(key, 0) + 1
            if self.remedies[key] > self.max_remedies:
                self.failed = True
                log.error("partition %s[%s] still not read after %d seeks: reporting unhealthy", *key,
                          self.max_remedies)
                continue
            remedy.append(key)
        if remedy:
            await self._remedy([tps[key] for key in remedy], list(tps.values()))
            for key in remedy:
                self.detector.reset(key, time.monotonic())
                self._committed_at_remedy[key] = app.consumer._committed_offset.get(tps[key])
        return remedy

    def _forget_remedies_that_worked(self, tps: Mapping[Key, Any]) -> None:
        """A partition whose commit moved on since its last remedy starts counting remedies afresh."""
        committed = self.app.consumer._committed_offset
        for key, at in list(self._committed_at_remedy.items()):
            now = committed.get(tps[key]) if key in tps else None
            if key not in tps or (now is not None and (at is None or now > at)):
                del self._committed_at_remedy[key]
                self.remedies.pop(key, None)

    async def _remedy(self, stalled: list[Any], stream_tps: list[Any]) -> None:
        """Re-read from the committed offsets, the way faust does after a rebalance: stop the flow (so the drain
        loop is not in the middle of a fetched batch, which would move the read offset back past the seek),
        seek every stream partition, resume. Records in flight in an agent are read again: idempotent."""
        consumer = self.app.consumer
        consumer.stop_flow()
        try:
            await consumer.wait_for_stopped_flow()
            await asyncio.sleep(0.1)  # let the drain loop leave its batch and wait for the flow
            for tp in stalled:
                await self._skip_deleted(tp)
            for tp in stream_tps:
                committed = await self._committed(tp)
                if committed is not None and committed >= 0:
                    await consumer.seek(tp, committed)
            consumer.resume_partitions(set(stalled))
        finally:
            if not getattr(self.app, "rebalancing", False):  # a rebalance begun meanwhile resumes the flow itself
                self.app.flow_control.resume()
                consumer.resume_flow()
        log.warning("seeked %s to their committed offsets and resumed them (remedy for %s)",
                    ", ".join(f"{tp.topic}[{tp.partition}]" for tp in stream_tps),
                    ", ".join(f"{tp.topic}[{tp.partition}]" for tp in stalled))

    async def _committed(self, tp: Any) -> int | None:
        consumer = self.app.consumer
        committed = consumer._committed_offset.get(tp)
        if committed is None:  # nothing committed by this process yet: ask the group coordinator
            thread = consumer._thread
            committed = await thread.call_thread(thread._ensure_consumer().committed, tp)
        return committed

    async def _skip_deleted(self, tp: Any) -> None:
        """Records below the log start were deleted by retention while the group lagged: nothing can re-read
        them, so faust is told they are done (otherwise the commit would wait for them forever)."""
        consumer = self.app.consumer
        committed = consumer._committed_offset.get(tp)
        if committed is None:
            return
        start = (await consumer.earliest_offsets(tp)).get(tp)
        if start is not None and start > committed:
            log.error("%s[%s]: records %d..%d were deleted by retention before they were processed", tp.topic,
                      tp.partition, committed, start - 1)
            skip_range(consumer, tp, committed, start - 1)

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self.interval_s)
            try:
                await self.check()
            except Exception as exc:  # a broker hiccup: try again next interval
                log.warning("stall check failed: %s", type(exc).__name__)

    def liveness(self) -> str | None:
        """For /healthz: fails once a partition could not be un-stalled, so the orchestrator restarts us."""
        if self.failed:
            raise NotReady("a partition with lag is not being read (see the watchdog's log)")
        return None


def lag_reader(bootstrap: str, group: str) -> Callable[[Iterable[str]], dict[Key, int]]:
    from streams.metrics import partition_lag

    return lambda topics: partition_lag(bootstrap, group, list(topics))
