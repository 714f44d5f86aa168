"""Jira Service Management webhook → TicketEvent.

Body: `{"timestamp": <ms>, "webhookEvent": "jira:issue_created" | "jira:issue_updated" | "comment_created",
"issue": {"id", "key", "fields": {"summary", "description", "priority": {"name"}, "status": {"name"},
"labels", "created", "updated", "reporter": {...}}}, "comment": {...}}`. Descriptions in Atlassian Document
Format (REST v3) are flattened to text. Event id: issue id + `fields.updated` + webhook event (+ comment id).
A comment's author (`comment.author.accountType`) and `comment.jsdPublic` (the service-project "reply to
customer" vs "internal note") become `author_role` and `comment_public`.
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
from schemas import AuthorRole, Channel, EventType, Requester, Source, TicketEvent
from schemas.events import MAX_BODY_CHARS, MAX_SUBJECT_CHARS

EVENTS = {"jira:issue_created": EventType.created, "jira:issue_updated": EventType.updated,
          "comment_created": EventType.comment_added, "comment_updated": EventType.comment_added}
ACCOUNT_ROLES = {"customer": AuthorRole.requester, "atlassian": AuthorRole.agent, "app": AuthorRole.system}
"""`comment.author.accountType`: a portal customer, a licensed user (an agent in a service project), an app."""
KNOWN = {"summary", "description", "priority", "status", "labels", "created", "updated", "reporter", "issuetype"}


def adf_text(node: Any) -> str:
    """Plain text of an Atlassian Document Format node (or a v2 string)."""
    if node is None:
        return ""
    if isinstance(node, str):
        return node
    if isinstance(node, Mapping):
        if node.get("type") == "text":
            return str(node.get("text", ""))
        inner = "".join(adf_text(c) for c in node.get("content") or [])
        return inner + ("\n" if node.get("type") in ("paragraph", "heading", "listItem") else "")
    if isinstance(node, list):
        return "".join(adf_text(c) for c in node)
    return ""


def _name(value: Any) -> Any:
    return value.get("name") if isinstance(value, Mapping) else value


def map_webhook(tenant: str, payload: Any) -> list[TicketEvent]:
    if not isinstance(payload, Mapping):
        raise MappingError("body must be a JSON object")
    issue = payload.get("issue")
    if not isinstance(issue, Mapping):
        raise MappingError("issue is missing")
    fields = obj(issue.get("fields"))
    ticket_id = external_id(issue.get("key") or issue.get("id"), "issue.key")
    webhook_event = str(payload.get("webhookEvent") or "")
    updated = parse_time(fields.get("updated") or payload.get("timestamp"), "issue.fields.updated")
    comment = payload.get("comment") if isinstance(payload.get("comment"), Mapping) else None
    event_type = EVENTS.get(webhook_event, EventType.updated)
    status = enums.status(_name(fields.get("status")))
    reporter = fields.get("reporter") if isinstance(fields.get("reporter"), Mapping) else None
    body = adf_text(comment.get("body")) if comment else adf_text(fields.get("description"))
    author = obj(comment.get("author")) if comment else {}
    role = ACCOUNT_ROLES.get(str(author.get("accountType") or "")) if comment else None
    if role is not None and reporter and author.get("accountId") and author.get("accountId") == reporter.get(
            "accountId"):
        role = AuthorRole.requester  # an employee on an internal service desk is "atlassian" but is the customer
    public = comment.get("jsdPublic") if comment and isinstance(comment.get("jsdPublic"), bool) else None
    extra = {k: v for k, v in fields.items() if not str(k).startswith("customfield_")}
    custom = {f"jira.{k}": _name(v) if not isinstance(_name(v), Mapping | list) else str(_name(v))
              for k, v in fields.items() if str(k).startswith("customfield_") and v is not None}
    return [TicketEvent(
        tenant_id=tenant, source=Source.jira, ticket_id=ticket_id,
        event_id=event_id("jira", tenant, issue.get("id") or ticket_id, updated.isoformat(), webhook_event,
                          comment.get("id") if comment else ""),
        event_type=event_type, occurred_at=updated,
        ticket_created_at=parse_time(fields["created"], "issue.fields.created") if fields.get("created") else None,
        subject=str(fields.get("summary") or "")[:MAX_SUBJECT_CHARS], body=body[:MAX_BODY_CHARS],
        requester=Requester(id=external_id(reporter.get("accountId"), "reporter.accountId")
                            if reporter.get("accountId") else None,
                            name=reporter.get("displayName") or None, email=reporter.get("emailAddress") or None)
        if reporter else None,
        channel=Channel.web, priority=enums.priority(_name(fields.get("priority"))), status=status,
        tags=clean_tags(fields.get("labels") or []),
        custom_fields=merge_custom(custom),
        raw_attributes=raw_attributes({**extra, **{f"webhook.{k}": v for k, v in payload.items() if k != "issue"}},
                                      KNOWN),
        author_role=role,
        comment_public=public,
    )]
