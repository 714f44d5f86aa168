"""Intercom REST API writer (https://developers.intercom.com/docs/references/rest-api/).

- tags: `POST /tags` `{"name"}` (create or find the tag, returns its id), then
  `POST /conversations/{id}/tags` `{"id": tag_id, "admin_id"}` — tagging adds, it never removes tags;
- internal note: `POST /conversations/{id}/reply` `{"message_type": "note", "type": "admin", "admin_id", "body"}`;
- priority: `PUT /conversations/{id}` `{"custom_attributes": {"priority": "High"}}` (conversation attribute
  named by `priority_attribute`, default `priority`);
- custom fields: `PUT /conversations/{id}` `{"custom_attributes": {name: value}}` (conversation data attributes;
  only the named attributes change).
Auth: `Authorization: Bearer <access_token>`.
"""

from __future__ import annotations

import httpx

from connectors.config import SourceConfig
from connectors.outbound.base import Unsupported, note_text
from connectors.outbound.http import call
from schemas import OutboundAction, OutboundKind


class IntercomWriter:
    target = "intercom"

    def __init__(self, cfg: SourceConfig, timeout: float = 15.0) -> None:
        self._admin_id = cfg.require("admin_id")
        self._priority_attr = str(cfg.get("priority_attribute", "priority"))
        self._http = httpx.Client(base_url=str(cfg.get("base_url", "https://api.intercom.io")).rstrip("/"),
                                  timeout=timeout, headers={"Authorization": f"Bearer {cfg.require('access_token')}",
                                                            "Accept": "application/json",
                                                            "Intercom-Version": str(cfg.get("api_version", "2.11"))})
        self._tag_ids: dict[str, str] = {}

    def _tag_id(self, name: str) -> str:
        if name not in self._tag_ids:
            data = call(self._http, "POST", "/tags", "intercom create tag", json={"name": name}).json()
            self._tag_ids[name] = str(data["id"])
        return self._tag_ids[name]

    def apply(self, action: OutboundAction) -> str:
        cid = action.ticket_id
        if action.kind is OutboundKind.add_tags:
            for tag in action.tags:
                call(self._http, "POST", f"/conversations/{cid}/tags", "intercom tag conversation",
                     json={"id": self._tag_id(tag), "admin_id": self._admin_id})
            return f"added {len(action.tags)} tags"
        if action.kind is OutboundKind.internal_note:
            call(self._http, "POST", f"/conversations/{cid}/reply", "intercom note",
                 json={"message_type": "note", "type": "admin", "admin_id": self._admin_id,
                       "body": note_text(action)})
            return "internal note added"
        if action.kind is OutboundKind.set_priority and action.priority:
            call(self._http, "PUT", f"/conversations/{cid}", "intercom set priority",
                 json={"custom_attributes": {self._priority_attr: action.priority.value.capitalize()}})
            return f"priority {action.priority.value}"
        if action.kind is OutboundKind.set_custom_fields:
            call(self._http, "PUT", f"/conversations/{cid}", "intercom set custom attributes",
                 json={"custom_attributes": dict(action.custom_fields)})
            return f"set {len(action.custom_fields)} custom attributes"
        raise Unsupported(f"intercom has no writer for {action.kind.value}")

    def close(self) -> None:
        self._http.close()
