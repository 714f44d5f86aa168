"""The durable set of applied action ids: an action found here is not applied again (SQLite, WAL)."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path


class AppliedStore:
    def __init__(self, path: Path | None) -> None:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path) if path else ":memory:", check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("CREATE TABLE IF NOT EXISTS applied (action_id TEXT PRIMARY KEY, applied_at REAL NOT NULL, "
                         "target TEXT NOT NULL)")
        self._db.commit()
        self._lock = threading.Lock()

    def contains(self, action_id: str) -> bool:
        with self._lock:
            return self._db.execute("SELECT 1 FROM applied WHERE action_id=?", (action_id,)).fetchone() is not None

    def add(self, action_id: str, target: str) -> None:
        with self._lock:
            self._db.execute("INSERT OR IGNORE INTO applied VALUES (?, ?, ?)", (action_id, time.time(), target))
            self._db.commit()

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM applied").fetchone()[0])

    def close(self) -> None:
        self._db.close()
