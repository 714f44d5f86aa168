"""HTTP calls to helpdesk APIs with errors classified for the writer: transient (retry) or permanent (DLQ)."""

from __future__ import annotations

from typing import Any

import httpx

from connectors.outbound.resilience import retry_after_seconds


class HelpdeskError(Exception):
    """A failed helpdesk call; `permanent` ones are not retried, `rate_limited` ones do not trip the breaker."""

    def __init__(self, message: str, *, status: int | None = None, permanent: bool = False,
                 retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.permanent = permanent
        self.retry_after = retry_after

    @property
    def rate_limited(self) -> bool:
        return self.status == 429


def call(client: httpx.Client, method: str, url: str, what: str, **kwargs: Any) -> httpx.Response:
    """One request; raises HelpdeskError naming `what` and the status (never the body: it may hold PII)."""
    try:
        response = client.request(method, url, **kwargs)
    except httpx.TimeoutException as exc:
        raise HelpdeskError(f"{what}: timeout") from exc
    except httpx.TransportError as exc:
        raise HelpdeskError(f"{what}: {type(exc).__name__}") from exc
    status = response.status_code
    if status < 300:
        return response
    retry_after = retry_after_seconds(response.headers.get("retry-after"))
    if status == 429 or status >= 500 or status == 408:
        raise HelpdeskError(f"{what}: HTTP {status}", status=status, retry_after=retry_after)
    raise HelpdeskError(f"{what}: HTTP {status}", status=status, permanent=True)
