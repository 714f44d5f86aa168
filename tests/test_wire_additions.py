"""Fields added to schema version 1 after its release stay off the wire while unset, so the previous worker
version (whose models forbid unknown fields) still reads every message that does not use them."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from schemas import AuthorRole, EventType, RedactedTicket, SlaPrediction, TicketEvent
from schemas.enrichment import RiskLevel

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


def event(**extra: object) -> TicketEvent:
    return TicketEvent(tenant_id="acme", source="zendesk", ticket_id="1", event_id="e1",
                       event_type=EventType.comment_added, occurred_at=NOW, **extra)  # type: ignore[arg-type]


def test_unset_author_fields_are_left_out_and_set_ones_round_trip() -> None:
    plain = json.loads(event().to_json_bytes())
    assert not {"author_role", "comment_public", "replay"} & set(plain)
    noted = event(author_role=AuthorRole.agent, comment_public=False)
    wire = json.loads(noted.to_json_bytes())
    assert wire["author_role"] == "agent" and wire["comment_public"] is False  # False is a value, not "unset"
    assert TicketEvent.from_json_bytes(noted.to_json_bytes()) == noted
    redacted = RedactedTicket(**noted.model_dump(exclude={"requester", "raw_attributes"}))
    assert RedactedTicket.from_json_bytes(redacted.to_json_bytes()).author_role is AuthorRole.agent


def test_unset_first_response_fields_are_left_out() -> None:
    sla = SlaPrediction(policy="default", priority="high", first_response_due=NOW, resolution_due=NOW,
                        breach_probability=0.2, risk_level=RiskLevel.low, model_version="m")
    assert not {"first_response_at", "first_response_met"} & set(json.loads(sla.to_json_bytes()))
    answered = sla.model_copy(update={"first_response_at": NOW, "first_response_met": True})
    assert SlaPrediction.from_json_bytes(answered.to_json_bytes()) == answered
