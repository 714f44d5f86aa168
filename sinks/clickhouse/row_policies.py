"""Per-tenant row policies for BI users, generated from `sql/row_policies.sql` for a list of tenants.

Row policies need a ClickHouse server with access management (chDB has none), so they are not applied
by the migrations: an operator generates the statements and runs them as an admin. The tables covered
are every table of the schema with a `tenant_id` column; the tests check the list against the schema.
"""

from __future__ import annotations

import argparse
import re
import sys
from importlib import resources

from sinks.clickhouse.client import quote_identifier

TENANT_TABLES: tuple[str, ...] = (
    "ticket_events",
    "ticket_event_versions",
    "tickets",
    "llm_calls",
    "sla_outcomes",
    "dead_letters",
    "hourly_volume",
    "hourly_sla_risk",
    "hourly_sentiment",
    "hourly_classifier",
    "hourly_llm_cost",
    "hourly_dead_letters",
)
_TENANT_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def tenant_predicate(tenant: str) -> str:
    """The policy's USING expression for `tenant`, e.g. `tenant_id = 'acme'`."""
    if not _TENANT_RE.match(tenant):
        raise ValueError(f"not a valid tenant id: {tenant!r} (lowercase letters, digits, _ and -)")
    return f"tenant_id = '{tenant}'"


def _template() -> str:
    return resources.files("sinks.clickhouse").joinpath("sql", "row_policies.sql").read_text(encoding="utf-8")


def row_policy_statements(database: str, tenants: list[str]) -> list[str]:
    """The statements of `sql/row_policies.sql` for each tenant; the allow-all part once, at the end."""
    db = quote_identifier(database)
    tables = ", ".join(f"{db}.{quote_identifier(t)}" for t in TENANT_TABLES)
    text = "\n".join(line for line in _template().splitlines() if not line.lstrip().startswith("--"))
    statements = [s.strip() for s in re.split(r";\s*$", text, flags=re.MULTILINE) if s.strip()]
    per_tenant = [s for s in statements if "{name}" in s]
    shared = [s for s in statements if "{name}" not in s]
    out = []
    for tenant in dict.fromkeys(tenants):
        predicate = tenant_predicate(tenant)
        name = tenant.replace("-", "_")
        for statement in per_tenant:
            out.append(
                statement.replace("{db}", db)
                .replace("{tables}", tables)
                .replace("{name}", name)
                .replace("tenant_id = {tenant}", predicate)
            )
    out.extend(s.replace("{db}", db).replace("{tables}", tables) for s in shared)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Print the row-policy statements for the given tenants.")
    parser.add_argument("--database", default="ticketstream")
    parser.add_argument("tenants", nargs="+")
    args = parser.parse_args(argv)
    try:
        statements = row_policy_statements(args.database, args.tenants)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(";\n\n".join(statements) + ";")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
