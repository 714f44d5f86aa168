"""Connector settings: the service's own knobs (env) and per-tenant helpdesk secrets (tenants YAML or env).

Secrets live in the tenants file under `tenants.<tenant>.connectors.<source>` or in environment variables
`TICKETSTREAM_CONNECTOR_<TENANT>_<SOURCE>_<KEY>` (upper case, `-` as `_`), which win over the file. They are
never logged: `ConnectorConfig.__repr__` names the keys only.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from streams.settings import Settings, SettingsError

SOURCES = ("zendesk", "freshdesk", "intercom", "servicenow", "jira", "mailgun", "sendgrid", "postmark",
           "slack", "pagerduty")


class ConnectorSettings(BaseSettings):
    """Process-wide settings of `ticketstream connectors serve|write|poll`."""

    model_config = SettingsConfigDict(env_prefix="TICKETSTREAM_CONNECTORS_", extra="ignore", frozen=True)

    host: str = "127.0.0.1"
    port: int = Field(default=8088, ge=1, le=65535)
    max_body_bytes: int = Field(default=1_000_000, ge=1_024, le=50_000_000,
                                description="Webhook bodies above this are refused with 413 before parsing.")
    timestamp_tolerance_s: float = Field(default=300.0, gt=0, le=86_400,
                                         description="Signed timestamps older or newer than this are refused.")
    delivery_timeout_s: float = Field(default=10.0, gt=0, le=300,
                                      description="Longest wait for Kafka to confirm a webhook's events.")
    http_timeout_s: float = Field(default=15.0, gt=0, le=300, description="Timeout of helpdesk API calls.")
    max_attempts: int = Field(default=6, ge=1, le=100, description="Attempts per outbound action before DLQ.")
    backoff_base_s: float = Field(default=0.5, gt=0, le=60)
    backoff_max_s: float = Field(default=30.0, gt=0, le=3_600)
    breaker_failures: int = Field(default=5, ge=1, le=1_000, description="Consecutive failures that open a circuit.")
    breaker_cooldown_s: float = Field(default=30.0, gt=0, le=3_600)
    give_up_after_s: float = Field(default=900.0, gt=0, le=86_400,
                                   description="An action still failing after this long is dead-lettered.")
    writer_group: str = Field(default="ticketstream-outbound-writer", pattern=r"^[A-Za-z0-9._-]+$")
    poll_interval_s: float = Field(default=60.0, gt=0, le=86_400)


def load_connector_settings(**overrides: Any) -> ConnectorSettings:
    from pydantic import ValidationError

    try:
        return ConnectorSettings(**overrides)
    except ValidationError as exc:
        problems = [f"TICKETSTREAM_CONNECTORS_{str(e['loc'][0]).upper()}: {e['msg']}"
                    for e in exc.errors(include_input=False, include_url=False)]
        raise SettingsError("invalid connector settings: " + "; ".join(problems)) from exc


@dataclass(frozen=True)
class SourceConfig:
    """One tenant's settings for one source. `get` names the missing key in its error."""

    tenant: str
    source: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def require(self, key: str) -> str:
        value = self.values.get(key)
        if value in (None, ""):
            raise SettingsError(
                f"tenants.{self.tenant}.connectors.{self.source}.{key} is not set "
                f"(or TICKETSTREAM_CONNECTOR_{_env_part(self.tenant)}_{_env_part(self.source)}_{_env_part(key)})")
        return str(value)

    def __repr__(self) -> str:  # never print secret values
        return f"SourceConfig({self.tenant}/{self.source}, keys={sorted(self.values)})"


def _env_part(value: str) -> str:
    return value.upper().replace("-", "_")


@dataclass
class ConnectorConfig:
    """Per-tenant connector configuration of every source."""

    tenants: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    env: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: Settings, env: Mapping[str, str] | None = None) -> ConnectorConfig:
        tenants: dict[str, dict[str, dict[str, Any]]] = {}
        for tenant, cfg in settings.load_tenants().items():
            connectors = (cfg or {}).get("connectors", {}) if isinstance(cfg, dict) else {}
            if not isinstance(connectors, dict):
                raise SettingsError(f"tenants.{tenant}.connectors must be a mapping of source -> settings")
            for source, values in connectors.items():
                if source not in SOURCES:
                    raise SettingsError(f"tenants.{tenant}.connectors.{source}: unknown source "
                                        f"(known: {', '.join(SOURCES)})")
                if not isinstance(values, dict):
                    raise SettingsError(f"tenants.{tenant}.connectors.{source} must be a mapping")
            tenants[str(tenant)] = {str(k): dict(v) for k, v in connectors.items()}
        return cls(tenants=tenants, env=dict(os.environ if env is None else env))

    def source(self, tenant: str, source: str) -> SourceConfig:
        values = dict(self.tenants.get(tenant, {}).get(source, {}))
        prefix = f"TICKETSTREAM_CONNECTOR_{_env_part(tenant)}_{_env_part(source)}_"
        for name, value in self.env.items():
            if name.startswith(prefix) and len(name) > len(prefix):
                values[name[len(prefix):].lower()] = value
        return SourceConfig(tenant, source, values)

    def known_tenant(self, tenant: str, source: str) -> bool:
        return bool(self.source(tenant, source).values)

    def tenants_with(self, source: str) -> list[str]:
        names = {t for t, srcs in self.tenants.items() if source in srcs}
        marker = f"_{_env_part(source)}_"
        for name in self.env:
            if name.startswith("TICKETSTREAM_CONNECTOR_") and marker in name:
                names.add(name[len("TICKETSTREAM_CONNECTOR_"):].split(marker, 1)[0].lower())
        return sorted(names)
