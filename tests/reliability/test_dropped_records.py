"""A record faust fetched and dropped is processed after all, and never committed unprocessed.

faust-streaming 0.15.3 drops the rest of a fetched batch when flow stops or the generation changes, after
aiokafka's position has moved on; it then booked the jump as a transaction "gap" and committed past the
dropped record (streams/faust_offsets_fix.py). Here a real worker process on the real broker drops one
record exactly that way (tests/support/dropping_worker.py); the patches hold the commit in front of it and
the production stall watchdog re-reads it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from confluent_kafka import Producer

from streams.lag import group_progress
from tests.broker import KafkaAdmin

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
N = 60
DROP = 17


def test_a_dropped_record_is_re_read_and_the_commit_never_passes_it(kafka_bootstrap: str,
                                                                    kafka_admin: KafkaAdmin,
                                                                    tmp_path: Path) -> None:
    topic, app_id = f"drop-{uuid.uuid4().hex[:8]}", f"drop-{uuid.uuid4().hex[:8]}"
    kafka_admin.create_topics({topic: 1})
    producer = Producer({"bootstrap.servers": kafka_bootstrap, "enable.idempotence": True})
    for i in range(N):
        producer.produce(topic, key=str(i).encode(), value=str(i).encode())
    assert producer.flush(30) == 0
    out, log = tmp_path / "processed.txt", tmp_path / "worker.log"
    with open(log, "ab") as sink:
        worker = subprocess.Popen([sys.executable, "-m", "tests.support.dropping_worker", kafka_bootstrap, app_id,
                                   topic, str(out), str(DROP)], stdout=sink, stderr=subprocess.STDOUT, cwd=REPO,
                                  env=dict(os.environ))
    try:
        deadline = time.monotonic() + 180
        committed = 0
        while committed < N:
            assert worker.poll() is None, f"worker died: {log.read_text()[-3000:]}"
            assert time.monotonic() < deadline, f"committed {committed} of {N}: {log.read_text()[-3000:]}"
            processed = {int(x) for x in out.read_text().split()} if out.exists() else set()
            progress = group_progress(kafka_bootstrap, app_id, [topic])
            committed = progress[topic].committed if progress and topic in progress else 0
            # the invariant at every moment: nothing at or after the dropped record is committed before it ran
            assert committed <= DROP or DROP in processed, f"committed {committed} past unprocessed offset {DROP}"
            time.sleep(0.5)
    finally:
        worker.terminate()
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
    text = log.read_text()
    assert f"dropped offset {DROP}" in text  # the fault really happened
    assert "fetched but not delivered" in text and "remedy for" in text  # seen as a gap, re-read by the watchdog
    assert {int(x) for x in out.read_text().split()} == set(range(N))
