"""Freshdesk API v2 as documented: tickets (PUT replaces `tags`, `custom_fields` by name, priority 1-4), notes,
conversations, the ticket list with `updated_since` / `order_by` / `page` / `per_page` and a `Link: rel="next"`
header, and the rate-limit headers every response carries.

https://developers.freshdesk.com/api/#update_ticket , #add_note_to_a_ticket , #list_all_ticket_notes ,
#list_all_tickets , #ratelimit
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from tests.support.helpdesks.base import Call, FakeApi, Reply, basic

RATE_LIMIT_PER_MINUTE = 200


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class FreshdeskApi(FakeApi):
    def __init__(self, api_key: str = "fd-api-key") -> None:
        super().__init__()
        self.auth = basic(api_key, "X")
        self.tickets: dict[int, dict[str, Any]] = {}
        self.conversations: dict[int, list[dict[str, Any]]] = {}
        self.custom_field_names = {"cf_category", "cf_sla_risk", "cf_language"}
        self.rate_remaining = RATE_LIMIT_PER_MINUTE
        self.route("GET", r"/api/v2/tickets/(\d+)", self._show)
        self.route("PUT", r"/api/v2/tickets/(\d+)", self._update)
        self.route("POST", r"/api/v2/tickets/(\d+)/notes", self._note)
        self.route("GET", r"/api/v2/tickets/(\d+)/conversations", self._conversations)
        self.route("GET", r"/api/v2/tickets", self._list)

    def add_ticket(self, ticket_id: int, tags: list[str] | None = None, **fields: Any) -> dict[str, Any]:
        now = fields.pop("updated_at", None) or _now()
        ticket = {"id": ticket_id, "subject": f"Ticket {ticket_id}", "description": "<div>Hello</div>",
                  "description_text": "Hello", "status": 2, "priority": 1, "source": 1, "type": None,
                  "requester_id": 5000 + ticket_id, "group_id": None, "tags": list(tags or []),
                  "custom_fields": dict.fromkeys(sorted(self.custom_field_names)), "created_at": now,
                  "updated_at": now, **fields}
        self.tickets[ticket_id] = ticket
        self.conversations[ticket_id] = []
        return ticket

    def dispatch(self, call: Call) -> Reply:
        reply = super().dispatch(call)
        with self.lock:  # documented on every response, errors included
            self.rate_remaining = max(0, self.rate_remaining - 1)
            reply.headers.setdefault("X-RateLimit-Total", str(RATE_LIMIT_PER_MINUTE))
            reply.headers.setdefault("X-RateLimit-Remaining", str(self.rate_remaining))
            reply.headers.setdefault("X-RateLimit-Used-CurrentRequest", "1")
        return reply

    def _ticket(self, match: re.Match[str]) -> dict[str, Any] | None:
        return self.tickets.get(int(match.group(1)))

    @staticmethod
    def _not_found() -> Reply:
        return Reply(404, None)

    def _show(self, call: Call, match: re.Match[str]) -> Reply:
        ticket = self._ticket(match)
        return Reply(200, ticket) if ticket else self._not_found()

    def _update(self, call: Call, match: re.Match[str]) -> Reply:
        ticket = self._ticket(match)
        if ticket is None:
            return self._not_found()
        body = call.body if isinstance(call.body, dict) else {}
        errors = []
        if "priority" in body and body["priority"] not in (1, 2, 3, 4):
            errors.append({"field": "priority", "message": "It should be one of these values: '1,2,3,4'",
                           "code": "invalid_value"})
        custom = body.get("custom_fields") or {}
        errors += [{"field": name, "message": "Unexpected/invalid field in request", "code": "invalid_field"}
                   for name in custom if name not in self.custom_field_names]
        if errors:
            return Reply(400, {"description": "Validation failed", "errors": errors})
        if "tags" in body:  # documented: the list replaces the ticket's tags
            ticket["tags"] = list(body["tags"])
        if "priority" in body:
            ticket["priority"] = body["priority"]
        ticket["custom_fields"].update(custom)
        ticket["updated_at"] = _now()
        return Reply(200, ticket)

    def _note(self, call: Call, match: re.Match[str]) -> Reply:
        ticket = self._ticket(match)
        body = call.body if isinstance(call.body, dict) else {}
        if ticket is None:
            return self._not_found()
        if not body.get("body"):
            return Reply(400, {"description": "Validation failed", "errors": [
                {"field": "body", "message": "It should be a/an String", "code": "missing_field"}]})
        convs = self.conversations[ticket["id"]]
        note = {"id": 9000 + len(convs), "body": body["body"], "body_text": body["body"],
                "private": body.get("private", True), "incoming": False, "ticket_id": ticket["id"],
                "created_at": _now()}
        convs.append(note)
        return Reply(201, note)

    def _conversations(self, call: Call, match: re.Match[str]) -> Reply:
        ticket = self._ticket(match)
        if ticket is None:
            return self._not_found()
        return Reply(200, self.conversations[ticket["id"]])

    def _list(self, call: Call, match: re.Match[str]) -> Reply:
        q = {k: v[0] for k, v in call.query.items()}
        per_page, page = int(q.get("per_page", 30)), int(q.get("page", 1))
        if not 1 <= per_page <= 100 or not 1 <= page <= 300:
            return Reply(400, {"description": "Validation failed", "errors": [
                {"field": "per_page" if per_page > 100 else "page", "message": "out of range",
                 "code": "invalid_value"}]})
        rows = list(self.tickets.values())
        if "updated_since" in q:
            since = datetime.fromisoformat(q["updated_since"].replace("Z", "+00:00"))
            rows = [t for t in rows if datetime.fromisoformat(t["updated_at"].replace("Z", "+00:00")) >= since]
        key = q.get("order_by", "created_at")
        rows.sort(key=lambda t: (t[key], t["id"]), reverse=q.get("order_type", "desc") == "desc")
        chunk = rows[(page - 1) * per_page: page * per_page]
        include = set(q.get("include", "").split(","))
        out = [{k: v for k, v in t.items() if "description" in include or k not in ("description", "description_text")}
               for t in chunk]
        headers = {}
        if page * per_page < len(rows):
            params = "&".join(f"{k}={v}" for k, v in {**q, "page": page + 1}.items())
            headers["Link"] = f'<{self.url}/api/v2/tickets?{params}>; rel="next"'
        return Reply(200, out, headers)
