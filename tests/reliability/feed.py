"""The demo feed re-addressed to one helpdesk, so the real outbound writer can apply its actions.

Zendesk ticket ids are numbers (`PUT /api/v2/tickets/{id}.json`), so `T0000042` becomes `42`; every event
goes to Zendesk. Everything else (text, PII, languages, follow-ups) is the demo feed's.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from connectors.demo import TENANTS, DemoFeed
from schemas import Source, TicketEvent


def zendesk_events(n: int, seed: int) -> list[TicketEvent]:
    events = []
    for ticket in DemoFeed(seed=seed).take(n):
        e = ticket.event
        number = str(int(e.ticket_id.lstrip("T")))
        events.append(e.model_copy(update={"source": Source.zendesk, "ticket_id": number,
                                           "event_id": f"{number}-{e.event_id.rsplit('-', 1)[1]}"}))
    return events


def write_tenants(path: Path, zendesk_url: str, pagerduty_url: str) -> Path:
    """Every demo tenant writes to the local Zendesk and PagerDuty servers, without a request budget."""
    connectors = {
        "zendesk": {"base_url": zendesk_url, "email": "agent@example.com", "api_token": "zd-token",
                    "requests_per_minute": 1_000_000},
        "pagerduty": {"routing_key": "pd-routing-key", "url": f"{pagerduty_url}/v2/enqueue",
                      "requests_per_minute": 1_000_000},
    }
    path.write_text(yaml.safe_dump({"tenants": {t: {"connectors": connectors} for t in TENANTS}}), encoding="utf-8")
    return path
