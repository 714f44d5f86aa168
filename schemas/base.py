"""Base model and helpers shared by every wire model."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    SerializerFunctionWrapHandler,
    StringConstraints,
    ValidationError,
    model_serializer,
)

SCHEMA_VERSION: Literal[1] = 1
"""Version of the wire format. Bumped on any change a reader of an older version could not parse."""

MAX_MESSAGE_BYTES = 256 * 1024
"""Upper bound of one serialized message; larger payloads are dead-lettered before parsing."""

TenantId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
ExternalId = Annotated[str, StringConstraints(min_length=1, max_length=128, pattern=r"^[^\s:]+$")]
ShortText = Annotated[str, StringConstraints(max_length=256)]
Label = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]


class WireModel(BaseModel):
    """Strict, immutable, JSON on the wire; unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)

    def to_json_bytes(self) -> bytes:
        return self.model_dump_json().encode("utf-8")

    @classmethod
    def from_json_bytes(cls, data: bytes | str) -> Self:
        if isinstance(data, bytes) and len(data) > MAX_MESSAGE_BYTES:
            raise ValueError(f"message is {len(data)} bytes, above the limit of {MAX_MESSAGE_BYTES}")
        return cls.model_validate_json(data)


OMITTED_WHILE_UNSET = ("replay", "author_role", "comment_public", "first_response_at", "first_response_met")
"""Fields added to schema version 1 after its first release: left out of dumps while None, so a message that
does not use them is still read by a worker of the version before (the models forbid unknown fields) and live
messages stay byte-for-byte what they were. `replay` is one of them (schemas/replay.py)."""


class OmitsUnsetAdditions(WireModel):
    """A wire model whose later additions (`OMITTED_WHILE_UNSET`) are left out of dumps while None."""

    @model_serializer(mode="wrap")
    def _omit_unset_additions(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if isinstance(data, dict):
            for name in OMITTED_WHILE_UNSET:
                if name in data and data[name] is None:
                    del data[name]
        return data


def format_validation_error(exc: ValidationError) -> str:
    """Name each bad field and what is wrong, without echoing the input (it may hold PII)."""
    parts = []
    for err in exc.errors(include_input=False, include_url=False):
        loc = ".".join(str(p) for p in err["loc"]) or "<message>"
        parts.append(f"{loc}: {err['msg']}")
    return "; ".join(parts)
