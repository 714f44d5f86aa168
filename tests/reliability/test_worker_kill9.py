"""kill -9 of the worker and of the outbound writer mid-run, then restart: exactly-once effects.

The pipeline is at-least-once: a killed worker has processed messages whose offsets it never committed,
so the restarted worker processes them again. What a user sees must still be exactly once: every event
once in ClickHouse as the FINAL view reads it, every internal note once on the helpdesk ticket, and no
more helpdesk writes than actions (plus at most the one call in flight when the writer was killed).
Size: RELIABILITY_TICKETS (default 2,400); the 20,000-ticket run is `benchmarks/load_test.py --fault kill9`.
"""

from __future__ import annotations

import os
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from connectors.outbound.base import NOTE_MARKER
from schemas import OutboundAction, OutboundKind
from streams.settings import Settings
from streams.topics import TopicNames, ensure_topics
from tests.reliability.feed import write_tenants, zendesk_events
from tests.support.helpdesks.escalation import PagerDutyEvents
from tests.support.helpdesks.zendesk import ZendeskApi
from tests.support.worker_process import (
    ManagedProcess,
    cli_query,
    consume_all,
    drain,
    exactly_once_report,
    free_port,
    produce,
    start_worker,
    topic_size,
    wait_committed,
    worker_env,
)

pytestmark = pytest.mark.e2e

N_TICKETS = int(os.environ.get("RELIABILITY_TICKETS", "2400"))


@pytest.fixture
def helpdesks() -> Iterator[tuple[ZendeskApi, PagerDutyEvents]]:
    with ZendeskApi() as zendesk, PagerDutyEvents() as pagerduty:
        yield zendesk, pagerduty


def test_kill9_worker_and_writer_mid_run_lands_everything_exactly_once(
    kafka_bootstrap: str, tmp_path: Path, helpdesks: tuple[ZendeskApi, PagerDutyEvents]
) -> None:
    zendesk, pagerduty = helpdesks
    events = zendesk_events(N_TICKETS, seed=909)
    for number in {int(e.ticket_id) for e in events}:
        zendesk.add_ticket(number)
    tag = uuid.uuid4().hex[:8]
    app_id, prefix = f"kill9-{tag}", f"kill9-{tag}."
    env = worker_env(kafka_bootstrap, tmp_path / "home", prefix, app_id,
                     TICKETSTREAM_TENANTS_FILE=str(write_tenants(tmp_path / "tenants.yaml", zendesk.url,
                                                                 pagerduty.url)),
                     TICKETSTREAM_CONNECTORS_WRITER_GROUP=f"writer-{tag}", TICKETSTREAM_OPS_PORT=str(free_port()))
    settings = Settings(home=tmp_path / "home", topic_prefix=prefix, app_id=app_id, partitions=4,
                        kafka_bootstrap_servers=kafka_bootstrap)
    topics = TopicNames.from_settings(settings)
    ensure_topics(kafka_bootstrap, settings)
    watched = [topics.events, topics.redacted, topics.language, topics.classified, topics.enriched,
               topics.deadletter]

    worker = start_worker(env, tmp_path / "worker.log")
    writer = ManagedProcess(["connectors", "write"], env, tmp_path / "writer.log").start()
    try:
        worker.wait_ready()
        produce(kafka_bootstrap, topics.events, events)
        # Kill both once about a third of the events have gone through the whole chain into the sink.
        at_fault = wait_committed(kafka_bootstrap, app_id, topics.enriched, N_TICKETS // 3, alive=worker.alive)
        assert at_fault < N_TICKETS, "the run finished before the fault: nothing was tested"
        worker.kill9()
        writer.kill9()
        assert worker.proc is not None and worker.proc.returncode == -9
        worker.start()
        writer.start()
        worker.wait_ready()
        drain(kafka_bootstrap, app_id, watched, alive=worker.alive)
        drain(kafka_bootstrap, f"writer-{tag}", [topics.outbound], alive=writer.alive)
        assert worker.stop() == 0, worker.tail()
        assert writer.stop() == 0, writer.tail()
    finally:
        worker.stop()
        writer.stop()

    # ClickHouse, as a BI query reads it: each event exactly once.
    final = cli_query(env, "SELECT event_id, count() AS n FROM ticketstream.ticket_events FINAL GROUP BY event_id")
    report = exactly_once_report(final, {e.event_id for e in events})
    assert (report["missing"], report["unexpected"], report["doubled"]) == ([], [], []), report
    assert report["distinct"] == report["rows"] == N_TICKETS
    raw = int(cli_query(env, "SELECT count() AS n FROM ticketstream.ticket_events")[0]["n"])
    tickets = cli_query(env, "SELECT count() AS n FROM ticketstream.tickets FINAL")
    assert int(tickets[0]["n"]) == len({e.ticket_id for e in events})

    # Nothing was dead-lettered: every event was good, and the helpdesks never failed.
    assert topic_size(kafka_bootstrap, topics.deadletter) == 0, worker.tail()
    assert int(cli_query(env, "SELECT count() AS n FROM ticketstream.dead_letters")[0]["n"]) == 0

    # The helpdesk: redelivered actions (the killed worker re-plans what it had not committed) change nothing.
    actions = [OutboundAction.from_json_bytes(v) for _, v in consume_all(kafka_bootstrap, topics.outbound)]
    distinct = {a.action_id: a for a in actions}
    by_kind = Counter(a.kind for a in distinct.values())
    assert by_kind[OutboundKind.add_tags] == N_TICKETS  # one per event
    notes = [a for a in distinct.values() if a.kind is OutboundKind.internal_note]
    assert notes, "the demo feed always yields some internal notes"
    for action in notes:
        marker = NOTE_MARKER.format(action_id=action.action_id)
        on_ticket = [c for c in zendesk.tickets[int(action.ticket_id)]["comments"] if marker in c["body"]]
        assert len(on_ticket) == 1, (action.action_id, len(on_ticket))
    for action in distinct.values():
        if action.kind is OutboundKind.add_tags:
            assert set(action.tags) <= set(zendesk.tickets[int(action.ticket_id)]["tags"])
    ticket_writes = [c for c in zendesk.calls if c.method == "PUT"]
    alerts = [c for c in pagerduty.calls if c.method == "POST"]
    zendesk_actions = sum(1 for a in distinct.values() if a.kind is not OutboundKind.escalate)
    escalations = sum(1 for a in distinct.values() if a.kind is OutboundKind.escalate)
    # At most the one call in flight when the writer was killed may be repeated; never a redelivered batch.
    assert zendesk_actions <= len(ticket_writes) <= zendesk_actions + 1, (len(ticket_writes), zendesk_actions)
    assert escalations <= len(alerts) <= escalations + 1
    assert len(pagerduty.alerts) == escalations
    print(f"\nkill9: {N_TICKETS} events, {len(actions)} outbound messages for {len(distinct)} actions "
          f"({len(actions) - len(distinct)} redelivered), {len(ticket_writes)} Zendesk writes, "
          f"{len(alerts)} PagerDuty events; {raw} ClickHouse rows before FINAL")
