"""Intercom REST API as documented: tags (create-or-update by name), tagging a conversation, admin notes,
conversation custom attributes. https://developers.intercom.com/docs/references/rest-api/api.intercom.io/
"""

from __future__ import annotations

import re
from typing import Any

from tests.support.helpdesks.base import Call, FakeApi, Reply


class IntercomApi(FakeApi):
    def __init__(self, token: str = "ic-token") -> None:
        super().__init__()
        self.auth = f"Bearer {token}"
        self.tags: dict[str, str] = {}
        self.conversations: dict[str, dict[str, Any]] = {}
        self.route("POST", r"/tags", self._tag)
        self.route("POST", r"/conversations/(\w+)/tags", self._tag_conversation)
        self.route("POST", r"/conversations/(\w+)/reply", self._reply)
        self.route("PUT", r"/conversations/(\w+)", self._update)

    def add_conversation(self, cid: str, tags: list[str] | None = None) -> dict[str, Any]:
        for name in tags or []:
            self.tags.setdefault(name, str(100 + len(self.tags)))
        conv = {"type": "conversation", "id": cid, "tags": {"type": "tag.list", "tags": [
            {"type": "tag", "id": self.tags[n], "name": n} for n in tags or []]}, "parts": [], "custom_attributes": {}}
        self.conversations[cid] = conv
        return conv

    def tag_names(self, cid: str) -> list[str]:
        return [t["name"] for t in self.conversations[cid]["tags"]["tags"]]

    def _tag(self, call: Call, match: re.Match[str]) -> Reply:
        name = (call.body or {}).get("name")
        if not name:
            return Reply(400, {"type": "error.list", "errors": [{"code": "parameter_not_found"}]})
        self.tags.setdefault(name, str(100 + len(self.tags)))
        return Reply(200, {"type": "tag", "id": self.tags[name], "name": name})

    def _tag_conversation(self, call: Call, match: re.Match[str]) -> Reply:
        conv = self.conversations.get(match.group(1))
        body = call.body or {}
        by_id = {v: k for k, v in self.tags.items()}
        if conv is None or body.get("id") not in by_id or not body.get("admin_id"):
            return Reply(404, {"type": "error.list", "errors": [{"code": "not_found"}]})
        name = by_id[body["id"]]
        if name not in self.tag_names(match.group(1)):
            conv["tags"]["tags"].append({"type": "tag", "id": body["id"], "name": name})
        return Reply(200, {"type": "tag", "id": body["id"], "name": name})

    def _reply(self, call: Call, match: re.Match[str]) -> Reply:
        conv = self.conversations.get(match.group(1))
        body = call.body or {}
        if conv is None:
            return Reply(404, {"type": "error.list", "errors": [{"code": "not_found"}]})
        valid = body.get("type") == "admin" and body.get("message_type") in ("comment", "note")
        if not valid or not body.get("admin_id"):
            return Reply(400, {"type": "error.list", "errors": [{"code": "parameter_invalid"}]})
        conv["parts"].append({"part_type": body["message_type"], "body": body.get("body", "")})
        return Reply(200, conv)

    def _update(self, call: Call, match: re.Match[str]) -> Reply:
        conv = self.conversations.get(match.group(1))
        if conv is None:
            return Reply(404, {"type": "error.list", "errors": [{"code": "not_found"}]})
        conv["custom_attributes"].update((call.body or {}).get("custom_attributes", {}))
        return Reply(200, conv)
