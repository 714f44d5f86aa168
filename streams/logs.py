"""JSON log lines with the ticket's ids, and a filter that masks PII as a last line of defence.

Code logs ids, never text: `log.info("classified", extra={"tenant_id": t, "ticket_id": i, "event_id": e,
"stage": "classify"})`. Should ticket text slip into a message or an exception anyway, `PiiMaskingFilter`
masks what looks like an e-mail address, a phone number, a payment card (Luhn) or an IBAN (checksum), and
`JsonFormatter` drops extras whose names say they hold content (`text`, `body`, `subject`, ...).
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import IO, Any

TICKET_FIELDS = ("tenant_id", "ticket_id", "event_id", "stage")
"""Context every line about a ticket carries (null when a line is not about one)."""

CONTENT_KEYS = frozenset({
    "text", "body", "subject", "description", "content", "comment", "comments", "message_text", "payload",
    "raw", "email", "phone", "name", "requester", "address", "prompt", "completion", "note", "html",
})
"""`extra=` keys that would carry ticket content: dropped from the line, whatever their value."""

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_RECORD_ATTRS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_CARD = re.compile(r"(?<![\w.-])\d(?:[ -]?\d){12,18}(?![\w-])")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b")
# International (+CC ...), North-American ((415) 555-2671, 415-555-2671, 415.555.2671) and European
# national (030 1234567, 0171-123 4567) shapes. Timestamps, dates, offsets and ids do not fit them.
_PHONE = re.compile(
    r"(?<![\w+])(?:"
    r"\+\d{1,3}(?:[ .-]?\(?\d{1,5}\)?){1,5}(?:[ .-]?\d{2,5})"
    r"|\(\d{3}\)[ .-]?\d{3}[ .-]\d{4}"
    r"|\d{3}[.-]\d{3}[.-]\d{4}"
    r"|0\d{2,4}[ /-]\d{3,4}[ -]?\d{2,5}"
    r")(?![\w-])"
)


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _iban_ok(candidate: str) -> bool:
    s = candidate.replace(" ", "")
    if not 15 <= len(s) <= 34:
        return False
    moved = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def _mask_card(m: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", m.group(0))
    return "<CARD>" if 13 <= len(digits) <= 19 and _luhn_ok(digits) else m.group(0)


def _mask_iban(m: re.Match[str]) -> str:
    return "<IBAN>" if _iban_ok(m.group(0)) else m.group(0)


def _mask_phone(m: re.Match[str]) -> str:
    digits = sum(c.isdigit() for c in m.group(0))
    return "<PHONE>" if 7 <= digits <= 15 else m.group(0)


def mask_pii(text: str) -> str:
    """`text` with e-mail addresses, payment cards, IBANs and phone numbers replaced by placeholders."""
    if not text:
        return text
    text = _EMAIL.sub("<EMAIL>", text)
    text = _IBAN.sub(_mask_iban, text)
    text = _CARD.sub(_mask_card, text)
    return _PHONE.sub(_mask_phone, text)


class PiiMaskingFilter(logging.Filter):
    """Masks PII in a record's message (arguments merged in first), its string extras and its exception.

    Attach it to handlers, not loggers, so it also covers records of libraries (faust, aiokafka, httpx).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep the template, lose the arguments
            message = str(record.msg)
        record.msg, record.args = mask_pii(message), None
        for key, value in list(vars(record).items()):
            if key not in _RECORD_ATTRS and isinstance(value, str):
                setattr(record, key, mask_pii(value))
        if record.exc_info and record.exc_info[1] is not None:
            # Another handler may have cached the unmasked traceback in exc_text already: always redo it.
            record.exc_text = mask_pii(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = mask_pii(record.exc_text)
        return True


def _json_safe(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return mask_pii(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return [_json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): ("[dropped]" if str(k).lower() in CONTENT_KEYS else _json_safe(v)) for k, v in value.items()}
    return mask_pii(str(value))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the ticket fields, then other extras."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": mask_pii(record.getMessage()),
        }
        for name in TICKET_FIELDS:
            line[name] = _json_safe(getattr(record, name, None))
        for key, value in vars(record).items():
            if key in _RECORD_ATTRS or key in line or key.startswith("_"):
                continue
            line[key] = "[dropped]" if key.lower() in CONTENT_KEYS else _json_safe(value)
        if record.exc_info and record.exc_info[1] is not None:
            line["error_type"] = line.get("error_type") or type(record.exc_info[1]).__name__
            line["exception"] = mask_pii(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """Human-readable lines for a terminal, still with the ticket ids when a line has them."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        base = super().format(record)
        ids = " ".join(f"{n}={getattr(record, n)}" for n in TICKET_FIELDS if getattr(record, n, None) is not None)
        return f"{base} [{ids}]" if ids else base


_HANDLER_MARK = "_ticketstream_handler"


PAYLOAD_LOGGERS = ("faust", "aiokafka", "kafka", "mode", "anthropic", "openai", "httpx", "httpcore", "urllib3")
"""Libraries whose DEBUG records carry message values or request bodies (faust's "send: ... v=b'...'", aiokafka's
"Sending (key=... value=...)", the LLM SDKs' request options), i.e. ticket text before or after redaction.
They stay at INFO even when TICKETSTREAM_LOG_LEVEL=debug: the masking filter knows patterns, not names."""


def _cap_payload_loggers(level: str | int) -> None:
    numeric = logging.getLevelName(level.upper()) if isinstance(level, str) else level
    for name in PAYLOAD_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.INFO, numeric if isinstance(numeric, int) else logging.INFO))


def configure_logging(level: str | int = "info", json: bool = True, stream: IO[str] | None = None) -> logging.Handler:
    """Route the root logger to one handler on `stream` (stderr): JSON lines or text, PII masked either way.

    Idempotent: a handler installed by an earlier call is replaced, other handlers are left alone.
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _HANDLER_MARK, False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    handler.setFormatter(JsonFormatter() if json else TextFormatter())
    handler.addFilter(PiiMaskingFilter())
    setattr(handler, _HANDLER_MARK, True)
    root.addHandler(handler)
    root.setLevel(level.upper() if isinstance(level, str) else level)
    _cap_payload_loggers(level)
    return handler


def logging_dict_config(level: str = "info", json: bool = True) -> dict[str, Any]:
    """The same setup as a `logging.config.dictConfig` mapping, for faust's `Worker(logging_config=...)`.

    faust's worker clears the root handlers when it starts and applies this mapping instead.
    """
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"pii": {"()": PiiMaskingFilter}},
        "formatters": {"default": {"()": JsonFormatter if json else TextFormatter}},
        "handlers": {"default": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr",
                                 "formatter": "default", "filters": ["pii"]}},
        "root": {"level": level.upper(), "handlers": ["default"]},
        "loggers": {name: {"level": max(logging.INFO, logging.getLevelName(level.upper()))}
                    for name in PAYLOAD_LOGGERS},
    }
