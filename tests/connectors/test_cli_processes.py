"""`ticketstream connectors write` and `connectors poll` as the processes operators run, against the real broker:
the writer's ops server (/healthz, /readyz, /metrics) and the Freshdesk / ServiceNow pollers wired into the CLI."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import pytest
from confluent_kafka import Producer

from schemas import OutboundKind
from tests.connectors.conftest import consume, write_tenants
from tests.connectors.test_outbound import action
from tests.support.helpdesks.freshdesk import FreshdeskApi
from tests.support.helpdesks.servicenow import ServiceNowApi
from tests.support.helpdesks.zendesk import ZendeskApi

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.integration


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _env(tmp_path: Path, bootstrap: str, connectors: dict[str, dict[str, object]], **extra: str) -> dict[str, str]:
    return dict(os.environ, KAFKA_BOOTSTRAP_SERVERS=bootstrap, TICKETSTREAM_HOME=str(tmp_path / "home"),
                TICKETSTREAM_TOPIC_PREFIX=f"t-{uuid.uuid4().hex[:10]}.", TICKETSTREAM_PARTITIONS="1",
                TICKETSTREAM_TENANTS_FILE=str(write_tenants(tmp_path / "tenants.yaml", connectors)),
                TICKETSTREAM_LOG_LEVEL="warning", **extra)


def _wait_for_health(base: str, proc: subprocess.Popen[bytes], timeout: float = 90.0) -> int | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            return _get(f"{base}/healthz")[0]
        except OSError:
            time.sleep(0.5)
    return None


def test_writer_ops_server_health_readiness_metrics(tmp_path: Path, kafka_bootstrap: str) -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "writer.log"
    with ZendeskApi() as api, open(log_path, "wb") as log:
        api.add_ticket(101, tags=["keep"])
        env = _env(tmp_path, kafka_bootstrap, {"zendesk": {"base_url": api.url, "email": "agent@example.com",
                                                           "api_token": "zd-token"}},
                   TICKETSTREAM_OPS_PORT=str(port))
        proc = subprocess.Popen([sys.executable, "-m", "streams.cli", "connectors", "write"], env=env, cwd=REPO,
                                stdout=log, stderr=subprocess.STDOUT)
        try:
            assert _wait_for_health(base, proc) == 200, log_path.read_text()
            ready, body = _get(f"{base}/readyz")
            report = json.loads(body)
            assert ready == 200 and report["status"] == "ready" and report["checks"]["kafka"]["ok"] is True

            outbound = env["TICKETSTREAM_TOPIC_PREFIX"] + "tickets.outbound"
            tags = action(OutboundKind.add_tags, tags=["ts_lang_en"])
            producer = Producer({"bootstrap.servers": kafka_bootstrap})
            for value in (tags.to_json_bytes(), tags.to_json_bytes(), b"{not json"):
                producer.produce(outbound, key=tags.key.encode(), value=value)
            producer.flush(10)

            # The undecodable message is dead-lettered, and the writer's /metrics counts it.
            dead_line = re.compile(r'^ticketstream_deadletters_total\{[^}]*stage="outbound_writer"[^}]*\} 1\.0$',
                                   re.MULTILINE)
            text = ""
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not dead_line.search(text):
                code, raw = _get(f"{base}/metrics")
                assert code == 200
                text = raw.decode()
                time.sleep(0.5)
            assert "# TYPE ticketstream_deadletters_total counter" in text
            assert dead_line.search(text), text[-2000:]
            assert api.tickets[101]["tags"] == ["keep", "ts_lang_en"]
            assert len([c for c in api.calls if c.method == "PUT"]) == 1  # the redelivered action changed nothing
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    assert proc.returncode == 0, log_path.read_text()
    assert "applied=1" in log_path.read_text() and "duplicate=1" in log_path.read_text()


def test_poll_command_freshdesk_and_servicenow(tmp_path: Path, kafka_bootstrap: str, kafka_admin: Any) -> None:
    with FreshdeskApi() as fd, ServiceNowApi() as sn:
        for i in range(1, 4):
            fd.add_ticket(i, updated_at=f"2026-11-02T08:0{i}:00Z")
            sn.add_incident(f"s{i}", sys_updated_on=f"2026-11-02 08:0{i}:00")
        env = _env(tmp_path, kafka_bootstrap, {
            "freshdesk": {"base_url": fd.url, "api_key": "fd-api-key", "per_page": 2},
            "servicenow": {"base_url": sn.url, "user": "svc", "password": "sn-pass", "per_page": 2}})
        for source in ("freshdesk", "servicenow", "freshdesk"):  # the second freshdesk run resumes: nothing new
            done = subprocess.run([sys.executable, "-m", "streams.cli", "connectors", "poll", source, "--once"],
                                  env=env, cwd=REPO, capture_output=True, timeout=180)
            assert done.returncode == 0, done.stderr.decode()[-3000:]
        assert "acme/freshdesk: pages=1 events=0" in done.stderr.decode()
        events = consume(kafka_bootstrap, env["TICKETSTREAM_TOPIC_PREFIX"] + "tickets.events", expect=6)
        assert sorted((e.source.value, e.ticket_id) for e in events) == [
            ("freshdesk", "1"), ("freshdesk", "2"), ("freshdesk", "3"),
            ("servicenow", "s1"), ("servicenow", "s2"), ("servicenow", "s3")]

        bad = subprocess.run([sys.executable, "-m", "streams.cli", "connectors", "poll", "intercom", "--once"],
                             env=env, cwd=REPO, capture_output=True, timeout=120)
        assert bad.returncode == 2 and b"freshdesk, servicenow" in bad.stderr
