"""Writes enriched tickets and dead letters to ClickHouse, idempotently, in batches.

Idempotency has two layers. Each insert carries `insert_deduplication_token` (a hash of the batch's
content) and the tables keep the last `non_replicated_deduplication_window` (1000) tokens, so a batch
retried after a timeout is dropped by the engine and never stored twice, in `ticket_events` and, with
`deduplicate_blocks_in_dependent_materialized_views`, in `tickets` behind the view. This holds on chDB
(the tests check it on both clients); on a server with Replicated tables the replicated window applies.
Any duplicate that still gets through (a redelivered event in a differently composed batch, or beyond
the window) collapses in the ReplacingMergeTree on (tenant_id, ticket_id, event_id): exact with FINAL,
eventually after merges.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

from schemas import DeadLetter, EnrichedTicket
from sinks.clickhouse.client import ClickHouseClient, QueryResult, SettingValue, quote_identifier
from sinks.clickhouse.migrations import migrate
from sinks.clickhouse.rows import DEAD_LETTER_COLUMNS, EVENT_COLUMNS, dead_letter_row, event_row, rows_token

DEFAULT_DATABASE = "ticketstream"


class ClickHouseSink:
    """The pipeline's ClickHouse writer; `client` is chDB or a server, `database` holds all tables."""

    def __init__(self, client: ClickHouseClient, database: str = DEFAULT_DATABASE) -> None:
        quote_identifier(database)  # fail early on a bad name, before any statement is built from it
        self.client = client
        self.database = database

    def _table(self, name: str) -> str:
        return f"{self.database}.{name}"

    def ensure_schema(self) -> list[int]:
        """Apply pending migrations; returns the versions applied by this call (empty when up to date)."""
        return migrate(self.client, self.database)

    def write_enriched(self, batch: Sequence[EnrichedTicket]) -> int:
        """Insert one `ticket_events` row per ticket (`tickets` follows via a materialized view).

        Returns the number of rows sent. Raises `ClickHouseUnavailable` to retry later,
        `ClickHouseQueryError` when the data is rejected.
        """
        if not batch:
            return 0
        version = time.time_ns() // 1_000  # write time in µs: a later write of the same event wins
        rows = [event_row(ticket, version) for ticket in batch]
        table = self._table("ticket_events")
        token = rows_token(table, rows, skip_last=1)
        settings: dict[str, SettingValue] = {
            "insert_deduplication_token": token,
            "deduplicate_blocks_in_dependent_materialized_views": 1,
        }
        return self.client.insert(table, rows, EVENT_COLUMNS, settings=settings)

    def write_dead_letters(self, batch: Sequence[DeadLetter]) -> int:
        """Insert dead letters without their payload; returns the number of rows sent."""
        if not batch:
            return 0
        rows = [dead_letter_row(letter) for letter in batch]
        table = self._table("dead_letters")
        token = rows_token(table, rows)
        return self.client.insert(
            table, rows, DEAD_LETTER_COLUMNS, settings={"insert_deduplication_token": token}
        )

    def count_events(self, final: bool = True) -> int:
        """Stored events; with `final`, each (tenant, ticket, event) counts once whether merged or not."""
        modifier = " FINAL" if final else ""
        sql = f"SELECT count() FROM {quote_identifier(self.database)}.ticket_events{modifier}"
        return int(self.client.query(sql).scalar())

    def query(self, sql: str, parameters: Mapping[str, Any] | None = None) -> QueryResult:
        """Run a read query for the CLI (`ticketstream query`), e.g. against `ticketstream.tickets FINAL`."""
        return self.client.query(sql, parameters)

    def close(self) -> None:
        self.client.close()
