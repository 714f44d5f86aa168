"""Message Batches through the real `anthropic` SDK against the local server's documented batch endpoints.

Each test plans German tickets (the cascade routes non-English to the LLM) with the classification stage,
submits, waits, collects and answers, then checks what a user would: which backend decided each field,
the LlmCall records and their cost, and what went over the wire.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from processors.base import Failed, Ok
from processors.classification.config import DEFAULT_PRICES, LlmLimits, ModelPrice
from processors.classification.factory import ClassificationOptions, build_classification_stage
from processors.classification.local_model import LocalClassifier
from processors.classification.message_batches import (
    CUSTOM_ID,
    BatchCreateUncertain,
    BatchProgress,
    BatchState,
    MessageBatchClient,
    MessageBatchError,
    MessageBatches,
    chunk_bounds,
)
from processors.classification.stage import ClassificationStage
from schemas import ClassifiedTicket, DetectedTicket, EventType, LanguageResult, LlmCall, Source
from tests.support.anthropic_server import API_KEY, BATCHES_PATH, AnthropicTestServer, running_anthropic_server

MODEL = "claude-haiku-4-5"
CATEGORIES = ["ORDER", "PAYMENT", "ACCOUNT", "DELIVERY"]
PRICE = ModelPrice(**DEFAULT_PRICES[MODEL])


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
    server_module.batch_polls_before_end = 1  # one poll sees it in progress, the next sees it ended
    return server_module


def make_stage(server: AnthropicTestServer, local: LocalClassifier) -> ClassificationStage:
    options = ClassificationOptions(
        llm="anthropic", anthropic_api_key=API_KEY, anthropic_base_url=server.base_url, anthropic_model=MODEL,
        limits=LlmLimits(backoff_base_s=0.01, backoff_max_s=0.05, request_timeout_s=5.0, max_attempts=1),
    )
    cfg = {"taxonomy": {"category": CATEGORIES, "intent": [], "priority": [], "sentiment": []}}
    return build_classification_stage(options, {"acme": {"classification": cfg}}, local=local)


def ticket(i: int, subject: str, body: str, lang: str = "de") -> DetectedTicket:
    return DetectedTicket(
        tenant_id="acme", source=Source.zendesk, ticket_id=f"TICKET{i}", event_id=f"EVENT{i}",
        event_type=EventType.created,
        occurred_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC), subject=subject, body=body,
        language=LanguageResult(code=lang, confidence=0.99), requester_id="req-secret-42",
    )


TICKETS = [
    ticket(1, "Zahlung fehlgeschlagen", "Meine PAYMENT Karte wurde abgelehnt"),
    ticket(2, "Lieferung", "Wo ist meine DELIVERY? Das Paket fehlt"),
    ticket(3, "Konto", "Bitte mein ACCOUNT löschen"),
    ticket(4, "Bestellung", "Ich möchte die ORDER stornieren"),
]


def fast_client(mb_stage: ClassificationStage, sleeps: list[float] | None = None) -> MessageBatchClient:
    transport = mb_stage.backend.llm.transport  # type: ignore[attr-defined]
    return MessageBatchClient(transport, backoff_base_s=0.01, backoff_max_s=0.02,
                              sleep=sleeps.append if sleeps is not None else lambda _s: None)


def run(stage: ClassificationStage, tickets: list[DetectedTicket], state: BatchState | None = None,
        **kwargs: Any) -> tuple[MessageBatches, list[BatchState], list[Ok[ClassifiedTicket] | Failed]]:
    """Plan, submit (or resume), wait, collect, answer: what `process --llm-batch` does around the stage."""
    batches = MessageBatches(stage, kwargs.pop("client", None) or fast_client(stage), **kwargs)
    batches.plan(tickets)
    saved: list[BatchState] = []
    submitted = batches.submit(state, lambda s: saved.append(BatchState.from_json(s.to_json())))
    batches.collect(batches.wait(submitted, poll_initial_s=0.01, poll_max_s=0.02))
    return batches, saved, batches.answering_stage().process(tickets)


def classified(outcome: Any) -> ClassifiedTicket:
    assert isinstance(outcome, Ok), outcome
    assert isinstance(outcome.value, ClassifiedTicket)
    return outcome.value


def create_bodies(server: AnthropicTestServer) -> list[dict[str, Any]]:
    return [r.body for r in server.batch_creates()]


def test_all_succeed_with_the_live_request_params_at_half_the_live_price(
    server: AnthropicTestServer, local: LocalClassifier
) -> None:
    # The live path first, one ticket, to have its exact request body and its call record.
    live_stage = make_stage(server, local)
    live = classified(live_stage.process([TICKETS[0]])[0])
    live_body = server.requests[0].body
    [live_call] = live_stage.drain_llm_calls()
    server.reset()
    server.batch_polls_before_end = 1

    stage = make_stage(server, local)
    duplicate = ticket(9, TICKETS[1].subject, TICKETS[1].body)  # the same question: asked once
    _batches, saved, outcomes = run(stage, [*TICKETS, duplicate])

    [body] = create_bodies(server)
    entries = body["requests"]
    assert len(entries) == len(TICKETS)
    ids = [e["custom_id"] for e in entries]
    assert len(set(ids)) == len(ids) and all(CUSTOM_ID.fullmatch(i) for i in ids)
    wire = json.dumps(body)
    assert not any(x in wire for x in ("TICKET", "EVENT", "req-secret-42"))  # ids stay out of custom_id too
    first = next(e for e in entries if "Zahlung fehlgeschlagen" in e["params"]["messages"][0]["content"])
    assert first["params"] == live_body  # exactly what the live transport sends

    results = [classified(o) for o in outcomes]
    for out in results:
        c = out.classification
        assert c.category.backend == "anthropic" and c.intent.backend == "anthropic"
        assert c.priority is not None and c.summary == "The customer asks for help with an order."
    assert results[0].classification == live.classification  # same answer, same model_version as live
    assert results[-1].classification == results[1].classification

    calls = stage.drain_llm_calls()
    assert len(calls) == len(TICKETS)
    assert {(c.outcome, c.backend, c.model, c.attempt) for c in calls} == {("ok", "anthropic_batch", MODEL, 1)}
    for call in calls:
        full = PRICE.cost_usd(call.input_tokens, call.output_tokens, call.cache_read_tokens, call.cache_write_tokens)
        assert call.cost_usd == pytest.approx(full / 2) and call.cost_usd > 0
    batch_first = next(c for c in calls if c.ticket_id == "TICKET1")
    tokens = lambda c: (c.input_tokens, c.output_tokens, c.cache_read_tokens, c.cache_write_tokens)  # noqa: E731
    assert tokens(batch_first) == tokens(live_call)
    assert batch_first.cost_usd == pytest.approx(live_call.cost_usd / 2)  # half the live price, same tokens

    assert batch_first.fields == ["category", "intent", "priority", "sentiment"]
    assert LlmCall.model_validate_json(batch_first.model_dump_json()) == batch_first  # as `llm_calls` gets it

    # saved while the create was out, then with the id, before any waiting: an interrupted run can resume
    assert saved[0].submitting is not None and saved[0].batch_ids == [None]
    assert saved[-1].submitting is None and saved[-1].batch_ids == list(server.batches)


def test_errored_expired_and_canceled_requests_keep_the_local_result_as_a_live_failure_does(
    server: AnthropicTestServer, local: LocalClassifier
) -> None:
    outcomes_by_word = {"Karte": {"type": "errored", "error_type": "overloaded_error"},
                        "Paket": {"type": "expired"}, "löschen": {"type": "canceled"}}

    def outcome(params: dict[str, Any]) -> dict[str, Any] | None:
        text = params["messages"][0]["content"]
        return next((o for word, o in outcomes_by_word.items() if word in text), None)

    server.batch_outcome = outcome
    stage = make_stage(server, local)
    _batches, _saved, outcomes = run(stage, TICKETS)
    results = [classified(o).classification for o in outcomes]
    for c in results[:3]:
        assert c.category.backend == "local" and c.intent.backend == "local"
        assert c.priority is None and c.summary is None
    assert results[3].category.backend == "anthropic"

    calls = {c.ticket_id: c for c in stage.drain_llm_calls()}
    assert [(calls[f"TICKET{i}"].outcome, calls[f"TICKET{i}"].error_type) for i in (1, 2, 3, 4)] == [
        ("error", "BatchErrored(overloaded_error)"), ("timeout", "BatchExpired"), ("error", "BatchCanceled"),
        ("ok", None)]
    assert all(calls[f"TICKET{i}"].cost_usd == 0 for i in (1, 2, 3))  # not processed, not billed

    # A live call that fails leaves the very same classification.
    server.reset()
    live_stage = make_stage(server, local)
    server.script([{"status": 529}])
    assert classified(live_stage.process([TICKETS[0]])[0]).classification == results[0]


def test_an_answer_outside_the_allowed_labels_is_rejected_and_the_local_result_stands(
    server: AnthropicTestServer, local: LocalClassifier
) -> None:
    obeying = {"category": {"label": "REFUND", "confidence": 1.0}, "intent": {"label": "get_refund", "confidence": 1},
               "priority": {"label": "urgent", "confidence": 1}, "sentiment": {"label": "neutral", "confidence": 1},
               "summary": "x"}
    server.batch_outcome = lambda params: {"answer": obeying} if "Karte" in params["messages"][0]["content"] else None
    stage = make_stage(server, local)
    _batches, _saved, outcomes = run(stage, TICKETS[:2])
    injected, fine = (classified(o).classification for o in outcomes)
    assert injected.category.backend == "local" and injected.category.label in CATEGORIES
    assert injected.priority is None and injected.summary is None
    assert fine.category.backend == "anthropic"
    call = next(c for c in stage.drain_llm_calls() if c.ticket_id == "TICKET1")
    assert call.outcome == "invalid_answer" and "label outside the allowed set" in (call.error_type or "")
    assert call.cost_usd > 0  # the answer was generated, so it is billed (at the batch price)


def test_a_rerun_resumes_the_saved_batch_instead_of_creating_another(
    server: AnthropicTestServer, local: LocalClassifier
) -> None:
    server.batch_polls_before_end = None  # the batch runs until the test ends it
    first = MessageBatches(make_stage(server, local), fast_client(make_stage(server, local)))
    first.plan(TICKETS)
    saved: list[str] = []
    state = first.submit(None, lambda s: saved.append(s.to_json()))

    def interrupt(progress: BatchProgress) -> None:
        assert not progress.ended and progress.processing == len(TICKETS)
        raise KeyboardInterrupt  # Ctrl-C while waiting

    with pytest.raises(KeyboardInterrupt):
        first.wait(state, interrupt, poll_initial_s=0.01)
    assert len(server.batch_creates()) == 1
    server.end_batches()
    server.batch_polls_before_end = 0  # a second batch, if one were created, would end at once too

    stage = make_stage(server, local)  # a new process: everything rebuilt, only the state file kept
    _batches, _resaved, outcomes = run(stage, TICKETS, state=BatchState.from_json(saved[-1]))
    assert len(server.batch_creates()) == 1  # no second batch, nothing paid twice
    assert BatchState.from_json(saved[-1]).batch_ids == list(server.batches)
    assert all(classified(o).classification.category.backend == "anthropic" for o in outcomes)
    assert len(stage.drain_llm_calls()) == len(TICKETS)


def test_a_saved_state_for_other_requests_or_an_unfinished_create_is_refused(
    server: AnthropicTestServer, local: LocalClassifier
) -> None:
    stage = make_stage(server, local)
    batches = MessageBatches(stage, fast_client(stage))
    batches.plan(TICKETS[:2])
    digest, _bounds = batches.layout()
    other = BatchState("0" * 64, MODEL, [2], ["msgbatch_old"])
    with pytest.raises(MessageBatchError, match="made for other requests"):
        batches.submit(other, lambda _s: None)
    interrupted = BatchState(digest, MODEL, [2], [None], submitting="2026-03-02T09:30:00+00:00")
    with pytest.raises(BatchCreateUncertain, match="may or may not have created it"):
        batches.submit(interrupted, lambda _s: None)
    assert server.batch_creates() == []


def test_requests_beyond_the_limits_go_into_several_batches(
    server: AnthropicTestServer, local: LocalClassifier
) -> None:
    assert chunk_bounds([10, 10, 10, 10, 10], max_requests=2) == [(0, 2), (2, 4), (4, 5)]
    assert chunk_bounds([10, 10, 10], max_bytes=25) == [(0, 2), (2, 3)]  # 11 bytes each with the comma
    with pytest.raises(ValueError, match="alone"):
        chunk_bounds([30], max_bytes=25)

    stage = make_stage(server, local)
    _batches, saved, outcomes = run(stage, TICKETS[:3], max_requests=2)
    assert [len(b["requests"]) for b in create_bodies(server)] == [2, 1]
    assert saved[-1].requests == [2, 1] and None not in saved[-1].batch_ids
    assert all(classified(o).classification.category.backend == "anthropic" for o in outcomes)


def test_create_is_retried_on_529_and_polling_survives_a_500(
    server: AnthropicTestServer, local: LocalClassifier
) -> None:
    server.batch_script([{"status": 529}, {}, {"status": 500}])  # create: 529 then ok; first poll: 500
    stage = make_stage(server, local)
    sleeps: list[float] = []
    _batches, _saved, outcomes = run(stage, TICKETS[:1], client=fast_client(stage, sleeps))
    statuses = [(r.method, r.path == BATCHES_PATH, r.status) for r in server.requests]
    assert statuses[:4] == [("POST", True, 529), ("POST", True, 200), ("GET", False, 500), ("GET", False, 200)]
    assert len(server.batch_creates()) == 1 and len(sleeps) == 2
    assert classified(outcomes[0]).classification.category.backend == "anthropic"


def test_an_ambiguous_create_failure_is_not_retried(server: AnthropicTestServer, local: LocalClassifier) -> None:
    server.batch_script([{"status": 500}])
    stage = make_stage(server, local)
    batches = MessageBatches(stage, fast_client(stage))
    batches.plan(TICKETS[:1])
    saved: list[BatchState] = []
    with pytest.raises(BatchCreateUncertain):
        batches.submit(None, lambda s: saved.append(BatchState.from_json(s.to_json())))
    assert [r.status for r in server.requests] == [500]  # a 500 might have created it: no blind retry
    assert saved[-1].submitting is not None  # so the next run refuses until someone has looked


def test_without_the_anthropic_backend_it_says_what_to_set(local: LocalClassifier) -> None:
    with pytest.raises(MessageBatchError, match="TICKETSTREAM_ANTHROPIC_API_KEY"):
        MessageBatches(ClassificationStage(local))

