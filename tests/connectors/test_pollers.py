"""Freshdesk and ServiceNow pollers: durable cursor across a restart in the middle, no gap, no duplicate event,
records updated in the same second, rate limits honoured."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from connectors.config import SourceConfig
from connectors.cursors import CursorStore
from connectors.freshdesk.poller import FreshdeskPoller
from connectors.servicenow.poller import ServiceNowPoller
from schemas import TicketEvent
from tests.support.helpdesks.base import Reply
from tests.support.helpdesks.freshdesk import FreshdeskApi
from tests.support.helpdesks.servicenow import ServiceNowApi


def _fd_cfg(api: FreshdeskApi, **extra: object) -> SourceConfig:
    return SourceConfig("acme", "freshdesk", {"base_url": api.url, "api_key": "fd-api-key", "per_page": 2,
                                              "poll_requests_per_minute": 60_000, **extra})


def _sn_cfg(api: ServiceNowApi, **extra: object) -> SourceConfig:
    return SourceConfig("acme", "servicenow", {"base_url": api.url, "user": "svc", "password": "sn-pass",
                                               "per_page": 2, "poll_requests_per_minute": 60_000, **extra})


def _stop_after(pages: int, sink: list[TicketEvent]) -> tuple[threading.Event, Callable[[list[TicketEvent]], None]]:
    """A delivery that stops the poller after `pages` deliveries: the process is killed in the middle."""
    stop = threading.Event()
    calls = [0]

    def deliver(events: list[TicketEvent]) -> None:
        sink.extend(events)
        calls[0] += 1
        if calls[0] >= pages:
            stop.set()

    return stop, deliver


def test_freshdesk_restart_in_the_middle_no_gap_no_duplicate(tmp_path: Path) -> None:
    delivered: list[TicketEvent] = []
    sleeps: list[float] = []
    with FreshdeskApi() as api:
        for i in range(1, 6):
            api.add_ticket(i, updated_at=f"2026-11-02T08:0{i}:00Z", subject=f"S{i}")
        for i in range(6, 9):  # three tickets updated in the same second: more than a page of 2
            api.add_ticket(i, updated_at="2026-11-02T08:07:00Z")
        api.add_ticket(9, updated_at="2026-11-02T08:08:00Z")
        api.faults = [Reply(429, {"code": "rate_limit_exceeded"}, {"Retry-After": "9"})]

        stop, deliver = _stop_after(2, delivered)
        first = FreshdeskPoller("acme", _fd_cfg(api), CursorStore(tmp_path / "c"), deliver, sleep=sleeps.append)
        r1 = first.poll_once(stop)
        first.close()
        assert 9.0 in sleeps  # the 429's Retry-After
        # Page 2 starts again from the newest update delivered: its boundary ticket is re-read, not re-sent.
        assert not r1.end_of_stream and len(delivered) == 3 and r1.already_seen == 1

        restarted = FreshdeskPoller("acme", _fd_cfg(api), CursorStore(tmp_path / "c"), delivered.extend,
                                    sleep=sleeps.append)
        r2 = restarted.poll_once()
        assert r2.end_of_stream
        assert sorted(int(e.ticket_id) for e in delivered) == list(range(1, 10))  # no gap
        assert len({e.event_id for e in delivered}) == len(delivered) == 9  # no duplicate
        assert delivered[0].subject == "S1" and delivered[0].body == "Hello"  # include=description

        # Nothing new: the boundary second is re-read and recognised, nothing is produced.
        assert restarted.poll_once().events == 0
        # An update moves ticket 2 to the end; a new ticket arrives: exactly those two events.
        api.tickets[2]["updated_at"] = "2026-11-02T09:00:00Z"
        api.add_ticket(10, updated_at="2026-11-02T09:00:00Z")
        r3 = restarted.poll_once()
        restarted.close()
        assert r3.events == 2 and [e.ticket_id for e in delivered[-2:]] == ["2", "10"]
        assert len({e.event_id for e in delivered}) == 11

    for call in api.calls:
        if call.path == "/api/v2/tickets":
            q = {k: v[0] for k, v in call.query.items()}
            assert (q["order_by"], q["order_type"], q["per_page"]) == ("updated_at", "asc", "2")


def test_freshdesk_pauses_when_rate_limit_remaining_runs_out(tmp_path: Path) -> None:
    sleeps: list[float] = []
    with FreshdeskApi() as api:
        for i in range(1, 4):
            api.add_ticket(i, updated_at=f"2026-11-02T08:0{i}:00Z")
        api.rate_remaining = 3
        poller = FreshdeskPoller("acme", _fd_cfg(api, rate_limit_pause_s=42), CursorStore(tmp_path / "c"),
                                 lambda _e: None, sleep=sleeps.append)
        poller.poll_once()
        poller.close()
        assert 42.0 in sleeps  # X-RateLimit-Remaining reached the reserve of 1: wait for the next minute


def test_servicenow_restart_in_the_middle_no_gap_no_duplicate(tmp_path: Path) -> None:
    delivered: list[TicketEvent] = []
    sleeps: list[float] = []
    with ServiceNowApi() as api:
        for i in range(1, 5):
            api.add_incident(f"s{i}", sys_updated_on=f"2026-11-02 08:0{i}:00", u_site="Berlin")
        for i in range(5, 9):  # four records in the same second, two per page
            api.add_incident(f"s{i}", sys_updated_on="2026-11-02 08:05:00")
        api.faults = [Reply(503, {}), Reply(429, {"error": {"message": "Rate limit exceeded"}}, {"Retry-After": "6"})]

        stop, deliver = _stop_after(3, delivered)
        first = ServiceNowPoller("acme", _sn_cfg(api), CursorStore(tmp_path / "c"), deliver, sleep=sleeps.append)
        first.poll_once(stop)
        first.close()
        assert 6.0 in sleeps and len(delivered) == 4  # pages [s1 s2] [s2 s3] [s3 s4]: boundaries re-read, not re-sent

        restarted = ServiceNowPoller("acme", _sn_cfg(api), CursorStore(tmp_path / "c"), delivered.extend,
                                     sleep=sleeps.append)
        assert restarted.poll_once().end_of_stream
        assert sorted(e.ticket_id for e in delivered) == [f"s{i}" for i in range(1, 9)]
        assert len({e.event_id for e in delivered}) == len(delivered) == 8
        assert delivered[0].raw_attributes["u_site"] == "Berlin"

        assert restarted.poll_once().events == 0
        api.incidents["s1"]["sys_updated_on"] = "2026-11-02 09:00:00"
        assert restarted.poll_once().events == 1 and delivered[-1].ticket_id == "s1"
        restarted.close()

    queries = [c.query["sysparm_query"][0] for c in api.calls if c.method == "GET" and "sysparm_query" in c.query]
    assert all(q.endswith("^ORDERBYsys_updated_on^ORDERBYsys_id") for q in queries)
    assert any(c.query.get("sysparm_offset") == ["2"] for c in api.calls)  # followed Link rel="next" in a tie


def test_servicenow_crash_before_cursor_save_replays_the_page_with_the_same_ids(tmp_path: Path) -> None:
    with ServiceNowApi() as api:
        for i in range(1, 4):
            api.add_incident(f"s{i}", sys_updated_on=f"2026-11-02 08:0{i}:00")
        cursors = CursorStore(tmp_path / "c")
        acked: list[TicketEvent] = []

        def ack_then_crash(events: list[TicketEvent]) -> None:
            acked.extend(events)  # Kafka acknowledged these ...
            raise RuntimeError("killed before the cursor was saved")

        poller = ServiceNowPoller("acme", _sn_cfg(api), cursors, ack_then_crash)
        with pytest.raises(RuntimeError, match="killed"):
            poller.poll_once()
        poller.close()
        assert cursors.load("acme", "servicenow") is None
        again: list[TicketEvent] = []
        ServiceNowPoller("acme", _sn_cfg(api), cursors, again.extend).poll_once()
        assert [e.event_id for e in again[:2]] == [e.event_id for e in acked]  # same ids, deduplicated downstream
        assert [e.ticket_id for e in again] == ["s1", "s2", "s3"]


def test_servicenow_waits_for_rate_limit_reset(tmp_path: Path) -> None:
    sleeps: list[float] = []
    with ServiceNowApi() as api:
        for i in range(1, 4):
            api.add_incident(f"s{i}", sys_updated_on=f"2026-11-02 08:0{i}:00")
        api.rate_budget, api.rate_reset_at = 1, time.time() + 30

        def sleep(seconds: float) -> None:
            sleeps.append(seconds)
            api.rate_budget = 100  # the window was reset while we waited

        got: list[TicketEvent] = []
        poller = ServiceNowPoller("acme", _sn_cfg(api), CursorStore(tmp_path / "c"), got.extend, sleep=sleep)
        poller.poll_once()
        poller.close()
        assert any(25 <= s <= 31 for s in sleeps)  # paused until X-RateLimit-Reset
        assert [e.ticket_id for e in got] == ["s1", "s2", "s3"]
        assert len(api.calls) == 2  # paused before the next request instead of running into a 429
