"""Webhook authentication: HMAC signatures compared in constant time, timestamp windows, replay detection.

Every check raises `Rejected` with the HTTP status to answer and a reason that names the header or field,
never its value.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
import time
from collections import OrderedDict
from datetime import datetime


class Rejected(Exception):
    """A webhook request refused before anything is produced."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def hmac_digest(secret: str, message: bytes, algo: str = "sha256") -> bytes:
    return hmac.new(secret.encode("utf-8"), message, getattr(hashlib, algo)).digest()


def verify_base64(secret: str, message: bytes, signature: str | None, header: str) -> None:
    """base64(HMAC-SHA256(secret, message)) as Zendesk sends it."""
    if not signature:
        raise Rejected(401, f"missing {header}")
    expected = base64.b64encode(hmac_digest(secret, message)).decode("ascii")
    if not hmac.compare_digest(expected.encode(), signature.strip().encode()):
        raise Rejected(401, f"bad signature in {header}")


def verify_hex(secret: str, message: bytes, signature: str | None, header: str, algo: str = "sha256",
               prefix: str = "") -> None:
    """Hex HMAC, optionally with a `sha1=` / `sha256=` prefix (Intercom, Jira, Mailgun)."""
    if not signature:
        raise Rejected(401, f"missing {header}")
    expected = prefix + hmac_digest(secret, message, algo).hex()
    if not hmac.compare_digest(expected.encode(), signature.strip().lower().encode()):
        raise Rejected(401, f"bad signature in {header}")


def verify_shared_token(expected: str, given: str | None, where: str) -> None:
    """A shared secret in a header or in basic auth, for helpdesks that do not sign their requests."""
    if not given:
        raise Rejected(401, f"missing {where}")
    if not hmac.compare_digest(expected.encode(), given.encode()):
        raise Rejected(401, f"bad credentials in {where}")


def basic_auth_password(authorization: str | None) -> str | None:
    """The password of an `Authorization: Basic` header (SendGrid / Postmark URLs with user:pass@)."""
    if not authorization or not authorization.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    return decoded.split(":", 1)[1] if ":" in decoded else None


def parse_timestamp(value: str | None, header: str) -> float:
    """Unix seconds, unix milliseconds or ISO 8601 (Zendesk sends `2024-04-17T17:18:10Z`)."""
    if not value:
        raise Rejected(401, f"missing {header}")
    text = value.strip()
    try:
        number = float(text)
        return number / 1000.0 if number > 1e11 else number
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError as exc:
        raise Rejected(400, f"{header} is not a timestamp") from exc


def check_window(ts: float, tolerance_s: float, header: str, now: float | None = None) -> None:
    now = time.time() if now is None else now
    if abs(now - ts) > tolerance_s:
        raise Rejected(401, f"{header} is outside the accepted window of {tolerance_s:.0f}s (replay or clock skew)")


class ReplayGuard:
    """Remembers accepted request fingerprints for the timestamp window; a second use is a replay.

    In memory per process: the window bounds its size, and a replay that reaches another replica produces
    an event with the same deterministic event id, which the pipeline deduplicates.
    """

    def __init__(self, ttl_s: float, max_entries: int = 200_000) -> None:
        self._ttl = ttl_s
        self._max = max_entries
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def _expire(self, now: float) -> None:
        while self._seen:
            _key, at = next(iter(self._seen.items()))
            if now - at <= self._ttl and len(self._seen) <= self._max:
                break
            self._seen.popitem(last=False)

    def check(self, fingerprint: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            self._expire(now)
            if fingerprint in self._seen:
                raise Rejected(409, "replayed request: this signed delivery was already accepted")

    def remember(self, fingerprint: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            self._seen[fingerprint] = now
            self._expire(now)
