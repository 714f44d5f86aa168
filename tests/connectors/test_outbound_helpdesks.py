"""The outbound writer against stateful local Freshdesk, Jira Service Management and ServiceNow APIs, and
`set_custom_fields` on every helpdesk; Freshdesk also through the real broker."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path
from typing import Any

import pytest
from confluent_kafka import Producer

from connectors.outbound.writer import run_consumer
from schemas import OutboundKind, Priority, Source
from tests.connectors.test_outbound import Harness, action, zendesk_cfg
from tests.support.helpdesks.base import Reply
from tests.support.helpdesks.freshdesk import FreshdeskApi
from tests.support.helpdesks.intercom import IntercomApi
from tests.support.helpdesks.jira import JiraApi
from tests.support.helpdesks.servicenow import ServiceNowApi
from tests.support.helpdesks.zendesk import ZendeskApi


def freshdesk_cfg(api: FreshdeskApi) -> dict[str, dict[str, object]]:
    return {"freshdesk": {"base_url": api.url, "api_key": "fd-api-key"}}


def jira_cfg(api: JiraApi) -> dict[str, dict[str, object]]:
    return {"jira": {"base_url": api.url, "email": "bot@acme.test", "api_token": "jira-token"}}


def servicenow_cfg(api: ServiceNowApi) -> dict[str, dict[str, object]]:
    return {"servicenow": {"base_url": api.url, "user": "svc", "password": "sn-pass"}}


def test_freshdesk_tags_merged_priority_private_note_custom_fields_once(tmp_path: Path) -> None:
    with FreshdeskApi() as api:
        api.add_ticket(55, tags=["vip", "billing"])
        h = Harness(tmp_path, freshdesk_cfg(api))
        fd = Source.freshdesk
        acts = [action(OutboundKind.add_tags, "55", fd, tags=["ts_lang_de", "vip"]),
                action(OutboundKind.set_priority, "55", fd, priority=Priority.urgent),
                action(OutboundKind.internal_note, "55", fd, note="intent refund (0.88)"),
                action(OutboundKind.set_custom_fields, "55", fd, custom_fields={"cf_category": "billing",
                                                                                 "cf_sla_risk": 0.82})]
        assert [h.handle(a) for a in acts] == ["applied"] * 4
        ticket = api.tickets[55]
        assert ticket["tags"] == ["vip", "billing", "ts_lang_de"]  # merged, never replaced
        assert ticket["priority"] == 4
        assert ticket["custom_fields"] == {"cf_category": "billing", "cf_language": None, "cf_sla_risk": 0.82}
        [note] = api.conversations[55]
        assert note["private"] is True and note["body"].startswith("intent refund (0.88)")

        writes = len(api.writes())
        assert [h.handle(a) for a in acts] == ["duplicate"] * 4
        assert len(api.writes()) == writes
        # A writer that lost its applied-set (crash after the call) finds the note's marker and posts nothing.
        assert Harness(tmp_path / "fresh", freshdesk_cfg(api)).handle(acts[2]) == "applied"
        assert len(api.conversations[55]) == 1

        bad = action(OutboundKind.set_custom_fields, "55", fd, event_id="e2", custom_fields={"cf_nope": "x"})
        assert h.handle(bad) == "dead_lettered" and "HTTP 400" in h.dead[-1].reason


def test_freshdesk_429_retry_after_and_5xx_burst(tmp_path: Path) -> None:
    with FreshdeskApi() as api:
        api.add_ticket(55, tags=["a"])
        api.faults = [Reply(429, {"code": "rate_limit_exceeded"}, {"Retry-After": "7"}),
                      Reply(500, {}), Reply(502, {}), Reply(503, {})]
        h = Harness(tmp_path, freshdesk_cfg(api), breaker_failures=10)
        assert h.handle(action(OutboundKind.add_tags, "55", Source.freshdesk, tags=["b"])) == "applied"
        assert 7.0 in h.sleeps and api.tickets[55]["tags"] == ["a", "b"]
        assert [c.method for c in api.calls] == ["GET"] * 5 + ["PUT"]  # 4 refused GETs, then read and write


def test_jira_labels_priority_internal_comment_custom_fields_once(tmp_path: Path) -> None:
    with JiraApi() as api:
        api.add_issue("SD-4", labels=["network", "vpn"])
        h = Harness(tmp_path, jira_cfg(api))
        j = Source.jira
        acts = [action(OutboundKind.add_tags, "SD-4", j, tags=["ts intent refund", "vpn"]),
                action(OutboundKind.set_priority, "SD-4", j, priority=Priority.high),
                action(OutboundKind.internal_note, "SD-4", j, note="category ACCOUNT"),
                action(OutboundKind.set_custom_fields, "SD-4", j, custom_fields={"customfield_10010": "billing"})]
        assert [h.handle(a) for a in acts] == ["applied"] * 4
        fields = api.issues["SD-4"]["fields"]
        assert fields["labels"] == ["network", "vpn", "ts_intent_refund"]
        assert fields["priority"] == {"name": "High"} and fields["customfield_10010"] == "billing"
        [comment] = api.issues["SD-4"]["comments"]
        assert comment["public"] is False and comment["body"].startswith("category ACCOUNT")

        writes = len(api.writes())
        assert [h.handle(a) for a in acts] == ["duplicate"] * 4 and len(api.writes()) == writes
        assert Harness(tmp_path / "fresh", jira_cfg(api)).handle(acts[2]) == "applied"
        assert len(api.issues["SD-4"]["comments"]) == 1

        bad = action(OutboundKind.set_custom_fields, "SD-4", j, event_id="e2", custom_fields={"customfield_1": 1})
        assert h.handle(bad) == "dead_lettered" and "HTTP 400" in h.dead[-1].reason


def test_jira_429_retry_after_and_5xx_burst(tmp_path: Path) -> None:
    with JiraApi() as api:
        api.add_issue("SD-4")
        api.faults = [Reply(503, {}), Reply(429, {}, {"Retry-After": "4"}), Reply(500, {}), Reply(504, {})]
        h = Harness(tmp_path, jira_cfg(api), breaker_failures=10)
        assert h.handle(action(OutboundKind.set_priority, "SD-4", Source.jira, priority=Priority.urgent)) == "applied"
        assert 4.0 in h.sleeps and api.issues["SD-4"]["fields"]["priority"] == {"name": "Highest"}
        assert len(api.calls) == 5


def test_servicenow_tags_priority_work_note_custom_fields_once(tmp_path: Path) -> None:
    with ServiceNowApi() as api:
        api.add_incident("abc123")
        api.journal["abc123"].append("earlier note by an agent")
        h = Harness(tmp_path, servicenow_cfg(api))
        sn = Source.servicenow
        acts = [action(OutboundKind.add_tags, "abc123", sn, tags=["ts_sla_risk_high"]),
                action(OutboundKind.set_priority, "abc123", sn, priority=Priority.high),
                action(OutboundKind.internal_note, "abc123", sn, note="category HARDWARE"),
                action(OutboundKind.set_custom_fields, "abc123", sn, custom_fields={"u_category": "hardware",
                                                                                    "u_sla_risk": 0.9})]
        assert [h.handle(a) for a in acts] == ["applied"] * 4
        record, journal = api.incidents["abc123"], api.journal["abc123"]
        assert journal[0] == "earlier note by an agent" and journal[1] == "ticketstream tags: ts_sla_risk_high"
        assert journal[2].startswith("category HARDWARE") and len(journal) == 3  # appended, nothing replaced
        assert (record["impact"], record["urgency"], record["priority"]) == ("1", "2", "2")
        assert (record["u_category"], record["u_sla_risk"]) == ("hardware", "0.9")

        writes = len(api.writes())
        assert [h.handle(a) for a in acts] == ["duplicate"] * 4 and len(api.writes()) == writes

        # The Table API ignores unknown fields; the writer notices and dead-letters, naming the field.
        bad = action(OutboundKind.set_custom_fields, "abc123", sn, event_id="e2", custom_fields={"u_nope": "x"})
        assert h.handle(bad) == "dead_lettered" and "u_nope" in h.dead[-1].reason


def test_servicenow_429_retry_after_and_5xx_burst(tmp_path: Path) -> None:
    with ServiceNowApi() as api:
        api.add_incident("abc123")
        api.faults = [Reply(502, {}), Reply(503, {}), Reply(429, {"error": {"message": "Rate limit exceeded"}},
                                                             {"Retry-After": "5"})]
        h = Harness(tmp_path, servicenow_cfg(api), breaker_failures=10)
        assert h.handle(action(OutboundKind.internal_note, "abc123", Source.servicenow, note="x")) == "applied"
        assert 5.0 in h.sleeps and len(api.journal["abc123"]) == 1 and len(api.calls) == 4


def test_set_custom_fields_on_zendesk_and_intercom(tmp_path: Path) -> None:
    with ZendeskApi() as zd, IntercomApi() as ic:
        zd.add_ticket(101, custom_fields=[{"id": 360001, "value": None}, {"id": 360002, "value": "keep"}])
        ic.add_conversation("123")
        ic.conversations["123"]["custom_attributes"]["existing"] = "keep"
        cfg: dict[str, dict[str, object]] = {
            "zendesk": {**zendesk_cfg(zd)["zendesk"], "custom_field_ids": {"category": 360001}},
            "intercom": {"base_url": ic.url, "access_token": "ic-token", "admin_id": "1"}}
        h = Harness(tmp_path, cfg)
        assert h.handle(action(OutboundKind.set_custom_fields, custom_fields={"category": "billing"})) == "applied"
        assert [c.body for c in zd.writes()] == [{"ticket": {"custom_fields": [{"id": 360001, "value": "billing"}]}}]
        assert h.handle(action(OutboundKind.set_custom_fields, "123", Source.intercom,
                               custom_fields={"Category": "Billing"})) == "applied"
        assert ic.conversations["123"]["custom_attributes"] == {"existing": "keep", "Category": "Billing"}
        unmapped = action(OutboundKind.set_custom_fields, event_id="e2", custom_fields={"unknown": 1})
        assert h.handle(unmapped) == "dead_lettered" and "custom_field_ids" in h.dead[-1].reason
        assert len(zd.writes()) == 1  # nothing sent for the unmapped name


@pytest.mark.integration
def test_freshdesk_actions_on_topic_applied_once(tmp_path: Path, kafka_bootstrap: str, kafka_admin: Any) -> None:
    topic = f"t-{uuid.uuid4().hex[:10]}.tickets.outbound"
    kafka_admin.create_topics({topic: 2})
    with FreshdeskApi() as api:
        api.add_ticket(55, tags=["keep"])
        h = Harness(tmp_path, freshdesk_cfg(api))
        tags = action(OutboundKind.add_tags, "55", Source.freshdesk, tags=["ts_sla_risk_high"])
        fields = action(OutboundKind.set_custom_fields, "55", Source.freshdesk, custom_fields={"cf_language": "de"})
        producer = Producer({"bootstrap.servers": kafka_bootstrap})
        for act in (tags, fields, tags, fields):  # each delivered twice
            producer.produce(topic, key=act.key.encode(), value=act.to_json_bytes())
        producer.flush(10)
        counts = run_consumer(h.writer, kafka_bootstrap, topic, f"w-{uuid.uuid4()}", threading.Event(),
                              idle_exit_s=5.0)
        assert counts == {"applied": 2, "duplicate": 2}
        assert len([c for c in api.calls if c.method == "PUT"]) == 2
        assert api.tickets[55]["tags"] == ["keep", "ts_sla_risk_high"]
        assert api.tickets[55]["custom_fields"]["cf_language"] == "de"
