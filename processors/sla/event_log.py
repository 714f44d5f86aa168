"""Event logs with known SLA outcomes → model views, through the live stage's own state code.

Two sources feed `ticketstream train sla`: the UCI incident log (`uci_adapter`) and the pipeline's own
history in ClickHouse (`history_to_log_events`: rows of `ticket_events` joined with `sla_outcomes`). Both
become `LogEvent`s; `views_from_event_log` replays them in time order through `update_ticket` and
`update_queue`, exactly as the stream does, and builds one `SlaEventView` per event.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from processors.sla.features import SlaEventView
from processors.sla.policy import SlaPolicy
from processors.sla.state import QueueState, StateEvent, TicketState, queue_deltas, update_queue, update_ticket
from schemas import Channel, EventType, Priority, Status


@dataclass(frozen=True, slots=True)
class LogEvent:
    """One event of a ticket whose final SLA outcome is known. `group` = tenant:ticket (or UCI number)."""

    group: str
    event_id: str
    event_type: EventType
    occurred_at: datetime
    created_at: datetime | None
    priority: Priority
    channel: Channel
    status: Status | None
    queue: str | None
    breached: bool
    tenant_id: str = "uci"


def views_from_event_log(events: Sequence[LogEvent], policy_of: Callable[[str], SlaPolicy]) -> list[SlaEventView]:
    """One view per event, in the input order; state is replayed per ticket in input order and the queue
    backlog in global time order (the order a stream would see). `policy_of(tenant_id)` gives the clock."""
    ticket_states: dict[str, TicketState] = {}
    after_event: list[TicketState] = []
    for event in events:  # per-ticket order is the input order, as on a partition
        before = ticket_states.get(event.group)
        after = update_ticket(before, _state_event(event))
        ticket_states[event.group] = after
        after_event.append(after)

    queue_at: list[QueueState | None] = [None] * len(events)
    queues: dict[str, QueueState] = {}
    previous: dict[str, TicketState] = {}
    order = sorted(range(len(events)), key=lambda i: _utc(events[i].occurred_at))
    for i in order:
        event, after = events[i], after_event[i]
        for delta in queue_deltas(event.tenant_id, previous.get(event.group), after, event.occurred_at):
            queues[delta.key] = update_queue(queues.get(delta.key), delta)
        previous[event.group] = after
        if after.queue is not None:
            queue_at[i] = queues.get(f"{event.tenant_id}:{after.queue}")

    views = []
    for event, state, queue in zip(events, after_event, queue_at, strict=True):
        policy = policy_of(event.tenant_id)
        created = event.created_at or state.created_at
        target = policy.target(event.priority, event.channel)
        views.append(
            SlaEventView(
                priority=event.priority,
                channel=event.channel,
                event_type=event.event_type,
                created_at=created,
                occurred_at=event.occurred_at,
                resolution_target_hours=target.resolution_hours,
                clock_hours_elapsed=policy.hours_between(created, event.occurred_at),
                state=state,
                queue=queue,
            )
        )
    return views


def _state_event(event: LogEvent) -> StateEvent:
    return StateEvent(
        event_id=event.event_id,
        event_type=event.event_type,
        occurred_at=event.occurred_at,
        created_at=event.created_at,
        status=event.status,
        queue=event.queue,
        priority=event.priority.value,
    )


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


HISTORY_EVENT_COLUMNS = (
    "tenant_id", "ticket_id", "event_id", "event_type", "occurred_at", "ticket_created_at", "priority", "channel",
    "status", "queue",
)
HISTORY_OUTCOME_COLUMNS = ("tenant_id", "ticket_id", "met_resolution")
"""As in ClickHouse `sla_outcomes`; a `breached` column is accepted instead of `met_resolution`."""


def history_to_log_events(
    events: Iterable[Mapping[str, Any]], outcomes: Iterable[Mapping[str, Any]]
) -> list[LogEvent]:
    """The pipeline's own history as training data: `events` are rows of ClickHouse `ticket_events`
    (columns `HISTORY_EVENT_COLUMNS`, ordered by occurred_at per ticket), `outcomes` rows of `sla_outcomes`
    (`HISTORY_OUTCOME_COLUMNS`, one per ticket; the last one wins for a reopened ticket). Tickets without an
    outcome are left out; a row with an unknown enum value names the column."""
    outcome: dict[tuple[str, str], bool] = {}
    for row in outcomes:
        breached = bool(row["breached"]) if "breached" in row else not bool(row["met_resolution"])
        outcome[(str(row["tenant_id"]), str(row["ticket_id"]))] = breached
    out: list[LogEvent] = []
    for n, row in enumerate(events):
        key = (str(row["tenant_id"]), str(row["ticket_id"]))
        if key not in outcome:
            continue
        try:
            out.append(
                LogEvent(
                    group=f"{key[0]}:{key[1]}",
                    event_id=str(row["event_id"]),
                    event_type=EventType(row["event_type"]),
                    occurred_at=_as_datetime(row["occurred_at"]),
                    created_at=_as_datetime(row["ticket_created_at"]) if row.get("ticket_created_at") else None,
                    priority=Priority(row["priority"]) if row.get("priority") else Priority.normal,
                    channel=Channel(row.get("channel") or Channel.other),
                    status=Status(row["status"]) if row.get("status") else None,
                    queue=str(row["queue"]) if row.get("queue") else None,
                    breached=outcome[key],
                    tenant_id=key[0],
                )
            )
        except (KeyError, ValueError) as exc:
            raise ValueError(f"history row {n}: {exc}") from exc
    return out


def _as_datetime(value: Any) -> datetime:
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
