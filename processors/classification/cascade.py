"""The cascade: the local model on every ticket, an LLM only for what the local model is unsure of.

Per ticket and field, the LLM is asked when
- the local confidence is below the field's threshold, or
- the ticket's language is not one the local model was trained on (it is confidently wrong on German and
  French paraphrases, up to 0.72), whatever the confidence, or
- the local model has no answer for a required field (a tenant label it does not know).
Fields the local model never answers (priority, sentiment) are asked whenever the ticket goes to the
LLM anyway, or on every ticket with `fill_unknown_fields: always`. Each field says which backend decided
it; when the LLM fails, is over budget or its breaker is open, the local result stands (backend `local`).
Each routing decision, fallback and field decision goes to the attached `ClassificationObserver`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from processors.base import Failed
from processors.classification.backend import ClassifierBackend, ClassifyInput, ClassifyResult
from processors.classification.config import DEFAULT_THRESHOLDS
from processors.classification.observer import ROUTE_LOCAL, ClassificationObserver, LlmSnapshot, NullObserver
from schemas import FieldPrediction, LlmCall

REQUIRED_FIELDS = ("category", "intent")


@dataclass(frozen=True, slots=True)
class RoutingPolicy:
    """How one tenant's tickets are routed between the local model and the LLM."""

    mode: str = "cascade"
    thresholds: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_THRESHOLDS))
    local_languages: frozenset[str] = frozenset({"en"})
    fill_unknown_fields: str = "when_routed"

    def threshold(self, name: str) -> float:
        return float(self.thresholds.get(name, DEFAULT_THRESHOLDS.get(name, 0.6)))


def route(item: ClassifyInput, local: ClassifyResult, policy: RoutingPolicy) -> tuple[tuple[str, ...], str]:
    """The fields to ask the LLM for, and why (`language`, `confidence`, `unknown_label`, `fill`, or '')."""
    if policy.mode == "local":
        return (), ""
    foreign = item.language not in policy.local_languages
    routed: list[str] = []
    unknown: list[str] = []
    reason = "language" if foreign else ""
    for name in item.fields:
        prediction = local.predictions.get(name)
        if prediction is None:
            if name in REQUIRED_FIELDS:
                routed.append(name)
                reason = reason or "unknown_label"
            else:
                unknown.append(name)
        elif foreign or prediction.confidence < policy.threshold(name):
            routed.append(name)
            reason = reason or "confidence"
    if unknown and (routed or policy.fill_unknown_fields == "always"):
        routed.extend(unknown)
        reason = reason or "fill"
    return tuple(n for n in item.fields if n in routed), reason


class CascadeBackend:
    """A `ClassifierBackend`: `local` for everything, `llm` (may be None) for the routed fields."""

    def __init__(
        self,
        local: ClassifierBackend,
        llm: ClassifierBackend | None,
        *,
        policies: Mapping[str, RoutingPolicy] | None = None,
        default_policy: RoutingPolicy | None = None,
    ) -> None:
        self.local = local
        self.llm = llm
        self.policies = dict(policies or {})
        self.default_policy = default_policy or RoutingPolicy()
        self.name = "cascade"
        self.observer: ClassificationObserver = NullObserver()

    def attach_observer(self, observer: ClassificationObserver) -> None:
        """Report routing, fallbacks and field decisions here, and the LLM backend's calls too."""
        self.observer = observer
        attach = getattr(self.llm, "attach_observer", None)
        if attach is not None:
            attach(observer)

    def llm_snapshots(self) -> list[LlmSnapshot]:
        snapshot = getattr(self.llm, "snapshot", None)
        return [snapshot()] if snapshot is not None else []

    def policy(self, tenant: str) -> RoutingPolicy:
        return self.policies.get(tenant, self.default_policy)

    def llm_budgets(self) -> list[Any]:
        """The LLM backend's daily budget, for the worker to share between processes."""
        budget = getattr(self.llm, "budget", None)
        return [budget] if budget is not None else []

    def drain_llm_calls(self) -> list[LlmCall]:
        drain = getattr(self.llm, "drain_llm_calls", None)
        return list(drain()) if drain is not None else []

    def classify(self, items: Sequence[ClassifyInput]) -> list[ClassifyResult | Failed]:
        local_results = self.local.classify(items)
        out: list[ClassifyResult | Failed] = list(local_results)
        if self.llm is None:
            self._count(out)
            return out
        asks: list[tuple[int, ClassifyInput, str]] = []
        for i, (item, local) in enumerate(zip(items, local_results, strict=True)):
            if isinstance(local, Failed):
                continue
            fields, reason = route(item, local, self.policy(item.tenant_id))
            self.observer.routed(item.tenant_id, reason if fields else ROUTE_LOCAL)
            if fields:
                narrowed = ClassifyInput(
                    subject=item.subject, body=item.body, language=item.language, tenant_id=item.tenant_id,
                    taxonomy={f: item.taxonomy[f] for f in fields}, ticket_id=item.ticket_id,
                    event_id=item.event_id,
                )
                asks.append((i, narrowed, reason))
        if asks:
            answers = self.llm.classify([ask for _, ask, _ in asks])
            if len(answers) != len(asks):
                raise RuntimeError(f"LLM backend returned {len(answers)} results for {len(asks)} items")
            for (i, ask, reason), answer in zip(asks, answers, strict=True):
                local = out[i]
                assert isinstance(local, ClassifyResult)
                out[i] = self._merge(local, ask, answer, reason)
        self._count(out)
        return out

    def _merge(self, local: ClassifyResult, ask: ClassifyInput, answer: ClassifyResult | Failed,
               reason: str) -> ClassifyResult:
        if isinstance(answer, Failed):
            self.observer.fallback(getattr(self.llm, "name", "llm"), answer.error_type)
            return ClassifyResult(
                predictions=local.predictions, model_version=local.model_version, summary=None,
                extra={**local.extra, "routed": reason, "llm_fallback": answer.error_type},
            )
        predictions: dict[str, FieldPrediction] = dict(local.predictions)
        for name in ask.fields:
            if name in answer.predictions:
                predictions[name] = answer.predictions[name]
        version = f"{local.model_version}:{answer.model_version}"[:64]
        return ClassifyResult(predictions=predictions, model_version=version, summary=answer.summary,
                              extra={**local.extra, **answer.extra, "routed": reason})

    def _count(self, results: Sequence[ClassifyResult | Failed]) -> None:
        for result in results:
            if isinstance(result, ClassifyResult):
                for name, prediction in result.predictions.items():
                    self.observer.field_decided(name, prediction.backend)
