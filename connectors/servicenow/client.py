"""ServiceNow Table API writer: `PATCH /api/now/table/{table}/{sys_id}`.

Internal note: `{"work_notes": ...}` (journal field: each write appends an entry). Priority is computed by
ServiceNow from impact and urgency, so `{"impact", "urgency"}` are set. Incidents have no tags field: tags are
written as a work note line (`ticketstream tags: …`), which appends and never replaces. Custom fields:
`{"u_field": "value", ...}` in the same PATCH (only the named fields change). The Table API ignores field names
the table does not have, so the writer checks that each one comes back in the `result` record and stops with a
permanent error naming the missing ones.
Auth: basic user/password.
"""

from __future__ import annotations

import httpx

from connectors.config import SourceConfig
from connectors.outbound.base import Unsupported, note_text
from connectors.outbound.http import HelpdeskError, call
from schemas import OutboundAction, OutboundKind, Priority

IMPACT_URGENCY = {Priority.urgent: ("1", "1"), Priority.high: ("1", "2"), Priority.normal: ("2", "2"),
                  Priority.low: ("3", "3")}


class ServiceNowWriter:
    target = "servicenow"

    def __init__(self, cfg: SourceConfig, timeout: float = 15.0) -> None:
        self._table = str(cfg.get("table", "incident"))
        self._http = httpx.Client(base_url=cfg.require("base_url").rstrip("/"), timeout=timeout,
                                  auth=(cfg.require("user"), cfg.require("password")),
                                  headers={"Accept": "application/json"})

    def _patch(self, sys_id: str, fields: dict[str, str], what: str) -> dict[str, object]:
        response = call(self._http, "PATCH", f"/api/now/table/{self._table}/{sys_id}", what, json=fields)
        result = response.json().get("result") if response.content else None
        return result if isinstance(result, dict) else {}

    def apply(self, action: OutboundAction) -> str:
        if action.kind is OutboundKind.internal_note:
            self._patch(action.ticket_id, {"work_notes": note_text(action)}, "servicenow work note")
            return "work note added"
        if action.kind is OutboundKind.set_priority and action.priority:
            impact, urgency = IMPACT_URGENCY[action.priority]
            self._patch(action.ticket_id, {"impact": impact, "urgency": urgency}, "servicenow priority")
            return f"priority {action.priority.value}"
        if action.kind is OutboundKind.add_tags:
            self._patch(action.ticket_id, {"work_notes": "ticketstream tags: " + ", ".join(action.tags)},
                        "servicenow tags note")
            return "tags noted"
        if action.kind is OutboundKind.set_custom_fields:
            values = {k: "" if v is None else str(v).lower() if isinstance(v, bool) else str(v)
                      for k, v in action.custom_fields.items()}
            record = self._patch(action.ticket_id, values, "servicenow set fields")
            unknown = sorted(k for k in values if k not in record)
            if unknown:
                raise HelpdeskError(f"servicenow {self._table} has no field(s) {', '.join(unknown)} (ignored by the "
                                    "Table API)", permanent=True)
            return f"set {len(values)} fields"
        raise Unsupported(f"servicenow has no writer for {action.kind.value}")

    def close(self) -> None:
        self._http.close()
