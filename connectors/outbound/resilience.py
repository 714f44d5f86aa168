"""Retry timing, a circuit breaker and a token-bucket rate limit, per helpdesk (tenant + target)."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """`Retry-After` as seconds (delta-seconds or an HTTP date), None when absent or unreadable."""
    if not value:
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


def backoff_delay(attempt: int, base: float, cap: float, jitter: float = 0.2) -> float:
    """Exponential backoff with ±jitter: base·2^(attempt-1), at most cap."""
    delay = min(cap, base * (2 ** max(0, attempt - 1)))
    return max(0.0, delay * (1 + random.uniform(-jitter, jitter)))


@dataclass
class CircuitBreaker:
    """Opens after `failures` consecutive failures; after `cooldown_s` lets one probe through (half-open)."""

    failures: int
    cooldown_s: float
    clock: Callable[[], float] = time.monotonic
    _count: int = 0
    _opened_at: float | None = None

    @property
    def state(self) -> str:
        if self._opened_at is None:
            return "closed"
        return "open" if self.clock() - self._opened_at < self.cooldown_s else "half_open"

    def wait_time(self) -> float:
        """Seconds until a call may be made (0 when closed or half-open)."""
        if self._opened_at is None:
            return 0.0
        return max(0.0, self.cooldown_s - (self.clock() - self._opened_at))

    def success(self) -> None:
        self._count = 0
        self._opened_at = None

    def failure(self) -> None:
        self._count += 1
        if self._opened_at is not None or self._count >= self.failures:
            self._opened_at = self.clock()  # (re)open; a failed half-open probe restarts the cooldown


@dataclass
class RateLimiter:
    """Token bucket: `per_minute` calls a minute with a burst of `burst`; `acquire` sleeps until a token."""

    per_minute: float
    burst: float = 5.0
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _tokens: float = field(default=-1.0)
    _at: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def acquire(self) -> float:
        """Take one token; returns the seconds waited."""
        with self._lock:
            now = self.clock()
            if self._tokens < 0:
                self._tokens, self._at = self.burst, now
            rate = self.per_minute / 60.0
            self._tokens = min(self.burst, self._tokens + (now - self._at) * rate)
            self._at = now
            wait = 0.0 if self._tokens >= 1 else (1 - self._tokens) / rate
            self._tokens -= 1
        if wait:
            self.sleep(wait)
        return wait

    def pause(self, seconds: float) -> None:
        """A helpdesk said `Retry-After`: no token for anyone until then."""
        with self._lock:
            self._tokens = min(self._tokens, 1 - seconds * self.per_minute / 60.0)
