"""Replay from a helpdesk's export API through the connectors' pollers, against the local helpdesk servers
and the real broker: start time, end of range, resume from the poller cursor, stamped events, the command."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from confluent_kafka import Producer
from typer.testing import CliRunner

from connectors.config import SourceConfig
from schemas import ReplayStamp, TicketEvent
from streams.cli import app
from streams.replay import TimeRange
from streams.replay_helpdesk import HelpdeskCheckpoint, default_cursor_dir, replay_helpdesk
from tests.streams.replay_support import consume, new_topic
from tests.support.helpdesks.freshdesk import FreshdeskApi
from tests.support.helpdesks.servicenow import ServiceNowApi
from tests.support.helpdesks.zendesk import ZendeskApi

V2 = ReplayStamp(pipeline_version="v2")
START = datetime(2026, 11, 2, 8, 3, tzinfo=UTC)


def zendesk_cfg(api: ZendeskApi) -> dict[str, Any]:
    return {"base_url": api.url, "email": "agent@example.com", "api_token": "zd-token",
            "export_requests_per_minute": 60_000}


def events_of(bootstrap: str, topic: str, expected: int) -> list[TicketEvent]:
    return [TicketEvent.from_json_bytes(v) for _, v in consume(bootstrap, topic, expected)]


def test_zendesk_replay_resumes_from_its_own_cursor(kafka_bootstrap: str, tmp_path: Path) -> None:
    topic = new_topic(kafka_bootstrap)
    producer = Producer({"bootstrap.servers": kafka_bootstrap})
    point = HelpdeskCheckpoint(tmp_path / "replay")
    with ZendeskApi() as api:
        for i in range(1, 10):  # tickets 1-2 were updated before the start time
            api.add_ticket(i, updated_at=f"2026-11-02T08:0{i}:00Z", subject=f"S{i}")
        cfg = SourceConfig("acme", "zendesk", zendesk_cfg(api))
        seen = [0]

        def interrupt_at_4th(_item: object) -> None:
            seen[0] += 1
            if seen[0] == 4:
                raise KeyboardInterrupt  # in the middle of the second page (pages of 2)

        point.begin(V2)
        with pytest.raises(KeyboardInterrupt):
            replay_helpdesk("zendesk", [cfg], point, producer, topic, V2, TimeRange(START), on_item=interrupt_at_4th)
        saved = point.cursors.load("acme", "zendesk")
        assert saved is not None and saved["cursor"] == "c4"  # after the confirmed first page only

        resumed = replay_helpdesk("zendesk", [cfg], point, producer, topic, V2, TimeRange(START))
        first_call = next(c for c in api.calls if "start_time" in c.query)
        assert first_call.query["start_time"] == [str(int(START.timestamp()))]
    assert resumed.produced == 5  # tickets 5-9: the page cut off is read again from the cursor
    events = events_of(kafka_bootstrap, topic, 9)
    assert {int(e.ticket_id) for e in events} == {3, 4, 5, 6, 7, 8, 9}  # no gap; 1-2 are before the start
    assert all(e.replay == V2 and e.source.value == "zendesk" for e in events)
    assert point.conflict(ReplayStamp(pipeline_version="v3")) is not None
    assert point.conflict(V2) is None


def test_zendesk_replay_stops_reading_after_the_end_of_the_range(kafka_bootstrap: str, tmp_path: Path) -> None:
    topic = new_topic(kafka_bootstrap)
    producer = Producer({"bootstrap.servers": kafka_bootstrap})
    with ZendeskApi() as api:
        for i in range(1, 10):
            api.add_ticket(i, updated_at=f"2026-11-02T08:0{i}:00Z")
        cfg = SourceConfig("acme", "zendesk", zendesk_cfg(api))
        window = TimeRange(START, datetime(2026, 11, 2, 8, 6, tzinfo=UTC))
        result = replay_helpdesk("zendesk", [cfg], HelpdeskCheckpoint(tmp_path / "r"), producer, topic, V2, window)
        exports = [c for c in api.calls if c.path.endswith("cursor.json")]
    assert result.produced == 3 and result.skipped_out_of_range == 1  # 3, 4, 5 in; 6 read on the last page
    assert len(exports) == 2  # pages [3, 4], [5, 6]: [7, 8] and [9] are never fetched
    assert sorted(int(e.ticket_id) for e in events_of(kafka_bootstrap, topic, 3)) == [3, 4, 5]


@pytest.mark.parametrize("source", ["freshdesk", "servicenow"])
def test_freshdesk_and_servicenow_replays_use_their_pollers(source: str, kafka_bootstrap: str, tmp_path: Path) -> None:
    topic = new_topic(kafka_bootstrap)
    producer = Producer({"bootstrap.servers": kafka_bootstrap})
    api: FreshdeskApi | ServiceNowApi
    if source == "freshdesk":
        api = FreshdeskApi()
        for i in range(1, 6):
            api.add_ticket(i, updated_at=f"2026-11-02T08:0{i}:00Z")
        values: dict[str, Any] = {"base_url": api.url, "api_key": "fd-api-key", "per_page": 2}
    else:
        api = ServiceNowApi()
        for i in range(1, 6):
            api.add_incident(f"sys{i}", sys_updated_on=f"2026-11-02 08:0{i}:00", sys_created_on="2026-11-02 07:00:00")
        values = {"base_url": api.url, "user": "svc", "password": "sn-pass", "per_page": 2}
    with api:
        cfg = SourceConfig("acme", source, {**values, "poll_requests_per_minute": 60_000, "start_time": 0})
        result = replay_helpdesk(source, [cfg], HelpdeskCheckpoint(tmp_path / "r"), producer, topic, V2,
                                 TimeRange(START))
    assert result.produced == 3
    events = events_of(kafka_bootstrap, topic, 3)
    assert len(events) == 3 and all(e.occurred_at >= START and e.replay == V2 for e in events)
    assert all(e.source.value == source and e.tenant_id == "acme" for e in events)


def test_replay_command_from_a_helpdesk(kafka_bootstrap: str, tmp_path: Path) -> None:
    prefix = f"r{uuid.uuid4().hex[:8]}."
    home = tmp_path / "home"
    with ZendeskApi() as api:
        for i in range(1, 6):
            api.add_ticket(i, updated_at=f"2026-11-02T08:0{i}:00Z")
        tenants = tmp_path / "tenants.yaml"
        tenants.write_text(yaml.safe_dump({"tenants": {"acme": {"connectors": {"zendesk": zendesk_cfg(api)}}}}))
        env = {"KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap, "TICKETSTREAM_HOME": str(home),
               "TICKETSTREAM_PARTITIONS": "2", "TICKETSTREAM_TENANTS_FILE": str(tenants)}
        args = ["replay", "--from-helpdesk", "zendesk", "--topic-prefix", prefix, "--pipeline-version", "v2"]
        runner = CliRunner()
        no_start = runner.invoke(app, args, env=env)
        assert no_start.exit_code == 2 and "needs --from" in no_start.output
        done = runner.invoke(app, [*args, "--from", START.isoformat(), "--outbound"], env=env)
        assert done.exit_code == 0, done.output
        assert "produced 3 events" in done.output and "outbound actions allowed" in done.output
    events = events_of(kafka_bootstrap, f"{prefix}tickets.events", 3)
    assert sorted(int(e.ticket_id) for e in events) == [3, 4, 5]
    assert {e.replay for e in events} == {ReplayStamp(pipeline_version="v2", outbound=True)}
    cursor = default_cursor_dir(home, "zendesk", START) / "cursors" / "acme.zendesk.json"
    assert json.loads(cursor.read_text())["cursor"] == "c5"
    assert not (home / "connectors").exists()  # the live poller's cursors are not touched
