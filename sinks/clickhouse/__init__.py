"""ClickHouse sink: embedded chDB by default, a server through clickhouse-connect when configured."""

from sinks.clickhouse.chdb_client import ChdbClient
from sinks.clickhouse.client import ClickHouseClient, QueryResult
from sinks.clickhouse.connect_client import ConnectClient
from sinks.clickhouse.errors import (
    ClickHouseError,
    ClickHouseQueryError,
    ClickHouseUnavailable,
    MigrationError,
)
from sinks.clickhouse.factory import open_clickhouse, open_client
from sinks.clickhouse.migrations import migrate
from sinks.clickhouse.retention import Retention
from sinks.clickhouse.rows import SlaOutcome, offsets_token
from sinks.clickhouse.sink import DEFAULT_DATABASE, ClickHouseSink

__all__ = [
    "DEFAULT_DATABASE",
    "ChdbClient",
    "ClickHouseClient",
    "ClickHouseError",
    "ClickHouseQueryError",
    "ClickHouseSink",
    "ClickHouseUnavailable",
    "ConnectClient",
    "MigrationError",
    "QueryResult",
    "Retention",
    "SlaOutcome",
    "migrate",
    "offsets_token",
    "open_clickhouse",
    "open_client",
]
