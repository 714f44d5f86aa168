"""Replay from files: CSV exports (columns, bad rows dead-lettered with their reason, resume) and the stamp every
replayed event carries, on the real broker and through the `replay` command."""

from __future__ import annotations

import csv
import io
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from confluent_kafka import Producer
from pydantic import ValidationError
from typer.testing import CliRunner

from connectors.demo import DemoFeed
from schemas import ReplayStamp, Requester, TicketEvent, format_validation_error
from schemas.events import AuthorRole
from streams.cli import app
from streams.replay import Checkpoint, jsonl_items, replay_file, stamp_conflict
from streams.replay_sources import CSV_COLUMNS, check_csv_header, count_csv_rows, csv_items
from tests.streams.replay_support import consume, new_topic

V2 = ReplayStamp(pipeline_version="v2")


def csv_row(event: TicketEvent) -> dict[str, str]:
    """An event as a CSV export writes it: tags `;`-separated, JSON objects, requester.* columns."""
    data = json.loads(event.to_json_bytes())
    row: dict[str, str] = {}
    for column in CSV_COLUMNS:
        if column.startswith("requester."):
            value: Any = (data.get("requester") or {}).get(column.removeprefix("requester."))
        else:
            value = data.get(column)
        if column == "tags":
            value = ";".join(value)
        elif isinstance(value, dict):
            value = json.dumps(value)
        row[column] = "" if value is None else str(value)
    return row


def write_csv(path: Path, rows: list[dict[str, str]], extra_lines: list[str] = ()) -> Path:  # type: ignore[assignment]
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(CSV_COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
        for line in extra_lines:
            f.write(line + "\r\n")
    return path


def csv_line(values: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(values)
    return out.getvalue()


def reason(value: bytes) -> str:
    """What the stream's first stage says about a produced message (streams/app.py parses it the same way)."""
    try:
        TicketEvent.from_json_bytes(value)
    except ValidationError as exc:
        return f"invalid TicketEvent: {format_validation_error(exc)}"
    return "valid"


def test_csv_columns_are_the_ticket_event_fields() -> None:
    flat = {c for c in CSV_COLUMNS if not c.startswith("requester.")}
    assert flat == set(TicketEvent.model_fields) - {"requester", "replay"}
    assert {c.removeprefix("requester.") for c in CSV_COLUMNS if c.startswith("requester.")} == set(
        Requester.model_fields)


def test_a_csv_row_reads_back_as_the_event_it_was(tmp_path: Path) -> None:
    events = [t.event for t in DemoFeed(seed=4).take(20)]
    events[0] = events[0].model_copy(update={"custom_fields": {"plan": "gold", "seats": 12, "vip": True},
                                             "tags": ["a b", "c"], "body": 'multi\nline, "quoted" body'})
    # model_copy does not validate: the enum itself, or serializing the copy warns that a str stands for it
    events[1] = events[1].model_copy(update={"author_role": AuthorRole.agent, "comment_public": False})
    path = write_csv(tmp_path / "export.csv", [csv_row(e) for e in events])
    items = list(csv_items(path, stamp=V2))
    assert [i.position for i in items] == list(range(1, 21)) and count_csv_rows(path) == 20
    for event, item in zip(events, items, strict=True):
        replayed = TicketEvent.from_json_bytes(item.value)
        assert replayed.replay == V2
        assert replayed.model_copy(update={"replay": None}) == event
        assert item.key == event.key.encode() and item.occurred_at == event.occurred_at


def test_bad_csv_rows_are_produced_with_what_is_wrong(tmp_path: Path) -> None:
    good = csv_row(DemoFeed(seed=5).take(1)[0].event)
    rows = [
        {**good, "occurred_at": "yesterday"},
        {**good, "tags": '["unclosed'},
        {**good, "custom_fields": "{not json"},
        {**good, "channel": "carrier-pigeon"},
        {**good, "event_id": ""},
    ]
    values = [good[c] for c in CSV_COLUMNS]
    path = write_csv(tmp_path / "bad.csv", rows, [csv_line(values[:6]), csv_line([*values, "surplus"])])
    path.write_bytes(path.read_bytes() + good["ticket_id"].encode() + b",\xff\xfe" + b",x" * 5 + b"\r\n")
    items = list(csv_items(path, stamp=V2))
    assert len(items) == 8 == count_csv_rows(path)  # nothing vanished
    reasons = [reason(i.value) for i in items]
    expected = ["occurred_at: Input should be a valid datetime", "tags: Input should be a valid array",
                "custom_fields: Input should be an object", "channel: Input should be",
                "event_id: Field required", "csv_row_has_fewer_values_than_the_header: Extra inputs",
                "csv_row_has_more_values_than_the_header: Extra inputs", "Invalid JSON"]
    for got, want in zip(reasons, expected, strict=True):
        assert want in got, (want, got)
    assert items[0].key == f"{good['tenant_id']}:{good['ticket_id']}".encode()  # keyed with its ticket's events


def test_a_wrong_csv_header_is_refused_with_the_column_names(tmp_path: Path) -> None:
    path = tmp_path / "typo.csv"
    path.write_text("tenant_id,source,ticket_id,event_id,event_type,occured_at,body\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown columns occured_at; missing columns occurred_at"):
        check_csv_header(path)


def test_jsonl_lines_are_stamped_and_broken_lines_left_as_they_are(tmp_path: Path) -> None:
    event = DemoFeed(seed=6).take(1)[0].event
    earlier = json.loads(event.to_json_bytes()) | {"replay": {"pipeline_version": "v1", "outbound": True}}
    path = tmp_path / "e.jsonl"
    path.write_bytes(event.to_json_bytes() + b"\n{broken\n[1, 2]\n" + json.dumps(earlier).encode() + b"\n")
    items = list(jsonl_items(path, stamp=V2))
    assert TicketEvent.from_json_bytes(items[0].value).replay == V2
    assert [items[1].value, items[2].value] == [b"{broken", b"[1, 2]"]  # the stream dead-letters them as sent
    assert TicketEvent.from_json_bytes(items[3].value).replay == V2  # an earlier stamp is replaced


def test_resuming_under_another_stamp_is_refused() -> None:
    assert stamp_conflict(None, V2) is None  # a checkpoint from before stamps: resumable
    assert stamp_conflict(V2.model_dump(mode="json"), V2) is None
    problem = stamp_conflict(V2.model_dump(mode="json"), ReplayStamp(pipeline_version="v3"))
    assert problem is not None and "pipeline_version=v2" in problem and "--restart" in problem


def test_interrupted_csv_replay_resumes_without_gaps(kafka_bootstrap: str, tmp_path: Path) -> None:
    topic = new_topic(kafka_bootstrap)
    events = [t.event for t in DemoFeed(seed=8).take(17)]
    rows = [csv_row(e) for e in events]
    rows.insert(8, {**rows[0], "event_id": "bad-1", "occurred_at": "not a time"})  # row 9 is bad
    path = write_csv(tmp_path / "export.csv", rows)
    producer = Producer({"bootstrap.servers": kafka_bootstrap})
    point_path = tmp_path / "export.csv.checkpoint"

    def stop_at_7(row: int) -> None:
        if row == 7:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        replay_file(path, producer, topic, Checkpoint.load(point_path, path), on_line=stop_at_7, flush_every=5,
                    stamp=V2, items=csv_items)
    saved = json.loads(point_path.read_text())
    assert saved["line"] == 5 and saved["stamp"] == V2.model_dump(mode="json")

    resumed = replay_file(path, producer, topic, Checkpoint.load(point_path, path), flush_every=5, stamp=V2,
                          items=csv_items)
    assert resumed.resumed_from_line == 5 and resumed.produced == 13 and resumed.lines == 18

    messages = consume(kafka_bootstrap, topic, 18)
    values = [json.loads(v) for _, v in messages]
    assert {v["event_id"] for v in values} == {e.event_id for e in events} | {"bad-1"}
    assert all(v["replay"] == V2.model_dump(mode="json") for v in values)
    assert all(k == f"{v['tenant_id']}:{v['ticket_id']}".encode() for (k, _), v in zip(messages, values, strict=True))


def test_replay_command_takes_a_csv_export(kafka_bootstrap: str, tmp_path: Path) -> None:
    events = [t.event for t in DemoFeed(seed=10).take(6)]
    path = write_csv(tmp_path / "export.csv", [csv_row(e) for e in events])
    prefix = f"r{uuid.uuid4().hex[:8]}."
    env = {"KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap, "TICKETSTREAM_HOME": str(tmp_path / "home"),
           "TICKETSTREAM_PARTITIONS": "2"}
    runner = CliRunner()
    done = runner.invoke(app, ["replay", str(path), "--topic-prefix", prefix, "--pipeline-version", "v2",
                               "--to", "2100-01-01T00:00:00+00:00"], env=env)
    assert done.exit_code == 0, done.output
    assert "produced 6 events" in done.output and "no outbound actions" in done.output
    values = [json.loads(v) for _, v in consume(kafka_bootstrap, f"{prefix}tickets.events", 6)]
    assert sorted(v["event_id"] for v in values) == sorted(e.event_id for e in events)
    assert {json.dumps(v["replay"], sort_keys=True) for v in values} == {
        json.dumps({"pipeline_version": "v2", "outbound": False, "live": False}, sort_keys=True)}

    args = ["replay", str(path), "--topic-prefix", prefix]
    again = runner.invoke(app, [*args, "--pipeline-version", "v2"], env=env)
    assert again.exit_code == 0 and "produced 0 events" in again.output  # done already: the checkpoint says so
    other = runner.invoke(app, [*args, "--pipeline-version", "v3"], env=env)
    assert other.exit_code == 2 and "pipeline_version=v2" in other.output and "--restart" in other.output
    restarted = runner.invoke(app, [*args, "--pipeline-version", "v3", "--restart"], env=env)
    assert restarted.exit_code == 0 and "produced 6 events" in restarted.output
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("tenant_id,body\nacme,hi\n", encoding="utf-8")
    refused = runner.invoke(app, ["replay", str(wrong), "--topic-prefix", prefix], env=env)
    assert refused.exit_code == 2 and "missing columns" in refused.output
    both = runner.invoke(app, ["replay", str(path), "--from-clickhouse"], env=env)
    assert both.exit_code == 2 and "give one source" in both.output
    tenant = runner.invoke(app, ["replay", str(path), "--tenant", "acme"], env=env)
    assert tenant.exit_code == 2 and "a file is replayed whole" in tenant.output
