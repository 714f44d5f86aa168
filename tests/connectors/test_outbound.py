"""The outbound writer against local helpdesk APIs that keep ticket state, and against the real broker."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from confluent_kafka import Consumer, Producer

from connectors.config import ConnectorConfig, ConnectorSettings
from connectors.outbound.applied import AppliedStore
from connectors.outbound.writer import OutboundWriter, default_writer_factory, kafka_dead_letter, run_consumer
from schemas import DeadLetter, OutboundAction, OutboundKind, Priority, Source
from tests.connectors.conftest import write_tenants
from tests.support.helpdesks.base import Reply
from tests.support.helpdesks.escalation import PagerDutyEvents, SlackWebhook
from tests.support.helpdesks.intercom import IntercomApi
from tests.support.helpdesks.zendesk import ZendeskApi


def action(kind: OutboundKind, ticket_id: str = "101", source: Source = Source.zendesk, event_id: str = "e1",
           **fields: Any) -> OutboundAction:
    return OutboundAction(action_id=OutboundAction.idempotency_key("acme", ticket_id, event_id, kind),
                          tenant_id="acme", source=source, ticket_id=ticket_id, event_id=event_id, kind=kind,
                          created_at=datetime.now(UTC), **fields)


class Harness:
    def __init__(self, tmp_path: Path, connectors: Mapping[str, Mapping[str, object]], **overrides: Any) -> None:
        from streams.settings import Settings

        tmp_path.mkdir(parents=True, exist_ok=True)
        settings = Settings(home=tmp_path, tenants_file=write_tenants(tmp_path / "tenants.yaml", connectors))
        self.config = ConnectorConfig.from_settings(settings, env={})
        self.settings = ConnectorSettings(**{"backoff_base_s": 0.05, "backoff_max_s": 0.5, "breaker_failures": 3,
                                             "breaker_cooldown_s": 0.3, "max_attempts": 6, **overrides})
        self.applied = AppliedStore(tmp_path / "applied.sqlite")
        self.dead: list[DeadLetter] = []
        self.sleeps: list[float] = []

        def sleep(seconds: float) -> None:
            self.sleeps.append(seconds)
            time.sleep(min(seconds, 0.3))

        self.writer = OutboundWriter(self.settings, self.config, self.applied,
                                     default_writer_factory(self.config, 5.0), self.dead.append, sleep=sleep)

    def handle(self, act: OutboundAction) -> str:
        return self.writer.handle(act.to_json_bytes(), "tickets.outbound", 0, 0, act.key.encode()).status


def zendesk_cfg(api: ZendeskApi) -> dict[str, dict[str, object]]:
    return {"zendesk": {"base_url": api.url, "email": "agent@example.com", "api_token": "zd-token"}}


def test_zendesk_tags_merged_note_private_priority_and_applied_once(tmp_path: Path) -> None:
    with ZendeskApi() as api:
        api.add_ticket(101, tags=["vip", "existing"])
        h = Harness(tmp_path, zendesk_cfg(api))
        tags = action(OutboundKind.add_tags, tags=["ts_lang_en", "vip"])
        note = action(OutboundKind.internal_note, note="category ORDER (0.91)")
        prio = action(OutboundKind.set_priority, priority=Priority.high)
        assert [h.handle(a) for a in (tags, note, prio)] == ["applied"] * 3
        ticket = api.tickets[101]
        assert ticket["tags"] == ["vip", "existing", "ts_lang_en"]  # merged, never replaced
        assert ticket["priority"] == "high"
        assert len(ticket["comments"]) == 1 and ticket["comments"][0]["public"] is False
        assert ticket["comments"][0]["body"].startswith("category ORDER (0.91)")

        writes = len(api.writes())
        assert [h.handle(a) for a in (tags, note, prio)] == ["duplicate"] * 3
        assert len(api.writes()) == writes and len(ticket["comments"]) == 1

        # After a crash between the API call and the applied-set write, the note is not posted twice.
        fresh = Harness(tmp_path / "other", zendesk_cfg(api))
        assert fresh.handle(note) == "applied"
        assert len(ticket["comments"]) == 1


def test_zendesk_429_retry_after_and_5xx_burst(tmp_path: Path) -> None:
    with ZendeskApi() as api:
        api.add_ticket(101)
        api.faults = [Reply(429, {"error": "TooManyRequests"}, {"Retry-After": "2"}),
                      Reply(503, {"error": "Unavailable"}), Reply(500, {}), Reply(502, {})]
        h = Harness(tmp_path, zendesk_cfg(api), breaker_failures=10)
        assert h.handle(action(OutboundKind.add_tags, tags=["a"])) == "applied"
        assert 2.0 in h.sleeps  # Retry-After honoured
        assert api.tickets[101]["tags"] == ["a"]
        assert len(api.writes()) == 5  # 4 refused + 1 applied


def test_helpdesk_down_for_a_while_then_back(tmp_path: Path) -> None:
    with ZendeskApi() as api:
        api.add_ticket(101, tags=["x"])
        api.down = True
        threading.Timer(1.0, lambda: setattr(api, "down", False)).start()
        h = Harness(tmp_path, zendesk_cfg(api), max_attempts=50)
        assert h.handle(action(OutboundKind.add_tags, tags=["y"])) == "applied"
        assert api.tickets[101]["tags"] == ["x", "y"] and not h.dead
        assert h.writer.breaker("acme", "zendesk").state == "closed"
        # The breaker opened during the outage: fewer calls than a blind retry loop would make.
        assert len([c for c in api.calls if c.method == "PUT"]) < 20


def test_failures_after_retries_are_dead_lettered(tmp_path: Path) -> None:
    with ZendeskApi() as api:
        api.add_ticket(101)
        api.down = True
        h = Harness(tmp_path, zendesk_cfg(api), max_attempts=3, breaker_failures=100)
        act = action(OutboundKind.add_tags, tags=["a"])
        assert h.handle(act) == "dead_lettered"
        assert len(api.calls) == 3
        letter = h.dead[0]
        assert letter.stage == "outbound_writer" and "HTTP 503" in letter.reason and "3 attempts" in letter.reason
        assert OutboundAction.from_json_bytes(letter.payload()) == act
        assert not h.applied.contains(act.action_id)

        api.down = False
        missing = action(OutboundKind.add_tags, ticket_id="999", tags=["a"])
        assert h.handle(missing) == "dead_lettered"  # 404 is permanent: one call, no retries
        assert "HTTP 404" in h.dead[1].reason and len(api.calls) == 4
        assert h.writer.handle(b"{not json", "tickets.outbound", 0, 7, None).status == "dead_lettered"
        assert h.dead[2].offset == 7 and "invalid OutboundAction" in h.dead[2].reason


def test_intercom_tags_and_note(tmp_path: Path) -> None:
    with IntercomApi() as api:
        api.add_conversation("123", tags=["billing"])
        h = Harness(tmp_path, {"intercom": {"base_url": api.url, "access_token": "ic-token", "admin_id": "814860"}})
        tags = action(OutboundKind.add_tags, ticket_id="123", source=Source.intercom, tags=["ts_intent_refund"])
        note = action(OutboundKind.internal_note, ticket_id="123", source=Source.intercom, note="intent refund")
        assert h.handle(tags) == "applied" and h.handle(note) == "applied"
        assert api.tag_names("123") == ["billing", "ts_intent_refund"]
        parts = api.conversations["123"]["parts"]
        assert len(parts) == 1 and parts[0]["part_type"] == "note"
        assert h.handle(note) == "duplicate" and len(parts) == 1


def test_escalation_to_pagerduty_and_slack_once(tmp_path: Path) -> None:
    with PagerDutyEvents() as pd, SlackWebhook() as slack:
        h = Harness(tmp_path, {"pagerduty": {"routing_key": "R0UT1NGKEY", "url": f"{pd.url}/v2/enqueue"},
                               "slack": {"webhook_url": f"{slack.url}/services/T000/B000/XXXX"}})
        esc = action(OutboundKind.escalate, priority=Priority.urgent)
        assert h.handle(esc) == "applied" and h.handle(esc) == "duplicate"
        assert list(pd.alerts) == [esc.action_id] and pd.alerts[esc.action_id]["severity"] == "critical"
        assert len(slack.messages) == 1 and "101" in slack.messages[0]


def test_dry_run_calls_nothing(tmp_path: Path) -> None:
    with ZendeskApi() as api:
        api.add_ticket(101)
        h = Harness(tmp_path, zendesk_cfg(api))
        h.writer.dry_run = True
        assert h.handle(action(OutboundKind.add_tags, tags=["a"])) == "dry_run"
        assert api.calls == [] and h.applied.count() == 0


@pytest.mark.integration
def test_actions_on_topic_applied_once_bad_ones_dead_lettered(tmp_path: Path, kafka_bootstrap: str,
                                                              kafka_admin: Any) -> None:
    prefix = f"t-{uuid.uuid4().hex[:10]}."
    outbound, deadletter = prefix + "tickets.outbound", prefix + "tickets.deadletter"
    kafka_admin.create_topics({outbound: 2, deadletter: 1})
    with ZendeskApi() as api:
        api.add_ticket(101, tags=["keep"])
        h = Harness(tmp_path, zendesk_cfg(api))
        h.writer.dead_letter = kafka_dead_letter(kafka_bootstrap, deadletter)
        tags = action(OutboundKind.add_tags, tags=["ts_sla_risk_high"])
        producer = Producer({"bootstrap.servers": kafka_bootstrap})
        for value in (tags.to_json_bytes(), tags.to_json_bytes(), b'{"kind": "add_tags"}'):
            producer.produce(outbound, key=tags.key.encode(), value=value)
        producer.flush(10)
        counts = run_consumer(h.writer, kafka_bootstrap, outbound, f"w-{uuid.uuid4()}", threading.Event(),
                              idle_exit_s=5.0)
        assert counts == {"applied": 1, "duplicate": 1, "dead_lettered": 1}
        assert len([c for c in api.calls if c.method == "PUT"]) == 1
        assert api.tickets[101]["tags"] == ["keep", "ts_sla_risk_high"]

    consumer = Consumer({"bootstrap.servers": kafka_bootstrap, "group.id": f"c-{uuid.uuid4()}",
                         "auto.offset.reset": "earliest"})
    consumer.subscribe([deadletter])
    letters: list[DeadLetter] = []
    deadline = time.monotonic() + 20
    while not letters and time.monotonic() < deadline:
        msg = consumer.poll(0.5)
        if msg is not None and not msg.error():
            letters.append(DeadLetter.model_validate_json(msg.value() or b""))
    consumer.close()
    assert letters and letters[0].stage == "outbound_writer" and "action_id: Field required" in letters[0].reason
