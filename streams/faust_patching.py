"""The one way this project replaces methods of faust-streaming classes (streams/faust_*_fix.py).

Each fix is written against one faust version's code; on another version it refuses to load rather than
patch code it was not read against, and says what to check in the new version.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

FAUST_VERSION = "0.15.3"


def replace_methods(owner: type, methods: Mapping[str, Callable[..., Any]], *, found: str, fix: str,
                    check: str) -> None:
    """Set `methods` on `owner` when `found` (the installed faust version) is the one the fix was written for."""
    if found != FAUST_VERSION:
        raise RuntimeError(f"{fix} was written for faust-streaming {FAUST_VERSION}, found {found}: {check}")
    for name, function in methods.items():
        setattr(owner, name, function)
