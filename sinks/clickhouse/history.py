"""Read the pipeline's own history back for retraining (`ticketstream train sla|classifier --from-clickhouse`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sinks.clickhouse.client import ClickHouseClient, quote_identifier

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


def labelled_ticket_history(client: ClickHouseClient, database: str, label_prefixes: Mapping[str, str], *,
                            exclude_prefixes: Sequence[str] = (), tenant: str | None = None,
                            since: datetime | None = None, until: datetime | None = None) -> list[dict[str, Any]]:
    """One row per ticket for `ticketstream train classifier --from-clickhouse`: its first redacted text and,
    per field, the tags with that field's prefix on the ticket's latest event that carries any.

    The text is the ticket's first event with a subject or body (what the customer asked, as the classifier
    saw it: redacted). Labels come from tags agents set, never from the pipeline's own `category`/`intent`
    columns; tags starting with an `exclude_prefixes` entry (the outbound planner's, e.g. `ts_`, which echo the
    predictions back from the helpdesk) never count. A later event's tags win, so a label an agent corrects
    after creation is the one read. A ticket counts by its first event's time (`[since, until)`).
    Columns: tenant_id, ticket_id, created_at, first_subject, first_body, and `labels_<field>` (a list, usually
    of one).
    """
    if not label_prefixes:
        raise ValueError("name at least one field and its tag prefix")
    db = quote_identifier(database)
    params: dict[str, Any] = {f"x{j}": prefix for j, prefix in enumerate(exclude_prefixes)}
    not_excluded = "".join(f" AND NOT startsWith(t, {{x{j}:String}})" for j in range(len(exclude_prefixes)))
    has_text = "(subject != '' OR body != '')"
    order = "(occurred_at, event_id)"
    label_columns = []
    for i, (field, prefix) in enumerate(label_prefixes.items()):
        if not field.isidentifier():
            raise ValueError(f"field name {field!r} is not an identifier")
        params[f"p{i}"] = prefix
        match = f"arrayFilter(t -> startsWith(t, {{p{i}:String}}){not_excluded}, tags)"
        label_columns.append(f"argMaxIf({match}, {order}, notEmpty({match})) AS labels_{field}")
    where = ["1"]
    if tenant:
        where.append("tenant_id = {tenant:String}")
        params["tenant"] = tenant
    having = [f"countIf({has_text}) > 0"]
    if since:
        having.append("created_at >= {since:DateTime64(3, 'UTC')}")
        params["since"] = _utc(since)
    if until:
        having.append("created_at < {until:DateTime64(3, 'UTC')}")
        params["until"] = _utc(until)
    sql = (f"SELECT tenant_id, ticket_id, min(occurred_at) AS created_at, "
           f"argMinIf(subject, {order}, {has_text}) AS first_subject, "
           f"argMinIf(body, {order}, {has_text}) AS first_body, "
           f"{', '.join(label_columns)} FROM {db}.ticket_events FINAL WHERE {' AND '.join(where)} "
           f"GROUP BY tenant_id, ticket_id HAVING {' AND '.join(having)} ORDER BY tenant_id, ticket_id")
    return client.query(sql, params).dicts()
