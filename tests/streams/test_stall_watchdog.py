"""The stall detector: only a partition with lag, nothing in flight and a still read offset counts as stalled."""

from __future__ import annotations

import pytest
from faust.types import TP

from streams.health import NotReady
from streams.stall_watchdog import PartitionView, StallDetector

EV0, EV1 = ("tickets.events", 0), ("tickets.events", 1)


def test_lag_with_no_progress_for_the_window_is_a_stall() -> None:
    d = StallDetector(stall_after_s=60)
    assert d.observe(0, {EV0: PartitionView(lag=50, read_offset=49, in_flight=0)}) == []
    assert d.observe(30, {EV0: PartitionView(lag=50, read_offset=49, in_flight=0)}) == []
    # more messages arrive, still nothing read: still stalled (lag growing is not progress)
    assert d.observe(61, {EV0: PartitionView(lag=70, read_offset=49, in_flight=0)}) == [EV0]


@pytest.mark.parametrize("later", [
    PartitionView(lag=0, read_offset=49, in_flight=0),    # drained
    PartitionView(lag=50, read_offset=60, in_flight=0),   # reading
    PartitionView(lag=40, read_offset=49, in_flight=0),   # committing
    PartitionView(lag=50, read_offset=49, in_flight=12),  # an agent is busy with its messages (slow LLM, sink retrying)
])
def test_any_sign_of_work_is_not_a_stall(later: PartitionView) -> None:
    d = StallDetector(stall_after_s=60)
    d.observe(0, {EV0: PartitionView(lag=50, read_offset=49, in_flight=0)})
    assert d.observe(100, {EV0: later}) == []
    # and the window starts again from that moment
    assert d.observe(150, {EV0: later}) == []


def test_partitions_are_judged_separately_and_revoked_ones_forgotten() -> None:
    d = StallDetector(stall_after_s=10)
    d.observe(0, {EV0: PartitionView(5, 1, 0), EV1: PartitionView(5, 1, 0)})
    assert d.observe(11, {EV0: PartitionView(5, 1, 0), EV1: PartitionView(5, 3, 0)}) == [EV0]
    assert d.observe(12, {EV1: PartitionView(5, 3, 0)}) == []
    assert d.observe(13, {EV0: PartitionView(5, 1, 0)}) == []  # re-assigned: a new window


def test_reset_after_a_remedy_gives_a_new_window() -> None:
    d = StallDetector(stall_after_s=10)
    d.observe(0, {EV0: PartitionView(5, 1, 0)})
    assert d.observe(10, {EV0: PartitionView(5, 1, 0)}) == [EV0]
    d.reset(EV0, 10)
    assert d.observe(15, {EV0: PartitionView(5, 1, 0)}) == []
    assert d.observe(20, {EV0: PartitionView(5, 1, 0)}) == [EV0]


def test_liveness_fails_only_after_the_remedies_ran_out() -> None:
    from streams.stall_watchdog import StallWatchdog

    dog = StallWatchdog(app=None, lag_of=lambda topics: {})
    assert dog.liveness() is None
    dog.failed = True
    with pytest.raises(NotReady, match="not being read"):
        dog.liveness()


def test_a_dropped_record_at_the_committed_offset_is_a_stall_even_while_later_ones_are_read() -> None:
    d = StallDetector(stall_after_s=30)
    assert d.observe(0, {EV0: PartitionView(lag=40, read_offset=300, in_flight=3, hole=256)}) == []
    # later records keep arriving and being processed; the commit stays in front of offset 256
    assert d.observe(20, {EV0: PartitionView(lag=60, read_offset=320, in_flight=5, hole=256)}) == []
    assert d.observe(31, {EV0: PartitionView(lag=70, read_offset=330, in_flight=2, hole=256)}) == [EV0]
    d.reset(EV0, 31)
    assert d.observe(40, {EV0: PartitionView(lag=70, read_offset=330, in_flight=0, hole=256)}) == []
    # the re-read filled the hole; a new hole further on gets its own window
    assert d.observe(50, {EV0: PartitionView(lag=10, read_offset=340, in_flight=1, hole=None)}) == []
    assert d.observe(55, {EV0: PartitionView(lag=10, read_offset=345, in_flight=1, hole=400)}) == []
    assert d.observe(80, {EV0: PartitionView(lag=10, read_offset=345, in_flight=1, hole=400)}) == []
    assert d.observe(86, {EV0: PartitionView(lag=10, read_offset=345, in_flight=1, hole=400)}) == [EV0]


class _FlowConsumer:
    """Records the order of what the remedy does to faust's consumer."""

    def __init__(self, committed: dict[object, int], earliest: dict[object, int]) -> None:
        self.calls: list[tuple[str, object]] = []
        self._committed_offset = dict(committed)
        self._earliest = earliest
        self._acked: dict[object, list[int]] = {}
        self._gap: dict[object, object] = {}

    def stop_flow(self) -> None:
        self.calls.append(("stop_flow", None))

    async def wait_for_stopped_flow(self) -> None:
        self.calls.append(("wait_for_stopped_flow", None))

    async def earliest_offsets(self, tp: object) -> dict[object, int]:
        return {tp: self._earliest[tp]}

    async def seek(self, tp: object, offset: int) -> None:
        self.calls.append(("seek", (tp, offset)))

    def resume_partitions(self, tps: set[object]) -> None:
        self.calls.append(("resume_partitions", frozenset(tps)))

    def resume_flow(self) -> None:
        self.calls.append(("resume_flow", None))


def test_the_remedy_stops_the_flow_then_seeks_every_stream_partition_and_skips_deleted_records(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio
    from types import SimpleNamespace

    from streams import stall_watchdog
    from streams.stall_watchdog import StallWatchdog

    skipped: list[tuple[object, int, int]] = []

    def skip_range(consumer: object, tp: object, first: int, last: int) -> None:
        skipped.append((tp, first, last))

    monkeypatch.setattr(stall_watchdog, "skip_range", skip_range)
    a, b = TP("t", 0), TP("t", 1)
    consumer = _FlowConsumer(committed={a: 100, b: 7}, earliest={a: 150, b: 0})
    dog = StallWatchdog(app=SimpleNamespace(consumer=consumer, flow_control=SimpleNamespace(resume=lambda: None)),
                        lag_of=lambda topics: {})
    asyncio.run(dog._remedy([a], [a, b]))
    names = [name for name, _ in consumer.calls]
    assert names[:2] == ["stop_flow", "wait_for_stopped_flow"] and names[-1] == "resume_flow"
    assert [arg for name, arg in consumer.calls if name == "seek"] == [(a, 100), (b, 7)]
    assert skipped == [(a, 100, 149)]  # retention deleted 100..149 before they were read


def test_remedies_are_counted_afresh_once_the_commit_moved() -> None:
    from types import SimpleNamespace

    from streams.stall_watchdog import StallWatchdog

    tp = TP("tickets.events", 0)
    consumer = SimpleNamespace(_committed_offset={tp: 10})
    dog = StallWatchdog(app=SimpleNamespace(consumer=consumer), lag_of=lambda topics: {})
    dog.remedies[EV0] = 3
    dog._committed_at_remedy[EV0] = 10
    dog._forget_remedies_that_worked({EV0: tp})
    assert dog.remedies[EV0] == 3  # still at 10: the last remedy has not helped yet
    consumer._committed_offset[tp] = 11
    dog._forget_remedies_that_worked({EV0: tp})
    assert EV0 not in dog.remedies
