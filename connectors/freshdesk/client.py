"""Freshdesk API v2 writer (https://developers.freshdesk.com/api/).

`PUT /api/v2/tickets/{id}` replaces `tags`, so tags are merged: `GET` the ticket, `PUT` the union.
Priority: `PUT` `{"priority": 1..4}`. Internal note: `POST /api/v2/tickets/{id}/notes` `{"body", "private": true}`.
Auth: basic `<api_key>:X`.
"""

from __future__ import annotations

import httpx

from connectors.config import SourceConfig
from connectors.outbound.base import Unsupported, note_text
from connectors.outbound.http import call
from schemas import OutboundAction, OutboundKind, Priority

PRIORITY_CODES = {Priority.low: 1, Priority.normal: 2, Priority.high: 3, Priority.urgent: 4}


class FreshdeskWriter:
    target = "freshdesk"

    def __init__(self, cfg: SourceConfig, timeout: float = 15.0) -> None:
        base = cfg.get("base_url") or f"https://{cfg.require('domain')}.freshdesk.com"
        self._http = httpx.Client(base_url=str(base).rstrip("/"), timeout=timeout, auth=(cfg.require("api_key"), "X"))

    def apply(self, action: OutboundAction) -> str:
        tid = action.ticket_id
        if action.kind is OutboundKind.add_tags:
            current = call(self._http, "GET", f"/api/v2/tickets/{tid}", "freshdesk get ticket").json().get("tags") or []
            merged = list(dict.fromkeys([*current, *action.tags]))
            if merged != current:
                call(self._http, "PUT", f"/api/v2/tickets/{tid}", "freshdesk update tags", json={"tags": merged})
            return f"tags merged ({len(merged)})"
        if action.kind is OutboundKind.set_priority and action.priority:
            call(self._http, "PUT", f"/api/v2/tickets/{tid}", "freshdesk set priority",
                 json={"priority": PRIORITY_CODES[action.priority]})
            return f"priority {action.priority.value}"
        if action.kind is OutboundKind.internal_note:
            call(self._http, "POST", f"/api/v2/tickets/{tid}/notes", "freshdesk note",
                 json={"body": note_text(action), "private": True})
            return "internal note added"
        raise Unsupported(f"freshdesk has no writer for {action.kind.value}")

    def close(self) -> None:
        self._http.close()
