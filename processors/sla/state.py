"""Streaming state of the SLA stage, as pure data and pure update functions.

`TicketState` is what the model needs to know about a ticket's life so far (first seen, reassignments,
reopenings, status changes, time waiting on the customer) plus what the stage itself must remember (the
last risk level, so an escalation is emitted once per crossing). `QueueState` is the open backlog and the
recent arrival rate of one tenant's queue.

The stream keeps these in faust Tables (streams/sla_state.py); the batch CLI keeps them in a dict
(`InMemoryStateStore`). Both call the same `update_ticket` / `update_queue`, so the same input order gives
the same states. The UCI adapter also runs its rows through `update_ticket`: training and serving count
reassignments and waiting time the same way.

Redelivery (at-least-once): a ticket remembers its last few event ids; an event seen before does not change
the state again.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any

from schemas import AuthorRole, EventType, Status
from schemas.enrichment import RiskLevel
from schemas.records import RedactedTicket

RECENT_EVENT_IDS = 16
"""How many event ids a ticket remembers to recognise a redelivered event."""
ARRIVAL_RATE_HALF_LIFE_H = 1.0
"""Half-life of the queue's arrival-rate estimate: it reflects roughly the last hour or two."""

_CLOSED_STATUSES = frozenset({Status.solved, Status.closed})
_WAITING_STATUSES = frozenset({Status.pending})
"""Waiting on the customer. `on_hold` waits on a third party and keeps the ticket's own clock running."""


@dataclass(frozen=True, slots=True)
class StateEvent:
    """What the state needs from one event; built from a live ticket or a row of an event log."""

    event_id: str
    event_type: EventType
    occurred_at: datetime
    created_at: datetime | None = None
    status: Status | None = None
    queue: str | None = None
    priority: str | None = None
    agent_replied: bool = False
    """An agent's public comment: the ticket's first response if none came before."""

    @classmethod
    def from_ticket(cls, ticket: RedactedTicket) -> StateEvent:
        return cls(
            event_id=ticket.event_id,
            event_type=ticket.event_type,
            occurred_at=ticket.occurred_at,
            created_at=ticket.ticket_created_at,
            status=ticket.status,
            queue=ticket.queue,
            priority=ticket.priority.value if ticket.priority else None,
            agent_replied=(ticket.event_type == EventType.comment_added and ticket.author_role == AuthorRole.agent
                           and ticket.comment_public is True),  # unknown visibility is not a response
        )


@dataclass(frozen=True, slots=True)
class TicketState:
    """One ticket's history as of its latest event."""

    created_at: datetime
    first_seen: datetime
    last_event_at: datetime
    events: int = 0
    reassignments: int = 0
    reopens: int = 0
    status_changes: int = 0
    waiting_hours: float = 0.0
    """Completed spells of waiting on the customer, in calendar hours."""
    waiting_since: datetime | None = None
    status: Status | None = None
    queue: str | None = None
    priority: str | None = None
    is_open: bool = True
    last_risk: RiskLevel | None = None
    escalated_event_id: str | None = None
    """The event whose prediction crossed the escalation threshold last; a redelivery of it escalates again
    (same idempotent action id), any other event does not."""
    recent_event_ids: tuple[str, ...] = field(default_factory=tuple)
    risk_before_last: RiskLevel | None = None
    """The risk level before the latest event: a redelivery of that event reports the same previous level."""
    first_response_at: datetime | None = None
    """The earliest agent public comment seen (events arrive out of order: the earliest, not the first)."""

    def waiting_hours_at(self, at: datetime) -> float:
        """Time waiting on the customer up to `at`, including a spell still running."""
        running = 0.0
        if self.waiting_since is not None:
            running = max(0.0, (at - self.waiting_since).total_seconds() / 3600.0)
        return self.waiting_hours + running

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe, for the faust Table's changelog."""
        data = asdict(self)
        for key in ("created_at", "first_seen", "last_event_at", "waiting_since", "first_response_at"):
            data[key] = data[key].isoformat() if data[key] is not None else None
        data["status"] = self.status.value if self.status else None
        data["last_risk"] = self.last_risk.value if self.last_risk else None
        data["risk_before_last"] = self.risk_before_last.value if self.risk_before_last else None
        data["recent_event_ids"] = list(self.recent_event_ids)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TicketState:
        def when(key: str) -> datetime | None:
            value = data.get(key)
            return datetime.fromisoformat(value) if value else None

        created, first, last = when("created_at"), when("first_seen"), when("last_event_at")
        if created is None or first is None or last is None:
            raise ValueError("ticket state without created_at/first_seen/last_event_at")
        return cls(
            created_at=created,
            first_seen=first,
            last_event_at=last,
            events=int(data.get("events", 0)),
            reassignments=int(data.get("reassignments", 0)),
            reopens=int(data.get("reopens", 0)),
            status_changes=int(data.get("status_changes", 0)),
            waiting_hours=float(data.get("waiting_hours", 0.0)),
            waiting_since=when("waiting_since"),
            status=Status(data["status"]) if data.get("status") else None,
            queue=data.get("queue"),
            priority=data.get("priority"),
            is_open=bool(data.get("is_open", True)),
            last_risk=RiskLevel(data["last_risk"]) if data.get("last_risk") else None,
            escalated_event_id=data.get("escalated_event_id"),
            recent_event_ids=tuple(data.get("recent_event_ids", ())),
            risk_before_last=RiskLevel(data["risk_before_last"]) if data.get("risk_before_last") else None,
            first_response_at=when("first_response_at"),
        )


def is_duplicate(state: TicketState | None, event: StateEvent) -> bool:
    return state is not None and event.event_id in state.recent_event_ids


def update_ticket(state: TicketState | None, event: StateEvent) -> TicketState:
    """The ticket's state after `event`. A redelivered event (id seen recently) leaves it unchanged."""
    if state is None:
        created = event.created_at or event.occurred_at
        status = event.status
        waiting_since = event.occurred_at if status in _WAITING_STATUSES else None
        return TicketState(
            created_at=created,
            first_seen=event.occurred_at,
            last_event_at=event.occurred_at,
            events=1,
            waiting_since=waiting_since,
            status=status,
            queue=event.queue,
            priority=event.priority,
            is_open=_open_after(True, event),
            recent_event_ids=(event.event_id,),
            first_response_at=event.occurred_at if event.agent_replied else None,
        )
    if is_duplicate(state, event):
        if event.agent_replied:  # idempotent: a redelivery can only confirm the earliest reply
            return replace(state, first_response_at=_earliest(state.first_response_at, event.occurred_at))
        return state

    reassigned = event.queue is not None and state.queue is not None and event.queue != state.queue
    was_closed = not state.is_open
    reopened = event.event_type == EventType.reopened or (
        was_closed and event.status is not None and event.status not in _CLOSED_STATUSES
    )
    status_changed = event.status is not None and event.status != state.status

    waiting_hours, waiting_since = state.waiting_hours, state.waiting_since
    new_status = event.status if event.status is not None else state.status
    if status_changed:
        if waiting_since is not None and new_status not in _WAITING_STATUSES:
            waiting_hours += max(0.0, (event.occurred_at - waiting_since).total_seconds() / 3600.0)
            waiting_since = None
        elif waiting_since is None and new_status in _WAITING_STATUSES:
            waiting_since = event.occurred_at

    return replace(
        state,
        created_at=state.created_at if event.created_at is None else min(state.created_at, event.created_at),
        last_event_at=max(state.last_event_at, event.occurred_at),
        events=state.events + 1,
        reassignments=state.reassignments + int(reassigned),
        reopens=state.reopens + int(reopened),
        status_changes=state.status_changes + int(status_changed),
        waiting_hours=waiting_hours,
        waiting_since=waiting_since,
        status=new_status,
        queue=event.queue if event.queue is not None else state.queue,
        priority=event.priority if event.priority is not None else state.priority,
        is_open=True if reopened else _open_after(state.is_open, event),
        recent_event_ids=(*state.recent_event_ids, event.event_id)[-RECENT_EVENT_IDS:],
        first_response_at=_earliest(state.first_response_at, event.occurred_at if event.agent_replied else None),
    )


def _earliest(a: datetime | None, b: datetime | None) -> datetime | None:
    return b if a is None else a if b is None else min(a, b)


def _open_after(was_open: bool, event: StateEvent) -> bool:
    if event.event_type in (EventType.solved, EventType.closed) or event.status in _CLOSED_STATUSES:
        return False
    if event.event_type == EventType.reopened:
        return True
    return was_open


def with_risk(state: TicketState, risk: RiskLevel, escalated_event_id: str | None) -> TicketState:
    return replace(state, last_risk=risk, escalated_event_id=escalated_event_id or state.escalated_event_id)


# --------------------------------------------------------------------------------------------- queues


@dataclass(frozen=True, slots=True)
class QueueDelta:
    """A change to one queue's backlog caused by one ticket event (keyed `tenant:queue` on the wire)."""

    tenant_id: str
    queue: str
    open_delta: int
    arrival: bool
    occurred_at: datetime

    @property
    def key(self) -> str:
        return f"{self.tenant_id}:{self.queue}"

    def to_dict(self) -> dict[str, Any]:
        return {"tenant_id": self.tenant_id, "queue": self.queue, "open_delta": self.open_delta,
                "arrival": self.arrival, "occurred_at": self.occurred_at.isoformat()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> QueueDelta:
        return cls(tenant_id=str(data["tenant_id"]), queue=str(data["queue"]), open_delta=int(data["open_delta"]),
                   arrival=bool(data["arrival"]), occurred_at=datetime.fromisoformat(data["occurred_at"]))


@dataclass(frozen=True, slots=True)
class QueueState:
    """Open tickets in a queue and an exponentially decayed arrival count (half-life one hour)."""

    open_tickets: int = 0
    arrivals_decayed: float = 0.0
    last_update_at: datetime | None = None

    def arrival_rate_per_hour(self, at: datetime | None = None) -> float:
        """Arrivals per hour over the recent past: decayed count times the decay rate."""
        if self.last_update_at is None:
            return 0.0
        count = self.arrivals_decayed * _decay(self.last_update_at, at or self.last_update_at)
        return count * math.log(2) / ARRIVAL_RATE_HALF_LIFE_H

    def to_dict(self) -> dict[str, Any]:
        return {"open_tickets": self.open_tickets, "arrivals_decayed": self.arrivals_decayed,
                "last_update_at": self.last_update_at.isoformat() if self.last_update_at else None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> QueueState:
        last = data.get("last_update_at")
        return cls(open_tickets=int(data.get("open_tickets", 0)),
                   arrivals_decayed=float(data.get("arrivals_decayed", 0.0)),
                   last_update_at=datetime.fromisoformat(last) if last else None)


def _decay(since: datetime, until: datetime) -> float:
    hours = max(0.0, (until - since).total_seconds() / 3600.0)
    return 0.5 ** (hours / ARRIVAL_RATE_HALF_LIFE_H)


def queue_deltas(tenant_id: str, before: TicketState | None, after: TicketState, at: datetime) -> list[QueueDelta]:
    """Backlog changes from one ticket transition: it arrives, leaves (solved/closed), moves between queues."""
    was_open_in = before.queue if before is not None and before.is_open else None
    now_open_in = after.queue if after.is_open else None
    if before is after or was_open_in == now_open_in:
        return []
    out = []
    if was_open_in is not None:
        out.append(QueueDelta(tenant_id, was_open_in, -1, False, at))
    if now_open_in is not None:
        out.append(QueueDelta(tenant_id, now_open_in, +1, True, at))
    return out


def update_queue(state: QueueState | None, delta: QueueDelta) -> QueueState:
    """Apply one delta; the backlog never goes below zero (a ticket seen closing before it was seen open)."""
    state = state or QueueState()
    decayed = state.arrivals_decayed
    last = state.last_update_at
    if last is not None:
        decayed *= _decay(last, delta.occurred_at)
    newest = delta.occurred_at if last is None else max(last, delta.occurred_at)
    return QueueState(
        open_tickets=max(0, state.open_tickets + delta.open_delta),
        arrivals_decayed=decayed + (1.0 if delta.arrival else 0.0),
        last_update_at=newest,
    )


@dataclass(frozen=True, slots=True)
class StateRetention:
    """How long a ticket's state is kept after its last event, measured in *stream time* (the newest event
    time seen), not wall time: a replay of last year's history must not evict what it is about to need.

    A solved or closed ticket can still be reopened, so its state stays for `closed_days`; an open ticket that
    went silent stays for `open_days`. Without this the state grows with every ticket ever seen.
    """

    closed_days: float = 30.0
    open_days: float = 365.0

    def __post_init__(self) -> None:
        if self.closed_days <= 0 or self.open_days <= 0:
            raise ValueError("SLA state retention must be a positive number of days")

    def expired(self, last_event_at: datetime, is_open: bool, stream_time: datetime) -> bool:
        days = self.open_days if is_open else self.closed_days
        return (stream_time - last_event_at).total_seconds() > days * 86400.0

    def expired_raw(self, value: Any, stream_time: datetime) -> bool:
        """The same test on a table value (the `to_dict` form), without building a TicketState."""
        try:
            last = datetime.fromisoformat(value["last_event_at"])
            return self.expired(last, bool(value.get("is_open", True)), stream_time)
        except (KeyError, TypeError, ValueError):
            return True  # unreadable state is dropped rather than kept forever


@dataclass
class InMemoryStateStore:
    """The batch CLI's state: plain dicts keyed like the faust Tables (`tenant:ticket`, `tenant:queue`)."""

    tickets: dict[str, TicketState] = field(default_factory=dict)
    queues: dict[str, QueueState] = field(default_factory=dict)
    stream_time: datetime | None = None

    def evict(self, retention: StateRetention) -> int:
        """Drop ticket states past their retention; returns how many."""
        if self.stream_time is None:
            return 0
        now = self.stream_time
        gone = [k for k, s in self.tickets.items() if retention.expired(s.last_event_at, s.is_open, now)]
        for key in gone:
            del self.tickets[key]
        return len(gone)

    def apply_queue_deltas(self, deltas: list[QueueDelta]) -> None:
        for delta in deltas:
            self.queues[delta.key] = update_queue(self.queues.get(delta.key), delta)
