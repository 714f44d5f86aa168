"""The language stage: each ticket's language and confidence, by the customer's newest text.

One instance serves every tenant: tickets are grouped by their tenant's language set, each group goes
through the detector for that set (built once per distinct set), and results go back in input order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from processors.base import Failed, Ok
from processors.language.config import LanguageConfig
from processors.language.customer_text import customer_text
from processors.language.detector import LanguageDetection
from schemas import DetectedTicket, LanguageResult, RedactedTicket

__all__ = ["LanguageConfig", "LanguageStage", "detection_text"]


def detection_text(ticket: RedactedTicket, config: LanguageConfig | None = None) -> str:
    """Subject and newest reply without quoted history, signatures or redaction placeholders."""
    cfg = config or LanguageConfig()
    return customer_text(ticket.subject, ticket.body, cfg.body_alone_min_words, cfg.max_chars)


class LanguageStage:
    name = "language"

    def __init__(self, config: LanguageConfig | None = None, tenants: Mapping[str, LanguageConfig] | None = None):
        """`config` applies to tenants without an entry in `tenants` (see `config.tenant_configs`)."""
        self.config = config or LanguageConfig()
        self.tenants = dict(tenants or {})
        self._detections: dict[str, LanguageDetection] = {}
        self._detection(self.config)

    def _detection(self, config: LanguageConfig) -> LanguageDetection:
        """One detection per distinct config (tenants with the same languages share it)."""
        key = config.model_dump_json()
        detection = self._detections.get(key)
        if detection is None:
            detection = self._detections[key] = LanguageDetection(config)
        return detection

    def config_for(self, tenant_id: str) -> LanguageConfig:
        return self.tenants.get(tenant_id, self.config)

    def process(self, batch: Sequence[RedactedTicket]) -> list[Ok[DetectedTicket] | Failed]:
        groups: dict[int, tuple[LanguageConfig, list[int]]] = {}
        for i, ticket in enumerate(batch):
            config = self.config_for(ticket.tenant_id)
            groups.setdefault(id(config), (config, []))[1].append(i)
        languages: list[LanguageResult | None] = [None] * len(batch)
        for config, indexes in groups.values():
            texts = [detection_text(batch[i], config) for i in indexes]
            for i, result in zip(indexes, self._detection(config).detect(texts), strict=True):
                languages[i] = result
        out: list[Ok[DetectedTicket] | Failed] = []
        for ticket, language in zip(batch, languages, strict=True):
            assert language is not None
            out.append(Ok(DetectedTicket(**dict(ticket), language=language)))
        return out
