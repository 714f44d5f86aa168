"""A ClickHouse server (or cluster) through clickhouse-connect's HTTP interface, for production."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import clickhouse_connect
from clickhouse_connect.driver.exceptions import DatabaseError, Error, OperationalError

from sinks.clickhouse.client import QueryResult, SettingValue
from sinks.clickhouse.errors import ClickHouseError, ClickHouseQueryError, ClickHouseUnavailable, classify


def _translate(exc: Exception) -> ClickHouseError:
    """Connection trouble and retried 429/503/504 are transient; an engine error is classified by code."""
    message = str(exc)
    code = getattr(exc, "code", None)
    if isinstance(exc, OperationalError) and code is None:
        return ClickHouseUnavailable(message)
    if isinstance(exc, DatabaseError | OperationalError):
        return classify(message, code)
    return ClickHouseQueryError(message, code)


def _redact_url(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


class ConnectClient:
    """`ClickHouseClient` on a ClickHouse server; the URL is `http(s)://user:password@host:port`.

    Query parameters in the URL are passed to `clickhouse_connect.get_client` (e.g. `?compress=lz4`);
    compression is off unless asked for, since the test front and some proxies do not speak it.
    No session id: the sink needs no session state, and a session would serialize concurrent calls.
    """

    def __init__(self, url: str, connect_timeout: float = 10, send_receive_timeout: float = 300) -> None:
        self.url = _redact_url(url)
        scheme = urlsplit(url).scheme.lower()
        kwargs: dict[str, Any] = {}
        if scheme in ("http", "https"):
            kwargs["interface"] = scheme
        try:
            self._client = clickhouse_connect.get_client(
                dsn=url,
                compress=False,
                autogenerate_session_id=False,
                tz_mode="aware",  # aware UTC datetimes, as the chDB client returns
                connect_timeout=connect_timeout,
                send_receive_timeout=send_receive_timeout,
                **kwargs,
            )
        except Error as exc:
            raise _translate(exc) from exc
        self._insert_lock = threading.Lock()
        self._insert_contexts: dict[tuple[str, tuple[str, ...]], Any] = {}

    def command(self, sql: str) -> None:
        try:
            self._client.command(sql)
        except Error as exc:
            raise _translate(exc) from exc
        with self._insert_lock:
            self._insert_contexts.clear()  # DDL may have changed a table's columns

    def query(self, sql: str, parameters: Mapping[str, Any] | None = None) -> QueryResult:
        try:
            result = self._client.query(sql, parameters=dict(parameters or {}))
        except Error as exc:
            raise _translate(exc) from exc
        rows = [tuple(row) for row in result.result_rows]
        return QueryResult(column_names=tuple(result.column_names), rows=rows)

    def insert(
        self,
        table: str,
        rows: Sequence[Sequence[Any]],
        column_names: Sequence[str],
        settings: Mapping[str, SettingValue] | None = None,
    ) -> int:
        """Native-format insert; the column types are fetched once per table and reused."""
        if not rows:
            return 0
        database, _, name = table.rpartition(".")
        key = (table, tuple(column_names))
        try:
            with self._insert_lock:
                context = self._insert_contexts.get(key)
                if context is None:
                    context = self._client.create_insert_context(
                        name, list(column_names), database=database or None
                    )
                    self._insert_contexts[key] = context
                context.data = list(rows)
                context.settings = dict(settings or {})
                self._client.insert(context=context)
        except Error as exc:
            raise _translate(exc) from exc
        except (TypeError, ValueError, OverflowError) as exc:
            raise ClickHouseQueryError(f"cannot encode rows for {table}: {exc}") from exc
        return len(rows)

    def close(self) -> None:
        self._client.close()
