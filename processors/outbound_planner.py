"""Turns an enriched ticket into the actions to apply back in the helpdesk.

Actions are built from labels and numbers only, never from ticket text, so nothing redacted can leak
back into the helpdesk through a note. Each action's id is derived from the event and the kind of action,
which makes a redelivered event produce the same action id (the writer applies it once).

Escalation: the SLA stage marks the one event whose breach risk crossed the tenant's escalation threshold
(`sla.escalate`; it remembers the last risk level per ticket), and the planner turns that mark into one
`escalate` action — so a ticket that stays at high risk is escalated once, not on every event, and again only
after its risk fell below the threshold and crossed it anew.

Custom fields: a tenant can map enrichment values (`category`, `intent`, `priority`, `sentiment`, `language`,
`sla_risk`, `breach_probability`, `resolution_due`) to helpdesk field names (`outbound.custom_fields` in the
tenants file). A `set_custom_fields` action is planned on the events in `custom_fields_on` (creation, by
default) and whenever the ticket's SLA risk level changes, so the helpdesk fields follow the ticket without
an API call on every event.

Replays: an event re-sent by `ticketstream replay` carries a replay stamp (schemas/replay.py) and gets no
action unless the replay was run with `--outbound`; this check sits here, in the one place that makes
actions, so it holds whether or not the replay worker also runs with TICKETSTREAM_OUTBOUND_ENABLED=false.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from processors.base import Failed, Ok
from schemas import EnrichedTicket, EventType, OutboundAction, OutboundKind, Priority, format_validation_error
from schemas.enrichment import RiskLevel

CustomFieldSource = Literal[
    "category", "intent", "priority", "sentiment", "language", "sla_risk", "breach_probability", "resolution_due"
]

_PRIORITY_ORDER = [Priority.low, Priority.normal, Priority.high, Priority.urgent]
_TAG_SAFE = re.compile(r"[^a-z0-9_]+")


class PlannerConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    tag_prefix: str = Field(default="ts_", max_length=20)
    min_tag_confidence: float = Field(default=0.5, ge=0.0, le=1.0, description="Below this, no label tag.")
    note_on: list[EventType] = Field(default=[EventType.created])
    raise_priority_at: RiskLevel = Field(
        default=RiskLevel.high, description="SLA risk level at which the priority is raised to high."
    )
    escalate: bool = Field(default=True, description="Emit an escalate action when the SLA stage marks a crossing.")
    custom_fields: dict[CustomFieldSource, Annotated[str, Field(min_length=1, max_length=100)]] = Field(
        default_factory=dict, description="Enrichment value -> helpdesk custom field name (Zendesk: field id)."
    )
    custom_fields_on: list[EventType] = Field(default=[EventType.created])


def planner_configs(tenants: Mapping[str, Mapping[str, Any]]) -> dict[str, PlannerConfig]:
    """Each tenant's `outbound:` block; a bad block raises ValueError naming the tenant and the field."""
    configs: dict[str, PlannerConfig] = {}
    for tenant, block in tenants.items():
        raw = (block or {}).get("outbound")
        if raw is None:
            continue
        try:
            configs[tenant] = PlannerConfig.model_validate(raw)
        except ValidationError as exc:
            raise ValueError(f"tenant {tenant!r} outbound: {format_validation_error(exc)}") from exc
    return configs


def _custom_field_values(ticket: EnrichedTicket) -> dict[str, str | float]:
    """Labels and numbers only (never ticket text), like every other action."""
    cls, sla = ticket.classification, ticket.sla
    values: dict[str, str | float] = {
        "category": cls.category.label,
        "intent": cls.intent.label,
        "language": ticket.language.code,
        "sla_risk": sla.risk_level.value,
        "breach_probability": round(sla.breach_probability, 3),
        "resolution_due": sla.resolution_due.astimezone(UTC).isoformat(),
    }
    if cls.priority is not None:
        values["priority"] = cls.priority.label
    if cls.sentiment is not None:
        values["sentiment"] = cls.sentiment.label
    return values


def _tag(prefix: str, *parts: str) -> str:
    return prefix + "_".join(_TAG_SAFE.sub("_", p.lower()).strip("_") for p in parts)


class OutboundPlanner:
    name = "outbound"

    def __init__(self, config: PlannerConfig | None = None,
                 tenants: Mapping[str, PlannerConfig] | None = None) -> None:
        self.config = config or PlannerConfig()
        self.tenants = dict(tenants or {})

    def plan(self, ticket: EnrichedTicket, now: datetime) -> list[OutboundAction]:
        """No action for a replayed event unless its replay was run with `--outbound`: whatever the worker's
        settings or topics, a backfill cannot touch a helpdesk by accident."""
        if not ticket.may_act_on_helpdesk:
            return []
        cfg = self.tenants.get(ticket.tenant_id, self.config)
        cls = ticket.classification
        tags = [
            _tag(cfg.tag_prefix, "lang", ticket.language.code),
            _tag(cfg.tag_prefix, "sla_risk", ticket.sla.risk_level),
        ]
        if cls.category.confidence >= cfg.min_tag_confidence:
            tags.append(_tag(cfg.tag_prefix, "category", cls.category.label))
        if cls.intent.confidence >= cfg.min_tag_confidence:
            tags.append(_tag(cfg.tag_prefix, "intent", cls.intent.label))

        def action(kind: OutboundKind, **fields: object) -> OutboundAction:
            return OutboundAction(
                action_id=OutboundAction.idempotency_key(ticket.tenant_id, ticket.ticket_id, ticket.event_id, kind),
                tenant_id=ticket.tenant_id,
                source=ticket.source,
                ticket_id=ticket.ticket_id,
                event_id=ticket.event_id,
                kind=kind,
                created_at=now,
                **fields,  # type: ignore[arg-type]
            )

        actions = [action(OutboundKind.add_tags, tags=tags)]
        risk_order = list(RiskLevel)
        current = ticket.priority or Priority.normal
        if risk_order.index(ticket.sla.risk_level) >= risk_order.index(cfg.raise_priority_at) and (
            _PRIORITY_ORDER.index(current) < _PRIORITY_ORDER.index(Priority.high)
        ):
            actions.append(action(OutboundKind.set_priority, priority=Priority.high))
        if ticket.event_type in cfg.note_on:
            actions.append(action(OutboundKind.internal_note, note=self._note(ticket)))
        if cfg.escalate and ticket.sla.escalate:
            actions.append(action(OutboundKind.escalate, tags=[_tag(cfg.tag_prefix, "sla_escalated")],
                                  note=self._escalation_note(ticket)))
        risk_changed = ticket.sla.previous_risk_level not in (None, ticket.sla.risk_level)
        if cfg.custom_fields and (ticket.event_type in cfg.custom_fields_on or risk_changed):
            values = _custom_field_values(ticket)
            fields = {name: values[source] for source, name in cfg.custom_fields.items() if source in values}
            if fields:
                actions.append(action(OutboundKind.set_custom_fields, custom_fields=fields))
        return actions

    def process(self, batch: Sequence[EnrichedTicket], now: datetime) -> list[Ok[list[OutboundAction]] | Failed]:
        return [Ok(self.plan(ticket, now)) for ticket in batch]

    @staticmethod
    def _escalation_note(ticket: EnrichedTicket) -> str:
        sla = ticket.sla
        factors = ", ".join(f"{name} {effect:+.0%}" for name, effect in sla.factors) or "none reported"
        first, resolution = sla.first_response_due.astimezone(UTC), sla.resolution_due.astimezone(UTC)
        return (
            f"ticketstream: SLA breach risk rose to {sla.risk_level} ({sla.breach_probability:.0%}, was "
            f"{sla.previous_risk_level or 'unknown'}). Policy {sla.policy}, priority {sla.priority}: first response "
            f"due {first:%Y-%m-%d %H:%M} UTC, resolution due {resolution:%Y-%m-%d %H:%M} "
            f"UTC. Top factors: {factors}."
        )

    @staticmethod
    def _note(ticket: EnrichedTicket) -> str:
        cls, sla = ticket.classification, ticket.sla
        return (
            f"ticketstream: category {cls.category.label} ({cls.category.confidence:.0%}, {cls.category.backend}), "
            f"intent {cls.intent.label} ({cls.intent.confidence:.0%}), language {ticket.language.code} "
            f"({ticket.language.confidence:.0%}). SLA policy {sla.policy}: resolution due "
            f"{sla.resolution_due:%Y-%m-%d %H:%M} UTC, breach risk {sla.breach_probability:.0%} ({sla.risk_level})."
        )
