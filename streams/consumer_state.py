"""What a worker's Kafka consumer thinks it is doing, partition by partition, for diagnosing stalls.

A worker that has partitions assigned and a backlog but commits nothing is the hardest fault to see from the
outside: lag grows, logs are quiet. The snapshot puts faust's bookkeeping (active, paused and buffered
partitions, read and committed offsets, flow control) next to aiokafka's own (position, paused, awaiting reset,
prefetched records) so one look shows which layer holds a partition back. Served at /debug/consumer on the
worker's web port; it holds topics, partitions and offsets only, never a message.
"""

from __future__ import annotations

import asyncio
from typing import Any


def _tp_name(tp: Any) -> str:
    return f"{tp.topic}[{tp.partition}]"


def _aiokafka_partition(aio: Any, tp: Any) -> dict[str, Any]:
    """aiokafka's per-partition state, read without waiting on its thread (diagnostics may be slightly stale)."""
    try:
        assignment = aio._subscription.subscription.assignment
        state = assignment.state_value(tp)
    except AttributeError:
        return {}
    if state is None:
        return {"assigned": False}
    return {
        "position": state._position,
        "paused": state.paused,
        "awaiting_reset": state.awaiting_reset,
        "status": getattr(state._status, "name", str(state._status)),
        "highwater": state.highwater,
    }


def _await_chain(coro: Any, limit: int = 30) -> list[str]:
    """The frames a suspended coroutine is waiting in, outermost first (follows cr_await / ag_await)."""
    frames: list[str] = []
    while coro is not None and len(frames) < limit:
        frame = getattr(coro, "cr_frame", None) or getattr(coro, "ag_frame", None) or getattr(coro, "gi_frame", None)
        if frame is not None:
            frames.append(f"{frame.f_code.co_qualname}:{frame.f_lineno}")
        coro = getattr(coro, "cr_await", None) or getattr(coro, "ag_await", None) or getattr(coro, "gi_yieldfrom", None)
    if coro is not None and not frames:
        frames.append(repr(coro)[:120])
    return frames


def _fetch_task_stack() -> list[str]:
    """Where faust's fetch loop is waiting (empty if it is not running): a stalled consumer shows it here."""
    try:
        tasks = asyncio.all_tasks()
    except RuntimeError:
        return []
    for task in tasks:  # mode wraps the service task (Service._execute_task -> Fetcher._fetcher -> ...)
        chain = _await_chain(task.get_coro())
        if any(frame.startswith("Fetcher._fetcher") for frame in chain):
            return chain
    return []


def consumer_snapshot(app: Any) -> dict[str, Any]:
    """The state of `app`'s consumer, as plain JSON-ready data."""
    consumer = app.consumer
    thread = getattr(consumer, "_thread", None)
    aio = getattr(thread, "_consumer", None)
    assigned = sorted(consumer.assignment(), key=_tp_name) if aio is not None else []
    active = consumer._active_partitions or set()
    prefetched: dict[Any, int] = {}
    fetch_tasks = None
    if aio is not None:
        fetcher = aio._fetcher
        fetch_tasks = len(getattr(fetcher, "_fetch_tasks", ()) or ())
        for tp, records in list(getattr(fetcher, "_records", {}).items()):
            prefetched[tp] = len(getattr(records, "_records", []) or [])
    partitions = {}
    for tp in assigned:
        partitions[_tp_name(tp)] = {
            "active": tp in active,
            "paused": tp in consumer._paused_partitions,
            "buffered": tp in consumer._buffered_partitions,
            "read_offset": consumer._read_offset.get(tp),
            "committed_offset": consumer._committed_offset.get(tp),
            "acked_pending": len(consumer._acked.get(tp, ())),
            "gap": len(consumer._gap.get(tp, ())),
            "prefetched_batches": prefetched.get(tp, 0),
            "aiokafka": _aiokafka_partition(aio, tp) if aio is not None else {},
        }
    producer_buffer = getattr(getattr(app, "_producer", None), "buffer", None)
    return {
        "flow_active": consumer.flow_active,
        "flow_control_active": app.flow_control.is_active(),
        "suspend_flow": consumer.suspend_flow.is_set(),
        "producer_buffer": producer_buffer.size if producer_buffer is not None else None,
        "fetch_task": _fetch_task_stack(),
        "can_resume_flow": consumer.can_resume_flow.is_set(),
        "in_recovery": bool(getattr(app, "in_recovery", False)),
        "rebalancing": bool(getattr(app, "rebalancing", False)),
        "generation_id": getattr(app, "consumer_generation_id", None),
        "fetcher_state": getattr(getattr(app, "_fetcher", None), "state", None),
        "recovery_completed": app.tables.recovery.completed.is_set() if hasattr(app, "tables") else None,
        "aiokafka_fetch_tasks": fetch_tasks,
        "partitions": partitions,
    }


def register_debug_view(app: Any) -> None:
    """Serve the snapshot at /debug/consumer on the faust web server."""

    async def ticketstream_debug_consumer(view: Any, request: Any) -> Any:
        return view.json(consumer_snapshot(app))

    app.page("/debug/consumer")(ticketstream_debug_consumer)
