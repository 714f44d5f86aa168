"""The narrow client interface the sink needs, so chDB and a ClickHouse server are interchangeable."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

_IDENTIFIER_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

SettingValue = str | int | float | bool


@dataclass(frozen=True)
class QueryResult:
    """Rows of a SELECT as Python values (datetimes aware, arrays as lists, NULL as None)."""

    column_names: tuple[str, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)

    def dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.column_names, row, strict=True)) for row in self.rows]

    def scalar(self) -> Any:
        """The single value of a one-row, one-column result (e.g. `SELECT count()`)."""
        if len(self.rows) != 1 or len(self.rows[0]) != 1:
            shape = f"{len(self.rows)} rows of {len(self.column_names)} columns"
            raise ValueError(f"expected one value, got {shape}")
        return self.rows[0][0]


@runtime_checkable
class ClickHouseClient(Protocol):
    """What the sink, the migrations and the CLI call. Implementations are thread-safe."""

    def command(self, sql: str) -> None:
        """Run a statement without a result set (DDL, INSERT ... SELECT)."""
        ...

    def insert(
        self,
        table: str,
        rows: Sequence[Sequence[Any]],
        column_names: Sequence[str],
        settings: Mapping[str, SettingValue] | None = None,
    ) -> int:
        """Insert Python rows into `table` (`db.table`) as one block; returns the number of rows sent."""
        ...

    def query(self, sql: str, parameters: Mapping[str, Any] | None = None) -> QueryResult:
        """Run a SELECT; `{name:Type}` placeholders are bound server-side from `parameters`."""
        ...

    def close(self) -> None: ...


def quote_identifier(name: str) -> str:
    """Backtick-quote a database, table or column name, refusing anything but plain identifiers."""
    if not _IDENTIFIER_RE.match(name):
        raise ValueError(f"not a valid ClickHouse identifier: {name!r}")
    return f"`{name}`"


def qualified(table: str) -> str:
    """`db.table` or `table`, each part checked and quoted."""
    return ".".join(quote_identifier(part) for part in table.split("."))


def settings_clause(settings: Mapping[str, SettingValue]) -> str:
    """A `SETTINGS k = v, ...` clause with names checked and values quoted as SQL literals."""
    parts = []
    for key, value in settings.items():
        if not _IDENTIFIER_RE.match(key):
            raise ValueError(f"not a valid setting name: {key!r}")
        if isinstance(value, bool):
            literal = "1" if value else "0"
        elif isinstance(value, int | float):
            literal = repr(value)
        else:
            literal = "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"
        parts.append(f"{key} = {literal}")
    return "SETTINGS " + ", ".join(parts) if parts else ""
