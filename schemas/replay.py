"""The mark a backfill replay puts on each event it re-sends, carried through every stage to the sinks.

A replayed event is the same ticket event as the live one (same ids), so without a mark nothing downstream
could tell them apart: the outbound planner would act on a helpdesk again and the ClickHouse sink would
overwrite the live results. The mark travels in the record itself (not in Kafka headers) so it survives
every stage, the dead-letter topic and `ticketstream process`, and so it is visible where it matters.

On the wire the field is left out while it is unset: live messages stay byte-for-byte what they were, and
only replay workers, which run this version, ever read a marked message.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from schemas.base import WireModel

PipelineVersion = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[^\s]+$")]


class ReplayStamp(WireModel):
    """Set by `ticketstream replay` on every event it produces."""

    pipeline_version: PipelineVersion | None = None
    """Results of this event carry this pipeline version instead of the worker's TICKETSTREAM_PIPELINE_VERSION,
    so a replay's results sit next to the live ones in `ticket_event_versions`."""
    outbound: bool = False
    """Whether the outbound planner may act on the helpdesk for this event (`replay --outbound`)."""
    live: bool = False
    """Whether results also go to the live tables (`ticket_events`, `tickets`, rollups), replacing the live
    rows of these events (`replay --live`); otherwise only to `ticket_event_versions`."""
