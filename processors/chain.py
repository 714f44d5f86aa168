"""The four stages run one after another over a batch, for the batch CLI and backfills.

The stream runs the same stage objects, one agent per stage with a topic between them; this chain is
the same logic without the topics, so `ticketstream process` and the stream give the same enrichment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from processors.base import Failed, Ok, Stage
from schemas import EnrichedTicket, TicketEvent


@dataclass(frozen=True, slots=True)
class StageFailure:
    stage: str
    failed: Failed


class StageChain:
    def __init__(self, stages: Sequence[Stage[Any, Any]]) -> None:
        if not stages:
            raise ValueError("a chain needs at least one stage")
        self.stages = list(stages)

    def run(self, batch: Sequence[TicketEvent]) -> list[Ok[EnrichedTicket] | StageFailure]:
        results: list[Ok[Any] | StageFailure] = [Ok(item) for item in batch]
        for stage in self.stages:
            alive = [i for i, r in enumerate(results) if isinstance(r, Ok)]
            if not alive:
                break
            outcomes = stage.process([results[i].value for i in alive])  # type: ignore[union-attr]
            if len(outcomes) != len(alive):
                raise RuntimeError(f"stage {stage.name} returned {len(outcomes)} outcomes for {len(alive)} items")
            for i, outcome in zip(alive, outcomes, strict=True):
                results[i] = outcome if isinstance(outcome, Ok) else StageFailure(stage.name, outcome)
        return results
