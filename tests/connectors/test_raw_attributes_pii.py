"""Raw attributes stay on the inbound topic: the PII stage does not carry them into RedactedTicket."""

from __future__ import annotations

from connectors.zendesk.mapping import map_webhook
from processors.base import Ok
from processors.pii import PiiConfig, PiiStage
from schemas import RedactedTicket, TicketEvent

SECRET_EMAIL = "zoe.quaranta@private-mail.example"


def test_raw_attribute_with_an_email_leaves_no_trace_after_the_pii_stage() -> None:
    payload = {"event": "updated", "ticket": {
        "id": "4242", "subject": "Login issue", "latest_comment": "I cannot log in since Monday.",
        "status": "open", "created_at": "2026-11-02T07:00:00Z", "updated_at": "2026-11-02T08:00:00Z",
        "cc": {"email": SECRET_EMAIL, "name": "Zoe Quaranta"}, "secondary_contact": SECRET_EMAIL}}
    [event] = map_webhook("acme", payload)
    # The connector kept the unmapped fields, and they cross the inbound topic.
    wire = TicketEvent.from_json_bytes(event.to_json_bytes())
    assert wire.raw_attributes["secondary_contact"] == SECRET_EMAIL
    assert wire.raw_attributes["cc"] == {"email": SECRET_EMAIL, "name": "Zoe Quaranta"}

    [result] = PiiStage(PiiConfig()).process([wire])
    assert isinstance(result, Ok), result
    redacted = result.value
    assert isinstance(redacted, RedactedTicket)
    text = redacted.model_dump_json()
    assert redacted.ticket_id == "4242" and "log in" in redacted.body  # the ticket itself went through
    for trace in (SECRET_EMAIL, "zoe.quaranta", "private-mail", "Quaranta", "secondary_contact", "raw_attributes"):
        assert trace not in text
