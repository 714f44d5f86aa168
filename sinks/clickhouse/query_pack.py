"""The query pack: documented BI queries in `queries/*.sql`, run the same way on chDB and a server.

Each file starts with `-- key: value` header lines (title, description, params, columns; a line starting
with `--   ` continues the previous value). `{db}` stands for the database; `{start:String}`,
`{end:String}` (UTC `YYYY-MM-DD hh:mm:ss`, end exclusive) and `{tenant:String}` ('' = all tenants) are
bound by ClickHouse itself, so a value never becomes SQL. A query may take more `{name:String}` values
(e.g. the two pipeline versions of `version_comparison`); they are named in its `params` header and must
be given to `run_query`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources

from sinks.clickhouse.client import ClickHouseClient, QueryResult, quote_identifier

_HEADER_RE = re.compile(r"^--\s([a-z_]+):\s?(.*)$")
_CONTINUED_RE = re.compile(r"^--\s{2,}(\S.*)$")
_PARAM_RE = re.compile(r"\{([a-z_]+):[A-Za-z0-9()]+\}")
STANDARD_PARAMETERS = ("start", "end", "tenant")


@dataclass(frozen=True)
class PackQuery:
    name: str
    sql: str
    header: dict[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.header.get("title", self.name)

    @property
    def description(self) -> str:
        return self.header.get("description", "")

    @property
    def columns(self) -> list[str]:
        return [c.strip() for c in self.header.get("columns", "").split(",") if c.strip()]

    @property
    def parameters(self) -> set[str]:
        return set(_PARAM_RE.findall(self.sql))

    @property
    def extra_parameters(self) -> set[str]:
        """Parameters beyond the period and tenant every query takes; the caller supplies them."""
        return self.parameters - set(STANDARD_PARAMETERS)

    def bind(self, database: str) -> str:
        return self.sql.replace("{db}", quote_identifier(database))


def parse_query(name: str, text: str) -> PackQuery:
    header: dict[str, str] = {}
    last: str | None = None
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        continued = _CONTINUED_RE.match(line)
        match = _HEADER_RE.match(line)
        if continued and last is not None:
            header[last] += " " + continued.group(1).strip()
        elif match:
            last = match.group(1)
            header[last] = match.group(2).strip()
    return PackQuery(name=name, sql=text, header=header)


def load_queries() -> dict[str, PackQuery]:
    """All packaged queries by name (the file name without `.sql`), sorted by name."""
    folder = resources.files("sinks.clickhouse").joinpath("queries")
    found = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            name = entry.name[: -len(".sql")]
            found[name] = parse_query(name, entry.read_text(encoding="utf-8"))
    return dict(sorted(found.items()))


def format_time(value: datetime) -> str:
    """A datetime as the UTC text the pack's `{start:String}`/`{end:String}` expect; naive means UTC."""
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value.strftime("%Y-%m-%d %H:%M:%S")


def run_query(
    client: ClickHouseClient,
    database: str,
    name: str,
    start: datetime,
    end: datetime,
    tenant: str = "",
    params: Mapping[str, str] | None = None,
) -> QueryResult:
    """Run pack query `name` over [start, end) for `tenant` ('' = all tenants); `params` gives the values of
    the query's own parameters (`PackQuery.extra_parameters`), e.g. {"baseline": "v1", "candidate": "v2"}."""
    queries = load_queries()
    if name not in queries:
        raise ValueError(f"no query {name!r} in the pack (have: {', '.join(queries)})")
    if end <= start:
        raise ValueError(f"query {name}: end {end.isoformat()} is not after start {start.isoformat()}")
    query = queries[name]
    given = dict(params or {})
    missing, unknown = query.extra_parameters - set(given), set(given) - query.extra_parameters
    if missing or unknown:
        raise ValueError(f"query {name}: " + "; ".join(
            part for part in (f"give {', '.join(sorted(missing))}" if missing else "",
                              f"takes no {', '.join(sorted(unknown))}" if unknown else "") if part))
    bound = {**given, "start": format_time(start), "end": format_time(end), "tenant": tenant}
    return client.query(query.bind(database), bound)
