"""The worker (and other CLI processes) as separate OS processes, for fault tests and the load benchmark.

Fault tests kill, pause and restart processes, so every helper here owns the processes it starts and can
always be stopped (`stop()` is safe to call twice). Draining waits on the consumer group's progress and
fails only when nothing moved for `stall_s` seconds: on a loaded machine a fixed timeout would either be
too short or hide a stuck partition.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from confluent_kafka import Consumer, Producer, TopicPartition

from schemas import TicketEvent
from streams.lag import TopicProgress, group_progress

REPO = Path(__file__).resolve().parents[2]
READY_MARKER = b"Worker]: Ready"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def worker_env(bootstrap: str, home: Path, prefix: str, app_id: str, **extra: str) -> dict[str, str]:
    """Environment of a worker on its own topics, group, home and web port; `extra` adds settings.

    Creates `home`: the worker does not (faust's datadir mkdir fails on a missing parent)."""
    home.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, KAFKA_BOOTSTRAP_SERVERS=bootstrap, TICKETSTREAM_HOME=str(home),
               TICKETSTREAM_TOPIC_PREFIX=prefix, TICKETSTREAM_APP_ID=app_id,
               TICKETSTREAM_WEB_PORT=str(free_port()), TICKETSTREAM_PARTITIONS="4",
               TICKETSTREAM_LOG_FORMAT="text")
    env.pop("CLICKHOUSE_URL", None)
    env.update(extra)
    return env


@dataclass
class ManagedProcess:
    """One `python -m streams.cli ...` process with its output in `log`."""

    args: list[str]
    env: dict[str, str]
    log: Path
    proc: subprocess.Popen[bytes] | None = None
    peak_rss_kib: int = 0
    starts: int = 0
    _log_offset: int = 0

    def start(self) -> ManagedProcess:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log, "ab") as out:
            out.write(f"\n==== start #{self.starts + 1}: {' '.join(self.args)}\n".encode())
            out.flush()
            self.proc = subprocess.Popen([sys.executable, "-m", "streams.cli", *self.args], env=self.env,
                                         stdout=out, stderr=subprocess.STDOUT, cwd=REPO)
        self.starts += 1
        self._log_offset = self.log.stat().st_size
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None, "not started"
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def sample_rss(self) -> int:
        """Peak resident memory (VmHWM, KiB) of the process so far; remembered across calls and restarts."""
        if self.alive():
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        self.peak_rss_kib = max(self.peak_rss_kib, int(line.split()[1]))
        return self.peak_rss_kib

    def wait_ready(self, timeout: float = 600.0) -> float:
        """Seconds until this start logged faust's ready line; raises with the log tail if it died."""
        started = time.monotonic()
        while True:
            with open(self.log, "rb") as handle:
                handle.seek(self._log_offset)
                if READY_MARKER in handle.read():
                    return time.monotonic() - started
            if not self.alive():
                raise RuntimeError(f"{self.args} exited before it was ready:\n{self.tail()}")
            if time.monotonic() - started > timeout:
                raise TimeoutError(f"{self.args} not ready after {timeout:.0f}s:\n{self.tail()}")
            time.sleep(0.2)

    def kill9(self) -> None:
        """SIGKILL: no shutdown, no commit, no flush: the crash an at-least-once pipeline must survive."""
        if self.alive():
            self.sample_rss()
            assert self.proc is not None
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(30)

    def stop(self, timeout: float = 90.0) -> int | None:
        """SIGTERM, then SIGKILL after `timeout`; returns the exit code (None when never started)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.sample_rss()
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(30)
        return self.proc.returncode

    def tail(self, chars: int = 4000) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return "(no log)"


def start_worker(env: dict[str, str], log: Path) -> ManagedProcess:
    return ManagedProcess(["worker"], env, log).start()


@dataclass
class DrainReport:
    seconds: float
    """Until the first check of the final zero-lag streak: when the work was done."""
    checks: int
    history: list[tuple[float, int]] = field(default_factory=list)
    """(seconds since start, committed messages on the watched topics) per check."""


def drain(bootstrap: str, group: str, topics: list[str], *, stall_s: float = 240.0, interval: float = 1.0,
          alive: Callable[[], bool] | None = None, on_check: Callable[[float, int, int], None] | None = None,
          stable_checks: int = 3) -> DrainReport:
    """Wait until `group` has no lag on `topics` for `stable_checks` checks in a row.

    Fails when the committed offsets did not move for `stall_s` seconds while lag remained, or when
    `alive()` says the process doing the work has died. `on_check(elapsed, committed, lag)` sees every
    check (progress output, kill points)."""
    start = time.monotonic()
    last_committed, last_move = -1, start
    zero_in_a_row, checks, first_zero = 0, 0, 0.0
    report = DrainReport(0.0, 0)
    while True:
        progress: dict[str, TopicProgress] | None = None
        with contextlib.suppress(Exception):  # a broker restarting: unknown for now, the stall clock runs
            progress = group_progress(bootstrap, group, topics, timeout=5.0)
        now = time.monotonic()
        checks += 1
        if progress is not None:
            committed = sum(p.committed for p in progress.values())
            lag = sum(p.lag for p in progress.values())
            report.history.append((now - start, committed))
            if on_check is not None:
                on_check(now - start, committed, lag)
            if committed != last_committed:
                last_committed, last_move = committed, now
            if lag == 0:
                if zero_in_a_row == 0:
                    first_zero = now - start
                zero_in_a_row += 1
                if zero_in_a_row >= stable_checks:
                    report.seconds, report.checks = first_zero, checks
                    return report
            else:
                zero_in_a_row = 0
        if alive is not None and not alive():
            raise RuntimeError(f"the worker died while {group} was draining")
        if now - last_move > stall_s:
            raise TimeoutError(f"consumer group {group}: no progress for {stall_s:.0f}s "
                               f"(committed {last_committed})")
        time.sleep(interval)


def wait_committed(bootstrap: str, group: str, topic: str, target: int, *, stall_s: float = 240.0,
                   alive: Callable[[], bool] | None = None) -> int:
    """Wait until `group` committed at least `target` messages of `topic` (a kill point); returns the count."""
    last, last_move = -1, time.monotonic()
    while True:
        progress = None
        with contextlib.suppress(Exception):
            progress = group_progress(bootstrap, group, [topic], timeout=5.0)
        committed = progress[topic].committed if progress and topic in progress else 0
        if committed >= target:
            return committed
        if committed != last:
            last, last_move = committed, time.monotonic()
        if alive is not None and not alive():
            raise RuntimeError(f"the worker died before {group} committed {target} messages of {topic}")
        if time.monotonic() - last_move > stall_s:
            raise TimeoutError(f"{group} stuck at {committed} committed messages of {topic} for {stall_s:.0f}s")
        time.sleep(0.5)


def topic_size(bootstrap: str, topic: str) -> int:
    """Messages on `topic` (sum of end minus start offsets over its partitions)."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"size-{uuid.uuid4()}"})
    try:
        parts = consumer.list_topics(topic, timeout=10).topics[topic].partitions
        total = 0
        for p in parts:
            low, high = consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)
            total += high - low
        return total
    finally:
        consumer.close()


def produce(bootstrap: str, topic: str, events: Iterable[TicketEvent],
            on_each: Callable[[int], None] | None = None) -> int:
    """Produce events keyed `tenant_id:ticket_id` with an idempotent producer; returns the count."""
    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True, "linger.ms": 20})
    n = 0
    for event in events:
        while True:
            try:
                producer.produce(topic, key=event.key.encode(), value=event.to_json_bytes())
                break
            except BufferError:
                producer.poll(0.5)
        n += 1
        producer.poll(0)
        if on_each is not None:
            on_each(n)
    remaining = producer.flush(120)
    if remaining:
        raise RuntimeError(f"{remaining} messages to {topic} were not delivered")
    return n


def consume_all(bootstrap: str, topic: str, idle_s: float = 5.0, first_wait_s: float = 30.0
                ) -> list[tuple[bytes | None, bytes]]:
    """Every message on `topic` from the beginning: stops after `idle_s` without a message."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"check-{uuid.uuid4()}",
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    consumer.subscribe([topic])
    out: list[tuple[bytes | None, bytes]] = []
    last = time.monotonic()
    try:
        while time.monotonic() - last < (idle_s if out else first_wait_s):
            msg = consumer.poll(1.0)
            if msg is None or msg.error():
                continue
            last = time.monotonic()
            out.append((msg.key(), msg.value() or b""))
    finally:
        consumer.close()
    return out


def cli_query(env: Mapping[str, str], sql: str, timeout: float = 600.0) -> list[dict[str, Any]]:
    """Rows of `ticketstream query SQL --format json`, run as its own process (it opens the worker's chDB)."""
    done = subprocess.run([sys.executable, "-m", "streams.cli", "query", sql, "--format", "json"], env=dict(env),
                          capture_output=True, timeout=timeout, cwd=REPO)
    if done.returncode != 0:
        raise RuntimeError(f"query failed ({done.returncode}): {done.stderr.decode(errors='replace')[-2000:]}")
    return [json.loads(line) for line in done.stdout.decode().splitlines() if line.strip()]


def exactly_once_report(rows: list[dict[str, Any]], expected: set[str]) -> dict[str, Any]:
    """From `SELECT event_id, count() AS n FROM ... FINAL GROUP BY event_id`: what is missing, extra, doubled."""
    counts = {str(r["event_id"]): int(r["n"]) for r in rows}
    return {
        "expected": len(expected),
        "distinct": len(counts),
        "rows": sum(counts.values()),
        "missing": sorted(expected - counts.keys())[:20],
        "unexpected": sorted(counts.keys() - expected)[:20],
        "doubled": sorted(k for k, n in counts.items() if n != 1)[:20],
    }
