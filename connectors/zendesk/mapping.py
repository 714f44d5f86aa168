"""Zendesk payload → TicketEvent: the one place that knows Zendesk's ticket fields.

Accepted shapes (all map through `map_ticket`):
- the trigger/automation webhook body this project documents (docs/connectors.md): `{"event": ..., "ticket": {...}}`
  built from Zendesk placeholders such as `{{ticket.id}}`, `{{ticket.updated_at_with_timestamp}}`;
- event-subscription webhooks (`{"type": "zen:event-type:ticket.…", "id", "time", "detail": {...}}`);
- ticket objects of the Incremental Ticket Export API (`GET /api/v2/incremental/tickets/cursor.json`).

The event id is derived from the ticket id and its `updated_at`, so a webhook and the backfill poller that
see the same change produce the same event id, and a redelivered webhook does too.
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
    parse_time,
    raw_attributes,
    truncate,
)
from schemas import AuthorRole, EventType, Requester, Source, Status, TicketEvent
from schemas.events import MAX_BODY_CHARS, MAX_SUBJECT_CHARS

KNOWN = {"id", "subject", "raw_subject", "title", "description", "latest_comment", "comment", "status", "priority",
         "tags", "via", "channel", "group", "group_name", "created_at", "updated_at", "requester", "requester_id",
         "custom_fields", "url", "fields"}


def _tags(value: Any) -> list[str]:
    if isinstance(value, str):  # {{ticket.tags}} renders space-separated
        return clean_tags(value.split())
    if isinstance(value, list):
        return clean_tags(value)
    return []


def _channel(ticket: Mapping[str, Any]) -> Any:
    via = ticket.get("via")
    if isinstance(via, Mapping):
        return via.get("channel")
    return via if via is not None else ticket.get("channel")


def _custom_fields(value: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if isinstance(value, list):
        for item in value:
            if isinstance(item, Mapping) and item.get("id") is not None:
                v = item.get("value")
                out[f"zendesk.{item['id']}"] = v if v is None or isinstance(v, str | int | float | bool) else str(v)
    elif isinstance(value, Mapping):
        for k, v in value.items():
            out[f"zendesk.{k}"] = v if v is None or isinstance(v, str | int | float | bool) else str(v)
    return out


def _event_type(hint: Any, ticket: Mapping[str, Any], status: Status | None) -> EventType:
    explicit = enums.event_type(hint)
    if explicit is not None:
        return explicit
    if isinstance(hint, str) and hint.startswith("zen:event-type:ticket."):
        kind = hint.rsplit(".", 1)[-1].lower()
        if kind == "created":
            return EventType.created
        if "comment" in kind:
            return EventType.comment_added
        if "assignee" in kind or "group" in kind:
            return EventType.assigned
    if status is Status.solved:
        return EventType.solved
    if status is Status.closed:
        return EventType.closed
    if ticket.get("created_at") and ticket.get("created_at") == ticket.get("updated_at"):
        return EventType.created
    return EventType.updated


def _subscription_comment(envelope: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """`event.comment` of a `ticket.comment_added` event subscription, if the body has one."""
    event = (envelope or {}).get("event")
    comment = event.get("comment") if isinstance(event, Mapping) else None
    return comment if isinstance(comment, Mapping) else None


def _comment_author(comment: Mapping[str, Any] | None) -> tuple[AuthorRole | None, bool | None]:
    """A subscription comment's `author.is_staff` and `is_public`."""
    if comment is None:
        return None, None
    author = comment.get("author")
    staff = author.get("is_staff") if isinstance(author, Mapping) else None
    role = None if not isinstance(staff, bool) else AuthorRole.agent if staff else AuthorRole.requester
    public = comment.get("is_public")
    return role, public if isinstance(public, bool) else None


def map_ticket(tenant: str, ticket: Mapping[str, Any], event_hint: Any = None,
               envelope: Mapping[str, Any] | None = None) -> TicketEvent:
    """`envelope`: the webhook's own fields around the ticket, kept as `webhook.<name>` raw attributes."""
    ticket_id = external_id(ticket.get("id"), "ticket.id")
    updated = parse_time(ticket.get("updated_at") or ticket.get("created_at"), "ticket.updated_at")
    created = parse_time(ticket["created_at"], "ticket.created_at") if ticket.get("created_at") else None
    status = enums.status(ticket.get("status"))
    requester = ticket.get("requester")
    req: Requester | None = None
    if isinstance(requester, Mapping):
        req = Requester(id=external_id(requester["id"], "ticket.requester.id") if requester.get("id") else None,
                        name=truncate(requester.get("name"), 256) or None,
                        email=truncate(requester.get("email"), 256) or None)
    elif ticket.get("requester_id") is not None:
        req = Requester(id=external_id(ticket["requester_id"], "ticket.requester_id"))
    body = ticket.get("latest_comment") or ticket.get("comment") or ticket.get("description") or ""
    if isinstance(body, Mapping):
        body = body.get("body") or body.get("plain_body") or ""
    comment = _subscription_comment(envelope)
    role, public = _comment_author(comment)
    if role is None:  # a trigger body: its `event` hint may say (docs/connectors.md, one trigger per kind)
        role, public = enums.comment_author(event_hint)
    if comment is not None and isinstance(comment.get("body"), str) and comment["body"]:
        body = comment["body"]  # the comment this event is about, not the ticket's description
    comment_ref = comment.get("id") if comment is not None and comment.get("id") else event_hint
    return TicketEvent(
        tenant_id=tenant,
        source=Source.zendesk,
        ticket_id=ticket_id,
        event_id=event_id("zendesk", tenant, ticket_id, updated.isoformat(), *authored_comment_part(role, comment_ref)),
        event_type=_event_type(event_hint, ticket, status),
        occurred_at=updated,
        ticket_created_at=created,
        subject=truncate(str(ticket.get("subject") or ticket.get("raw_subject") or ticket.get("title") or ""),
                         MAX_SUBJECT_CHARS),
        body=truncate(str(body), MAX_BODY_CHARS),
        requester=req,
        channel=enums.channel(_channel(ticket)),
        priority=enums.priority(ticket.get("priority")),
        status=status,
        queue=truncate(str(ticket.get("group_name") or ticket.get("group") or ""), 256) or None,
        tags=_tags(ticket.get("tags")),
        custom_fields=merge_custom(_custom_fields(ticket.get("custom_fields") or ticket.get("fields"))),
        raw_attributes=raw_attributes({**ticket, **{f"webhook.{k}": v for k, v in (envelope or {}).items()}}, KNOWN),
        author_role=role,
        comment_public=public,
    )


def map_webhook(tenant: str, payload: Any) -> list[TicketEvent]:
    """A webhook body (trigger body or event subscription) → events."""
    if not isinstance(payload, Mapping):
        raise MappingError("body must be a JSON object")
    if isinstance(payload.get("ticket"), Mapping):
        return [map_ticket(tenant, payload["ticket"], payload.get("event"),
                           {k: v for k, v in payload.items() if k not in ("ticket", "event")})]
    if str(payload.get("type", "")).startswith("zen:event-type:ticket.") and isinstance(payload.get("detail"), Mapping):
        detail = dict(payload["detail"])
        detail.setdefault("updated_at", payload.get("time"))
        return [map_ticket(tenant, detail, payload.get("type"),
                           {k: v for k, v in payload.items() if k not in ("detail", "type", "time")})]
    raise MappingError("body has neither `ticket` nor a `zen:event-type:ticket.*` event with `detail`")
