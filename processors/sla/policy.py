"""Per-tenant SLA policies: targets by priority (optionally by channel or customer tier), the business
calendar the clock runs on, risk thresholds and the escalation threshold.

A tenant's YAML (`tenants: {acme: {sla_policy: {...}}}`):

    name: acme-gold
    targets: {urgent: {first_response_hours: 1, resolution_hours: 4}, high: ..., normal: ..., low: ...}
    channel_targets: {chat: {urgent: {first_response_hours: 0.25, resolution_hours: 2}}}   # optional
    tier_targets: {enterprise: {high: {first_response_hours: 1, resolution_hours: 8}}}     # optional
    tier_field: customer_tier          # custom field holding the customer's tier
    business_hours:                    # optional; without it the clock runs 24/7 (calendar hours)
      timezone: Europe/Berlin
      hours: {mon: "09:00-17:00", tue: "09:00-17:00", wed: "09:00-17:00", thu: "09:00-17:00", fri: "09:00-15:00"}
      holidays: [2026-12-24, 2026-12-25]
    risk: {medium: 0.4, high: 0.7, escalate_at: high}

Target lookup: tier, then channel, then the priority targets; a partial override falls back per priority.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from processors.sla.business_time import BusinessCalendar
from schemas import Channel, Priority
from schemas.enrichment import RiskLevel

Hours = Annotated[float, Field(gt=0, le=24 * 365)]
RISK_ORDER: tuple[RiskLevel, ...] = (RiskLevel.low, RiskLevel.medium, RiskLevel.high)


class SlaTarget(BaseModel):
    """Targets for one priority, in business hours (calendar hours without a business calendar)."""

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
    """Breach probability at or above `medium` is medium risk, at or above `high` is high risk.

    `escalate_at`: the risk level whose crossing (from below) produces one escalation action; None = never.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    medium: Annotated[float, Field(ge=0, le=1)] = 0.4
    high: Annotated[float, Field(ge=0, le=1)] = 0.7
    escalate_at: RiskLevel | None = RiskLevel.high

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
    channel_targets: dict[Channel, dict[Priority, SlaTarget]] = Field(default_factory=dict)
    tier_targets: dict[str, dict[Priority, SlaTarget]] = Field(default_factory=dict)
    tier_field: str = "customer_tier"
    business_hours: BusinessCalendar | None = None
    risk: RiskThresholds = RiskThresholds()

    @model_validator(mode="after")
    def _all_priorities(self) -> SlaPolicy:
        missing = [p.value for p in Priority if p not in self.targets]
        if missing:
            raise ValueError(f"SLA policy {self.name!r} has no target for priority {', '.join(missing)}")
        return self

    def target(self, priority: Priority, channel: Channel | None = None, tier: str | None = None) -> SlaTarget:
        if tier is not None and priority in self.tier_targets.get(tier, {}):
            return self.tier_targets[tier][priority]
        if channel is not None and priority in self.channel_targets.get(channel, {}):
            return self.channel_targets[channel][priority]
        return self.targets[priority]

    def add_hours(self, start: datetime, hours: float) -> datetime:
        """`start` plus `hours` on this policy's clock (business hours, or calendar hours 24/7)."""
        if self.business_hours is None:
            return start + timedelta(hours=hours)
        return self.business_hours.add(start, hours)

    def hours_between(self, start: datetime, end: datetime) -> float:
        """Elapsed time on this policy's clock; negative when `end` is before `start`."""
        if self.business_hours is None:
            return (end - start).total_seconds() / 3600.0
        return self.business_hours.between(start, end)

    def due_times(
        self, priority: Priority, created_at: datetime, channel: Channel | None = None, tier: str | None = None
    ) -> tuple[datetime, datetime]:
        """(first response due, resolution due) from the ticket's creation, on the policy's clock."""
        target = self.target(priority, channel, tier)
        return (
            self.add_hours(created_at, target.first_response_hours),
            self.add_hours(created_at, target.resolution_hours),
        )

    def risk_level(self, breach_probability: float) -> RiskLevel:
        if breach_probability >= self.risk.high:
            return RiskLevel.high
        if breach_probability >= self.risk.medium:
            return RiskLevel.medium
        return RiskLevel.low

    def crosses_escalation(self, previous: RiskLevel | None, current: RiskLevel) -> bool:
        """True when `current` is at or above `escalate_at` and `previous` was below it (or unknown)."""
        at = self.risk.escalate_at
        if at is None:
            return False
        reached = RISK_ORDER.index(current) >= RISK_ORDER.index(at)
        was = previous is not None and RISK_ORDER.index(previous) >= RISK_ORDER.index(at)
        return reached and not was


DEFAULT_POLICY = SlaPolicy(
    name="default",
    targets={
        Priority.urgent: SlaTarget(first_response_hours=1, resolution_hours=4),
        Priority.high: SlaTarget(first_response_hours=4, resolution_hours=24),
        Priority.normal: SlaTarget(first_response_hours=8, resolution_hours=72),
        Priority.low: SlaTarget(first_response_hours=24, resolution_hours=120),
    },
)
"""A common helpdesk tiering (1h/4h urgent up to 24h/5 days low), 24/7; tenants override it in config."""
