"""The ClickHouse sink against the real engine (chDB), directly and through clickhouse-connect."""

from __future__ import annotations

import socket
import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from schemas import (
    Classification,
    DeadLetter,
    EnrichedTicket,
    FieldPrediction,
    LanguageResult,
    PiiSpan,
    SlaPrediction,
)
from schemas.enrichment import RiskLevel
from schemas.events import Channel, EventType, Priority, Source, Status
from sinks.clickhouse import (
    ChdbClient,
    ClickHouseClient,
    ClickHouseError,
    ClickHouseQueryError,
    ClickHouseSink,
    ClickHouseUnavailable,
    ConnectClient,
    MigrationError,
    open_clickhouse,
)
from sinks.clickhouse.migrations import load_migrations
from sinks.clickhouse.retention import Retention
from tests.support.chdb_http import ChdbHttpServer

T0 = datetime(2025, 3, 14, 9, 26, 53, 589000, tzinfo=UTC)
FOREVER = Retention.forever()  # the fixed dates here must not expire under a retention relative to today

NASTY_SUBJECTS = [
    'Can\'t log in — "urgent" 😡',
    "Robert'); DROP TABLE ticket_events;-- ",
    "path C:\\Users\\<PERSON_1>\\new\\table\t tab",
]
NASTY_BODIES = [
    "Hi,\nmy card <CREDIT_CARD_1> was charged twice.\r\nThanks, <PERSON_1> 👍🏽\n",
    "x' OR '1'='1; INSERT INTO dead_letters VALUES ('a') FORMAT Native\n\\N \\0 \x00 end",
    'Ünïcödé 中文 العربية — {"json": [1, 2]} \\\\ \'\' "" `backtick` $1 %s {p:String}',
]


def make_ticket(
    n: int,
    *,
    tenant: str = "acme",
    ticket: str | None = None,
    event: str | None = None,
    occurred_at: datetime | None = None,
    status: Status = Status.open,
) -> EnrichedTicket:
    """A realistic enriched ticket as the last stage emits it (text already redacted)."""
    occurred = occurred_at or T0 + timedelta(minutes=n)
    with_optional = n % 2 == 0
    return EnrichedTicket(
        tenant_id=tenant,
        source=Source.zendesk,
        ticket_id=ticket or f"ZD-{1000 + n}",
        event_id=event or f"evt-{n:06d}",
        event_type=EventType.created if n % 3 == 0 else EventType.comment_added,
        occurred_at=occurred,
        ticket_created_at=occurred - timedelta(hours=2) if with_optional else None,
        subject=NASTY_SUBJECTS[n % 3],
        body=NASTY_BODIES[n % 3],
        requester_id="req-42",
        channel=Channel.email,
        priority=Priority.high if with_optional else None,
        status=status,
        queue="billing" if with_optional else None,
        tags=["vip", "refund", 'it\'s "quoted"'] if with_optional else [],
        custom_fields={"plan": "enterprise"},
        pii_spans=[
            PiiSpan(
                field="body", entity_type="CREDIT_CARD", start=8, end=24, score=0.99, placeholder="<CC_1>"
            ),
            PiiSpan(field="body", entity_type="PERSON", start=60, end=68, score=0.85, placeholder="<P_1>"),
            PiiSpan(field="subject", entity_type="PERSON", start=1, end=4, score=0.7, placeholder="<P_1>"),
        ]
        if with_optional
        else [],
        language=LanguageResult(code="en", confidence=0.9731),
        classification=Classification(
            category=FieldPrediction(label="billing", confidence=0.8734567891234, backend="local"),
            intent=FieldPrediction(label="get_refund", confidence=0.61, backend="anthropic"),
            priority=FieldPrediction(label="high", confidence=0.55, backend="local")
            if with_optional
            else None,
            sentiment=FieldPrediction(label="negative", confidence=0.9, backend="local")
            if with_optional
            else None,
            summary="Customer was charged twice; wants a refund. 'Quoted' \\ text" if with_optional else None,
            model_version="clf-2025.03.1",
        ),
        sla=SlaPrediction(
            policy="gold",
            priority="high",
            first_response_due=occurred + timedelta(hours=1),
            resolution_due=occurred + timedelta(hours=24),
            breach_probability=0.3333333333333333,
            risk_level=RiskLevel.medium,
            model_version="sla-1.4",
        ),
        pipeline_version="0.1.0+abc123",
    )


def expected_row(t: EnrichedTicket) -> dict[str, Any]:
    """What a user reading `ticket_events` should see for ticket `t`."""
    c, sla = t.classification, t.sla
    return {
        "tenant_id": t.tenant_id,
        "source": t.source.value,
        "ticket_id": t.ticket_id,
        "event_id": t.event_id,
        "event_type": t.event_type.value,
        "occurred_at": t.occurred_at,
        "ticket_created_at": t.ticket_created_at,
        "subject": t.subject,
        "body": t.body,
        "channel": t.channel.value,
        "priority": t.priority.value if t.priority else None,
        "status": t.status.value if t.status else None,
        "queue": t.queue,
        "tags": list(t.tags),
        "language": t.language.code,
        "language_confidence": t.language.confidence,
        "category": c.category.label,
        "category_confidence": c.category.confidence,
        "category_backend": c.category.backend,
        "intent": c.intent.label,
        "intent_confidence": c.intent.confidence,
        "intent_backend": c.intent.backend,
        "priority_pred": c.priority.label if c.priority else None,
        "priority_pred_confidence": c.priority.confidence if c.priority else None,
        "sentiment": c.sentiment.label if c.sentiment else None,
        "sentiment_confidence": c.sentiment.confidence if c.sentiment else None,
        "summary": c.summary,
        "sla_policy": sla.policy,
        "sla_priority": sla.priority,
        "first_response_due": sla.first_response_due,
        "resolution_due": sla.resolution_due,
        "breach_probability": sla.breach_probability,
        "risk_level": sla.risk_level.value,
        "classifier_version": c.model_version,
        "sla_model_version": sla.model_version,
        "pipeline_version": t.pipeline_version,
        "pii_span_count": len(t.pii_spans),
        "pii_types": sorted({s.entity_type for s in t.pii_spans}),
    }


def read_events(sink: ClickHouseSink) -> list[dict[str, Any]]:
    columns = ", ".join(expected_row(make_ticket(0)))
    result = sink.query(
        f"SELECT {columns} FROM {sink.database}.ticket_events FINAL ORDER BY tenant_id, ticket_id, event_id"
    )
    return result.dicts()


def table_names(client: ClickHouseClient, database: str) -> set[str]:
    result = client.query("SELECT name FROM system.tables WHERE database = {db:String}", {"db": database})
    return {row[0] for row in result.rows}


def test_migrations_apply_once_and_are_idempotent(client: ClickHouseClient, database: str) -> None:
    sink = ClickHouseSink(client, database)
    assert sink.ensure_schema() == [m.version for m in load_migrations()]
    assert sink.ensure_schema() == []
    assert {"ticket_events", "tickets", "tickets_mv", "dead_letters", "schema_migrations"} <= table_names(
        client, database
    )
    applied = client.query(f"SELECT version, name FROM {database}.schema_migrations FINAL ORDER BY version").rows
    assert applied == [(1, "initial"), (2, "analytics"), (3, "versions")]


def test_schema_is_identical_on_both_clients(chdb_dir: Path, chdb_front: ChdbHttpServer) -> None:
    direct, remote = ChdbClient(chdb_dir), ConnectClient(chdb_front.url)
    try:
        ClickHouseSink(direct, "ts_schema_direct").ensure_schema()
        ClickHouseSink(remote, "ts_schema_remote").ensure_schema()
        sql = (
            "SELECT table, name, type, default_expression FROM system.columns "
            "WHERE database = {db:String} ORDER BY table, position"
        )
        assert (
            direct.query(sql, {"db": "ts_schema_direct"}).rows
            == remote.query(sql, {"db": "ts_schema_remote"}).rows
        )
    finally:
        direct.close()
        remote.close()


def test_changed_migration_is_refused(client: ClickHouseClient, database: str) -> None:
    sink = ClickHouseSink(client, database)
    sink.ensure_schema()
    client.command(f"TRUNCATE TABLE {database}.schema_migrations")
    client.insert(
        f"{database}.schema_migrations",
        [(1, "initial", "0" * 64, T0)],
        ["version", "name", "checksum", "applied_at"],
    )
    with pytest.raises(MigrationError, match="changed after it was applied"):
        sink.ensure_schema()


def test_enriched_tickets_read_back_with_the_same_values(sink: ClickHouseSink) -> None:
    batch = [make_ticket(n) for n in range(6)]
    assert sink.write_enriched(batch) == 6
    rows = read_events(sink)
    in_key_order = sorted(batch, key=lambda t: (t.tenant_id, t.ticket_id, t.event_id))
    assert rows == [expected_row(t) for t in in_key_order]
    assert rows[0]["occurred_at"].utcoffset() == timedelta(0)


def test_stored_rows_hold_no_requester_or_pii_fields(sink: ClickHouseSink) -> None:
    columns = {
        row[0]
        for row in sink.query(
            "SELECT name FROM system.columns WHERE database = {db:String}", {"db": sink.database}
        ).rows
    }
    assert not {c for c in columns if "requester" in c or "email" in c or "phone" in c or "payload" in c}


def test_datetimes_are_stored_in_utc_at_millisecond_precision(sink: ClickHouseSink) -> None:
    cet = timezone_offset(1)
    ticket = make_ticket(1, occurred_at=datetime(2025, 1, 31, 23, 30, 0, 123456, tzinfo=cet))
    sink.write_enriched([ticket])
    (stored,) = sink.query(f"SELECT occurred_at FROM {sink.database}.ticket_events").rows
    assert stored[0] == datetime(2025, 1, 31, 22, 30, 0, 123000, tzinfo=UTC)
    partition = sink.query(
        f"SELECT partition FROM system.parts WHERE database = '{sink.database}' AND table = 'ticket_events'"
    ).scalar()
    assert partition == "202501"


def timezone_offset(hours: int) -> timezone:
    return timezone(timedelta(hours=hours))


def test_same_batch_twice_is_stored_once(sink: ClickHouseSink) -> None:
    batch = [make_ticket(n) for n in range(5)]
    sink.write_enriched(batch)
    sink.write_enriched(batch)  # a retry after a timeout: same content, same deduplication token
    assert sink.count_events(final=True) == 5
    # The insert deduplication token dropped the retried block: not even unmerged duplicates remain,
    # neither in ticket_events nor in tickets behind the materialized view.
    assert sink.count_events(final=False) == 5
    assert sink.query(f"SELECT count() FROM {sink.database}.tickets").scalar() == 5


def test_redelivered_event_in_another_batch_reads_once_with_final(sink: ClickHouseSink) -> None:
    sink.write_enriched([make_ticket(n) for n in range(3)])
    sink.write_enriched([make_ticket(n) for n in range(2, 5)])  # event 2 redelivered with new neighbours
    assert sink.count_events(final=True) == 5
    assert sink.count_events(final=False) == 6


def test_replay_through_a_new_model_replaces_the_old_row(sink: ClickHouseSink) -> None:
    old = make_ticket(7)
    new = old.model_copy(
        update={"classification": old.classification.model_copy(update={"model_version": "clf-2025.04.0"})}
    )
    sink.write_enriched([old])
    sink.write_enriched([new])
    rows = sink.query(f"SELECT classifier_version FROM {sink.database}.ticket_events FINAL").rows
    assert rows == [("clf-2025.04.0",)]


def test_tickets_table_holds_the_latest_event_per_ticket(sink: ClickHouseSink) -> None:
    t1, t2, t3 = (T0 + timedelta(hours=h) for h in (1, 2, 3))
    sink.write_enriched([make_ticket(1, ticket="A", event="a1", occurred_at=t1, status=Status.new)])
    sink.write_enriched([make_ticket(2, ticket="A", event="a3", occurred_at=t3, status=Status.solved)])
    # A late, older event arrives last: it must not overwrite the newer state.
    sink.write_enriched(
        [
            make_ticket(3, ticket="A", event="a2", occurred_at=t2, status=Status.pending),
            make_ticket(4, ticket="B", event="b1", occurred_at=t1, status=Status.open),
        ]
    )
    rows = sink.query(
        f"SELECT ticket_id, last_event_id, status, last_event_at FROM {sink.database}.tickets FINAL "
        "ORDER BY ticket_id"
    ).rows
    assert rows == [("A", "a3", "solved", t3), ("B", "b1", "open", t1)]
    assert sink.count_events() == 4


def make_dead_letter(n: int) -> DeadLetter:
    payload = b'{"requester": {"email": "jane.doe@example.com"}, "body": "call +1 415 555 0100"}'
    return DeadLetter(
        stage="classify",
        reason="classification.intent.label: String should match pattern",
        error_type="ValidationError",
        attempt=1,
        topic="ts.tickets.language",
        partition=3,
        offset=1000 + n,
        key="acme:ZD-1",
        tenant_id="acme" if n % 2 == 0 else None,
        ticket_id="ZD-1" if n % 2 == 0 else None,
        event_id=f"evt-{n}" if n % 2 == 0 else None,
        payload_b64=DeadLetter.encode_payload(payload),
        failed_at=T0 + timedelta(seconds=n),
    )


def test_dead_letters_are_stored_without_payload(sink: ClickHouseSink) -> None:
    letters = [make_dead_letter(n) for n in range(3)]
    assert sink.write_dead_letters(letters) == 3
    assert sink.write_dead_letters(letters) == 3  # retried batch
    result = sink.query(f"SELECT * FROM {sink.database}.dead_letters FINAL ORDER BY offset")
    assert "payload" not in " ".join(result.column_names)
    rows = result.dicts()
    assert [(r["stage"], r["offset"], r["tenant_id"], r["event_id"], r["failed_at"]) for r in rows] == [
        ("classify", 1000, "acme", "evt-0", T0),
        ("classify", 1001, None, None, T0 + timedelta(seconds=1)),
        ("classify", 1002, "acme", "evt-2", T0 + timedelta(seconds=2)),
    ]
    stored_text = repr(result.rows)
    assert "jane.doe@example.com" not in stored_text and "555" not in stored_text
    raw_count = sink.query(f"SELECT count() FROM {sink.database}.dead_letters").scalar()
    assert raw_count == 3


def test_bad_statement_is_a_query_error_not_unavailable(sink: ClickHouseSink) -> None:
    with pytest.raises(ClickHouseQueryError) as caught:
        sink.query(f"SELECT no_such_column FROM {sink.database}.ticket_events")
    assert not isinstance(caught.value, ClickHouseUnavailable)
    assert caught.value.code == 47
    with pytest.raises(ClickHouseQueryError):
        sink.client.insert(f"{sink.database}.missing_table", [(1,)], ["x"])


def test_wrong_value_type_is_a_query_error(sink: ClickHouseSink) -> None:
    with pytest.raises(ClickHouseQueryError):
        sink.client.insert(
            f"{sink.database}.schema_migrations",
            [("not a number", "x", "y", T0)],
            ["version", "name", "checksum", "applied_at"],
        )


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_closed_port_raises_unavailable(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    with pytest.raises(ClickHouseUnavailable):
        ConnectClient(url, connect_timeout=2)
    with pytest.raises(ClickHouseUnavailable):
        open_clickhouse(url, tmp_path / "unused", "ticketstream")


def test_server_going_away_raises_unavailable(chdb_dir: Path, database: str) -> None:
    front = ChdbHttpServer(chdb_dir).start()
    sink = ClickHouseSink(ConnectClient(front.url), database)
    sink.ensure_schema()
    front.stop()
    with pytest.raises(ClickHouseUnavailable):
        sink.write_enriched([make_ticket(1)])
    sink.close()


def test_factory_picks_the_client_from_the_url(
    chdb_dir: Path, chdb_front: ChdbHttpServer, database: str
) -> None:
    embedded = open_clickhouse(None, chdb_dir, database, retention=FOREVER)
    remote = open_clickhouse(chdb_front.url, chdb_dir, database, retention=FOREVER)
    try:
        assert isinstance(embedded.client, ChdbClient)
        assert isinstance(remote.client, ConnectClient)
        embedded.write_enriched([make_ticket(1)])
        assert remote.count_events() == 1  # same engine, same database: both see the row
    finally:
        embedded.close()
        remote.close()


def test_chdb_refuses_a_second_data_directory(chdb_dir: Path, tmp_path: Path) -> None:
    with ChdbClient(chdb_dir), pytest.raises(ClickHouseError, match="one data directory per process"):
        ChdbClient(tmp_path / "other")


def test_concurrent_writers_share_one_chdb_engine(chdb_dir: Path, database: str) -> None:
    sink = open_clickhouse(None, chdb_dir, database, retention=FOREVER)
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            for b in range(5):
                batch = [make_ticket(n, ticket=f"W{worker}", event=f"e{b}-{n}") for n in range(20)]
                sink.write_enriched(batch)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    sink.close()
    assert errors == []
    check = open_clickhouse(None, chdb_dir, database, retention=FOREVER)
    assert check.count_events() == 4 * 5 * 20
    check.close()


def test_empty_result_keeps_its_column_names(sink: ClickHouseSink) -> None:
    result = sink.query(f"SELECT ticket_id, tags FROM {sink.database}.ticket_events FINAL")
    assert result.column_names == ("ticket_id", "tags")
    assert result.rows == []
    assert sink.count_events() == 0


def test_sla_outcome_only_for_events_that_close_the_ticket() -> None:
    from datetime import UTC, datetime, timedelta

    from schemas import (
        Classification,
        EnrichedTicket,
        FieldPrediction,
        LanguageResult,
        SlaPrediction,
    )
    from sinks.clickhouse.rows import sla_outcome_of

    now = datetime(2026, 11, 2, 12, tzinfo=UTC)
    pred = FieldPrediction(label="X", confidence=0.9, backend="local")

    def ticket(met: bool | None, responded: bool | None = None) -> EnrichedTicket:
        return EnrichedTicket(
            tenant_id="acme", source="zendesk", ticket_id="T1", event_id="E1", event_type="solved",
            occurred_at=now, language=LanguageResult(code="en", confidence=0.9),
            classification=Classification(category=pred, intent=pred, model_version="m"),
            sla=SlaPrediction(policy="default", priority="high", first_response_due=now,
                              resolution_due=now + timedelta(hours=4), breach_probability=0.3, risk_level="low",
                              model_version="s", resolution_met=met, first_response_met=responded,
                              first_response_at=now if responded is not None else None),
            pipeline_version="p")

    assert sla_outcome_of(ticket(None)) is None
    outcome = sla_outcome_of(ticket(True))
    assert outcome is not None and outcome.met_resolution is True and outcome.predicted_breach_last == 0.3
    assert outcome.solved_at == now and outcome.priority == "high"
    assert outcome.met_first_response is None  # no agent comment seen: unknown, not "missed"
    late = sla_outcome_of(ticket(True, responded=False))
    assert late is not None and late.met_first_response is False
