"""Pure streaming-state updates: ticket history, redelivery, queue backlog and arrival rate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from processors.sla.state import (
    InMemoryStateStore,
    QueueState,
    StateEvent,
    StateRetention,
    TicketState,
    queue_deltas,
    update_queue,
    update_ticket,
)
from schemas import EventType, Status
from schemas.enrichment import RiskLevel

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def ev(i: int, kind: EventType, hours: float, status: Status | None = None, queue: str | None = None,
       priority: str | None = None) -> StateEvent:
    return StateEvent(event_id=f"E{i}", event_type=kind, occurred_at=T0 + timedelta(hours=hours),
                      created_at=T0 if kind == EventType.created else None, status=status, queue=queue,
                      priority=priority)


def replay(events: list[StateEvent]) -> TicketState:
    state = None
    for e in events:
        state = update_ticket(state, e)
    assert state is not None
    return state


def test_ticket_history_counts_reassignments_reopens_status_changes_and_waiting() -> None:
    s = replay([
        ev(1, EventType.created, 0, Status.new, "billing", "high"),
        ev(2, EventType.updated, 1, Status.open, "billing"),
        ev(3, EventType.updated, 2, Status.pending),            # waiting on the customer from 2h
        ev(4, EventType.comment_added, 5, Status.open),         # back after 3h
        ev(5, EventType.assigned, 6, None, "logistics"),       # moved to another queue
        ev(6, EventType.solved, 8, Status.solved),
        ev(7, EventType.reopened, 9, Status.open),
        ev(8, EventType.updated, 10, Status.pending),           # waiting again, still running
    ])
    assert s.created_at == T0 and s.first_seen == T0 and s.events == 8
    assert s.reassignments == 1 and s.reopens == 1
    assert s.status_changes == 6  # new→open→pending→open→solved→open→pending
    assert s.waiting_hours == pytest.approx(3.0)
    assert s.waiting_hours_at(T0 + timedelta(hours=12)) == pytest.approx(5.0)
    assert s.is_open and s.queue == "logistics" and s.priority == "high"
    assert TicketState.from_dict(s.to_dict()) == s


def test_redelivered_event_does_not_count_twice() -> None:
    first = replay([ev(1, EventType.created, 0, Status.new, "q"), ev(2, EventType.reopened, 1, Status.open)])
    again = update_ticket(first, ev(2, EventType.reopened, 1, Status.open))
    assert again is first and again.reopens == 1 and again.events == 2


def test_first_event_not_a_creation_uses_its_own_time() -> None:
    s = update_ticket(None, ev(1, EventType.comment_added, 3, Status.pending))
    assert s.created_at == T0 + timedelta(hours=3) and s.waiting_since == s.created_at and s.events == 1


def test_queue_backlog_follows_arrivals_moves_and_solves() -> None:
    a0 = update_ticket(None, ev(1, EventType.created, 0, Status.new, "billing"))
    (arrive,) = queue_deltas("acme", None, a0, a0.last_event_at)
    assert (arrive.key, arrive.open_delta, arrive.arrival) == ("acme:billing", 1, True)
    a1 = update_ticket(a0, ev(2, EventType.assigned, 1, None, "logistics"))
    out, into = queue_deltas("acme", a0, a1, a1.last_event_at)
    assert (out.key, out.open_delta, into.key, into.open_delta) == ("acme:billing", -1, "acme:logistics", 1)
    a2 = update_ticket(a1, ev(3, EventType.solved, 2, Status.solved))
    (leave,) = queue_deltas("acme", a1, a2, a2.last_event_at)
    assert (leave.key, leave.open_delta, leave.arrival) == ("acme:logistics", -1, False)
    assert queue_deltas("acme", a2, update_ticket(a2, ev(3, EventType.solved, 2, Status.solved)), T0) == []


def test_queue_state_backlog_and_decaying_arrival_rate() -> None:
    state = None
    from processors.sla.state import QueueDelta
    for minute in range(0, 60, 10):  # six arrivals in an hour
        state = update_queue(state, QueueDelta("acme", "q", 1, True, T0 + timedelta(minutes=minute)))
    state = update_queue(state, QueueDelta("acme", "q", -1, False, T0 + timedelta(minutes=60)))
    assert state.open_tickets == 5
    rate_now = state.arrival_rate_per_hour(T0 + timedelta(minutes=60))
    assert 2.5 < rate_now < 6.0
    assert state.arrival_rate_per_hour(T0 + timedelta(hours=5)) < rate_now / 10
    assert QueueState.from_dict(state.to_dict()) == state
    never_negative = update_queue(None, QueueDelta("acme", "q", -1, False, T0))
    assert never_negative.open_tickets == 0


def test_risk_is_part_of_the_state_round_trip() -> None:
    from dataclasses import replace

    s = replace(update_ticket(None, ev(1, EventType.created, 0)), last_risk=RiskLevel.high, escalated_event_id="E1")
    assert TicketState.from_dict(s.to_dict()).last_risk == RiskLevel.high


def test_retention_is_measured_in_stream_time_and_depends_on_open_or_closed() -> None:
    keep = StateRetention(closed_days=30, open_days=365)
    last = T0
    assert not keep.expired(last, is_open=False, stream_time=last + timedelta(days=29))
    assert keep.expired(last, is_open=False, stream_time=last + timedelta(days=31))
    assert not keep.expired(last, is_open=True, stream_time=last + timedelta(days=300))
    assert keep.expired(last, is_open=True, stream_time=last + timedelta(days=366))
    with pytest.raises(ValueError, match="positive"):
        StateRetention(closed_days=0)


def test_retention_reads_the_stored_table_form_and_drops_unreadable_values() -> None:
    keep = StateRetention(closed_days=30, open_days=365)
    solved = replay([ev(1, EventType.created, 0, Status.new), ev(2, EventType.solved, 5, Status.solved)])
    later = solved.last_event_at + timedelta(days=31)
    assert keep.expired_raw(solved.to_dict(), later)
    assert not keep.expired_raw(solved.to_dict(), solved.last_event_at + timedelta(days=1))
    assert keep.expired_raw({"is_open": True}, later)  # no last_event_at: cannot be aged, so not kept


def test_in_memory_store_evicts_only_expired_states() -> None:
    keep = StateRetention(closed_days=30, open_days=365)
    store = InMemoryStateStore()
    store.tickets["t:solved"] = replay([ev(1, EventType.created, 0), ev(2, EventType.solved, 1, Status.solved)])
    store.tickets["t:open"] = replay([ev(3, EventType.created, 0)])
    assert store.evict(keep) == 0  # no stream time yet
    store.stream_time = T0 + timedelta(days=40)
    assert store.evict(keep) == 1
    assert set(store.tickets) == {"t:open"}


def test_table_sweep_deletes_expired_keys_in_place() -> None:
    import asyncio

    from streams.sla_state import evict_expired

    keep = StateRetention(closed_days=30, open_days=365)
    solved = replay([ev(1, EventType.created, 0), ev(2, EventType.solved, 1, Status.solved)])
    table: dict[bytes, object] = {f"t:{i}".encode(): solved.to_dict() for i in range(2500)}
    table[b"t:open"] = replay([ev(3, EventType.created, 0)]).to_dict()
    gone = asyncio.run(evict_expired(table, keep, T0 + timedelta(days=31)))
    assert gone == 2500
    assert list(table) == [b"t:open"]
