"""The ticket record after each stage. Each stage's output is the previous one plus its enrichment.

Only the PII stage sees a `TicketEvent` with raw text; every record from `RedactedTicket` on holds
redacted text and no requester name, email or phone.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AwareDatetime, Field

from schemas.base import SCHEMA_VERSION, ExternalId, OmitsUnsetAdditions, ShortText, TenantId
from schemas.enrichment import Classification, LanguageResult, PiiSpan, SlaPrediction
from schemas.events import AuthorRole, Channel, CustomValue, EventType, Priority, Source, Status, Tag
from schemas.replay import ReplayStamp


class RedactedTicket(OmitsUnsetAdditions):
    schema_version: Literal[1] = SCHEMA_VERSION
    tenant_id: TenantId
    source: Source
    ticket_id: ExternalId
    event_id: ExternalId
    event_type: EventType
    occurred_at: AwareDatetime
    ticket_created_at: AwareDatetime | None = None
    subject: str = ""
    body: str = ""
    requester_id: ExternalId | None = None
    channel: Channel = Channel.other
    priority: Priority | None = None
    status: Status | None = None
    queue: ShortText | None = None
    tags: list[Tag] = Field(default_factory=list)
    custom_fields: dict[str, CustomValue] = Field(default_factory=dict)
    pii_spans: Annotated[list[PiiSpan], Field(max_length=10_000)] = Field(default_factory=list)
    author_role: AuthorRole | None = None
    comment_public: bool | None = None
    replay: ReplayStamp | None = None
    """Carried from the TicketEvent by every stage: the replay's mark (schemas/replay.py), None when live."""

    @property
    def key(self) -> str:
        return f"{self.tenant_id}:{self.ticket_id}"


class DetectedTicket(RedactedTicket):
    language: LanguageResult


class ClassifiedTicket(DetectedTicket):
    classification: Classification


class EnrichedTicket(ClassifiedTicket):
    sla: SlaPrediction
    pipeline_version: Annotated[str, Field(max_length=64)]

    @property
    def is_live(self) -> bool:
        """A live event, or a replayed one whose results were asked to replace the live ones (`replay --live`)."""
        return self.replay is None or self.replay.live

    @property
    def may_act_on_helpdesk(self) -> bool:
        """Outbound actions only for live events and replays run with `--outbound`."""
        return self.replay is None or self.replay.outbound
