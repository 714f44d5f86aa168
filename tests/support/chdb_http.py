"""A ClickHouse HTTP endpoint served from chDB, for tests only.

chDB cannot listen on a port and Debian's clickhouse-server is too old for clickhouse-connect, so this
front lets the clickhouse-connect path (`ConnectClient`) run against the real ClickHouse engine. It
speaks as much of ClickHouse's HTTP interface as clickhouse-connect uses:

- GET/POST `/` with the SQL in the `query` parameter and/or the body (the body is appended, as
  ClickHouse does), `database`, `default_format`, `param_<name>` bindings, and any other parameter as
  a setting; `GET /ping`.
- SELECTs answered in the format asked for (clickhouse-connect appends `FORMAT Native`), with the
  `X-ClickHouse-*` headers it reads (Summary, Format, Timezone, Query-Id, Server-Display-Name).
- `INSERT ... FORMAT <fmt>` followed by a newline and the data in the (chunked) body: the data is
  streamed into chDB's insert API, never pasted into SQL.
- Errors as HTTP 500 with `X-ClickHouse-Exception-Code` and a `Code: N. DB::Exception: ...` body.

Every request gets its own chDB connection handle on the shared engine, so `SET` of per-request
settings and `USE` never leak into other requests. No sessions, auth, compression or multipart.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from chdb.state import sqlitelike

from sinks.clickhouse.chdb_client import ChdbClient
from sinks.clickhouse.errors import error_code

# URL parameters that steer the HTTP interface itself rather than being ClickHouse settings.
_CONTROL_PARAMS = frozenset(
    {
        "query",
        "database",
        "default_format",
        "query_id",
        "session_id",
        "session_timeout",
        "session_check",
        "compress",
        "decompress",
        "enable_http_compression",
        "http_zlib_compression_level",
        "wait_end_of_query",
        "send_progress_in_http_headers",
        "http_headers_progress_interval_ms",
        "client_protocol_version",
        "user",
        "password",
        "quota_key",
        "buffer_size",
        "add_http_cors_header",
    }
)
_INSERT_RE = re.compile(rb"^\s*(INSERT\s+INTO\s.*?)\s+FORMAT\s+(\w+)[ \t]*(?:\r?\n|$)", re.I | re.S)
_TRAILING_FORMAT_RE = re.compile(r"\bFORMAT\s+(\w+)\s*;?\s*$", re.I)
_READ_RE = re.compile(r"^\s*(?:--[^\n]*\n\s*)*(SELECT|WITH|SHOW|DESCRIBE|DESC|EXISTS)\b", re.I)  # after comments
_SETTING_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class _HttpError(Exception):
    def __init__(self, message: str, code: int = 0, status: int = 500) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


def _sql_string(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


class _TrackingServer(ThreadingHTTPServer):
    """Remembers open connections so `stop()` can drop keep-alive clients, as a real shutdown does."""

    daemon_threads = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.connections_lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def drop_connections(self) -> None:
        with self.connections_lock:
            for conn in list(self.connections):
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
            self.connections.clear()


class ChdbHttpServer:
    """Serve the chDB engine at `path` on 127.0.0.1:<free port> until `stop()`; `url` is the DSN."""

    def __init__(self, path: str | Path, host: str = "127.0.0.1", port: int = 0) -> None:
        # Holding a client keeps the process's one engine open (and checks the path matches it).
        self._anchor = ChdbClient(path)
        self.path = self._anchor.path
        self.version = str(self._anchor.query("SELECT version()").scalar())
        self.timezone = str(self._anchor.query("SELECT timezone()").scalar())
        self.requests: list[str] = []  # first line of each SQL statement, for debugging tests
        handler = type("Handler", (_Handler,), {"front": self})
        self._server = _TrackingServer((host, port), handler)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> ChdbHttpServer:
        self._thread = threading.Thread(target=self._server.serve_forever, name="chdb-http", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._server.drop_connections()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._anchor.close()

    def __enter__(self) -> ChdbHttpServer:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    # -- execution -------------------------------------------------------------------------------------

    def execute(self, params: dict[str, str], body: bytes) -> tuple[bytes, dict[str, str]]:
        """Run one request; returns the response body and the headers specific to it."""
        sql = params.get("query", "").encode("utf-8")
        if body:
            sql = sql + b"\n" + body if sql else body
        if not sql.strip():
            raise _HttpError("Empty query", code=62, status=400)
        self.requests.append(sql[:200].decode("utf-8", "replace").strip().splitlines()[0])
        conn = sqlitelike.Connection(self.path)
        try:
            self._prepare(conn, params)
            insert = _INSERT_RE.match(sql)
            if insert is not None:
                return self._insert(conn, insert, sql)
            return self._select(conn, sql.decode("utf-8"), params)
        finally:
            conn.close()

    def _prepare(self, conn: Any, params: dict[str, str]) -> None:
        for key, value in params.items():
            if key in _CONTROL_PARAMS or key.startswith("param_"):
                continue
            if not _SETTING_NAME_RE.match(key):
                raise _HttpError(f"Unknown setting {key!r}", code=115, status=400)
            self._run(conn, f"SET {key} = {_sql_string(value)}", "TabSeparated")
        if params.get("database"):
            self._run(conn, f"USE `{params['database'].replace('`', '')}`", "TabSeparated")

    def _run(self, conn: Any, sql: str, fmt: str, bind: dict[str, str] | None = None) -> Any:
        try:
            return conn.query(sql, fmt, params=bind or {})
        except RuntimeError as exc:
            message = str(exc)
            raise _HttpError(message, code=error_code(message) or 1000) from exc

    def _insert(self, conn: Any, match: re.Match[bytes], sql: bytes) -> tuple[bytes, dict[str, str]]:
        statement, fmt, data = match.group(1).decode("utf-8"), match.group(2).decode(), sql[match.end() :]
        try:
            inserter = conn.send_insert(statement, fmt)
            try:
                if data:
                    inserter.append(data)
                result = inserter.finish()
            except BaseException:
                inserter.cancel()
                raise
        except RuntimeError as exc:
            message = str(exc)
            raise _HttpError(message, code=error_code(message) or 1000) from exc
        summary = {
            "read_rows": "0",
            "read_bytes": "0",
            "written_rows": str(result.rows_written),
            "written_bytes": str(result.bytes_written),
            "total_rows_to_read": "0",
            "result_rows": str(result.rows_written),
            "result_bytes": str(result.bytes_written),
            "elapsed_ns": str(int(result.elapsed * 1e9)),
        }
        return b"", {"X-ClickHouse-Summary": json.dumps(summary)}

    def _select(self, conn: Any, sql: str, params: dict[str, str]) -> tuple[bytes, dict[str, str]]:
        trailing = _TRAILING_FORMAT_RE.search(sql)
        fmt = trailing.group(1) if trailing else params.get("default_format", "TabSeparated")
        bind = {key[len("param_") :]: value for key, value in params.items() if key.startswith("param_")}
        result = self._run(conn, sql, fmt, bind)
        data = result.bytes() or b""
        if not data and fmt == "Native" and _READ_RE.match(sql):
            data = self._empty_native_block(conn, sql[: trailing.start()] if trailing else sql, bind)
        summary = {
            "read_rows": str(result.rows_read()),
            "read_bytes": str(result.bytes_read()),
            "written_rows": "0",
            "written_bytes": "0",
            "total_rows_to_read": str(result.rows_read()),
            "result_rows": "0",
            "result_bytes": str(len(data)),
            "elapsed_ns": str(int(result.elapsed() * 1e9)),
        }
        return data, {"X-ClickHouse-Format": fmt, "X-ClickHouse-Summary": json.dumps(summary)}

    def _empty_native_block(self, conn: Any, sql: str, bind: dict[str, str]) -> bytes:
        """chDB writes nothing for an empty Native result; ClickHouse sends the columns with 0 rows."""
        meta = json.loads(self._run(conn, f"{sql}\nFORMAT JSON", "JSON", bind).bytes())["meta"]
        block = bytearray(_varint(len(meta)) + _varint(0))
        for column in meta:
            for text in (column["name"], column["type"]):
                raw = text.encode("utf-8")
                block += _varint(len(raw)) + raw
        return bytes(block)


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


class _Handler(BaseHTTPRequestHandler):
    front: ChdbHttpServer
    protocol_version = "HTTP/1.1"  # keep-alive: clickhouse-connect pools connections
    server_version = "chdb-http"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read failures from responses, not from stderr."""

    def do_GET(self) -> None:
        self._handle(b"")

    def do_POST(self) -> None:
        self._handle(self._read_body())

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size_line = self.rfile.readline()
                size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()  # CRLF after each chunk
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _handle(self, body: bytes) -> None:
        split = urlsplit(self.path)
        if split.path.rstrip("/") == "/ping" or (split.path == "/" and not split.query and not body):
            self._reply(200, b"Ok.\n", {"Content-Type": "text/plain; charset=UTF-8"})
            return
        if split.path not in ("/", ""):
            self._reply(404, b"There is no handle " + split.path.encode() + b"\n", {})
            return
        params = dict(parse_qsl(split.query, keep_blank_values=True))
        content_type = self.headers.get("Content-Type", "")
        if content_type.startswith("application/x-www-form-urlencoded"):
            params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
            body = b""
        elif content_type.startswith("multipart/"):
            self._error(_HttpError("multipart requests are not supported by the chDB test front", 48, 400))
            return
        query_id = params.get("query_id") or str(uuid.uuid4())
        try:
            data, headers = self.front.execute(params, body)
        except _HttpError as exc:
            self._error(exc, query_id)
            return
        headers.update(self._common_headers(query_id))
        headers.setdefault("Content-Type", "application/octet-stream")
        self._reply(200, data, headers)

    def _common_headers(self, query_id: str) -> dict[str, str]:
        return {
            "X-ClickHouse-Query-Id": query_id,
            "X-ClickHouse-Timezone": self.front.timezone,
            "X-ClickHouse-Server-Display-Name": "chdb-http",
        }

    def _error(self, exc: _HttpError, query_id: str = "") -> None:
        message = str(exc).strip()
        if not message.startswith("Code:"):
            message = f"Code: {exc.code}. DB::Exception: {message}"
        text = f"{message} (version {self.front.version})\n".encode()
        headers = {"X-ClickHouse-Exception-Code": str(exc.code), "Content-Type": "text/plain; charset=UTF-8"}
        if query_id:
            headers.update(self._common_headers(query_id))
        self._reply(exc.status, text, headers)

    def _reply(self, status: int, data: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


_SHARED_DIR: Path | None = None
_SHARED_LOCK = threading.Lock()


def shared_chdb_dir(base: Path) -> Path:
    """The one chDB data directory of this test process, created under `base` on first use.

    chDB hosts one engine per process, bound to one directory, so every test in a pytest run must
    use the same directory and keep apart by database name. Pass `tmp_path_factory.getbasetemp()`.
    """
    global _SHARED_DIR
    with _SHARED_LOCK:
        if _SHARED_DIR is None:
            _SHARED_DIR = base / "chdb-shared"
            _SHARED_DIR.mkdir(parents=True, exist_ok=True)
        return _SHARED_DIR
