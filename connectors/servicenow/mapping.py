"""ServiceNow incident record → TicketEvent: outbound REST message bodies and Table API rows share the fields.

Reference fields arrive as `{"link": …, "value": …}` from the Table API and as plain values from a REST
message; both are read. Event id: `sys_id` + `sys_updated_on` (UTC `YYYY-MM-DD HH:MM:SS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from connectors import enums
from connectors.common import (
    MappingError,
    authored_comment_part,
    event_id,
    external_id,
    merge_custom,
    parse_time,
    raw_attributes,
)
from schemas import Channel, EventType, Priority, Requester, Source, Status, TicketEvent
from schemas.events import MAX_BODY_CHARS, MAX_SUBJECT_CHARS

STATE = {"1": Status.new, "2": Status.open, "3": Status.on_hold, "6": Status.solved, "7": Status.closed,
         "8": Status.closed}
PRIORITY = {"1": Priority.urgent, "2": Priority.high, "3": Priority.normal, "4": Priority.low, "5": Priority.low}
CONTACT = {"email": Channel.email, "phone": Channel.phone, "self-service": Channel.web, "chat": Channel.chat,
           "walk-in": Channel.other, "virtual_agent": Channel.chat}
KNOWN = {"sys_id", "number", "short_description", "description", "state", "priority", "sys_updated_on",
         "sys_created_on", "assignment_group", "caller_id", "contact_type", "comments", "work_notes", "event"}


def _value(value: Any) -> Any:
    if isinstance(value, Mapping):
        return value.get("display_value") or value.get("value")
    return value


def map_record(tenant: str, record: Any, event_hint: str | None = None) -> TicketEvent:
    if not isinstance(record, Mapping):
        raise MappingError("body must be a JSON object")
    rec: Mapping[str, Any] = record["result"] if isinstance(record.get("result"), Mapping) else record
    sys_id = external_id(_value(rec.get("sys_id")), "sys_id")
    updated_raw = _value(rec.get("sys_updated_on")) or _value(rec.get("sys_created_on"))
    updated = parse_time(updated_raw, "sys_updated_on")
    created_raw = _value(rec.get("sys_created_on"))
    state = STATE.get(str(_value(rec.get("state")) or ""))
    role, public = enums.comment_author(event_hint)
    if event_hint in ("inserted", "insert", "created"):
        event_type = EventType.created
    elif role is not None:  # a business rule on a journal field said who wrote it (docs/connectors.md)
        event_type = EventType.comment_added
    elif state is Status.solved:
        event_type = EventType.solved
    elif state is Status.closed:
        event_type = EventType.closed
    else:
        event_type = EventType.created if created_raw and created_raw == updated_raw else EventType.updated
    caller = _value(rec.get("caller_id"))
    body = _value(rec.get("comments")) or _value(rec.get("description")) or ""
    return TicketEvent(
        tenant_id=tenant, source=Source.servicenow, ticket_id=sys_id,
        event_id=event_id("servicenow", tenant, sys_id, updated.isoformat(), *authored_comment_part(role, event_hint)),
        event_type=event_type, occurred_at=updated,
        ticket_created_at=parse_time(created_raw, "sys_created_on") if created_raw else None,
        subject=str(_value(rec.get("short_description")) or "")[:MAX_SUBJECT_CHARS],
        body=str(body)[:MAX_BODY_CHARS],
        requester=Requester(id=external_id(caller, "caller_id")) if caller else None,
        channel=CONTACT.get(str(_value(rec.get("contact_type")) or "").lower(), Channel.other),
        priority=PRIORITY.get(str(_value(rec.get("priority")) or "")), status=state,
        queue=str(_value(rec.get("assignment_group")))[:256] if rec.get("assignment_group") else None,
        custom_fields=merge_custom({"servicenow.number": _value(rec.get("number"))}),
        raw_attributes=raw_attributes(rec, KNOWN),
        author_role=role,
        comment_public=public,
    )
