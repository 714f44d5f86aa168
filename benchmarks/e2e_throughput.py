"""End-to-end throughput of one worker, per-stage throughput, and startup times.

    .venv/bin/python benchmarks/e2e_throughput.py --tickets 5000

Uses KAFKA_BOOTSTRAP_SERVERS when set, else starts a local broker in a temporary home (and measures its
startup). Produces the demo feed first, then starts `ticketstream worker` as a process and times it from
"worker ready" until the consumer group has no lag left on any pipeline topic (lag polled every 0.5 s).
Writes benchmarks/results/e2e_throughput.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from connectors.demo import DemoFeed  # noqa: E402
from processors.base import Ok  # noqa: E402
from streams.kafka_local import LocalKafka  # noqa: E402
from streams.lag import wait_drained  # noqa: E402
from streams.settings import Settings  # noqa: E402
from streams.stages import build_classify, build_language, build_pii, build_sla  # noqa: E402
from streams.topics import TopicNames, ensure_topics  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stage_throughput(settings: Settings, n: int, batch: int) -> list[dict[str, Any]]:
    """Each stage alone on the outputs of the previous one, in the stream's batch size."""
    items: list[Any] = [t.event for t in DemoFeed(seed=11).take(n)]
    rows = []
    for name, build in (("pii", build_pii), ("language", build_language), ("classify", build_classify),
                        ("sla", build_sla)):
        t0 = time.perf_counter()
        stage = build(settings)
        load = time.perf_counter() - t0
        out: list[Any] = []
        t0 = time.perf_counter()
        for i in range(0, len(items), batch):
            out.extend(r.value for r in stage.process(items[i : i + batch]) if isinstance(r, Ok))
        elapsed = time.perf_counter() - t0
        rows.append({"stage": name, "items": len(items), "ok": len(out), "seconds": round(elapsed, 3),
                     "items_per_s": round(len(items) / elapsed, 1),
                     "ms_per_item": round(1000 * elapsed / len(items), 3), "load_s": round(load, 2)})
        items = out
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=5000)
    parser.add_argument("--stage-items", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "e2e_throughput.json")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="ts-bench-"))
    result: dict[str, Any] = {"command": " ".join([Path(sys.executable).name, *sys.argv]),
                              "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
                              "tickets": args.tickets}
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    broker = None
    if not bootstrap:
        broker = LocalKafka(home=tmp, port=free_port(), controller_port=free_port())
        broker.ensure_jars()
        info = broker.up(timeout=120)
        result["broker_startup_s"] = round(info.startup_seconds, 2)
        bootstrap = broker.bootstrap
    try:
        app_id = f"bench-{uuid.uuid4().hex[:6]}"
        settings = Settings(home=tmp / "home", topic_prefix=f"{app_id}.", app_id=app_id,
                            kafka_bootstrap_servers=bootstrap)
        result["batch_size"] = settings.batch_size
        result["partitions"] = settings.partitions
        result["stages"] = stage_throughput(settings, args.stage_items, settings.batch_size)

        ensure_topics(bootstrap, settings)
        from confluent_kafka import Producer

        topics = TopicNames.from_settings(settings)
        producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 20})
        for ticket in DemoFeed(seed=5).take(args.tickets):
            producer.produce(topics.events, key=ticket.event.key.encode(), value=ticket.event.to_json_bytes())
            producer.poll(0)
        producer.flush(60)

        env = dict(os.environ, KAFKA_BOOTSTRAP_SERVERS=bootstrap, TICKETSTREAM_HOME=str(settings.home),
                   TICKETSTREAM_TOPIC_PREFIX=settings.topic_prefix, TICKETSTREAM_APP_ID=app_id,
                   TICKETSTREAM_WEB_PORT=str(free_port()))
        settings.home.mkdir(parents=True, exist_ok=True)
        log_path = settings.home / "worker.log"
        t_start = time.monotonic()
        with open(log_path, "wb") as log:
            proc = subprocess.Popen([sys.executable, "-m", "streams.cli", "worker"], env=env, stdout=log,
                                    stderr=subprocess.STDOUT, cwd=REPO)
        while b"Worker]: Ready" not in log_path.read_bytes():
            if proc.poll() is not None or time.monotonic() - t_start > 300:
                raise SystemExit(f"worker did not start: {log_path.read_text()[-2000:]}")
            time.sleep(0.1)
        t_ready = time.monotonic()
        result["worker_startup_s"] = round(t_ready - t_start, 2)
        watched = [topics.events, topics.redacted, topics.language, topics.classified, topics.enriched,
                   topics.deadletter]
        # Seconds from "ready" until the first check that found no lag on any pipeline topic.
        elapsed = wait_drained(bootstrap, app_id, watched, timeout=3600, interval=0.5)
        proc.send_signal(signal.SIGTERM)
        proc.wait(120)
        counted = subprocess.run([sys.executable, "-m", "streams.cli", "query",
                                  "SELECT count() AS n FROM ticketstream.ticket_events FINAL", "--format", "json"],
                                 env=env, capture_output=True, cwd=REPO, check=True)
        landed = json.loads(counted.stdout.decode().strip().splitlines()[-1])["n"]
        result["end_to_end"] = {"landed_in_clickhouse": int(landed), "seconds_after_ready": round(elapsed, 2),
                                "tickets_per_s": round(args.tickets / elapsed, 1)}
    finally:
        if broker is not None:
            broker.down()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print("| stage | items/s | ms/item | load s |\n| --- | --- | --- | --- |")
    for row in result["stages"]:
        print(f"| {row['stage']} | {row['items_per_s']} | {row['ms_per_item']} | {row['load_s']} |")
    e2e = result["end_to_end"]
    print(f"\nend to end, one worker, {args.tickets} tickets: {e2e['tickets_per_s']} tickets/s "
          f"({e2e['landed_in_clickhouse']} landed); worker startup {result['worker_startup_s']} s; "
          f"broker startup {result.get('broker_startup_s', 'n/a')} s")


if __name__ == "__main__":
    main()
