"""The stage contract: configured once, then `process(batch)` returns one outcome per input, in order.

A stage never raises for a bad item: it returns `Failed` for that item so the stream can dead-letter it
and go on. It may raise for a failure of the whole batch (a bug or a broken model), which the caller
treats as retryable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

InT = TypeVar("InT", contravariant=True)
OutT = TypeVar("OutT")
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Ok(Generic[T]):
    value: T


@dataclass(frozen=True, slots=True)
class Failed:
    """Why one item could not go through a stage. `reason` must never quote the item's text."""

    reason: str
    error_type: str = "StageError"
    retryable: bool = False


Outcome = Ok[T] | Failed


class Stage(Protocol[InT, OutT]):
    name: str

    def process(self, batch: Sequence[InT]) -> list[Ok[OutT] | Failed]: ...
