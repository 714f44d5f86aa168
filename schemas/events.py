"""The inbound ticket event that connectors put on the inbound topic."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AwareDatetime,
    Field,
    JsonValue,
    StringConstraints,
    field_validator,
    model_validator,
)

from schemas.base import SCHEMA_VERSION, ExternalId, OmitsUnsetAdditions, ShortText, TenantId, WireModel
from schemas.replay import ReplayStamp

MAX_SUBJECT_CHARS = 1_000
MAX_BODY_CHARS = 64_000
MAX_TAGS = 50
MAX_CUSTOM_FIELDS = 50
MAX_RAW_ATTRIBUTES_BYTES = 32_768
"""Upper bound of `raw_attributes` as compact JSON (UTF-8), so one event stays well under MAX_MESSAGE_BYTES."""


class Source(StrEnum):
    zendesk = "zendesk"
    freshdesk = "freshdesk"
    intercom = "intercom"
    servicenow = "servicenow"
    jira = "jira"
    email = "email"


class EventType(StrEnum):
    created = "created"
    updated = "updated"
    comment_added = "comment_added"
    assigned = "assigned"
    solved = "solved"
    reopened = "reopened"
    closed = "closed"


class AuthorRole(StrEnum):
    """Who wrote what an event carries: the customer, an agent, or the helpdesk itself (automations)."""

    requester = "requester"
    agent = "agent"
    system = "system"


class Channel(StrEnum):
    email = "email"
    web = "web"
    chat = "chat"
    phone = "phone"
    api = "api"
    social = "social"
    other = "other"


class Priority(StrEnum):
    low = "low"
    normal = "normal"
    high = "high"
    urgent = "urgent"


class Status(StrEnum):
    new = "new"
    open = "open"
    pending = "pending"
    on_hold = "on_hold"
    solved = "solved"
    closed = "closed"


Tag = Annotated[str, StringConstraints(min_length=1, max_length=100)]
CustomValue = str | int | float | bool | None


class Requester(WireModel):
    """Who asked. Everything here but `id` is PII and is dropped by the PII stage."""

    id: ExternalId | None = None
    name: ShortText | None = None
    email: ShortText | None = None
    phone: ShortText | None = None


class TicketEvent(OmitsUnsetAdditions):
    schema_version: Literal[1] = SCHEMA_VERSION
    tenant_id: TenantId
    source: Source
    ticket_id: ExternalId
    event_id: ExternalId
    event_type: EventType
    occurred_at: AwareDatetime
    ticket_created_at: AwareDatetime | None = None
    subject: Annotated[str, StringConstraints(max_length=MAX_SUBJECT_CHARS)] = ""
    body: Annotated[str, StringConstraints(max_length=MAX_BODY_CHARS)] = ""
    requester: Requester | None = None
    channel: Channel = Channel.other
    priority: Priority | None = None
    status: Status | None = None
    queue: ShortText | None = None
    tags: list[Tag] = Field(default_factory=list, max_length=MAX_TAGS)
    custom_fields: dict[Annotated[str, StringConstraints(min_length=1, max_length=100)], CustomValue] = Field(
        default_factory=dict
    )
    raw_attributes: dict[Annotated[str, StringConstraints(min_length=1, max_length=200)], JsonValue] = Field(
        default_factory=dict,
        description="Payload fields the source mapping does not map, kept as sent. May hold PII: inbound topic "
        "only; the PII stage does not carry them into RedactedTicket.",
    )
    author_role: AuthorRole | None = None
    """Who wrote the comment of a `comment_added` event, where the helpdesk says (None: not known)."""
    comment_public: bool | None = None
    """Whether that comment is visible to the requester (False: an internal note). An agent's first public
    comment is the ticket's first response (the SLA stage's first-response outcome)."""
    replay: ReplayStamp | None = None
    """Set by `ticketstream replay` only (schemas/replay.py); absent on live events."""

    @field_validator("raw_attributes")
    @classmethod
    def _limit_raw_attributes(cls, value: dict[str, JsonValue]) -> dict[str, JsonValue]:
        size = len(json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False,
                              default=str).encode("utf-8", "surrogatepass"))
        if size > MAX_RAW_ATTRIBUTES_BYTES:
            raise ValueError(f"raw_attributes is {size} bytes as JSON, above the limit of {MAX_RAW_ATTRIBUTES_BYTES}")
        return value

    @field_validator("custom_fields")
    @classmethod
    def _limit_custom_fields(cls, value: dict[str, CustomValue]) -> dict[str, CustomValue]:
        if len(value) > MAX_CUSTOM_FIELDS:
            raise ValueError(f"at most {MAX_CUSTOM_FIELDS} custom fields, got {len(value)}")
        for key, item in value.items():
            if isinstance(item, str) and len(item) > 2_000:
                raise ValueError(f"custom field {key!r} is longer than 2000 characters")
        return value

    @model_validator(mode="after")
    def _valid_unicode(self) -> TicketEvent:
        """JSON may escape a lone UTF-16 surrogate (\\ud800) that no UTF-8 output can carry; refuse it here,
        where the event can be dead-lettered, instead of failing when a later stage writes it out."""
        try:
            self.model_dump_json()
        except ValueError as exc:
            raise ValueError("a text field holds a lone UTF-16 surrogate, which is not valid Unicode") from exc
        return self

    @property
    def key(self) -> str:
        """Kafka message key: all events of a ticket on one partition, in order."""
        return f"{self.tenant_id}:{self.ticket_id}"
