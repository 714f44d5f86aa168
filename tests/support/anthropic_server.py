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

Message Batches, as documented and as the SDK's types (`anthropic.types.messages`) parse them:
  POST /v1/messages/batches            body `{"requests": [{"custom_id", "params"}, ...]}` (1 to 100,000
                                       requests; custom_id unique and matching `^[a-zA-Z0-9_-]{1,64}$`, else
                                       400; a body over 256 MB is 413) -> a `message_batch` object, `in_progress`
  GET  /v1/messages/batches/{id}       the `message_batch` object: `processing_status`, `request_counts`
                                       (processing / succeeded / errored / canceled / expired), RFC 3339
                                       `created_at` / `expires_at` (+24 h) / `ended_at`, and `results_url` once
                                       ended; unknown id 404
  GET  {results_url}                   JSONL, one `{"custom_id", "result"}` per request, in reverse request
                                       order (results are not in request order); `result` is `{"type":
                                       "succeeded", "message": <message>}`, `{"type": "errored", "error":
                                       {"type": "error", "error": {"type", "message"}, "request_id"}}`,
                                       `{"type": "expired"}` or `{"type": "canceled"}`
A batch ends on the retrieve after `batch_polls_before_end` retrieves (None: only on `end_batches()`). Its
requests' params are checked like POST /v1/messages; a bad one is an `errored` invalid_request_error result,
as the API validates params asynchronously. `batch_outcome(params)` may override one request's result:
`{"type": "errored", "error_type": "overloaded_error"}`, `{"type": "expired"}`, `{"type": "canceled"}` or
`{"answer": {...}}`. `batch_script([...])` scripts errors of the batch endpoints like `script` does.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

API_KEY = "sk-ant-test-key"
ERROR_TYPES = {400: "invalid_request_error", 401: "authentication_error", 404: "not_found_error",
               413: "request_too_large", 429: "rate_limit_error", 500: "api_error", 529: "overloaded_error"}
BATCHES_PATH = "/v1/messages/batches"
CUSTOM_ID_PATTERN = "^[a-zA-Z0-9_-]{1,64}$"
MAX_BATCH_REQUESTS = 100_000
MAX_BATCH_BYTES = 256_000_000


@dataclass
class RecordedRequest:
    headers: dict[str, str]
    body: dict[str, Any]
    status: int = 0
    method: str = "POST"
    path: str = "/v1/messages"
    raw: bytes = b""


@dataclass
class StoredBatch:
    id: str
    created_at: datetime
    requests: list[dict[str, Any]]
    polls: int = 0
    ended_at: datetime | None = None
    results: list[dict[str, Any]] = field(default_factory=list)


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


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


def _error_object(status: int, message: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": ERROR_TYPES.get(status, "api_error"), "message": message},
            "request_id": f"req_{uuid.uuid4().hex[:24]}"}


def request_problem(body: dict[str, Any]) -> str | None:
    """Why a Messages API body is invalid (the 400 message), or None."""
    problems = [k for k in ("model", "max_tokens", "messages") if k not in body]
    if problems:
        return f"{problems[0]}: Field required"
    if not isinstance(body["max_tokens"], int) or body["max_tokens"] < 1:
        return "max_tokens: must be a positive integer"
    tool_choice = body.get("tool_choice") or {}
    tools = body.get("tools") or []
    if tool_choice.get("type") == "tool" and tool_choice.get("name") not in {t.get("name") for t in tools}:
        return "tool_choice: tool not found in tools"
    return None


def message_payload(body: dict[str, Any], answer: Any, usage: dict[str, int]) -> dict[str, Any]:
    """A `message` whose content is the forced tool call with `answer` as its input."""
    tool_choice = body.get("tool_choice") or {}
    tools = body.get("tools") or []
    tool_name = tool_choice.get("name") or (tools[0]["name"] if tools else "tool")
    return {
        "id": f"msg_{uuid.uuid4().hex[:24]}",
        "type": "message",
        "role": "assistant",
        "model": body["model"],
        "content": [{"type": "tool_use", "id": f"toolu_{uuid.uuid4().hex[:24]}", "name": tool_name,
                     "input": answer}],
        "stop_reason": "tool_use",
        "stop_sequence": None,
        "usage": usage,
    }


def batch_create_problem(body: Any) -> str | None:
    """Why a Message Batches create body is invalid (the 400 message), or None."""
    requests = body.get("requests") if isinstance(body, dict) else None
    if not isinstance(requests, list):
        return "requests: Field required"
    if not 1 <= len(requests) <= MAX_BATCH_REQUESTS:
        return f"requests: must hold 1 to {MAX_BATCH_REQUESTS} items"
    seen: set[str] = set()
    for i, entry in enumerate(requests):
        custom_id = entry.get("custom_id") if isinstance(entry, dict) else None
        if not isinstance(custom_id, str) or not re.fullmatch(CUSTOM_ID_PATTERN, custom_id):
            return f"requests.{i}.custom_id: String should match pattern '{CUSTOM_ID_PATTERN}'"
        if custom_id in seen:
            return f"requests.{i}.custom_id: must be unique within the batch"
        seen.add(custom_id)
        if not isinstance(entry.get("params"), dict):
            return f"requests.{i}.params: Field required"
    return None


@dataclass
class AnthropicTestServer:
    port: int = 0
    api_key: str = API_KEY
    model_fn: Callable[[dict[str, Any]], dict[str, Any]] = naive_model
    requests: list[RecordedRequest] = field(default_factory=list)
    batches: dict[str, StoredBatch] = field(default_factory=dict)
    batch_polls_before_end: int | None = 0
    batch_outcome: Callable[[dict[str, Any]], dict[str, Any] | None] | None = None
    _script: deque[dict[str, Any]] = field(default_factory=deque)
    _batch_script: deque[dict[str, Any]] = field(default_factory=deque)
    _cached_prefixes: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def script(self, entries: list[dict[str, Any]]) -> None:
        with self._lock:
            self._script.extend(entries)

    def batch_script(self, entries: list[dict[str, Any]]) -> None:
        with self._lock:
            self._batch_script.extend(entries)

    def reset(self) -> None:
        with self._lock:
            self._script.clear()
            self._batch_script.clear()
            self.requests.clear()
            self._cached_prefixes.clear()
            self.batches.clear()
        self.batch_polls_before_end = 0
        self.batch_outcome = None

    def _next(self) -> dict[str, Any]:
        with self._lock:
            return self._script.popleft() if self._script else {}

    def _next_batch_step(self) -> dict[str, Any]:
        with self._lock:
            return self._batch_script.popleft() if self._batch_script else {}

    def batch_creates(self) -> list[RecordedRequest]:
        """Successful POST /v1/messages/batches requests (each one a batch that would be billed)."""
        return [r for r in self.requests if r.method == "POST" and r.path == BATCHES_PATH and r.status == 200]

    def end_batches(self) -> None:
        """End every batch still in progress now."""
        for batch in list(self.batches.values()):
            self._end(batch)

    def _end(self, batch: StoredBatch) -> None:
        with self._lock:
            if batch.ended_at is not None:
                return
            batch.ended_at = datetime.now(UTC)
        batch.results = [{"custom_id": entry["custom_id"], "result": self._batch_result(entry["params"])}
                         for entry in batch.requests]

    def _batch_result(self, params: dict[str, Any]) -> dict[str, Any]:
        problem = request_problem(params)
        if problem:
            return {"type": "errored", "error": _error_object(400, problem)}
        step = (self.batch_outcome(params) if self.batch_outcome else None) or {}
        kind = step.get("type", "succeeded")
        if kind == "errored":
            status = {v: k for k, v in ERROR_TYPES.items()}.get(step.get("error_type", "api_error"), 500)
            return {"type": "errored", "error": _error_object(status, step.get("message", "scripted error"))}
        if kind in ("expired", "canceled"):
            return {"type": kind}
        answer = step["answer"] if "answer" in step else self.model_fn(params)
        message = message_payload(params, answer, self.usage(params, answer))
        message["usage"]["service_tier"] = "batch"
        return {"type": "succeeded", "message": message}

    def batch_json(self, batch: StoredBatch) -> dict[str, Any]:
        ended = batch.ended_at is not None
        counts = {"processing": 0 if ended else len(batch.requests), "succeeded": 0, "errored": 0, "canceled": 0,
                  "expired": 0}
        for line in batch.results:
            counts[line["result"]["type"]] += 1
        return {
            "id": batch.id,
            "type": "message_batch",
            "processing_status": "ended" if ended else "in_progress",
            "request_counts": counts,
            "ended_at": _rfc3339(batch.ended_at) if batch.ended_at else None,
            "created_at": _rfc3339(batch.created_at),
            "expires_at": _rfc3339(batch.created_at + timedelta(hours=24)),
            "archived_at": None,
            "cancel_initiated_at": None,
            "results_url": f"{self.base_url}{BATCHES_PATH}/{batch.id}/results" if ended else None,
        }

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
            current = getattr(self, "_current", None)
            if current is not None:  # recorded before the reply leaves: a client may look as soon as it has it
                current.status = status
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
            self._send(status, _error_object(status, message), headers)
            return status

        def _record(self, method: str, raw: bytes) -> RecordedRequest:
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                body = {}
            record = RecordedRequest({k.lower(): v for k, v in self.headers.items()}, body, method=method,
                                     path=self.path.split("?")[0], raw=raw)
            with server._lock:
                server.requests.append(record)
            self._current = record
            return record

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            record = self._record("POST", self.rfile.read(length))
            if record.path == BATCHES_PATH:
                record.status = self._create_batch(record)
            else:
                record.status = self._handle(record.body)

        def do_GET(self) -> None:
            record = self._record("GET", b"")
            record.status = self._get_batch(record.path)

        def _auth_problem(self, post: bool) -> int:
            bearer = (self.headers.get("authorization") or "").removeprefix("Bearer ")
            if server.api_key not in (self.headers.get("x-api-key"), bearer):
                return self._error(401, "invalid x-api-key")
            if post and (self.headers.get("content-type") or "").split(";")[0] != "application/json":
                return self._error(400, "content-type: must be application/json")
            if not self.headers.get("anthropic-version"):
                return self._error(400, "anthropic-version: header is required")
            return 0

        def _scripted_error(self) -> int:
            step = server._next_batch_step()
            if "status" in step:
                headers = {"retry-after": str(step["retry_after"])} if "retry_after" in step else {}
                return self._error(int(step["status"]), ERROR_TYPES.get(step["status"], "error"), headers)
            return 0

        def _create_batch(self, record: RecordedRequest) -> int:
            status = self._auth_problem(post=True) or self._scripted_error()
            if status:
                return status
            if len(record.raw) > MAX_BATCH_BYTES:
                return self._error(413, f"request body exceeds {MAX_BATCH_BYTES} bytes")
            problem = batch_create_problem(record.body)
            if problem:
                return self._error(400, problem)
            batch = StoredBatch(f"msgbatch_{uuid.uuid4().hex[:24]}", datetime.now(UTC), record.body["requests"])
            with server._lock:
                server.batches[batch.id] = batch
            self._send(200, server.batch_json(batch))
            return 200

        def _get_batch(self, path: str) -> int:
            match = re.fullmatch(re.escape(BATCHES_PATH) + r"/([A-Za-z0-9_]+)(/results)?", path)
            if match is None:
                return self._error(404, f"no route {path}")
            status = self._auth_problem(post=False) or self._scripted_error()
            if status:
                return status
            batch = server.batches.get(match.group(1))
            if batch is None:
                return self._error(404, f"message batch {match.group(1)} not found")
            if match.group(2) is None:
                batch.polls += 1
                if server.batch_polls_before_end is not None and batch.polls > server.batch_polls_before_end:
                    server._end(batch)
                self._send(200, server.batch_json(batch))
                return 200
            if batch.ended_at is None:
                return self._error(400, f"message batch {batch.id} is still processing; results are not ready")
            lines = "".join(json.dumps(line) + "\n" for line in reversed(batch.results)).encode()
            self._current.status = 200
            self.send_response(200)
            self.send_header("content-type", "application/binary")
            self.send_header("content-length", str(len(lines)))
            self.send_header("request-id", f"req_{uuid.uuid4().hex[:24]}")
            self.end_headers()
            self.wfile.write(lines)
            return 200

        def _handle(self, body: dict[str, Any]) -> int:
            if self.path.split("?")[0] != "/v1/messages":
                return self._error(404, f"no route {self.path}")
            status = self._auth_problem(post=True)
            if status:
                return status
            problem = request_problem(body)
            if problem:
                return self._error(400, problem)
            step = server._next()
            if "status" in step:
                headers = {"retry-after": str(step["retry_after"])} if "retry_after" in step else {}
                return self._error(int(step["status"]), step.get("message", ERROR_TYPES.get(step["status"], "error")),
                                   headers)
            if "delay" in step:
                time.sleep(float(step["delay"]))
            answer = step["answer"] if "answer" in step else server.model_fn(body)
            self._send(200, message_payload(body, answer, server.usage(body, answer)))
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
