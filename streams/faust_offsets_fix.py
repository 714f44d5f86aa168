"""A fix for faust-streaming 0.15.3's offset commits: never commit past a record no agent has processed.

faust's consumer fetches records through aiokafka, whose position moves on as soon as a batch is fetched.
`Consumer.getmany` drops the rest of a fetched batch when flow stops or the generation changes mid-batch,
and drops records of partitions that are not active at that moment; a later seek to the committed offsets
(a rebalance) re-reads them, but until then nothing does. Two pieces of faust's bookkeeping turn such
dropped records into committed ones:

- a jump in offsets between two delivered records is taken for a gap that transaction markers or compaction
  left (`Consumer._add_gap`), and gap offsets count as acknowledged;
- `Consumer._new_offset` lets the acknowledged run start one past the committed offset, so the record *at*
  the committed offset, if dropped, is skipped when its successor is acknowledged.

Seen: a kill -9 reliability run in which 13 of 1,500 tickets never reached ClickHouse. This project's topics
are neither transactional nor compacted (only the table changelogs are, and they are not acknowledged), so
here a jump in offsets means dropped records — or records deleted by retention while the group lagged,
which the watchdog recognises by the partition's log start and counts as done (`skip_range`). Outside
transactions the replacements below keep dropped records unacknowledged; the commit then stops in front of
them, and the stall watchdog (streams/stall_watchdog.py) re-reads from the committed offsets (`head_hole`).
Re-read records that were already acknowledged are processed again (every stage is idempotent by event id)
and leave the in-flight set (faust kept them there for good, which hid a stall from the watchdog).
Not covered: a record dropped before the partition's first commit in this group (no committed offset to
hold the commit at); faust's own logic applies there.
`install()` is idempotent and checks the faust version it was written for.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from importlib.metadata import version
from typing import Any

from faust.transport.consumer import Consumer

from streams.faust_patching import replace_methods

log = logging.getLogger("ticketstream.stream.offsets")
_installed = False

_original_add_gap: Callable[..., Coroutine[Any, Any, None]] = Consumer._add_gap
_original_new_offset: Callable[[Any, Any], int | None] = Consumer._new_offset
_original_ack: Callable[[Any, Any], bool] = Consumer.ack


async def _add_gap_only_in_transactions(self: Any, tp: Any, offset_from: int, offset_to: int) -> None:
    if self.app.in_transaction:
        await _original_add_gap(self, tp, offset_from, offset_to)
        return
    log.warning("%s[%s]: records %d..%d were fetched but not delivered; they stay unprocessed until re-read",
                tp.topic, tp.partition, offset_from, offset_to - 1)


def _new_offset_from_committed(self: Any, tp: Any) -> int | None:
    acked = self._acked[tp]
    committed = self._committed_offset[tp]
    if acked and committed is not None and not self.app.in_transaction:
        gap = self._gap[tp]
        lowest = min(min(acked), min(iv.begin for iv in gap)) if gap else min(acked)
        if lowest > committed:
            return None  # the record at the committed offset is not processed yet: commit nothing
    return _original_new_offset(self, tp)


def skip_range(consumer: Any, tp: Any, first: int, last: int) -> None:
    """Count offsets `first`..`last` as done: only for records that no longer exist (deleted by retention).
    Not through faust's `_add_gap`, which starts a gap one past the committed offset."""
    if first <= last:
        gap = consumer._gap[tp]
        gap.addi(first, last + 1)  # intervaltree intervals exclude their end
        gap.merge_overlaps()


def _ack_and_forget(self: Any, message: Any) -> bool:
    counted = _original_ack(self, message)
    if message.acked:  # also a re-read record acknowledged before, or one below the committed offset
        self._unacked_messages.discard(message)
    return counted


def head_hole(consumer: Any, tp: Any) -> int | None:
    """The committed offset of `tp` when its record is neither acknowledged nor in flight while later ones
    are acknowledged — a record faust dropped — else None."""
    committed = consumer._committed_offset.get(tp)
    acked = consumer._acked.get(tp)
    gap = consumer._gap.get(tp)
    if committed is None or not acked or min(acked) <= committed or (gap and min(iv.begin for iv in gap) <= committed):
        return None
    if any(m.tp == tp and m.offset <= committed for m in list(consumer._unacked_messages)):
        return None
    return int(committed)


def install() -> None:
    """Replace `_add_gap`, `_new_offset` and `ack` on faust's Consumer (once per process)."""
    global _installed
    if not _installed:
        replace_methods(Consumer, {
            "_add_gap": _add_gap_only_in_transactions,
            "_new_offset": _new_offset_from_committed,
            "ack": _ack_and_forget,
        }, found=version("faust-streaming"), fix="streams/faust_offsets_fix.py",
            check="check whether dropped records still count as committed")
        _installed = True
