"""Every occurrence of a value once it is found anywhere in the text.

A value is often caught only where its context gives it away ("call me on 0049 157 19042562") and written again
where nothing does (the same number as a chat speaker, a quoted reply, a table cell). A value that is PII in one
place is PII everywhere in the ticket, so its other occurrences are redacted too. Names have their own rule
(`name_parts.repeated_parts`: their parts recur, not the whole); here only values that are unmistakable once
found — numbers, addresses, e-mail addresses, keys — of at least `MIN_CHARS` characters.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from itertools import accumulate

MIN_CHARS = 6
"""Shorter values ("12345") recur by chance as other numbers."""


Found = tuple[int, int, str, float]
"""start, end, entity, score"""


def repeated_values(text: str, spans: Iterable[Found]) -> list[Found]:
    """The other occurrences of the values at `spans`, outside every span given, with the entity and score of the
    first."""
    spans = list(spans)
    values: dict[str, tuple[str, float]] = {}
    for start, end, entity, score in spans:
        value = text[start:end]
        if (entity != "PERSON" and len(value) >= MIN_CHARS and value.strip() == value
                and any(c.isdigit() or c == "@" for c in value)):  # not a word found once by mistake ("Pending")
            values.setdefault(value, (entity, score))
    ordered = sorted((s, e) for s, e, _, _ in spans)
    starts = [s for s, _ in ordered]
    reach = list(accumulate((e for _, e in ordered), max))  # the furthest end of the spans starting up to here
    out: list[Found] = []
    for value, (entity, score) in values.items():
        at = text.find(value)
        while at != -1:
            end = at + len(value)
            bounded = not (at > 0 and text[at - 1].isalnum()) and not (end < len(text) and text[end].isalnum())
            i = bisect_right(starts, at) - 1
            if bounded and not (i >= 0 and reach[i] >= end):  # inside no span given
                out.append((at, end, entity, score))
            at = text.find(value, at + 1)
    return out
