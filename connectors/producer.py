"""Hands TicketEvents to Kafka and waits for the broker's acknowledgement (acks=all, idempotent producer).

A webhook is answered 2xx only after every one of its events is acknowledged; a delivery error or timeout
raises `DeliveryFailed`, which the server turns into a 503 so the helpdesk retries.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence

from confluent_kafka import KafkaError, Message, Producer

from schemas import TicketEvent


class DeliveryFailed(Exception):
    """The broker did not confirm an event in time."""


class EventProducer:
    def __init__(self, bootstrap: str, topic: str, delivery_timeout_s: float = 10.0) -> None:
        self.topic = topic
        self._timeout = delivery_timeout_s
        self._producer = Producer({
            "bootstrap.servers": bootstrap, "enable.idempotence": True, "acks": "all", "linger.ms": 5,
            "message.timeout.ms": int(delivery_timeout_s * 1000), "socket.connection.setup.timeout.ms": 5_000,
        })
        self._stop = threading.Event()
        self._poller = threading.Thread(target=self._poll_loop, name="kafka-delivery", daemon=True)
        self._poller.start()

    def _poll_loop(self) -> None:
        while not self._stop.is_set():
            self._producer.poll(0.05)


    async def deliver(self, events: Sequence[TicketEvent]) -> None:
        """Produce and wait until every event is acknowledged; DeliveryFailed otherwise."""
        loop = asyncio.get_running_loop()
        futures: list[asyncio.Future[None]] = []
        for event in events:
            fut: asyncio.Future[None] = loop.create_future()

            def on_delivery(err: KafkaError | None, _msg: Message, fut: asyncio.Future[None] = fut) -> None:
                def settle() -> None:
                    if fut.done():
                        return
                    if err is None:
                        fut.set_result(None)
                    else:
                        fut.set_exception(DeliveryFailed(f"kafka: {err.name()}"))

                loop.call_soon_threadsafe(settle)

            try:
                self._producer.produce(self.topic, key=event.key.encode(), value=event.to_json_bytes(),
                                       on_delivery=on_delivery)
            except BufferError as exc:
                raise DeliveryFailed("kafka: local producer queue is full") from exc
            except Exception as exc:  # KafkaException: unknown topic etc.
                raise DeliveryFailed(f"kafka: {type(exc).__name__}") from exc
            futures.append(fut)
        try:
            await asyncio.wait_for(asyncio.gather(*futures), timeout=self._timeout + 2.0)
        except TimeoutError as exc:
            raise DeliveryFailed("kafka: no acknowledgement in time") from exc

    def deliver_sync(self, events: Sequence[TicketEvent]) -> None:
        """Blocking variant for pollers: produce, flush, raise on any delivery error."""
        errors: list[str] = []

        def on_delivery(err: KafkaError | None, _msg: Message) -> None:
            if err is not None:
                errors.append(err.name())

        for event in events:
            self._producer.produce(self.topic, key=event.key.encode(), value=event.to_json_bytes(),
                                   on_delivery=on_delivery)
        remaining = self._producer.flush(self._timeout + 2.0)
        if remaining or errors:
            raise DeliveryFailed(f"kafka: {len(errors)} errors, {remaining} unconfirmed ({', '.join(errors[:3])})")

    def close(self) -> None:
        self._producer.flush(self._timeout)
        self._stop.set()
        self._poller.join(2.0)
