"""Liveness and readiness of a long-running process: `/healthz`, `/readyz` (and `/metrics` beside them).

`/healthz` says the process is alive (its event loop answers): Kubernetes restarts it when this fails, so it
checks nothing outside the process. `/readyz` says it can do its work — the broker answers, ClickHouse
answers, its models are loaded: Kubernetes keeps traffic (and, through the PodDisruptionBudget, evictions)
away while it fails, and restarts nothing.

Checks are plain callables returning a short detail or raising; `readiness_report` turns their results
into a status code and a JSON body (pure). Two ways to serve them: `register_faust_views` on the worker's
own faust web server, and `OpsServer` (aiohttp) for the connectors service and the outbound writer.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from streams.logs import mask_pii
from streams.metrics import CONTENT_TYPE, Metrics

CheckFn = Callable[[], str | None]
"""A check: returns a short detail (or None) when fine, raises when not. It may block; it runs in a thread."""

_URL_CREDENTIALS = re.compile(r"(?i)([a-z][a-z0-9+.-]*://)[^/@\s]+@")


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str
    seconds: float = 0.0


class NotReady(RuntimeError):
    """Raised by a check to fail with a plain message."""


def safe_detail(text: str, limit: int = 300) -> str:
    """A check's message made fit for a probe response: no URL credentials, no PII, bounded length."""
    return mask_pii(_URL_CREDENTIALS.sub(r"\1***@", text))[:limit]


def run_check(name: str, check: CheckFn) -> CheckResult:
    start = time.perf_counter()
    try:
        detail = check()
    except NotReady as exc:
        return CheckResult(name, False, safe_detail(str(exc)), time.perf_counter() - start)
    except Exception as exc:
        return CheckResult(name, False, safe_detail(f"{type(exc).__name__}: {exc}"), time.perf_counter() - start)
    return CheckResult(name, True, safe_detail(detail or "ok"), time.perf_counter() - start)


def readiness_report(results: list[CheckResult]) -> tuple[int, dict[str, Any]]:
    """200 with status ready when every check passed, else 503 naming the failures. Pure."""
    failed = [r.name for r in results if not r.ok]
    body: dict[str, Any] = {
        "status": "unavailable" if failed else "ready",
        "checks": {r.name: {"ok": r.ok, "detail": r.detail, "seconds": round(r.seconds, 4)} for r in results},
    }
    if failed:
        body["failed"] = failed
    return (503 if failed else 200), body


def liveness_report(results: list[CheckResult], started_at: float, now: float | None = None
                    ) -> tuple[int, dict[str, Any]]:
    """200 alive (with uptime) unless a liveness check failed. Pure."""
    code, body = readiness_report(results)
    body["status"] = "alive" if code == 200 else "dead"
    body["uptime_s"] = round((time.time() if now is None else now) - started_at, 3)
    return code, body


# -------------------------------------------------------------------------------------------- checks


def kafka_check(bootstrap: str, timeout: float = 3.0, config: Mapping[str, Any] | None = None) -> CheckFn:
    """The broker answers a metadata request. One admin client is kept and reused across probes."""
    holder: dict[str, Any] = {}

    def check() -> str:
        from confluent_kafka.admin import AdminClient

        if "admin" not in holder:
            holder["admin"] = AdminClient({"bootstrap.servers": bootstrap, "socket.timeout.ms": int(timeout * 1000),
                                           **(config or {})})
        try:
            metadata = holder["admin"].list_topics(timeout=timeout)
        except Exception as exc:
            raise NotReady(f"Kafka at {bootstrap} does not answer: {type(exc).__name__}") from exc
        if not metadata.brokers:
            raise NotReady(f"Kafka at {bootstrap} reports no brokers")
        return f"{len(metadata.brokers)} broker(s)"

    return check


def clickhouse_check(open_client: Callable[[], Any]) -> CheckFn:
    """ClickHouse answers `SELECT 1`. The client is opened on the first probe and reopened after a failure.

    `open_client` is e.g. `lambda: sinks.clickhouse.factory.open_client(settings.clickhouse_url,
    settings.chdb_path)`; with embedded chDB it shares the engine the sink opened in this process.
    """
    holder: dict[str, Any] = {}
    lock = threading.Lock()

    def check() -> str:
        with lock:
            try:
                if "client" not in holder:
                    holder["client"] = open_client()
                value = holder["client"].query("SELECT 1").rows[0][0]
            except Exception as exc:
                client = holder.pop("client", None)
                if client is not None:
                    with contextlib.suppress(Exception):  # closing a broken client
                        client.close()
                raise NotReady(f"ClickHouse does not answer: {type(exc).__name__}: {exc}") from exc
        if value != 1:
            raise NotReady(f"ClickHouse answered SELECT 1 with {value!r}")
        return "SELECT 1 ok"

    return check


class ModelsLoaded:
    """Readiness of the models a process loads at start: each marks itself loaded (or failed) by name."""

    def __init__(self, expected: list[str] | tuple[str, ...]) -> None:
        self.expected = tuple(expected)
        self._loaded: set[str] = set()
        self._failed: dict[str, str] = {}
        self._lock = threading.Lock()

    def mark_loaded(self, name: str) -> None:
        with self._lock:
            self._loaded.add(name)
            self._failed.pop(name, None)

    def mark_failed(self, name: str, reason: str) -> None:
        with self._lock:
            self._failed[name] = reason

    def __call__(self) -> str:
        with self._lock:
            missing = [n for n in self.expected if n not in self._loaded]
            failed = dict(self._failed)
        if failed:
            raise NotReady("failed to load: " + ", ".join(f"{n} ({r})" for n, r in sorted(failed.items())))
        if missing:
            raise NotReady("not loaded yet: " + ", ".join(missing))
        return "loaded: " + ", ".join(self.expected)


@dataclass
class Health:
    """The checks of one process. `readiness` runs on /readyz; `liveness` (normally empty) on /healthz."""

    readiness: dict[str, CheckFn] = field(default_factory=dict)
    liveness: dict[str, CheckFn] = field(default_factory=dict)
    timeout: float = 5.0
    started_at: float = field(default_factory=time.time)

    async def _run(self, checks: Mapping[str, CheckFn]) -> list[CheckResult]:
        async def one(name: str, check: CheckFn) -> CheckResult:
            try:
                return await asyncio.wait_for(asyncio.to_thread(run_check, name, check), self.timeout)
            except TimeoutError:
                return CheckResult(name, False, f"no answer within {self.timeout:g}s", self.timeout)

        return list(await asyncio.gather(*(one(n, c) for n, c in checks.items())))

    async def ready(self) -> tuple[int, dict[str, Any]]:
        return readiness_report(await self._run(self.readiness))

    async def alive(self) -> tuple[int, dict[str, Any]]:
        return liveness_report(await self._run(self.liveness), self.started_at)


# -------------------------------------------------------------------------------------------- serving


def register_faust_views(app: Any, health: Health, metrics: Metrics | None = None) -> None:
    """Add /healthz, /readyz and (with `metrics`) /metrics to a faust app's web server."""

    async def ticketstream_healthz(view: Any, request: Any) -> Any:
        code, body = await health.alive()
        return view.json(body, status=code)

    async def ticketstream_readyz(view: Any, request: Any) -> Any:
        code, body = await health.ready()
        return view.json(body, status=code)

    app.page("/healthz")(ticketstream_healthz)
    app.page("/readyz")(ticketstream_readyz)
    if metrics is not None:
        async def ticketstream_metrics(view: Any, request: Any) -> Any:
            # faust's bytes() refuses a content type with a charset; its driver serves aiohttp responses as-is.
            return web.Response(body=metrics.exposition(), headers={"Content-Type": CONTENT_TYPE})

        app.page("/metrics")(ticketstream_metrics)


def ops_application(health: Health, metrics: Metrics | None = None) -> web.Application:
    """An aiohttp application with /healthz, /readyz and /metrics, to mount or to serve on its own."""

    async def healthz(_request: web.Request) -> web.Response:
        code, body = await health.alive()
        return web.json_response(body, status=code)

    async def readyz(_request: web.Request) -> web.Response:
        code, body = await health.ready()
        return web.json_response(body, status=code)

    async def metrics_view(_request: web.Request) -> web.Response:
        assert metrics is not None
        return web.Response(body=metrics.exposition(), headers={"Content-Type": CONTENT_TYPE})

    application = web.Application()
    application.router.add_get("/healthz", healthz)
    application.router.add_get("/readyz", readyz)
    if metrics is not None:
        application.router.add_get("/metrics", metrics_view)
    return application


class OpsServer:
    """/healthz, /readyz and /metrics on their own port, for processes that are not faust workers.

    In an asyncio program: `await server.start()` / `await server.stop()`. In a blocking one:
    `server.start_in_thread()` / `server.close()` (its own event loop in a daemon thread).
    """

    def __init__(self, health: Health, metrics: Metrics | None = None, host: str = "0.0.0.0",
                 port: int = 9100) -> None:
        self.health, self.metrics, self.host = health, metrics, host
        self.port = port
        self._runner: web.AppRunner | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    async def start(self) -> OpsServer:
        self._runner = web.AppRunner(ops_application(self.health, self.metrics), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server = getattr(site, "_server", None)
        if self.port == 0 and server is not None and server.sockets:
            self.port = int(server.sockets[0].getsockname()[1])
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def start_in_thread(self, timeout: float = 10.0) -> OpsServer:
        started = threading.Event()
        errors: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                loop.run_until_complete(self.start())
            except BaseException as exc:
                errors.append(exc)
                started.set()
                loop.close()
                return
            started.set()
            try:
                loop.run_forever()
            finally:
                loop.run_until_complete(self.stop())
                loop.close()

        self._thread = threading.Thread(target=run, name="ops-server", daemon=True)
        self._thread.start()
        if not started.wait(timeout):
            raise RuntimeError(f"the ops server on {self.host}:{self.port} did not start within {timeout:g}s")
        if errors:
            raise errors[0]
        return self

    def close(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            self._loop = self._thread = None

    def __enter__(self) -> OpsServer:
        return self.start_in_thread()

    def __exit__(self, *_: object) -> None:
        self.close()
