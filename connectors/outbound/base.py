"""What every helpdesk writer implements: apply one OutboundAction, idempotently where the API allows it."""

from __future__ import annotations

from typing import Protocol

from schemas import OutboundAction

NOTE_MARKER = "[ticketstream:{action_id}]"
"""Appended to internal notes so a writer can see that a note was already posted (after a crash)."""


class Unsupported(Exception):
    """The helpdesk has no equivalent of this action; the writer records it and moves on."""


class ActionWriter(Protocol):
    target: str

    def apply(self, action: OutboundAction) -> str:
        """Apply the action; returns a short description of the effect (ids and labels only)."""
        ...

    def close(self) -> None: ...


def note_text(action: OutboundAction) -> str:
    return f"{action.note or ''}\n\n{NOTE_MARKER.format(action_id=action.action_id)}"
