"""What each stage adds to a ticket."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field, NonNegativeInt

from schemas.base import Label, OmitsUnsetAdditions, WireModel

Probability = Annotated[float, Field(ge=0.0, le=1.0)]


class PiiSpan(WireModel):
    """A redacted span: where it was and what it was, never its text."""

    field: Annotated[str, Field(max_length=64)]
    entity_type: Label
    start: NonNegativeInt
    end: NonNegativeInt
    score: Probability
    placeholder: Annotated[str, Field(max_length=64)]


class LanguageResult(WireModel):
    code: Annotated[str, Field(pattern=r"^([a-z]{2}|und)$")]
    confidence: Probability


class FieldPrediction(WireModel):
    label: Label
    confidence: Probability
    backend: Label


class Classification(WireModel):
    category: FieldPrediction
    intent: FieldPrediction
    priority: FieldPrediction | None = None
    sentiment: FieldPrediction | None = None
    summary: Annotated[str, Field(max_length=300)] | None = None
    model_version: Label


class RiskLevel(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"


class SlaPrediction(OmitsUnsetAdditions):
    policy: Label
    priority: Label
    first_response_due: datetime
    resolution_due: datetime
    breach_probability: Probability
    risk_level: RiskLevel
    model_version: Label
    factors: Annotated[list[tuple[Label, float]], Field(max_length=10)] = Field(default_factory=list)
    """Top feature groups behind the probability, with their signed effect on it (positive = more risk)."""
    previous_risk_level: RiskLevel | None = None
    """The ticket's risk level at its previous event (None on its first)."""
    escalate: bool = False
    """True on the one event whose risk crossed the tenant's escalation threshold from below."""
    resolution_met: bool | None = None
    """On a solved or closed event: whether it came by the resolution due time (the SLA outcome that
    `sla_outcomes` records and `ticketstream train sla --from-clickhouse` learns from); None on other events."""
    first_response_at: datetime | None = None
    """When an agent first commented publicly, as far as this stage has seen (events with `author_role`)."""
    first_response_met: bool | None = None
    """Whether that first response came by `first_response_due`; None while there has been none."""
