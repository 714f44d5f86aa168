"""Classification's LLM figures on the worker's /metrics: the processors' observer, adapted to `Metrics`.

processors/classification/observer.py defines what classification reports (calls, dedup hits, routing,
fallbacks, field decisions, breaker and budget snapshots) without knowing Prometheus; this module is the
one place that maps those reports onto the metric names of streams/metrics.py.
"""

from __future__ import annotations

from typing import Any

from processors.classification.observer import ClassificationObserver
from schemas import LlmCall
from streams.metrics import Metrics


class LlmMetricsObserver(ClassificationObserver):
    """A `ClassificationObserver` that records into `Metrics` (prometheus-client is thread-safe)."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    def llm_call(self, call: LlmCall, sent: bool) -> None:
        tokens = {"input": call.input_tokens, "output": call.output_tokens,
                  "cache_read": call.cache_read_tokens, "cache_write": call.cache_write_tokens}
        self.metrics.llm_call(call.backend, call.model, call.outcome,
                              seconds=call.latency_ms / 1000.0 if sent else None, tokens=tokens,
                              tenant=call.tenant_id, cost_usd=call.cost_usd)

    def llm_dedup_hit(self, backend: str, model: str) -> None:
        self.metrics.llm_dedup_hits.labels(backend, model).inc()

    def routed(self, tenant: str, route: str) -> None:
        self.metrics.classification_tickets.labels(tenant, route).inc()

    def fallback(self, backend: str, reason: str) -> None:
        self.metrics.llm_fallback(backend, reason)

    def field_decided(self, field: str, backend: str) -> None:
        self.metrics.field_decisions.labels(field, backend).inc()


def instrument_stage(stage: Any, metrics: Metrics) -> bool:
    """Wire a stage's classification reports and LLM state into `metrics`.

    Stages without the hooks (every stage but classification) are left alone: returns False. Calling it
    again for a rebuilt stage replaces the earlier snapshot source, so series are never doubled.
    """
    attach = getattr(stage, "attach_observer", None)
    if attach is None:
        return False
    attach(LlmMetricsObserver(metrics))
    snapshots = getattr(stage, "llm_snapshots", None)
    if snapshots is not None:
        metrics.watch_llm(str(getattr(stage, "name", "classify")), snapshots)
    return True
