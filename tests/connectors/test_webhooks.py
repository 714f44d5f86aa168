"""Webhooks in → TicketEvents on a real Kafka topic; refused requests produce nothing."""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from connectors.config import ConnectorConfig, ConnectorSettings
from connectors.email.threads import ThreadStore
from connectors.producer import EventProducer
from connectors.server import build_app
from tests.connectors.conftest import (
    consume,
    intercom_headers,
    mailgun_signature,
    zendesk_body,
    zendesk_headers,
)

pytestmark = pytest.mark.integration


def test_zendesk_webhook_lands_on_topic_once_per_helpdesk_event(webhook_app: Any, kafka_bootstrap: str,
                                                                 events_topic: str) -> None:
    body = zendesk_body()
    first = webhook_app.post("/webhooks/zendesk/acme", content=body, headers=zendesk_headers(body))
    assert first.status_code == 200, first.text
    # Zendesk redelivers the same event later: new timestamp, new signature, same body.
    later = (datetime.now(UTC) + timedelta(seconds=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    second = webhook_app.post("/webhooks/zendesk/acme", content=body, headers=zendesk_headers(body, ts=later))
    assert second.status_code == 200
    assert first.json()["event_ids"] == second.json()["event_ids"]

    events = consume(kafka_bootstrap, events_topic, expect=2)
    assert len(events) == 2 and len({e.event_id for e in events}) == 1
    event = events[0]
    assert (event.tenant_id, event.source.value, event.ticket_id) == ("acme", "zendesk", "35436")
    assert event.priority and event.priority.value == "high"
    assert event.status and event.status.value == "open"
    assert event.tags == ["vip", "billing"] and event.queue == "billing"
    assert event.requester and event.requester.email == "jane@example.com"
    assert event.raw_attributes["brand"] == "acme-eu"  # unknown field kept, not dropped, through Kafka
    assert "raw.brand" not in event.custom_fields  # and not among the fields the PII stage passes on


def test_refused_requests_produce_nothing(webhook_app: Any, kafka_bootstrap: str, events_topic: str) -> None:
    body = zendesk_body(ticket_id=1)
    bad_sig = zendesk_headers(body, secret="wrong-secret")
    r = webhook_app.post("/webhooks/zendesk/acme", content=body, headers=bad_sig)
    assert r.status_code == 401 and "X-Zendesk-Webhook-Signature" in r.json()["error"]

    stale = (datetime.now(UTC) - timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    r = webhook_app.post("/webhooks/zendesk/acme", content=body, headers=zendesk_headers(body, ts=stale))
    assert r.status_code == 401 and "window" in r.json()["error"]

    r = webhook_app.post("/webhooks/zendesk/acme", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 401

    big = zendesk_body(ticket_id=2, latest_comment="x" * 70_000)
    r = webhook_app.post("/webhooks/zendesk/acme", content=big, headers=zendesk_headers(big))
    assert r.status_code == 413

    broken = b'{"ticket": {"id": '
    r = webhook_app.post("/webhooks/zendesk/acme", content=broken, headers=zendesk_headers(broken))
    assert r.status_code == 400 and "JSON" in r.json()["error"]

    no_id = json.dumps({"ticket": {"subject": "x", "updated_at": "2026-11-02T08:00:00Z"}}).encode()
    r = webhook_app.post("/webhooks/zendesk/acme", content=no_id, headers=zendesk_headers(no_id))
    assert r.status_code == 422 and "ticket.id" in r.json()["error"]

    r = webhook_app.post("/webhooks/zendesk/globex", content=body, headers=zendesk_headers(body))
    assert r.status_code == 404

    good = zendesk_body(ticket_id=3)
    headers = zendesk_headers(good)
    assert webhook_app.post("/webhooks/zendesk/acme", content=good, headers=headers).status_code == 200
    replay = webhook_app.post("/webhooks/zendesk/acme", content=good, headers=headers)
    assert replay.status_code == 409 and "replayed" in replay.json()["error"]

    events = consume(kafka_bootstrap, events_topic, expect=1)
    assert [e.ticket_id for e in events] == ["3"]


def _intercom_notification(topic: str, cid: str, updated: int) -> bytes:
    return json.dumps({
        "type": "notification_event", "topic": topic, "id": "notif_1", "app_id": "abc", "created_at": int(time.time()),
        "data": {"type": "notification_event_data", "item": {
            "type": "conversation", "id": cid, "created_at": updated - 60, "updated_at": updated, "state": "open",
            "priority": "priority", "custom_attributes": {"plan": "pro"},
            "source": {"type": "conversation", "delivered_as": "customer_initiated", "subject": "",
                       "body": "<p>I was charged <b>twice</b></p>",
                       "author": {"type": "user", "id": "u1", "name": "Ann Lee", "email": "ann@example.com"}},
            "tags": {"type": "tag.list", "tags": [{"type": "tag", "id": "1", "name": "billing"}]},
            "conversation_parts": {"type": "conversation_part.list", "conversation_parts": [
                {"part_type": "comment", "body": "<p>Any news?</p>"}]}}}}).encode()


def test_intercom_webhook(webhook_app: Any, kafka_bootstrap: str, events_topic: str) -> None:
    now = int(time.time())
    created = _intercom_notification("conversation.user.created", "1911149811", now)
    replied = _intercom_notification("conversation.user.replied", "1911149811", now + 30)
    for body in (created, replied):
        r = webhook_app.post("/webhooks/intercom/acme", content=body, headers=intercom_headers(body))
        assert r.status_code == 200, r.text
    bad = webhook_app.post("/webhooks/intercom/acme", content=created, headers=intercom_headers(created, "nope"))
    assert bad.status_code == 401 and "X-Hub-Signature" in bad.json()["error"]

    events = sorted(consume(kafka_bootstrap, events_topic, expect=2), key=lambda e: e.occurred_at)
    assert [e.event_type.value for e in events] == ["created", "comment_added"]
    assert events[0].body == "I was charged twice" and events[1].body == "Any news?"
    assert events[0].tags == ["billing"] and events[0].custom_fields["intercom.plan"] == "pro"
    assert events[0].priority and events[0].priority.value == "high"


def _mailgun_form(message_id: str, subject: str, token: str, in_reply_to: str | None = None) -> dict[str, str]:
    ts = str(int(time.time()))
    headers = [["Message-Id", message_id], ["Date", "Mon, 02 Nov 2026 08:00:00 +0000"]]
    if in_reply_to:
        headers += [["In-Reply-To", in_reply_to], ["References", in_reply_to]]
    return {"timestamp": ts, "token": token, "signature": mailgun_signature(ts, token),
            "recipient": "support@acme.test", "sender": "bob@example.com", "from": "Bob Stone <bob@example.com>",
            "subject": subject, "body-plain": "Where is my parcel?", "message-headers": json.dumps(headers)}


def test_email_threads_link_replies_to_their_ticket(webhook_app: Any, kafka_bootstrap: str,
                                                    events_topic: str) -> None:
    first = _mailgun_form("<m1@example.com>", "Parcel", "t" * 50)
    r = webhook_app.post("/webhooks/email/mailgun/acme", data=first)
    assert r.status_code == 200, r.text
    assert webhook_app.post("/webhooks/email/mailgun/acme", data=first).status_code == 409  # token reused

    forged = dict(_mailgun_form("<m9@example.com>", "x", "u" * 50), signature="0" * 64)
    assert webhook_app.post("/webhooks/email/mailgun/acme", data=forged).status_code == 401

    # The reply arrives through SendGrid Inbound Parse (multipart), the next one through Postmark.
    sg_headers = "Message-ID: <m2@example.com>\r\nIn-Reply-To: <m1@example.com>\r\nReferences: <m1@example.com>\r\n"
    auth = {"Authorization": "Basic " + base64.b64encode(b"sendgrid:sg-pass").decode()}
    r = webhook_app.post("/webhooks/email/sendgrid/acme", headers=auth, files={
        "headers": (None, sg_headers), "text": (None, "Still waiting"), "from": (None, "Bob <bob@example.com>"),
        "subject": (None, "Re: Parcel")})
    assert r.status_code == 200, r.text
    assert webhook_app.post("/webhooks/email/sendgrid/acme", files={"text": (None, "x")}).status_code == 401

    postmark = {"FromFull": {"Email": "bob@example.com", "Name": "Bob"}, "Subject": "Re: Re: Parcel",
                "MessageID": "pm-1", "TextBody": "Hello?", "Date": "Mon, 02 Nov 2026 10:00:00 +0000",
                "Headers": [{"Name": "Message-ID", "Value": "<m3@example.com>"},
                            {"Name": "In-Reply-To", "Value": "<m2@example.com>"}]}
    pm_auth = {"Authorization": "Basic " + base64.b64encode(b"postmark:pm-pass").decode()}
    assert webhook_app.post("/webhooks/email/postmark/acme", json=postmark, headers=pm_auth).status_code == 200

    events = consume(kafka_bootstrap, events_topic, expect=3)
    assert len(events) == 3
    assert len({e.ticket_id for e in events}) == 1  # one ticket for the whole thread
    kinds = sorted(e.event_type.value for e in events)
    assert kinds == ["comment_added", "comment_added", "created"]
    by_provider = {e.raw_attributes["provider"]: e for e in events}
    assert by_provider["mailgun"].raw_attributes["recipient"] == "support@acme.test"
    assert "signature" not in by_provider["mailgun"].raw_attributes
    assert by_provider["postmark"].raw_attributes["MessageID"] == "pm-1"


def test_kafka_unavailable_gives_503(connector_config: ConnectorConfig, tmp_path: Any) -> None:
    from starlette.testclient import TestClient

    producer = EventProducer("127.0.0.1:1", "nowhere", delivery_timeout_s=1.0)
    threads = ThreadStore(None)
    app = build_app(ConnectorSettings(), connector_config, producer, threads)
    body = zendesk_body()
    headers = zendesk_headers(body)
    with TestClient(app) as client:
        r = client.post("/webhooks/zendesk/acme", content=body, headers=headers)
        assert r.status_code == 503 and "retry" in r.json()["error"]
        # The helpdesk's retry of the same delivery is not taken for a replay.
        assert client.post("/webhooks/zendesk/acme", content=body, headers=headers).status_code == 503
    threads.close()
