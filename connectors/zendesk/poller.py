"""Zendesk backfill and polling through the Incremental Ticket Export, cursor based.

`GET /api/v2/incremental/tickets/cursor.json?start_time=<unix>` starts a stream, then `?cursor=<after_cursor>`
pages until `end_of_stream` is true (https://developer.zendesk.com/api-reference/ticketing/ticket-management/
incremental_exports/). The endpoint allows 10 requests a minute; a 429's `Retry-After` is honoured. Each page
is produced and acknowledged before its `after_cursor` is saved (see connectors/cursors.py).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from connectors.common import MappingError
from connectors.config import SourceConfig
from connectors.cursors import CursorStore
from connectors.outbound.http import HelpdeskError, call
from connectors.outbound.resilience import RateLimiter, backoff_delay
from connectors.zendesk.mapping import map_ticket
from schemas import TicketEvent

logger = logging.getLogger("ticketstream.connectors.zendesk.poller")


@dataclass
class PollResult:
    pages: int = 0
    events: int = 0
    skipped: int = 0
    end_of_stream: bool = False


class ZendeskPoller:
    source = "zendesk"

    def __init__(self, tenant: str, cfg: SourceConfig, cursors: CursorStore,
                 deliver: Callable[[list[TicketEvent]], None], timeout: float = 30.0,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.tenant = tenant
        self._cursors = cursors
        self._deliver = deliver
        self._sleep = sleep
        self._start_time = int(cfg.get("start_time", 0))
        self._page_size = int(cfg.get("per_page", 1000))
        base = cfg.get("base_url") or f"https://{cfg.require('subdomain')}.zendesk.com"
        self._http = httpx.Client(base_url=str(base).rstrip("/"), timeout=timeout,
                                  auth=(f"{cfg.require('email')}/token", cfg.require("api_token")))
        self._limiter = RateLimiter(float(cfg.get("export_requests_per_minute", 10)), burst=1.0, sleep=sleep)

    def _fetch(self, params: dict[str, str | int]) -> dict[str, object]:
        attempt = 0
        while True:
            self._limiter.acquire()
            try:
                data: dict[str, object] = call(self._http, "GET", "/api/v2/incremental/tickets/cursor.json",
                                               "zendesk incremental export", params=params).json()
                return data
            except HelpdeskError as exc:
                attempt += 1
                if exc.permanent or attempt > 8:
                    raise
                wait = exc.retry_after if exc.retry_after is not None else backoff_delay(attempt, 1.0, 60.0)
                logger.warning("zendesk export retry tenant_id=%s error=%s wait=%.1fs", self.tenant, exc, wait)
                if exc.retry_after:
                    self._limiter.pause(exc.retry_after)
                self._sleep(wait)

    def poll_once(self, stop: threading.Event | None = None) -> PollResult:
        """Page from the saved cursor to the end of the stream; the cursor is saved after each page."""
        result = PollResult()
        while stop is None or not stop.is_set():
            saved = self._cursors.load(self.tenant, self.source)
            params: dict[str, str | int] = {"per_page": self._page_size}
            if saved and saved.get("cursor"):
                params["cursor"] = str(saved["cursor"])
            else:
                params["start_time"] = self._start_time
            page = self._fetch(params)
            events: list[TicketEvent] = []
            for ticket in page.get("tickets") or []:  # type: ignore[attr-defined]
                try:
                    events.append(map_ticket(self.tenant, ticket))
                except (MappingError, ValueError) as exc:
                    result.skipped += 1
                    logger.warning("zendesk export ticket skipped tenant_id=%s reason=%s", self.tenant,
                                   str(exc).splitlines()[0][:200])
            if events:
                self._deliver(events)
            result.pages += 1
            result.events += len(events)
            after = page.get("after_cursor")
            if after:
                self._cursors.save(self.tenant, self.source, {"cursor": after, "saved_at": time.time()})
            if page.get("end_of_stream") or not after:
                result.end_of_stream = True
                break
        return result

    def close(self) -> None:
        self._http.close()
