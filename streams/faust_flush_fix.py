"""A fix for faust-streaming 0.15.3's producer buffer: `flush()` waits until every buffered message is sent.

Table writes (`table[key] = value`) do not send their changelog record themselves: they put it in the
producer's `ProducerBuffer` (`Topic.send_soon`), which a background task hands to aiokafka one at a time.
Before committing source offsets, faust calls `producer.flush()`, which is meant to drain that buffer first.
faust's `ProducerBuffer.flush` gives up as soon as one message takes longer than 0.1 s to be handed over
(`asyncio.wait_for(..., timeout=0.1)` → return), and it counts the message the background task has taken
but not yet handed over as flushed. Under load the offsets of events are then committed while their
changelog records still sit in the buffer; a worker killed at that moment loses those table writes for good
(seen as SLA ticket states missing after kill -9 + restart, about 2 runs in 8 on this 2-core machine).

The replacement waits for the delivery futures of every message that was in the buffer when the flush
began (the futures resolve when the broker has acknowledged the record, or with the send's error), so a
commit follows every changelog write of the events it covers. Messages added during the flush are left to
the next one, so a busy agent cannot starve the commit. While the buffer is not running (shutdown), faust's
own flush runs unchanged. `install()` is idempotent and checks the faust version it was written for.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from importlib.metadata import version
from typing import Any

from faust.transport.producer import ProducerBuffer
from faust.types.tuples import FutureMessage

from streams.faust_patching import replace_methods

UNSETTLED = "_ticketstream_unsettled"
"""Attribute on each buffer: the delivery futures of the messages put in it and not yet settled."""
_WAIT_ROUND_S = 1.0
_installed = False

_original_put: Callable[[Any, FutureMessage], None] = ProducerBuffer.put
_original_flush: Callable[[Any], Awaitable[None]] = ProducerBuffer.flush


def _unsettled(buffer: Any) -> set[FutureMessage]:
    found: set[FutureMessage] | None = buffer.__dict__.get(UNSETTLED)
    if found is None:
        found = set()
        setattr(buffer, UNSETTLED, found)
    return found


def _tracking_put(self: Any, fut: FutureMessage) -> None:
    unsettled = _unsettled(self)
    unsettled.add(fut)
    fut.add_done_callback(unsettled.discard)
    _original_put(self, fut)


async def _flush_until_sent(self: Any) -> None:
    waiting = {fut for fut in _unsettled(self) if not fut.done()}
    while waiting:
        if self.state != "running":
            await _original_flush(self)
            return
        _, waiting = await asyncio.wait(waiting, timeout=_WAIT_ROUND_S)
    # A failed send settles its future with the error; faust has already logged it (Topic._on_published).


def install() -> None:
    """Replace `put` and `flush` on faust's ProducerBuffer (once per process)."""
    global _installed
    if not _installed:
        replace_methods(ProducerBuffer, {
            "put": _tracking_put,
            "flush": _flush_until_sent,
        }, found=version("faust-streaming"), fix="streams/faust_flush_fix.py",
            check="check whether ProducerBuffer.flush still returns early")
        _installed = True
