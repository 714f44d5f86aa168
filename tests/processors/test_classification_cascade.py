"""Cascade routing with the shipped local model and the Anthropic SDK against the local Messages API server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from processors.base import Failed, Ok
from processors.classification.config import LlmLimits, parse_tenant_classification
from processors.classification.factory import ClassificationOptions, build_classification_stage
from processors.classification.local_model import LocalClassifier
from processors.classification.stage import ClassificationStage
from schemas import ClassifiedTicket, DetectedTicket, LanguageResult
from tests.support.anthropic_server import API_KEY, AnthropicTestServer, running_anthropic_server

ENGLISH = [
    "I want to cancel my order",
    "how do I get a refund for the item",
    "I forgot my password and cannot log in",
    "where is my package, it has not arrived",
    "I need a copy of my invoice",
    "can I change the shipping address of my order",
]


@pytest.fixture(scope="module")
def local() -> LocalClassifier:
    return LocalClassifier.load()


@pytest.fixture(scope="module")
def server_module() -> Iterator[AnthropicTestServer]:
    with running_anthropic_server() as server:
        yield server


@pytest.fixture
def server(server_module: AnthropicTestServer) -> AnthropicTestServer:
    server_module.reset()
    return server_module


def stage_for(server: AnthropicTestServer, local: LocalClassifier, cfg: dict[str, Any] | None = None,
              **options: Any) -> ClassificationStage:
    opts = ClassificationOptions(llm="anthropic", anthropic_api_key=API_KEY, anthropic_base_url=server.base_url,
                                 limits=LlmLimits(backoff_base_s=0.01), **options)
    tenants = {"acme": {"classification": cfg}} if cfg is not None else {}
    return build_classification_stage(opts, tenants, local=local)


def ticket(i: int, text: str, lang: str = "en") -> DetectedTicket:
    return DetectedTicket(
        tenant_id="acme", source="email", ticket_id=f"T{i}", event_id=f"E{i}", event_type="created",
        occurred_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC), subject="", body=text,
        language=LanguageResult(code=lang, confidence=0.95),
    )


def results(stage: ClassificationStage, batch: list[DetectedTicket]) -> list[ClassifiedTicket]:
    out = stage.process(batch)
    assert all(isinstance(o, Ok) for o in out), out
    return [o.value for o in out if isinstance(o, Ok)]


def test_threshold_zero_keeps_english_local_and_threshold_above_one_sends_everything(
    server: AnthropicTestServer, local: LocalClassifier
) -> None:
    batch = [ticket(i, t) for i, t in enumerate(ENGLISH)]
    low = results(stage_for(server, local, {"thresholds": {"category": 0.0, "intent": 0.0}}), batch)
    assert server.requests == []
    assert all(r.classification.category.backend == "local" and r.classification.priority is None for r in low)

    high = results(stage_for(server, local, {"thresholds": {"category": 1.01, "intent": 1.01}}), batch)
    assert len(server.requests) == len(ENGLISH)
    assert all(r.classification.intent.backend == "anthropic" for r in high)
    assert all(r.classification.priority is not None for r in high)  # filled because the ticket went anyway


def test_only_fields_below_their_threshold_go_to_the_llm(server: AnthropicTestServer, local: LocalClassifier) -> None:
    out = results(stage_for(server, local, {"thresholds": {"category": 0.0, "intent": 1.01}}), [ticket(1, ENGLISH[0])])
    props = server.requests[0].body["tools"][0]["input_schema"]["properties"]
    assert "intent" in props and "category" not in props
    c = out[0].classification
    assert c.category.backend == "local" and c.intent.backend == "anthropic"


def test_a_confident_german_ticket_goes_to_the_llm_unless_german_is_a_local_language(
    server: AnthropicTestServer, local: LocalClassifier
) -> None:
    german = ticket(1, "Ich möchte meine Bestellung stornieren, bitte cancel order", lang="de")
    routed = results(stage_for(server, local, {"thresholds": {"category": 0.0, "intent": 0.0}}), [german])
    assert len(server.requests) == 1 and routed[0].classification.category.backend == "anthropic"
    server.reset()
    kept = results(stage_for(server, local, {"thresholds": {"category": 0.0, "intent": 0.0},
                                             "local_languages": ["en", "de"]}), [german])
    assert server.requests == [] and kept[0].classification.category.backend == "local"
    server.reset()
    results(stage_for(server, local, None, local_languages=["en", "de"],
                      thresholds={"category": 0.0, "intent": 0.0}), [german])
    assert server.requests == []  # the global setting works for tenants without their own list


def test_fill_unknown_fields_always_asks_only_priority_and_sentiment_for_confident_tickets(
    server: AnthropicTestServer, local: LocalClassifier
) -> None:
    cfg = {"thresholds": {"category": 0.0, "intent": 0.0}, "fill_unknown_fields": "always", "summary": False}
    out = results(stage_for(server, local, cfg), [ticket(1, ENGLISH[1])])
    props = server.requests[0].body["tools"][0]["input_schema"]["properties"]
    assert set(props) == {"priority", "sentiment"}
    c = out[0].classification
    assert c.category.backend == "local" and c.priority is not None and c.priority.backend == "anthropic"
    assert c.summary is None


def test_local_mode_never_calls_the_llm(server: AnthropicTestServer, local: LocalClassifier) -> None:
    out = results(stage_for(server, local, {"mode": "local", "thresholds": {"category": 1.01}}),
                  [ticket(1, ENGLISH[0], lang="fr")])
    assert server.requests == [] and out[0].classification.category.backend == "local"


def test_labels_the_local_model_does_not_know_go_to_the_llm_and_fail_clearly_without_one(
    server: AnthropicTestServer, local: LocalClassifier
) -> None:
    cfg = {"taxonomy": {"category": ["billing", "technical"], "intent": []}}
    out = results(stage_for(server, local, cfg), [ticket(1, "my card was charged twice, billing problem")])
    c = out[0].classification
    assert c.category.backend == "anthropic" and c.category.label == "billing"

    local_only = build_classification_stage(ClassificationOptions(llm="none"), {"acme": {"classification": cfg}},
                                            local=local)
    failed = local_only.process([ticket(2, "my card was charged twice")])[0]
    assert isinstance(failed, Failed) and failed.error_type == "MissingPrediction"


def test_without_an_llm_the_stage_is_the_local_model_and_records_no_calls(local: LocalClassifier) -> None:
    stage = build_classification_stage(ClassificationOptions(llm="none"), {}, local=local)
    out = results(stage, [ticket(1, ENGLISH[0], lang="de")])
    assert out[0].classification.category.backend == "local" and stage.drain_llm_calls() == []


def test_bad_tenant_configuration_names_the_tenant_and_key() -> None:
    with pytest.raises(ValueError, match=r"tenants\.acme\.classification: thresholds: .*unknown field 'urgency'"):
        parse_tenant_classification({"acme": {"classification": {"thresholds": {"urgency": 0.5}}}})
    with pytest.raises(ValueError, match=r"tenants\.beta\.classification: taxonomy: .*label 'a b'"):
        parse_tenant_classification({"beta": {"classification": {"taxonomy": {"category": ["a b"], "intent": []}}}})
    with pytest.raises(ValueError, match=r"tenants\.gamma\.classification: budget\.daily_usd"):
        parse_tenant_classification({"gamma": {"classification": {"budget": {"daily_usd": -1}}}})
