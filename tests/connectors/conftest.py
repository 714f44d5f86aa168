"""Fixtures of the connector tests: tenants with secrets, unique topics on the real broker, signing helpers."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path

import pytest
from confluent_kafka import Consumer

from connectors.config import ConnectorConfig, ConnectorSettings
from connectors.email.threads import ThreadStore
from connectors.producer import EventProducer
from connectors.server import build_app
from schemas import TicketEvent
from streams.settings import Settings

SECRETS = {
    "zendesk": {"signing_secret": "zd-signing-secret"},
    "intercom": {"client_secret": "ic-client-secret"},
    "jira": {"webhook_secret": "jira-secret"},
    "freshdesk": {"shared_token": "fd-token"},
    "servicenow": {"shared_token": "sn-token"},
    "mailgun": {"signing_key": "mg-signing-key"},
    "sendgrid": {"shared_token": "sg-pass"},
    "postmark": {"shared_token": "pm-pass"},
}


def write_tenants(path: Path, connectors: Mapping[str, Mapping[str, object]]) -> Path:
    import yaml

    path.write_text(yaml.safe_dump({"tenants": {"acme": {"connectors": connectors}}}), encoding="utf-8")
    return path


@pytest.fixture
def connector_config(tmp_path: Path) -> ConnectorConfig:
    settings = Settings(home=tmp_path, tenants_file=write_tenants(tmp_path / "tenants.yaml", SECRETS))
    return ConnectorConfig.from_settings(settings, env={})


def zendesk_headers(body: bytes, secret: str = "zd-signing-secret", ts: str | None = None) -> dict[str, str]:
    ts = ts or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    sig = base64.b64encode(hmac.new(secret.encode(), ts.encode() + body, hashlib.sha256).digest()).decode()
    return {"X-Zendesk-Webhook-Signature": sig, "X-Zendesk-Webhook-Signature-Timestamp": ts,
            "Content-Type": "application/json"}


def intercom_headers(body: bytes, secret: str = "ic-client-secret") -> dict[str, str]:
    sig = "sha1=" + hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()
    return {"X-Hub-Signature": sig, "Content-Type": "application/json"}


def mailgun_signature(timestamp: str, token: str, key: str = "mg-signing-key") -> str:
    return hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()


def consume(bootstrap: str, topic: str, expect: int, timeout: float = 20.0) -> list[TicketEvent]:
    """Every event on `topic` (waits for `expect`, then a little longer to catch extras)."""
    import time

    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"check-{uuid.uuid4()}",
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    consumer.subscribe([topic])
    out: list[TicketEvent] = []
    deadline = time.monotonic() + timeout
    settle_until: float | None = None
    while time.monotonic() < deadline:
        msg = consumer.poll(0.5)
        if msg is not None and not msg.error():
            out.append(TicketEvent.model_validate_json(msg.value() or b""))
            assert (msg.key() or b"").decode() == out[-1].key
        if len(out) >= expect and settle_until is None:
            settle_until = time.monotonic() + 2.0
        if settle_until is not None and time.monotonic() > settle_until:
            break
    consumer.close()
    return out


@pytest.fixture
def events_topic(kafka_admin: object) -> str:
    name = f"t-{uuid.uuid4().hex[:10]}.tickets.events"
    kafka_admin.create_topics({name: 2})  # type: ignore[attr-defined]
    return name


@pytest.fixture
def webhook_app(kafka_bootstrap: str, events_topic: str, connector_config: ConnectorConfig,
                tmp_path: Path) -> Iterator[object]:
    from starlette.testclient import TestClient

    producer = EventProducer(kafka_bootstrap, events_topic, delivery_timeout_s=10)
    threads = ThreadStore(tmp_path / "threads.sqlite")
    app = build_app(ConnectorSettings(max_body_bytes=64_000), connector_config, producer, threads)
    with TestClient(app) as client:
        yield client
    producer.close()
    threads.close()


def zendesk_body(ticket_id: int = 35436, updated: str = "2026-11-02T08:00:00Z", **extra: object) -> bytes:
    ticket = {"id": str(ticket_id), "subject": "Refund please", "latest_comment": "My card 4111 1111 1111 1111",
              "status": "Open", "priority": "High", "tags": "vip billing", "via": "Web Form",
              "group_name": "billing", "created_at": "2026-11-02T07:59:00Z", "updated_at": updated,
              "requester": {"id": "77", "name": "Jane Roe", "email": "jane@example.com"}, "brand": "acme-eu",
              **extra}
    return json.dumps({"event": "updated", "ticket": ticket}).encode()
