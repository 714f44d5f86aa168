"""The faust app: one agent per stage, topics between them, a dead-letter topic for anything that fails.

Every agent consumes in batches (`take_events`), calls its processor once per batch in a worker thread
(so the event loop keeps heartbeating), forwards results keyed `tenant_id:ticket_id`, and dead-letters
what fails. Offsets are committed by faust only after a batch is handled and the producer flushed, so
delivery is at-least-once; ClickHouse and outbound action ids make the effects idempotent.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import faust
from faust.types import EventT, TopicT
from pydantic import ValidationError

from processors.base import Failed, Ok, Stage
from processors.outbound_planner import OutboundPlanner
from schemas import (
    ClassifiedTicket,
    DeadLetter,
    DetectedTicket,
    EnrichedTicket,
    LlmCall,
    RedactedTicket,
    TicketEvent,
    WireModel,
    format_validation_error,
)
from streams import faust_flush_fix, faust_offsets_fix, faust_recovery_fix
from streams.consumer_state import register_debug_view
from streams.deadletters import make_dead_letter
from streams.health import Health, ModelsLoaded, clickhouse_check, kafka_check, register_faust_views
from streams.llm_budget import SpendObserver
from streams.llm_metrics import instrument_stage
from streams.metrics import LagPoller, Metrics
from streams.settings import Settings
from streams.sla_state import attach_sla_agent
from streams.stall_watchdog import StallWatchdog, lag_reader
from streams.topics import TopicNames

log = logging.getLogger("ticketstream.stream")

StageBuilder = Callable[[], Stage[Any, Any]]


@dataclass(frozen=True)
class StageBuilders:
    """How to build each stage; called once per worker, in a thread, when its agent starts."""

    pii: StageBuilder
    language: StageBuilder
    classify: StageBuilder
    sla: StageBuilder
    planner: Callable[[], OutboundPlanner]
    sink: Callable[[], Any] | None = None
    """A ClickHouse sink (write_enriched, write_dead_letters); None runs without ClickHouse."""


class StreamRuntime:
    """Shared plumbing of the agents: parsing, dead-lettering, retries, sending."""

    def __init__(self, app: faust.App, settings: Settings, topics: dict[str, TopicT], metrics: Metrics) -> None:
        self.app = app
        self.settings = settings
        self.metrics = metrics
        self.topics = topics
        self.sink_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="clickhouse")

    async def dead_letter(self, event: EventT, stage: str, reason: str, error_type: str, attempt: int = 1) -> None:
        msg = event.message
        letter = make_dead_letter(
            stage=stage, reason=reason, error_type=error_type, payload=_raw(event.value),
            topic=msg.topic, partition=msg.partition, offset=msg.offset, key=_raw_or_none(event.key), attempt=attempt,
        )
        log.warning(
            "dead-lettered", extra={"stage": stage, "error_type": error_type, "tenant_id": letter.tenant_id,
                                    "ticket_id": letter.ticket_id, "event_id": letter.event_id, "reason": reason},
        )
        self.metrics.dead_letter(stage, error_type)
        await self.topics["deadletter"].send(key=_raw_or_none(event.key), value=letter.to_json_bytes())

    async def parse(self, events: Sequence[EventT], model: type[WireModel], stage: str) -> list[tuple[EventT, Any]]:
        parsed = []
        for event in events:
            try:
                parsed.append((event, model.from_json_bytes(_raw(event.value))))
            except ValidationError as exc:
                await self.dead_letter(event, stage, f"invalid {model.__name__}: {format_validation_error(exc)}",
                                       "ValidationError")
            except ValueError as exc:  # size limit
                await self.dead_letter(event, stage, f"invalid {model.__name__}: {exc}", "ValueError")
        return parsed

    async def with_retries(self, stage: str, fn: Callable[[], Any], executor: ThreadPoolExecutor | None = None,
                           retry_forever: tuple[type[BaseException], ...] = ()) -> Any:
        """Run a blocking call in a thread; retry with exponential backoff. Raises after max_retries."""
        loop = asyncio.get_running_loop()
        attempt = 0
        while True:
            try:
                return await loop.run_in_executor(executor, fn)
            except retry_forever as exc:
                delay = min(30.0, 0.5 * 2 ** min(attempt, 6))
                log.warning("%s unavailable (%s); retrying in %.1fs", stage, type(exc).__name__, delay)
            except Exception as exc:
                if attempt >= self.settings.max_retries:
                    raise
                delay = min(30.0, 0.2 * 2**attempt)
                log.warning("%s batch failed (%s); retry %d in %.1fs", stage, type(exc).__name__, attempt + 1, delay)
            attempt += 1
            await asyncio.sleep(delay)

    async def run_stage(self, stage: Stage[Any, Any], events: Sequence[EventT], model: type[WireModel],
                        out: TopicT) -> None:
        parsed = await self.parse(events, model, stage.name)
        if not parsed:
            return
        items = [item for _, item in parsed]
        start = time.perf_counter()
        try:
            outcomes: list[Ok[Any] | Failed] = await self.with_retries(stage.name, lambda: stage.process(items))
        except Exception as exc:
            self.metrics.observe_batch(stage.name, len(items), time.perf_counter() - start,
                                       {type(exc).__name__: len(items)})
            for event, _ in parsed:
                await self.dead_letter(event, stage.name, f"stage failed after {self.settings.max_retries} retries: "
                                       f"{type(exc).__name__}", type(exc).__name__, self.settings.max_retries + 1)
            return
        self.metrics.observe_batch(stage.name, len(items), time.perf_counter() - start,
                                   Counter(o.error_type for o in outcomes if isinstance(o, Failed)))
        for (event, item), outcome in zip(parsed, outcomes, strict=True):
            if isinstance(outcome, Ok):
                await out.send(key=item.key.encode(), value=outcome.value.to_json_bytes())
            else:
                await self.dead_letter(event, stage.name, outcome.reason, outcome.error_type)
        await self.publish_llm_calls(stage)

    async def publish_llm_calls(self, stage: Stage[Any, Any]) -> None:
        """LLM call records (tokens, cost, latency) of a classification batch, for ClickHouse `llm_calls`."""
        drain = getattr(stage, "drain_llm_calls", None)
        if drain is None:
            return
        for call in drain():
            await self.topics["llm_calls"].send(key=f"{call.tenant_id}:{call.ticket_id or ''}".encode(),
                                                value=call.to_json_bytes())


def _batch_token(events: Sequence[EventT]) -> str:
    """ClickHouse insert deduplication token from topic, partitions and offsets of a consumed batch."""
    from sinks.clickhouse.rows import offsets_token

    offsets: dict[int, list[int]] = {}
    for event in events:
        offsets.setdefault(event.message.partition, []).append(event.message.offset)
    return str(offsets_token(events[0].message.topic, offsets))


def _batches(stream: faust.StreamT) -> Any:
    """`take_events` is on faust's Stream class but not on its StreamT interface."""
    return stream


def _raw(value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    return b"" if value is None else repr(value).encode()


def _raw_or_none(value: Any) -> bytes | None:
    return None if value is None else _raw(value)


def build_app(settings: Settings, bootstrap: str, builders: StageBuilders, metrics: Metrics | None = None) -> faust.App:
    """The faust app with its agents. Nothing heavy happens here: stages load when their agent starts."""
    faust_recovery_fix.install()
    faust_flush_fix.install()
    faust_offsets_fix.install()
    app = faust.App(
        settings.app_id,
        broker=f"kafka://{bootstrap}",
        store="memory://",
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        topic_disable_leader=True,
        consumer_auto_offset_reset="earliest",
        datadir=str(settings.home / "faust"),
        web_port=settings.web_port,
        web_bind=settings.web_bind,
        web_host=settings.web_bind,
        broker_commit_every=500,
        broker_commit_interval=1.0,
        stream_buffer_maxsize=max(4096, settings.batch_size * 4),
        producer_linger=0.005,
    )
    names = TopicNames.from_settings(settings)
    topics: dict[str, TopicT] = {
        field: app.topic(getattr(names, field), key_serializer="raw", value_serializer="raw",
                         partitions=settings.partitions)
        for field in ("events", "redacted", "language", "classified", "enriched", "outbound", "deadletter",
                      "llm_calls")
    }
    metrics = metrics if metrics is not None else Metrics()
    runtime = StreamRuntime(app, settings, topics, metrics)
    models = ModelsLoaded(["pii", "language", "classify"])
    readiness: dict[str, Callable[[], str | None]] = {"kafka": kafka_check(bootstrap), "models": models}
    if builders.sink is not None:
        from sinks.clickhouse.factory import open_client

        readiness["clickhouse"] = clickhouse_check(lambda: open_client(settings.clickhouse_url, settings.chdb_path))
    watchdog = StallWatchdog(app, lag_reader(bootstrap, settings.app_id), stall_after_s=settings.stall_after_s)
    register_faust_views(app, Health(readiness=readiness, liveness={"consumer": watchdog.liveness}), metrics)
    register_debug_view(app)
    n, within = settings.batch_size, settings.batch_timeout_s

    def stage_agent(name: str, source: str, target: str, model: type[WireModel], build: StageBuilder) -> None:
        async def agent(stream: faust.StreamT) -> None:
            try:
                stage = await asyncio.get_running_loop().run_in_executor(None, build)
            except Exception as exc:
                models.mark_failed(name, type(exc).__name__)
                raise
            models.mark_loaded(name)
            log.info("stage %s ready", name)
            instrument_stage(stage, metrics)  # LLM calls, routing, breaker and budgets on /metrics
            budgets: list[Any] = getattr(stage, "llm_budgets", lambda: [])()
            if budgets:  # one daily budget per tenant across all workers (streams/llm_budget.py)
                SpendObserver(bootstrap, names.llm_calls, budgets).start()
            async for events in _batches(stream).take_events(n, within=within):
                await runtime.run_stage(stage, events, model, topics[target])

        app.agent(topics[source], name=f"ticketstream.stage.{name}")(agent)

    stage_agent("pii", "events", "redacted", TicketEvent, builders.pii)
    stage_agent("language", "redacted", "language", RedactedTicket, builders.language)
    stage_agent("classify", "language", "classified", DetectedTicket, builders.classify)
    if settings.sla_state:
        attach_sla_agent(app, runtime, topics, builders.sla, n, within)
    else:  # SLA state lives in the stage's memory: lost on restart, but no faust table recovery
        stage_agent("sla", "classified", "enriched", ClassifiedTicket, builders.sla)

    async def outbound_agent(stream: faust.StreamT) -> None:
        planner = builders.planner()
        async for events in _batches(stream).take_events(n, within=within):
            for _event, ticket in await runtime.parse(events, EnrichedTicket, planner.name):
                for action in planner.plan(ticket, datetime.now(UTC)):
                    await topics["outbound"].send(key=action.key.encode(), value=action.to_json_bytes())
                    metrics.outbound_action(action.kind, "planned")

    if settings.outbound_enabled:
        app.agent(topics["enriched"], name="ticketstream.outbound.planner")(outbound_agent)

    if builders.sink is not None:
        build_sink = builders.sink
        sink_holder: dict[str, Any] = {}

        async def get_sink() -> Any:
            if "sink" not in sink_holder:
                loop = asyncio.get_running_loop()
                sink_holder["sink"] = await loop.run_in_executor(runtime.sink_executor, build_sink)
            return sink_holder["sink"]

        from sinks.clickhouse.errors import ClickHouseUnavailable
        from sinks.clickhouse.rows import sla_outcome_of

        async def insert(table: str, write_rows: Callable[..., Any], rows: list[Any], events: Sequence[EventT]) -> None:
            """One ClickHouse insert per consumed batch; the token is the batch's Kafka position, the same
            across retries and redelivery, so a retried or re-consumed batch is stored once."""
            token = _batch_token(events)

            def write() -> int:
                start = time.perf_counter()
                count = int(write_rows(rows, dedup_token=token))
                metrics.clickhouse_insert(table, count, time.perf_counter() - start)
                return count

            await runtime.with_retries("clickhouse", write, runtime.sink_executor,
                                       retry_forever=(ClickHouseUnavailable,))

        async def clickhouse_agent(stream: faust.StreamT) -> None:
            sink = await get_sink()
            async for events in _batches(stream).take_events(n, within=within):
                parsed = await runtime.parse(events, EnrichedTicket, "clickhouse")
                tickets = [t for _, t in parsed]
                if not tickets:
                    continue
                try:
                    await insert("ticket_events", sink.write_enriched, tickets, events)
                    metrics.observe_e2e(t.occurred_at for t in tickets)
                    outcomes = [o for o in (sla_outcome_of(t) for t in tickets) if o is not None]
                    if outcomes:  # solved/closed events: what `train sla --from-clickhouse` learns from
                        await insert("sla_outcomes", sink.write_sla_outcomes, outcomes, events)
                except Exception as exc:
                    for event, _ in parsed:
                        await runtime.dead_letter(event, "clickhouse", f"insert failed: {type(exc).__name__}",
                                                  type(exc).__name__, runtime.settings.max_retries + 1)

        async def deadletter_agent(stream: faust.StreamT) -> None:
            sink = await get_sink()
            async for events in _batches(stream).take_events(n, within=within):
                letters = []
                for event in events:
                    try:
                        letters.append(DeadLetter.from_json_bytes(_raw(event.value)))
                    except (ValidationError, ValueError):
                        log.error("unreadable dead letter at %s/%s@%s left on the topic",
                                  event.message.topic, event.message.partition, event.message.offset)
                if letters:
                    await insert("dead_letters", sink.write_dead_letters, letters, events)

        async def llm_calls_agent(stream: faust.StreamT) -> None:
            sink = await get_sink()
            async for events in _batches(stream).take_events(n, within=within):
                calls = [call for _, call in await runtime.parse(events, LlmCall, "llm_calls")]
                if calls:
                    await insert("llm_calls", sink.write_llm_calls, calls, events)

        app.agent(topics["enriched"], name="ticketstream.sink.clickhouse")(clickhouse_agent)
        app.agent(topics["deadletter"], name="ticketstream.sink.deadletters")(deadletter_agent)
        app.agent(topics["llm_calls"], name="ticketstream.sink.llm_calls")(llm_calls_agent)

    lag = LagPoller(metrics, bootstrap, settings.app_id, TopicNames.from_settings(settings).all(),
                    settings.lag_poll_interval_s)

    @app.task
    async def _start_lag_poller() -> None:
        lag.start()

    if settings.stall_after_s > 0:
        @app.task
        async def _stall_watchdog() -> None:
            await watchdog.run()

    return app
