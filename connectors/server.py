"""The webhook receiver: `POST /webhooks/<source>/<tenant>` (e-mail: `/webhooks/email/<provider>/<tenant>`).

Order of work per request: size limit → tenant known → authentication (signature, window, replay) → parse →
map → hand to Kafka and wait for the acknowledgement → 200. Anything refused gets a 4xx naming the problem
and produces nothing; only a Kafka failure gives 503 (the helpdesk retries). Logs carry ids, never content.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, generate_latest
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from connectors.config import ConnectorConfig, ConnectorSettings
from connectors.email.threads import ThreadStore
from connectors.producer import DeliveryFailed, EventProducer
from connectors.security import Rejected, ReplayGuard
from connectors.webhooks import HANDLERS, Context, InboundRequest

logger = logging.getLogger("ticketstream.connectors.webhooks")


class _TooLarge(Exception):
    pass


async def _read_limited(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise _TooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


async def _form(request: Request, body: bytes) -> dict[str, str]:
    """multipart/form-data or urlencoded → text fields (attachments are not read into events)."""
    from starlette.datastructures import UploadFile

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    replay = Request(request.scope, receive)
    try:
        form = await replay.form(max_files=100, max_fields=2_000)
    except Exception as exc:
        raise Rejected(400, f"body is not a valid form: {type(exc).__name__}") from exc
    return {k: v for k, v in form.multi_items() if not isinstance(v, UploadFile)}


def build_app(settings: ConnectorSettings, config: ConnectorConfig, producer: EventProducer,
              threads: ThreadStore, now: Callable[[], float] = time.time) -> Starlette:
    registry = CollectorRegistry()
    requests_total = Counter("ticketstream_webhook_requests_total", "Webhook requests by source and outcome",
                             ["source", "status"], registry=registry)
    events_total = Counter("ticketstream_webhook_events_total", "Events produced", ["source"], registry=registry)
    replay = ReplayGuard(ttl_s=2 * settings.timestamp_tolerance_s + 3600)
    ctx = Context(tolerance_s=settings.timestamp_tolerance_s, threads=threads, now=now)

    def answer(source: str, tenant: str, status: int, body: dict[str, Any]) -> JSONResponse:
        requests_total.labels(source, str(status)).inc()
        if status >= 400:
            logger.warning("webhook refused source=%s tenant=%s status=%s reason=%s", source, tenant, status,
                           body.get("error"))
        return JSONResponse(body, status_code=status)

    async def receive(request: Request) -> Response:
        params = request.path_params
        source = params.get("provider") or params["source"]
        tenant = params["tenant"]
        handler = HANDLERS.get(source)
        if handler is None:
            return answer("unknown", tenant, 404, {"error": f"unknown source {source!r}"})
        try:
            body = await _read_limited(request, settings.max_body_bytes)
        except _TooLarge:
            return answer(source, tenant, 413, {"error": f"body larger than {settings.max_body_bytes} bytes"})
        except ClientDisconnect:
            return answer(source, tenant, 400, {"error": "client disconnected"})
        cfg = config.source(tenant, handler.config_key)
        if not cfg.values:
            return answer(source, tenant, 404, {"error": f"tenant {tenant!r} has no {handler.config_key} connector"})
        try:
            form = await _form(request, body) if getattr(handler, "needs_form", False) else None
            inbound = InboundRequest(tenant, {k.lower(): v for k, v in request.headers.items()}, body, form)
            fingerprint = handler.authenticate(inbound, cfg, ctx)
            if fingerprint:
                replay.check(fingerprint)
            events = handler.events(inbound, ctx)
        except Rejected as exc:
            return answer(source, tenant, exc.status, {"error": exc.reason})
        try:
            await producer.deliver(events)
        except DeliveryFailed as exc:
            return answer(source, tenant, 503, {"error": f"event not stored, retry later ({exc})"})
        if fingerprint:
            replay.remember(fingerprint)
        events_total.labels(source).inc(len(events))
        for event in events:
            logger.info("webhook accepted source=%s tenant_id=%s ticket_id=%s event_id=%s", source, tenant,
                        event.ticket_id, event.event_id)
        return answer(source, tenant, 200, {"accepted": len(events), "event_ids": [e.event_id for e in events]})

    async def healthz(_request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def metrics(_request: Request) -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return Starlette(routes=[
        Route("/webhooks/email/{provider}/{tenant}", receive, methods=["POST"]),
        Route("/webhooks/{source}/{tenant}", receive, methods=["POST"]),
        Route("/healthz", healthz), Route("/metrics", metrics),
    ])
