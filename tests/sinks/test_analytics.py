"""BI schema, retention, dedup tokens, batching and the query pack, on chDB and through clickhouse-connect."""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from schemas import EnrichedTicket
from sinks.clickhouse import ChdbClient, ClickHouseClient, ClickHouseSink, ClickHouseUnavailable, ConnectClient
from sinks.clickhouse.batching import Backoff, InsertBuffer, PendingBatch, write_with_backoff
from sinks.clickhouse.query_pack import load_queries, run_query
from sinks.clickhouse.retention import DEFAULT_MONTHS, Retention, apply_retention, current_ttls
from sinks.clickhouse.row_policies import TENANT_TABLES, row_policy_statements, tenant_predicate
from sinks.clickhouse.rows import offsets_token
from sinks.clickhouse.sample_data import SampleData
from tests.sinks.analytics_data import DAYS, NOW, load, sample
from tests.sinks.test_clickhouse import make_dead_letter, make_ticket
from tests.support.chdb_http import ChdbHttpServer

ROLLUPS = ("hourly_volume", "hourly_sla_risk", "hourly_sentiment", "hourly_classifier", "hourly_llm_cost",
           "hourly_dead_letters")
START = NOW - timedelta(days=DAYS)


@pytest.fixture(scope="module")
def data() -> SampleData:
    return sample()


@pytest.fixture
def loaded(sink: ClickHouseSink, data: SampleData) -> ClickHouseSink:
    load(sink, data)
    return sink


def scalar(sink: ClickHouseSink, sql: str) -> Any:
    return sink.query(sql.replace("{db}", sink.database)).scalar()


# -- schema and retention ------------------------------------------------------------------------------


def test_bi_tables_and_hourly_views_exist(sink: ClickHouseSink) -> None:
    names = {r[0] for r in sink.query(
        "SELECT name FROM system.tables WHERE database = {db:String}", {"db": sink.database}).rows}
    assert {"llm_calls", "sla_outcomes", *ROLLUPS, *(f"{r}_mv" for r in ROLLUPS)} <= names


@pytest.fixture
def default_sink(client: ClickHouseClient, database: str) -> ClickHouseSink:
    sink = ClickHouseSink(client, database)
    sink.ensure_schema()
    return sink


def test_default_retention_is_twelve_months_for_the_audit_trail(default_sink: ClickHouseSink) -> None:
    sink = default_sink
    ttls = current_ttls(sink.client, sink.database)
    assert ttls["ticket_events"] == "toDateTime(occurred_at) + toIntervalMonth(12)"
    assert set(ttls) == set(DEFAULT_MONTHS)
    assert all(ttl is not None for ttl in ttls.values())
    assert apply_retention(sink.client, sink.database) == []  # already as configured: no ALTER


def test_retention_is_configurable_per_table(default_sink: ClickHouseSink) -> None:
    sink = default_sink
    retention = Retention.parse("ticket_events=3, llm_calls=0")
    assert apply_retention(sink.client, sink.database, retention) == ["llm_calls", "ticket_events"]
    ttls = current_ttls(sink.client, sink.database)
    assert ttls["ticket_events"] == "toDateTime(occurred_at) + toIntervalMonth(3)"
    assert ttls["llm_calls"] is None
    assert ttls["dead_letters"] == "toDateTime(failed_at) + toIntervalMonth(6)"
    assert apply_retention(sink.client, sink.database, retention) == []


def test_rows_older_than_the_retention_are_dropped(default_sink: ClickHouseSink) -> None:
    sink = default_sink
    old = make_ticket(1, event="old", occurred_at=datetime.now(UTC) - timedelta(days=400))
    new = make_ticket(2, event="new", occurred_at=datetime.now(UTC) - timedelta(days=10))
    sink.write_enriched([old, new])
    sink.client.command(f"OPTIMIZE TABLE {sink.database}.ticket_events FINAL")
    rows = sink.query(f"SELECT event_id FROM {sink.database}.ticket_events").rows
    assert rows == [("new",)]


@pytest.mark.parametrize(
    ("text", "message"),
    [("tickets_x=3", "unknown table 'tickets_x'"), ("ticket_events=abc", "expected table=months"),
     ("ticket_events=5000", "months for ticket_events")],
)
def test_bad_retention_names_the_table(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Retention.parse(text)


# -- deduplication tokens and inserts -----------------------------------------------------------------


def test_offsets_token_depends_on_topic_and_offsets_not_order() -> None:
    token = offsets_token("ts.tickets.enriched", {0: [5, 6, 7], 3: [10]})
    assert token == offsets_token("ts.tickets.enriched", {3: [10], 0: [7, 5, 6]})
    assert token != offsets_token("ts.tickets.enriched", {0: [5, 6, 7], 3: [11]})
    assert token != offsets_token("ts.tickets.enriched", {0: [5, 6, 7], 2: [10]})
    assert token != offsets_token("other.tickets.enriched", {0: [5, 6, 7], 3: [10]})
    with pytest.raises(ValueError, match="no offsets"):
        offsets_token("t", {0: []})
    with pytest.raises(ValueError, match="topic"):
        offsets_token("", {0: [1]})


def rollup_events(sink: ClickHouseSink) -> int:
    return int(scalar(sink, "SELECT sum(events) FROM {db}.hourly_volume"))


def test_re_consumed_batch_with_same_offsets_is_stored_once_everywhere(sink: ClickHouseSink) -> None:
    batch = [make_ticket(n) for n in range(8)]
    token = offsets_token("ts.tickets.enriched", {1: range(100, 108)})
    sink.write_enriched(batch, dedup_token=token)
    time.sleep(0.002)  # the re-run after a crash writes a new version; the token still matches
    sink.write_enriched(batch, dedup_token=token)
    assert sink.count_events(final=False) == 8
    assert scalar(sink, "SELECT count() FROM {db}.tickets") == 8
    assert rollup_events(sink) == 8
    # The next batch (other offsets) is stored, same content or not.
    sink.write_enriched([make_ticket(20)], dedup_token=offsets_token("ts.tickets.enriched", {1: [108]}))
    assert rollup_events(sink) == 9


def test_llm_calls_dead_letters_and_outcomes_deduplicate_by_token(sink: ClickHouseSink, data: SampleData) -> None:
    calls, outcomes = data.llm_calls[:5], data.outcomes[:4]
    letters = [make_dead_letter(n) for n in range(3)]
    for _ in range(2):
        sink.write_llm_calls(calls, dedup_token="ts.llm:abc")
        sink.write_sla_outcomes(outcomes, dedup_token="ts.sla:abc")
        sink.write_dead_letters(letters, dedup_token="ts.dlq:abc")
    assert scalar(sink, "SELECT count() FROM {db}.llm_calls") == 5
    assert scalar(sink, "SELECT sum(calls) FROM {db}.hourly_llm_cost") == 5
    assert scalar(sink, "SELECT count() FROM {db}.sla_outcomes") == 4
    assert scalar(sink, "SELECT count() FROM {db}.dead_letters") == 3
    assert scalar(sink, "SELECT sum(letters) FROM {db}.hourly_dead_letters") == 3


def test_llm_calls_and_outcomes_read_back(sink: ClickHouseSink, data: SampleData) -> None:
    call, outcome = data.llm_calls[0], data.outcomes[0]
    sink.write_llm_calls([call])
    sink.write_sla_outcomes([outcome])
    got = sink.query(f"SELECT call_id, tenant_id, backend, model, input_tokens, output_tokens, cost_usd, outcome, "
                     f"fields, started_at FROM {sink.database}.llm_calls").dicts()
    assert got == [{
        "call_id": call.call_id, "tenant_id": call.tenant_id, "backend": call.backend, "model": call.model,
        "input_tokens": call.input_tokens, "output_tokens": call.output_tokens, "cost_usd": call.cost_usd,
        "outcome": call.outcome, "fields": call.fields,
        "started_at": call.started_at.replace(microsecond=call.started_at.microsecond // 1000 * 1000),
    }]
    row = sink.query(f"SELECT ticket_id, met_first_response, met_resolution, predicted_breach_at_creation, "
                     f"predicted_breach_last, queue FROM {sink.database}.sla_outcomes").rows
    assert row == [(outcome.ticket_id, outcome.met_first_response, outcome.met_resolution,
                    outcome.predicted_breach_at_creation, outcome.predicted_breach_last, outcome.queue)]


def test_large_batches_are_split_and_still_deduplicated(client: ClickHouseClient, database: str) -> None:
    sink = ClickHouseSink(client, database, retention=Retention.forever(), max_rows_per_insert=3)
    sink.ensure_schema()
    batch = [make_ticket(n) for n in range(10)]
    token = offsets_token("t", {0: range(10)})
    assert sink.write_enriched(batch, dedup_token=token) == 10
    sink.write_enriched(batch, dedup_token=token)
    assert sink.count_events(final=False) == 10
    parts = scalar(sink, "SELECT count() FROM system.parts WHERE database = '{db}' AND table = 'ticket_events'")
    assert parts == 4


def test_insert_buffer_bounds_by_size_and_time() -> None:
    now = [0.0]
    buffer: InsertBuffer[str] = InsertBuffer("ts.enriched", max_rows=3, max_wait_s=2.0, clock=lambda: now[0])
    assert not buffer.due() and buffer.take() is None
    buffer.add("a", 0, 10)
    buffer.add("b", 1, 4)
    assert not buffer.due()
    now[0] = 2.5
    assert buffer.due()  # time bound
    for item, partition, offset in (("c", 0, 11), ("d", 0, 12), ("e", 1, 5)):
        buffer.add(item, partition, offset)
    first = buffer.take()
    assert first is not None
    assert first.items == ["a", "b", "c"]
    assert first.commit == {("ts.enriched", 0): 12, ("ts.enriched", 1): 5}
    assert first.token == offsets_token("ts.enriched", {0: [10, 11], 1: [4]})
    assert len(buffer) == 2 and not buffer.due()  # the rest starts a fresh wait
    now[0] = 4.6
    rest = buffer.take()
    assert rest is not None and rest.items == ["d", "e"]
    assert rest.commit == {("ts.enriched", 0): 13, ("ts.enriched", 1): 6}


def test_outage_is_retried_without_loss_or_duplicates(chdb_dir: Path, database: str) -> None:
    front = ChdbHttpServer(chdb_dir).start()
    port = int(front.url.rsplit(":", 1)[1])
    sink = ClickHouseSink(ConnectClient(front.url), database, retention=Retention.forever())
    sink.ensure_schema()
    buffer: InsertBuffer[EnrichedTicket] = InsertBuffer("ts.tickets.enriched", max_rows=30)
    for n in range(60):
        buffer.add(make_ticket(n), n % 3, 1000 + n)
    first, second = buffer.take(), buffer.take()
    assert first is not None and second is not None
    # Batch 1 reached ClickHouse, but the answer was lost when it went down: its offsets were never
    # committed, so the sink sends it again. Batch 2 meets the outage on its first attempt.
    sink.write_enriched(first.items, dedup_token=first.token)
    front.stop()
    restarted: list[ChdbHttpServer] = []

    def come_back() -> None:
        time.sleep(1.0)
        restarted.append(ChdbHttpServer(chdb_dir, port=port).start())

    threading.Thread(target=come_back).start()
    attempts = [0]

    def writer(pending: PendingBatch[EnrichedTicket]) -> Callable[[], int]:
        def write() -> int:
            attempts[0] += 1
            return sink.write_enriched(pending.items, dedup_token=pending.token)

        return write

    try:
        backoff = Backoff(initial_s=0.1, max_s=0.3, max_elapsed_s=30)
        assert write_with_backoff(writer(first), backoff) == 30
        assert write_with_backoff(writer(second), backoff) == 30
        assert attempts[0] > 2
        check = ChdbClient(chdb_dir)
        try:
            table = f"{database}.ticket_events"
            assert check.query(f"SELECT count() FROM {table}").scalar() == 60  # not one duplicate, even unmerged
            assert check.query(f"SELECT sum(events) FROM {database}.hourly_volume").scalar() == 60
        finally:
            check.close()
    finally:
        sink.close()
        for server in restarted:
            server.stop()


def test_backoff_gives_up_after_max_elapsed_and_other_errors_pass() -> None:
    def down() -> int:
        raise ClickHouseUnavailable("connection refused")

    slept: list[float] = []
    clock = iter(range(100))
    with pytest.raises(ClickHouseUnavailable):
        write_with_backoff(down, Backoff(initial_s=1, max_s=4, jitter=0, max_elapsed_s=5), slept.append,
                           lambda: float(next(clock)))
    assert slept == [1, 2, 4, 4]  # the 5th failure comes at 5 s elapsed: give up

    def bad() -> int:
        raise ValueError("bad data")

    with pytest.raises(ValueError):
        write_with_backoff(bad, Backoff(), slept.append)


# -- rollups and the query pack ------------------------------------------------------------------------


def test_rollups_add_up_to_the_base_tables(loaded: ClickHouseSink, data: SampleData) -> None:
    assert rollup_events(loaded) == len(data.enriched)
    pairs = [
        ("SELECT sum(events) FROM {db}.hourly_sentiment", len(data.enriched)),
        ("SELECT sum(high_risk) FROM {db}.hourly_sla_risk",
         sum(1 for t in data.enriched if t.sla.risk_level.value == "high")),
        ("SELECT round(sum(breach_probability_sum), 4) FROM {db}.hourly_sla_risk",
         round(sum(t.sla.breach_probability for t in data.enriched), 4)),
        ("SELECT sum(events) FROM {db}.hourly_classifier WHERE category_backend = 'local'",
         sum(1 for t in data.enriched if t.classification.category.backend == "local")),
        ("SELECT sum(calls) FROM {db}.hourly_llm_cost", len(data.llm_calls)),
        ("SELECT round(sum(cost_usd), 6) FROM {db}.hourly_llm_cost", round(sum(c.cost_usd for c in data.llm_calls), 6)),
        ("SELECT sum(letters) FROM {db}.hourly_dead_letters", len(data.dead_letters)),
    ]
    for sql, expected in pairs:
        assert scalar(loaded, sql) == expected, sql


def pack_params(name: str) -> dict[str, str]:
    """Values of a query's own parameters on the sample data (one pipeline version: compared with itself)."""
    return dict.fromkeys(load_queries()[name].extra_parameters, "sample")


def test_every_query_is_documented() -> None:
    queries = load_queries()
    assert len(queries) >= 10
    for name, query in queries.items():
        for key in ("title", "description", "params", "columns"):
            assert query.header.get(key), f"{name}.sql has no '-- {key}:' header"
        assert {"start", "end", "tenant"} <= query.parameters, name
        for extra in query.extra_parameters:  # a query's own parameters are named in its header
            assert extra in query.header["params"], f"{name}.sql does not document {extra}"
        assert "{db}." in query.sql, name
    assert load_queries()["version_comparison"].extra_parameters == {"baseline", "candidate"}


def test_a_query_refuses_missing_or_unknown_parameters(sink: ClickHouseSink) -> None:
    with pytest.raises(ValueError, match="give baseline, candidate"):
        run_query(sink.client, sink.database, "version_comparison", START, NOW)
    with pytest.raises(ValueError, match="takes no baseline"):
        run_query(sink.client, sink.database, "volume_by_day", START, NOW, params={"baseline": "v1"})


def test_every_query_runs_and_returns_its_documented_columns(loaded: ClickHouseSink) -> None:
    for name, query in load_queries().items():
        result = run_query(loaded.client, loaded.database, name, START, NOW, params=pack_params(name))
        assert result.column_names == tuple(query.columns), name
        assert result.rows, f"{name} returned nothing on generated data"


def in_window(at: datetime) -> bool:
    return START <= at < NOW


def test_query_pack_answers_match_the_generated_data(loaded: ClickHouseSink, data: SampleData) -> None:
    def run(name: str, tenant: str = "") -> list[dict[str, object]]:
        return run_query(loaded.client, loaded.database, name, START, NOW, tenant).dicts()

    events = [t for t in data.enriched if in_window(t.occurred_at)]
    volume = run("volume_by_day")
    assert sum(r["events"] for r in volume) == len(events)  # type: ignore[misc]
    assert sum(r["created"] for r in volume) == sum(1 for t in events if t.event_type.value == "created")  # type: ignore[misc]
    acme = run("volume_by_day", tenant="acme")
    assert sum(r["events"] for r in acme) == sum(1 for t in events if t.tenant_id == "acme")  # type: ignore[misc]

    by_language = Counter((t.language.code, t.classification.category.label) for t in events)
    assert {(r["language"], r["category"]): r["events"] for r in run("categories_by_language")} == by_language

    calls = [c for c in data.llm_calls if in_window(c.started_at)]
    cost = {r["tenant_id"]: r for r in run("llm_cost_per_tenant")}
    for tenant in ("acme", "globex"):
        mine = [c for c in calls if c.tenant_id == tenant]
        assert cost[tenant]["calls"] == len(mine)
        assert cost[tenant]["cost_usd"] == pytest.approx(sum(c.cost_usd for c in mine), abs=1e-6)
        assert cost[tenant]["tickets"] == len({c.ticket_id for c in mine})

    share = run("local_model_share")
    local = sum(1 for t in events if t.classification.category.backend == "local")
    assert sum(r["local_events"] for r in share) == local  # type: ignore[misc]

    outcomes = [o for o in data.outcomes if in_window(o.solved_at)]
    breaches: dict[tuple[str, str], int] = defaultdict(int)
    for o in outcomes:
        breaches[(o.queue or "", o.priority)] += not o.met_resolution
    got = {(r["queue"], r["priority"]): r["breached"] for r in run("sla_breaches_by_queue")}
    assert got == dict(breaches)

    letters = Counter(d.stage for d in data.dead_letters if in_window(d.failed_at))
    per_stage: Counter[str] = Counter()
    for r in run("dead_letters_by_stage"):
        per_stage[str(r["stage"])] += int(r["letters"])  # type: ignore[call-overload]
    assert per_stage == letters

    latest: dict[tuple[str, str], object] = {}
    for t in sorted(data.enriched, key=lambda t: t.occurred_at):
        latest[(t.tenant_id, t.ticket_id)] = t
    open_high = {
        key for key, t in latest.items()
        if t.status.value not in ("solved", "closed") and t.sla.risk_level.value == "high"  # type: ignore[attr-defined]
        and in_window(t.occurred_at)  # type: ignore[attr-defined]
    }
    assert {(r["tenant_id"], r["ticket_id"]) for r in run("open_high_risk_tickets")} == open_high


def test_both_clients_give_the_same_answers(chdb_dir: Path, chdb_front: ChdbHttpServer, database: str,
                                            data: SampleData) -> None:
    direct, remote = ChdbClient(chdb_dir), ConnectClient(chdb_front.url)
    try:
        sink = ClickHouseSink(remote, database, retention=Retention.forever())
        sink.ensure_schema()
        load(sink, data)  # written through clickhouse-connect, read through both
        for name in load_queries():
            a = run_query(direct, database, name, START, NOW, "globex", pack_params(name))
            b = run_query(remote, database, name, START, NOW, "globex", pack_params(name))
            assert a.column_names == b.column_names, name
            assert a.rows == b.rows, name
    finally:
        direct.close()
        remote.close()


# -- row policies --------------------------------------------------------------------------------------


def test_row_policies_cover_every_table_with_a_tenant(sink: ClickHouseSink) -> None:
    with_tenant = {r[0] for r in sink.query(
        "SELECT table FROM system.columns WHERE database = {db:String} AND name = 'tenant_id' AND table IN "
        "(SELECT name FROM system.tables WHERE database = {db:String} AND engine != 'MaterializedView')",
        {"db": sink.database}).rows}
    assert set(TENANT_TABLES) == with_tenant
    statements = row_policy_statements(sink.database, ["acme", "big-co"])
    policies = [s for s in statements if s.startswith("CREATE ROW POLICY")]
    assert len(policies) == 3
    assert "USING tenant_id = 'big-co'" in policies[1] and "TO ticketstream_tenant_big_co" in policies[1]
    for table in TENANT_TABLES:
        assert f"`{sink.database}`.`{table}`" in policies[0]


def test_row_policy_predicate_shows_only_the_tenants_rows(loaded: ClickHouseSink) -> None:
    """What chDB can check: the policy's USING expression, applied as a filter on every table."""
    for table in TENANT_TABLES:
        total = scalar(loaded, f"SELECT count() FROM {{db}}.{table}")
        acme = scalar(loaded, f"SELECT count() FROM {{db}}.{table} WHERE {tenant_predicate('acme')}")
        leaked = scalar(loaded, f"SELECT countIf(tenant_id != 'acme') FROM {{db}}.{table} "
                                f"WHERE {tenant_predicate('acme')}")
        assert leaked == 0, table
        assert 0 < acme < total or table.endswith("dead_letters"), table


def test_row_policy_refuses_a_bad_tenant() -> None:
    with pytest.raises(ValueError, match="not a valid tenant id"):
        row_policy_statements("ticketstream", ["acme' OR 1=1 --"])
