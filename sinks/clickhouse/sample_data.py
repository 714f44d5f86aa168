"""Synthetic analytics data: enriched events, LLM calls, SLA outcomes and dead letters of many tickets.

For the query pack tests, the report's screenshot and the benchmarks: built directly as the sink's input
models (no stage runs), deterministic per seed, spread over the last `days` before `end`. Text fields
hold placeholder text only, as the PII stage would leave them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

from schemas import (
    Classification,
    DeadLetter,
    EnrichedTicket,
    FieldPrediction,
    LanguageResult,
    LlmCall,
    SlaPrediction,
)
from schemas.enrichment import RiskLevel
from schemas.events import Channel, EventType, Priority, Source, Status
from sinks.clickhouse.rows import SlaOutcome

CATEGORIES = ("ORDER", "REFUND", "PAYMENT", "SHIPPING", "ACCOUNT", "INVOICE", "DELIVERY")
INTENTS = {
    "ORDER": "cancel_order", "REFUND": "get_refund", "PAYMENT": "payment_issue", "SHIPPING": "change_shipping_address",
    "ACCOUNT": "recover_password", "INVOICE": "check_invoice", "DELIVERY": "delivery_period",
}
LANGUAGES = ("en", "en", "en", "de", "de", "fr", "es")
CHANNELS = (Channel.email, Channel.email, Channel.web, Channel.chat, Channel.phone, Channel.api)
QUEUES = ("billing", "logistics", "accounts", "tier2")
SENTIMENTS = ("negative", "neutral", "neutral", "positive")
PRIORITIES = (Priority.low, Priority.normal, Priority.normal, Priority.high, Priority.urgent)
TARGET_HOURS = {"low": 72, "normal": 24, "high": 8, "urgent": 4}
DEAD_LETTER_REASONS = (
    ("pii", "ValidationError", "invalid TicketEvent: occurred_at: Input should be a valid datetime"),
    ("classify", "TimeoutError", "stage failed after 5 retries: TimeoutError"),
    ("language", "ValueError", "invalid RedactedTicket: message is 300000 bytes, above the limit of 262144"),
)


@dataclass
class SampleData:
    enriched: list[EnrichedTicket] = field(default_factory=list)
    llm_calls: list[LlmCall] = field(default_factory=list)
    outcomes: list[SlaOutcome] = field(default_factory=list)
    dead_letters: list[DeadLetter] = field(default_factory=list)


def _risk(p: float) -> RiskLevel:
    return RiskLevel.high if p >= 0.6 else RiskLevel.medium if p >= 0.3 else RiskLevel.low


def generate(
    tickets: int,
    days: int = 7,
    end: datetime | None = None,
    seed: int = 7,
    tenants: tuple[str, ...] = ("acme", "globex"),
) -> SampleData:
    """`tickets` tickets, each a created event, 0-2 updates and, for most, a solved event."""
    rng = random.Random(seed)
    end = (end or datetime.now(UTC)).astimezone(UTC)
    span = timedelta(days=days)
    data = SampleData()
    for n in range(tickets):
        tenant = tenants[n % len(tenants)]
        created = end - span + timedelta(seconds=rng.uniform(0, span.total_seconds() * 0.97))
        category = rng.choice(CATEGORIES)
        language = rng.choice(LANGUAGES)
        channel = rng.choice(CHANNELS)
        queue = rng.choice(QUEUES)
        agent_priority = rng.choice(PRIORITIES)
        predicted_priority = agent_priority if rng.random() < 0.7 else rng.choice(PRIORITIES)
        sentiment = rng.choice(SENTIMENTS)
        local = rng.random() < 0.75
        base_risk = min(0.95, max(0.02, rng.betavariate(2, 5) + (0.25 if agent_priority == Priority.urgent else 0)))
        ticket_id = f"T-{seed}-{n:07d}"
        times = [created, *sorted(created + timedelta(minutes=rng.uniform(5, 600)) for _ in range(rng.randint(0, 2)))]
        solved = rng.random() < 0.8
        if solved:
            times.append(times[-1] + timedelta(hours=rng.uniform(0.5, 60)))
        predictions: list[float] = []
        for k, at in enumerate(times):
            if at >= end:
                break
            is_solved = solved and k == len(times) - 1
            p = min(0.99, max(0.01, base_risk + rng.uniform(-0.1, 0.1) * k))
            predictions.append(p)
            backend = "local" if local else "anthropic"
            data.enriched.append(
                EnrichedTicket(
                    tenant_id=tenant, source=Source.zendesk, ticket_id=ticket_id, event_id=f"{ticket_id}-e{k}",
                    event_type=EventType.created if k == 0 else EventType.solved if is_solved else EventType.updated,
                    occurred_at=at, ticket_created_at=created,
                    subject=f"{category.title()} question", body="Hello, <PERSON_1> here, about order <ORDER_ID_1>.",
                    requester_id=f"req-{n % 997}", channel=channel, priority=agent_priority,
                    status=Status.solved if is_solved else Status.new if k == 0 else Status.open, queue=queue,
                    language=LanguageResult(code=language, confidence=round(rng.uniform(0.7, 1.0), 3)),
                    classification=Classification(
                        category=FieldPrediction(label=category, confidence=round(rng.uniform(0.5, 1), 3),
                                                 backend=backend),
                        intent=FieldPrediction(label=INTENTS[category], confidence=round(rng.uniform(0.5, 1), 3),
                                               backend=backend),
                        priority=FieldPrediction(label=predicted_priority.value, confidence=0.7, backend=backend),
                        sentiment=FieldPrediction(label=sentiment, confidence=round(rng.uniform(0.5, 1), 3),
                                                  backend=backend),
                        model_version="clf-sample",
                    ),
                    sla=SlaPrediction(
                        policy="standard", priority=agent_priority.value,
                        first_response_due=created + timedelta(hours=1),
                        resolution_due=created + timedelta(hours=TARGET_HOURS[agent_priority.value]),
                        breach_probability=round(p, 4), risk_level=_risk(p), model_version="sla-sample",
                    ),
                    pipeline_version="sample",
                )
            )
            if k == 0 and not local:
                outcome: Literal["ok", "timeout", "invalid_answer"] = (
                    "ok" if rng.random() < 0.95 else rng.choice(("timeout", "invalid_answer"))
                )
                input_tokens, output_tokens = rng.randint(300, 1500), rng.randint(40, 160)
                data.llm_calls.append(
                    LlmCall(
                        call_id=f"call-{ticket_id}", tenant_id=tenant, ticket_id=ticket_id, event_id=f"{ticket_id}-e0",
                        backend="anthropic", model="claude-haiku-4-5", started_at=at,
                        latency_ms=round(rng.uniform(300, 2500), 1), input_tokens=input_tokens,
                        output_tokens=output_tokens, cache_read_tokens=rng.choice((0, 1024)),
                        cost_usd=round(input_tokens * 1e-6 + output_tokens * 5e-6, 8), outcome=outcome,
                        error_type=None if outcome == "ok" else outcome, fields=["category", "intent"],
                    )
                )
            if is_solved:
                hours = (at - created).total_seconds() / 3600
                data.outcomes.append(
                    SlaOutcome(
                        tenant_id=tenant, ticket_id=ticket_id, event_id=f"{ticket_id}-e{k}", solved_at=at,
                        priority=agent_priority.value, policy="standard", queue=queue,
                        met_first_response=None if rng.random() < 0.1 else rng.random() > base_risk / 2,
                        met_resolution=hours <= TARGET_HOURS[agent_priority.value],
                        predicted_breach_at_creation=round(predictions[0], 4),
                        predicted_breach_last=round(predictions[-2] if len(predictions) > 1 else predictions[0], 4),
                    )
                )
    for n in range(max(1, tickets // 50)):
        stage, error_type, reason = DEAD_LETTER_REASONS[n % len(DEAD_LETTER_REASONS)]
        data.dead_letters.append(
            DeadLetter(
                stage=stage, reason=reason, error_type=error_type, attempt=1, topic=f"tickets.{stage}",
                partition=n % 4, offset=n, tenant_id=tenants[n % len(tenants)] if n % 3 else None,
                payload_b64=DeadLetter.encode_payload(b"{}"),
                failed_at=end - span + timedelta(seconds=rng.uniform(0, span.total_seconds() * 0.97)),
            )
        )
    return data
