"""Durable poller cursors: one small JSON file per (tenant, source) under `$TICKETSTREAM_HOME/connectors/cursors`.

Why a file and not a compacted topic: a poller is one process per (tenant, source), the cursor is read once at
start and written after each page, and an atomic file replace (write temp, fsync, rename) is durable and needs
no broker round trip. A page's events are acknowledged by Kafka *before* its cursor is saved, so a crash in
between replays at most that page — with the same deterministic event ids, which the pipeline deduplicates —
and never skips one.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any


class CursorStore:
    def __init__(self, directory: Path, on_save: Callable[[], None] | None = None) -> None:
        """`on_save`: called after each durable save — a page done, the poller's sign of progress."""
        self.directory = directory
        self._on_save = on_save

    def _path(self, tenant: str, source: str) -> Path:
        return self.directory / f"{tenant}.{source}.json"

    def load(self, tenant: str, source: str) -> dict[str, Any] | None:
        path = self._path(tenant, source)
        if not path.exists():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise RuntimeError(f"cursor file {path} is unreadable: {exc}") from exc
        return data if isinstance(data, dict) else None

    def save(self, tenant: str, source: str, cursor: dict[str, Any]) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self._path(tenant, source)
        tmp = path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(cursor, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        if self._on_save is not None:
            self._on_save()
        dir_fd = os.open(self.directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
