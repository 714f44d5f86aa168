"""Helpers every source mapping shares: deterministic ids, timestamps, raw attributes, enum mapping."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from pydantic import JsonValue

from schemas.events import MAX_CUSTOM_FIELDS, MAX_RAW_ATTRIBUTES_BYTES, CustomValue

OMITTED_KEY = "_ticketstream_omitted"
"""Key in `raw_attributes` listing unmapped fields too large to keep within the schema's size cap."""

_ID_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


class MappingError(ValueError):
    """The payload lacks a field the mapping needs; the message names it (never its value)."""


def event_id(source: str, tenant: str, *parts: object) -> str:
    """Deterministic event id from the helpdesk's own ids and timestamps: a redelivery maps to the same id."""
    raw = "\x1f".join([source, tenant, *(str(p) for p in parts)]).encode("utf-8")
    return hashlib.sha256(raw).hexdigest()[:32]


def authored_comment_part(role: object, ref: object) -> list[str]:
    """The extra event-id part of a comment whose author is known. The plain "updated" event of the same change has
    the same ticket and time; without this part the comment would look like its redelivery and a first response
    would be lost. Nothing for other events, so their ids stay what they were."""
    return [f"comment:{ref}"] if role is not None else []


def external_id(value: object, field: str) -> str:
    """A helpdesk id as a TicketEvent id: no whitespace or colons, at most 128 characters."""
    if value is None or value == "":
        raise MappingError(f"{field} is missing")
    text = _ID_SAFE.sub("_", str(value))
    if len(text) > 128:
        text = text[:95] + "~" + hashlib.sha256(text.encode()).hexdigest()[:32]
    return text


def parse_time(value: object, field: str) -> datetime:
    """ISO 8601, `YYYY-MM-DD HH:MM:SS` (ServiceNow, UTC), or unix seconds/milliseconds."""
    if value is None or value == "":
        raise MappingError(f"{field} is missing")
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
        return datetime.fromtimestamp(number / 1000.0 if number > 1e11 else number, UTC)
    text = str(value).strip()
    if text.isdigit():
        return parse_time(int(text), field)
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f%z")
        except ValueError as exc:
            raise MappingError(f"{field} is not a timestamp") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def raw_attributes(data: Mapping[str, Any], known: Iterable[str],
                   budget: int = MAX_RAW_ATTRIBUTES_BYTES - 1_024) -> dict[str, JsonValue]:
    """Payload fields the mapping does not use, kept as sent for `TicketEvent.raw_attributes`.

    Whole fields are kept in name order while their compact JSON fits `budget` (below the schema's cap, so a
    large payload never makes the event invalid); the names of fields that did not fit are listed under
    `OMITTED_KEY`, so a reader can tell a field was too large from one that was never sent.
    """
    skip = set(known)
    out: dict[str, JsonValue] = {}
    omitted: list[str] = []
    used = 2
    for key in sorted(data, key=str):
        if key in skip:
            continue
        name = str(key)[:200]
        try:
            value: JsonValue = json.loads(json.dumps(data[key], allow_nan=False, default=str))
            size = len(json.dumps({name: value}, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
        except (TypeError, ValueError, UnicodeEncodeError):
            omitted.append(name)
            continue
        if used + size > budget:
            omitted.append(name)
            continue
        out[name] = value
        used += size
    if omitted:
        out[OMITTED_KEY] = list[JsonValue](omitted[:50])
    return out


def merge_custom(*parts: Mapping[str, CustomValue], limit: int = MAX_CUSTOM_FIELDS) -> dict[str, CustomValue]:
    out: dict[str, CustomValue] = {}
    for part in parts:
        for key, value in part.items():
            if len(out) >= limit:
                return out
            if isinstance(value, str) and len(value) > 2_000:
                value = value[:2_000]
            out[key[:100]] = value
    return out


def clean_tags(tags: Iterable[object]) -> list[str]:
    seen: dict[str, None] = {}
    for tag in tags:
        text = str(tag).strip()
        if text:
            seen[text[:100]] = None
    return list(seen)[:50]


def truncate(text: str | None, limit: int) -> str:
    return (text or "")[:limit]


def obj(value: Any) -> Mapping[str, Any]:
    """`value` when it is a JSON object, else an empty one: payload fields may be absent or of another type."""
    return value if isinstance(value, Mapping) else {}
