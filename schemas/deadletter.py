"""A message that could not be processed, kept whole so it can be replayed after a fix."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, NonNegativeInt

from schemas.base import SCHEMA_VERSION, WireModel


class DeadLetter(WireModel):
    schema_version: Literal[1] = SCHEMA_VERSION
    stage: Annotated[str, Field(min_length=1, max_length=64)]
    reason: Annotated[str, Field(min_length=1, max_length=4_000)]
    error_type: Annotated[str, Field(max_length=128)]
    attempt: NonNegativeInt = 1
    topic: str
    partition: int
    offset: int
    key: str | None = None
    tenant_id: str | None = None
    ticket_id: str | None = None
    event_id: str | None = None
    payload_b64: str = Field(description="The original message bytes, base64: lossless even for bad UTF-8.")
    failed_at: datetime

    @staticmethod
    def encode_payload(payload: bytes) -> str:
        return base64.b64encode(payload).decode("ascii")

    def payload(self) -> bytes:
        return base64.b64decode(self.payload_b64)
