"""OpenAI-compatible chat-completions transport (vLLM, llama.cpp server, ...) over plain httpx.

The answer schema goes in `response_format: {"type": "json_schema", "json_schema": {...}}` (the OpenAI
form, which vLLM turns into constrained decoding), so the reply parses to the schema and its labels are
enum members; `parse_answer` checks it anyway. llama-cpp-python's server (0.3.x) rejects that type (a
validation error sent as HTTP 500) and takes `{"type": "json_object", "schema": {...}}` instead:
`response_format="json_object"`.
No SDK: the request is one POST, and httpx is already a dependency.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from processors.classification.anthropic_backend import parse_retry_after
from processors.classification.llm_backend import LlmCallError, LlmReply, Usage
from processors.classification.prompt import TOOL_NAME, LlmRequest


class OpenAICompatibleTransport:
    """POST {base_url}/chat/completions; `base_url` ends with the API root, e.g. http://vllm:8000/v1."""

    name = "openai_compatible"

    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        api_key: str | None = None,
        max_tokens: int = 512,
        connect_timeout_s: float = 5.0,
        temperature: float = 0.0,
        response_format: str = "json_schema",
    ) -> None:
        if response_format not in ("json_schema", "json_object"):
            raise ValueError(f"TICKETSTREAM_OPENAI_RESPONSE_FORMAT must be json_schema or json_object, "
                             f"got {response_format!r}")
        self.response_format = response_format
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"TICKETSTREAM_OPENAI_BASE_URL must be an http(s) URL, got {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.max_tokens = max_tokens
        self.temperature = temperature
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.client = httpx.Client(headers=headers, timeout=httpx.Timeout(60.0, connect=connect_timeout_s))

    def request_body(self, request: LlmRequest) -> dict[str, Any]:
        return {
            "model": self.model,
            "max_tokens": self.max_tokens,
            "temperature": self.temperature,
            "messages": [
                {"role": "system", "content": f"{request.system}\n\n{request.taxonomy}"},
                {"role": "user", "content": request.user},
            ],
            "response_format": (
                {"type": "json_schema", "json_schema": {"name": TOOL_NAME, "schema": request.schema, "strict": True}}
                if self.response_format == "json_schema"
                else {"type": "json_object", "schema": request.schema}
            ),
        }

    def complete(self, request: LlmRequest, timeout_s: float) -> LlmReply:
        try:
            response = self.client.post(f"{self.base_url}/chat/completions", json=self.request_body(request),
                                        timeout=timeout_s)
        except httpx.TimeoutException as exc:
            raise LlmCallError("timeout", type(exc).__name__, retryable=True) from exc
        except httpx.TransportError as exc:
            raise LlmCallError("error", type(exc).__name__, retryable=True) from exc
        if response.status_code == 429:
            raise LlmCallError("rate_limited", "HTTP429", retryable=True,
                               retry_after_s=parse_retry_after(response.headers))
        if response.status_code >= 400:
            retryable = response.status_code >= 500 or response.status_code in (408, 409)
            raise LlmCallError("error", f"HTTP{response.status_code}", retryable=retryable,
                               retry_after_s=parse_retry_after(response.headers))
        try:
            body = response.json()
            choice = body["choices"][0]
            content = choice["message"].get("content") or ""
            raw_usage = body.get("usage") or {}
        except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
            raise LlmCallError("error", f"MalformedResponse({type(exc).__name__})", retryable=True) from exc
        cached = int(((raw_usage.get("prompt_tokens_details") or {}).get("cached_tokens")) or 0)
        prompt = int(raw_usage.get("prompt_tokens") or 0)
        usage = Usage(input_tokens=max(0, prompt - cached), output_tokens=int(raw_usage.get("completion_tokens") or 0),
                      cache_read_tokens=cached)
        try:
            # strict=False: small models (llama.cpp grammars) put raw newlines inside JSON strings, e.g. the
            # summary; parse_answer checks every value and collapses whitespace anyway.
            answer: Any = json.loads(content, strict=False)
        except ValueError:
            answer = None  # truncated or not JSON: rejected by parse_answer, retried once
        return LlmReply(answer=answer, usage=usage, model=str(body.get("model") or self.model))
