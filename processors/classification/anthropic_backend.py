"""Anthropic Messages API transport: the official SDK, a forced tool call, prompt caching.

The answer schema is the `input_schema` of one tool and `tool_choice` forces that tool, so the reply is a
`tool_use` block whose `input` is JSON in the schema's shape (labels as enums); `parse_answer` still checks
it, because the API does not guarantee enum adherence. The system prompt and the taxonomy are system
blocks marked `cache_control: ephemeral`; the cache prefix is tools + system, identical for every ticket
of a tenant asking the same fields. Note the API caches only prefixes above a model-specific minimum
length (1024-4096 tokens); a small taxonomy stays below it and is simply not cached.

The SDK's own retries are off (`max_retries=0`): `LlmBackend` retries, so it can honour `retry-after`,
count failures for its circuit breaker and record every attempt.
"""

from __future__ import annotations

import email.utils
import time
from typing import Any

import anthropic

from processors.classification.llm_backend import LlmCallError, LlmReply, Usage
from processors.classification.prompt import TOOL_NAME, LlmRequest

TOOL_DESCRIPTION = "Record the classification of the support ticket: one allowed label per requested field."


def parse_retry_after(headers: Any) -> float | None:
    """`retry-after-ms`, else `retry-after` as seconds or an HTTP date; None when absent or unreadable."""
    if headers is None:
        return None
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value) if value else None
        return None if parsed is None else max(0.0, parsed.timestamp() - time.time())


class AnthropicTransport:
    """Sends an `LlmRequest` through `client.messages.create` and maps the SDK's errors."""

    name = "anthropic"

    def __init__(
        self,
        api_key: str,
        model: str,
        *,
        max_tokens: int = 512,
        base_url: str | None = None,
        connect_timeout_s: float = 5.0,
    ) -> None:
        if not api_key:
            raise ValueError("TICKETSTREAM_ANTHROPIC_API_KEY (or ANTHROPIC_API_KEY) is empty")
        self.model = model
        self.max_tokens = max_tokens
        self.client = anthropic.Anthropic(
            api_key=api_key, base_url=base_url, max_retries=0,
            timeout=anthropic.Timeout(60.0, connect=connect_timeout_s),
        )

    def request_params(self, request: LlmRequest) -> dict[str, Any]:
        """The Messages API body for one request (also what the tests inspect on the wire)."""
        return {
            "model": self.model,
            "max_tokens": self.max_tokens,
            "system": [
                {"type": "text", "text": request.system, "cache_control": {"type": "ephemeral"}},
                {"type": "text", "text": request.taxonomy, "cache_control": {"type": "ephemeral"}},
            ],
            "tools": [{"name": TOOL_NAME, "description": TOOL_DESCRIPTION, "input_schema": request.schema}],
            "tool_choice": {"type": "tool", "name": TOOL_NAME},
            "messages": [{"role": "user", "content": request.user}],
        }

    def complete(self, request: LlmRequest, timeout_s: float) -> LlmReply:
        try:
            message = self.client.messages.create(**self.request_params(request), timeout=timeout_s)
        except anthropic.APITimeoutError as exc:
            raise LlmCallError("timeout", type(exc).__name__, retryable=True) from exc
        except anthropic.APIConnectionError as exc:
            raise LlmCallError("error", type(exc).__name__, retryable=True) from exc
        except anthropic.RateLimitError as exc:
            # A spend cap is a 429 too, but waiting minutes does not help: do not retry it.
            spend_cap = isinstance(exc, anthropic.EnforcedSpendLimitReachedError)
            raise LlmCallError("rate_limited", type(exc).__name__, retryable=not spend_cap,
                               retry_after_s=parse_retry_after(exc.response.headers)) from exc
        except anthropic.APIStatusError as exc:
            retryable = exc.status_code >= 500 or exc.status_code in (408, 409)
            raise LlmCallError("error", f"{type(exc).__name__}({exc.status_code})", retryable=retryable,
                               retry_after_s=parse_retry_after(exc.response.headers)) from exc
        return reply_from_message(message)


def reply_from_message(message: Any) -> LlmReply:
    """The forced tool call's input and the token usage of a Messages API `message`, live or from a Message
    Batch result (the same object), so both paths read answers the same way."""
    usage = message.usage
    answer: Any = None
    for block in message.content:
        if block.type == "tool_use" and block.name == TOOL_NAME:
            answer = block.input
            break
    return LlmReply(
        answer=answer,
        usage=Usage(
            input_tokens=usage.input_tokens or 0,
            output_tokens=usage.output_tokens or 0,
            cache_read_tokens=usage.cache_read_input_tokens or 0,
            cache_write_tokens=usage.cache_creation_input_tokens or 0,
        ),
        model=message.model,
    )
