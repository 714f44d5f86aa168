"""Mapping of wire models to ClickHouse rows: the only place that decides what is stored.

Only fields of `EnrichedTicket` (already redacted) are stored; requester id, custom fields and PII span
offsets are left out. Dead letters lose their payload, which may hold the original text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from schemas import DeadLetter, EnrichedTicket

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
