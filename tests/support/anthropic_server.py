"""A local HTTP server that speaks the Anthropic Messages API (POST /v1/messages), for tests of the real SDK.

It follows the documented contract: requests carry the key in `x-api-key` (the documented header; the
installed SDK 2.x sends `Authorization: Bearer <key>` instead, which is accepted too), `anthropic-version`,
`content-type: application/json` and a JSON body with
`model`, `max_tokens`, `messages` (and here `system`, `tools`, `tool_choice`); a success is a `message`
object whose `content` holds a `tool_use` block (`id`, `name`, `input`) with `stop_reason: "tool_use"` and
`usage` (`input_tokens`, `output_tokens`, `cache_creation_input_tokens`, `cache_read_input_tokens`);
errors are `{"type": "error", "error": {"type": ..., "message": ...}, "request_id": ...}` with status
400 invalid_request_error, 401 authentication_error, 429 rate_limit_error (with `retry-after`), 500
api_error and 529 overloaded_error; every response has a `request-id` header.

Prompt caching is simulated the way the docs describe it: the prefix up to the last `cache_control`
breakpoint (tools, then system, then messages) is written on first sight and read afterwards; tokens
are counted as characters / 4. (The real API caches only prefixes above a minimum length; this server
does not model that minimum.)

Behaviour is scripted per request with `server.script([...])`: each entry is consumed by one request,
and when the script is empty the default model answers. Entries:
  {"status": 429, "retry_after": "1"} / {"status": 529} / {"status": 500}   an error reply
  {"delay": 2.0}                      sleep before answering normally (client timeouts)
  {"answer": {...}}                   reply with this exact tool input, valid or not
The default model picks, per requested field, the allowed label that occurs in the ticket text (else the
first), confidence 0.9, and a fixed summary: a deliberately naive model that would obey an injection.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

API_KEY = "sk-ant-test-key"
ERROR_TYPES = {400: "invalid_request_error", 401: "authentication_error", 404: "not_found_error",
               429: "rate_limit_error", 500: "api_error", 529: "overloaded_error"}


@dataclass
class RecordedRequest:
    headers: dict[str, str]
    body: dict[str, Any]
    status: int = 0


def naive_model(body: dict[str, Any]) -> dict[str, Any]:
    tool = body["tools"][0]
    text = json.dumps(body["messages"]).lower()
    answer: dict[str, Any] = {}
    for name, prop in tool["input_schema"]["properties"].items():
        if name == "summary":
            answer[name] = "The customer asks for help with an order."
            continue
        labels = prop["properties"]["label"]["enum"]
        chosen = next((lb for lb in labels if lb.lower() in text), labels[0])
        answer[name] = {"label": chosen, "confidence": 0.9}
    return answer


def _tokens(obj: Any) -> int:
    return max(1, len(json.dumps(obj)) // 4)


@dataclass
class AnthropicTestServer:
    port: int = 0
    api_key: str = API_KEY
    model_fn: Callable[[dict[str, Any]], dict[str, Any]] = naive_model
    requests: list[RecordedRequest] = field(default_factory=list)
    _script: deque[dict[str, Any]] = field(default_factory=deque)
    _cached_prefixes: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def script(self, entries: list[dict[str, Any]]) -> None:
        with self._lock:
            self._script.extend(entries)

    def reset(self) -> None:
        with self._lock:
            self._script.clear()
            self.requests.clear()
            self._cached_prefixes.clear()

    def _next(self) -> dict[str, Any]:
        with self._lock:
            return self._script.popleft() if self._script else {}

    def usage(self, body: dict[str, Any], output: Any) -> dict[str, int]:
        """Cache accounting by breakpoints: the prefix up to the last cache_control is written or read."""
        parts: list[Any] = [*body.get("tools", []), *(body.get("system") or [])]
        last_mark = max((i for i, p in enumerate(parts) if isinstance(p, dict) and "cache_control" in p),
                        default=-1)
        prefix, rest = parts[: last_mark + 1], parts[last_mark + 1 :]
        rest_tokens = _tokens(rest) if rest else 0
        read = write = 0
        if prefix:
            key = json.dumps(prefix, sort_keys=True)
            with self._lock:
                if key in self._cached_prefixes:
                    read = _tokens(prefix)
                else:
                    self._cached_prefixes.add(key)
                    write = _tokens(prefix)
        return {"input_tokens": rest_tokens + _tokens(body["messages"]), "output_tokens": _tokens(output),
                "cache_creation_input_tokens": write, "cache_read_input_tokens": read}


def _handler(server: AnthropicTestServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _send(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.send_header("request-id", payload.get("request_id") or f"req_{uuid.uuid4().hex[:24]}")
            self.send_header("anthropic-organization-id", "00000000-0000-4000-8000-000000000000")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client timed out and left
                self.wfile.write(data)

        def _error(self, status: int, message: str, headers: dict[str, str] | None = None) -> int:
            self._send(status, {"type": "error", "error": {"type": ERROR_TYPES.get(status, "api_error"),
                                                           "message": message},
                                "request_id": f"req_{uuid.uuid4().hex[:24]}"}, headers)
            return status

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length)
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                body = {}
            record = RecordedRequest({k.lower(): v for k, v in self.headers.items()}, body)
            with server._lock:
                server.requests.append(record)
            record.status = self._handle(body)

        def _handle(self, body: dict[str, Any]) -> int:
            if self.path.split("?")[0] != "/v1/messages":
                return self._error(404, f"no route {self.path}")
            bearer = (self.headers.get("authorization") or "").removeprefix("Bearer ")
            if server.api_key not in (self.headers.get("x-api-key"), bearer):
                return self._error(401, "invalid x-api-key")
            if (self.headers.get("content-type") or "").split(";")[0] != "application/json":
                return self._error(400, "content-type: must be application/json")
            if not self.headers.get("anthropic-version"):
                return self._error(400, "anthropic-version: header is required")
            problems = [k for k in ("model", "max_tokens", "messages") if k not in body]
            if problems:
                return self._error(400, f"{problems[0]}: Field required")
            if not isinstance(body["max_tokens"], int) or body["max_tokens"] < 1:
                return self._error(400, "max_tokens: must be a positive integer")
            tool_choice = body.get("tool_choice") or {}
            tools = body.get("tools") or []
            if tool_choice.get("type") == "tool" and tool_choice.get("name") not in {t.get("name") for t in tools}:
                return self._error(400, "tool_choice: tool not found in tools")
            step = server._next()
            if "status" in step:
                headers = {"retry-after": str(step["retry_after"])} if "retry_after" in step else {}
                return self._error(int(step["status"]), step.get("message", ERROR_TYPES.get(step["status"], "error")),
                                   headers)
            if "delay" in step:
                time.sleep(float(step["delay"]))
            answer = step["answer"] if "answer" in step else server.model_fn(body)
            tool_name = tool_choice.get("name") or (tools[0]["name"] if tools else "tool")
            self._send(200, {
                "id": f"msg_{uuid.uuid4().hex[:24]}",
                "type": "message",
                "role": "assistant",
                "model": body["model"],
                "content": [{"type": "tool_use", "id": f"toolu_{uuid.uuid4().hex[:24]}", "name": tool_name,
                             "input": answer}],
                "stop_reason": "tool_use",
                "stop_sequence": None,
                "usage": server.usage(body, answer),
            })
            return 200

    return Handler


@contextmanager
def running_anthropic_server(**kwargs: Any) -> Iterator[AnthropicTestServer]:
    """Start the server on a free 127.0.0.1 port for the duration of the block."""
    server = AnthropicTestServer(**kwargs)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(server))
    httpd.daemon_threads = True
    server.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, name="anthropic-test-server", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
