"""Liveness of a poller process: its loop must keep completing cycles or delivering pages.

A poller has no consumer whose lag would show a hang; what shows it is time since the loop last made progress
(a delivered page or a finished cycle, failed or not). The HTTP calls have timeouts, so a loop that stops
beating is stuck somewhere else, and a restart is the remedy: /healthz fails after `stale_after_s`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from streams.health import NotReady

__all__ = ["Heartbeat", "beating_sleep", "stale_after"]


def stale_after(poll_interval_s: float, http_timeout_s: float) -> float:
    """Silence that means stuck: a few intervals plus the longest call, never under ten minutes."""
    return max(600.0, 3 * poll_interval_s + 4 * http_timeout_s)


class Heartbeat:
    def __init__(self, stale_after_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.stale_after_s = stale_after_s
        self._clock = clock
        self._lock = threading.Lock()
        self._last = clock()

    def beat(self) -> None:
        with self._lock:
            self._last = self._clock()

    def silent_for(self) -> float:
        with self._lock:
            return self._clock() - self._last

    def check(self) -> str:
        """A liveness check for streams.health.Health: raises NotReady once the loop has been silent too long."""
        silent = self.silent_for()
        if silent > self.stale_after_s:
            raise NotReady(f"the poll loop made no progress for {silent:.0f}s (limit {self.stale_after_s:.0f}s)")
        return f"last progress {silent:.0f}s ago"


def beating_sleep(beat: Callable[[], None], sleep: Callable[[float], None] = time.sleep,
                  chunk_s: float = 30.0) -> Callable[[float], None]:
    """A sleep that beats every `chunk_s`: a poller waiting out a rate limit (ServiceNow resets hourly, a long
    Retry-After) is waiting on purpose, not stuck, and must not be restarted into the same wait."""

    def wait(seconds: float) -> None:
        left = seconds
        while left > 0:
            step = min(left, chunk_s)
            sleep(step)
            beat()
            left -= step

    return wait
