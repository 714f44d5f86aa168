"""`ticketstream process --llm-batch`: the stage chain over a file, its LLM questions in Message Batches.

Live, the cascade asks the LLM per stage batch while tickets wait. A backfill has nobody waiting, so this
runs in two passes and asks every question at once, at half the price (answers within 24 h):

1. every line is parsed and runs through the stages before classification (PII, language); the
   classification stage plans its LLM questions (processors/classification/message_batches.py). What the
   stages made goes to a private temporary file next to the output, not into memory.
2. the batch is created, or resumed from the state file (`OUTPUT.batch.json`), and polled until it ends,
   with a progress line; then the spilled tickets go through classification, answered from the results, and
   the later stages (SLA), and the output is written in input order exactly as plain `process` writes it.

The state file is written before and after each create, so a run stopped while it waits (Ctrl-C, a crash)
polls the same batch when run again instead of paying twice. It is kept after success too: a re-run
reads the results again (kept 29 days) instead of submitting again.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

from tqdm import tqdm

from processors.base import Ok, Stage
from processors.chain import StageChain, StageFailure
from processors.classification.message_batches import (
    MAX_BYTES,
    MAX_REQUESTS,
    BatchProgress,
    BatchState,
    BatchSummary,
    MessageBatchClient,
    MessageBatchError,
    MessageBatches,
)
from processors.classification.stage import ClassificationStage
from schemas import DetectedTicket, LlmCall
from streams.batch import BatchStats, _batches, dead_letter_line, parse_batch


@dataclass(frozen=True)
class LlmBatchOptions:
    state_path: Path
    """Where the batch ids are kept; `OUTPUT.batch.json` from the CLI."""
    poll_initial_s: float = 5.0
    poll_max_s: float = 60.0
    max_requests: int = MAX_REQUESTS
    max_bytes: int = MAX_BYTES
    calls_path: Path | None = None
    """Where to write the LlmCall records (JSONL), e.g. for ClickHouse `llm_calls`; None: not written."""


@dataclass
class LlmBatchRun:
    stats: BatchStats
    summary: BatchSummary
    calls: list[LlmCall] = field(default_factory=list)


def load_state(path: Path) -> BatchState | None:
    if not path.exists():
        return None
    try:
        return BatchState.from_json(path.read_text(encoding="utf-8"))
    except (ValueError, KeyError, TypeError) as exc:
        raise MessageBatchError(f"{path} is not a Message Batch state file ({exc}); move it away to start over"
                                ) from exc


def save_state(path: Path, state: BatchState) -> None:
    """Atomically, and on disk before the next step, since losing a batch id means paying again."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as out:
        out.write(state.to_json())
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)


class ProgressLine:
    """One line rewritten in place on a terminal; a line per poll in a log."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()

    def __call__(self, progress: BatchProgress) -> None:
        line = progress.line()
        if self.tty:
            self.stream.write("\r" + line.ljust(100) + ("\n" if progress.ended else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


def _split(chain: StageChain) -> tuple[list[Stage[Any, Any]], ClassificationStage, list[Stage[Any, Any]]]:
    for i, stage in enumerate(chain.stages):
        if isinstance(stage, ClassificationStage):
            return chain.stages[:i], stage, chain.stages[i + 1:]
    raise MessageBatchError("the stage chain has no classification stage")


def _run(stages: Sequence[Stage[Any, Any]], items: Sequence[Any]) -> list[Ok[Any] | StageFailure]:
    if not stages:
        return [Ok(item) for item in items]
    return cast(list[Ok[Any] | StageFailure], StageChain(stages).run(items))


def process_with_message_batches(
    chain: StageChain, src: IO[str], dst: IO[str], batch_size: int, options: LlmBatchOptions, *,
    source_name: str = "-", progress: bool = False, echo: Callable[[str], None] | None = None,
    on_progress: Callable[[BatchProgress], None] | None = None, client: MessageBatchClient | None = None,
) -> LlmBatchRun:
    """Both passes; returns the line counts, what the batch answered and the LlmCall records."""
    say = echo or (lambda message: print(message, file=sys.stderr))
    before, stage, after = _split(chain)
    batches = MessageBatches(stage, client, max_requests=options.max_requests, max_bytes=options.max_bytes)
    directory = options.state_path.parent
    directory.mkdir(parents=True, exist_ok=True)
    fd, spill_path = tempfile.mkstemp(prefix=f".{options.state_path.name}.", suffix=".spill", dir=directory)
    try:
        with open(fd, "w+", encoding="utf-8", errors="surrogateescape") as spill:
            _plan(before, batches, src, spill, batch_size, source_name, progress)
            summary = _ask(batches, options, say, on_progress or ProgressLine())
            spill.seek(0)
            answering = batches.answering_stage()
            stats = _answer([answering, *after], spill, dst, batch_size, source_name, progress)
    finally:
        os.unlink(spill_path)
    calls = answering.drain_llm_calls()
    if options.calls_path is not None:
        with open(options.calls_path, "w", encoding="utf-8") as out:
            out.writelines(call.model_dump_json() + "\n" for call in calls)
    return LlmBatchRun(stats, summary, calls)


def _plan(before: Sequence[Stage[Any, Any]], batches: MessageBatches, src: IO[str], spill: IO[str],
          batch_size: int, source_name: str, progress: bool) -> None:
    """Pass 1: the stages before classification, then route; spill one record per input line."""
    bar = tqdm(unit=" tickets", desc="pii, language, routing", disable=not progress, dynamic_ncols=True)
    for batch in _batches(src, batch_size):
        out, valid = parse_batch(batch, source_name)
        records: dict[int, dict[str, Any]] = {number: {"out": line} for number, line in out.items()}
        results = _run(before, [event for _, _, event in valid]) if valid else []
        tickets = []
        for (number, raw, event), result in zip(valid, results, strict=True):
            if isinstance(result, Ok):
                tickets.append(result.value)
                records[number] = {"raw": raw.decode("utf-8", "surrogateescape"), "key": event.key,
                                   "ticket": result.value.model_dump_json()}
            else:
                records[number] = {"out": dead_letter_line(raw, result.stage, result.failed.reason,
                                                           result.failed.error_type, source_name, number,
                                                           key=event.key)}
        if tickets:
            batches.plan(tickets)
        for number, _ in batch:
            spill.write(json.dumps({"n": number, **records[number]}) + "\n")
        bar.update(len(batch))
    bar.close()


def _ask(batches: MessageBatches, options: LlmBatchOptions, say: Callable[[str], None],
         on_progress: Callable[[BatchProgress], None]) -> BatchSummary:
    """Create or resume the batches, wait for them, read the results."""
    if not batches.asks:
        say("no ticket needs the LLM: no Message Batch submitted")
        return BatchSummary()
    path = options.state_path
    state = load_state(path)
    known = [i for i in state.batch_ids if i] if state is not None else []
    state = batches.submit(state, lambda s: save_state(path, s), on_created=lambda batch_id, n: say(
        f"created Message Batch {batch_id} with {n} requests; its id is kept in {path}"))
    if known:
        say(f"resuming Message Batch {', '.join(known)} from {path} (nothing is submitted twice)")
    ended = batches.wait(state, on_progress, poll_initial_s=min(options.poll_initial_s, options.poll_max_s),
                         poll_max_s=options.poll_max_s)
    summary = batches.collect(ended)
    fallbacks = ", ".join(f"{n} {reason}" for reason, n in sorted(summary.fallbacks.items())) or "none"
    say(f"Message Batch results: {summary.answered} of {summary.requests} requests answered; fell back to the "
        f"local model: {fallbacks}; cost ${summary.cost_usd:.4f} at the batch price")
    return summary


def _answer(stages: Sequence[Stage[Any, Any]], spill: IO[str], dst: IO[str], batch_size: int, source_name: str,
            progress: bool) -> BatchStats:
    """Pass 2: classification answered from the batch, the later stages, output in input order."""
    stats = BatchStats()
    bar = tqdm(unit=" tickets", desc="classification, sla", disable=not progress, dynamic_ncols=True)
    for batch in _batches(spill, batch_size):
        records = [json.loads(line) for _, line in batch]
        alive = [r for r in records if "ticket" in r]
        results = _run(stages, [DetectedTicket.model_validate_json(r["ticket"]) for r in alive]) if alive else []
        for record, result in zip(alive, results, strict=True):
            if isinstance(result, Ok):
                record["out"] = result.value.model_dump_json()
            else:
                raw = record["raw"].encode("utf-8", "surrogateescape")
                record["out"] = dead_letter_line(raw, result.stage, result.failed.reason, result.failed.error_type,
                                                 source_name, record["n"], key=record["key"])
                record["failed"] = True
        for record in records:
            dst.write(record["out"] + "\n")
            failed = "ticket" not in record or record.get("failed", False)
            stats.failed += failed
            stats.ok += not failed
        bar.update(len(batch))
    bar.close()
    return stats
