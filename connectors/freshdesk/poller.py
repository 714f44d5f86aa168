"""Freshdesk polling: `GET /api/v2/tickets?updated_since=…&order_by=updated_at&order_type=asc&page=N&per_page=100`.

Paging follows the `Link: <…>; rel="next"` header (https://developers.freshdesk.com/api/#list_all_tickets,
#pagination). Rate limits (https://developers.freshdesk.com/api/#ratelimit): every response carries
`X-RateLimit-Remaining`; when it reaches `rate_limit_reserve` the poller pauses `rate_limit_pause_s` (the budget
is per minute) before the next call, and a 429's `Retry-After` is honoured. `include=description` (default) adds
the description text the list leaves out. The cursor contract is connectors/polling.py.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import httpx

from connectors.config import SourceConfig
from connectors.cursors import CursorStore
from connectors.freshdesk.mapping import map_ticket
from connectors.polling import Page, TimestampPoller, remaining_header, start_time
from schemas import TicketEvent


class FreshdeskPoller(TimestampPoller):
    source = "freshdesk"

    def __init__(self, tenant: str, cfg: SourceConfig, cursors: CursorStore,
                 deliver: Callable[[list[TicketEvent]], None], timeout: float = 30.0,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        base = cfg.get("base_url") or f"https://{cfg.require('domain')}.freshdesk.com"
        http = httpx.Client(base_url=str(base).rstrip("/"), timeout=timeout, auth=(cfg.require("api_key"), "X"))
        super().__init__(tenant, cursors, deliver, http, start_time(cfg.get("start_time", 0)),
                         float(cfg.get("poll_requests_per_minute", 40)), sleep)
        self.max_attempts = max(1, int(cfg.get("poll_max_attempts", self.max_attempts)))
        self._per_page = min(100, int(cfg.get("per_page", 100)))
        self._include = str(cfg.get("include", "description"))
        self._reserve = int(cfg.get("rate_limit_reserve", 1))
        self._reserve_pause = float(cfg.get("rate_limit_pause_s", 60.0))

    def fetch(self, since: datetime, page: int) -> Page:
        params: dict[str, str | int] = {"updated_since": since.strftime("%Y-%m-%dT%H:%M:%SZ"),
                                        "order_by": "updated_at", "order_type": "asc", "per_page": self._per_page,
                                        "page": page}
        if self._include:
            params["include"] = self._include
        response = self.get("/api/v2/tickets", "freshdesk list tickets", params)
        left = remaining_header(response)
        if left is not None and left <= self._reserve:
            self.pause(self._reserve_pause, f"X-RateLimit-Remaining={left}")
        data = response.json()
        records = [t for t in data if isinstance(t, Mapping)] if isinstance(data, list) else []
        return Page(records, has_more="next" in response.links)

    def map(self, record: Mapping[str, Any]) -> TicketEvent:
        return map_ticket(self.tenant, record)
