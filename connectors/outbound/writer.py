"""The outbound writer: consumes OutboundActions and applies each once through its helpdesk's API.

Per action: already in the applied set → skip; else rate limit → circuit breaker → call, retrying transient
failures with backoff (honouring `Retry-After`) until `max_attempts` or `give_up_after_s`, then the dead-letter
topic. The offset is committed only after the action is applied, skipped or dead-lettered (at-least-once);
the applied set (written after the call) plus idempotent API forms (Zendesk `additional_tags`, note markers,
PagerDuty dedup keys) make a redelivery change nothing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pydantic import ValidationError

from connectors.config import ConnectorConfig, ConnectorSettings, SourceConfig
from connectors.outbound.applied import AppliedStore
from connectors.outbound.base import ActionWriter, Unsupported
from connectors.outbound.http import HelpdeskError
from connectors.outbound.resilience import CircuitBreaker, RateLimiter, backoff_delay
from schemas import DeadLetter, OutboundAction, OutboundKind, format_validation_error
from schemas.base import MAX_MESSAGE_BYTES

logger = logging.getLogger("ticketstream.connectors.outbound")

DEFAULT_PER_MINUTE = {"zendesk": 400.0, "freshdesk": 100.0, "intercom": 1000.0, "jira": 100.0, "servicenow": 300.0,
                      "escalation": 60.0, "email": 1000.0}
"""Conservative request budgets; a tenant overrides with `requests_per_minute` in its connector settings."""


def default_writer_factory(config: ConnectorConfig, timeout: float) -> Callable[[str, str], ActionWriter]:
    def make(tenant: str, target: str) -> ActionWriter:
        if target == "escalation":
            from connectors.outbound.escalation import EscalationWriter

            return EscalationWriter(config.source(tenant, "slack"), config.source(tenant, "pagerduty"), timeout)
        cfg = config.source(tenant, target)
        if target == "zendesk":
            from connectors.zendesk.client import ZendeskWriter

            return ZendeskWriter(cfg, timeout)
        if target == "intercom":
            from connectors.intercom.client import IntercomWriter

            return IntercomWriter(cfg, timeout)
        if target == "freshdesk":
            from connectors.freshdesk.client import FreshdeskWriter

            return FreshdeskWriter(cfg, timeout)
        if target == "jira":
            from connectors.jira.client import JiraWriter

            return JiraWriter(cfg, timeout)
        if target == "servicenow":
            from connectors.servicenow.client import ServiceNowWriter

            return ServiceNowWriter(cfg, timeout)
        raise Unsupported(f"no outbound writer for {target}")

    return make


@dataclass
class Outcome:
    status: str  # applied | duplicate | dry_run | unsupported | dead_lettered
    detail: str = ""
    attempts: int = 0


@dataclass
class OutboundWriter:
    settings: ConnectorSettings
    config: ConnectorConfig
    applied: AppliedStore
    writer_factory: Callable[[str, str], ActionWriter]
    dead_letter: Callable[[DeadLetter], None]
    dry_run: bool = False
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    _writers: dict[tuple[str, str], ActionWriter] = field(default_factory=dict)
    _breakers: dict[tuple[str, str], CircuitBreaker] = field(default_factory=dict)
    _limiters: dict[tuple[str, str], RateLimiter] = field(default_factory=dict)

    @staticmethod
    def target_of(action: OutboundAction) -> str:
        return "escalation" if action.kind is OutboundKind.escalate else action.source.value

    def _cfg(self, tenant: str, target: str) -> SourceConfig:
        return self.config.source(tenant, "pagerduty" if target == "escalation" else target)

    def breaker(self, tenant: str, target: str) -> CircuitBreaker:
        key = (tenant, target)
        if key not in self._breakers:
            self._breakers[key] = CircuitBreaker(self.settings.breaker_failures, self.settings.breaker_cooldown_s,
                                                 clock=self.clock)
        return self._breakers[key]

    def limiter(self, tenant: str, target: str) -> RateLimiter:
        key = (tenant, target)
        if key not in self._limiters:
            per_minute = float(self._cfg(tenant, target).get("requests_per_minute",
                                                              DEFAULT_PER_MINUTE.get(target, 60.0)))
            self._limiters[key] = RateLimiter(per_minute, burst=max(1.0, min(10.0, per_minute / 60)),
                                              clock=self.clock, sleep=self.sleep)
        return self._limiters[key]

    def _writer(self, tenant: str, target: str) -> ActionWriter:
        key = (tenant, target)
        if key not in self._writers:
            self._writers[key] = self.writer_factory(tenant, target)
        return self._writers[key]

    def apply(self, action: OutboundAction) -> Outcome:
        """Apply one action with retries; raises HelpdeskError when it finally fails (the caller dead-letters)."""
        target = self.target_of(action)
        ids = f"tenant_id={action.tenant_id} ticket_id={action.ticket_id} event_id={action.event_id} " \
              f"action_id={action.action_id} kind={action.kind.value} target={target}"
        if self.applied.contains(action.action_id):
            logger.info("outbound duplicate skipped %s", ids)
            return Outcome("duplicate")
        if self.dry_run:
            logger.info("outbound dry-run would apply %s tags=%s priority=%s note_chars=%d custom_fields=%s", ids,
                        action.tags, action.priority.value if action.priority else None, len(action.note or ""),
                        sorted(action.custom_fields))
            return Outcome("dry_run")
        if target == "email":
            self.applied.add(action.action_id, target)
            return Outcome("unsupported", "e-mail tickets have no helpdesk API")
        deadline = self.clock() + self.settings.give_up_after_s
        breaker, limiter = self.breaker(action.tenant_id, target), self.limiter(action.tenant_id, target)
        attempts = 0
        while True:
            wait = breaker.wait_time()
            if wait > 0:
                if self.clock() + wait > deadline:
                    raise HelpdeskError(f"{target} circuit open past the give-up time")
                self.sleep(wait)
                continue
            limiter.acquire()
            attempts += 1
            try:
                detail = self._writer(action.tenant_id, target).apply(action)
            except Unsupported as exc:
                self.applied.add(action.action_id, target)
                logger.info("outbound unsupported %s", ids)
                return Outcome("unsupported", str(exc), attempts)
            except HelpdeskError as exc:
                if exc.permanent:
                    raise
                if exc.rate_limited:
                    attempts -= 1  # a 429 is the helpdesk pacing us, not a failure
                    if exc.retry_after:
                        limiter.pause(exc.retry_after)
                else:
                    breaker.failure()
                delay = exc.retry_after if exc.retry_after is not None else backoff_delay(
                    max(attempts, 1), self.settings.backoff_base_s, self.settings.backoff_max_s)
                if attempts >= self.settings.max_attempts or self.clock() + delay > deadline:
                    raise HelpdeskError(f"{exc} (after {attempts} attempts)", status=exc.status) from exc
                logger.warning("outbound retry %s attempt=%d error=%s wait=%.2fs", ids, attempts, exc, delay)
                self.sleep(delay)
                continue
            breaker.success()
            self.applied.add(action.action_id, target)
            logger.info("outbound applied %s attempts=%d result=%s", ids, attempts, detail)
            return Outcome("applied", detail, attempts)

    def handle(self, value: bytes, topic: str, partition: int, offset: int, key: bytes | None) -> Outcome:
        """One message of the outbound topic: parse, apply, or dead-letter it."""

        def dead(reason: str, error_type: str, attempt: int, action: OutboundAction | None) -> Outcome:
            self.dead_letter(DeadLetter(
                stage="outbound_writer", reason=reason[:4000] or "unknown", error_type=error_type[:128],
                attempt=max(1, attempt), topic=topic, partition=partition, offset=offset,
                key=key.decode("utf-8", "replace")[:300] if key is not None else None,
                tenant_id=action.tenant_id if action else None, ticket_id=action.ticket_id if action else None,
                event_id=action.event_id if action else None, payload_b64=DeadLetter.encode_payload(value),
                failed_at=datetime.now(UTC)))
            logger.error("outbound dead-lettered topic=%s partition=%s offset=%s action_id=%s reason=%s", topic,
                         partition, offset, action.action_id if action else None, reason)
            return Outcome("dead_lettered", reason, attempt)

        try:
            if len(value) > MAX_MESSAGE_BYTES:
                raise ValueError(f"message is {len(value)} bytes, above the limit of {MAX_MESSAGE_BYTES}")
            action = OutboundAction.from_json_bytes(value)
        except ValidationError as exc:
            return dead(f"invalid OutboundAction: {format_validation_error(exc)}", "ValidationError", 1, None)
        except ValueError as exc:
            return dead(f"invalid OutboundAction: {exc}", type(exc).__name__, 1, None)
        try:
            return self.apply(action)
        except HelpdeskError as exc:
            return dead(str(exc), "HelpdeskError", 0, action)
        except Exception as exc:  # a bug or bad config must not block the partition
            return dead(f"{type(exc).__name__}: {exc}", type(exc).__name__, 1, action)

    def close(self) -> None:
        for writer in self._writers.values():
            writer.close()


def run_consumer(writer: OutboundWriter, bootstrap: str, topic: str, group: str, stop: threading.Event,
                 idle_exit_s: float | None = None) -> dict[str, int]:
    """Consume `topic` until `stop` is set (or nothing arrived for `idle_exit_s`); returns outcome counts."""
    from confluent_kafka import Consumer

    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False,
                         "auto.offset.reset": "earliest", "max.poll.interval.ms": 3_600_000})
    consumer.subscribe([topic])
    counts: dict[str, int] = {}
    last = time.monotonic()
    seen = False
    try:
        while not stop.is_set():
            msg = consumer.poll(0.5)
            if msg is None:
                # Before the first message the group join and assignment take a while: wait at least 30 s.
                limit = None if idle_exit_s is None else (idle_exit_s if seen else max(idle_exit_s, 30.0))
                if limit is not None and time.monotonic() - last > limit:
                    break
                continue
            if msg.error():
                logger.warning("outbound consumer error: %s", msg.error())
                continue
            last, seen = time.monotonic(), True
            outcome = writer.handle(msg.value() or b"", msg.topic() or topic, msg.partition() or 0,
                                    msg.offset() or 0, msg.key())
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
            if not writer.dry_run:
                consumer.commit(message=msg, asynchronous=False)
    finally:
        consumer.close()
    return counts


def kafka_dead_letter(bootstrap: str, topic: str) -> Callable[[DeadLetter], None]:
    """A dead-letter sink that waits for the broker's acknowledgement before the offset is committed."""
    from confluent_kafka import Producer

    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True, "acks": "all"})

    def send(letter: DeadLetter) -> None:
        key = f"{letter.tenant_id}:{letter.ticket_id}" if letter.tenant_id else None
        producer.produce(topic, key=key.encode() if key else None, value=letter.to_json_bytes())
        if producer.flush(30):
            raise RuntimeError("dead letter not acknowledged by Kafka")

    return send
