"""The poller's liveness: silence longer than the limit fails /healthz, any progress resets it."""

from __future__ import annotations

from pathlib import Path

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


def test_a_long_rate_limit_wait_keeps_beating() -> None:
    from connectors.poll_health import beating_sleep

    now = [0.0]
    beat = Heartbeat(stale_after_s=600, clock=lambda: now[0])
    slept: list[float] = []

    def fake_sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds
        beat.check()  # raises if a chunk let the heartbeat go stale

    beating_sleep(beat.beat, fake_sleep, chunk_s=30)(3600)  # ServiceNow's hourly reset
    assert sum(slept) == 3600 and max(slept) == 30 and beat.silent_for() == 0


def test_each_saved_cursor_is_progress(tmp_path: Path) -> None:
    from connectors.cursors import CursorStore

    saves: list[int] = []
    store = CursorStore(tmp_path, on_save=lambda: saves.append(1))
    store.save("acme", "freshdesk", {"since": "2026-12-01T00:00:00+00:00"})
    assert saves == [1] and store.load("acme", "freshdesk") == {"since": "2026-12-01T00:00:00+00:00"}
