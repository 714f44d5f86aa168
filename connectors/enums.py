"""Helpdesk vocabularies mapped onto the TicketEvent enums, case-insensitively."""

from __future__ import annotations

from schemas import AuthorRole, Channel, EventType, Priority, Status

PRIORITY_WORDS: dict[str, Priority] = {
    "low": Priority.low, "normal": Priority.normal, "medium": Priority.normal, "high": Priority.high,
    "urgent": Priority.urgent, "highest": Priority.urgent, "critical": Priority.urgent, "lowest": Priority.low,
    "1": Priority.low, "2": Priority.normal, "3": Priority.high, "4": Priority.urgent,  # Freshdesk numbers
}
STATUS_WORDS: dict[str, Status] = {
    "new": Status.new, "open": Status.open, "pending": Status.pending, "hold": Status.on_hold,
    "on-hold": Status.on_hold, "on_hold": Status.on_hold, "on hold": Status.on_hold, "solved": Status.solved,
    "resolved": Status.solved, "closed": Status.closed, "snoozed": Status.pending, "in progress": Status.open,
    "waiting for support": Status.open, "waiting for customer": Status.pending, "done": Status.solved,
}
CHANNEL_WORDS: dict[str, Channel] = {
    "email": Channel.email, "mail": Channel.email, "web": Channel.web, "web_form": Channel.web,
    "web_widget": Channel.web, "portal": Channel.web, "chat": Channel.chat, "chat_transcript": Channel.chat,
    "messenger": Channel.chat, "voice": Channel.phone, "phone": Channel.phone, "api": Channel.api,
    "twitter": Channel.social, "facebook": Channel.social, "whatsapp": Channel.social, "instagram": Channel.social,
}
COMMENT_WORDS: dict[str, tuple[AuthorRole, bool]] = {
    "agent_replied": (AuthorRole.agent, True), "agent_reply": (AuthorRole.agent, True),
    "agent_noted": (AuthorRole.agent, False), "private_note": (AuthorRole.agent, False),
    "customer_replied": (AuthorRole.requester, True), "requester_replied": (AuthorRole.requester, True),
}
"""Event hints of the trigger/automation bodies docs/connectors.md gives (one rule per kind of comment, with the
helpdesk's own conditions — "comment is public", "current user is agent"): who wrote it, and whether public."""
EVENT_WORDS: dict[str, EventType] = {e.value: e for e in EventType} | {
    "create": EventType.created, "update": EventType.updated, "comment": EventType.comment_added,
    "reply": EventType.comment_added, "assignment": EventType.assigned, "reopen": EventType.reopened,
    "solve": EventType.solved, "close": EventType.closed,
} | dict.fromkeys(COMMENT_WORDS, EventType.comment_added)


def _word(value: object) -> str:
    return str(value).strip().lower() if value is not None else ""


def priority(value: object) -> Priority | None:
    return PRIORITY_WORDS.get(_word(value))


def status(value: object) -> Status | None:
    return STATUS_WORDS.get(_word(value))


def channel(value: object) -> Channel:
    return CHANNEL_WORDS.get(_word(value), Channel.other)


def event_type(value: object) -> EventType | None:
    return EVENT_WORDS.get(_word(value))


def comment_author(value: object) -> tuple[AuthorRole | None, bool | None]:
    """(author role, public) named by an event hint such as `agent_replied`; (None, None) when it names neither."""
    return COMMENT_WORDS.get(_word(value), (None, None))
