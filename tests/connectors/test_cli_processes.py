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


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM as Kubernetes sends it; SIGKILL only when it does not exit in time (the test then fails on it)."""
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


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
            _stop(proc)
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


def test_poll_command_serves_health_and_metrics_and_survives_a_helpdesk_that_is_down(
        tmp_path: Path, kafka_bootstrap: str) -> None:
    import yaml

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "poller.log"
    with FreshdeskApi() as fd, open(log_path, "wb") as log:
        for i in range(1, 4):
            fd.add_ticket(i, updated_at=f"2026-11-02T08:0{i}:00Z")
        tenants = {"tenants": {
            "acme": {"connectors": {"freshdesk": {"base_url": fd.url, "api_key": "fd-api-key", "per_page": 2}}},
            "globex": {"connectors": {"freshdesk": {"base_url": f"http://127.0.0.1:{_free_port()}",  # nobody there
                                                    "api_key": "fd-api-key-2", "poll_max_attempts": 2}}}}}
        (tmp_path / "tenants2.yaml").write_text(yaml.safe_dump(tenants), encoding="utf-8")
        env = _env(tmp_path, kafka_bootstrap, {}, TICKETSTREAM_OPS_PORT=str(port),
                   TICKETSTREAM_CONNECTORS_POLL_INTERVAL_S="1", TICKETSTREAM_CONNECTORS_HTTP_TIMEOUT_S="2")
        env["TICKETSTREAM_TENANTS_FILE"] = str(tmp_path / "tenants2.yaml")

        once = subprocess.run([sys.executable, "-m", "streams.cli", "connectors", "poll", "freshdesk", "--once"],
                              env=env, cwd=REPO, capture_output=True, timeout=180)
        assert once.returncode == 1, once.stderr.decode()[-3000:]  # one tenant failed: a failing exit code
        assert "acme/freshdesk: pages=2 events=3" in once.stderr.decode()  # ... after the other one was polled
        assert "globex/freshdesk: failed" in once.stderr.decode()
        assert "fd-api-key" not in once.stderr.decode()

        fd.add_ticket(4, updated_at="2026-11-02T08:09:00Z")
        proc = subprocess.Popen([sys.executable, "-m", "streams.cli", "connectors", "poll", "freshdesk"], env=env,
                                cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
        try:
            assert _wait_for_health(base, proc) == 200, log_path.read_text()
            ready, body = _get(f"{base}/readyz")
            assert ready == 200 and json.loads(body)["checks"]["kafka"]["ok"] is True
            produced = re.compile(r'^ticketstream_poll_events_total\{result="produced",source="freshdesk",'
                                  r'tenant="acme"\} 1\.0$', re.MULTILINE)
            errors = re.compile(r'^ticketstream_poll_errors_total\{error="[A-Za-z]+",source="freshdesk",'
                                r'tenant="globex"\} ([0-9.]+)$', re.MULTILINE)
            text = ""
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                text = _get(f"{base}/metrics")[1].decode()
                failed = errors.search(text)
                if produced.search(text) and failed and float(failed.group(1)) >= 2:
                    break  # the down helpdesk failed twice and the loop went on
                time.sleep(0.5)
            assert produced.search(text), text[-3000:]
            failed = errors.search(text)
            assert failed and float(failed.group(1)) >= 2, text[-3000:]
            assert 'ticketstream_poll_last_success_timestamp_seconds{source="freshdesk",tenant="acme"}' in text
            assert _get(f"{base}/healthz")[0] == 200
        finally:
            _stop(proc)
    assert proc.returncode == 0, log_path.read_text()
    assert "fd-api-key" not in log_path.read_text()
    events = consume(kafka_bootstrap, env["TICKETSTREAM_TOPIC_PREFIX"] + "tickets.events", expect=4)
    assert sorted(e.ticket_id for e in events) == ["1", "2", "3", "4"]  # the resumed run added only ticket 4
