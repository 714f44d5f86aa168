"""The SLA agent with its streaming state in faust Tables (changelog-backed: a restarted worker recovers them).

- `sla-ticket-state` — per ticket (`tenant:ticket`), co-partitioned with `tickets.classified`, which is keyed
  the same way. Changelog writes use the producer's key partitioner (`use_partitioner=True`), so a key's
  changelog partition equals its source partition even though the agent handles a batch of events from
  several partitions at once (faust's default takes the partition of the *current* event only).
- `sla-queue-state` — per tenant and queue (`tenant:queue`). A ticket's events are not keyed by queue, so the
  SLA agent sends each backlog change (`QueueDelta`) to the repartition topic `tickets.sla_queue`, keyed
  `tenant:queue`, and a second agent applies them to this table, co-partitioned with that topic. The queue
  state is served at `GET /sla/queues/` on the worker's web port (this worker's partitions) and is kept for
  dashboards and the `queue` model ablation; the shipped model does not read it, because a backlog read in
  the SLA agent would depend on how partitions interleave, and the batch CLI could not reproduce it.

Tables are read and written only on the event loop (here, in the agent); the pure
`SlaStage.process_with_state` runs in the worker thread between the read and the write.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable, MutableMapping
from datetime import datetime
from functools import partial
from typing import Any

import faust
from faust.types import TopicT

from processors.base import Ok
from processors.sla.stage import SlaBatchResult, SlaStage
from processors.sla.state import QueueDelta, QueueState, StateRetention, TicketState, update_queue
from schemas import ClassifiedTicket

log = logging.getLogger("ticketstream.stream.sla")

TICKET_TABLE = "sla-ticket-state"
QUEUE_TABLE = "sla-queue-state"
QUEUE_TOPIC = "tickets.sla_queue"


def attach_sla_agent(app: faust.App, runtime: Any, topics: dict[str, TopicT], build: Callable[[], Any],
                     n: int, within: float) -> None:
    """Register the SLA agent (classified → enriched), the queue-backlog agent and their tables on `app`."""
    settings = runtime.settings
    partitions = settings.partitions
    # Keys are the raw key bytes (the app's key serializer is raw), values JSON dicts (its value serializer).
    tickets = app.Table(TICKET_TABLE, default=None, partitions=partitions, key_type=bytes, use_partitioner=True,
                        help="SLA per-ticket state")
    queues = app.Table(QUEUE_TABLE, default=None, partitions=partitions, key_type=bytes, use_partitioner=True,
                       help="SLA per-queue backlog")
    queue_topic = app.topic(settings.topic(QUEUE_TOPIC), key_serializer="raw", value_serializer="raw",
                            partitions=partitions, internal=True)

    clock: dict[str, datetime] = {}
    """Stream time of this worker: the newest event time the SLA agent has seen (drives state retention)."""

    async def sweep_expired_states(retention: StateRetention) -> None:
        """Delete expired ticket states (tombstones on the changelog). Values are tested in their stored form
        and the loop yields every 1,000 keys, so a large table does not stall the event loop."""
        if "now" not in clock:
            return
        gone = await evict_expired(tickets, retention, clock["now"])
        if gone:
            log.info("SLA state: %d expired ticket states deleted", gone)

    async def sla_agent(stream: faust.StreamT) -> None:
        stage: SlaStage = await asyncio.get_running_loop().run_in_executor(None, build)
        log.info("stage sla ready (stateful)")
        last_sweep = time.monotonic()
        async for events in stream.take_events(n, within=within):  # type: ignore[attr-defined]
            parsed = await runtime.parse(events, ClassifiedTicket, stage.name)
            if not parsed:
                continue
            items: list[ClassifiedTicket] = [item for _, item in parsed]
            newest = max(t.occurred_at for t in items)
            if "now" not in clock or newest > clock["now"]:
                clock["now"] = newest
            if time.monotonic() - last_sweep >= settings.sla_state_sweep_interval_s:
                # In the agent, between batches, rather than in an app.timer: a worker with a faust timer
                # registered here stopped consuming after a restart with table recovery (3 of 3 runs).
                last_sweep = time.monotonic()
                await sweep_expired_states(stage.retention)
            states = {t.key: _ticket_state(tickets.get(t.key.encode())) for t in items}
            try:
                result: SlaBatchResult = await runtime.with_retries(
                    stage.name, partial(stage.process_with_state, items, states))
            except Exception as exc:
                for event, _ in parsed:
                    await runtime.dead_letter(event, stage.name, f"stage failed after {settings.max_retries} retries: "
                                              f"{type(exc).__name__}", type(exc).__name__, settings.max_retries + 1)
                continue
            for key, state in result.states.items():
                tickets[key.encode()] = state.to_dict()
            for delta in result.queue_deltas:
                await queue_topic.send(key=delta.key.encode(), value=json.dumps(delta.to_dict()).encode())
            for (event, item), outcome in zip(parsed, result.outcomes, strict=True):
                if isinstance(outcome, Ok):
                    await topics["enriched"].send(key=item.key.encode(), value=outcome.value.to_json_bytes())
                else:
                    await runtime.dead_letter(event, stage.name, outcome.reason, outcome.error_type)

    async def queue_agent(stream: faust.StreamT) -> None:
        async for value in stream:
            try:
                delta = QueueDelta.from_dict(json.loads(value))
            except (ValueError, KeyError, TypeError) as exc:
                log.error("unreadable queue delta skipped: %s", type(exc).__name__)
                continue
            key = delta.key.encode()
            current = queues.get(key)
            queues[key] = update_queue(QueueState.from_dict(current) if current else None, delta).to_dict()

    async def queue_page(web: Any, request: Any) -> Any:
        body = {k.decode() if isinstance(k, bytes) else str(k): v for k, v in queues.items()}
        return web.json(body)

    app.agent(topics["classified"], name="ticketstream.stage.sla")(sla_agent)
    app.agent(queue_topic, name="ticketstream.sla.queues")(queue_agent)
    app.page("/sla/queues/")(queue_page)


async def evict_expired(table: MutableMapping[bytes, Any], retention: StateRetention, now: datetime) -> int:
    gone = []
    for i, (key, value) in enumerate(list(table.items())):
        if retention.expired_raw(value, now):
            gone.append(key)
        if i % 1000 == 999:
            await asyncio.sleep(0)
    for key in gone:
        del table[key]
    return len(gone)


def _ticket_state(value: Any) -> TicketState | None:
    if not value:
        return None
    try:
        return TicketState.from_dict(value)
    except (ValueError, KeyError, TypeError):
        log.error("unreadable SLA ticket state ignored (starting the ticket afresh)")
        return None
