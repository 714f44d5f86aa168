"""A minimal faust worker whose consumer drops one fetched record, the way faust-streaming 0.15.3's
`Consumer.getmany` does when flow stops or the generation changes mid-batch (streams/faust_offsets_fix.py).

Run as a process by tests/reliability/test_dropped_records.py:
    python -m tests.support.dropping_worker BOOTSTRAP APP_ID TOPIC OUT_FILE DROP_OFFSET

One agent reads TOPIC (one partition) and appends each record's offset to OUT_FILE. The record at DROP_OFFSET
is dropped once, after aiokafka has fetched it; everything else is the project's own: the faust patches
installed by `streams.app.build_app` and the production stall watchdog (here with a 3 s window).
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from typing import Any

import faust
from faust.transport.consumer import Consumer

from streams import faust_flush_fix, faust_offsets_fix, faust_recovery_fix
from streams.stall_watchdog import StallWatchdog, lag_reader


def main(bootstrap: str, app_id: str, topic: str, out_file: str, drop_offset: int) -> None:
    faust_recovery_fix.install()
    faust_flush_fix.install()
    faust_offsets_fix.install()
    dropped: list[int] = []
    getmany = Consumer.getmany

    async def dropping_getmany(self: Any, timeout: float) -> AsyncIterator[Any]:
        async for tp, message in getmany(self, timeout):
            if tp.topic == topic and message.offset == drop_offset and not dropped:
                dropped.append(message.offset)
                print(f"dropped offset {message.offset}", flush=True)
                continue
            yield tp, message

    Consumer.getmany = dropping_getmany  # type: ignore[method-assign]
    app = faust.App(app_id, broker=f"kafka://{bootstrap}", store="memory://", topic_partitions=1,
                    topic_disable_leader=True, consumer_auto_offset_reset="earliest", web_enabled=False,
                    broker_commit_interval=0.5)
    source = app.topic(topic, key_serializer="raw", value_serializer="raw", partitions=1)

    @app.agent(source)
    async def record(stream: faust.StreamT) -> None:
        async for event in stream.events():
            with open(out_file, "a", encoding="utf-8") as out:
                out.write(f"{event.message.offset}\n")

    watchdog = StallWatchdog(app, lag_reader(bootstrap, app_id), stall_after_s=3.0, interval_s=1.0)

    @app.task
    async def _watchdog() -> None:
        await watchdog.run()

    faust.Worker(app, loglevel="info", quiet=True).execute_from_commandline()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
