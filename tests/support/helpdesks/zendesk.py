"""Zendesk Support API as documented: tickets with tags/priority/comments, `additional_tags` merging,
comment listing, and the cursor-based Incremental Ticket Export.

https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#update-ticket
https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from tests.support.helpdesks.base import Call, FakeApi, Reply, basic


class ZendeskApi(FakeApi):
    def __init__(self, email: str = "agent@example.com", token: str = "zd-token") -> None:
        super().__init__()
        self.auth = basic(f"{email}/token", token)
        self.tickets: dict[int, dict[str, Any]] = {}
        self.page_size = 2
        self.route("GET", r"/api/v2/tickets/(\d+)\.json", self._show)
        self.route("PUT", r"/api/v2/tickets/(\d+)\.json", self._update)
        self.route("GET", r"/api/v2/tickets/(\d+)/comments\.json", self._comments)
        self.route("GET", r"/api/v2/incremental/tickets/cursor\.json", self._export)

    def add_ticket(self, ticket_id: int, tags: list[str] | None = None, **fields: Any) -> dict[str, Any]:
        now = fields.pop("updated_at", None) or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        ticket = {"id": ticket_id, "subject": fields.pop("subject", f"Ticket {ticket_id}"),
                  "description": fields.pop("description", "Hello"), "status": "open", "priority": "normal",
                  "tags": list(tags or []), "via": {"channel": "email"}, "created_at": now, "updated_at": now,
                  "requester_id": 9000 + ticket_id, "custom_fields": [], "comments": [], **fields}
        self.tickets[ticket_id] = ticket
        return ticket

    def _ticket(self, match: re.Match[str]) -> dict[str, Any] | None:
        return self.tickets.get(int(match.group(1)))

    @staticmethod
    def _public(ticket: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in ticket.items() if k != "comments"}

    def _show(self, call: Call, match: re.Match[str]) -> Reply:
        ticket = self._ticket(match)
        return Reply(200, {"ticket": self._public(ticket)}) if ticket else Reply(404, {"error": "RecordNotFound"})

    def _update(self, call: Call, match: re.Match[str]) -> Reply:
        ticket = self._ticket(match)
        if ticket is None:
            return Reply(404, {"error": "RecordNotFound", "description": "Not found"})
        update = (call.body or {}).get("ticket")
        if not isinstance(update, dict):
            return Reply(400, {"error": "InvalidEndpoint"})
        if "tags" in update:  # documented: `tags` replaces
            ticket["tags"] = list(update["tags"])
        for tag in update.get("additional_tags", []):  # documented: adds
            if tag not in ticket["tags"]:
                ticket["tags"].append(tag)
        ticket["tags"] = [t for t in ticket["tags"] if t not in update.get("remove_tags", [])]
        if "priority" in update:
            if update["priority"] not in ("low", "normal", "high", "urgent"):
                return Reply(422, {"error": "RecordInvalid"})
            ticket["priority"] = update["priority"]
        comment = update.get("comment")
        if isinstance(comment, dict):
            ticket["comments"].append({"id": len(ticket["comments"]) + 1, "body": comment.get("body", ""),
                                       "public": comment.get("public", True)})
        ticket["updated_at"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return Reply(200, {"ticket": self._public(ticket), "audit": {"events": []}})

    def _comments(self, call: Call, match: re.Match[str]) -> Reply:
        ticket = self._ticket(match)
        if ticket is None:
            return Reply(404, {"error": "RecordNotFound"})
        return Reply(200, {"comments": ticket["comments"], "next_page": None, "previous_page": None,
                           "count": len(ticket["comments"])})

    def _export(self, call: Call, match: re.Match[str]) -> Reply:
        ordered = sorted(self.tickets.values(), key=lambda t: (t["updated_at"], t["id"]))
        if "cursor" in call.query:
            start = int(call.query["cursor"][0].removeprefix("c"))
        elif "start_time" in call.query:
            since = int(call.query["start_time"][0])
            start = next((i for i, t in enumerate(ordered)
                          if datetime.fromisoformat(t["updated_at"].replace("Z", "+00:00")).timestamp() >= since),
                         len(ordered))
        else:
            return Reply(400, {"error": "InvalidPaginationParameter"})
        page = ordered[start:start + self.page_size]
        end = start + len(page)
        return Reply(200, {"tickets": [self._public(t) for t in page], "after_cursor": f"c{end}",
                           "after_url": f"{self.url}{call.path}?cursor=c{end}", "before_cursor": f"c{start}",
                           "end_of_stream": end >= len(ordered)})
