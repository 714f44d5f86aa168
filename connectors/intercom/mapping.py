"""Intercom webhook notification → TicketEvent: the one place that knows Intercom's conversation model.

A notification is `{"type": "notification_event", "topic": "conversation.user.created", "id": "notif_…",
"created_at": <unix>, "data": {"item": <conversation>}}`. The event id comes from the conversation id, its
`updated_at` and the topic, so a redelivered notification maps to the same event id.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from connectors import enums
from connectors.common import (
    MappingError,
    clean_tags,
    event_id,
    external_id,
    merge_custom,
    obj,
    parse_time,
    raw_attributes,
)
from connectors.html_text import html_to_text
from schemas import AuthorRole, Channel, EventType, Priority, Requester, Source, TicketEvent
from schemas.events import MAX_BODY_CHARS, MAX_SUBJECT_CHARS

TOPIC_EVENTS: dict[str, EventType] = {
    "conversation.user.created": EventType.created,
    "conversation.admin.single.created": EventType.created,
    "conversation.user.replied": EventType.comment_added,
    "conversation.admin.replied": EventType.comment_added,
    "conversation.admin.noted": EventType.comment_added,
    "conversation.admin.assigned": EventType.assigned,
    "conversation.admin.closed": EventType.closed,
    "conversation.admin.opened": EventType.reopened,
    "conversation.admin.snoozed": EventType.updated,
    "conversation.priority.updated": EventType.updated,
}
TOPIC_AUTHORS: dict[str, tuple[AuthorRole, bool]] = {
    "conversation.user.replied": (AuthorRole.requester, True),
    "conversation.admin.replied": (AuthorRole.agent, True),
    "conversation.admin.noted": (AuthorRole.agent, False),  # a note is seen by teammates only
}
"""Who wrote the comment of a reply topic, and whether the customer sees it."""
KNOWN = {"type", "id", "created_at", "updated_at", "source", "state", "open", "priority", "tags", "custom_attributes",
         "conversation_parts", "contacts", "title", "teammates", "admin_assignee_id", "team_assignee_id"}


def _latest_part(conv: Mapping[str, Any]) -> Mapping[str, Any] | None:
    parts = conv.get("conversation_parts")
    items = parts.get("conversation_parts") if isinstance(parts, Mapping) else None
    if isinstance(items, list) and items:
        last = items[-1]
        return last if isinstance(last, Mapping) else None
    return None


def map_notification(tenant: str, payload: Any) -> list[TicketEvent]:
    if not isinstance(payload, Mapping):
        raise MappingError("body must be a JSON object")
    topic = str(payload.get("topic") or "")
    if topic == "ping":
        return []
    data = payload.get("data")
    conv = data.get("item") if isinstance(data, Mapping) else None
    if not isinstance(conv, Mapping):
        raise MappingError("data.item is missing")
    if conv.get("type") not in (None, "conversation", "ticket"):
        return []  # contact/company topics carry no ticket
    ticket_id = external_id(conv.get("id"), "data.item.id")
    updated = parse_time(conv.get("updated_at") or payload.get("created_at"), "data.item.updated_at")
    created = parse_time(conv["created_at"], "data.item.created_at") if conv.get("created_at") else None
    source = obj(conv.get("source"))
    part = _latest_part(conv)
    event_type = TOPIC_EVENTS.get(topic, EventType.updated)
    body_html = (part.get("body") if part and event_type is EventType.comment_added else None) or source.get("body")
    author = obj(source.get("author"))
    requester = None
    if author and author.get("type") in ("user", "lead", "contact"):
        requester = Requester(id=external_id(author["id"], "source.author.id") if author.get("id") else None,
                              name=(author.get("name") or None), email=(author.get("email") or None))
    tags_obj = conv.get("tags")
    tag_items = tags_obj.get("tags") if isinstance(tags_obj, Mapping) else tags_obj
    tags = clean_tags(t.get("name") for t in tag_items or [] if isinstance(t, Mapping) and t.get("name"))
    custom = obj(conv.get("custom_attributes"))
    state = conv.get("state") or ("open" if conv.get("open") else None)
    role, public = TOPIC_AUTHORS.get(topic, (None, None))
    if role is AuthorRole.agent and part and obj(part.get("author")).get("type") == "bot":
        role = AuthorRole.system  # Fin and workflows reply as bots: not a first response by a person
    return [TicketEvent(
        tenant_id=tenant,
        source=Source.intercom,
        ticket_id=ticket_id,
        event_id=event_id("intercom", tenant, ticket_id, updated.isoformat(), topic),
        event_type=event_type,
        occurred_at=updated,
        ticket_created_at=created,
        subject=html_to_text(source.get("subject") or conv.get("title") or "")[:MAX_SUBJECT_CHARS],
        body=html_to_text(body_html)[:MAX_BODY_CHARS],
        requester=requester,
        channel=Channel.email if source.get("delivered_as") == "customer_initiated" and source.get("type") == "email"
        else Channel.chat,
        priority=Priority.high if conv.get("priority") == "priority" else None,
        status=enums.status(state),
        tags=tags,
        custom_fields=merge_custom(
            {f"intercom.{k}": v if v is None or isinstance(v, str | int | float | bool) else str(v)
             for k, v in custom.items()},
        ),
        raw_attributes=raw_attributes({**conv, **{f"webhook.{k}": v for k, v in payload.items() if k != "data"}},
                                      KNOWN),
        author_role=role,
        comment_public=public,
    )]
