"""Slack incoming webhooks (`200 ok`) and the PagerDuty Events API v2 (`202`, dedup by `dedup_key`).

https://api.slack.com/messaging/webhooks · https://developer.pagerduty.com/docs/events-api-v2/trigger-events/
"""

from __future__ import annotations

import re

from tests.support.helpdesks.base import Call, FakeApi, Reply


class SlackWebhook(FakeApi):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []
        self.route("POST", r"/services/T000/B000/XXXX", self._post)

    def _post(self, call: Call, match: re.Match[str]) -> Reply:
        text = (call.body or {}).get("text") if isinstance(call.body, dict) else None
        if not text:
            return Reply(400, b"no_text")
        self.messages.append(text)
        return Reply(200, b"ok")


class PagerDutyEvents(FakeApi):
    def __init__(self) -> None:
        super().__init__()
        self.alerts: dict[str, dict[str, object]] = {}
        self.route("POST", r"/v2/enqueue", self._enqueue)

    def _enqueue(self, call: Call, match: re.Match[str]) -> Reply:
        body = call.body if isinstance(call.body, dict) else {}
        payload = body.get("payload") or {}
        if not body.get("routing_key") or body.get("event_action") != "trigger" or not all(
                payload.get(k) for k in ("summary", "source", "severity")):
            return Reply(400, {"status": "invalid event", "message": "Event object is invalid",
                               "errors": ["missing field"]})
        key = body.get("dedup_key") or f"auto-{len(self.alerts)}"
        self.alerts.setdefault(key, payload)
        return Reply(202, {"status": "success", "message": "Event processed", "dedup_key": key})
