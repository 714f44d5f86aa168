"""Which ticket an e-mail belongs to: by `In-Reply-To` / `References`, remembered durably in SQLite.

The ticket of a new thread is named after its root message (the first id of `References`, else
`In-Reply-To`, else the message's own `Message-ID`), so the ticket id is deterministic even without the
store; the store adds the cases where a client trimmed `References` but replied to a known message.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path

_MSGID = re.compile(r"<[^<>\s]+>")


def message_ids(header: str | None) -> list[str]:
    """The `<id@host>` tokens of a Message-ID / In-Reply-To / References header, in order."""
    if not header:
        return []
    found = _MSGID.findall(header)
    if not found and header.strip():
        found = [f"<{token.strip('<>')}>" for token in header.split() if token.strip("<>")]
    return [m.lower() for m in found]


def ticket_id_for_root(root_message_id: str) -> str:
    return "em-" + hashlib.sha256(root_message_id.encode("utf-8")).hexdigest()[:24]


class ThreadStore:
    """tenant + Message-ID → ticket id. Thread-safe; one SQLite file under TICKETSTREAM_HOME."""

    def __init__(self, path: Path | None) -> None:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path) if path else ":memory:", check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS threads (tenant TEXT NOT NULL, message_id TEXT NOT NULL, "
                         "ticket_id TEXT NOT NULL, PRIMARY KEY (tenant, message_id))")
        self._db.commit()
        self._lock = threading.Lock()

    def resolve(self, tenant: str, own_id: str, in_reply_to: Iterable[str], references: Iterable[str]) -> str:
        """The ticket of this message; records the message so later replies to it find the same ticket."""
        refs = list(references)
        parents = list(dict.fromkeys([*in_reply_to, *reversed(refs)]))
        with self._lock:
            ticket: str | None = None
            row = self._db.execute("SELECT ticket_id FROM threads WHERE tenant=? AND message_id=?",
                                   (tenant, own_id)).fetchone()
            if row:
                ticket = row[0]
            for parent in parents:
                if ticket:
                    break
                row = self._db.execute("SELECT ticket_id FROM threads WHERE tenant=? AND message_id=?",
                                       (tenant, parent)).fetchone()
                ticket = row[0] if row else None
            if ticket is None:
                root = refs[0] if refs else (next(iter(in_reply_to), None) or own_id)
                ticket = ticket_id_for_root(root)
            self._db.execute("INSERT OR IGNORE INTO threads VALUES (?, ?, ?)", (tenant, own_id, ticket))
            self._db.commit()
            return ticket

    def close(self) -> None:
        self._db.close()
