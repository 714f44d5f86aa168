"""Versioned results: replays land beside the live ones in `ticket_event_versions`, on chDB and through
clickhouse-connect; the live tables stay as BI knows them unless a replay is run with `--live`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from schemas import EnrichedTicket, FieldPrediction, LanguageResult, ReplayStamp
from schemas.enrichment import RiskLevel
from schemas.events import Status
from sinks.clickhouse import ClickHouseClient, ClickHouseSink
from sinks.clickhouse.migrations import load_migrations
from sinks.clickhouse.query_pack import run_query
from sinks.clickhouse.retention import Retention, current_ttls
from sinks.clickhouse.rows import sla_outcome_of
from tests.sinks.test_clickhouse import T0, make_ticket

LIVE = "0.1.0+abc123"  # make_ticket's pipeline_version


def candidate(ticket: EnrichedTicket, version: str = "v2", *, live: bool = False, category: str | None = None,
              intent: str | None = None, priority: str | None = None, language: str | None = None,
              risk: tuple[RiskLevel, float] | None = None) -> EnrichedTicket:
    """The same event as a replay through another model would return it."""
    c, sla = ticket.classification, ticket.sla
    changes: dict[str, Any] = {}
    if category:
        changes["category"] = FieldPrediction(label=category, confidence=0.7, backend="local")
    if intent:
        changes["intent"] = FieldPrediction(label=intent, confidence=0.7, backend="local")
    if priority:
        changes["priority"] = FieldPrediction(label=priority, confidence=0.7, backend="local")
    update: dict[str, Any] = {"classification": c.model_copy(update=changes), "pipeline_version": version,
                              "replay": ReplayStamp(pipeline_version=version, live=live)}
    if language:
        update["language"] = LanguageResult(code=language, confidence=0.8)
    if risk:
        update["sla"] = sla.model_copy(update={"risk_level": risk[0], "breach_probability": risk[1]})
    return ticket.model_copy(update=update)


def rows(sink: ClickHouseSink, sql: str) -> list[tuple[Any, ...]]:
    return sink.query(sql.replace("{db}", sink.database)).rows


def live_state(sink: ClickHouseSink) -> dict[str, Any]:
    """What BI reads from the live tables."""
    return {
        "events": rows(sink, "SELECT event_id, pipeline_version, category FROM {db}.ticket_events FINAL ORDER BY 1"),
        "tickets": rows(sink, "SELECT ticket_id, pipeline_version, category FROM {db}.tickets FINAL ORDER BY 1"),
        "volume": rows(sink, "SELECT sum(events) FROM {db}.hourly_volume"),
        "risk": rows(sink, "SELECT sum(events), sum(high_risk) FROM {db}.hourly_sla_risk"),
    }


def versions(sink: ClickHouseSink) -> list[tuple[Any, ...]]:
    return rows(sink, "SELECT pipeline_version, count(), groupArray(category) FROM "
                      "(SELECT * FROM {db}.ticket_event_versions FINAL ORDER BY event_id) GROUP BY 1 ORDER BY 1")


def test_live_results_are_kept_under_their_version(sink: ClickHouseSink) -> None:
    sink.write_enriched([make_ticket(n) for n in range(4)])
    assert versions(sink) == [(LIVE, 4, ["billing"] * 4)]


def test_a_replay_lands_beside_the_live_results_and_leaves_the_live_tables_alone(sink: ClickHouseSink) -> None:
    live = [make_ticket(n) for n in range(6)]
    sink.write_enriched(live)
    before = live_state(sink)
    replayed = [candidate(t, category="refund", risk=(RiskLevel.high, 0.9)) for t in live]
    assert sink.write_enriched(replayed) == 6

    assert live_state(sink) == before  # events, latest ticket state and the rollups: as they were
    assert versions(sink) == [(LIVE, 6, ["billing"] * 6), ("v2", 6, ["refund"] * 6)]


def test_a_replay_with_live_replaces_the_live_rows_and_both_versions_stay(sink: ClickHouseSink) -> None:
    live = [make_ticket(n) for n in range(3)]
    sink.write_enriched(live)
    sink.write_enriched([candidate(t, live=True, category="refund") for t in live])
    assert rows(sink, "SELECT DISTINCT pipeline_version, category FROM {db}.ticket_events FINAL") == [("v2", "refund")]
    assert rows(sink, "SELECT DISTINCT pipeline_version FROM {db}.tickets FINAL") == [("v2",)]
    assert versions(sink) == [(LIVE, 3, ["billing"] * 3), ("v2", 3, ["refund"] * 3)]


def test_running_a_version_again_replaces_only_that_versions_rows(sink: ClickHouseSink) -> None:
    live = [make_ticket(n) for n in range(3)]
    sink.write_enriched(live)
    sink.write_enriched([candidate(t, category="refund") for t in live])
    sink.write_enriched([candidate(t, category="shipping") for t in live])
    assert versions(sink) == [(LIVE, 3, ["billing"] * 3), ("v2", 3, ["shipping"] * 3)]


def test_a_redelivered_replay_batch_is_stored_once(sink: ClickHouseSink) -> None:
    replayed = [candidate(make_ticket(n)) for n in range(4)]
    sink.write_enriched(replayed, dedup_token="replay.tickets.enriched:abc")
    sink.write_enriched(replayed, dedup_token="replay.tickets.enriched:abc")  # re-consumed after a crash
    assert rows(sink, "SELECT count() FROM {db}.ticket_event_versions") == [(4,)]  # not even unmerged copies


def test_a_mixed_batch_goes_both_ways(sink: ClickHouseSink) -> None:
    batch = [make_ticket(0), candidate(make_ticket(1))]
    assert sink.write_enriched(batch, dedup_token="t:1") == 2
    assert rows(sink, "SELECT event_id FROM {db}.ticket_events") == [("evt-000000",)]
    assert rows(sink, "SELECT event_id, pipeline_version FROM {db}.ticket_event_versions ORDER BY 1") == [
        ("evt-000000", LIVE), ("evt-000001", "v2")]


def test_a_replay_does_not_record_sla_outcomes() -> None:
    solved = make_ticket(2, status=Status.solved)
    solved = solved.model_copy(update={"sla": solved.sla.model_copy(update={"resolution_met": True})})
    assert sla_outcome_of(solved) is not None
    assert sla_outcome_of(candidate(solved)) is None  # the live outcome and its prediction stay
    assert sla_outcome_of(candidate(solved, live=True)) is not None


def test_the_migration_copies_the_results_stored_before_it(client: ClickHouseClient, database: str) -> None:
    sink = ClickHouseSink(client, database, retention=Retention.forever())
    sink.ensure_schema()
    sink.write_enriched([make_ticket(n) for n in range(5)])
    # Back to the schema before migration 3, with its results in ticket_events.
    client.command(f"DROP VIEW {database}.ticket_event_versions_mv")
    client.command(f"DROP TABLE {database}.ticket_event_versions")
    client.command(f"TRUNCATE TABLE {database}.schema_migrations")
    earlier = [m for m in load_migrations() if m.version < 3]
    client.insert(f"{database}.schema_migrations", [(m.version, m.name, m.checksum, T0) for m in earlier],
                  ["version", "name", "checksum", "applied_at"])

    assert sink.ensure_schema() == [3]
    assert versions(sink) == [(LIVE, 5, ["billing"] * 5)]
    (third,) = [m for m in load_migrations() if m.version == 3]
    for statement in third.statements(database):  # cut off and run again: still one row per event and version
        client.command(statement)
    assert versions(sink) == [(LIVE, 5, ["billing"] * 5)]


# -- the query pack's comparison ---------------------------------------------------------------------

START, END = T0 - timedelta(days=1), T0 + timedelta(days=1)
COLUMNS = ("baseline_category", "events", "category_agreement", "intent_agreement", "priority_agreement",
           "language_agreement", "avg_breach_baseline", "avg_breach_candidate", "risk_raised", "risk_lowered")


def comparison_data() -> tuple[list[EnrichedTicket], list[EnrichedTicket]]:
    """Six events under both versions with one known difference each; and events that must not count."""
    def base(n: int, **kw: Any) -> EnrichedTicket:
        t = make_ticket(n, **kw)
        if n >= 3:
            t = t.model_copy(update={"classification": t.classification.model_copy(
                update={"category": FieldPrediction(label="shipping", confidence=0.9, backend="local")})})
        return t

    b = [base(n) for n in range(6)]  # n = 0, 2, 4 have a predicted priority ("high"), 1, 3, 5 none
    c = [
        candidate(b[0], category="refund"),
        candidate(b[1], language="de"),
        candidate(b[2], priority="low"),
        candidate(b[3], risk=(RiskLevel.high, 0.7)),
        candidate(b[4], intent="track_order", risk=(RiskLevel.low, 0.1)),
        candidate(b[5]),
    ]
    only_baseline = base(6)  # never replayed
    only_candidate = candidate(base(7, ticket="ZD-NEW"))
    other_tenant = base(8, tenant="globex")
    too_old = base(9, occurred_at=T0 - timedelta(days=10))
    baseline = [*b, only_baseline, other_tenant, too_old]
    return baseline, [*c, only_candidate, candidate(other_tenant, category="refund"), candidate(too_old)]


def test_version_comparison_measures_agreement_on_the_same_events(sink: ClickHouseSink) -> None:
    baseline, replayed = comparison_data()
    sink.write_enriched(baseline)
    sink.write_enriched(replayed)
    result = run_query(sink.client, sink.database, "version_comparison", START, END, "acme",
                       {"baseline": LIVE, "candidate": "v2"})
    assert result.column_names == COLUMNS
    assert result.rows == [
        ("", 6, 0.8333, 0.8333, 0.6667, 0.8333, 0.3333, 0.3556, 1, 1),  # all categories
        ("billing", 3, 0.6667, 1.0, 0.5, 0.6667, 0.3333, 0.3333, 0, 0),
        ("shipping", 3, 1.0, 0.6667, 1.0, 1.0, 0.3333, 0.3778, 1, 1),
    ]
    everyone = run_query(sink.client, sink.database, "version_comparison", START, END, "",
                         {"baseline": LIVE, "candidate": "v2"}).dicts()
    assert everyone[0]["events"] == 7 and everyone[0]["category_agreement"] == round(5 / 7, 4)


def test_version_comparison_of_versions_without_common_events_is_empty(sink: ClickHouseSink) -> None:
    baseline, _ = comparison_data()
    sink.write_enriched(baseline)
    result = run_query(sink.client, sink.database, "version_comparison", START, END, "",
                       {"baseline": LIVE, "candidate": "v9"})
    assert result.column_names == COLUMNS and result.rows == []


def test_versions_table_has_the_event_logs_retention(client: ClickHouseClient, database: str) -> None:
    sink = ClickHouseSink(client, database)  # default retention
    sink.ensure_schema()
    assert current_ttls(client, database)["ticket_event_versions"] == "toDateTime(occurred_at) + toIntervalMonth(12)"
