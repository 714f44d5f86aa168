"""Versioned, idempotent DDL applied at start, the same statements on chDB and on a ClickHouse server.

Migrations are the files `sql/NNNN_name.sql`, applied in order. Each applied one is recorded in
`<db>.schema_migrations` with a checksum; a file changed after it was applied is an error (write a new
migration instead). Statements use `IF NOT EXISTS`, so a migration cut off half-way is re-run whole.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources

from sinks.clickhouse.client import ClickHouseClient, quote_identifier
from sinks.clickhouse.errors import MigrationError

_FILE_RE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode("utf-8")).hexdigest()

    def statements(self, database: str) -> list[str]:
        """Statements with `{db}` bound; `;` at a line end separates them, `--` lines are comments."""
        db = quote_identifier(database)
        lines = [line for line in self.sql.splitlines() if not line.lstrip().startswith("--")]
        text = "\n".join(lines)
        parts = re.split(r";\s*$", text, flags=re.MULTILINE)
        return [part.strip().replace("{db}", db) for part in parts if part.strip()]


def load_migrations() -> list[Migration]:
    """The packaged migrations, ordered by version."""
    found = []
    for entry in resources.files("sinks.clickhouse").joinpath("sql").iterdir():
        match = _FILE_RE.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise MigrationError(f"duplicate migration versions in {versions}")
    return found


def applied_migrations(client: ClickHouseClient, database: str) -> dict[int, str]:
    """Applied versions and their checksums."""
    result = client.query(
        f"SELECT version, argMax(checksum, applied_at) FROM {quote_identifier(database)}.schema_migrations "
        "GROUP BY version ORDER BY version"
    )
    return {int(version): str(checksum) for version, checksum in result.rows}


def migrate(client: ClickHouseClient, database: str) -> list[int]:
    """Create the database and apply pending migrations; returns the versions applied now."""
    db = quote_identifier(database)
    client.command(f"CREATE DATABASE IF NOT EXISTS {db}")
    client.command(
        f"CREATE TABLE IF NOT EXISTS {db}.schema_migrations "
        "(version UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC')) "
        "ENGINE = ReplacingMergeTree(applied_at) ORDER BY version"
    )
    done = applied_migrations(client, database)
    applied_now = []
    for migration in load_migrations():
        if migration.version in done:
            if done[migration.version] != migration.checksum:
                raise MigrationError(
                    f"migration {migration.version:04d}_{migration.name} was changed after it was applied "
                    f"to {database}; add a new migration instead of editing it"
                )
            continue
        for statement in migration.statements(database):
            client.command(statement)
        client.insert(
            f"{database}.schema_migrations",
            [(migration.version, migration.name, migration.checksum, datetime.now(UTC))],
            ["version", "name", "checksum", "applied_at"],
        )
        applied_now.append(migration.version)
    return applied_now
