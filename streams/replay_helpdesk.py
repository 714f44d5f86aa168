"""Replay from a helpdesk's export API, through the connectors' own pollers.

The poller classes (connectors/zendesk|freshdesk|servicenow/poller.py) already page the export APIs, honour
their rate limits and map records to TicketEvents, and they save a durable cursor only after the page's
events were delivered. A replay reuses them whole: its own cursor directory (never the live poller's), a start
time from `--from`, and a delivery that stamps, filters by time range, rate-limits and produces each page,
returning only once Kafka confirmed it. So the poller cursor is the replay's checkpoint. Records a mapping
cannot read are skipped and logged by the poller, as in `ticketstream connectors poll`.
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from confluent_kafka import Producer

from connectors.config import SourceConfig
from connectors.cursors import CursorStore
from schemas import ReplayStamp, TicketEvent
from streams.replay import (
    ReplayItem,
    ReplayResult,
    TimeRange,
    TokenBucket,
    produce_items,
    stamp_conflict,
    write_json_atomically,
)

HELPDESK_SOURCES = ("zendesk", "freshdesk", "servicenow")
"""Helpdesks with an export/list API poller."""
STAMP_FILE = "replay-stamp.json"


def default_cursor_dir(home: Path, source: str, start: datetime) -> Path:
    """One directory per source and start time: another `--from` is another replay."""
    return home / "replay" / f"{source}-{start.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def replay_config(cfg: SourceConfig, start: datetime) -> SourceConfig:
    """The tenant's settings (credentials, rate limits) with the replay's start time instead of its own."""
    return SourceConfig(cfg.tenant, cfg.source, {**cfg.values, "start_time": int(start.timestamp())})


@dataclass
class HelpdeskCheckpoint:
    """The pollers' cursors under `directory`, plus the stamp of the replay that wrote them."""

    directory: Path

    @property
    def cursors(self) -> CursorStore:
        return CursorStore(self.directory / "cursors")

    def conflict(self, stamp: ReplayStamp) -> str | None:
        """Why these cursors must not be resumed by a replay with `stamp`, or None."""
        path = self.directory / STAMP_FILE
        if not (self.directory / "cursors").exists() or not path.exists():
            return None
        saved: dict[str, Any] = json.loads(path.read_text())
        return stamp_conflict(saved, stamp)

    def begin(self, stamp: ReplayStamp, restart: bool = False) -> None:
        """Start or resume: `restart` forgets the cursors (the export is read again from the start time)."""
        if restart:
            shutil.rmtree(self.directory / "cursors", ignore_errors=True)
        write_json_atomically(self.directory / STAMP_FILE, stamp.model_dump(mode="json"))


def replay_helpdesk(
    source: str,
    configs: Sequence[SourceConfig],
    checkpoint: HelpdeskCheckpoint,
    producer: Producer,
    topic: str,
    stamp: ReplayStamp,
    time_range: TimeRange,
    bucket: TokenBucket | None = None,
    on_item: Callable[[ReplayItem], None] | None = None,
    build: Callable[..., Any] | None = None,
) -> ReplayResult:
    """Poll each tenant's export from the replay's start time to its end (or past `time_range.end`), producing
    every event in the range stamped; resumes from the cursors in `checkpoint`."""
    if source not in HELPDESK_SOURCES:
        raise ValueError(f"no export poller for {source!r}; one of {', '.join(HELPDESK_SOURCES)}")
    if time_range.start is None:
        raise ValueError("a helpdesk replay needs a start time (--from)")
    if build is None:
        from connectors.cli import build_poller

        build = build_poller
    total = ReplayResult()
    for cfg in configs:
        stop = threading.Event()

        def deliver(events: list[TicketEvent], stop: threading.Event = stop) -> None:
            items = [_item(event, stamp) for event in events]
            page = produce_items(items, producer, topic, lambda _position: None, time_range, bucket, on_item,
                                 flush_every=len(items) + 1)  # one confirmation per page, before the cursor moves
            total.produced += page.produced
            total.skipped_out_of_range += page.skipped_out_of_range
            total.lines += page.lines
            if time_range.end is not None and events and max(e.occurred_at for e in events) >= time_range.end:
                stop.set()  # pages come oldest first: nothing on a later page can be in the range

        poller = build(source, replay_config(cfg, time_range.start), checkpoint.cursors, deliver)
        try:
            polled = poller.poll_once(stop)
        finally:
            poller.close()
        if polled.skipped:
            total.notes.append(f"{cfg.tenant}: {polled.skipped} records the {source} mapping could not read were "
                               "skipped (logged by the poller)")
    return total


def _item(event: TicketEvent, stamp: ReplayStamp) -> ReplayItem:
    stamped = event.model_copy(update={"replay": stamp})
    return ReplayItem(stamped.to_json_bytes(), event.key.encode(), event.occurred_at, event.event_id)
