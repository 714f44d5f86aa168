"""A fix for faust-streaming 0.15.3's table recovery: seek stream partitions *before* resuming them.

faust's `Recovery` resumes the stream partitions and only then seeks them to their committed offsets. The
fetcher already runs at that point (it was started to read the changelogs), so records fetched from the
stream partitions in between reach the agents, and then the seek moves the read offsets back under them.
faust's read-offset and gap bookkeeping (`Consumer._read_offset`, `_gap`) then either drops offsets it has
not delivered (the committed offset stops moving: the partition looks stuck) or counts a skipped range as
acknowledged (an event is committed without having been processed). Seen on a worker restarted with the SLA
tables: one partition of tickets.events stalled, or one event never reached tickets.redacted.

The two methods below are faust's own, with the seek moved before `resume_partitions` so that nothing is
fetched for a stream partition until it sits at its committed offset. `install()` is idempotent and checks
the faust version it was written for.
"""

from __future__ import annotations

from importlib.metadata import version
from typing import Any, cast

from faust.tables.recovery import Recovery

from streams.faust_patching import replace_methods

_installed = False


async def _seek_then_resume(recovery: Any) -> None:
    consumer = recovery.app.consumer
    assignment = consumer.assignment()
    if assignment:
        recovery.log.info("Seek stream partitions to committed offsets (before resuming them).")
        await recovery._wait(consumer.perform_seek(), timeout=recovery.app.conf.broker_request_timeout)
    consumer.resume_partitions({tp for tp in assignment if not recovery._is_changelog_tp(tp)})


async def _resume_streams(self: Any, generation_id: int = 0) -> None:
    app = self.app
    consumer = app.consumer
    await app.on_rebalance_complete.send()
    if app.consumer_generation_id != generation_id:
        self.log.warning("Recovery rebalancing again")
        return
    if consumer.assignment():
        await _seek_then_resume(self)
    else:
        self.log.info("Resuming streams with empty assignment")
    self.completed.set()
    self.log.info("Resuming flow...")
    app.flow_control.resume()
    consumer.resume_flow()
    await cast(Any, app)._fetcher.maybe_start()
    self.tables.on_actives_ready()
    self.tables.on_standbys_ready()
    app.on_rebalance_end()
    self.log.info("Worker ready")


async def _on_recovery_completed(self: Any, generation_id: int = 0) -> None:
    import asyncio

    app = self.app
    consumer = app.consumer
    self.log.info("Restore complete!")
    await app.on_rebalance_complete.send()
    self._set_recovery_ended()
    callbacks = [
        asyncio.ensure_future(table.on_recovery_completed(self.actives_for_table[table],
                                                          self.standbys_for_table[table]))
        for table in self.tables.values()
    ]
    if callbacks:
        await asyncio.wait(callbacks)
    if app.consumer_generation_id != generation_id:
        self.log.warning(f"Recovery rebalancing again app id {app.consumer_generation_id} param {generation_id}")
        return
    await _seek_then_resume(self)
    self.completed.set()
    app.flow_control.resume()
    consumer.resume_flow()
    await cast(Any, app)._fetcher.maybe_start()
    self.tables.on_actives_ready()
    if not app.assignor.assigned_standbys():
        self.tables.on_standbys_ready()
    app.on_rebalance_end()
    self.log.info("Worker ready")


def install() -> None:
    """Replace the two methods on faust's Recovery class (once per process)."""
    global _installed
    if not _installed:
        replace_methods(Recovery, {
            "_resume_streams": _resume_streams,
            "on_recovery_completed": _on_recovery_completed,
        }, found=version("faust-streaming"), fix="streams/faust_recovery_fix.py",
            check="check whether the upstream recovery still resumes before seeking")
        _installed = True
