"""Replay from the ClickHouse event log: read in a stable order page by page on chDB and through
clickhouse-connect, resumed from the last confirmed event on the real broker, and its redacted text goes
through the PII stage again with every placeholder left as it was."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from confluent_kafka import Producer
from typer.testing import CliRunner

from processors.pii import PiiStage
from processors.pii.placeholders import PLACEHOLDER_TOKEN
from schemas import EnrichedTicket, ReplayStamp, TicketEvent
from schemas.events import Status
from sinks.clickhouse import ClickHouseClient, ClickHouseSink
from sinks.clickhouse.retention import Retention
from streams.cli import app
from streams.replay import TimeRange, produce_items
from streams.replay_sources import (
    EventLogCheckpoint,
    EventLogSelection,
    count_event_log,
    event_log_items,
    event_of_row,
)
from tests.sinks.test_clickhouse import T0, make_ticket
from tests.sinks.test_versions import candidate
from tests.streams.replay_support import consume, new_topic
from tests.support.chdb_http import ChdbHttpServer

V2 = ReplayStamp(pipeline_version="v2")


def history() -> list[EnrichedTicket]:
    """Live results of 14 events: three tickets share one millisecond, two tenants, one late event."""
    tickets = [make_ticket(n, ticket=f"ZD-{n % 5}", event=f"e-{n:02d}") for n in range(10)]
    same_ms = [make_ticket(20 + n, ticket=f"ZD-S{n}", event=f"s-{n}", occurred_at=T0) for n in range(3)]
    other = make_ticket(30, tenant="globex", ticket="ZD-0", event="e-00", occurred_at=T0)  # same ids, other tenant
    return [*tickets, *same_ms, other]


@pytest.fixture
def sink(client: ClickHouseClient, database: str) -> Iterator[ClickHouseSink]:
    sink = ClickHouseSink(client, database, retention=Retention.forever())
    sink.ensure_schema()
    yield sink


@pytest.fixture
def stored(sink: ClickHouseSink) -> list[EnrichedTicket]:
    events = history()
    sink.write_enriched(events[:8])
    sink.write_enriched(events[6:])  # two events delivered twice, in another batch: FINAL reads them once
    sink.write_enriched([candidate(e, category="refund") for e in events[:4]])  # a replay's rows: not live
    return events


def order(t: EnrichedTicket) -> tuple[Any, ...]:
    return (t.occurred_at, t.tenant_id, t.ticket_id, t.event_id)


def test_event_log_is_read_in_order_page_by_page_once_each(sink: ClickHouseSink, stored: list[EnrichedTicket]) -> None:
    selection = EventLogSelection(sink.database, TimeRange())
    items = list(event_log_items(sink.client, selection, stamp=V2, page_size=3))
    expected = sorted(stored, key=order)
    assert [(i.position[1], i.position[2], i.position[3]) for i in items] == [
        (t.tenant_id, t.ticket_id, t.event_id) for t in expected]
    assert count_event_log(sink.client, selection) == len(expected) == 14
    for item, ticket in zip(items, expected, strict=True):
        event = TicketEvent.from_json_bytes(item.value)  # what the replay puts on the topic is a valid event
        assert event.replay == V2
        assert (event.subject, event.body, event.tags, event.queue, event.priority, event.status) == (
            ticket.subject, ticket.body, ticket.tags, ticket.queue, ticket.priority, ticket.status)
        assert event.occurred_at == ticket.occurred_at and event.ticket_created_at == ticket.ticket_created_at
        assert item.key == ticket.key.encode()
        assert event.requester is None and event.custom_fields == {}  # never stored: not replayed


def test_event_log_selection_by_time_and_tenant(sink: ClickHouseSink, stored: list[EnrichedTicket]) -> None:
    window = TimeRange(T0 + timedelta(minutes=2), T0 + timedelta(minutes=6))
    selection = EventLogSelection(sink.database, window, tenant="acme")
    got = [i.position[3] for i in event_log_items(sink.client, selection)]
    assert got == [t.event_id for t in sorted(stored, key=order)
                   if t.tenant_id == "acme" and window.contains_time(t.occurred_at)] == ["e-02", "e-03", "e-04", "e-05"]
    assert count_event_log(sink.client, selection) == 4
    assert EventLogSelection(sink.database, window, "acme").fingerprint != EventLogSelection(
        sink.database, window, "globex").fingerprint


def test_event_log_resumes_after_a_position_inside_a_millisecond(sink: ClickHouseSink,
                                                                 stored: list[EnrichedTicket]) -> None:
    selection = EventLogSelection(sink.database, TimeRange())
    everything = list(event_log_items(sink.client, selection, page_size=4))
    for cut in (1, 2, 3, 7):  # positions 1-3 are inside the shared millisecond
        rest = list(event_log_items(sink.client, selection, everything[cut - 1].position, page_size=2))
        assert [i.position for i in rest] == [i.position for i in everything[cut:]]


def test_interrupted_replay_from_clickhouse_resumes_without_gaps(kafka_bootstrap: str, sink: ClickHouseSink,
                                                                 stored: list[EnrichedTicket], tmp_path: Path) -> None:
    topic = new_topic(kafka_bootstrap)
    producer = Producer({"bootstrap.servers": kafka_bootstrap})
    selection = EventLogSelection(sink.database, TimeRange())
    path = tmp_path / "clickhouse.checkpoint"

    def run(stop_after: int | None) -> None:
        point = EventLogCheckpoint.load(path, selection)
        sent, unsaved = [0], [0]

        def on_item(_item: object) -> None:
            sent[0] += 1
            unsaved[0] += 1
            if sent[0] == stop_after:
                raise KeyboardInterrupt

        def save(position: Any) -> None:
            point.after, point.done, point.stamp = position, point.done + unsaved[0], V2.model_dump(mode="json")
            point.save()
            unsaved[0] = 0

        produce_items(event_log_items(sink.client, selection, point.after, V2, page_size=4), producer, topic, save,
                      on_item=on_item, flush_every=5)

    with pytest.raises(KeyboardInterrupt):
        run(stop_after=8)
    saved = json.loads(path.read_text())
    assert saved["done"] == 5 and saved["after"][3] == sorted(stored, key=order)[4].event_id
    run(stop_after=None)
    assert json.loads(path.read_text())["done"] == 14
    messages = [json.loads(v) for _, v in consume(kafka_bootstrap, topic, 14)]
    keys = [(m["tenant_id"], m["ticket_id"], m["event_id"]) for m in messages]
    assert set(keys) == {(t.tenant_id, t.ticket_id, t.event_id) for t in stored}
    assert len(keys) <= 14 + 3  # at most the unconfirmed items of the interrupted flush window come twice


def test_replay_command_reads_clickhouse_through_clickhouse_url(kafka_bootstrap: str, chdb_front: ChdbHttpServer,
                                                                sink: ClickHouseSink, stored: list[EnrichedTicket],
                                                                tmp_path: Path) -> None:
    prefix = f"r{uuid.uuid4().hex[:8]}."
    env = {"KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap, "CLICKHOUSE_URL": chdb_front.url,
           "TICKETSTREAM_CLICKHOUSE_DATABASE": sink.database, "TICKETSTREAM_HOME": str(tmp_path / "home"),
           "TICKETSTREAM_PARTITIONS": "2"}
    args = ["replay", "--from-clickhouse", "--topic-prefix", prefix, "--pipeline-version", "v2", "--tenant", "acme"]
    done = CliRunner().invoke(app, args, env=env)
    assert done.exit_code == 0, done.output
    assert "produced 13 events" in done.output
    values = [json.loads(v) for _, v in consume(kafka_bootstrap, f"{prefix}tickets.events", 13)]
    assert len(values) == 13 and {v["tenant_id"] for v in values} == {"acme"}
    assert all(v["replay"]["pipeline_version"] == "v2" for v in values)
    again = CliRunner().invoke(app, args, env=env)
    assert again.exit_code == 0 and "produced 0 events" in again.output  # resumed at the end: nothing left
    missing = CliRunner().invoke(app, [*args, "--restart"], env={**env, "TICKETSTREAM_CLICKHOUSE_DATABASE": "nope"})
    assert missing.exit_code == 2 and "cannot read the event log" in missing.output


@pytest.fixture(scope="module")
def pii() -> PiiStage:
    return PiiStage()


REDACTED = ("Hi <PERSON_1>, card <CREDIT_CARD_1> and mails <EMAIL_ADDRESS_1>, <EMAIL_ADDRESS:3f2a9c0d1e4b5a6f> "
            "were updated. Call <PHONE_NUMBER_2 vault=k1:Zm9vYmFyYmF6cXV4LXp5eA> or <PHONE_NUMBER>; "
            "IBAN <IBAN_CODE_1>, order <ORDER_ID_3>. New address: anna.schmidt@example.org\n"
            # Measured: without the protection the secret recognizer takes the vault data and my key's hash for
            # secrets, and NER takes the hashed phone number for a person, cutting the tokens apart.
            "Token: <API_KEY_1 vault=k1:q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRW> please rotate; "
            "my key is <API_KEY:0123456789abcdef>.\nCall me on <PHONE_NUMBER:aab3069251d4e7c8> tomorrow please."
            "\n\nThanks, <PERSON_2>")


def test_redacted_text_goes_through_pii_again_with_its_placeholders_unchanged(pii: PiiStage) -> None:
    row = {"tenant_id": "acme", "source": "zendesk", "ticket_id": "ZD-1", "event_id": "e-1",
           "event_type": "comment_added", "occurred_at": T0, "ticket_created_at": None, "subject": "Re: <PERSON_1>",
           "body": REDACTED, "channel": "email", "priority": None, "status": Status.open.value, "queue": None,
           "tags": []}
    event = TicketEvent.model_validate({**event_of_row(row), "replay": V2.model_dump()})
    (outcome,) = pii.process([event])
    redacted = outcome.value  # type: ignore[union-attr]
    before = [m.group(0) for m in PLACEHOLDER_TOKEN.finditer(REDACTED)]
    after = [m.group(0) for m in PLACEHOLDER_TOKEN.finditer(redacted.body)]
    assert [t for t in after if t in before] == before  # every token survives, in order
    assert "anna.schmidt@example.org" not in redacted.body
    assert "<EMAIL_ADDRESS_2>" in redacted.body  # the new value does not take a number in use
    assert redacted.subject == "Re: <PERSON_1>" and redacted.replay == V2
    new = {s.placeholder for s in redacted.pii_spans}
    assert new and not new & set(before)
