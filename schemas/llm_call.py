"""One call to an LLM backend, recorded for cost and latency analytics (ClickHouse `llm_calls`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, NonNegativeFloat, NonNegativeInt

from schemas.base import SCHEMA_VERSION, ExternalId, TenantId, WireModel


class LlmCall(WireModel):
    schema_version: Literal[1] = SCHEMA_VERSION
    call_id: Annotated[str, Field(min_length=1, max_length=64)]
    tenant_id: TenantId
    ticket_id: ExternalId | None = None
    event_id: ExternalId | None = None
    backend: Annotated[str, Field(max_length=64)]
    """e.g. anthropic, openai_compatible."""
    model: Annotated[str, Field(max_length=128)]
    started_at: datetime
    latency_ms: NonNegativeFloat
    input_tokens: NonNegativeInt = 0
    output_tokens: NonNegativeInt = 0
    cache_read_tokens: NonNegativeInt = 0
    cache_write_tokens: NonNegativeInt = 0
    cost_usd: NonNegativeFloat = 0.0
    outcome: Literal["ok", "invalid_answer", "error", "timeout", "rate_limited", "circuit_open", "budget_exceeded"]
    error_type: Annotated[str, Field(max_length=128)] | None = None
    attempt: NonNegativeInt = 1
    fields: list[str] = Field(default_factory=list)
    """Which classification fields the LLM was asked for."""
