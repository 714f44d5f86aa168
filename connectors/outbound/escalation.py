"""Escalations: a Slack incoming webhook and a PagerDuty Events API v2 trigger, per tenant.

- Slack: `POST <webhook_url>` `{"text": ...}`, answered `200 ok`
  (https://api.slack.com/messaging/webhooks);
- PagerDuty: `POST https://events.pagerduty.com/v2/enqueue` `{"routing_key", "event_action": "trigger",
  "dedup_key": <action_id>, "payload": {"summary", "source", "severity"}}`, answered `202`
  (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/). The dedup key makes a repeated
  trigger one PagerDuty alert.
Messages carry ids and labels only, never ticket text.
"""

from __future__ import annotations

import httpx

from connectors.config import SourceConfig
from connectors.outbound.http import call
from schemas import OutboundAction, Priority

SEVERITY = {Priority.urgent: "critical", Priority.high: "error", Priority.normal: "warning", Priority.low: "info"}


def summary(action: OutboundAction) -> str:
    return (f"SLA escalation: {action.source.value} ticket {action.ticket_id} (tenant {action.tenant_id})"
            + (f", priority {action.priority.value}" if action.priority else ""))


class EscalationWriter:
    target = "escalation"

    def __init__(self, slack: SourceConfig | None, pagerduty: SourceConfig | None, timeout: float = 15.0) -> None:
        self._slack_url = str(slack.require("webhook_url")) if slack and slack.values else None
        self._pd_key = pagerduty.require("routing_key") if pagerduty and pagerduty.values else None
        self._pd_url = str(pagerduty.get("url", "https://events.pagerduty.com/v2/enqueue")) if pagerduty else ""
        self._http = httpx.Client(timeout=timeout)

    def apply(self, action: OutboundAction) -> str:
        done = []
        if self._pd_key:
            call(self._http, "POST", self._pd_url, "pagerduty enqueue", json={
                "routing_key": self._pd_key, "event_action": "trigger", "dedup_key": action.action_id,
                "payload": {"summary": summary(action)[:1024], "source": f"ticketstream/{action.tenant_id}",
                            "severity": SEVERITY.get(action.priority or Priority.high, "error"),
                            "custom_details": {"ticket_id": action.ticket_id, "event_id": action.event_id,
                                               "tags": action.tags}}})
            done.append("pagerduty")
        if self._slack_url:
            call(self._http, "POST", self._slack_url, "slack webhook", json={"text": summary(action)})
            done.append("slack")
        if not done:
            from connectors.outbound.base import Unsupported

            raise Unsupported("no slack or pagerduty configured for this tenant")
        return "escalated to " + " and ".join(done)

    def close(self) -> None:
        self._http.close()
