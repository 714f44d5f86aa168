"""Load test: N demo tickets through one worker and through two workers on a 4-partition topic.

    .venv/bin/python benchmarks/load_test.py                       # 100,000 tickets, 1 and 2 workers
    .venv/bin/python benchmarks/load_test.py --tickets 10000       # what a shared 2-core machine finishes
    .venv/bin/python benchmarks/load_test.py --tickets 20000 --workers 1 --fault kill9
    .venv/bin/python benchmarks/load_test.py --tickets 2000 --workers 1 --rate 20   # latency when it keeps up

Per run: the workers start (and are ready) first, then a producer thread puts the tickets on the events
topic (as fast as it can, or `--rate` per second) with each event's `occurred_at` set to the moment it
is produced, so `inserted_at - occurred_at` in ClickHouse is the end-to-end latency (time in the backlog
included). The run ends when the consumer group has no lag left. Reported: throughput (tickets / seconds
from first produce to drained), latency p50/p95/p99/max (first insert of each event), the peak RSS
(VmHWM) of each worker, and the exactly-once check: every produced event_id exactly once under FINAL, none
missing, nothing else, no dead letters. `--fault kill9` kills worker 0 with SIGKILL once a third of
the tickets has reached the sink, restarts it, and checks the same.

Kafka: KAFKA_BOOTSTRAP_SERVERS, else a local broker in a temporary home. ClickHouse: CLICKHOUSE_URL, else
chDB served over HTTP from this process (tests/support/chdb_http.py), because two workers cannot share
one embedded chDB directory; both modes use the same sink path so their figures compare.
Writes benchmarks/results/load_test.json: one entry per `--fault` mode (and `--rate`), with each run's
figures and the exact command.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from connectors.demo import DemoFeed  # noqa: E402
from streams.kafka_local import LocalKafka  # noqa: E402
from streams.settings import Settings  # noqa: E402
from streams.topics import TopicNames, ensure_topics  # noqa: E402
from tests.support.worker_process import (  # noqa: E402
    ManagedProcess,
    drain,
    free_port,
    produce,
    start_worker,
    topic_size,
    worker_env,
)


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Producing(threading.Thread):
    """Produces the demo feed with `occurred_at` = now; remembers every event id."""

    def __init__(self, bootstrap: str, topic: str, n: int, rate: float, seed: int) -> None:
        super().__init__(name="producer", daemon=True)
        self.bootstrap, self.topic, self.n, self.rate, self.seed = bootstrap, topic, n, rate, seed
        self.event_ids: set[str] = set()
        self.produced = 0
        self.started_at = 0.0
        self.finished_at = 0.0
        self.error: BaseException | None = None

    def events(self) -> Any:
        feed = DemoFeed(seed=self.seed)
        for i in range(self.n):
            if self.rate > 0:
                due = self.started_at + i / self.rate
                if (wait := due - time.monotonic()) > 0:
                    time.sleep(wait)
            event = feed.next().event
            event = event.model_copy(update={"occurred_at": datetime.now(UTC)})
            self.event_ids.add(event.event_id)
            yield event

    def run(self) -> None:
        self.started_at = time.monotonic()
        try:
            produce(self.bootstrap, self.topic, self.events(), on_each=self._count)
        except BaseException as exc:  # reported by the main thread
            self.error = exc
        self.finished_at = time.monotonic()

    def _count(self, n: int) -> None:
        self.produced = n


def clickhouse_endpoint(tmp: Path) -> tuple[str, Any]:
    """CLICKHOUSE_URL, or chDB behind the tests' HTTP front (returned so it can be stopped)."""
    url = os.environ.get("CLICKHOUSE_URL")
    if url:
        return url, None
    from tests.support.chdb_http import ChdbHttpServer

    front = ChdbHttpServer(tmp / "chdb").start()
    return front.url, front


def check_clickhouse(url: str, database: str, expected: set[str]) -> dict[str, Any]:
    from sinks.clickhouse.connect_client import ConnectClient

    client = ConnectClient(url)
    try:
        table = f"{database}.ticket_events"
        raw_rows = int(client.query(f"SELECT count() FROM {table}").scalar())
        per_event = client.query(f"SELECT event_id, count() FROM {table} FINAL GROUP BY event_id").rows
        counts = {str(e): int(n) for e, n in per_event}
        lat = client.query(
            "SELECT quantiles(0.5, 0.95, 0.99)(ms), max(ms), avg(ms) FROM (SELECT event_id, "
            "dateDiff('millisecond', any(occurred_at), min(inserted_at)) AS ms "
            f"FROM {table} GROUP BY event_id)").rows[0]
        dead = int(client.query(f"SELECT count() FROM {database}.dead_letters").scalar())
    finally:
        client.close()
    missing = expected - counts.keys()
    return {
        "final_rows": sum(counts.values()), "final_distinct_event_ids": len(counts),
        "raw_rows_before_merge": raw_rows, "missing": len(missing), "missing_examples": sorted(missing)[:10],
        "unexpected": len(counts.keys() - expected),
        "duplicated_under_final": sum(1 for n in counts.values() if n != 1),
        "dead_letter_rows": dead,
        "latency_ms": {"p50": round(float(lat[0][0])), "p95": round(float(lat[0][1])),
                       "p99": round(float(lat[0][2])), "max": int(lat[1]), "mean": round(float(lat[2]))},
    }


def run_once(args: argparse.Namespace, bootstrap: str, ch_url: str, workers: int, tmp: Path) -> dict[str, Any]:
    tag = uuid.uuid4().hex[:6]
    app_id, prefix, database = f"load-{tag}", f"load-{tag}.", f"load_{tag}"
    settings = Settings(home=tmp / tag, topic_prefix=prefix, app_id=app_id, partitions=args.partitions,
                        kafka_bootstrap_servers=bootstrap)
    topics = TopicNames.from_settings(settings)
    ensure_topics(bootstrap, settings)
    procs: list[ManagedProcess] = []
    say(f"run {tag}: {args.tickets} tickets, {workers} worker(s), {args.partitions} partitions, "
        f"fault={args.fault}")
    try:
        for i in range(workers):
            env = worker_env(bootstrap, tmp / tag / f"w{i}", prefix, app_id, CLICKHOUSE_URL=ch_url,
                             TICKETSTREAM_CLICKHOUSE_DATABASE=database, TICKETSTREAM_PARTITIONS=str(args.partitions),
                             TICKETSTREAM_LOG_LEVEL="info")  # the ready line is logged at info
            procs.append(start_worker(env, tmp / tag / f"worker{i}.log"))
        startup = [round(p.wait_ready(), 1) for p in procs]
        say(f"workers ready after {startup} s")
        producer = Producing(bootstrap, topics.events, args.tickets, args.rate, args.seed)
        producer.start()
        state = {"killed": False, "last_print": 0.0}
        watched = [topics.events, topics.redacted, topics.language, topics.classified, topics.enriched,
                   topics.deadletter]

        def on_check(elapsed: float, committed: int, lag: int) -> None:
            for p in procs:
                p.sample_rss()
            if producer.error is not None:
                raise RuntimeError(f"producer failed: {producer.error}")
            if elapsed - state["last_print"] >= args.progress_s:
                state["last_print"] = elapsed
                rss = "/".join(f"{p.peak_rss_kib // 1024}" for p in procs)
                say(f"  {elapsed:6.0f}s produced {producer.produced}/{args.tickets}, committed {committed} "
                    f"of {committed + lag} on the pipeline topics, lag {lag}, peak RSS {rss} MiB")
            if args.fault == "kill9" and not state["killed"]:
                from streams.lag import group_progress

                progress = group_progress(bootstrap, app_id, [topics.enriched])
                if progress and progress[topics.enriched].committed >= args.tickets // 3:
                    state["killed"] = True
                    say(f"  kill -9 worker 0 (pid {procs[0].pid}) at {progress[topics.enriched].committed} "
                        "tickets in the sink; restarting it")
                    procs[0].kill9()
                    procs[0].start()

        while producer.produced == 0 and producer.is_alive():
            time.sleep(0.2)
        report = drain(bootstrap, app_id, watched, stall_s=args.stall_s, interval=1.0,
                       alive=lambda: all(p.alive() for p in procs), on_check=on_check, stable_checks=3)
        producer.join()
        if producer.error is not None:
            raise RuntimeError(f"producer failed: {producer.error}")
        if producer.produced < args.tickets:
            raise RuntimeError(f"only {producer.produced} of {args.tickets} produced")
        seconds = report.seconds  # from the first produce (drain started then) to the first zero-lag check
        for p in procs:
            p.sample_rss()
        codes = [p.stop() for p in procs]
        say(f"drained after {seconds:.1f} s; workers exited with {codes}; checking ClickHouse")
        result: dict[str, Any] = {
            "workers": workers, "partitions": args.partitions, "tickets": args.tickets, "fault": args.fault,
            "rate_limit_per_s": args.rate or None, "worker_startup_s": startup,
            "produce_seconds": round(producer.finished_at - producer.started_at, 1),
            "seconds_first_produce_to_drained": round(seconds, 1),
            "tickets_per_s": round(args.tickets / seconds, 1),
            "peak_rss_mib_per_worker": [round(p.peak_rss_kib / 1024) for p in procs],
            "dead_letters_on_topic": topic_size(bootstrap, topics.deadletter),
        }
        result.update(check_clickhouse(ch_url, database, producer.event_ids))
        result["exactly_once"] = (result["missing"] == 0 and result["unexpected"] == 0
                                  and result["duplicated_under_final"] == 0
                                  and result["final_rows"] == args.tickets
                                  and result["dead_letters_on_topic"] == 0 and result["dead_letter_rows"] == 0)
        return result
    finally:
        for p in procs:
            p.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--workers", default="1,2", help="Comma-separated worker counts, one run each.")
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--fault", choices=("none", "kill9"), default="none")
    parser.add_argument("--rate", type=float, default=0.0, help="Tickets per second to produce (0: all at once).")
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--stall-s", type=float, default=300.0, help="Fail when nothing moved for this long.")
    parser.add_argument("--progress-s", type=float, default=15.0)
    parser.add_argument("--keep", action="store_true", help="Keep the temporary broker, chDB and worker logs.")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "load_test.json")
    args = parser.parse_args()
    counts = [int(w) for w in args.workers.split(",") if w.strip()]

    tmp = Path(tempfile.mkdtemp(prefix="ts-load-"))
    say(f"temporary files (broker, chDB, worker logs) in {tmp}" + ("" if args.keep else "; removed at the end"))
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    broker = None
    front = None
    runs = []
    try:
        if not bootstrap:
            broker = LocalKafka(home=tmp / "broker", port=free_port(), controller_port=free_port())
            broker.ensure_jars()
            broker.up(timeout=180)
            bootstrap = broker.bootstrap
        ch_url, front = clickhouse_endpoint(tmp)
        for workers in counts:
            runs.append(run_once(args, bootstrap, ch_url, workers, tmp))
            r = runs[-1]
            say(f"{workers} worker(s): {r['tickets_per_s']} tickets/s, latency p50/p95/p99 "
                f"{r['latency_ms']['p50']}/{r['latency_ms']['p95']}/{r['latency_ms']['p99']} ms, peak RSS "
                f"{r['peak_rss_mib_per_worker']} MiB, exactly once: {r['exactly_once']}")
    finally:
        if front is not None:
            front.stop()
        if broker is not None:
            broker.down()
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    result = {
        "command": " ".join([".venv/bin/python", "benchmarks/load_test.py", *sys.argv[1:]]),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "kafka": "KAFKA_BOOTSTRAP_SERVERS" if broker is None else "local KRaft broker (streams/kafka_local.py)",
        "clickhouse": "CLICKHOUSE_URL" if front is None else "chDB behind tests/support/chdb_http.py",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "runs": runs,
    }
    # One entry per fault mode, so the plain load run and the kill9 run can live in the same file.
    args.out.parent.mkdir(parents=True, exist_ok=True)
    saved = json.loads(args.out.read_text()) if args.out.is_file() else {}
    saved[f"fault_{args.fault}" + (f"_rate_{args.rate:g}" if args.rate else "")] = result
    args.out.write_text(json.dumps(saved, indent=2) + "\n")
    print("| workers | fault | tickets | tickets/s | p50 ms | p95 ms | p99 ms | peak RSS MiB | exactly once |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in runs:
        lat = r["latency_ms"]
        print(f"| {r['workers']} | {r['fault']} | {r['tickets']} | {r['tickets_per_s']} | {lat['p50']} | "
              f"{lat['p95']} | {lat['p99']} | {'/'.join(map(str, r['peak_rss_mib_per_worker']))} | "
              f"{r['exactly_once']} |")
    if not all(r["exactly_once"] for r in runs):
        raise SystemExit("tickets were lost, duplicated or dead-lettered: see " + str(args.out))


if __name__ == "__main__":
    main()
