"""The one feature function used both to train the breach model (from UCI rows) and on live events.

Both sides are first turned into an `SlaEventView` — what is known about a ticket at the moment of
one event — so training and serving cannot drift apart.

What the live side lacks, and the model therefore does not use:
- reassignment and reopen counts (ServiceNow has them; our events do not carry them yet). They can be
  kept per ticket in a faust Table later; `include_counts=True` exists only to measure what is lost.
- the classification category: UCI's categories are anonymised ids that do not map to ours.
- channel: UCI's extract is all "Phone", so the model cannot learn anything from it; it is encoded
  anyway so that a retrain on data with mixed channels needs no code change.

Time of day and weekday are taken in the wall-clock time the timestamp carries (its own UTC offset
live; UCI timestamps are naive local times), which is the closest both sides have to "working hours".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from schemas import Channel, EventType, Priority
from schemas.records import RedactedTicket

PRIORITIES: tuple[Priority, ...] = tuple(Priority)
CHANNELS: tuple[Channel, ...] = tuple(Channel)
EVENT_TYPES: tuple[EventType, ...] = tuple(EventType)
DEFAULT_PRIORITY = Priority.normal


@dataclass(frozen=True, slots=True)
class SlaEventView:
    """A ticket as known at one event: what both UCI rows and live events can provide."""

    priority: Priority
    channel: Channel
    event_type: EventType
    created_at: datetime
    occurred_at: datetime
    reassignment_count: int | None = None
    reopen_count: int | None = None

    @classmethod
    def from_ticket(cls, ticket: RedactedTicket) -> SlaEventView:
        """Live view: a missing priority counts as normal, a missing creation time as this event's."""
        return cls(
            priority=ticket.priority or DEFAULT_PRIORITY,
            channel=ticket.channel,
            event_type=ticket.event_type,
            created_at=ticket.ticket_created_at or ticket.occurred_at,
            occurred_at=ticket.occurred_at,
        )

    @property
    def hours_since_created(self) -> float:
        """Clipped at 0: source clocks disagree by minutes (UCI has updates before `opened_at`)."""
        return max(0.0, (self.occurred_at - self.created_at).total_seconds() / 3600.0)


def feature_names(include_counts: bool = False) -> list[str]:
    names = [f"priority={p.value}" for p in PRIORITIES]
    names += [f"channel={c.value}" for c in CHANNELS]
    names += [f"event_type={e.value}" for e in EVENT_TYPES]
    names += ["log1p_hours_since_created", "event_hour", "event_weekday", "created_hour", "created_weekday"]
    if include_counts:
        names += ["reassignment_count", "reopen_count"]
    return names


def features(views: Sequence[SlaEventView], include_counts: bool = False) -> np.ndarray:
    """One row of floats per view, columns as `feature_names(include_counts)`. Unknown counts are NaN."""
    width = len(feature_names(include_counts))
    out = np.zeros((len(views), width), dtype=np.float64)
    p_off, c_off, e_off = 0, len(PRIORITIES), len(PRIORITIES) + len(CHANNELS)
    n_off = e_off + len(EVENT_TYPES)
    for i, view in enumerate(views):
        out[i, p_off + PRIORITIES.index(view.priority)] = 1.0
        out[i, c_off + CHANNELS.index(view.channel)] = 1.0
        out[i, e_off + EVENT_TYPES.index(view.event_type)] = 1.0
        out[i, n_off] = math.log1p(view.hours_since_created)
        out[i, n_off + 1] = view.occurred_at.hour + view.occurred_at.minute / 60.0
        out[i, n_off + 2] = view.occurred_at.weekday()
        out[i, n_off + 3] = view.created_at.hour + view.created_at.minute / 60.0
        out[i, n_off + 4] = view.created_at.weekday()
        if include_counts:
            out[i, n_off + 5] = math.nan if view.reassignment_count is None else view.reassignment_count
            out[i, n_off + 6] = math.nan if view.reopen_count is None else view.reopen_count
    return out


CREATION_TIME_FEATURES = [
    *(f"priority={p.value}" for p in PRIORITIES),
    *(f"channel={c.value}" for c in CHANNELS),
    "created_hour",
    "created_weekday",
]
"""Columns the baseline uses: only what is known when the ticket is opened."""
