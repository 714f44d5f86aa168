"""Polling by `updated_at` for helpdesks whose list APIs page by number or offset (Freshdesk, ServiceNow).

The cursor (connectors/cursors.py) holds `since` (the newest update time delivered), `page`, and `seen`: the event
ids delivered whose update time is within `overlap_s` of `since`. Each request asks for records updated after
`since - overlap_s`, oldest first; records whose event id is in `seen` are not produced again. So:

- no gap: the boundary second is always re-read (whether the API's filter is `>` or `>=`), and after each page
  the next request starts again from the new `since`, so records that move while paging (an update moves a
  record to the end of the order) cannot shift past a page boundary unseen;
- no duplicate: boundary records already delivered are recognised by their deterministic event id (ticket id +
  update time); a crash between Kafka's acknowledgement and the cursor save replays one page with the same ids;
- a page that does not move `since` forward (more records in one second than a page holds) is followed by the
  next page number; the page number goes back to 1 as soon as `since` moves, and at the end of the stream.
Each page is produced and acknowledged before the cursor is saved.
"""

from __future__ import annotations

import logging
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from connectors.common import MappingError, parse_time
from connectors.cursors import CursorStore
from connectors.outbound.http import HelpdeskError, call
from connectors.outbound.resilience import RateLimiter, backoff_delay
from schemas import TicketEvent

logger = logging.getLogger("ticketstream.connectors.polling")


@dataclass
class PollResult:
    pages: int = 0
    events: int = 0
    skipped: int = 0
    already_seen: int = 0
    end_of_stream: bool = False


@dataclass
class Page:
    records: list[Mapping[str, Any]]
    has_more: bool


@dataclass
class Cursor:
    since: datetime
    page: int = 1
    seen: dict[str, str] = field(default_factory=dict)  # event id -> occurred_at (ISO)

    def to_json(self) -> dict[str, Any]:
        return {"since": self.since.isoformat(), "page": self.page, "seen": self.seen, "saved_at": time.time()}

    @classmethod
    def from_json(cls, data: Mapping[str, Any], path: str) -> Cursor:
        try:
            seen = data.get("seen") or {}
            return cls(parse_time(data["since"], f"{path}.since"), int(data.get("page", 1)),
                       {str(k): str(v) for k, v in seen.items()})
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise RuntimeError(f"cursor {path} is not a polling cursor ({exc}); delete it to restart from "
                               "start_time") from exc


DEFAULT_START = datetime(2000, 1, 1, tzinfo=UTC)
"""Before any Freshdesk or ServiceNow record, and not a pre-1970 query value an API could refuse."""


def start_time(value: object) -> datetime:
    """`start_time` setting: unix seconds or ISO 8601; 0 (the default) means from the beginning."""
    if value in (None, "", 0, "0"):
        return DEFAULT_START
    try:
        return parse_time(value, "start_time")
    except MappingError as exc:
        raise ValueError(f"start_time {value!r} is neither unix seconds nor ISO 8601") from exc


def remaining_header(response: httpx.Response) -> int | None:
    value = response.headers.get("x-ratelimit-remaining")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


class TimestampPoller(ABC):
    source: str
    overlap_s: float = 1.0
    max_attempts: int = 8

    def __init__(self, tenant: str, cursors: CursorStore, deliver: Callable[[list[TicketEvent]], None],
                 http: httpx.Client, start: datetime, requests_per_minute: float,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.tenant = tenant
        self._cursors = cursors
        self._deliver = deliver
        self._http = http
        self._start = start
        self._sleep = sleep
        self._limiter = RateLimiter(requests_per_minute, burst=1.0, sleep=sleep)

    @abstractmethod
    def fetch(self, since: datetime, page: int) -> Page:
        """One page of records updated after `since`, oldest first."""

    @abstractmethod
    def map(self, record: Mapping[str, Any]) -> TicketEvent: ...

    def get(self, url: str, what: str, params: Mapping[str, str | int]) -> httpx.Response:
        """GET with the rate limit, retries with backoff and `Retry-After`; permanent errors are raised."""
        attempt = 0
        while True:
            self._limiter.acquire()
            try:
                return call(self._http, "GET", url, what, params=params)
            except HelpdeskError as exc:
                attempt += 1
                if exc.permanent or attempt >= self.max_attempts:
                    raise
                wait = exc.retry_after if exc.retry_after is not None else backoff_delay(attempt, 1.0, 60.0)
                logger.warning("%s poll retry tenant_id=%s error=%s wait=%.1fs", self.source, self.tenant, exc, wait)
                if exc.retry_after:
                    self._limiter.pause(exc.retry_after)
                self._sleep(wait)

    def pause(self, seconds: float, reason: str) -> None:
        """The helpdesk's budget is spent: no request until it refills."""
        logger.info("%s poll pause tenant_id=%s reason=%s wait=%.1fs", self.source, self.tenant, reason, seconds)
        self._limiter.pause(seconds)
        self._sleep(seconds)

    def _load(self) -> Cursor:
        saved = self._cursors.load(self.tenant, self.source)
        return Cursor.from_json(saved, f"{self.tenant}.{self.source}") if saved else Cursor(self._start)

    def poll_once(self, stop: threading.Event | None = None) -> PollResult:
        """Page from the saved cursor to the end of what the helpdesk has; the cursor is saved after each page."""
        result = PollResult()
        cursor = self._load()
        overlap = timedelta(seconds=self.overlap_s)
        while stop is None or not stop.is_set():
            page = self.fetch(cursor.since - overlap, cursor.page)
            events: list[TicketEvent] = []
            newest = cursor.since
            for record in page.records:
                try:
                    event = self.map(record)
                except (MappingError, ValueError) as exc:
                    result.skipped += 1
                    logger.warning("%s poll record skipped tenant_id=%s reason=%s", self.source, self.tenant,
                                   str(exc).splitlines()[0][:200])
                    continue
                newest = max(newest, event.occurred_at)
                if event.event_id in cursor.seen or any(e.event_id == event.event_id for e in events):
                    result.already_seen += 1
                    continue
                events.append(event)
            if events:
                self._deliver(events)
            seen = {**cursor.seen, **{e.event_id: e.occurred_at.isoformat() for e in events}}
            if newest > cursor.since or not page.has_more:
                cursor.page = 1
            else:
                cursor.page += 1  # a whole page within the boundary second(s): step past it
            cursor.since = newest
            floor = newest - overlap
            cursor.seen = {k: v for k, v in seen.items() if datetime.fromisoformat(v) >= floor}
            self._cursors.save(self.tenant, self.source, cursor.to_json())
            result.pages += 1
            result.events += len(events)
            if not page.has_more:
                result.end_of_stream = True
                break
        return result

    def close(self) -> None:
        self._http.close()
