"""The stage chain over JSONL lines: `ticketstream process` and file backfills.

Invalid lines and stage failures become the same dead letters the stream would produce, written in
place so the output stays aligned line for line with the input.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO

from pydantic import ValidationError
from tqdm import tqdm

from processors.base import Ok
from processors.chain import StageChain
from schemas import TicketEvent, format_validation_error
from streams.deadletters import make_dead_letter

FIRST_STAGE = "pii"
"""Validation of inbound events is charged to the first stage, as in the stream."""


@dataclass
class BatchStats:
    ok: int = 0
    failed: int = 0


def _batches(lines: Iterable[str], size: int) -> Iterator[list[tuple[int, str]]]:
    batch: list[tuple[int, str]] = []
    for number, line in enumerate(lines):
        batch.append((number, line))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def parse_batch(batch: list[tuple[int, str]], source_name: str
                ) -> tuple[dict[int, str], list[tuple[int, bytes, TicketEvent]]]:
    """Dead letters of the lines that are no TicketEvent (by line number), and the events of the others."""
    out: dict[int, str] = {}
    valid: list[tuple[int, bytes, TicketEvent]] = []
    for number, line in batch:
        raw = line.rstrip("\n").encode("utf-8", "surrogateescape")
        try:
            valid.append((number, raw, TicketEvent.from_json_bytes(raw)))
        except (ValidationError, ValueError) as exc:
            reason = (f"invalid TicketEvent: {format_validation_error(exc)}" if isinstance(exc, ValidationError)
                      else f"invalid TicketEvent: {exc}")
            out[number] = dead_letter_line(raw, FIRST_STAGE, reason, type(exc).__name__, source_name, number)
    return out, valid


def process_lines(chain: StageChain, src: IO[str], dst: IO[str], batch_size: int, source_name: str = "-",
                  progress: bool = False) -> BatchStats:
    stats = BatchStats()
    bar = tqdm(unit=" tickets", disable=not progress, file=None, dynamic_ncols=True)
    for batch in _batches(src, batch_size):
        out, valid = parse_batch(batch, source_name)
        failed = set(out)
        results = chain.run([event for _, _, event in valid]) if valid else []
        for (number, raw, event), result in zip(valid, results, strict=True):
            if isinstance(result, Ok):
                out[number] = result.value.model_dump_json()
            else:
                out[number] = dead_letter_line(raw, result.stage, result.failed.reason, result.failed.error_type,
                                               source_name, number, key=event.key)
                failed.add(number)
        for number, _ in batch:
            dst.write(out[number] + "\n")
        stats.failed += len(failed)
        stats.ok += len(batch) - len(failed)
        bar.update(len(batch))
    bar.close()
    return stats


def dead_letter_line(raw: bytes, stage: str, reason: str, error_type: str, source: str, number: int,
                     key: str | None = None) -> str:
    """The DeadLetter the stream would produce for this input line, as a JSON line."""
    return make_dead_letter(
        stage=stage, reason=reason, error_type=error_type, payload=raw, topic=source, partition=0, offset=number,
        key=key.encode() if key else None,
    ).model_dump_json()
