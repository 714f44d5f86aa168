"""Actions the pipeline asks a helpdesk to apply, carried on the outbound topic."""

from __future__ import annotations

import hashlib
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field

from schemas.base import SCHEMA_VERSION, ExternalId, TenantId, WireModel
from schemas.events import MAX_CUSTOM_FIELDS, CustomValue, Priority, Source, Tag


class OutboundKind(StrEnum):
    add_tags = "add_tags"
    set_priority = "set_priority"
    internal_note = "internal_note"
    escalate = "escalate"
    set_custom_fields = "set_custom_fields"


class OutboundAction(WireModel):
    schema_version: Literal[1] = SCHEMA_VERSION
    action_id: Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]
    tenant_id: TenantId
    source: Source
    ticket_id: ExternalId
    event_id: ExternalId
    kind: OutboundKind
    tags: list[Tag] = Field(default_factory=list)
    priority: Priority | None = None
    note: Annotated[str, Field(max_length=4_000)] | None = None
    custom_fields: dict[Annotated[str, Field(min_length=1, max_length=100)], CustomValue] = Field(
        default_factory=dict, max_length=MAX_CUSTOM_FIELDS,
        description="set_custom_fields: helpdesk field name (Zendesk: numeric field id) -> value.")
    created_at: datetime

    @staticmethod
    def idempotency_key(tenant_id: str, ticket_id: str, event_id: str, kind: OutboundKind) -> str:
        """Same event and action give the same key, so a redelivered action is applied once."""
        raw = f"{tenant_id}\x1f{ticket_id}\x1f{event_id}\x1f{kind.value}".encode()
        return hashlib.sha256(raw).hexdigest()[:32]

    @property
    def key(self) -> str:
        return f"{self.tenant_id}:{self.ticket_id}"
