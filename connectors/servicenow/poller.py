"""ServiceNow polling through the Table API: `GET /api/now/table/<table>?sysparm_query=sys_updated_on>…
^ORDERBYsys_updated_on^ORDERBYsys_id&sysparm_limit=N&sysparm_offset=M`.

Paging follows the `Link` header (`rel="next"`); the second ORDERBY makes the order of records updated in the
same second stable. Encoded-query dates are read in the API user's time zone and `sys_updated_on` is returned in
UTC (`sysparm_display_value=false`): set the integration user's time zone to UTC (docs/connectors.md). Rate limit
rules answer 429 with `Retry-After` (honoured); `X-RateLimit-Remaining: 0` with `X-RateLimit-Reset` (epoch
seconds) pauses until the reset. The cursor contract is connectors/polling.py.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

from connectors.config import SourceConfig
from connectors.cursors import CursorStore
from connectors.polling import Page, TimestampPoller, remaining_header, start_time
from connectors.servicenow.mapping import map_record
from schemas import TicketEvent


class ServiceNowPoller(TimestampPoller):
    source = "servicenow"

    def __init__(self, tenant: str, cfg: SourceConfig, cursors: CursorStore,
                 deliver: Callable[[list[TicketEvent]], None], timeout: float = 30.0,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.time) -> None:
        http = httpx.Client(base_url=cfg.require("base_url").rstrip("/"), timeout=timeout,
                            auth=(cfg.require("user"), cfg.require("password")), headers={"Accept": "application/json"})
        super().__init__(tenant, cursors, deliver, http, start_time(cfg.get("start_time", 0)),
                         float(cfg.get("poll_requests_per_minute", 60)), sleep)
        self.max_attempts = max(1, int(cfg.get("poll_max_attempts", self.max_attempts)))
        self._table = str(cfg.get("table", "incident"))
        self._limit = int(cfg.get("per_page", 500))
        self._clock = clock

    def fetch(self, since: datetime, page: int) -> Page:
        stamp = since.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
        params: dict[str, str | int] = {
            "sysparm_query": f"sys_updated_on>{stamp}^ORDERBYsys_updated_on^ORDERBYsys_id",
            "sysparm_limit": self._limit, "sysparm_offset": (page - 1) * self._limit,
            "sysparm_display_value": "false", "sysparm_exclude_reference_link": "true"}
        response = self.get(f"/api/now/table/{self._table}", "servicenow table list", params)
        if remaining_header(response) == 0:
            try:
                reset = float(response.headers.get("x-ratelimit-reset", ""))
            except ValueError:
                reset = self._clock() + 60.0
            self.pause(max(1.0, reset - self._clock()), "X-RateLimit-Remaining=0")
        data = response.json()
        result = data.get("result") if isinstance(data, Mapping) else None
        records = [r for r in result if isinstance(r, Mapping)] if isinstance(result, list) else []
        return Page(records, has_more="next" in response.links)

    def map(self, record: Mapping[str, Any]) -> TicketEvent:
        return map_record(self.tenant, record)
