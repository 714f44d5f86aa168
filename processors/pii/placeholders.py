"""Placeholders already in a text, kept as they are when the PII stage runs over it again.

ClickHouse holds redacted text only, so `ticketstream replay --from-clickhouse` feeds `<PERSON_1>`,
`<EMAIL_ADDRESS:3f2a…>` (hash mode) or `<PERSON_1 vault=k1:…>` tokens back into this stage. Measured on the
demo feed, hash tokens were taken for names and cut apart, and a newly found value was numbered `<PERSON_1>`
next to an existing `<PERSON_1>` of another person. So on replayed events (they carry a replay stamp) a
detection touching a token is dropped, and new numbers continue after the highest number the event's texts
already use. Live events are redacted exactly as before: a customer could write `<SMITH>` in a live ticket.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["PLACEHOLDER_TOKEN", "inside_placeholder", "numbers_in_use", "token_spans"]

PLACEHOLDER_TOKEN = re.compile(
    r"<(?P<entity>[A-Z][A-Z0-9_]*?)(?:_(?P<number>\d+))?"
    r"(?::[0-9a-f]{16}| vault=[A-Za-z0-9_-]{1,16}:[A-Za-z0-9_-]+)?>"
)
"""Every form the stage writes: `<TYPE>`, `<TYPE_n>`, `<TYPE:hash16>`, `<TYPE_n vault=key:data>`."""


def token_spans(text: str) -> list[tuple[int, int]]:
    """Where the placeholder tokens of `text` are, as (start, end)."""
    return [m.span() for m in PLACEHOLDER_TOKEN.finditer(text)] if "<" in text else []


def inside_placeholder(tokens: list[tuple[int, int]], start: int, end: int) -> bool:
    """True when [start, end) overlaps a placeholder token of the text (see `token_spans`)."""
    return any(start < t_end and t_start < end for t_start, t_end in tokens)


def numbers_in_use(texts: Iterable[str]) -> dict[str, int]:
    """Highest placeholder number per entity type in `texts`, e.g. {"PERSON": 2} for `<PERSON_2>`."""
    highest: dict[str, int] = {}
    for text in texts:
        if "<" not in text:
            continue
        for match in PLACEHOLDER_TOKEN.finditer(text):
            if match["number"] is not None:
                entity, number = match["entity"], int(match["number"])
                highest[entity] = max(highest.get(entity, 0), number)
    return highest
