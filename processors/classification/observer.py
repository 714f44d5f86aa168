"""What classification reports while it runs, for whoever counts it (the worker's Prometheus metrics).

processors/ imports neither Prometheus nor streams/: the cascade and the LLM backend call a plain
`ClassificationObserver`, and streams/llm_metrics.py turns the calls into metrics. Events (a call, a dedup
hit, a routing decision, a fallback) are pushed as they happen; state that changes without an event — the
breaker half-opening after its cooldown, a budget starting a new UTC day — is read when asked, as an
`LlmSnapshot`. Everything here is label-safe: backend, model, tenant, field and outcome ids, never text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from schemas import LlmCall

ROUTE_LOCAL = "local"
"""`ClassificationObserver.routed` route of a ticket the local model decided alone; other routes are the
cascade's reasons for asking the LLM (language, confidence, unknown_label, fill)."""


class ClassificationObserver(Protocol):
    """Receives classification events; called from the LLM backend's worker threads, so be thread-safe."""

    def llm_call(self, call: LlmCall, sent: bool) -> None:
        """One attempt or call not made (breaker, budget, rate limit, deadline); `sent` when it reached the
        server, so its latency is a real round trip."""

    def llm_dedup_hit(self, backend: str, model: str) -> None:
        """A ticket answered without a call: same redacted text and question as one recently asked."""

    def routed(self, tenant: str, route: str) -> None:
        """One ticket with a local result: `ROUTE_LOCAL`, or why it was sent to the LLM."""

    def fallback(self, backend: str, reason: str) -> None:
        """A ticket sent to the LLM kept the local result; `reason` is the LLM outcome (timeout, ...)."""

    def field_decided(self, field: str, backend: str) -> None:
        """Which backend's label a classified field carries."""


class NullObserver:
    """The default: nobody is counting."""

    def llm_call(self, call: LlmCall, sent: bool) -> None:
        pass

    def llm_dedup_hit(self, backend: str, model: str) -> None:
        pass

    def routed(self, tenant: str, route: str) -> None:
        pass

    def fallback(self, backend: str, reason: str) -> None:
        pass

    def field_decided(self, field: str, backend: str) -> None:
        pass


@dataclass(frozen=True, slots=True)
class BudgetSnapshot:
    """A tenant's LLM spend on the current UTC day and its limits (None: no limit)."""

    tenant: str
    spent_usd: float
    spent_tokens: int
    limit_usd: float | None = None
    limit_tokens: int | None = None

    @property
    def remaining_usd(self) -> float | None:
        return None if self.limit_usd is None else max(0.0, self.limit_usd - self.spent_usd)

    @property
    def remaining_tokens(self) -> int | None:
        return None if self.limit_tokens is None else max(0, self.limit_tokens - self.spent_tokens)


@dataclass(frozen=True, slots=True)
class LlmSnapshot:
    """One LLM backend's state now: its circuit breaker (closed, half_open, open) and the tenants' budgets."""

    backend: str
    model: str
    breaker_state: str
    budgets: tuple[BudgetSnapshot, ...] = ()
