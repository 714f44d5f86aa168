"""Process-wide settings: environment variables with a `TICKETSTREAM_` prefix, plus two standard names.

`KAFKA_BOOTSTRAP_SERVERS` and `CLICKHOUSE_URL` are read unprefixed because that is what operators and
container platforms already set. Per-tenant settings (SLA policies, taxonomies) live in a YAML file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class SettingsError(ValueError):
    """A setting is missing or wrong; the message names it."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TICKETSTREAM_", extra="ignore", frozen=True)

    home: Path = Field(default=Path(".ticketstream"), description="Data directory of the local broker, chDB and faust.")
    kafka_bootstrap_servers: str | None = Field(
        default=None,
        validation_alias=AliasChoices("KAFKA_BOOTSTRAP_SERVERS", "TICKETSTREAM_KAFKA_BOOTSTRAP_SERVERS"),
        description="An existing Kafka cluster; when unset the local broker of `ticketstream kafka up` is used.",
    )
    kafka_port: int = Field(default=29092, ge=1, le=65535)
    kafka_controller_port: int = Field(default=29093, ge=1, le=65535)
    kafka_version: str = "4.1.1"
    topic_prefix: str = Field(default="", pattern=r"^[A-Za-z0-9._-]*$", max_length=100)
    partitions: int = Field(default=4, ge=1, le=1024, description="Partitions of every pipeline topic.")
    replication_factor: int = Field(default=1, ge=1, le=10)
    app_id: str = Field(default="ticketstream", pattern=r"^[A-Za-z0-9._-]+$")
    batch_size: int = Field(default=64, ge=1, le=10_000, description="Events per stage batch.")
    batch_timeout_s: float = Field(default=0.5, gt=0, le=60, description="Longest wait to fill a batch.")
    max_retries: int = Field(default=5, ge=0, le=100, description="Retries of a failing batch before dead-lettering.")
    clickhouse_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("CLICKHOUSE_URL", "TICKETSTREAM_CLICKHOUSE_URL"),
        description="A ClickHouse server (http://user:pass@host:8123); when unset, embedded chDB under `home`.",
    )
    clickhouse_database: str = Field(default="ticketstream", pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    clickhouse_retention: str = Field(
        default="",
        description="Retention in months per table, `table=months,...` (0 = forever); event log default 12.",
    )
    tenants_file: Path | None = Field(default=None, description="YAML with per-tenant settings (SLA policies).")
    languages: Annotated[list[str], NoDecode] = Field(default=["en", "de", "fr", "es", "it", "pt", "nl"])
    pipeline_version: str = Field(default="0.1.0", max_length=64)
    sla_state: bool = Field(
        default=True,
        description="Keep SLA state in changelog-backed faust Tables (survives restarts); false keeps it in the "
        "stage's memory (lost on restart; for one-off runs).",
    )
    sla_state_closed_days: float = Field(
        default=30.0, gt=0, description="Days (of stream time) a solved/closed ticket's SLA state is kept after its "
        "last event, for a reopening.",
    )
    sla_state_open_days: float = Field(
        default=365.0, gt=0, description="Days (of stream time) an open ticket's SLA state is kept after its last "
        "event.",
    )
    sla_state_sweep_interval_s: float = Field(
        default=600.0, gt=0, description="How often the worker deletes expired SLA ticket states from its table.",
    )
    outbound_enabled: bool = Field(
        default=True,
        description="Plan outbound actions. Replayed events (`ticketstream replay`) never get any unless the "
        "replay was run with --outbound, whatever this says.",
    )
    web_port: int = Field(default=6066, ge=1, le=65535, description="Worker web server (faust) port.")
    web_bind: str = Field(
        default="127.0.0.1", description="Address of the worker's web server (health, metrics); 0.0.0.0 in containers."
    )
    ops_port: int = Field(
        default=9100, ge=0, le=65535, description="Health and metrics port of the connectors and outbound writer."
    )
    log_format: str = Field(default="json", pattern=r"^(json|text)$", description="Log lines as JSON objects or text.")
    lag_poll_interval_s: float = Field(
        default=15.0, gt=0, le=3600, description="How often the worker refreshes ticketstream_consumer_lag."
    )
    log_level: str = Field(default="info", pattern=r"^(debug|info|warning|error)$")
    stall_after_s: float = Field(
        default=30.0, ge=0, le=3600,
        description="Seconds an assigned partition may have lag, nothing in flight and an unmoving read offset "
        "before the worker logs its consumer state and seeks it back to its committed offset "
        "(streams/stall_watchdog.py; 0 = off).",
    )

    # --- classification settings ---
    classification_llm: str = Field(
        default="auto", pattern=r"^(auto|none|anthropic|openai_compatible)$",
        description="LLM behind the local model; auto = anthropic with a key, else openai_compatible with a URL, "
        "else none (local model only).")
    anthropic_api_key: str | None = Field(
        default=None, repr=False, validation_alias=AliasChoices("TICKETSTREAM_ANTHROPIC_API_KEY", "ANTHROPIC_API_KEY"))
    anthropic_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("TICKETSTREAM_ANTHROPIC_BASE_URL", "ANTHROPIC_BASE_URL"))
    anthropic_model: str = Field(default="claude-haiku-4-5", max_length=128)
    openai_base_url: str | None = Field(default=None, description="OpenAI-compatible server, e.g. http://vllm:8000/v1")
    openai_api_key: str | None = Field(default=None, repr=False)
    openai_model: str = Field(default="default", max_length=128)
    openai_response_format: str = Field(
        default="json_schema", pattern=r"^(json_schema|json_object)$",
        description="json_schema (OpenAI, vLLM) or json_object with a schema (llama-cpp-python's server).")
    llm_max_tokens: int = Field(default=512, ge=16, le=8192)
    llm_connect_timeout_s: float = Field(default=5.0, gt=0, le=120)
    llm_request_timeout_s: float = Field(default=20.0, gt=0, le=600)
    llm_batch_deadline_s: float = Field(default=45.0, gt=0, le=3600)
    llm_max_concurrency: int = Field(default=8, ge=1, le=256)
    llm_rate_per_s: float = Field(default=20.0, gt=0)
    llm_burst: int = Field(default=20, ge=1)
    llm_max_attempts: int = Field(default=3, ge=1, le=10)
    llm_backoff_base_s: float = Field(default=0.5, ge=0)
    llm_backoff_max_s: float = Field(default=20.0, ge=0)
    llm_breaker_failures: int = Field(default=5, ge=1)
    llm_breaker_cooldown_s: float = Field(default=30.0, ge=0)
    llm_dedup_window_s: float = Field(default=600.0, ge=0)
    llm_prices: dict[str, dict[str, float]] | None = Field(
        default=None, description='JSON {model: {"input", "output", "cache_read", "cache_write"}} USD per MTok; '
        "merged over the built-in table.")
    classification_thresholds: dict[str, float] | None = Field(
        default=None, description='JSON {field: confidence}; below it the field goes to the LLM.')
    classification_local_languages: Annotated[list[str], NoDecode] = Field(
        default=["en"], description="Languages the local model decides alone; others go to the LLM.")
    classification_daily_budget_usd: float | None = Field(default=None, ge=0)
    classification_daily_budget_tokens: int | None = Field(default=None, ge=0)
    classification_artifact_dir: Path | None = None

    @field_validator("classification_local_languages", mode="before")
    @classmethod
    def _split_local_languages(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [v.strip() for v in value.strip("[]").replace('"', "").split(",") if v.strip()]
        return value

    # --- end classification settings ---

    @field_validator("languages", mode="before")
    @classmethod
    def _split_languages(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [v.strip() for v in value.strip("[]").replace('"', "").split(",") if v.strip()]
        return value

    @property
    def chdb_path(self) -> Path:
        return self.home / "chdb"

    def topic(self, name: str) -> str:
        return f"{self.topic_prefix}{name}"

    def load_tenants(self) -> dict[str, dict[str, Any]]:
        """Per-tenant settings as plain dicts; each stage validates the part it owns."""
        if self.tenants_file is None:
            return {}
        try:
            data = yaml.safe_load(self.tenants_file.read_text(encoding="utf-8")) or {}
        except OSError as exc:
            raise SettingsError(f"TICKETSTREAM_TENANTS_FILE: cannot read {self.tenants_file}: {exc}") from exc
        except yaml.YAMLError as exc:
            raise SettingsError(f"TICKETSTREAM_TENANTS_FILE: {self.tenants_file} is not valid YAML: {exc}") from exc
        tenants = data.get("tenants", {}) if isinstance(data, dict) else None
        if not isinstance(tenants, dict):
            raise SettingsError(f"TICKETSTREAM_TENANTS_FILE: {self.tenants_file} must hold a mapping `tenants:`")
        return tenants


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment; a bad value raises SettingsError naming the variable."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_input=False, include_url=False):
            name = str(err["loc"][0]) if err["loc"] else "?"
            problems.append(f"TICKETSTREAM_{name.upper()} ({name}): {err['msg']}")
        raise SettingsError("invalid settings: " + "; ".join(problems)) from exc
