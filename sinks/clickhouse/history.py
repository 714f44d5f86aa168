"""Read the pipeline's own history back for retraining (`ticketstream train sla --from-clickhouse`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sinks.clickhouse.client import ClickHouseClient

SLA_EVENT_COLUMNS = ("tenant_id", "ticket_id", "event_id", "event_type", "occurred_at", "ticket_created_at",
                     "priority", "channel", "status", "queue")


def sla_history(client: ClickHouseClient, database: str, *, tenant: str | None = None,
                since: datetime | None = None, until: datetime | None = None
                ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(events, outcomes) of the tickets that have an SLA outcome, events in time order per ticket.

    A ticket counts by its outcome's time (`solved_at` in [since, until)), and all its events come with it,
    also those before `since`, so its state can be rebuilt from its first event."""
    where = ["1"]
    params: dict[str, Any] = {}
    if tenant:
        where.append("tenant_id = {tenant:String}")
        params["tenant"] = tenant
    if since:
        where.append("solved_at >= {since:DateTime64(3, 'UTC')}")
        params["since"] = _utc(since)
    if until:
        where.append("solved_at < {until:DateTime64(3, 'UTC')}")
        params["until"] = _utc(until)
    outcomes = client.query(
        f"SELECT tenant_id, ticket_id, argMax(met_resolution, solved_at) AS met_resolution "
        f"FROM {database}.sla_outcomes FINAL WHERE {' AND '.join(where)} GROUP BY tenant_id, ticket_id",
        params).dicts()
    if not outcomes:
        return [], []
    tenant_filter = "AND tenant_id = {tenant:String}" if tenant else ""
    events = client.query(
        f"SELECT {', '.join(SLA_EVENT_COLUMNS)} FROM {database}.ticket_events FINAL "
        f"WHERE (tenant_id, ticket_id) IN (SELECT tenant_id, ticket_id FROM {database}.sla_outcomes FINAL "
        f"WHERE {' AND '.join(where)}) {tenant_filter} ORDER BY tenant_id, ticket_id, occurred_at, event_id",
        params).dicts()
    return events, outcomes


def _utc(when: datetime) -> str:
    """DateTime64 query parameters are bound as text without an offset (both chDB and the HTTP interface)."""
    aware = when if when.tzinfo else when.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
