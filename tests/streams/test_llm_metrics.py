"""LLM figures on the worker's /metrics: the classification stage with the shipped local model and a scripted
LLM transport, wired to `Metrics` the way the worker wires it (`instrument_stage`), read back from the
exposition text an operator's Prometheus scrapes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from processors.base import Ok
from processors.classification.cascade import CascadeBackend, RoutingPolicy
from processors.classification.config import LlmLimits, ModelPrice
from processors.classification.factory import ClassificationOptions, build_classification_stage
from processors.classification.llm_backend import LlmBackend, LlmCallError, LlmReply, Usage
from processors.classification.local_model import LocalClassifier
from processors.classification.prompt import LlmRequest
from processors.classification.stage import ClassificationStage
from schemas import DetectedTicket, LanguageResult
from streams.llm_metrics import instrument_stage
from streams.metrics import Metrics

MODEL = "fake-1"
USAGE = Usage(input_tokens=1000, output_tokens=100, cache_read_tokens=500)
PRICE = {"input": 1.0, "output": 5.0, "cache_read": 0.1}  # USD per million tokens
CALL_COST = (1000 * 1.0 + 100 * 5.0 + 500 * 0.1) / 1_000_000
SEND_ALL = {"category": 1.01, "intent": 1.01}  # every ticket goes to the LLM


class ScriptedTransport:
    """An `LlmTransport` whose behaviour is chosen by a marker in the ticket text; answers the first allowed
    label of every field it is asked for."""

    name = "fake"
    model = MODEL

    def __init__(self) -> None:
        self.requests = 0

    def complete(self, request: LlmRequest, timeout_s: float) -> LlmReply:
        self.requests += 1
        if "[error]" in request.user:
            raise LlmCallError("error", "HTTP500", retryable=True)
        if "[ratelimit]" in request.user:
            raise LlmCallError("rate_limited", "HTTP429", retryable=True, retry_after_s=0.0)
        if "[timeout]" in request.user:
            raise LlmCallError("timeout", "ReadTimeout", retryable=True)
        props = request.schema["properties"]
        answer: dict[str, Any] = {
            f: {"label": "NOT-A-LABEL" if "[invalid]" in request.user else props[f]["properties"]["label"]["enum"][0],
                "confidence": 0.9}
            for f in request.fields
        }
        if request.summary:
            answer["summary"] = "Customer asks about an order."
        return LlmReply(answer=answer, usage=USAGE, model=MODEL)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def local() -> LocalClassifier:
    return LocalClassifier.load()


def ticket(i: int, text: str, tenant: str = "acme", lang: str = "en") -> DetectedTicket:
    return DetectedTicket(
        tenant_id=tenant, source="email", ticket_id=f"T{i}", event_id=f"E{i}", event_type="created",
        occurred_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC), subject="", body=text,
        language=LanguageResult(code=lang, confidence=0.95),
    )


def scrape(metrics: Metrics) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    out = {}
    for family in text_string_to_metric_families(metrics.exposition().decode()):
        for s in family.samples:
            out[(s.name, frozenset(s.labels.items()))] = s.value
    return out


def value(metrics: Metrics, name: str, **labels: str) -> float | None:
    return scrape(metrics).get((name, frozenset(labels.items())))


def run(stage: ClassificationStage, batch: list[DetectedTicket]) -> None:
    outcomes = stage.process(batch)
    assert all(isinstance(o, Ok) for o in outcomes), outcomes  # a failing LLM never fails a ticket


def test_calls_tokens_cost_latency_fallbacks_dedup_routing_and_budget(local: LocalClassifier) -> None:
    options = ClassificationOptions(limits=LlmLimits(max_attempts=2, backoff_base_s=0.0, breaker_failures=100),
                                    prices={MODEL: PRICE})
    tenants = {"acme": {"classification": {"thresholds": SEND_ALL, "budget": {"daily_usd": 1.0}}},
               "beta": {"classification": {"mode": "local"}}}
    transport = ScriptedTransport()
    stage = build_classification_stage(options, tenants, transport=transport, local=local)
    metrics = Metrics()
    assert instrument_stage(stage, metrics)

    run(stage, [
        ticket(1, "I want to cancel my order"),
        ticket(2, "where is my package [invalid]"),
        ticket(3, "how do I get a refund [error]"),
        ticket(4, "I forgot my password [ratelimit]"),
        ticket(5, "I need a copy of my invoice [timeout]"),
        ticket(6, "Ich möchte meine Bestellung stornieren", lang="de"),
        ticket(7, "I want to cancel my order"),  # the same question as T1 in the same batch: asked once
        ticket(8, "I want to cancel my order", tenant="beta"),
        ticket(9, "where is my package", tenant="beta"),
    ])
    run(stage, [ticket(10, "I want to cancel my order")])  # answered from the dedup cache

    def calls(outcome: str) -> float | None:
        return value(metrics, "ticketstream_llm_calls_total", backend="fake", model=MODEL, outcome=outcome)

    assert transport.requests == 10
    assert {o: calls(o) for o in ("ok", "invalid_answer", "error", "rate_limited", "timeout")} == {
        "ok": 2, "invalid_answer": 2, "error": 2, "rate_limited": 2, "timeout": 2}
    assert calls("circuit_open") is None
    assert value(metrics, "ticketstream_llm_latency_seconds_count", backend="fake", model=MODEL) == 10
    # ok and invalid answers carry usage (4 calls); failed requests do not
    for kind, count in (("input", 4000), ("output", 400), ("cache_read", 2000)):
        assert value(metrics, "ticketstream_llm_tokens_total", backend="fake", model=MODEL, kind=kind) == count
    assert value(metrics, "ticketstream_llm_tokens_total", backend="fake", model=MODEL, kind="cache_write") is None
    assert value(metrics, "ticketstream_llm_cost_usd_total", backend="fake", model=MODEL, tenant="acme") == \
        pytest.approx(4 * CALL_COST)
    for reason in ("invalid_answer", "error", "rate_limited", "timeout"):
        assert value(metrics, "ticketstream_llm_fallbacks_total", backend="fake", reason=reason) == 1
    assert value(metrics, "ticketstream_llm_dedup_hits_total", backend="fake", model=MODEL) == 2

    # share of tickets routed to the LLM: 8 of 10 (beta classifies locally)
    assert value(metrics, "ticketstream_classification_tickets_total", tenant="acme", route="confidence") == 7
    assert value(metrics, "ticketstream_classification_tickets_total", tenant="acme", route="language") == 1
    assert value(metrics, "ticketstream_classification_tickets_total", tenant="beta", route="local") == 2
    # T1, T6, T7, T10 carry the LLM's category; the 4 fallbacks and beta's 2 the local model's
    assert value(metrics, "ticketstream_classification_field_decisions_total", field="category",
                 backend="fake") == 4
    assert value(metrics, "ticketstream_classification_field_decisions_total", field="category",
                 backend="local") == 6

    assert value(metrics, "ticketstream_llm_circuit_state", backend="fake") == 0
    assert value(metrics, "ticketstream_llm_budget_spent_usd", backend="fake", tenant="acme") == \
        pytest.approx(4 * CALL_COST)
    assert value(metrics, "ticketstream_llm_budget_remaining_usd", backend="fake", tenant="acme") == \
        pytest.approx(1.0 - 4 * CALL_COST)
    assert value(metrics, "ticketstream_llm_budget_spent_tokens", backend="fake", tenant="acme") == 4 * USAGE.total
    assert value(metrics, "ticketstream_llm_budget_remaining_tokens", backend="fake", tenant="acme") is None
    assert value(metrics, "ticketstream_llm_budget_spent_usd", backend="fake", tenant="beta") == 0.0

    text = metrics.exposition().decode()  # what `curl :6066/metrics` shows
    assert f'ticketstream_llm_calls_total{{backend="fake",model="{MODEL}",outcome="ok"}} 2.0' in text
    assert "cancel" not in text and "package" not in text, "no ticket text in label values"


def test_breaker_state_is_current_at_each_scrape(local: LocalClassifier) -> None:
    clock = FakeClock()
    llm = LlmBackend(ScriptedTransport(), clock=clock, price=ModelPrice(**PRICE),
                     limits=LlmLimits(max_concurrency=1, max_attempts=1, breaker_failures=2, breaker_cooldown_s=30))
    labels = {f: local.labels(f) for f in ("category", "intent")}
    stage = ClassificationStage(CascadeBackend(local, llm, default_policy=RoutingPolicy(thresholds=SEND_ALL)),
                                default_taxonomy=labels)
    metrics = Metrics()
    instrument_stage(stage, metrics)
    run(stage, [ticket(i, f"refund number {i} please [error]") for i in range(4)])

    calls = {o: value(metrics, "ticketstream_llm_calls_total", backend="fake", model=MODEL, outcome=o)
             for o in ("error", "circuit_open")}
    assert calls == {"error": 2, "circuit_open": 2}  # two failures open the breaker; then no requests
    assert value(metrics, "ticketstream_llm_latency_seconds_count", backend="fake", model=MODEL) == 2
    assert value(metrics, "ticketstream_llm_fallbacks_total", backend="fake", reason="circuit_open") == 2
    assert value(metrics, "ticketstream_llm_circuit_state", backend="fake") == 2
    clock.now += 30  # the cooldown passes without any call: the next scrape says half-open
    assert value(metrics, "ticketstream_llm_circuit_state", backend="fake") == 1


def test_a_spent_token_budget_shows_nothing_left_and_calls_not_made(local: LocalClassifier) -> None:
    options = ClassificationOptions(limits=LlmLimits(max_concurrency=1), prices={MODEL: PRICE})
    tenants = {"acme": {"classification": {"thresholds": SEND_ALL, "budget": {"daily_tokens": 1000}}}}
    stage = build_classification_stage(options, tenants, transport=ScriptedTransport(), local=local)
    metrics = Metrics()
    instrument_stage(stage, metrics)
    run(stage, [ticket(1, "I want to cancel my order"), ticket(2, "where is my package")])

    assert value(metrics, "ticketstream_llm_calls_total", backend="fake", model=MODEL, outcome="ok") == 1
    assert value(metrics, "ticketstream_llm_calls_total", backend="fake", model=MODEL,
                 outcome="budget_exceeded") == 1
    assert value(metrics, "ticketstream_llm_fallbacks_total", backend="fake", reason="budget_exceeded") == 1
    assert value(metrics, "ticketstream_llm_budget_spent_tokens", backend="fake", tenant="acme") == USAGE.total
    assert value(metrics, "ticketstream_llm_budget_remaining_tokens", backend="fake", tenant="acme") == 0


def test_stages_without_an_llm_hook_are_left_alone_and_a_local_only_stage_reports_no_llm(
    local: LocalClassifier,
) -> None:
    metrics = Metrics()
    assert not instrument_stage(object(), metrics)
    stage = build_classification_stage(ClassificationOptions(llm="none"), {}, local=local)
    instrument_stage(stage, metrics)
    run(stage, [ticket(1, "I want to cancel my order")])
    text = metrics.exposition().decode()
    assert "ticketstream_llm_calls_total{" not in text and "ticketstream_llm_circuit_state{" not in text
