"""Jira Service Management writer (Jira REST v3 + Service Management REST).

- tags → labels: `PUT /rest/api/3/issue/{key}` `{"update": {"labels": [{"add": "x"}, ...]}}` (adds, keeps others);
- priority: `PUT /rest/api/3/issue/{key}` `{"fields": {"priority": {"name": "High"}}}`;
- custom fields: `PUT /rest/api/3/issue/{key}` `{"fields": {"customfield_10010": value}}` (absent fields are left
  unchanged; answered 204, or 400 with `errors` naming a field that cannot be set);
- internal note: `POST /rest/servicedeskapi/request/{key}/comment` `{"body", "public": false}`, unless
  `GET /rest/servicedeskapi/request/{key}/comment` already lists one with this action's marker.
Auth: basic `<email>:<api_token>`.
"""

from __future__ import annotations

import httpx

from connectors.config import SourceConfig
from connectors.outbound.base import NOTE_MARKER, Unsupported, note_text
from connectors.outbound.http import call
from schemas import OutboundAction, OutboundKind, Priority

PRIORITY_NAMES = {Priority.low: "Low", Priority.normal: "Medium", Priority.high: "High", Priority.urgent: "Highest"}


class JiraWriter:
    target = "jira"

    def __init__(self, cfg: SourceConfig, timeout: float = 15.0) -> None:
        self._http = httpx.Client(base_url=cfg.require("base_url").rstrip("/"), timeout=timeout,
                                  auth=(cfg.require("email"), cfg.require("api_token")))

    def _has_comment(self, key: str, marker: str) -> bool:
        start = 0
        while True:
            page = call(self._http, "GET", f"/rest/servicedeskapi/request/{key}/comment", "jira list comments",
                        params={"start": start, "limit": 100}).json()
            values = page.get("values") or []
            if any(marker in str(c.get("body", "")) for c in values):
                return True
            if page.get("isLastPage", True) or not values:
                return False
            start += len(values)

    def apply(self, action: OutboundAction) -> str:
        key = action.ticket_id
        if action.kind is OutboundKind.add_tags:
            call(self._http, "PUT", f"/rest/api/3/issue/{key}", "jira add labels",
                 json={"update": {"labels": [{"add": t.replace(" ", "_")} for t in action.tags]}})
            return f"added {len(action.tags)} labels"
        if action.kind is OutboundKind.set_priority and action.priority:
            call(self._http, "PUT", f"/rest/api/3/issue/{key}", "jira set priority",
                 json={"fields": {"priority": {"name": PRIORITY_NAMES[action.priority]}}})
            return f"priority {action.priority.value}"
        if action.kind is OutboundKind.internal_note:
            if self._has_comment(key, NOTE_MARKER.format(action_id=action.action_id)):
                return "comment already present"
            call(self._http, "POST", f"/rest/servicedeskapi/request/{key}/comment", "jira internal comment",
                 json={"body": note_text(action), "public": False})
            return "internal comment added"
        if action.kind is OutboundKind.set_custom_fields:
            call(self._http, "PUT", f"/rest/api/3/issue/{key}", "jira set custom fields",
                 json={"fields": dict(action.custom_fields)})
            return f"set {len(action.custom_fields)} fields"
        raise Unsupported(f"jira has no writer for {action.kind.value}")

    def close(self) -> None:
        self._http.close()
