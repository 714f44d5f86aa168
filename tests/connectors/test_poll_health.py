"""The poller's liveness: silence longer than the limit fails /healthz, any progress resets it."""

from __future__ import annotations

import pytest

from connectors.poll_health import Heartbeat, stale_after
from streams.health import NotReady


def test_heartbeat_fails_after_silence_and_recovers_on_progress() -> None:
    now = [1000.0]
    beat = Heartbeat(stale_after_s=600, clock=lambda: now[0])
    assert beat.check() == "last progress 0s ago"
    now[0] += 599
    beat.check()
    now[0] += 2
    with pytest.raises(NotReady, match="no progress for 601s"):
        beat.check()
    beat.beat()
    assert beat.check() == "last progress 0s ago"


def test_the_limit_covers_slow_intervals_and_calls() -> None:
    assert stale_after(poll_interval_s=60, http_timeout_s=15) == 600  # never under ten minutes
    assert stale_after(poll_interval_s=3600, http_timeout_s=15) == 3 * 3600 + 60
