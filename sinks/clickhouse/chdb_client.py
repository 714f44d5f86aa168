"""Embedded ClickHouse through chDB: the default, no server to run.

chDB hosts one engine per process, bound to one data directory: opening a second directory while the
first is open fails. Clients on the same directory therefore share one `chdb.session.Session` from a
module-level registry, reference-counted so the engine closes when the last client does. Every call
holds the engine's lock: the stream worker calls from a worker thread while the CLI or a health check
may query from another, and a chDB handle must not run two statements at once.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from chdb.session import Session

from sinks.clickhouse.client import QueryResult, SettingValue, qualified, quote_identifier, settings_clause
from sinks.clickhouse.errors import ClickHouseError, ClickHouseQueryError, classify

_REGISTRY_LOCK = threading.Lock()
_ENGINES: dict[str, _Engine] = {}


class _Engine:
    """One chDB session per data directory, shared by all clients of that directory in this process."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.session = Session(path)
        self.lock = threading.Lock()
        self.refs = 0


def _acquire(path: str) -> _Engine:
    with _REGISTRY_LOCK:
        engine = _ENGINES.get(path)
        if engine is None:
            if _ENGINES:
                other = next(iter(_ENGINES))
                raise ClickHouseError(
                    f"chDB holds one data directory per process: {other} is open, cannot open {path}"
                )
            try:
                engine = _Engine(path)
            except RuntimeError as exc:
                raise ClickHouseError(f"cannot open chDB at {path}: {exc}") from exc
            _ENGINES[path] = engine
        engine.refs += 1
        return engine


def _release(engine: _Engine) -> None:
    with _REGISTRY_LOCK:
        engine.refs -= 1
        if engine.refs <= 0 and _ENGINES.get(engine.path) is engine:
            del _ENGINES[engine.path]
            with engine.lock:
                engine.session.close()


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        # DateTime64 columns here are UTC; a naive datetime is taken as UTC.
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat(sep=" ", timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"cannot insert a value of type {type(value).__name__}")


def encode_json_rows(rows: Sequence[Sequence[Any]]) -> bytes:
    """Rows as JSONCompactEachRow: values travel as data, never as SQL, so ticket text cannot inject.

    Lone surrogates (possible in a Python str, impossible in UTF-8) become U+FFFD.
    """
    dumps = json.JSONEncoder(ensure_ascii=False, default=_json_default, allow_nan=True).encode
    text = "\n".join(dumps(list(row)) for row in rows)
    return text.encode("utf-8", errors="replace")


class ChdbClient:
    """`ClickHouseClient` on the in-process chDB engine with a data directory."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        resolved = Path(path).expanduser()
        resolved.mkdir(parents=True, exist_ok=True)
        self.path = os.path.realpath(resolved)
        self._engine: _Engine | None = _acquire(self.path)

    def _live(self) -> _Engine:
        if self._engine is None:
            raise ClickHouseError("the chDB client is closed")
        return self._engine

    def _run(self, sql: str, fmt: str, parameters: Mapping[str, Any] | None = None) -> Any:
        engine = self._live()
        try:
            with engine.lock:
                return engine.session.query(sql, fmt, params=dict(parameters or {}))
        except RuntimeError as exc:
            raise classify(str(exc)) from exc

    def command(self, sql: str) -> None:
        self._run(sql, "TabSeparated")

    def query(self, sql: str, parameters: Mapping[str, Any] | None = None) -> QueryResult:
        table = self._run(sql, "ArrowTable", parameters)
        names = tuple(table.column_names)
        if not names:
            return QueryResult(column_names=(), rows=[])
        columns = [table.column(name).to_pylist() for name in range(table.num_columns)]
        return QueryResult(column_names=names, rows=list(zip(*columns, strict=True)))

    def insert(
        self,
        table: str,
        rows: Sequence[Sequence[Any]],
        column_names: Sequence[str],
        settings: Mapping[str, SettingValue] | None = None,
    ) -> int:
        """One INSERT streamed as JSONCompactEachRow through chDB's insert API (no temp file, no SQL text)."""
        if not rows:
            return 0
        try:
            payload = encode_json_rows(rows)
        except (TypeError, ValueError) as exc:
            raise ClickHouseQueryError(f"cannot encode rows for {table}: {exc}") from exc
        columns = ", ".join(quote_identifier(name) for name in column_names)
        sql = f"INSERT INTO {qualified(table)} ({columns}) {settings_clause(settings or {})}".rstrip()
        engine = self._live()
        try:
            with engine.lock:
                inserter = engine.session.send_insert(sql, "JSONCompactEachRow")
                try:
                    inserter.append(payload)
                    inserter.finish()
                except BaseException:
                    inserter.cancel()
                    raise
        except RuntimeError as exc:
            raise classify(str(exc)) from exc
        return len(rows)

    def close(self) -> None:
        engine, self._engine = self._engine, None
        if engine is not None:
            _release(engine)

    def __enter__(self) -> ChdbClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
