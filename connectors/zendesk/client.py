"""Zendesk Support API writer (https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/).

- tags: `PUT /api/v2/tickets/{id}` with `{"ticket": {"additional_tags": [...]}}`, which adds to the ticket's
  tags instead of replacing them;
- priority: `PUT /api/v2/tickets/{id}` with `{"ticket": {"priority": "high"}}`;
- internal note: `PUT /api/v2/tickets/{id}` with `{"ticket": {"comment": {"body": ..., "public": false}}}`,
  after `GET /api/v2/tickets/{id}/comments` shows no note carrying this action's marker;
- custom fields: `PUT /api/v2/tickets/{id}` with `{"ticket": {"custom_fields": [{"id": <field id>, "value": ...}]}}`
  (only the listed fields change). A field is named by its numeric id, or by a name mapped to an id in the
  tenant's `custom_field_ids`.
Auth: API token, basic `{email}/token:{api_token}`.
"""

from __future__ import annotations

import httpx

from connectors.config import SourceConfig
from connectors.outbound.base import NOTE_MARKER, Unsupported, note_text
from connectors.outbound.http import HelpdeskError, call
from schemas import OutboundAction, OutboundKind


class ZendeskWriter:
    target = "zendesk"

    def __init__(self, cfg: SourceConfig, timeout: float = 15.0) -> None:
        base = cfg.get("base_url") or f"https://{cfg.require('subdomain')}.zendesk.com"
        self._http = httpx.Client(base_url=str(base).rstrip("/"), timeout=timeout,
                                  auth=(f"{cfg.require('email')}/token", cfg.require("api_token")))
        ids = cfg.get("custom_field_ids") or {}
        self._field_ids = {str(k): int(v) for k, v in ids.items()} if isinstance(ids, dict) else {}

    def _field_id(self, name: str) -> int:
        if name.isdigit():
            return int(name)
        if name in self._field_ids:
            return self._field_ids[name]
        raise HelpdeskError(f"zendesk custom field {name!r} is neither a numeric field id nor in custom_field_ids",
                            permanent=True)

    def _update(self, ticket_id: str, ticket: dict[str, object], what: str) -> None:
        call(self._http, "PUT", f"/api/v2/tickets/{ticket_id}.json", what, json={"ticket": ticket})

    def _has_note(self, ticket_id: str, marker: str) -> bool:
        url: str | None = f"/api/v2/tickets/{ticket_id}/comments.json"
        while url:
            data = call(self._http, "GET", url, "zendesk list comments").json()
            if any(marker in str(c.get("body", "")) for c in data.get("comments", [])):
                return True
            url = data.get("next_page")
        return False

    def apply(self, action: OutboundAction) -> str:
        tid = action.ticket_id
        if action.kind is OutboundKind.add_tags:
            self._update(tid, {"additional_tags": action.tags}, "zendesk add tags")
            return f"added {len(action.tags)} tags"
        if action.kind is OutboundKind.set_priority and action.priority:
            self._update(tid, {"priority": action.priority.value}, "zendesk set priority")
            return f"priority {action.priority.value}"
        if action.kind is OutboundKind.internal_note:
            if self._has_note(tid, NOTE_MARKER.format(action_id=action.action_id)):
                return "note already present"
            self._update(tid, {"comment": {"body": note_text(action), "public": False}}, "zendesk internal note")
            return "internal note added"
        if action.kind is OutboundKind.set_custom_fields:
            fields = [{"id": self._field_id(k), "value": v} for k, v in action.custom_fields.items()]
            self._update(tid, {"custom_fields": fields}, "zendesk set custom fields")
            return f"set {len(fields)} custom fields"
        raise Unsupported(f"zendesk has no writer for {action.kind.value}")

    def close(self) -> None:
        self._http.close()
