"""Mapping of wire models to ClickHouse rows: the only place that decides what is stored.

Only fields of `EnrichedTicket` (already redacted) are stored; requester id, custom fields and PII span
offsets are left out. Dead letters lose their payload, which may hold the original text. LLM calls keep
counts, cost and latency, never prompt or answer text.

Replayed results (`EnrichedTicket.replay`) go to `ticket_event_versions` only, beside the live ones, unless
the replay was run with `--live`: see `is_live` on EnrichedTicket and docs/replay.md.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from schemas import DeadLetter, EnrichedTicket, LlmCall

EVENT_COLUMNS: tuple[str, ...] = (
    "tenant_id",
    "source",
    "ticket_id",
    "event_id",
    "event_type",
    "occurred_at",
    "ticket_created_at",
    "subject",
    "body",
    "channel",
    "priority",
    "status",
    "queue",
    "tags",
    "language",
    "language_confidence",
    "category",
    "category_confidence",
    "category_backend",
    "intent",
    "intent_confidence",
    "intent_backend",
    "priority_pred",
    "priority_pred_confidence",
    "sentiment",
    "sentiment_confidence",
    "summary",
    "sla_policy",
    "sla_priority",
    "first_response_due",
    "resolution_due",
    "breach_probability",
    "risk_level",
    "classifier_version",
    "sla_model_version",
    "pipeline_version",
    "pii_span_count",
    "pii_types",
    "version",
)

DEAD_LETTER_COLUMNS: tuple[str, ...] = (
    "stage",
    "reason",
    "error_type",
    "attempt",
    "topic",
    "partition",
    "offset",
    "tenant_id",
    "ticket_id",
    "event_id",
    "failed_at",
)


def to_utc_ms(value: datetime) -> datetime:
    """Aware UTC datetime truncated to ms, the precision of the DateTime64(3) columns; naive means UTC.

    Truncating here makes both clients store exactly the same value and makes reads compare equal.
    """
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


def _opt_time(value: datetime | None) -> datetime | None:
    return None if value is None else to_utc_ms(value)


def event_row(ticket: EnrichedTicket, version: int) -> tuple[Any, ...]:
    """One `ticket_events` row, in `EVENT_COLUMNS` order."""
    c = ticket.classification
    sla = ticket.sla
    return (
        ticket.tenant_id,
        ticket.source.value,
        ticket.ticket_id,
        ticket.event_id,
        ticket.event_type.value,
        to_utc_ms(ticket.occurred_at),
        _opt_time(ticket.ticket_created_at),
        ticket.subject,
        ticket.body,
        ticket.channel.value,
        None if ticket.priority is None else ticket.priority.value,
        None if ticket.status is None else ticket.status.value,
        ticket.queue,
        list(ticket.tags),
        ticket.language.code,
        ticket.language.confidence,
        c.category.label,
        c.category.confidence,
        c.category.backend,
        c.intent.label,
        c.intent.confidence,
        c.intent.backend,
        None if c.priority is None else c.priority.label,
        None if c.priority is None else c.priority.confidence,
        None if c.sentiment is None else c.sentiment.label,
        None if c.sentiment is None else c.sentiment.confidence,
        c.summary,
        sla.policy,
        sla.priority,
        to_utc_ms(sla.first_response_due),
        to_utc_ms(sla.resolution_due),
        sla.breach_probability,
        sla.risk_level.value,
        c.model_version,
        sla.model_version,
        ticket.pipeline_version,
        len(ticket.pii_spans),
        sorted({span.entity_type for span in ticket.pii_spans}),
        version,
    )


def dead_letter_row(letter: DeadLetter) -> tuple[Any, ...]:
    """One `dead_letters` row, in `DEAD_LETTER_COLUMNS` order; the payload is deliberately absent."""
    return (
        letter.stage,
        letter.reason,
        letter.error_type,
        letter.attempt,
        letter.topic,
        letter.partition,
        letter.offset,
        letter.tenant_id,
        letter.ticket_id,
        letter.event_id,
        to_utc_ms(letter.failed_at),
    )


def rows_token(table: str, rows: Sequence[Sequence[Any]], skip_last: int = 0) -> str:
    """Insert deduplication token: a hash of the table and the rows' content.

    `skip_last` leaves out trailing columns that differ between attempts (the write-time version), so
    a retried identical batch gets the same token and is dropped by the engine.
    """
    digest = hashlib.sha256(table.encode())
    for row in rows:
        values = row[: len(row) - skip_last] if skip_last else row
        digest.update(repr(tuple(values)).encode("utf-8", errors="replace"))
        digest.update(b"\x1e")
    return digest.hexdigest()


LLM_CALL_COLUMNS: tuple[str, ...] = (
    "call_id",
    "tenant_id",
    "ticket_id",
    "event_id",
    "backend",
    "model",
    "started_at",
    "latency_ms",
    "input_tokens",
    "output_tokens",
    "cache_read_tokens",
    "cache_write_tokens",
    "cost_usd",
    "outcome",
    "error_type",
    "attempt",
    "fields",
)


def llm_call_row(call: LlmCall) -> tuple[Any, ...]:
    """One `llm_calls` row, in `LLM_CALL_COLUMNS` order."""
    return (
        call.call_id,
        call.tenant_id,
        call.ticket_id,
        call.event_id,
        call.backend,
        call.model,
        to_utc_ms(call.started_at),
        call.latency_ms,
        call.input_tokens,
        call.output_tokens,
        call.cache_read_tokens,
        call.cache_write_tokens,
        call.cost_usd,
        call.outcome,
        call.error_type,
        call.attempt,
        list(call.fields),
    )


Probability = Annotated[float, Field(ge=0.0, le=1.0)]
_TENANT = r"^[a-z0-9][a-z0-9_-]{0,63}$"
_EXTERNAL_ID = r"^[^\s:]+$"


class SlaOutcome(BaseModel):
    """How a solved ticket did against its SLA, next to what the model predicted (`sla_outcomes` row).

    Lives here until the SLA stage emits it on a topic; then it moves to schemas/.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    tenant_id: Annotated[str, Field(pattern=_TENANT)]
    ticket_id: Annotated[str, Field(min_length=1, max_length=128, pattern=_EXTERNAL_ID)]
    event_id: Annotated[str, Field(min_length=1, max_length=128, pattern=_EXTERNAL_ID)]
    """The event that solved the ticket."""
    solved_at: AwareDatetime
    priority: Annotated[str, Field(min_length=1, max_length=64)]
    policy: Annotated[str, Field(min_length=1, max_length=64)]
    queue: Annotated[str, Field(max_length=256)] | None = None
    met_first_response: bool | None = None
    """None when the helpdesk reported no first response."""
    met_resolution: bool
    predicted_breach_at_creation: Probability | None = None
    predicted_breach_last: Probability | None = None
    """The breach probability of the last prediction before the ticket was solved."""


SLA_OUTCOME_COLUMNS: tuple[str, ...] = (
    "tenant_id",
    "ticket_id",
    "event_id",
    "solved_at",
    "priority",
    "policy",
    "queue",
    "met_first_response",
    "met_resolution",
    "predicted_breach_at_creation",
    "predicted_breach_last",
)


def sla_outcome_row(outcome: SlaOutcome) -> tuple[Any, ...]:
    """One `sla_outcomes` row, in `SLA_OUTCOME_COLUMNS` order."""
    return (
        outcome.tenant_id,
        outcome.ticket_id,
        outcome.event_id,
        to_utc_ms(outcome.solved_at),
        outcome.priority,
        outcome.policy,
        outcome.queue,
        outcome.met_first_response,
        outcome.met_resolution,
        outcome.predicted_breach_at_creation,
        outcome.predicted_breach_last,
    )


def offsets_token(topic: str, partition_offsets: Mapping[int, Iterable[int]]) -> str:
    """Insert deduplication token of a batch read from Kafka: topic, and each partition's offsets.

    The same messages give the same token however they are ordered in the batch, so a batch that is
    re-consumed after a crash (before its offsets were committed) and inserted again is dropped by
    ClickHouse. `partition_offsets` maps a partition to the offsets of the batch's messages in it.
    """
    if not topic:
        raise ValueError("offsets_token: topic must not be empty")
    digest = hashlib.sha256(b"kafka\x1f" + topic.encode("utf-8"))
    parts = 0
    for partition in sorted(partition_offsets):
        offsets = sorted(set(partition_offsets[partition]))
        if not offsets:
            continue
        if offsets[0] < 0:
            raise ValueError(f"offsets_token: negative offset {offsets[0]} in partition {partition}")
        parts += 1
        digest.update(f"\x1e{partition}:".encode())
        digest.update(",".join(map(str, offsets)).encode())
    if parts == 0:
        raise ValueError("offsets_token: no offsets given")
    return f"{topic}:{digest.hexdigest()[:40]}"


def sla_outcome_of(ticket: EnrichedTicket) -> SlaOutcome | None:
    """The `sla_outcomes` row of a solved or closed live event (the SLA stage set `sla.resolution_met`), else None.

    `predicted_breach_last` is this event's own prediction; the creation-time prediction is not known to a single
    event (NULL), and `ticketstream train sla --from-clickhouse` joins it from `ticket_events`. `met_first_response`
    comes from the SLA stage's state (the earliest agent public comment it saw); NULL when none was seen, which
    includes helpdesks whose events do not say who wrote a comment.
    """
    sla = ticket.sla
    if sla.resolution_met is None or not ticket.is_live:  # a replay's prediction must not replace the live one
        return None
    return SlaOutcome(tenant_id=ticket.tenant_id, ticket_id=ticket.ticket_id, event_id=ticket.event_id,
                      solved_at=ticket.occurred_at, priority=sla.priority, policy=sla.policy, queue=ticket.queue,
                      met_resolution=sla.resolution_met, met_first_response=sla.first_response_met,
                      predicted_breach_last=sla.breach_probability)
