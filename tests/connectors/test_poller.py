"""Zendesk incremental export poller: durable cursor across restarts, no gaps, no duplicate event ids."""

from __future__ import annotations

from pathlib import Path

import pytest

from connectors.config import SourceConfig
from connectors.cursors import CursorStore
from connectors.zendesk.poller import ZendeskPoller
from schemas import TicketEvent
from tests.support.helpdesks.base import Reply
from tests.support.helpdesks.zendesk import ZendeskApi


def _cfg(api: ZendeskApi) -> SourceConfig:
    return SourceConfig("acme", "zendesk", {"base_url": api.url, "email": "agent@example.com", "api_token": "zd-token",
                                            "export_requests_per_minute": 6000})


def test_poller_resumes_from_saved_cursor_after_restart(tmp_path: Path) -> None:
    delivered: list[TicketEvent] = []
    sleeps: list[float] = []
    cursors = CursorStore(tmp_path / "cursors")
    with ZendeskApi() as api:
        for i in range(1, 6):
            api.add_ticket(i, updated_at=f"2026-11-02T08:0{i}:00Z", brand="b")
        api.faults = [Reply(429, {"error": "APIRateLimitExceeded"}, {"Retry-After": "3"})]
        first = ZendeskPoller("acme", _cfg(api), cursors, delivered.extend, sleep=sleeps.append)
        result = first.poll_once()
        first.close()
        assert (result.pages, result.events, result.end_of_stream) == (3, 5, True)
        assert 3.0 in sleeps  # the 429's Retry-After was honoured
        assert [e.ticket_id for e in delivered] == ["1", "2", "3", "4", "5"]
        saved = cursors.load("acme", "zendesk")
        assert saved is not None and saved["cursor"] == "c5"

        api.add_ticket(6, updated_at="2026-11-02T09:00:00Z")
        restarted = ZendeskPoller("acme", _cfg(api), CursorStore(tmp_path / "cursors"), delivered.extend)
        again = restarted.poll_once()
        restarted.close()
        assert again.events == 1 and delivered[-1].ticket_id == "6"
        assert len({e.event_id for e in delivered}) == 6  # no gap, no duplicate


def test_failed_delivery_keeps_the_cursor(tmp_path: Path) -> None:
    cursors = CursorStore(tmp_path / "cursors")
    with ZendeskApi() as api:
        for i in range(1, 4):
            api.add_ticket(i, updated_at=f"2026-11-02T08:0{i}:00Z")

        def broken(_events: list[TicketEvent]) -> None:
            raise RuntimeError("kafka down")

        poller = ZendeskPoller("acme", _cfg(api), cursors, broken)
        with pytest.raises(RuntimeError):
            poller.poll_once()
        poller.close()
        assert cursors.load("acme", "zendesk") is None  # nothing acknowledged, nothing skipped
        got: list[TicketEvent] = []
        ZendeskPoller("acme", _cfg(api), cursors, got.extend).poll_once()
        assert [e.ticket_id for e in got] == ["1", "2", "3"]
