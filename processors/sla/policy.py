"""Per-tenant SLA policies: response and resolution targets by priority, and risk thresholds.

Due times are calendar hours from the ticket's creation for now. Business hours (tenant calendar,
time zone, holidays, pausing while "pending") come later; until then a ticket created on a Friday
evening is due during the weekend.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas import Priority
from schemas.enrichment import RiskLevel

Hours = Annotated[float, Field(gt=0, le=24 * 365)]


class SlaTarget(BaseModel):
    """Targets for one priority, in calendar hours from ticket creation."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    first_response_hours: Hours
    resolution_hours: Hours

    @model_validator(mode="after")
    def _resolution_after_response(self) -> SlaTarget:
        if self.resolution_hours < self.first_response_hours:
            raise ValueError(
                f"resolution_hours ({self.resolution_hours}) is shorter than first_response_hours "
                f"({self.first_response_hours})"
            )
        return self


class RiskThresholds(BaseModel):
    """Breach probability at or above `medium` is medium risk, at or above `high` is high risk."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    medium: Annotated[float, Field(ge=0, le=1)] = 0.4
    high: Annotated[float, Field(ge=0, le=1)] = 0.7

    @model_validator(mode="after")
    def _ordered(self) -> RiskThresholds:
        if self.medium > self.high:
            raise ValueError(f"risk threshold medium ({self.medium}) is above high ({self.high})")
        return self


class SlaPolicy(BaseModel):
    """One tenant's SLA: a target for every priority (all four are required, so lookups never miss)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]
    targets: dict[Priority, SlaTarget]
    risk: RiskThresholds = RiskThresholds()

    @model_validator(mode="after")
    def _all_priorities(self) -> SlaPolicy:
        missing = [p.value for p in Priority if p not in self.targets]
        if missing:
            raise ValueError(f"SLA policy {self.name!r} has no target for priority {', '.join(missing)}")
        return self

    def due_times(self, priority: Priority, created_at: datetime) -> tuple[datetime, datetime]:
        """(first response due, resolution due): creation time plus the targets, in calendar hours."""
        target = self.targets[priority]
        return (
            created_at + timedelta(hours=target.first_response_hours),
            created_at + timedelta(hours=target.resolution_hours),
        )

    def risk_level(self, breach_probability: float) -> RiskLevel:
        if breach_probability >= self.risk.high:
            return RiskLevel.high
        if breach_probability >= self.risk.medium:
            return RiskLevel.medium
        return RiskLevel.low


DEFAULT_POLICY = SlaPolicy(
    name="default",
    targets={
        Priority.urgent: SlaTarget(first_response_hours=1, resolution_hours=4),
        Priority.high: SlaTarget(first_response_hours=4, resolution_hours=24),
        Priority.normal: SlaTarget(first_response_hours=8, resolution_hours=72),
        Priority.low: SlaTarget(first_response_hours=24, resolution_hours=120),
    },
)
"""A common helpdesk tiering (1h/4h urgent up to 24h/5 days low); tenants override it in config."""
