"""Anthropic Message Batches for backfills: the requests the cascade routes to the LLM, at half the price.

A live run asks the LLM batch by batch while tickets wait. A backfill has nobody waiting, so
`ticketstream process --llm-batch` asks all its questions at once, through the same backend code:

1. plan: the classification stage runs with a `BatchPlanner` in the cascade's LLM seat. It keeps what the
   live `LlmBackend` would have sent (same routing, `cache_key`, `build_request`, and the params of
   `AnthropicTransport.request_params`) and defers the answer.
2. `MessageBatches.submit` creates the batches (at most 100,000 requests or 256 MB each) or resumes those a
   saved `BatchState` names; `wait` polls until they end; `collect` reads the results. A `succeeded`
   answer goes through `parse_answer` like a live reply; `errored`, `expired`, `canceled`, missing and
   invalid answers become `Failed`, so the cascade keeps the local result and records the fallback as it
   does live. Each request is one `LlmCall` at the batch price (`ModelPrice.cost_usd(batch=True)`).
3. answer: the stage runs again with `BatchAnswers` in the LLM seat, which hands out the collected answers.

A request's `custom_id` is its dedup key, a SHA-256 of tenant, taxonomy version, fields, model and the
redacted text: 64 hex digits, within the documented `^[a-zA-Z0-9_-]{1,64}$`, revealing neither ids nor
text, and identical questions are asked once, as with the live dedup.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

import anthropic
from anthropic.types.messages import MessageBatch

from processors.base import Failed
from processors.classification.anthropic_backend import AnthropicTransport, parse_retry_after, reply_from_message
from processors.classification.backend import ClassifierBackend, ClassifyInput, ClassifyResult
from processors.classification.cascade import CascadeBackend
from processors.classification.llm_backend import LlmBackend, Outcome, Usage
from processors.classification.prompt import InvalidAnswer, LlmRequest, build_request, parse_answer
from processors.classification.resilience import backoff_delay
from processors.classification.stage import ClassificationStage
from schemas import DetectedTicket, LlmCall

log = logging.getLogger(__name__)

CUSTOM_ID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
MAX_REQUESTS = 100_000
"""Documented limit of requests in one Message Batch."""
MAX_BYTES = 256_000_000 - 1_000_000
"""Documented limit of 256 MB per batch, less a margin for the body's envelope."""
STATE_VERSION = 1


class MessageBatchError(RuntimeError):
    """A Message Batch could not be created, polled or read; the message says what to do."""


class BatchCreateUncertain(MessageBatchError):
    """A create request failed in a way that does not tell whether the batch exists (timeout, 5xx)."""


# ---------------------------------------------------------------------------------------------- plan


@dataclass(frozen=True, slots=True)
class BatchAsk:
    """One distinct question: the first ticket that asked it (its ids go into the call record)."""

    custom_id: str
    item: ClassifyInput
    summary: bool

    def request(self) -> LlmRequest:
        """Rebuilt on demand (deterministic) rather than kept: a backfill may plan 100,000 of them."""
        return build_request(self.item.subject, self.item.body, self.item.taxonomy, self.item.fields, self.summary)


class BatchPlanner:
    """A `ClassifierBackend` in the cascade's LLM seat that records each question and defers its answer."""

    name = "message_batch_planner"

    def __init__(self, llm: LlmBackend) -> None:
        self.llm = llm
        self.asks: dict[str, BatchAsk] = {}

    def classify(self, items: Sequence[ClassifyInput]) -> list[ClassifyResult | Failed]:
        out: list[ClassifyResult | Failed] = []
        for item in items:
            summary = self.llm.policy(item.tenant_id).summary
            key = self.llm.cache_key(item, summary)
            if not CUSTOM_ID.fullmatch(key):
                raise ValueError("a dedup key does not fit Message Batches' custom_id pattern")
            if key not in self.asks:
                self.asks[key] = BatchAsk(key, item, summary)
            out.append(Failed("deferred to a Message Batch", "deferred", retryable=True))
        return out


class BatchAnswers:
    """A `ClassifierBackend` in the cascade's LLM seat that answers from collected batch results."""

    def __init__(self, llm: LlmBackend, answers: Mapping[str, ClassifyResult | Failed]) -> None:
        self.llm = llm
        self.name = llm.name
        self.answers = answers

    @property
    def budget(self) -> Any:
        return self.llm.budget

    def drain_llm_calls(self) -> list[LlmCall]:
        return self.llm.drain_llm_calls()

    def classify(self, items: Sequence[ClassifyInput]) -> list[ClassifyResult | Failed]:
        out: list[ClassifyResult | Failed] = []
        for item in items:
            answer = self.answers.get(self.llm.cache_key(item, self.llm.policy(item.tenant_id).summary))
            if answer is None:  # routed differently than when planned: never sent, so never billed
                self.llm.record_batch_call(item, item.fields, "error", started=datetime.now(UTC), latency_s=0.0,
                                           error_type="NotInBatch")
                answer = Failed("this request was not part of the Message Batch", "error", retryable=True)
            out.append(answer)
        return out


def with_llm(stage: ClassificationStage, llm: ClassifierBackend, *, observe: bool = False) -> ClassificationStage:
    """The same stage (local model, routing, taxonomies) with another backend in the cascade's LLM seat."""
    cascade = stage.backend
    if not isinstance(cascade, CascadeBackend):
        raise TypeError("the classification stage has no cascade")
    backend = CascadeBackend(cascade.local, llm, policies=cascade.policies, default_policy=cascade.default_policy)
    observer = getattr(cascade, "observer", None)
    attach = getattr(backend, "attach_observer", None)
    if observe and observer is not None and attach is not None:
        attach(observer)
    return ClassificationStage(backend, taxonomies=stage.taxonomies, default_taxonomy=stage.default_taxonomy,
                               name=stage.name)


def chunk_bounds(sizes: Iterable[int], max_requests: int = MAX_REQUESTS,
                 max_bytes: int = MAX_BYTES) -> list[tuple[int, int]]:
    """Split requests of the given encoded sizes, in order, into [start, end) ranges within both limits."""
    bounds: list[tuple[int, int]] = []
    start = count = total = 0
    for i, size in enumerate(sizes):
        if size + 1 > max_bytes:
            raise ValueError(f"request {i} alone is {size} bytes, more than a Message Batch may hold ({max_bytes})")
        if count and (count >= max_requests or total + size + 1 > max_bytes):
            bounds.append((start, i))
            start, count, total = i, 0, 0
        count += 1
        total += size + 1  # the comma between entries
    if count:
        bounds.append((start, start + count))
    return bounds


# ---------------------------------------------------------------------------------------------- state


@dataclass
class BatchState:
    """What a run must remember to resume without paying twice: the plan's digest and each chunk's batch id.

    `submitting` is set while a create request is out; still set on the next run, it means the run stopped
    before it learned whether the batch was created.
    """

    digest: str
    model: str
    requests: list[int]
    batch_ids: list[str | None]
    submitting: str | None = None

    def to_json(self) -> str:
        return json.dumps({"version": STATE_VERSION, "digest": self.digest, "model": self.model,
                           "requests": self.requests, "batch_ids": self.batch_ids, "submitting": self.submitting},
                          indent=2)

    @classmethod
    def from_json(cls, text: str) -> BatchState:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            raise ValueError(f"not a version {STATE_VERSION} Message Batch state")
        return cls(digest=str(data["digest"]), model=str(data["model"]), requests=[int(n) for n in data["requests"]],
                   batch_ids=[None if i is None else str(i) for i in data["batch_ids"]],
                   submitting=data.get("submitting"))


# ---------------------------------------------------------------------------------------------- transport


class MessageBatchClient:
    """The Message Batches endpoints through the SDK client of an `AnthropicTransport` (same key and URL).

    Polling and reading results are idempotent and retried with backoff on 429, 5xx, timeouts and connection
    errors. Creating is not idempotent: it is retried only on 429 and 529, which say the request was not
    taken; a timeout or another 5xx raises `BatchCreateUncertain` rather than risk a second batch.
    """

    def __init__(self, transport: AnthropicTransport, *, max_attempts: int = 6, backoff_base_s: float = 2.0,
                 backoff_max_s: float = 60.0, create_timeout_s: float = 600.0,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.batches = transport.client.messages.batches
        self.max_attempts = max_attempts
        self.backoff_base_s = backoff_base_s
        self.backoff_max_s = backoff_max_s
        self.create_timeout_s = create_timeout_s
        self._sleep = sleep

    def _retry_after(self, attempt: int, exc: Exception) -> float:
        response = getattr(exc, "response", None)
        hint = parse_retry_after(response.headers) if response is not None else None
        return backoff_delay(attempt, self.backoff_base_s, self.backoff_max_s, hint)

    def create(self, requests: list[dict[str, Any]]) -> MessageBatch:
        for attempt in range(1, self.max_attempts + 1):
            try:
                return self.batches.create(requests=cast(Any, requests), timeout=self.create_timeout_s)
            except anthropic.APIStatusError as exc:
                spend_cap = isinstance(exc, anthropic.EnforcedSpendLimitReachedError)
                refused = isinstance(exc, anthropic.RateLimitError | anthropic.OverloadedError) and not spend_cap
                if refused and attempt < self.max_attempts:
                    self._sleep(self._retry_after(attempt, exc))
                    continue
                cause = f"{type(exc).__name__}({exc.status_code})"
                if exc.status_code >= 500 and not refused:
                    raise BatchCreateUncertain(_uncertain(cause)) from exc
                raise MessageBatchError(f"creating a Message Batch failed: {cause}: {_message(exc)}") from exc
            except anthropic.APIConnectionError as exc:
                raise BatchCreateUncertain(_uncertain(type(exc).__name__)) from exc
        raise AssertionError("unreachable")

    def _idempotent(self, what: str, call: Callable[[], Any]) -> Any:
        for attempt in range(1, self.max_attempts + 1):
            try:
                return call()
            except (anthropic.APIConnectionError, anthropic.RateLimitError, anthropic.InternalServerError) as exc:
                # 429 and 5xx (529 overloaded included) are worth another try; the spend cap is not.
                spend_cap = isinstance(exc, anthropic.EnforcedSpendLimitReachedError)
                if spend_cap or attempt >= self.max_attempts:
                    raise MessageBatchError(f"{what} failed {attempt} times, last: {type(exc).__name__}; run the "
                                            "same command again to resume") from exc
                log.warning("%s failed (%s); retrying", what, type(exc).__name__)
                self._sleep(self._retry_after(attempt, exc))
            except anthropic.APIStatusError as exc:
                raise MessageBatchError(f"{what} failed: {type(exc).__name__}({exc.status_code}): "
                                        f"{_message(exc)}") from exc
        raise AssertionError("unreachable")

    def retrieve(self, batch_id: str) -> MessageBatch:
        batch: MessageBatch = self._idempotent(
            f"polling Message Batch {batch_id}", lambda: self.batches.retrieve(batch_id))
        return batch

    def results(self, batch_id: str) -> dict[str, Any]:
        """custom_id -> result (`succeeded` / `errored` / `canceled` / `expired`), read whole before use so a
        retried download cannot record a call twice."""
        def read() -> dict[str, Any]:
            return {line.custom_id: line.result for line in self.batches.results(batch_id)}

        results: dict[str, Any] = self._idempotent(f"reading the results of Message Batch {batch_id}", read)
        return results


def _message(exc: anthropic.APIStatusError) -> str:
    body = exc.body if isinstance(exc.body, dict) else {}
    error = body.get("error")
    message = error.get("message") if isinstance(error, dict) else None
    return str(message or exc.message)[:300]


def _uncertain(cause: str) -> str:
    return (f"creating a Message Batch failed ({cause}) and the API may or may not have created it. Look at the "
            "Message Batches of this workspace in the Anthropic Console; then, to submit again, set `submitting` "
            "to null in the state file (a batch that exists anyway keeps running and is billed)")


# ---------------------------------------------------------------------------------------------- run


@dataclass(frozen=True, slots=True)
class BatchProgress:
    """All batches of a run at one poll: counts add up to the requests (docs: they move out of `processing`
    only when the whole batch ends)."""

    batch_ids: tuple[str, ...]
    ended: bool
    processing: int
    succeeded: int
    errored: int
    canceled: int
    expired: int
    elapsed_s: float

    @classmethod
    def of(cls, batches: Sequence[Any], now: datetime) -> BatchProgress:
        def total(name: str) -> int:
            return sum(int(getattr(b.request_counts, name)) for b in batches)

        started = min(b.created_at for b in batches)
        return cls(tuple(b.id for b in batches), all(b.processing_status == "ended" for b in batches),
                   total("processing"), total("succeeded"), total("errored"), total("canceled"), total("expired"),
                   max(0.0, (now - started).total_seconds()))

    def line(self) -> str:
        name = f"Message Batch {self.batch_ids[0]}" if len(self.batch_ids) == 1 else \
            f"{len(self.batch_ids)} Message Batches"
        elapsed = int(self.elapsed_s)
        return (f"{name}: {'ended' if self.ended else 'in progress'}, {self.succeeded} succeeded, "
                f"{self.errored} errored, {self.processing} processing, {self.expired} expired, "
                f"{self.canceled} canceled, elapsed {elapsed // 3600}:{elapsed // 60 % 60:02d}:{elapsed % 60:02d}")


@dataclass
class BatchSummary:
    requests: int = 0
    answered: int = 0
    fallbacks: dict[str, int] = field(default_factory=dict)
    cost_usd: float = 0.0


class MessageBatches:
    """Plan, submit or resume, wait, collect and answer around one classification stage; see the module doc."""

    def __init__(self, stage: ClassificationStage, client: MessageBatchClient | None = None, *,
                 max_requests: int = MAX_REQUESTS, max_bytes: int = MAX_BYTES,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        cascade = stage.backend
        llm = cascade.llm if isinstance(cascade, CascadeBackend) else None
        if not isinstance(llm, LlmBackend) or not isinstance(llm.transport, AnthropicTransport):
            raise MessageBatchError("Message Batches need the Anthropic backend: set TICKETSTREAM_ANTHROPIC_API_KEY "
                                    "(with TICKETSTREAM_CLASSIFICATION_LLM=auto or anthropic)")
        self.stage = stage
        self.llm = llm
        self.transport: AnthropicTransport = llm.transport
        self.client = client or MessageBatchClient(self.transport)
        self.max_requests = max_requests
        self.max_bytes = max_bytes
        self._sleep = sleep
        self.planner = BatchPlanner(llm)
        self.planning_stage = with_llm(stage, self.planner)
        self.answers: dict[str, ClassifyResult | Failed] = {}
        self._layout: tuple[str, list[tuple[int, int]]] | None = None

    @property
    def asks(self) -> list[BatchAsk]:
        return list(self.planner.asks.values())

    def plan(self, batch: Sequence[DetectedTicket]) -> None:
        """Route a batch of tickets like the live stage would; their LLM questions join the plan."""
        self.planning_stage.process(batch)

    def entry(self, ask: BatchAsk) -> dict[str, Any]:
        """One `requests` entry: the custom_id and exactly the params a live call sends."""
        return {"custom_id": ask.custom_id, "params": self.transport.request_params(ask.request())}

    def layout(self) -> tuple[str, list[tuple[int, int]]]:
        """The plan's digest (what was asked, of which model, how split) and its chunks as ranges of asks."""
        if self._layout is None:
            digest = hashlib.sha256()
            sizes = []
            for ask in self.planner.asks.values():
                encoded = json.dumps(self.entry(ask), sort_keys=True).encode()
                digest.update(hashlib.sha256(encoded).digest())
                sizes.append(len(encoded))
            bounds = chunk_bounds(sizes, self.max_requests, self.max_bytes)
            digest.update(json.dumps(bounds).encode())
            self._layout = (digest.hexdigest(), bounds)
        return self._layout

    def submit(self, state: BatchState | None, save: Callable[[BatchState], None],
               on_created: Callable[[str, int], None] | None = None) -> BatchState:
        """Create the batches the state does not name yet, saving the state around each create."""
        digest, bounds = self.layout()
        if state is None:
            state = BatchState(digest, self.transport.model, [end - start for start, end in bounds],
                               [None] * len(bounds))
        elif state.digest != digest:
            raise MessageBatchError("the saved Message Batch state was made for other requests (the input, the "
                                    "tenants' configuration or the model changed); delete the state file to submit "
                                    "a new batch (the old one is billed anyway)")
        if state.submitting is not None:
            raise BatchCreateUncertain(f"a previous run began creating a Message Batch at {state.submitting} and "
                                       "stopped before it learned its id. " + _uncertain("interrupted"))
        asks = self.asks
        for i, (start, end) in enumerate(bounds):
            if state.batch_ids[i] is not None:
                continue
            requests = [self.entry(ask) for ask in asks[start:end]]
            state.submitting = datetime.now(UTC).isoformat()
            save(state)
            try:
                batch = self.client.create(requests)
            except BatchCreateUncertain:
                raise
            except MessageBatchError:
                state.submitting = None
                save(state)
                raise
            state.batch_ids[i] = batch.id
            state.submitting = None
            save(state)
            if on_created is not None:
                on_created(batch.id, end - start)
        return state

    def wait(self, state: BatchState, on_progress: Callable[[BatchProgress], None] | None = None, *,
             poll_initial_s: float = 5.0, poll_max_s: float = 60.0) -> list[Any]:
        """Poll every batch until all have ended (up to 24 h), waiting longer between polls up to the max."""
        ids = [batch_id for batch_id in state.batch_ids if batch_id is not None]
        if len(ids) != len(state.batch_ids):
            raise MessageBatchError("not every chunk has a batch yet: submit first")
        ended: dict[str, Any] = {}
        interval = poll_initial_s
        while True:
            current = [ended.get(batch_id) or self.client.retrieve(batch_id) for batch_id in ids]
            for batch in current:
                if batch.processing_status == "ended":
                    ended[batch.id] = batch
            if on_progress is not None:
                on_progress(BatchProgress.of(current, datetime.now(UTC)))
            if len(ended) == len(ids):
                return current
            self._sleep(interval)
            interval = min(poll_max_s, interval * 1.5)

    def collect(self, batches: Sequence[Any]) -> BatchSummary:
        """Read each ended batch's results and turn every request into an answer or a fallback, recorded."""
        _digest, bounds = self.layout()
        asks = self.asks
        summary = BatchSummary()
        for (start, end), batch in zip(bounds, batches, strict=True):
            if batch.archived_at is not None:
                raise MessageBatchError(f"the results of Message Batch {batch.id} were archived at "
                                        f"{batch.archived_at} (kept 29 days); delete the state file to submit again")
            results = self.client.results(batch.id)
            latency_s = max(0.0, ((batch.ended_at or datetime.now(UTC)) - batch.created_at).total_seconds())
            for ask in asks[start:end]:
                answer, cost = self._resolve(ask, results.get(ask.custom_id), batch.created_at, latency_s)
                self.answers[ask.custom_id] = answer
                summary.requests += 1
                summary.cost_usd += cost
                if isinstance(answer, Failed):
                    summary.fallbacks[answer.error_type] = summary.fallbacks.get(answer.error_type, 0) + 1
                else:
                    summary.answered += 1
        return summary

    def _resolve(self, ask: BatchAsk, result: Any, started: datetime,
                 latency_s: float) -> tuple[ClassifyResult | Failed, float]:
        item, fields = ask.item, ask.item.fields

        def record(outcome: Outcome, usage: Usage | None = None, error_type: str | None = None) -> float:
            return self.llm.record_batch_call(item, fields, outcome, started=started, latency_s=latency_s,
                                              usage=usage, error_type=error_type)

        kind = getattr(result, "type", None)
        if kind == "succeeded":
            try:
                reply = reply_from_message(result.message)
            except (AttributeError, TypeError):
                return Failed("unreadable Message Batch result", "invalid_answer"), record(
                    "invalid_answer", error_type="UnreadableResult")
            try:
                parsed = parse_answer(reply.answer, item.taxonomy, fields, ask.summary, self.llm.name)
            except InvalidAnswer as exc:
                cost = record("invalid_answer", reply.usage, str(exc)[:128])
                return Failed("LLM answered outside the schema in the Message Batch", "invalid_answer"), cost
            cost = record("ok", reply.usage)
            return ClassifyResult(predictions=parsed.predictions, model_version=self.llm.model_version,
                                  summary=parsed.summary, extra={"llm_model": reply.model[:128]}), cost
        if kind == "errored":
            error_type = str(getattr(getattr(getattr(result, "error", None), "error", None), "type", None) or "error")
            return (Failed(f"Message Batch request errored: {error_type}", "error", retryable=True),
                    record("error", error_type=f"BatchErrored({error_type})"[:128]))
        if kind == "expired":
            return (Failed("Message Batch request expired before it was processed (24 h)", "timeout", retryable=True),
                    record("timeout", error_type="BatchExpired"))
        if kind == "canceled":
            return (Failed("Message Batch request was canceled", "error", retryable=True),
                    record("error", error_type="BatchCanceled"))
        return (Failed("no result for this request in the Message Batch", "error", retryable=True),
                record("error", error_type="BatchResultMissing"))

    def answering_stage(self) -> ClassificationStage:
        """The stage again, now answered from the collected results (and observed like the live stage)."""
        return with_llm(self.stage, BatchAnswers(self.llm, self.answers), observe=True)
