"""ServiceNow Table API as documented: `PATCH /api/now/table/incident/{sys_id}` (unknown field names are ignored,
`work_notes` appends a journal entry, priority follows impact × urgency, the answer is `{"result": record}`) and
`GET /api/now/table/incident` with `sysparm_query` (`sys_updated_on>…^ORDERBYsys_updated_on`), `sysparm_limit`,
`sysparm_offset`, a `Link` header (first/prev/next/last) and `X-Total-Count`.

https://developer.servicenow.com/dev.do#!/reference/api/latest/rest/c_TableAPI
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from tests.support.helpdesks.base import Call, FakeApi, Reply, basic

# Default incident priority lookup: (impact, urgency) -> priority.
PRIORITY = {("1", "1"): "1", ("1", "2"): "2", ("2", "1"): "2", ("1", "3"): "3", ("2", "2"): "3", ("3", "1"): "3",
            ("2", "3"): "4", ("3", "2"): "4", ("3", "3"): "5"}
WRITABLE = {"short_description", "description", "state", "impact", "urgency", "work_notes", "comments",
            "assignment_group", "u_category", "u_sla_risk"}


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")


class ServiceNowApi(FakeApi):
    def __init__(self, user: str = "svc", password: str = "sn-pass") -> None:
        super().__init__()
        self.auth = basic(user, password)
        self.incidents: dict[str, dict[str, Any]] = {}
        self.journal: dict[str, list[str]] = {}
        self.rate_budget: int | None = None  # requests left in the rate-limit window, when a rule applies
        self.rate_reset_at = 0.0  # epoch seconds of the window's reset
        self.route("PATCH", r"/api/now/table/incident/(\w+)", self._patch)
        self.route("GET", r"/api/now/table/incident", self._list)

    def add_incident(self, sys_id: str, **fields: Any) -> dict[str, Any]:
        now = fields.pop("sys_updated_on", None) or _now()
        record = {"sys_id": sys_id, "number": f"INC{1000 + len(self.incidents):07d}",
                  "short_description": f"Incident {sys_id}", "description": "Printer on fire", "state": "1",
                  "impact": "3", "urgency": "3", "priority": "5", "caller_id": "", "contact_type": "email",
                  "assignment_group": "", "work_notes": "", "comments": "", "u_category": "", "u_sla_risk": "",
                  "sys_created_on": now, "sys_updated_on": now, **fields}
        self.incidents[sys_id] = record
        self.journal[sys_id] = []
        return record

    def _patch(self, call: Call, match: re.Match[str]) -> Reply:
        record = self.incidents.get(match.group(1))
        if record is None:
            return Reply(404, {"error": {"message": "No Record found",
                                         "detail": "Record doesn't exist or ACL restricts the record retrieval"},
                               "status": "failure"})
        body = call.body if isinstance(call.body, dict) else {}
        for name, value in body.items():
            if name not in WRITABLE:
                continue  # documented behaviour: invalid field names are ignored
            if name == "work_notes":
                self.journal[record["sys_id"]].append(str(value))
                continue
            record[name] = str(value)
        record["priority"] = PRIORITY[(record["impact"], record["urgency"])]
        record["sys_updated_on"] = _now()
        return Reply(200, {"result": record})

    def _list(self, call: Call, match: re.Match[str]) -> Reply:
        rate: dict[str, str] = {}
        if self.rate_budget is not None:  # a REST API rate limit rule: headers on each answer, 429 past it
            if self.rate_budget <= 0:
                wait = max(1, int(self.rate_reset_at - time.time()))
                return Reply(429, {"error": {"message": "Rate limit exceeded"}, "status": "failure"},
                             {"Retry-After": str(wait)})
            self.rate_budget -= 1
            rate = {"X-RateLimit-Limit": "100", "X-RateLimit-Remaining": str(self.rate_budget),
                    "X-RateLimit-Reset": str(int(self.rate_reset_at))}
        q = {k: v[0] for k, v in call.query.items()}
        limit, offset = int(q.get("sysparm_limit", 10_000)), int(q.get("sysparm_offset", 0))
        rows = list(self.incidents.values())
        order: list[str] = []
        for part in filter(None, q.get("sysparm_query", "").split("^")):
            if part.startswith("ORDERBY"):
                order.append(part.removeprefix("ORDERBY"))
                continue
            cond = re.fullmatch(r"(\w+)(>=|>|<=|<|=)(.*)", part)
            if cond is None:
                return Reply(400, {"error": {"message": "Invalid query", "detail": part}, "status": "failure"})
            field, op, value = cond.groups()
            test = {">": str.__gt__, ">=": str.__ge__, "<": str.__lt__, "<=": str.__le__, "=": str.__eq__}[op]
            rows = [r for r in rows if test(str(r.get(field, "")), value)]
        rows.sort(key=lambda r: tuple(str(r.get(f, "")) for f in order))
        page = rows[offset:offset + limit]
        base = f"{self.url}/api/now/table/incident"

        def link(at: int, rel: str) -> str:
            return f'<{base}?{urlencode({**q, "sysparm_offset": at})}>;rel="{rel}"'

        links = [link(0, "first")]
        if offset > 0:
            links.append(link(max(0, offset - limit), "prev"))
        if offset + limit < len(rows):
            links.append(link(offset + limit, "next"))
        links.append(link(max(0, (len(rows) - 1) // limit * limit), "last"))
        return Reply(200, {"result": page}, {"Link": ",".join(links), "X-Total-Count": str(len(rows)), **rate})
