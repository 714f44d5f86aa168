"""The contract every classification backend implements: local model, Anthropic, OpenAI-compatible server.

It is batch-oriented (one call per stage batch, so a local model vectorises and an LLM backend can
batch or run requests concurrently) and per-item fallible (one bad LLM answer fails one item, not the
batch). Each input names the fields it wants, so a cascade can run the local model on everything and
send only the low-confidence fields of some items to an LLM backend, then merge field by field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from processors.base import Failed
from schemas import FieldPrediction

CLASSIFY_FIELDS: tuple[str, ...] = ("category", "intent", "priority", "sentiment")
"""Fields a backend may be asked for; `Classification` has one slot per field."""


@dataclass(frozen=True, slots=True)
class ClassifyInput:
    """One ticket as a backend sees it: redacted text only, never the raw ticket.

    `taxonomy` maps each requested field to its allowed labels; it comes from tenant configuration,
    never from the ticket, so ticket text cannot widen the label set (prompt injection). An empty
    label tuple means "whatever labels the backend knows".
    """

    subject: str
    body: str
    language: str
    tenant_id: str
    taxonomy: Mapping[str, tuple[str, ...]]
    ticket_id: str | None = None
    event_id: str | None = None
    """Carried for the LLM call record only; never sent to a model."""

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self.taxonomy)

    @property
    def text(self) -> str:
        """Subject and body as one text, the form the local model was trained on."""
        if self.subject and self.body:
            return f"{self.subject}\n{self.body}"
        return self.subject or self.body


@dataclass(frozen=True, slots=True)
class ClassifyResult:
    """A backend's answer for one item: one prediction per field it could answer.

    A field may be missing (e.g. an LLM answered only some); the caller decides whether that is a
    failure or a reason to ask another backend.
    """

    predictions: Mapping[str, FieldPrediction]
    model_version: str
    summary: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)


@runtime_checkable
class ClassifierBackend(Protocol):
    """Anything that classifies a batch of redacted tickets.

    `classify` returns exactly one result per input, in order; a bad item gives `Failed` (with
    `retryable=True` for transient causes such as a timeout) instead of raising. Raising is kept for a
    failure of the whole batch (backend down), which the caller may retry or route to a fallback.
    """

    name: str

    def classify(self, items: Sequence[ClassifyInput]) -> list[ClassifyResult | Failed]: ...
