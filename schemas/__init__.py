"""Wire and sink models of ticketstream: everything that crosses a topic or lands in ClickHouse.

This package imports nothing else of the project, so every other package can depend on it.
"""

from schemas.base import SCHEMA_VERSION, WireModel, format_validation_error
from schemas.deadletter import DeadLetter
from schemas.enrichment import (
    Classification,
    FieldPrediction,
    LanguageResult,
    PiiSpan,
    SlaPrediction,
)
from schemas.events import AuthorRole, Channel, EventType, Priority, Requester, Source, Status, TicketEvent
from schemas.llm_call import LlmCall
from schemas.outbound import OutboundAction, OutboundKind
from schemas.records import ClassifiedTicket, DetectedTicket, EnrichedTicket, RedactedTicket
from schemas.replay import ReplayStamp

__all__ = [
    "SCHEMA_VERSION",
    "AuthorRole",
    "Channel",
    "Classification",
    "ClassifiedTicket",
    "DeadLetter",
    "DetectedTicket",
    "EnrichedTicket",
    "EventType",
    "FieldPrediction",
    "LanguageResult",
    "LlmCall",
    "OutboundAction",
    "OutboundKind",
    "PiiSpan",
    "Priority",
    "RedactedTicket",
    "ReplayStamp",
    "Requester",
    "SlaPrediction",
    "Source",
    "Status",
    "TicketEvent",
    "WireModel",
    "format_validation_error",
]
