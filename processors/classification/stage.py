"""The classification stage: DetectedTicket in, ClassifiedTicket out, through any `ClassifierBackend`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from processors.base import Failed, Ok
from processors.classification.backend import ClassifierBackend, ClassifyInput, ClassifyResult
from processors.classification.local_model import LocalClassifier
from processors.classification.observer import ClassificationObserver, LlmSnapshot
from schemas import Classification, ClassifiedTicket, DetectedTicket, LlmCall, format_validation_error

Taxonomy = Mapping[str, tuple[str, ...]]
"""Allowed labels per field; an empty tuple means "whatever the backend knows"."""

REQUIRED_FIELDS = ("category", "intent")
DEFAULT_TAXONOMY: Taxonomy = {"category": (), "intent": ()}
"""Priority and sentiment are not asked for: the shipped training data (bitext) has no honest labels
for them, so the local model leaves them None rather than guessing."""


class ClassificationStage:
    """Classify a batch of detected tickets with one backend call.

    Only the redacted subject and body (plus language, tenant and the ids for the call record) go into
    a `ClassifyInput`; no other ticket field can reach a backend, and so none can reach an LLM.

    `taxonomies` maps tenant id to that tenant's allowed labels per field; other tenants get
    `default_taxonomy`. A ticket with no text, or for which the backend gives no category or intent,
    fails on its own; the rest of the batch goes on.
    """

    def __init__(
        self,
        backend: ClassifierBackend | None = None,
        *,
        taxonomies: Mapping[str, Taxonomy] | None = None,
        default_taxonomy: Taxonomy = DEFAULT_TAXONOMY,
        name: str = "classify",
    ) -> None:
        self.backend: ClassifierBackend = backend if backend is not None else LocalClassifier.load()
        self.taxonomies = dict(taxonomies or {})
        self.default_taxonomy = default_taxonomy
        self.name = name
        for tenant, taxonomy in {"<default>": default_taxonomy, **self.taxonomies}.items():
            missing = [f for f in REQUIRED_FIELDS if f not in taxonomy]
            if missing:
                raise ValueError(f"taxonomy of tenant {tenant!r} lacks field(s) {', '.join(missing)}")

    def _input(self, ticket: DetectedTicket) -> ClassifyInput:
        return ClassifyInput(
            subject=ticket.subject,
            body=ticket.body,
            language=ticket.language.code,
            tenant_id=ticket.tenant_id,
            taxonomy=self.taxonomies.get(ticket.tenant_id, self.default_taxonomy),
            ticket_id=ticket.ticket_id,
            event_id=ticket.event_id,
        )

    def llm_budgets(self) -> list[Any]:
        """Daily budgets of the LLM backends behind this stage (empty without an LLM)."""
        budgets = getattr(self.backend, "llm_budgets", None)
        return list(budgets()) if budgets is not None else []

    def attach_observer(self, observer: ClassificationObserver) -> None:
        """Report LLM calls, routing and fallbacks to `observer` (the worker's metrics); no-op without an LLM."""
        attach = getattr(self.backend, "attach_observer", None)
        if attach is not None:
            attach(observer)

    def llm_snapshots(self) -> list[LlmSnapshot]:
        """Breaker and budget state of the LLM backends behind this stage (empty without an LLM)."""
        snapshots = getattr(self.backend, "llm_snapshots", None)
        return list(snapshots()) if snapshots is not None else []

    def drain_llm_calls(self) -> list[LlmCall]:
        """LLM call records since the last drain (thread-safe), for the agent to publish to `llm_calls`.

        Empty when the backend calls no LLM.
        """
        drain = getattr(self.backend, "drain_llm_calls", None)
        return list(drain()) if drain is not None else []

    def process(self, batch: Sequence[DetectedTicket]) -> list[Ok[ClassifiedTicket] | Failed]:
        outcomes: list[Ok[ClassifiedTicket] | Failed | None] = [None] * len(batch)
        todo: list[int] = []
        for i, ticket in enumerate(batch):
            if not (ticket.subject.strip() or ticket.body.strip()):
                outcomes[i] = Failed("ticket has an empty subject and body: nothing to classify", "EmptyText")
            else:
                todo.append(i)
        if todo:
            results = self.backend.classify([self._input(batch[i]) for i in todo])
            if len(results) != len(todo):
                raise RuntimeError(
                    f"backend {self.backend.name!r} returned {len(results)} results for {len(todo)} items"
                )
            for i, result in zip(todo, results, strict=True):
                outcomes[i] = self._finish(batch[i], result)
        return [o for o in outcomes if o is not None]

    def _finish(
        self, ticket: DetectedTicket, result: ClassifyResult | Failed
    ) -> Ok[ClassifiedTicket] | Failed:
        if isinstance(result, Failed):
            return result
        missing = [f for f in REQUIRED_FIELDS if f not in result.predictions]
        if missing:
            return Failed(
                f"backend {self.backend.name!r} gave no {', '.join(missing)} "
                f"(is the tenant's taxonomy unknown to it?)",
                "MissingPrediction",
            )
        try:
            classification = Classification(
                category=result.predictions["category"],
                intent=result.predictions["intent"],
                priority=result.predictions.get("priority"),
                sentiment=result.predictions.get("sentiment"),
                summary=result.summary,
                model_version=result.model_version,
            )
            return Ok(ClassifiedTicket(**dict(ticket), classification=classification))
        except ValidationError as exc:
            return Failed(format_validation_error(exc), "ValidationError")
