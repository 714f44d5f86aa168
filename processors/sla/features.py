"""The one feature function used both to train the breach model (from event-log rows) and on live events.

Both sides are first turned into an `SlaEventView` — what is known about a ticket at the moment of one
event: its fields, the SLA clock (target and time elapsed on the tenant's business calendar) and the
streaming state (`TicketState`, and optionally the queue's backlog) — so training and serving cannot drift.

Feature sets (`FEATURE_SETS`), each a superset of the one before, so the benchmark can say what each adds:
- `creation`: priority, channel, creation hour/weekday — the plain baseline;
- `event`: + event type, time since creation, event hour/weekday, the SLA clock (resolution target and
  the fraction of it used, i.e. time left to the due time);
- `state`: + the ticket's history from the streaming state (reassignments, reopenings, status changes,
  events so far, time waiting on the customer and whether it waits now);
- `queue`: + the queue's open backlog and arrival rate (ablation; see docs/sla.md for why it is not the
  shipped default).

What the models cannot learn from the UCI log, and so do not use: the classification category (UCI's are
anonymised ids), sentiment, language; channel is always "Phone" there but is encoded so a retrain on mixed
channels needs no code change. Time of day/week is the wall-clock time the timestamp carries (its own UTC
offset live; UCI timestamps are naive local times).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from processors.sla.policy import SlaPolicy
from processors.sla.state import QueueState, TicketState
from schemas import Channel, EventType, Priority
from schemas.records import RedactedTicket

PRIORITIES: tuple[Priority, ...] = tuple(Priority)
CHANNELS: tuple[Channel, ...] = tuple(Channel)
EVENT_TYPES: tuple[EventType, ...] = tuple(EventType)
DEFAULT_PRIORITY = Priority.normal
FEATURE_SETS = ("creation", "event", "state", "queue")
MAX_FRACTION_USED = 5.0
"""The fraction of the resolution target used is capped: beyond 5x overdue the exact value says nothing more."""


@dataclass(frozen=True, slots=True)
class SlaEventView:
    """A ticket as known at one event."""

    priority: Priority
    channel: Channel
    event_type: EventType
    created_at: datetime
    occurred_at: datetime
    resolution_target_hours: float = 72.0
    clock_hours_elapsed: float | None = None
    """Elapsed time on the policy's clock (business hours); None = calendar hours since creation."""
    state: TicketState | None = None
    queue: QueueState | None = None

    @classmethod
    def from_ticket(
        cls, ticket: RedactedTicket, state: TicketState | None, policy: SlaPolicy, queue: QueueState | None = None
    ) -> SlaEventView:
        """Live view: priority from the event, else the ticket's last known one, else the classifier's, else
        normal; creation time from the event, else from the state (first seen)."""
        priority = resolve_priority(ticket, state)
        created = ticket.ticket_created_at or (state.created_at if state else ticket.occurred_at)
        tier = ticket.custom_fields.get(policy.tier_field)
        target = policy.target(priority, ticket.channel, str(tier) if tier is not None else None)
        return cls(
            priority=priority,
            channel=ticket.channel,
            event_type=ticket.event_type,
            created_at=created,
            occurred_at=ticket.occurred_at,
            resolution_target_hours=target.resolution_hours,
            clock_hours_elapsed=policy.hours_between(created, ticket.occurred_at),
            state=state,
            queue=queue,
        )

    @property
    def hours_since_created(self) -> float:
        """Clipped at 0: source clocks disagree by minutes (UCI has updates before `opened_at`)."""
        return max(0.0, (self.occurred_at - self.created_at).total_seconds() / 3600.0)

    @property
    def fraction_of_target_used(self) -> float:
        elapsed = self.hours_since_created if self.clock_hours_elapsed is None else max(0.0, self.clock_hours_elapsed)
        return min(MAX_FRACTION_USED, elapsed / self.resolution_target_hours)


def resolve_priority(ticket: RedactedTicket, state: TicketState | None) -> Priority:
    if ticket.priority is not None:
        return ticket.priority
    if state is not None and state.priority is not None and state.priority in Priority.__members__:
        return Priority(state.priority)
    predicted = ticket.classification.priority if hasattr(ticket, "classification") else None
    if predicted is not None and predicted.label in Priority.__members__:
        return Priority(predicted.label)
    return DEFAULT_PRIORITY


def feature_names(feature_set: str = "state") -> list[str]:
    if feature_set not in FEATURE_SETS:
        raise ValueError(f"feature_set must be one of {', '.join(FEATURE_SETS)}, got {feature_set!r}")
    level = FEATURE_SETS.index(feature_set)
    names = [f"priority={p.value}" for p in PRIORITIES]
    names += [f"channel={c.value}" for c in CHANNELS]
    names += ["created_hour", "created_weekday"]
    if level >= 1:
        names += [f"event_type={e.value}" for e in EVENT_TYPES]
        names += ["log1p_hours_since_created", "event_hour", "event_weekday", "log_resolution_target_hours",
                  "fraction_of_target_used"]
    if level >= 2:
        names += ["reassignments", "reopens", "status_changes", "log1p_events", "log1p_waiting_hours",
                  "waiting_now"]
    if level >= 3:
        names += ["log1p_queue_backlog", "queue_arrivals_per_hour"]
    return names


def features(views: Sequence[SlaEventView], feature_set: str = "state") -> np.ndarray:
    """One row of floats per view, columns as `feature_names(feature_set)`."""
    names = feature_names(feature_set)
    level = FEATURE_SETS.index(feature_set)
    out = np.zeros((len(views), len(names)), dtype=np.float64)
    col = {name: i for i, name in enumerate(names)}
    for i, v in enumerate(views):
        out[i, col[f"priority={v.priority.value}"]] = 1.0
        out[i, col[f"channel={v.channel.value}"]] = 1.0
        out[i, col["created_hour"]] = v.created_at.hour + v.created_at.minute / 60.0
        out[i, col["created_weekday"]] = v.created_at.weekday()
        if level >= 1:
            out[i, col[f"event_type={v.event_type.value}"]] = 1.0
            out[i, col["log1p_hours_since_created"]] = math.log1p(v.hours_since_created)
            out[i, col["event_hour"]] = v.occurred_at.hour + v.occurred_at.minute / 60.0
            out[i, col["event_weekday"]] = v.occurred_at.weekday()
            out[i, col["log_resolution_target_hours"]] = math.log(v.resolution_target_hours)
            out[i, col["fraction_of_target_used"]] = v.fraction_of_target_used
        if level >= 2:
            s = v.state
            if s is not None:
                out[i, col["reassignments"]] = s.reassignments
                out[i, col["reopens"]] = s.reopens
                out[i, col["status_changes"]] = s.status_changes
                out[i, col["log1p_events"]] = math.log1p(s.events)
                out[i, col["log1p_waiting_hours"]] = math.log1p(s.waiting_hours_at(v.occurred_at))
                out[i, col["waiting_now"]] = float(s.waiting_since is not None)
        if level >= 3 and v.queue is not None:
            out[i, col["log1p_queue_backlog"]] = math.log1p(v.queue.open_tickets)
            out[i, col["queue_arrivals_per_hour"]] = v.queue.arrival_rate_per_hour(v.occurred_at)
    return out


CREATION_TIME_FEATURES = feature_names("creation")
"""Columns the baseline uses: only what is known when the ticket is opened."""
