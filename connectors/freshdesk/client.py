"""Freshdesk API v2 writer (https://developers.freshdesk.com/api/).

`PUT /api/v2/tickets/{id}` replaces `tags`, so tags are merged: `GET` the ticket, `PUT` the union.
Priority: `PUT` `{"priority": 1..4}`. Custom fields: `PUT` `{"custom_fields": {"cf_name": value}}` (only the named
fields change; Freshdesk answers 400 naming an unknown field). Internal note:
`POST /api/v2/tickets/{id}/notes` `{"body", "private": true}`, unless `GET /api/v2/tickets/{id}/conversations`
already shows a note with this action's marker (a crash between the call and the applied-set write).
Auth: basic `<api_key>:X`.
"""

from __future__ import annotations

import httpx

from connectors.config import SourceConfig
from connectors.outbound.base import NOTE_MARKER, Unsupported, note_text
from connectors.outbound.http import call
from schemas import OutboundAction, OutboundKind, Priority

PRIORITY_CODES = {Priority.low: 1, Priority.normal: 2, Priority.high: 3, Priority.urgent: 4}


class FreshdeskWriter:
    target = "freshdesk"

    def __init__(self, cfg: SourceConfig, timeout: float = 15.0) -> None:
        base = cfg.get("base_url") or f"https://{cfg.require('domain')}.freshdesk.com"
        self._http = httpx.Client(base_url=str(base).rstrip("/"), timeout=timeout, auth=(cfg.require("api_key"), "X"))

    def _has_note(self, tid: str, marker: str) -> bool:
        url: str | None = f"/api/v2/tickets/{tid}/conversations"
        params: dict[str, int] | None = {"per_page": 100}
        while url:
            response = call(self._http, "GET", url, "freshdesk list conversations", params=params)
            if any(marker in str(c.get("body_text") or c.get("body") or "") for c in response.json()):
                return True
            url, params = response.links.get("next", {}).get("url"), None
        return False

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
            if self._has_note(tid, NOTE_MARKER.format(action_id=action.action_id)):
                return "note already present"
            call(self._http, "POST", f"/api/v2/tickets/{tid}/notes", "freshdesk note",
                 json={"body": note_text(action), "private": True})
            return "internal note added"
        if action.kind is OutboundKind.set_custom_fields:
            call(self._http, "PUT", f"/api/v2/tickets/{tid}", "freshdesk set custom fields",
                 json={"custom_fields": dict(action.custom_fields)})
            return f"set {len(action.custom_fields)} custom fields"
        raise Unsupported(f"freshdesk has no writer for {action.kind.value}")

    def close(self) -> None:
        self._http.close()
