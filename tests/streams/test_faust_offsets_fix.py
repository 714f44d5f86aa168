"""faust must not commit past a record it fetched and never delivered (streams/faust_offsets_fix.py).

The replaced methods run on faust's own bookkeeping structures (the attributes faust's Consumer keeps),
with the patched functions called exactly as faust calls them.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from types import SimpleNamespace
from typing import Any
from weakref import WeakSet

import pytest
from faust.transport.consumer import Consumer
from faust.types import TP
from intervaltree import IntervalTree

from streams import faust_offsets_fix

TP0 = TP("tickets.events", 0)


class _Message:
    def __init__(self, offset: int) -> None:
        self.tp, self.topic, self.offset, self.acked = TP0, TP0.topic, offset, False


def _consumer(committed: int | None, in_transaction: bool = False) -> Any:
    faust_offsets_fix.install()
    consumer: Any = SimpleNamespace(
        app=SimpleNamespace(in_transaction=in_transaction, topics=SimpleNamespace(acks_enabled_for=lambda t: True)),
        _acked=defaultdict(list), _acked_index=defaultdict(set), _gap=defaultdict(IntervalTree),
        _committed_offset=defaultdict(lambda: None), _unacked_messages=WeakSet(), _n_acked=0,
        _waiting_for_ack=None)
    consumer._committed_offset[TP0] = committed
    return consumer


def _ack(consumer: Any, message: _Message) -> bool:
    return bool(Consumer.ack(consumer, message))  # type: ignore[arg-type]


def test_a_dropped_record_at_the_committed_offset_holds_the_commit_back() -> None:
    consumer = _consumer(committed=256)
    kept = [_Message(o) for o in (257, 258, 259)]  # 256 was fetched and dropped by getmany
    for m in kept:
        consumer._unacked_messages.add(m)
        _ack(consumer, m)
    assert Consumer._new_offset(consumer, TP0) is None  # faust's own code returned 260 here
    assert faust_offsets_fix.head_hole(consumer, TP0) == 256
    consumer._unacked_messages.add(first := _Message(256))  # re-read after the watchdog's seek
    assert faust_offsets_fix.head_hole(consumer, TP0) is None  # in flight: not a hole any more
    _ack(consumer, first)
    assert Consumer._new_offset(consumer, TP0) == 260


def test_an_offset_jump_is_not_counted_as_processed_outside_transactions() -> None:
    consumer = _consumer(committed=100)
    asyncio.run(Consumer._add_gap(consumer, TP0, 101, 140))
    assert not consumer._gap[TP0]
    for offset in (100, 141):
        _ack(consumer, _Message(offset))
    assert Consumer._new_offset(consumer, TP0) == 101  # not 142: 101..140 were never delivered


def test_in_a_transaction_gaps_are_faust_s_own_business() -> None:
    consumer = _consumer(committed=100, in_transaction=True)
    asyncio.run(Consumer._add_gap(consumer, TP0, 101, 140))
    assert consumer._gap[TP0]


def test_a_re_read_record_acknowledged_before_leaves_the_in_flight_set() -> None:
    consumer = _consumer(committed=10)
    again = _Message(5)  # below the committed offset: faust never removed it from the in-flight set
    consumer._unacked_messages.add(again)
    assert _ack(consumer, again) is False
    assert again not in consumer._unacked_messages


def test_install_refuses_another_faust_version(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(faust_offsets_fix, "_installed", False)
    monkeypatch.setattr(faust_offsets_fix, "version", lambda _: "0.99.0")
    with pytest.raises(RuntimeError, match=r"faust-streaming 0\.15\.3"):
        faust_offsets_fix.install()


def test_records_deleted_by_retention_are_skipped_so_the_commit_can_move_on() -> None:
    consumer = _consumer(committed=100)
    for offset in (150, 151):  # retention deleted 100..149 while the group lagged
        _ack(consumer, _Message(offset))
    assert Consumer._new_offset(consumer, TP0) is None
    faust_offsets_fix.skip_range(consumer, TP0, 100, 149)
    assert faust_offsets_fix.head_hole(consumer, TP0) is None
    assert Consumer._new_offset(consumer, TP0) == 152
