"""Guards around an LLM backend: token bucket, circuit breaker, daily budget, dedup cache, backoff.

All thread-safe (the LLM backend runs its calls on a thread pool) and all take a clock, so tests drive
them through time without sleeping.
"""

from __future__ import annotations

import random
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Generic, TypeVar

Clock = Callable[[], float]
V = TypeVar("V")


class TokenBucket:
    """`rate` tokens per second up to `burst`; `acquire` waits for a token at most `timeout` seconds."""

    def __init__(self, rate: float, burst: int, clock: Clock = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("token bucket needs rate > 0 and burst >= 1")
        self.rate = rate
        self.burst = float(burst)
        self._tokens = float(burst)
        self._clock = clock
        self._sleep = sleep
        self._updated = clock()
        self._lock = threading.Lock()

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.rate)
        self._updated = now

    def try_acquire(self) -> float:
        """Take a token and return 0, or return how long until one is due (taking nothing)."""
        with self._lock:
            self._refill()
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                return 0.0
            return (1.0 - self._tokens) / self.rate

    def acquire(self, timeout: float) -> bool:
        deadline = self._clock() + timeout
        while True:
            wait = self.try_acquire()
            if wait == 0.0:
                return True
            if self._clock() + wait > deadline:
                return False
            self._sleep(wait)


class BreakerState(StrEnum):
    closed = "closed"
    open = "open"
    half_open = "half_open"


class CircuitBreaker:
    """Closed: calls pass, `failure_threshold` consecutive failures open it. Open: calls are refused for
    `cooldown_s`. Half-open: one probe call passes; its success closes the breaker, its failure re-opens it.
    """

    def __init__(self, failure_threshold: int, cooldown_s: float, clock: Clock = time.monotonic) -> None:
        self.failure_threshold = failure_threshold
        self.cooldown_s = cooldown_s
        self._clock = clock
        self._state = BreakerState.closed
        self._failures = 0
        self._opened_at = 0.0
        self._probe_out = False
        self._lock = threading.Lock()

    @property
    def state(self) -> BreakerState:
        with self._lock:
            self._maybe_half_open()
            return self._state

    def _maybe_half_open(self) -> None:
        if self._state is BreakerState.open and self._clock() - self._opened_at >= self.cooldown_s:
            self._state = BreakerState.half_open
            self._probe_out = False

    def allow(self) -> bool:
        """May a call go out now? In half-open, only the first caller gets the probe."""
        with self._lock:
            self._maybe_half_open()
            if self._state is BreakerState.closed:
                return True
            if self._state is BreakerState.half_open and not self._probe_out:
                self._probe_out = True
                return True
            return False

    def record_success(self) -> None:
        with self._lock:
            self._state = BreakerState.closed
            self._failures = 0
            self._probe_out = False

    def record_failure(self) -> None:
        with self._lock:
            self._failures += 1
            if self._state is BreakerState.half_open or self._failures >= self.failure_threshold:
                self._state = BreakerState.open
                self._opened_at = self._clock()
                self._probe_out = False


@dataclass
class _Spend:
    day: date
    usd: float = 0.0
    tokens: int = 0


class DailyBudget:
    """Per-tenant LLM spend for the current UTC day.

    Checked before a call (a call starts only while both limits have room) and charged after it, so the
    last call of a day can overshoot by one call's cost. Alone, each worker counts only its own calls; with
    `share()` the worker also feeds in every LlmCall record seen on the llm_calls topic (all workers, see
    streams/llm_budget.py) through `observe`, and its own calls are counted once: when charged, and not again
    when their record comes back from the topic.
    """

    MAX_UNSEEN = 100_000
    """Own call ids waiting to be seen on the topic; beyond this the oldest are forgotten (and may count twice,
    which errs on the side of spending less)."""

    def __init__(self, today: Callable[[], date] = lambda: datetime.now(UTC).date()) -> None:
        self._today = today
        self._spend: dict[str, _Spend] = {}
        self._lock = threading.Lock()
        self._shared = False
        self._own_unseen: OrderedDict[str, None] = OrderedDict()

    def share(self) -> None:
        """From now on, charged call ids are remembered so `observe` can skip them."""
        self._shared = True

    def _current(self, tenant: str) -> _Spend:
        today = self._today()
        spend = self._spend.get(tenant)
        if spend is None or spend.day != today:
            spend = self._spend[tenant] = _Spend(today)
        return spend

    def has_room(self, tenant: str, daily_usd: float | None, daily_tokens: int | None) -> bool:
        with self._lock:
            spend = self._current(tenant)
            if daily_usd is not None and spend.usd >= daily_usd:
                return False
            return not (daily_tokens is not None and spend.tokens >= daily_tokens)

    def charge(self, tenant: str, usd: float, tokens: int, call_id: str | None = None) -> None:
        with self._lock:
            spend = self._current(tenant)
            spend.usd += usd
            spend.tokens += tokens
            if self._shared and call_id is not None:
                self._own_unseen[call_id] = None
                while len(self._own_unseen) > self.MAX_UNSEEN:
                    self._own_unseen.popitem(last=False)

    def observe(self, tenant: str, day: date, usd: float, tokens: int, call_id: str) -> None:
        """A call record from the shared topic (any worker's, this one's included)."""
        with self._lock:
            if call_id in self._own_unseen:
                del self._own_unseen[call_id]  # this worker's own call, already charged
                return
            spend = self._current(tenant)
            if spend.day == day:
                spend.usd += usd
                spend.tokens += tokens

    def spent(self, tenant: str) -> tuple[float, int]:
        with self._lock:
            spend = self._current(tenant)
            return spend.usd, spend.tokens

    def today(self) -> dict[str, tuple[float, int]]:
        """(USD, tokens) of every tenant that spent something today; for metrics, changes nothing."""
        today = self._today()
        with self._lock:
            return {tenant: (s.usd, s.tokens) for tenant, s in self._spend.items()
                    if s.day == today and (s.usd or s.tokens)}


class TtlCache(Generic[V]):
    """A bounded LRU map whose entries expire `ttl_s` after they were put."""

    def __init__(self, ttl_s: float, max_entries: int, clock: Clock = time.monotonic) -> None:
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self._clock = clock
        self._data: OrderedDict[str, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> V | None:
        with self._lock:
            hit = self._data.get(key)
            if hit is None:
                return None
            if self._clock() - hit[0] > self.ttl_s:
                del self._data[key]
                return None
            self._data.move_to_end(key)
            return hit[1]

    def put(self, key: str, value: V) -> None:
        if self.max_entries <= 0 or self.ttl_s <= 0:
            return
        with self._lock:
            self._data[key] = (self._clock(), value)
            self._data.move_to_end(key)
            while len(self._data) > self.max_entries:
                self._data.popitem(last=False)

    def __len__(self) -> int:
        return len(self._data)


def backoff_delay(attempt: int, base_s: float, max_s: float, retry_after_s: float | None = None,
                  rng: Callable[[], float] = random.random) -> float:
    """Exponential backoff with full jitter for retry `attempt` (1 = first retry); a server's
    `retry-after` is a floor, never shortened by jitter."""
    exp = min(max_s, base_s * 2 ** (attempt - 1))
    delay = exp * (0.5 + 0.5 * rng())
    if retry_after_s is not None:
        delay = max(delay, retry_after_s)
    return delay
