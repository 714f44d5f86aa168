"""The SLA stage: ClassifiedTicket in, EnrichedTicket out, with due times and a breach probability."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import ValidationError

from processors.base import Failed, Ok
from processors.sla.features import SlaEventView
from processors.sla.model import SlaModel
from processors.sla.policy import DEFAULT_POLICY, SlaPolicy
from schemas import ClassifiedTicket, EnrichedTicket, SlaPrediction, format_validation_error


class SlaStage:
    """Apply the tenant's SLA policy and the breach model to a batch, with one model call per batch.

    Due times come from the policy (the event's priority, or "normal" when it has none; the ticket's
    creation time, or this event's time when the source does not give one). The breach probability
    comes from the model, which does not know the tenant's targets: it estimates breaching the SLA
    the way the training data defined it, and the policy's thresholds turn it into a risk level.
    """

    def __init__(
        self,
        model: SlaModel | None = None,
        *,
        pipeline_version: str,
        policies: Mapping[str, SlaPolicy] | None = None,
        default_policy: SlaPolicy = DEFAULT_POLICY,
        name: str = "sla",
    ) -> None:
        if not pipeline_version or len(pipeline_version) > 64:
            raise ValueError("pipeline_version must be 1 to 64 characters")
        self.model = model if model is not None else SlaModel.load()
        self.pipeline_version = pipeline_version
        self.policies = dict(policies or {})
        self.default_policy = default_policy
        self.name = name

    def policy_for(self, tenant_id: str) -> SlaPolicy:
        return self.policies.get(tenant_id, self.default_policy)

    def process(self, batch: Sequence[ClassifiedTicket]) -> list[Ok[EnrichedTicket] | Failed]:
        if not batch:
            return []
        views = [SlaEventView.from_ticket(ticket) for ticket in batch]
        probabilities = self.model.predict_proba(views)
        return [
            self._enrich(ticket, view, float(p))
            for ticket, view, p in zip(batch, views, probabilities, strict=True)
        ]

    def _enrich(
        self, ticket: ClassifiedTicket, view: SlaEventView, probability: float
    ) -> Ok[EnrichedTicket] | Failed:
        policy = self.policy_for(ticket.tenant_id)
        try:
            first_response_due, resolution_due = policy.due_times(view.priority, view.created_at)
            sla = SlaPrediction(
                policy=policy.name,
                priority=view.priority.value,
                first_response_due=first_response_due,
                resolution_due=resolution_due,
                breach_probability=probability,
                risk_level=policy.risk_level(probability),
                model_version=self.model.model_version,
            )
            return Ok(EnrichedTicket(**dict(ticket), sla=sla, pipeline_version=self.pipeline_version))
        except ValidationError as exc:
            return Failed(format_validation_error(exc), "ValidationError")
        except OverflowError:
            return Failed("ticket_created_at plus the SLA target is out of the date range", "OverflowError")
