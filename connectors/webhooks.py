"""Per-source webhook authentication and parsing: raw request in, TicketEvents out (no I/O but the thread store).

Each handler verifies the request for the tenant's secret, returns a replay fingerprint (or None when the
provider signs nothing time-bound), and maps the payload with the source's `mapping.py`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from connectors import security
from connectors.common import MappingError
from connectors.config import SourceConfig
from connectors.email import mapping as email_mapping
from connectors.email.threads import ThreadStore
from connectors.freshdesk.mapping import map_ticket as freshdesk_map
from connectors.intercom.mapping import map_notification
from connectors.jira.mapping import map_webhook as jira_map
from connectors.security import Rejected
from connectors.servicenow.mapping import map_record
from connectors.zendesk.mapping import map_webhook as zendesk_map
from schemas import TicketEvent

SHARED_TOKEN_HEADER = "x-ticketstream-token"


@dataclass(frozen=True)
class InboundRequest:
    tenant: str
    headers: Mapping[str, str]  # lower-case names
    body: bytes
    form: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Context:
    tolerance_s: float
    threads: ThreadStore
    now: Callable[[], float]


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise Rejected(400, f"body is not valid JSON: {type(exc).__name__} at position "
                            f"{getattr(exc, 'pos', '?')}") from exc


def _mapped(fn: Callable[[], list[TicketEvent]]) -> list[TicketEvent]:
    from pydantic import ValidationError

    from schemas import format_validation_error

    try:
        return fn()
    except MappingError as exc:
        raise Rejected(422, f"payload: {exc}") from exc
    except ValidationError as exc:
        raise Rejected(422, f"payload does not make a valid ticket event: {format_validation_error(exc)}") from exc


def _shared_token(req: InboundRequest, cfg: SourceConfig) -> None:
    token = req.headers.get(SHARED_TOKEN_HEADER) or security.basic_auth_password(req.headers.get("authorization"))
    security.verify_shared_token(cfg.require("shared_token"), token, f"{SHARED_TOKEN_HEADER} header or basic auth")


class Zendesk:
    config_key = "zendesk"

    def authenticate(self, req: InboundRequest, cfg: SourceConfig, ctx: Context) -> str | None:
        ts_header = req.headers.get("x-zendesk-webhook-signature-timestamp")
        sig = req.headers.get("x-zendesk-webhook-signature")
        security.check_window(security.parse_timestamp(ts_header, "X-Zendesk-Webhook-Signature-Timestamp"),
                              ctx.tolerance_s, "X-Zendesk-Webhook-Signature-Timestamp", ctx.now())
        security.verify_base64(cfg.require("signing_secret"), (ts_header or "").encode() + req.body, sig,
                               "X-Zendesk-Webhook-Signature")
        return f"zendesk:{sig}"

    def events(self, req: InboundRequest, ctx: Context) -> list[TicketEvent]:
        payload = _json(req.body)
        return _mapped(lambda: zendesk_map(req.tenant, payload))


class Intercom:
    config_key = "intercom"

    def authenticate(self, req: InboundRequest, cfg: SourceConfig, ctx: Context) -> str | None:
        sig = req.headers.get("x-hub-signature")
        security.verify_hex(cfg.require("client_secret"), req.body, sig, "X-Hub-Signature", "sha1", "sha1=")
        # The signature covers the body only; its `created_at` is the signed time that bounds replays.
        try:
            created = json.loads(req.body).get("created_at")
        except (ValueError, AttributeError, UnicodeDecodeError):
            created = None
        if created is not None:
            window = float(cfg.get("max_age_s", 3600))
            security.check_window(security.parse_timestamp(str(created), "created_at"), window, "created_at",
                                  ctx.now())
        return f"intercom:{sig}"

    def events(self, req: InboundRequest, ctx: Context) -> list[TicketEvent]:
        payload = _json(req.body)
        return _mapped(lambda: map_notification(req.tenant, payload))


class Jira:
    config_key = "jira"

    def authenticate(self, req: InboundRequest, cfg: SourceConfig, ctx: Context) -> str | None:
        sig = req.headers.get("x-hub-signature")
        security.verify_hex(cfg.require("webhook_secret"), req.body, sig, "X-Hub-Signature", "sha256", "sha256=")
        try:
            ts = json.loads(req.body).get("timestamp")
        except (ValueError, AttributeError, UnicodeDecodeError):
            ts = None
        if ts is not None:
            security.check_window(security.parse_timestamp(str(ts), "timestamp"), float(cfg.get("max_age_s", 3600)),
                                  "timestamp", ctx.now())
        return f"jira:{sig}"

    def events(self, req: InboundRequest, ctx: Context) -> list[TicketEvent]:
        payload = _json(req.body)
        return _mapped(lambda: jira_map(req.tenant, payload))


class Freshdesk:
    config_key = "freshdesk"

    def authenticate(self, req: InboundRequest, cfg: SourceConfig, ctx: Context) -> str | None:
        _shared_token(req, cfg)
        return None

    def events(self, req: InboundRequest, ctx: Context) -> list[TicketEvent]:
        payload = _json(req.body)
        return _mapped(lambda: [freshdesk_map(req.tenant, payload)])


class ServiceNow:
    config_key = "servicenow"

    def authenticate(self, req: InboundRequest, cfg: SourceConfig, ctx: Context) -> str | None:
        _shared_token(req, cfg)
        return None

    def events(self, req: InboundRequest, ctx: Context) -> list[TicketEvent]:
        payload = _json(req.body)
        hint = payload.get("event") if isinstance(payload, Mapping) else None
        return _mapped(lambda: [map_record(req.tenant, payload, hint)])


class Mailgun:
    config_key = "mailgun"
    needs_form = True

    def authenticate(self, req: InboundRequest, cfg: SourceConfig, ctx: Context) -> str | None:
        form = req.form or {}
        ts, token = form.get("timestamp"), form.get("token")
        if not token:
            raise Rejected(401, "missing token")
        security.check_window(security.parse_timestamp(ts, "timestamp"), ctx.tolerance_s, "timestamp", ctx.now())
        security.verify_hex(cfg.require("signing_key"), f"{ts}{token}".encode(), form.get("signature"), "signature")
        return f"mailgun:{token}"  # Mailgun: a token is used once

    def events(self, req: InboundRequest, ctx: Context) -> list[TicketEvent]:
        form = req.form or {}
        return _mapped(lambda: [email_mapping.map_email(req.tenant, email_mapping.from_mailgun(form), ctx.threads,
                                                        datetime.now(UTC))])


class SendGrid:
    config_key = "sendgrid"
    needs_form = True

    def authenticate(self, req: InboundRequest, cfg: SourceConfig, ctx: Context) -> str | None:
        _shared_token(req, cfg)
        return None

    def events(self, req: InboundRequest, ctx: Context) -> list[TicketEvent]:
        form = req.form or {}
        return _mapped(lambda: [email_mapping.map_email(req.tenant, email_mapping.from_sendgrid(form), ctx.threads,
                                                        datetime.now(UTC))])


class Postmark:
    config_key = "postmark"

    def authenticate(self, req: InboundRequest, cfg: SourceConfig, ctx: Context) -> str | None:
        _shared_token(req, cfg)
        return None

    def events(self, req: InboundRequest, ctx: Context) -> list[TicketEvent]:
        payload = _json(req.body)
        return _mapped(lambda: [email_mapping.map_email(req.tenant, email_mapping.from_postmark(payload),
                                                        ctx.threads, datetime.now(UTC))])


HANDLERS: dict[str, Any] = {
    "zendesk": Zendesk(), "intercom": Intercom(), "jira": Jira(), "freshdesk": Freshdesk(),
    "servicenow": ServiceNow(), "mailgun": Mailgun(), "sendgrid": SendGrid(), "postmark": Postmark(),
}
"""Route name → handler. Email providers are routed as `/webhooks/email/<provider>/<tenant>`."""
