"""Topic names of the pipeline and their explicit creation with partition counts."""

from __future__ import annotations

from dataclasses import dataclass

from confluent_kafka.admin import AdminClient, NewTopic

from streams.settings import Settings


@dataclass(frozen=True)
class TopicNames:
    events: str
    redacted: str
    language: str
    classified: str
    enriched: str
    outbound: str
    deadletter: str
    llm_calls: str
    sla_queue: str

    @classmethod
    def from_settings(cls, settings: Settings) -> TopicNames:
        t = settings.topic
        return cls(
            events=t("tickets.events"),
            redacted=t("tickets.redacted"),
            language=t("tickets.language"),
            classified=t("tickets.classified"),
            enriched=t("tickets.enriched"),
            outbound=t("tickets.outbound"),
            deadletter=t("tickets.deadletter"),
            llm_calls=t("tickets.llm_calls"),
            sla_queue=t("tickets.sla_queue"),
        )

    def all(self) -> list[str]:
        return [self.events, self.redacted, self.language, self.classified, self.enriched, self.outbound,
                self.deadletter, self.llm_calls, self.sla_queue]


def ensure_topics(bootstrap: str, settings: Settings, timeout: float = 30.0) -> list[str]:
    """Create missing pipeline topics; returns the ones created. Existing topics are left as they are."""
    admin = AdminClient({"bootstrap.servers": bootstrap})
    existing = set(admin.list_topics(timeout=timeout).topics)
    names = [n for n in TopicNames.from_settings(settings).all() if n not in existing]
    if not names:
        return []
    futures = admin.create_topics(
        [NewTopic(n, num_partitions=settings.partitions, replication_factor=settings.replication_factor)
         for n in names],
        operation_timeout=timeout,
    )
    created = []
    for name, fut in futures.items():
        try:
            fut.result(timeout=timeout)
            created.append(name)
        except Exception as exc:  # a concurrent creator is fine
            if "TOPIC_ALREADY_EXISTS" not in str(exc):
                raise
    return created
