"""Jira Cloud REST v3 + Jira Service Management REST as documented: edit issue (`update.labels` add/remove/set,
`fields` for priority and custom fields, 204 No Content, 400 with `errors` per field) and request comments
(`public: false` is internal).

https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-put
https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-request/#api-rest-servicedeskapi-request-issueidorkey-comment-post
"""

from __future__ import annotations

import re
from typing import Any

from tests.support.helpdesks.base import Call, FakeApi, Reply, basic

PRIORITIES = ("Highest", "High", "Medium", "Low", "Lowest")
KEY = r"([A-Z][A-Z0-9]+-\d+)"


class JiraApi(FakeApi):
    def __init__(self, email: str = "bot@acme.test", token: str = "jira-token") -> None:
        super().__init__()
        self.auth = basic(email, token)
        self.issues: dict[str, dict[str, Any]] = {}
        self.route("PUT", rf"/rest/api/3/issue/{KEY}", self._edit)
        self.route("POST", rf"/rest/servicedeskapi/request/{KEY}/comment", self._comment)
        self.route("GET", rf"/rest/servicedeskapi/request/{KEY}/comment", self._comments)

    def add_issue(self, key: str, labels: list[str] | None = None) -> dict[str, Any]:
        issue = {"id": str(10000 + len(self.issues)), "key": key, "comments": [], "fields": {
            "summary": f"Issue {key}", "labels": list(labels or []), "priority": {"name": "Medium"},
            "customfield_10010": None, "customfield_10020": None}}
        self.issues[key] = issue
        return issue

    def _edit(self, call: Call, match: re.Match[str]) -> Reply:
        issue = self.issues.get(match.group(1))
        if issue is None:
            return Reply(404, {"errorMessages": ["Issue does not exist or you do not have permission to see it."],
                               "errors": {}})
        body = call.body if isinstance(call.body, dict) else {}
        fields, update = body.get("fields") or {}, body.get("update") or {}
        errors = {name: f"Field '{name}' cannot be set. It is not on the appropriate screen, or unknown."
                  for name in fields if name not in issue["fields"]}
        if "priority" in fields and (fields["priority"] or {}).get("name") not in PRIORITIES:
            errors["priority"] = "Specify the Priority (name) in the string format"
        for op in update.get("labels", []):
            for value in op.values():
                values = value if isinstance(value, list) else [value]
                if any(" " in str(v) for v in values):
                    errors["labels"] = "The label '...' contains spaces which is invalid."
        if errors:
            return Reply(400, {"errorMessages": [], "errors": errors})
        for op in update.get("labels", []):
            labels = issue["fields"]["labels"]
            if "add" in op and op["add"] not in labels:
                labels.append(op["add"])
            if "remove" in op and op["remove"] in labels:
                labels.remove(op["remove"])
            if "set" in op:
                issue["fields"]["labels"] = list(op["set"])
        issue["fields"].update(fields)
        return Reply(204)

    def _comment(self, call: Call, match: re.Match[str]) -> Reply:
        issue = self.issues.get(match.group(1))
        body = call.body if isinstance(call.body, dict) else {}
        if issue is None:
            return Reply(404, {"errorMessage": "Request does not exist", "i18nErrorMessage": {}})
        if not isinstance(body.get("body"), str) or not isinstance(body.get("public"), bool):
            return Reply(400, {"errorMessage": "body and public are required", "i18nErrorMessage": {}})
        comment = {"id": str(20000 + len(issue["comments"])), "body": body["body"], "public": body["public"]}
        issue["comments"].append(comment)
        return Reply(201, comment)

    def _comments(self, call: Call, match: re.Match[str]) -> Reply:
        issue = self.issues.get(match.group(1))
        if issue is None:
            return Reply(404, {"errorMessage": "Request does not exist", "i18nErrorMessage": {}})
        start = int(call.query.get("start", ["0"])[0])
        limit = int(call.query.get("limit", ["50"])[0])
        values = issue["comments"][start:start + limit]
        return Reply(200, {"size": len(values), "start": start, "limit": limit,
                           "isLastPage": start + limit >= len(issue["comments"]), "values": values})
