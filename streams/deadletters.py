"""Building dead letters: the original bytes, the stage, and a reason that never quotes ticket text."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from schemas import DeadLetter

_ID_FIELDS = ("tenant_id", "ticket_id", "event_id")


def _ids_from_payload(payload: bytes) -> dict[str, str | None]:
    """Best-effort ids of a message that failed validation, so an operator can find its ticket."""
    ids: dict[str, str | None] = dict.fromkeys(_ID_FIELDS)
    if len(payload) > 1_000_000:
        return ids
    try:
        data: Any = json.loads(payload)
    except (ValueError, UnicodeDecodeError):
        return ids
    if isinstance(data, dict):
        for name in _ID_FIELDS:
            value = data.get(name)
            if isinstance(value, str) and 0 < len(value) <= 128 and value.isprintable():
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError:
                    continue
                ids[name] = value
    return ids


def make_dead_letter(
    *,
    stage: str,
    reason: str,
    error_type: str,
    payload: bytes,
    topic: str,
    partition: int,
    offset: int,
    key: bytes | None,
    attempt: int = 1,
) -> DeadLetter:
    ids = _ids_from_payload(payload)
    return DeadLetter(
        stage=stage,
        reason=reason[:4000] or "unknown",
        error_type=error_type[:128],
        attempt=attempt,
        topic=topic,
        partition=partition,
        offset=offset,
        key=key.decode("utf-8", "replace")[:300] if key is not None else None,
        payload_b64=DeadLetter.encode_payload(payload),
        failed_at=datetime.now(UTC),
        tenant_id=ids["tenant_id"],
        ticket_id=ids["ticket_id"],
        event_id=ids["event_id"],
    )
