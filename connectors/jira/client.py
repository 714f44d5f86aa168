"""Jira Service Management writer (Jira REST v3 + Service Management REST).

- tags → labels: `PUT /rest/api/3/issue/{key}` `{"update": {"labels": [{"add": "x"}, ...]}}` (adds, keeps others);
- priority: `PUT /rest/api/3/issue/{key}` `{"fields": {"priority": {"name": "High"}}}`;
- internal note: `POST /rest/servicedeskapi/request/{key}/comment` `{"body", "public": false}`.
Auth: basic `<email>:<api_token>`.
"""

from __future__ import annotations

import httpx

from connectors.config import SourceConfig
from connectors.outbound.base import Unsupported, note_text
from connectors.outbound.http import call
from schemas import OutboundAction, OutboundKind, Priority

PRIORITY_NAMES = {Priority.low: "Low", Priority.normal: "Medium", Priority.high: "High", Priority.urgent: "Highest"}


class JiraWriter:
    target = "jira"

    def __init__(self, cfg: SourceConfig, timeout: float = 15.0) -> None:
        self._http = httpx.Client(base_url=cfg.require("base_url").rstrip("/"), timeout=timeout,
                                  auth=(cfg.require("email"), cfg.require("api_token")))

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
            call(self._http, "POST", f"/rest/servicedeskapi/request/{key}/comment", "jira internal comment",
                 json={"body": note_text(action), "public": False})
            return "internal comment added"
        raise Unsupported(f"jira has no writer for {action.kind.value}")

    def close(self) -> None:
        self._http.close()
