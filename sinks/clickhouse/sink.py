"""Writes enriched tickets, dead letters, LLM calls and SLA outcomes to ClickHouse, idempotently, in batches.

Idempotency has two layers. Each insert carries `insert_deduplication_token` and the tables keep the last
`non_replicated_deduplication_window` (1000) tokens, so a batch inserted again is dropped by the engine,
in the table and (with `deduplicate_blocks_in_dependent_materialized_views`) in every table behind a
materialized view: `tickets`, `ticket_event_versions` and the hourly rollups. The stream passes a token
derived from the Kafka topic, partitions and offsets of the batch (`offsets_token`): a batch re-consumed
after a crash, before its offsets were committed, carries the same token. Without one, the token is a hash of the rows'
content, which covers a retry of the same call. Any duplicate that still gets through (a redelivered
event in a differently composed batch, or beyond the window) collapses in the ReplacingMergeTree base
tables on their keys: exact with FINAL, eventually after merges. The hourly rollups are sums and would
count such a duplicate; see docs/clickhouse.md.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

from schemas import DeadLetter, EnrichedTicket, LlmCall
from sinks.clickhouse.client import ClickHouseClient, QueryResult, SettingValue, quote_identifier
from sinks.clickhouse.migrations import migrate
from sinks.clickhouse.retention import Retention, apply_retention
from sinks.clickhouse.rows import (
    DEAD_LETTER_COLUMNS,
    EVENT_COLUMNS,
    LLM_CALL_COLUMNS,
    SLA_OUTCOME_COLUMNS,
    SlaOutcome,
    dead_letter_row,
    event_row,
    llm_call_row,
    rows_token,
    sla_outcome_row,
)

DEFAULT_DATABASE = "ticketstream"
DEFAULT_MAX_ROWS_PER_INSERT = 100_000


class ClickHouseSink:
    """The pipeline's ClickHouse writer; `client` is chDB or a server, `database` holds all tables.

    `retention` sets the TTL of each table at `ensure_schema` (defaults: 12 months for the event log).
    A batch larger than `max_rows_per_insert` is sent as several inserts, each with its own derived token.
    """

    def __init__(
        self,
        client: ClickHouseClient,
        database: str = DEFAULT_DATABASE,
        retention: Retention | None = None,
        max_rows_per_insert: int = DEFAULT_MAX_ROWS_PER_INSERT,
    ) -> None:
        quote_identifier(database)  # fail early on a bad name, before any statement is built from it
        if max_rows_per_insert < 1:
            raise ValueError(f"max_rows_per_insert must be at least 1, got {max_rows_per_insert}")
        self.client = client
        self.database = database
        self.retention = retention or Retention()
        self.max_rows_per_insert = max_rows_per_insert

    def _table(self, name: str) -> str:
        return f"{self.database}.{name}"

    def ensure_schema(self) -> list[int]:
        """Apply pending migrations and the retention; returns the migration versions applied by this call."""
        applied = migrate(self.client, self.database)
        apply_retention(self.client, self.database, self.retention)
        return applied

    def _insert(
        self,
        name: str,
        rows: list[tuple[Any, ...]],
        columns: Sequence[str],
        dedup_token: str | None,
        skip_last: int = 0,
    ) -> int:
        table = self._table(name)
        token = dedup_token or rows_token(table, rows, skip_last=skip_last)
        size = self.max_rows_per_insert
        chunks = [rows[i : i + size] for i in range(0, len(rows), size)]
        sent = 0
        for n, chunk in enumerate(chunks):
            settings: dict[str, SettingValue] = {
                "insert_deduplication_token": token if len(chunks) == 1 else f"{token}:{n}",
                "deduplicate_blocks_in_dependent_materialized_views": 1,
            }
            sent += self.client.insert(table, chunk, columns, settings=settings)
        return sent

    def write_enriched(self, batch: Sequence[EnrichedTicket], dedup_token: str | None = None) -> int:
        """Insert one `ticket_events` row per live ticket (`tickets`, `ticket_event_versions` and the rollups
        follow via views) and one `ticket_event_versions` row per replayed ticket whose replay was not asked to
        replace the live results (`EnrichedTicket.is_live`): a model comparison leaves what BI shows untouched.

        `dedup_token`: see `offsets_token`; None derives one from the content. Returns the number of rows
        sent. Raises `ClickHouseUnavailable` to retry later (with the same token), `ClickHouseQueryError`
        when the data is rejected.
        """
        if not batch:
            return 0
        version = time.time_ns() // 1_000  # write time in µs: a later write of the same event wins
        live = [event_row(ticket, version) for ticket in batch if ticket.is_live]
        replayed = [event_row(ticket, version) for ticket in batch if not ticket.is_live]
        sent = 0
        if live:
            sent += self._insert("ticket_events", live, EVENT_COLUMNS, dedup_token, skip_last=1)
        if replayed:  # its own token: the same batch position may also have fed the view above
            token = f"{dedup_token}:versions" if dedup_token else None
            sent += self._insert("ticket_event_versions", replayed, EVENT_COLUMNS, token, skip_last=1)
        return sent

    def write_dead_letters(self, batch: Sequence[DeadLetter], dedup_token: str | None = None) -> int:
        """Insert dead letters without their payload; returns the number of rows sent."""
        if not batch:
            return 0
        rows = [dead_letter_row(letter) for letter in batch]
        return self._insert("dead_letters", rows, DEAD_LETTER_COLUMNS, dedup_token)

    def write_llm_calls(self, batch: Sequence[LlmCall], dedup_token: str | None = None) -> int:
        """Insert LLM call records (tokens, cost, latency); returns the number of rows sent."""
        if not batch:
            return 0
        rows = [llm_call_row(call) for call in batch]
        return self._insert("llm_calls", rows, LLM_CALL_COLUMNS, dedup_token)

    def write_sla_outcomes(self, batch: Sequence[SlaOutcome], dedup_token: str | None = None) -> int:
        """Insert SLA outcomes of solved tickets; returns the number of rows sent."""
        if not batch:
            return 0
        rows = [sla_outcome_row(outcome) for outcome in batch]
        return self._insert("sla_outcomes", rows, SLA_OUTCOME_COLUMNS, dedup_token)

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
