"""Choose the ClickHouse client from the settings: a server when a URL is configured, else chDB."""

from __future__ import annotations

from pathlib import Path

from sinks.clickhouse.chdb_client import ChdbClient
from sinks.clickhouse.client import ClickHouseClient
from sinks.clickhouse.connect_client import ConnectClient
from sinks.clickhouse.retention import Retention
from sinks.clickhouse.sink import DEFAULT_DATABASE, ClickHouseSink


def open_client(url: str | None, chdb_path: Path) -> ClickHouseClient:
    """`ConnectClient(url)` when `url` is set (CLICKHOUSE_URL), else embedded `ChdbClient(chdb_path)`."""
    if url:
        return ConnectClient(url)
    return ChdbClient(chdb_path)


def open_clickhouse(
    url: str | None,
    chdb_path: Path,
    database: str = DEFAULT_DATABASE,
    ensure_schema: bool = True,
    retention: Retention | None = None,
) -> ClickHouseSink:
    """A ready sink: client opened and, unless told otherwise, migrations applied.

    Raises `ClickHouseUnavailable` when the server cannot be reached, so a caller can retry with backoff.
    """
    client = open_client(url, chdb_path)
    sink = ClickHouseSink(client, database, retention=retention)
    if ensure_schema:
        try:
            sink.ensure_schema()
        except BaseException:
            client.close()
            raise
    return sink
