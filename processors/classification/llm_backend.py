"""An LLM classification backend with its guards, independent of the vendor's wire protocol.

A `LlmTransport` (Anthropic, OpenAI-compatible) turns an `LlmRequest` into a parsed answer plus token
usage, or raises `LlmCallError`. `LlmBackend` wraps it with what every vendor needs: a dedup cache,
the tenant's daily budget, a circuit breaker, a token bucket, bounded concurrency (a thread pool of
`max_concurrency` workers), retries with exponential backoff that honour `retry-after`, one retry for an
answer outside the allowed labels, and a deadline per batch. Every attempt, and every call not made
(budget, open breaker, deadline), is recorded as an `LlmCall`; `drain_llm_calls` hands them out, and an
attached `ClassificationObserver` sees each one as it happens (the worker's metrics); `snapshot` reports the
breaker and the budgets.

An item the LLM could not answer comes back as `Failed(retryable=True)` with the outcome as
`error_type`; the cascade then keeps the local model's result, so a ticket is never held or lost.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ALL_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

from processors.base import Failed
from processors.classification.backend import ClassifyInput, ClassifyResult
from processors.classification.config import Budget, LlmLimits, ModelPrice
from processors.classification.observer import BudgetSnapshot, ClassificationObserver, LlmSnapshot, NullObserver
from processors.classification.prompt import PROMPT_VERSION, InvalidAnswer, LlmRequest, build_request, parse_answer
from processors.classification.resilience import CircuitBreaker, DailyBudget, TokenBucket, TtlCache, backoff_delay
from schemas import LlmCall

log = logging.getLogger(__name__)

Outcome = Literal["ok", "invalid_answer", "error", "timeout", "rate_limited", "circuit_open", "budget_exceeded"]
MAX_PENDING_CALL_RECORDS = 100_000


@dataclass(frozen=True, slots=True)
class Usage:
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0

    @property
    def total(self) -> int:
        return self.input_tokens + self.output_tokens + self.cache_read_tokens + self.cache_write_tokens


@dataclass(frozen=True, slots=True)
class LlmReply:
    """A reply that reached us: `answer` is the parsed structured output (not yet checked)."""

    answer: Any
    usage: Usage
    model: str


class LlmCallError(Exception):
    """A call that failed. `retryable` for 429/5xx/timeouts/connection errors, not for 4xx."""

    def __init__(self, outcome: Outcome, error_type: str, *, retryable: bool, retry_after_s: float | None = None,
                 usage: Usage | None = None) -> None:
        super().__init__(f"{outcome}: {error_type}")
        self.outcome: Outcome = outcome
        self.error_type = error_type
        self.retryable = retryable
        self.retry_after_s = retry_after_s
        self.usage = usage or Usage()


class LlmTransport(Protocol):
    """One vendor's wire protocol. `complete` raises `LlmCallError` for anything but a reply."""

    name: str
    model: str

    def complete(self, request: LlmRequest, timeout_s: float) -> LlmReply: ...


@dataclass(frozen=True, slots=True)
class TenantLlmPolicy:
    summary: bool = True
    budget: Budget = field(default_factory=Budget)
    taxonomy_version: str | None = None


class _Deadline:
    def __init__(self, seconds: float, clock: Callable[[], float]) -> None:
        self._clock = clock
        self.at = clock() + seconds
        self.cancelled = threading.Event()

    def remaining(self) -> float:
        return max(0.0, self.at - self._clock())

    def expired(self) -> bool:
        return self.cancelled.is_set() or self.remaining() <= 0.0


class LlmBackend:
    """A `ClassifierBackend` over an LLM transport, with the guards described in the module docstring."""

    def __init__(
        self,
        transport: LlmTransport,
        *,
        limits: LlmLimits | None = None,
        price: ModelPrice | None = None,
        policies: Mapping[str, TenantLlmPolicy] | None = None,
        default_policy: TenantLlmPolicy | None = None,
        budget: DailyBudget | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.transport = transport
        self.name = transport.name
        self.limits = limits or LlmLimits()
        self.price = price
        self.policies = dict(policies or {})
        self.default_policy = default_policy or TenantLlmPolicy()
        self.budget = budget or DailyBudget()
        self.breaker = CircuitBreaker(self.limits.breaker_failures, self.limits.breaker_cooldown_s, clock)
        self.bucket = TokenBucket(self.limits.rate_per_s, self.limits.burst, clock)
        self.cache: TtlCache[ClassifyResult] = TtlCache(self.limits.dedup_window_s, self.limits.dedup_max_entries,
                                                       clock)
        self._clock = clock
        self._pool = ThreadPoolExecutor(max_workers=self.limits.max_concurrency, thread_name_prefix=f"llm-{self.name}")
        self._calls: deque[LlmCall] = deque(maxlen=MAX_PENDING_CALL_RECORDS)
        self._calls_lock = threading.Lock()
        self.observer: ClassificationObserver = NullObserver()
        for tenant, policy in {"<default>": self.default_policy, **self.policies}.items():
            if policy.budget.daily_usd is not None and price is None:
                raise ValueError(
                    f"tenant {tenant!r} has a daily USD budget, but model {transport.model!r} has no price "
                    "in the price table (TICKETSTREAM_LLM_PRICES)"
                )

    @property
    def model_version(self) -> str:
        return re.sub(r"[^A-Za-z0-9_.:-]", "-", f"{self.name}:{self.transport.model}")[:64]

    def policy(self, tenant: str) -> TenantLlmPolicy:
        return self.policies.get(tenant, self.default_policy)

    def attach_observer(self, observer: ClassificationObserver) -> None:
        self.observer = observer

    def snapshot(self) -> LlmSnapshot:
        """Breaker state now, and today's spend of every tenant with a policy or with spend today."""
        spent = self.budget.today()
        budgets = []
        for tenant in sorted(set(self.policies) | set(spent)):
            usd, tokens = spent.get(tenant, (0.0, 0))
            limits = self.policy(tenant).budget
            budgets.append(BudgetSnapshot(tenant, usd, tokens, limits.daily_usd, limits.daily_tokens))
        return LlmSnapshot(self.name, self.transport.model, self.breaker.state.value, tuple(budgets))

    # ------------------------------------------------------------------------------------------ records

    def drain_llm_calls(self) -> list[LlmCall]:
        """Every call recorded since the last drain, oldest first. Thread-safe."""
        with self._calls_lock:
            calls = list(self._calls)
            self._calls.clear()
        return calls

    def record_batch_call(self, item: ClassifyInput, fields: Sequence[str], outcome: Outcome, *, started: datetime,
                          latency_s: float, usage: Usage | None = None, error_type: str | None = None) -> float:
        """Record one request answered (or not) through a Message Batch: batch price, backend `<name>_batch`,
        charged to the tenant's budget like a live call. Returns its cost. Not `sent`: its latency is the
        batch's turnaround, not a request's round trip."""
        return self._record(item, fields, outcome, attempt=1, started=started, latency_s=latency_s, usage=usage,
                            error_type=error_type, batch=True)

    def _record(self, item: ClassifyInput, fields: Sequence[str], outcome: Outcome, *, attempt: int,
                started: datetime, latency_s: float = 0.0, usage: Usage | None = None,
                error_type: str | None = None, sent: bool = False, batch: bool = False) -> float:
        usage = usage or Usage()
        cost = 0.0
        if self.price is not None:
            cost = self.price.cost_usd(usage.input_tokens, usage.output_tokens, usage.cache_read_tokens,
                                       usage.cache_write_tokens, batch=batch)
        call = LlmCall(
            call_id=uuid.uuid4().hex, tenant_id=item.tenant_id, ticket_id=item.ticket_id, event_id=item.event_id,
            backend=f"{self.name}_batch" if batch else self.name, model=self.transport.model, started_at=started,
            latency_ms=latency_s * 1000.0,
            input_tokens=usage.input_tokens, output_tokens=usage.output_tokens,
            cache_read_tokens=usage.cache_read_tokens, cache_write_tokens=usage.cache_write_tokens,
            cost_usd=cost, outcome=outcome, error_type=error_type, attempt=attempt, fields=list(fields),
        )
        with self._calls_lock:
            self._calls.append(call)
        if cost or usage.total:
            self.budget.charge(item.tenant_id, cost, usage.total, call_id=call.call_id)
        self.observer.llm_call(call, sent)
        return cost

    # ---------------------------------------------------------------------------------------- classify

    def cache_key(self, item: ClassifyInput, summary: bool) -> str:
        """Redacted text + taxonomy version (+ what is asked and of which model)."""
        policy = self.policy(item.tenant_id)
        labels = {f: list(item.taxonomy[f]) for f in item.fields}
        version = policy.taxonomy_version or hashlib.sha256(json.dumps(labels, sort_keys=True).encode()).hexdigest()
        raw = json.dumps([PROMPT_VERSION, self.transport.model, item.tenant_id, version, sorted(labels), summary,
                          item.subject, item.body])
        return hashlib.sha256(raw.encode()).hexdigest()

    def classify(self, items: Sequence[ClassifyInput]) -> list[ClassifyResult | Failed]:
        """Run the items' calls concurrently (identical requests once); wait at most the batch deadline."""
        if not items:
            return []
        deadline = _Deadline(self.limits.batch_deadline_s, self._clock)
        keys = [self.cache_key(item, self.policy(item.tenant_id).summary) for item in items]
        futures: dict[str, Future[ClassifyResult | Failed]] = {}
        for item, key in zip(items, keys, strict=True):
            if key not in futures:
                futures[key] = self._pool.submit(self._classify_one, item, key, deadline)
            else:  # the same question twice in one batch: asked once
                self.observer.llm_dedup_hit(self.name, self.transport.model)
        done, _pending = wait(list(futures.values()), timeout=self.limits.batch_deadline_s,
                             return_when=ALL_COMPLETED)
        deadline.cancelled.set()
        results: dict[str, ClassifyResult | Failed] = {}
        for (key, future), item in zip(futures.items(), _first_items(items, keys), strict=True):
            if future in done:
                try:
                    results[key] = future.result()
                except Exception as exc:  # a bug in a transport must not lose the batch
                    log.exception("LLM backend %s failed on an item", self.name)
                    results[key] = Failed(f"LLM backend {self.name!r} failed: {type(exc).__name__}",
                                          "error", retryable=True)
            else:
                future.cancel()
                self._record(item, item.fields, "timeout", attempt=0, started=datetime.now(UTC),
                             latency_s=self.limits.batch_deadline_s, error_type="BatchDeadline")
                results[key] = Failed(f"LLM backend {self.name!r} did not answer within the batch deadline "
                                      f"of {self.limits.batch_deadline_s}s", "timeout", retryable=True)
        return [results[key] for key in keys]

    def _classify_one(self, item: ClassifyInput, key: str, deadline: _Deadline) -> ClassifyResult | Failed:
        policy = self.policy(item.tenant_id)
        fields = item.fields
        cached = self.cache.get(key)
        if cached is not None:
            self.observer.llm_dedup_hit(self.name, self.transport.model)
            return cached
        request = build_request(item.subject, item.body, item.taxonomy, fields, policy.summary)
        transient_attempts = 0
        invalid_answers = 0
        attempt = 0
        while True:
            attempt += 1
            started = datetime.now(UTC)
            if deadline.expired():
                self._record(item, fields, "timeout", attempt=attempt, started=started, error_type="BatchDeadline")
                return Failed("LLM batch deadline passed before the call", "timeout", retryable=True)
            if not self.budget.has_room(item.tenant_id, policy.budget.daily_usd, policy.budget.daily_tokens):
                self._record(item, fields, "budget_exceeded", attempt=attempt, started=started)
                return Failed(f"tenant {item.tenant_id!r} spent its daily LLM budget", "budget_exceeded",
                              retryable=True)
            if not self.breaker.allow():
                self._record(item, fields, "circuit_open", attempt=attempt, started=started)
                return Failed(f"circuit breaker of {self.name!r} is open", "circuit_open", retryable=True)
            if not self.bucket.acquire(timeout=deadline.remaining()):
                self._record(item, fields, "rate_limited", attempt=attempt, started=started,
                             error_type="LocalRateLimit")
                return Failed(f"rate limit of {self.name!r} leaves no room before the deadline", "rate_limited",
                              retryable=True)
            t0 = time.perf_counter()
            try:
                reply = self.transport.complete(request, min(self.limits.request_timeout_s, deadline.remaining()))
            except LlmCallError as exc:
                latency = time.perf_counter() - t0
                self.breaker.record_failure()
                self._record(item, fields, exc.outcome, attempt=attempt, started=started, latency_s=latency,
                             usage=exc.usage, error_type=exc.error_type, sent=True)
                transient_attempts += 1
                if not exc.retryable or transient_attempts >= self.limits.max_attempts:
                    return Failed(f"LLM call failed: {exc.error_type}", exc.outcome, retryable=True)
                delay = backoff_delay(transient_attempts, self.limits.backoff_base_s, self.limits.backoff_max_s,
                                      exc.retry_after_s)
                if delay >= deadline.remaining():
                    return Failed(f"LLM call failed ({exc.error_type}); the next retry would pass the deadline",
                                  exc.outcome, retryable=True)
                if deadline.cancelled.wait(delay):
                    return Failed("LLM batch deadline passed while backing off", "timeout", retryable=True)
                continue
            latency = time.perf_counter() - t0
            self.breaker.record_success()
            try:
                parsed = parse_answer(reply.answer, item.taxonomy, fields, policy.summary, self.name)
            except InvalidAnswer as exc:
                self._record(item, fields, "invalid_answer", attempt=attempt, started=started,
                             latency_s=latency, usage=reply.usage, error_type=str(exc)[:128], sent=True)
                invalid_answers += 1
                if invalid_answers >= 2:
                    return Failed("LLM answered outside the schema twice", "invalid_answer", retryable=False)
                continue
            self._record(item, fields, "ok", attempt=attempt, started=started, latency_s=latency,
                         usage=reply.usage, sent=True)
            result = ClassifyResult(predictions=parsed.predictions, model_version=self.model_version,
                                    summary=parsed.summary, extra={"llm_model": reply.model[:128]})
            self.cache.put(key, result)
            return result

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _first_items(items: Sequence[ClassifyInput], keys: Sequence[str]) -> list[ClassifyInput]:
    """The first item of each distinct key, in first-seen order (matches the futures dict)."""
    seen: dict[str, ClassifyInput] = {}
    for item, key in zip(items, keys, strict=True):
        seen.setdefault(key, item)
    return list(seen.values())
