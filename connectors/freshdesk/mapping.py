"""Freshdesk payload → TicketEvent: automation-rule webhooks and tickets of the v2 API (polling).

Freshdesk automation webhooks send the JSON body the admin defines from placeholders; the body this project
documents is `{"freshdesk_webhook": {"ticket_id": "{{ticket.id}}", ...}}` (keys `ticket_*`). API tickets
(`GET /api/v2/tickets?updated_since=…`) have `id`, `subject`, `description_text`, numeric `status`/`priority`.
Event id: ticket id + `updated_at`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from connectors import enums
from connectors.common import (
    MappingError,
    authored_comment_part,
    clean_tags,
    event_id,
    external_id,
    merge_custom,
    obj,
    parse_time,
    raw_attributes,
)
from connectors.html_text import html_to_text
from schemas import Channel, EventType, Requester, Source, Status, TicketEvent
from schemas.events import MAX_BODY_CHARS, MAX_SUBJECT_CHARS

STATUS_CODES = {2: Status.open, 3: Status.pending, 4: Status.solved, 5: Status.closed}
SOURCE_CODES = {1: Channel.email, 2: Channel.web, 3: Channel.phone, 7: Channel.chat, 9: Channel.web, 10: Channel.email}
KNOWN = {"id", "subject", "description", "description_text", "status", "priority", "tags", "source", "created_at",
         "updated_at", "requester_id", "requester", "custom_fields", "group_id", "latest_comment", "event"}


def _unwrap(payload: Mapping[str, Any]) -> tuple[dict[str, Any], Any]:
    inner = payload.get("freshdesk_webhook")
    if isinstance(inner, Mapping):
        ticket = {k.removeprefix("ticket_"): v for k, v in inner.items()}
        requester = {"email": ticket.pop("requester_email", None), "name": ticket.pop("requester_name", None),
                     "id": ticket.pop("requester_id", None)}
        ticket["requester"] = requester
        return ticket, inner.get("event") or payload.get("event")
    return dict(payload), payload.get("event")


def _code(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def map_ticket(tenant: str, payload: Any) -> TicketEvent:
    if not isinstance(payload, Mapping):
        raise MappingError("body must be a JSON object")
    ticket, hint = _unwrap(payload)
    ticket_id = external_id(ticket.get("id"), "ticket_id")
    updated = parse_time(ticket.get("updated_at") or ticket.get("created_at"), "ticket_updated_at")
    status_code = _code(ticket.get("status"))
    status = STATUS_CODES.get(status_code) if status_code is not None else enums.status(ticket.get("status"))
    tags = ticket.get("tags")
    req = obj(ticket.get("requester"))
    requester = Requester(id=external_id(req.get("id") or ticket.get("requester_id"), "requester_id")
                          if (req.get("id") or ticket.get("requester_id")) else None,
                          name=req.get("name") or None, email=req.get("email") or None)
    body = ticket.get("latest_comment") or ticket.get("description_text") or html_to_text(ticket.get("description"))
    source_code = _code(ticket.get("source"))
    custom = obj(ticket.get("custom_fields"))
    author_role, public = enums.comment_author(hint)
    event_type = enums.event_type(hint) or (EventType.created if ticket.get("created_at") == ticket.get("updated_at")
                                            else EventType.updated)
    return TicketEvent(
        tenant_id=tenant, source=Source.freshdesk, ticket_id=ticket_id,
        event_id=event_id("freshdesk", tenant, ticket_id, updated.isoformat(),
                          *authored_comment_part(author_role, hint)),
        event_type=event_type, occurred_at=updated,
        ticket_created_at=parse_time(ticket["created_at"], "ticket_created_at") if ticket.get("created_at") else None,
        subject=str(ticket.get("subject") or "")[:MAX_SUBJECT_CHARS], body=str(body or "")[:MAX_BODY_CHARS],
        requester=requester,
        channel=SOURCE_CODES.get(source_code, Channel.other) if source_code else enums.channel(ticket.get("source")),
        priority=enums.priority(ticket.get("priority")), status=status,
        tags=clean_tags(tags.split(",") if isinstance(tags, str) else tags or []),
        custom_fields=merge_custom({f"freshdesk.{k}": v if v is None or isinstance(v, str | int | float | bool)
                                    else str(v) for k, v in custom.items()}),
        raw_attributes=raw_attributes(ticket, KNOWN),
        author_role=author_role,
        comment_public=public,
    )
