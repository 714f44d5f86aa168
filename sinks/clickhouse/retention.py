"""Retention per table as TTL, applied after the migrations: configuration, not schema.

A TTL is part of a table's definition, but how long a team keeps its data is a setting that changes
without a release. So the migrations create tables without TTL and `apply_retention` sets each table's
TTL to what the configuration says, only where it differs from what the table has (idempotent, no
statement when nothing changed). `0` months removes the TTL: keep forever.

`ALTER ... MODIFY TTL` runs with `materialize_ttl_after_modify = 0`: a start-up must not rewrite every
part of a large table. Expired rows go at the next merge; run `ALTER TABLE t MATERIALIZE TTL` to drop
them at once after shortening a retention.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from sinks.clickhouse.client import ClickHouseClient, quote_identifier

# Table -> the column whose age decides expiry.
TTL_COLUMNS: dict[str, str] = {
    "ticket_events": "occurred_at",
    "ticket_event_versions": "occurred_at",
    "tickets": "last_event_at",
    "llm_calls": "started_at",
    "sla_outcomes": "solved_at",
    "dead_letters": "failed_at",
    "hourly_volume": "hour",
    "hourly_sla_risk": "hour",
    "hourly_sentiment": "hour",
    "hourly_classifier": "hour",
    "hourly_llm_cost": "hour",
    "hourly_dead_letters": "hour",
}

DEFAULT_MONTHS: dict[str, int] = {
    "ticket_events": 12,  # the audit trail
    "ticket_event_versions": 12,  # like the event log it compares against
    "tickets": 12,
    "llm_calls": 12,
    "sla_outcomes": 24,
    "dead_letters": 6,
    "hourly_volume": 24,
    "hourly_sla_risk": 24,
    "hourly_sentiment": 24,
    "hourly_classifier": 24,
    "hourly_llm_cost": 24,
    "hourly_dead_letters": 24,
}

_TTL_RE = re.compile(r"\bTTL\s+(.*?)(?:\s+SETTINGS\s|$)", re.S)


@dataclass(frozen=True)
class Retention:
    """Months to keep per table; tables not named keep their default from `DEFAULT_MONTHS`."""

    months: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for table, value in self.months.items():
            if table not in TTL_COLUMNS:
                known = ", ".join(sorted(TTL_COLUMNS))
                raise ValueError(f"retention: unknown table {table!r} (known: {known})")
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 1200:
                raise ValueError(f"retention: months for {table} must be an integer 0..1200, got {value!r}")

    @classmethod
    def parse(cls, text: str) -> Retention:
        """From `table=months,...` (e.g. the value of a setting); empty text means the defaults."""
        months: dict[str, int] = {}
        for item in filter(None, (part.strip() for part in text.split(","))):
            table, sep, value = item.partition("=")
            if not sep or not value.strip().isdigit():
                raise ValueError(f"retention: expected table=months, got {item!r}")
            months[table.strip()] = int(value)
        return cls(months)

    @classmethod
    def forever(cls) -> Retention:
        """No TTL on any table (tests with fixed historical dates, archives)."""
        return cls(dict.fromkeys(TTL_COLUMNS, 0))

    def for_table(self, table: str) -> int:
        return self.months.get(table, DEFAULT_MONTHS[table])

    def ttl_expression(self, table: str) -> str | None:
        """The TTL as ClickHouse prints it in `engine_full`, or None to keep forever."""
        months = self.for_table(table)
        if months == 0:
            return None
        return f"toDateTime({TTL_COLUMNS[table]}) + toIntervalMonth({months})"


def current_ttls(client: ClickHouseClient, database: str) -> dict[str, str | None]:
    """TTL expression of each table of `database` that has a TTL column, as the engine reports it."""
    result = client.query(
        "SELECT name, engine_full FROM system.tables WHERE database = {db:String}", {"db": database}
    )
    found: dict[str, str | None] = {}
    for name, engine_full in result.rows:
        if name in TTL_COLUMNS:
            match = _TTL_RE.search(str(engine_full))
            found[str(name)] = match.group(1).strip() if match else None
    return found


def apply_retention(client: ClickHouseClient, database: str, retention: Retention | None = None) -> list[str]:
    """Set each table's TTL to the configured retention; returns the tables changed by this call."""
    retention = retention or Retention()
    changed = []
    for table, current in sorted(current_ttls(client, database).items()):
        wanted = retention.ttl_expression(table)
        if wanted == current:
            continue
        target = f"{quote_identifier(database)}.{quote_identifier(table)}"
        if wanted is None:
            client.command(f"ALTER TABLE {target} REMOVE TTL")
        else:
            months = retention.for_table(table)
            column = quote_identifier(TTL_COLUMNS[table])
            client.command(
                f"ALTER TABLE {target} MODIFY TTL toDateTime({column}) + INTERVAL {months} MONTH "
                "SETTINGS materialize_ttl_after_modify = 0"
            )
        changed.append(table)
    return changed
