"""PII redaction stage: the first stage; nothing after it sees the original text of a PII span."""

from processors.pii.config import DEFAULT_ENTITIES, PiiConfig
from processors.pii.stage import PiiStage, build_analyzer

__all__ = ["DEFAULT_ENTITIES", "PiiConfig", "PiiStage", "build_analyzer"]
