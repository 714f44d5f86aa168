"""A replay end to end, as an operator runs it: a live worker fills ClickHouse (embedded chDB) and acts on the
helpdesk; `ticketstream replay --from-clickhouse` and a CSV export go through a replay worker with a new pipeline
version tag, and outbound left on. What must hold: the live tables are unchanged, both versions sit side by side
for BI, the replay produced no outbound action, its bad row is dead-lettered with the reason, no PII lands."""

from __future__ import annotations

import csv
import json
import os
import signal
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from confluent_kafka import Producer

from connectors.demo import DemoFeed, DemoTicket
from schemas import DeadLetter, EnrichedTicket, OutboundAction
from streams.lag import wait_drained
from streams.settings import Settings
from streams.topics import TopicNames, ensure_topics
from tests.streams.replay_support import consume, message_count
from tests.streams.test_replay_sources import csv_row

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
LIVE_TICKETS = 12


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Story:
    env: dict[str, str]
    live: TopicNames
    replay: TopicNames
    tickets: list[DemoTicket]
    csv_tickets: list[DemoTicket]
    bootstrap: str
    replay_output: str

    def cli(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "streams.cli", *args], env={**self.env, **env}, cwd=REPO,
                              capture_output=True, text=True, timeout=600)

    def query(self, sql: str) -> list[dict[str, Any]]:
        done = self.cli("query", sql, "--format", "json")
        assert done.returncode == 0, done.stderr[-2000:]
        return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def run_worker(env: dict[str, str], bootstrap: str, topics: TopicNames, log: Path) -> None:
    """Start a worker, wait until it has consumed everything on its topics, stop it (chDB is then free)."""
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "streams.cli", "worker"], env=env, stdout=out,
                                stderr=subprocess.STDOUT, cwd=REPO)
    try:
        watched = [topics.events, topics.redacted, topics.language, topics.classified, topics.enriched,
                   topics.deadletter]
        wait_drained(bootstrap, env["TICKETSTREAM_APP_ID"], watched, timeout=600)
        assert proc.poll() is None, f"worker died: {log.read_text()[-3000:]}"
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(90)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def story(kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Story]:
    base = tmp_path_factory.mktemp("replay-story")
    run = uuid.uuid4().hex[:8]
    env = dict(os.environ, KAFKA_BOOTSTRAP_SERVERS=kafka_bootstrap, TICKETSTREAM_HOME=str(base / "home"),
               TICKETSTREAM_PARTITIONS="2", TICKETSTREAM_LOG_FORMAT="text")
    env.pop("CLICKHOUSE_URL", None)
    live_env = {**env, "TICKETSTREAM_TOPIC_PREFIX": f"live-{run}.", "TICKETSTREAM_APP_ID": f"live-{run}",
                "TICKETSTREAM_PIPELINE_VERSION": "v1", "TICKETSTREAM_WEB_PORT": str(free_port())}
    live_settings = Settings(topic_prefix=f"live-{run}.", partitions=2)
    replay_settings = Settings(topic_prefix=f"replay-{run}.", partitions=2)
    live, replay = TopicNames.from_settings(live_settings), TopicNames.from_settings(replay_settings)
    ensure_topics(kafka_bootstrap, live_settings)

    feed = DemoFeed(seed=77).take(LIVE_TICKETS + 2)
    tickets, csv_tickets = feed[:LIVE_TICKETS], feed[LIVE_TICKETS:]
    producer = Producer({"bootstrap.servers": kafka_bootstrap})
    for ticket in tickets:
        producer.produce(live.events, key=ticket.event.key.encode(), value=ticket.event.to_json_bytes())
    assert producer.flush(30) == 0
    run_worker(live_env, kafka_bootstrap, live, base / "live-worker.log")

    story = Story(env, live, replay, tickets, csv_tickets, kafka_bootstrap, "")
    args = ["--topic-prefix", f"replay-{run}.", "--pipeline-version", "v2"]
    from_clickhouse = story.cli("replay", "--from-clickhouse", *args)
    assert from_clickhouse.returncode == 0, from_clickhouse.stderr[-2000:]
    export = base / "export.csv"
    with open(export, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(csv_row(feed[0].event)))
        writer.writeheader()
        writer.writerows(csv_row(t.event) for t in csv_tickets)
        writer.writerow({**csv_row(csv_tickets[0].event), "event_id": "bad-1", "occurred_at": "last tuesday"})
    from_csv = story.cli("replay", str(export), *args)
    assert from_csv.returncode == 0, from_csv.stderr[-2000:]
    story.replay_output = from_clickhouse.stdout + from_csv.stdout

    # The replay worker: new topics and group, its own version setting, outbound NOT switched off.
    replay_env = {**env, "TICKETSTREAM_TOPIC_PREFIX": f"replay-{run}.", "TICKETSTREAM_APP_ID": f"replay-{run}",
                  "TICKETSTREAM_PIPELINE_VERSION": "worker-setting", "TICKETSTREAM_OUTBOUND_ENABLED": "true",
                  "TICKETSTREAM_WEB_PORT": str(free_port())}
    run_worker(replay_env, kafka_bootstrap, replay, base / "replay-worker.log")
    yield story


def test_the_replay_reported_what_it_did(story: Story) -> None:
    assert f"produced {LIVE_TICKETS} events" in story.replay_output  # from ClickHouse
    assert "produced 3 events" in story.replay_output  # from the CSV export, its bad row included
    assert "no outbound actions" in story.replay_output


def test_live_tables_are_unchanged(story: Story) -> None:
    rows = story.query("SELECT pipeline_version, count() AS n FROM ticketstream.ticket_events FINAL GROUP BY 1")
    assert rows == [{"pipeline_version": "v1", "n": LIVE_TICKETS}]
    tickets = story.query("SELECT DISTINCT pipeline_version FROM ticketstream.tickets FINAL")
    assert tickets == [{"pipeline_version": "v1"}]


def test_both_versions_sit_side_by_side_for_bi(story: Story) -> None:
    rows = story.query("SELECT pipeline_version, count() AS n FROM ticketstream.ticket_event_versions FINAL "
                       "GROUP BY 1 ORDER BY 1")
    assert rows == [{"pipeline_version": "v1", "n": LIVE_TICKETS}, {"pipeline_version": "v2", "n": LIVE_TICKETS + 2}]
    script = ("import json, sys\nfrom datetime import datetime, UTC\nfrom pathlib import Path\n"
              "from sinks.clickhouse import open_client\nfrom sinks.clickhouse.query_pack import run_query\n"
              "c = open_client(None, Path(sys.argv[1]) / 'chdb')\n"
              "r = run_query(c, 'ticketstream', 'version_comparison', datetime(2000, 1, 1, tzinfo=UTC), "
              "datetime(2100, 1, 1, tzinfo=UTC), params={'baseline': 'v1', 'candidate': 'v2'})\n"
              "print(json.dumps(r.dicts()[0], default=str))\n")
    done = subprocess.run([sys.executable, "-c", script, story.env["TICKETSTREAM_HOME"]], env=story.env, cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    total = json.loads(done.stdout)
    assert total["baseline_category"] == "" and total["events"] == LIVE_TICKETS
    assert float(total["category_agreement"]) > 0.9  # the same model on redacted text: (nearly) the same answers


def test_the_replay_sent_no_outbound_action(story: Story) -> None:
    live = [OutboundAction.from_json_bytes(v) for _, v in consume(story.bootstrap, story.live.outbound, 1)]
    assert {a.event_id for a in live if a.kind == "add_tags"} == {t.event.event_id for t in story.tickets}
    assert message_count(story.bootstrap, story.live.outbound) > 0  # the count sees actions where there are some
    assert message_count(story.bootstrap, story.replay.outbound) == 0  # although outbound was enabled


def test_replayed_results_carry_the_version_tag_and_placeholders(story: Story) -> None:
    enriched = [EnrichedTicket.from_json_bytes(v) for _, v in consume(story.bootstrap, story.replay.enriched, 14)]
    assert len(enriched) == LIVE_TICKETS + 2
    assert {(e.pipeline_version, e.replay and e.replay.pipeline_version) for e in enriched} == {("v2", "v2")}
    before = {r["event_id"]: r["body"] for r in story.query(
        "SELECT event_id, body FROM ticketstream.ticket_event_versions FINAL WHERE pipeline_version = 'v1'")}
    for ticket in enriched:
        if ticket.event_id in before:
            placeholders = [p for p in before[ticket.event_id].split("<")[1:] if ">" in p]
            for p in placeholders:  # redacted before, kept as it was
                assert "<" + p.split(">")[0] + ">" in ticket.body


def test_the_bad_csv_row_is_dead_lettered_with_its_reason(story: Story) -> None:
    letters = [DeadLetter.from_json_bytes(v) for _, v in consume(story.bootstrap, story.replay.deadletter, 1)]
    assert [(x.stage, x.event_id) for x in letters] == [("pii", "bad-1")]
    assert "occurred_at" in letters[0].reason
    assert json.loads(letters[0].payload())["replay"]["pipeline_version"] == "v2"  # replayable as it was


def test_no_pii_of_the_csv_export_lands_anywhere(story: Story) -> None:
    dump = json.dumps(story.query("SELECT * FROM ticketstream.ticket_event_versions"), ensure_ascii=False)
    leaked = sorted({v for t in story.csv_tickets for v in t.pii_values if v in dump})
    assert not leaked
