"""faust's producer-buffer flush must not return before the buffered changelog records are sent.

A real `ProducerBuffer` service with its own background task; only the hand-over to Kafka is replaced by a
slow fake (a delay, then the delivery future resolves), the way aiokafka behaves when its accumulator is
full. faust's own flush returns after the first 0.1 s wait; the fixed one only after every future is done.
"""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from faust.transport.producer import ProducerBuffer
from faust.types.tuples import FutureMessage, PendingMessage

from streams import faust_flush_fix

SEND_DELAY_S = 0.25


def _message() -> FutureMessage:
    pending = PendingMessage(channel=None, key=b"k", value=b"v", partition=0, timestamp=None,  # type: ignore[arg-type]
                             headers=None, key_serializer=None, value_serializer=None, callback=None)
    return FutureMessage(pending)


async def _started_buffer(sent: list[FutureMessage]) -> ProducerBuffer:
    buffer = ProducerBuffer()
    buffer.app = SimpleNamespace(conf=SimpleNamespace(producer_threaded=False))  # type: ignore[assignment]

    async def slow_send(fut: FutureMessage) -> None:
        await asyncio.sleep(SEND_DELAY_S)
        sent.append(fut)
        asyncio.get_running_loop().call_later(0.01, fut.set_result, None)  # type: ignore[arg-type]  # broker ack

    buffer._send_pending = slow_send  # type: ignore[method-assign]
    await buffer.start()
    return buffer


def test_faust_own_flush_still_returns_with_messages_unsent() -> None:
    """The reason for the fix: if this starts failing, faust fixed its flush and the patch can go."""
    async def run() -> tuple[int, int]:
        sent: list[FutureMessage] = []
        buffer = await _started_buffer(sent)
        futures = [_message() for _ in range(4)]
        for fut in futures:
            faust_flush_fix._original_put(buffer, fut)
        await faust_flush_fix._original_flush(buffer)
        unsent = sum(not fut.done() for fut in futures)
        await asyncio.gather(*futures)
        await buffer.stop()
        return unsent, len(sent)

    unsent, _ = asyncio.run(run())
    assert unsent >= 3


def test_fixed_flush_returns_only_when_every_buffered_message_is_acknowledged() -> None:
    faust_flush_fix.install()

    async def run() -> tuple[list[bool], int]:
        sent: list[FutureMessage] = []
        buffer = await _started_buffer(sent)
        futures = [_message() for _ in range(4)]
        for fut in futures:
            buffer.put(fut)
        await buffer.flush()
        done = [fut.done() for fut in futures]
        await buffer.stop()
        return done, len(sent)

    done, sent = asyncio.run(run())
    assert done == [True, True, True, True]
    assert sent == 4


def test_fixed_flush_does_not_wait_for_messages_put_after_it_began() -> None:
    """A busy agent keeps writing while the commit flushes; the commit must not wait for those too."""
    faust_flush_fix.install()

    async def run() -> tuple[bool, bool, float]:
        sent: list[FutureMessage] = []
        buffer = await _started_buffer(sent)
        first = _message()
        buffer.put(first)
        later = [_message() for _ in range(6)]

        async def keep_writing() -> None:
            for fut in later:
                await asyncio.sleep(0.01)
                buffer.put(fut)

        writer = asyncio.ensure_future(keep_writing())
        loop = asyncio.get_running_loop()
        began = loop.time()
        await buffer.flush()
        took = loop.time() - began
        await writer
        result = first.done(), all(fut.done() for fut in later), took
        await buffer.flush()
        await buffer.stop()
        return result

    first_done, later_done, took = asyncio.run(run())
    assert first_done
    assert not later_done
    assert took < 4 * SEND_DELAY_S


def test_flush_after_a_failed_send_returns_instead_of_hanging() -> None:
    faust_flush_fix.install()

    async def run() -> bool:
        buffer = ProducerBuffer()
        buffer.app = SimpleNamespace(conf=SimpleNamespace(producer_threaded=False))  # type: ignore[assignment]

        async def failing_send(fut: FutureMessage) -> None:
            fut.set_exception(ConnectionError("broker gone"))

        buffer._send_pending = failing_send  # type: ignore[method-assign]
        await buffer.start()
        fut = _message()
        buffer.put(fut)
        await asyncio.wait_for(buffer.flush(), timeout=5)
        failed = fut.done() and isinstance(fut.exception(), ConnectionError)
        await buffer.stop()
        return failed

    assert asyncio.run(run())


def test_install_refuses_another_faust_version(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(faust_flush_fix, "_installed", False)
    monkeypatch.setattr(faust_flush_fix, "version", lambda _: "0.99.0")
    with pytest.raises(RuntimeError, match=r"faust-streaming 0\.15\.3"):
        faust_flush_fix.install()

