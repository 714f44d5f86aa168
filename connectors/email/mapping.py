"""Inbound e-mail (Mailgun routes, SendGrid Inbound Parse, Postmark inbound) → TicketEvent.

Each provider's payload is first read into `EmailMessage` (the provider-specific part), then one mapping
turns that into a TicketEvent. The event id is derived from the `Message-ID`, so a redelivered e-mail maps
to the same event id; the ticket comes from the thread (`threads.py`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.parser import HeaderParser
from email.utils import getaddresses, parsedate_to_datetime
from typing import Any

from connectors.common import MappingError, event_id, obj, raw_attributes
from connectors.email.threads import ThreadStore, message_ids
from connectors.html_text import html_to_text
from schemas import AuthorRole, Channel, EventType, Requester, Source, Status, TicketEvent
from schemas.events import MAX_BODY_CHARS, MAX_SUBJECT_CHARS

MAILGUN_READ = {"body-plain", "body-html", "from", "sender", "subject", "Subject", "message-headers", "Message-Id",
                "In-Reply-To", "References", "Date", "signature", "token", "timestamp"}
SENDGRID_READ = {"headers", "text", "html", "from", "subject"}
POSTMARK_READ = {"FromFull", "FromName", "From", "Subject", "TextBody", "HtmlBody", "Date", "Headers"}
"""Provider fields the mapping reads; every other field is kept in `raw_attributes`. Mailgun's signature
fields are authentication, not ticket data."""


@dataclass(frozen=True)
class EmailMessage:
    provider: str
    message_id: str
    subject: str
    text: str
    from_name: str | None
    from_email: str | None
    date: datetime | None
    in_reply_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    """Provider fields not read above, kept as raw attributes."""


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _sender(value: str | None) -> tuple[str | None, str | None]:
    pairs = getaddresses([value]) if value else []
    if not pairs:
        return None, None
    name, addr = pairs[0]
    return (name or None), (addr or None)


def _fallback_id(provider: str, *parts: object) -> str:
    """Without a Message-ID, a stable id from what the provider sent (so redeliveries still collapse)."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:32]
    return f"<{digest}@{provider}.ticketstream.invalid>"


def from_mailgun(form: Mapping[str, str]) -> EmailMessage:
    """Mailgun route `forward()` POST: `body-plain`, `stripped-text`, `subject`, `from`, `Message-Id`,
    `In-Reply-To`, `References`, `message-headers` (JSON list of [name, value])."""
    headers: dict[str, str] = {}
    try:
        for pair in json.loads(form.get("message-headers") or "[]"):
            if isinstance(pair, list) and len(pair) == 2:
                headers.setdefault(str(pair[0]).lower(), str(pair[1]))
    except ValueError as exc:
        raise MappingError("message-headers is not JSON") from exc

    def header(name: str) -> str | None:
        return form.get(name) or form.get(name.lower()) or headers.get(name.lower())

    name, addr = _sender(form.get("from") or form.get("sender"))
    text = form.get("body-plain") or html_to_text(form.get("body-html")) or ""
    own = message_ids(header("Message-Id")) or [_fallback_id("mailgun", form.get("token"), form.get("timestamp"))]
    return EmailMessage("mailgun", own[0], form.get("subject") or header("Subject") or "", text, name, addr,
                        _date(header("Date")), message_ids(header("In-Reply-To")), message_ids(header("References")),
                        raw_attributes(form, MAILGUN_READ))


def from_sendgrid(form: Mapping[str, str]) -> EmailMessage:
    """SendGrid Inbound Parse (multipart/form-data): `headers` (raw header block), `text`, `html`, `from`,
    `to`, `subject`, `envelope` (JSON), `charsets`, `spam_score`."""
    parsed = HeaderParser().parsestr(form.get("headers") or "")
    name, addr = _sender(form.get("from") or parsed.get("From"))
    text = form.get("text") or html_to_text(form.get("html")) or ""
    own = message_ids(parsed.get("Message-ID")) or [_fallback_id("sendgrid", form.get("headers"), text)]
    return EmailMessage("sendgrid", own[0], form.get("subject") or parsed.get("Subject") or "", text, name, addr,
                        _date(parsed.get("Date")), message_ids(parsed.get("In-Reply-To")),
                        message_ids(parsed.get("References")), raw_attributes(form, SENDGRID_READ))


def from_postmark(payload: Any) -> EmailMessage:
    """Postmark inbound webhook JSON: `FromFull`, `Subject`, `TextBody`, `HtmlBody`, `Date`, `MessageID`
    (Postmark's own id) and `Headers` ([{Name, Value}], with the original Message-ID, In-Reply-To, References)."""
    if not isinstance(payload, Mapping):
        raise MappingError("body must be a JSON object")
    headers = {str(h.get("Name", "")).lower(): str(h.get("Value", ""))
               for h in payload.get("Headers") or [] if isinstance(h, Mapping)}
    sender = obj(payload.get("FromFull"))
    own = (message_ids(headers.get("message-id"))
           or ([f"<{payload['MessageID']}@postmark.ticketstream.invalid>"] if payload.get("MessageID") else []))
    if not own:
        raise MappingError("MessageID is missing")
    text = payload.get("TextBody") or html_to_text(payload.get("HtmlBody")) or ""
    return EmailMessage("postmark", own[0], str(payload.get("Subject") or ""), str(text),
                        sender.get("Name") or payload.get("FromName") or None,
                        sender.get("Email") or payload.get("From") or None, _date(payload.get("Date")),
                        message_ids(headers.get("in-reply-to")), message_ids(headers.get("references")),
                        raw_attributes(payload, POSTMARK_READ))


def map_email(tenant: str, message: EmailMessage, threads: ThreadStore, received_at: datetime) -> TicketEvent:
    ticket_id = threads.resolve(tenant, message.message_id, message.in_reply_to, message.references)
    is_reply = bool(message.in_reply_to or message.references)
    occurred = message.date or received_at
    return TicketEvent(
        tenant_id=tenant,
        source=Source.email,
        ticket_id=ticket_id,
        event_id=event_id("email", tenant, message.message_id),
        event_type=EventType.comment_added if is_reply else EventType.created,
        occurred_at=occurred,
        ticket_created_at=None if is_reply else occurred,
        subject=message.subject[:MAX_SUBJECT_CHARS],
        body=message.text[:MAX_BODY_CHARS],
        requester=Requester(name=(message.from_name or None) and message.from_name[:256],
                            email=(message.from_email or None) and message.from_email[:256]),
        channel=Channel.email,
        status=Status.open if is_reply else Status.new,
        author_role=AuthorRole.requester,  # inbound mail comes from the customer; agents answer in the helpdesk
        comment_public=True if is_reply else None,
        raw_attributes=raw_attributes({**message.extra, "provider": message.provider,
                                       "message_id": message.message_id[:300], "in_reply_to": message.in_reply_to,
                                       "references": message.references[-20:]}, ()),
    )
