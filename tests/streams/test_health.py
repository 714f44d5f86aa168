"""/healthz and /readyz over real HTTP: the standalone ops server and the faust worker's web server, with
checks against a real broker, real chDB, and addresses where nothing answers."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import faust
import httpx
import pytest

from sinks.clickhouse import ChdbClient, ConnectClient
from streams.health import (
    CheckResult,
    Health,
    ModelsLoaded,
    NotReady,
    OpsServer,
    clickhouse_check,
    kafka_check,
    readiness_report,
    register_faust_views,
    run_check,
)
from streams.metrics import Metrics
from tests.support.chdb_http import ChdbHttpServer, shared_chdb_dir


def closed_port() -> int:
    """A port nothing listens on (bound, released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def models() -> ModelsLoaded:
    return ModelsLoaded(["pii", "classifier"])


@pytest.fixture
def ops(models: ModelsLoaded) -> Iterator[tuple[OpsServer, Metrics]]:
    metrics = Metrics()
    health = Health(readiness={"models": models}, timeout=2.0)
    with OpsServer(health, metrics, host="127.0.0.1", port=0) as server:
        yield server, metrics


def get(server: OpsServer, path: str) -> httpx.Response:
    return httpx.get(f"http://127.0.0.1:{server.port}{path}", timeout=15)


# -------------------------------------------------------------------------------------------- pure parts


def test_readiness_report_names_what_failed() -> None:
    ok = CheckResult("kafka", True, "1 broker(s)")
    bad = CheckResult("clickhouse", False, "ClickHouse does not answer")
    assert readiness_report([ok])[0] == 200
    code, body = readiness_report([ok, bad])
    assert code == 503
    assert body["status"] == "unavailable" and body["failed"] == ["clickhouse"]
    assert body["checks"]["kafka"]["ok"] is True
    assert body["checks"]["clickhouse"]["detail"] == "ClickHouse does not answer"


def test_check_details_carry_no_credentials_or_pii() -> None:
    def leaky() -> str:
        raise ConnectionError("http://admin:s3cret@ch.internal:8123 refused for ops@acme.example")

    result = run_check("clickhouse", leaky)
    assert not result.ok
    assert result.detail == "ConnectionError: http://***@ch.internal:8123 refused for <EMAIL>"


def test_models_loaded_until_each_model_says_so(models: ModelsLoaded) -> None:
    with pytest.raises(NotReady, match="not loaded yet: pii, classifier"):
        models()
    models.mark_loaded("pii")
    models.mark_failed("classifier", "artifact missing")
    with pytest.raises(NotReady, match=r"failed to load: classifier \(artifact missing\)"):
        models()
    models.mark_loaded("classifier")
    assert models() == "loaded: pii, classifier"


# -------------------------------------------------------------------------------------------- ops server


def test_ops_server_alive_then_ready_once_models_load(ops: tuple[OpsServer, Metrics], models: ModelsLoaded) -> None:
    server, _ = ops
    alive = get(server, "/healthz")
    assert alive.status_code == 200 and alive.json()["status"] == "alive"
    not_ready = get(server, "/readyz")
    assert not_ready.status_code == 503
    assert not_ready.json()["failed"] == ["models"]
    assert "not loaded yet: pii, classifier" in not_ready.json()["checks"]["models"]["detail"]
    models.mark_loaded("pii")
    models.mark_loaded("classifier")
    ready = get(server, "/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"


def test_ops_server_serves_metrics(ops: tuple[OpsServer, Metrics]) -> None:
    server, metrics = ops
    metrics.outbound_action("note", "applied")
    response = get(server, "/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    assert 'ticketstream_outbound_actions_total{kind="note",result="applied"} 1.0' in response.text


def test_a_hanging_check_fails_readiness_within_the_timeout() -> None:
    def slow() -> str:
        time.sleep(3)
        return "late"

    health = Health(readiness={"slow": slow}, timeout=0.5)
    with OpsServer(health, host="127.0.0.1", port=0) as server:
        started = time.monotonic()
        response = get(server, "/readyz")
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.json()["checks"]["slow"]["detail"] == "no answer within 0.5s"
    assert elapsed < 2.9, "the probe waited for the hanging check instead of timing out"


def test_ops_server_stops_listening_on_close() -> None:
    server = OpsServer(Health(), host="127.0.0.1", port=0).start_in_thread()
    assert get(server, "/healthz").status_code == 200
    server.close()
    with pytest.raises(httpx.TransportError):
        httpx.get(f"http://127.0.0.1:{server.port}/healthz", timeout=2)


def test_ops_server_in_a_running_event_loop() -> None:
    async def scenario() -> tuple[int, int]:
        server = await OpsServer(Health(), host="127.0.0.1", port=0).start()
        try:
            async with httpx.AsyncClient() as client:
                alive = await client.get(f"http://127.0.0.1:{server.port}/healthz")
                missing = await client.get(f"http://127.0.0.1:{server.port}/metrics")  # no Metrics given
        finally:
            await server.stop()
        return alive.status_code, missing.status_code

    assert asyncio.run(scenario()) == (200, 404)


# -------------------------------------------------------------------------------------------- real dependencies


@pytest.mark.integration
def test_kafka_check_against_a_real_broker_and_a_dead_address(kafka_bootstrap: str) -> None:
    dead = f"127.0.0.1:{closed_port()}"
    health = Health(readiness={"kafka": kafka_check(kafka_bootstrap), "kafka_dead": kafka_check(dead, timeout=1.0)},
                    timeout=5.0)
    with OpsServer(health, host="127.0.0.1", port=0) as server:
        response = get(server, "/readyz")
    body = response.json()
    assert response.status_code == 503 and body["failed"] == ["kafka_dead"]
    assert body["checks"]["kafka"]["detail"] == "1 broker(s)"
    assert body["checks"]["kafka_dead"]["detail"].startswith(f"Kafka at {dead} does not answer")


def test_clickhouse_check_on_real_chdb_and_an_unreachable_server(tmp_path_factory: pytest.TempPathFactory) -> None:
    chdb_dir: Path = shared_chdb_dir(tmp_path_factory.getbasetemp())
    assert run_check("clickhouse", clickhouse_check(lambda: ChdbClient(chdb_dir))).detail == "SELECT 1 ok"
    url = f"http://default:pw@127.0.0.1:{closed_port()}"
    result = run_check("clickhouse", clickhouse_check(lambda: ConnectClient(url, connect_timeout=1)))
    assert not result.ok
    assert result.detail.startswith("ClickHouse does not answer")
    assert "pw@" not in result.detail


def test_clickhouse_check_follows_a_server_going_away_and_coming_back(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    chdb_dir = shared_chdb_dir(tmp_path_factory.getbasetemp())
    port = closed_port()
    opened: list[ConnectClient] = []

    def open_client() -> ConnectClient:
        opened.append(ConnectClient(f"http://127.0.0.1:{port}", connect_timeout=1))
        return opened[-1]

    check = clickhouse_check(open_client)
    assert not run_check("clickhouse", check).ok  # nothing listens yet
    with ChdbHttpServer(chdb_dir, port=port):
        assert run_check("clickhouse", check).ok
        assert run_check("clickhouse", check).ok
        assert len(opened) == 1  # the client is kept while it works
    assert not run_check("clickhouse", check).ok  # the server is gone
    with ChdbHttpServer(chdb_dir, port=port):
        assert run_check("clickhouse", check).ok
    assert len(opened) == 2  # reopened after the failure


# -------------------------------------------------------------------------------------------- faust web server


def test_faust_worker_web_server_serves_health_and_metrics(tmp_path: Path, models: ModelsLoaded) -> None:
    port = closed_port()
    app = faust.App(f"health-test-{port}", broker=f"kafka://127.0.0.1:{closed_port()}", web_port=port,
                    web_bind="127.0.0.1", web_host="127.0.0.1", datadir=str(tmp_path / "faust"))
    metrics = Metrics()
    metrics.dead_letter("pii", "ValidationError")
    register_faust_views(app, Health(readiness={"models": models}), metrics)

    async def scenario() -> list[httpx.Response]:
        await app.web.start()
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=15) as client:
                responses = [await client.get(p) for p in ("/healthz", "/readyz")]
                models.mark_loaded("pii")
                models.mark_loaded("classifier")
                responses += [await client.get(p) for p in ("/readyz", "/metrics")]
                return responses
        finally:
            await app.web.stop()

    alive, not_ready, ready, metrics_page = asyncio.run(scenario())
    assert alive.status_code == 200 and alive.json()["status"] == "alive"
    assert not_ready.status_code == 503 and not_ready.json()["failed"] == ["models"]
    assert ready.status_code == 200
    assert 'ticketstream_deadletters_total{error_type="ValidationError",stage="pii"} 1.0' in metrics_page.text
