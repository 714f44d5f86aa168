"""The SLA stage: ClassifiedTicket in, EnrichedTicket out, with due times, a breach probability, a risk
level, its top factors and whether this event crossed the tenant's escalation threshold.

The stage is stateful per ticket (history for the model, last risk level for "escalate once per crossing").
The logic is pure: `process_with_state(batch, states)` takes the ticket states before the batch and returns
the outcomes and the states after it. The stream reads and writes faust Tables around that call on the event
loop (streams/sla_state.py); `process(batch)` — the batch CLI — does the same with an in-memory store, so
the same input order gives the same results.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from pydantic import ValidationError

from processors.base import Failed, Ok
from processors.sla.features import SlaEventView
from processors.sla.model import SlaModel
from processors.sla.policy import DEFAULT_POLICY, SlaPolicy
from processors.sla.state import (
    InMemoryStateStore,
    QueueDelta,
    QueueState,
    StateEvent,
    StateRetention,
    TicketState,
    is_duplicate,
    queue_deltas,
    update_ticket,
)
from schemas import ClassifiedTicket, EnrichedTicket, EventType, SlaPrediction, Status, format_validation_error
from schemas.enrichment import RiskLevel


@dataclass
class SlaBatchResult:
    """Outcomes in input order; ticket states after the batch (only keys that changed); queue deltas to apply."""

    outcomes: list[Ok[EnrichedTicket] | Failed]
    states: dict[str, TicketState] = field(default_factory=dict)
    queue_deltas: list[QueueDelta] = field(default_factory=list)


@dataclass
class _Pending:
    index: int
    key: str
    ticket: ClassifiedTicket
    view: SlaEventView
    after: TicketState
    duplicate: bool
    due: tuple[datetime, datetime]
    policy: SlaPolicy


class SlaStage:
    """Apply the tenant's SLA policy and the breach model to a batch, with one model call per batch.

    Due times come from the policy on its business calendar (the event's priority, else the ticket's last
    known one, else the classifier's, else "normal"; the ticket's creation time, else when it was first
    seen). The model estimates breaching the SLA the way its training data defined it; the policy's
    thresholds turn it into a risk level.
    """

    def __init__(
        self,
        model: SlaModel | None = None,
        *,
        pipeline_version: str,
        policies: Mapping[str, SlaPolicy] | None = None,
        default_policy: SlaPolicy = DEFAULT_POLICY,
        name: str = "sla",
        retention: StateRetention | None = None,
        evict_every: int = 10_000,
    ) -> None:
        if not pipeline_version or len(pipeline_version) > 64:
            raise ValueError("pipeline_version must be 1 to 64 characters")
        self.model = model if model is not None else SlaModel.load()
        self.pipeline_version = pipeline_version
        self.policies = dict(policies or {})
        self.default_policy = default_policy
        self.name = name
        self.store = InMemoryStateStore()
        """State of `process()` (the batch CLI); the stream keeps its own in faust Tables."""
        self.retention = retention if retention is not None else StateRetention()
        self.evict_every = evict_every
        self._since_eviction = 0

    def policy_for(self, tenant_id: str) -> SlaPolicy:
        return self.policies.get(tenant_id, self.default_policy)

    @property
    def uses_queue_state(self) -> bool:
        return self.model.feature_set == "queue"

    def process(self, batch: Sequence[ClassifiedTicket]) -> list[Ok[EnrichedTicket] | Failed]:
        """With the in-memory store: the same results as the stream for the same input order."""
        states = {t.key: self.store.tickets.get(t.key) for t in batch}
        queues = {k: v for k, v in self.store.queues.items()} if self.uses_queue_state else None
        result = self.process_with_state(batch, states, queues)
        self.store.tickets.update(result.states)
        self.store.apply_queue_deltas(result.queue_deltas)
        newest = max((t.occurred_at for t in batch), default=None)
        if newest is not None and (self.store.stream_time is None or newest > self.store.stream_time):
            self.store.stream_time = newest
        self._since_eviction += len(batch)
        if self._since_eviction >= self.evict_every:  # a sweep is O(states); amortise it
            self._since_eviction = 0
            self.store.evict(self.retention)
        return result.outcomes

    def process_with_state(
        self,
        batch: Sequence[ClassifiedTicket],
        states: Mapping[str, TicketState | None],
        queues: Mapping[str, QueueState] | None = None,
    ) -> SlaBatchResult:
        """Pure: `states` holds each key's state before the batch (None = new ticket). Several events of one
        ticket in a batch chain through the state in order. A failed item does not change the state."""
        current: dict[str, TicketState | None] = dict(states)
        outcomes: list[Ok[EnrichedTicket] | Failed | None] = [None] * len(batch)
        pending: list[_Pending] = []
        deltas: list[QueueDelta] = []
        for i, ticket in enumerate(batch):
            key = ticket.key
            before = current.get(key)
            event = StateEvent.from_ticket(ticket)
            after = update_ticket(before, event)
            policy = self.policy_for(ticket.tenant_id)
            try:
                queue = queues.get(f"{ticket.tenant_id}:{after.queue}") if queues and after.queue else None
                view = SlaEventView.from_ticket(ticket, after, policy, queue)
                tier = ticket.custom_fields.get(policy.tier_field)
                due = policy.due_times(view.priority, view.created_at, ticket.channel,
                                       str(tier) if tier is not None else None)
            except OverflowError:
                outcomes[i] = Failed("ticket_created_at plus the SLA target is out of the date range", "OverflowError")
                continue
            except ValueError as exc:
                outcomes[i] = Failed(f"SLA clock: {exc}", "ValueError")
                continue
            current[key] = after
            deltas.extend(queue_deltas(ticket.tenant_id, before, after, ticket.occurred_at))
            pending.append(_Pending(i, key, ticket, view, after, is_duplicate(before, event), due, policy))

        probabilities, factors = self.model.predict_with_factors([p.view for p in pending])
        risk_of: dict[str, tuple[RiskLevel | None, str | None]] = {
            key: (s.last_risk, s.escalated_event_id) for key, s in states.items() if s is not None
        }
        final: dict[str, TicketState] = {}
        for item, probability, top in zip(pending, probabilities, factors, strict=True):
            previous, escalated_id = risk_of.get(item.key, (None, None))
            risk = item.policy.risk_level(float(probability))
            if item.duplicate:
                # The ticket's state as it stands: when an earlier event of this batch changed it, its risk
                # fields are in `final`, not in `item.after` (the original and its re-sent copy often share a
                # batch after a restart).
                now = final.get(item.key, item.after)
                escalate = escalated_id == item.ticket.event_id
                latest = now.recent_event_ids[-1:] == (item.ticket.event_id,)
                # A redelivery of the ticket's latest event (a worker restarted before committing it) must
                # say what the first delivery said; an older one can only report the level as it is now.
                previous = now.risk_before_last if latest else (now.last_risk if escalate else previous)
                # A redelivery changes no risk state: an older event's level is not the ticket's level now.
                final[item.key] = replace(item.after, last_risk=now.last_risk,
                                          escalated_event_id=now.escalated_event_id,
                                          risk_before_last=now.risk_before_last)
            else:
                escalate = item.policy.crosses_escalation(previous, risk)
                if escalate:
                    escalated_id = item.ticket.event_id
                risk_of[item.key] = (risk, escalated_id)
                final[item.key] = replace(item.after, last_risk=risk, escalated_event_id=escalated_id,
                                          risk_before_last=previous)
            outcomes[item.index] = self._enrich(item, float(probability), risk, previous, escalate, top)
        return SlaBatchResult([o for o in outcomes if o is not None], final, deltas)

    def _enrich(
        self, item: _Pending, probability: float, risk: RiskLevel, previous: RiskLevel | None, escalate: bool,
        factors: list[tuple[str, float]],
    ) -> Ok[EnrichedTicket] | Failed:
        try:
            sla = SlaPrediction(
                policy=item.policy.name,
                priority=item.view.priority.value,
                first_response_due=item.due[0],
                resolution_due=item.due[1],
                breach_probability=probability,
                risk_level=risk,
                model_version=self.model.model_version,
                factors=factors,
                previous_risk_level=previous,
                escalate=escalate,
                resolution_met=_resolution_met(item.ticket, item.due[1]),
                first_response_at=item.after.first_response_at,
                first_response_met=(item.after.first_response_at <= item.due[0]
                                    if item.after.first_response_at is not None else None),
            )
            # A replay's version tag (`replay --pipeline-version`) wins, so its results sit beside the live ones.
            stamp = item.ticket.replay
            version = stamp.pipeline_version if stamp is not None and stamp.pipeline_version else self.pipeline_version
            return Ok(EnrichedTicket(**dict(item.ticket), sla=sla, pipeline_version=version))
        except ValidationError as exc:
            return Failed(format_validation_error(exc), "ValidationError")


def _resolution_met(ticket: ClassifiedTicket, resolution_due: datetime) -> bool | None:
    if ticket.event_type in (EventType.solved, EventType.closed) or ticket.status in (Status.solved, Status.closed):
        return ticket.occurred_at <= resolution_due
    return None
