"""Exception types of the ClickHouse sink.

The stream retries `ClickHouseUnavailable` with backoff (the server or the engine is down or overloaded)
and treats any other `ClickHouseError` as permanent for the batch (bad data, bad SQL, schema mismatch).
"""

from __future__ import annotations

import re

_CODE_RE = re.compile(r"Code:\s*(\d+)")

# ClickHouse error codes that say "try again later", not "this data or query is wrong".
TRANSIENT_CODES = frozenset(
    {
        159,  # TIMEOUT_EXCEEDED
        164,  # READONLY (e.g. replica in read-only mode during restart)
        202,  # TOO_MANY_SIMULTANEOUS_QUERIES
        209,  # SOCKET_TIMEOUT
        210,  # NETWORK_ERROR
        241,  # MEMORY_LIMIT_EXCEEDED
        242,  # TABLE_IS_READ_ONLY
        252,  # TOO_MANY_PARTS
        279,  # ALL_CONNECTION_TRIES_FAILED
        319,  # UNKNOWN_STATUS_OF_INSERT
        425,  # SYSTEM_ERROR
        999,  # KEEPER_EXCEPTION
    }
)


class ClickHouseError(Exception):
    """Base class; `code` is the ClickHouse error code when the engine reported one."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


class ClickHouseUnavailable(ClickHouseError):
    """Transient: connection refused, timeout, overload. Retry the same batch later."""


class ClickHouseQueryError(ClickHouseError):
    """Permanent: the engine rejected the statement or the data. Retrying the same batch will fail again."""


class MigrationError(ClickHouseError):
    """A migration could not be applied, or an applied one was changed afterwards."""


def error_code(message: str) -> int | None:
    """The `Code: N` of a ClickHouse error text, if any."""
    match = _CODE_RE.search(message)
    return int(match.group(1)) if match else None


def classify(message: str, code: int | None = None) -> ClickHouseError:
    """Build the right exception type for an engine error text."""
    code = code if code is not None else error_code(message)
    if code in TRANSIENT_CODES:
        return ClickHouseUnavailable(message, code)
    return ClickHouseQueryError(message, code)
