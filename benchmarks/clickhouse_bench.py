"""ClickHouse sink and query pack benchmark.

1. Insert throughput (rows/s) of `ClickHouseSink.write_enriched` into embedded chDB and through
   clickhouse-connect (HTTP, against the chDB HTTP front of the test suite) at several batch sizes,
   materialized views included.
2. Latency of every query of the query pack on N generated tickets (default one million), generated in
   ClickHouse itself (INSERT ... SELECT FROM numbers()) so the views fill as on real inserts.

    .venv/bin/python benchmarks/clickhouse_bench.py [--tickets 1000000] [--insert-rows 20000]

Writes benchmarks/results/clickhouse_bench.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sinks.clickhouse import ChdbClient, ClickHouseSink, ConnectClient  # noqa: E402
from sinks.clickhouse.query_pack import load_queries, run_query  # noqa: E402
from sinks.clickhouse.retention import Retention  # noqa: E402
from sinks.clickhouse.sample_data import generate  # noqa: E402
from tests.support.chdb_http import ChdbHttpServer  # noqa: E402

END = datetime(2025, 6, 30, tzinfo=UTC)

GENERATE_EVENTS = """
INSERT INTO {db}.ticket_events (tenant_id, source, ticket_id, event_id, event_type, occurred_at, ticket_created_at,
    subject, body, channel, priority, status, queue, tags, language, language_confidence, category,
    category_confidence, category_backend, intent, intent_confidence, intent_backend, priority_pred,
    priority_pred_confidence, sentiment, sentiment_confidence, summary, sla_policy, sla_priority,
    first_response_due, resolution_due, breach_probability, risk_level, classifier_version, sla_model_version,
    pipeline_version, pii_span_count, pii_types, version)
SELECT
    ['acme', 'globex', 'initech', 'umbrella'][number % 4 + 1] AS tenant_id, 'zendesk', concat('T-', toString(number)),
    concat('T-', toString(number), '-e0'), 'created',
    toDateTime64('{end}', 3, 'UTC') - toIntervalSecond(rand(1) % ({days} * 86400)) AS at, at,
    'Order question', 'Hello <PERSON_1>, about order <ORDER_ID_1>.',
    ['email', 'web', 'chat', 'phone', 'api'][rand(2) % 5 + 1],
    ['low', 'normal', 'high', 'urgent'][rand(3) % 4 + 1] AS prio, ['new', 'open', 'pending', 'solved'][rand(4) % 4 + 1],
    ['billing', 'logistics', 'accounts', 'tier2'][rand(5) % 4 + 1], [],
    ['en', 'en', 'de', 'fr', 'es', 'it', 'nl'][rand(6) % 7 + 1], 0.9,
    ['ORDER', 'REFUND', 'PAYMENT', 'SHIPPING', 'ACCOUNT', 'INVOICE', 'DELIVERY'][rand(7) % 7 + 1], 0.8,
    if(rand(8) % 4 = 0, 'anthropic', 'local'), 'cancel_order', 0.8, 'local',
    ['low', 'normal', 'high', 'urgent'][rand(9) % 4 + 1], 0.7,
    ['negative', 'neutral', 'positive'][rand(10) % 3 + 1], 0.8, NULL,
    'standard', prio, at + toIntervalHour(1), at + toIntervalHour(24), (rand(11) % 1000) / 1000 AS p,
    multiIf(p >= 0.6, 'high', p >= 0.3, 'medium', 'low'), 'clf-bench', 'sla-bench', 'bench', 2, ['PERSON'], 1
FROM numbers({n})
SETTINGS max_insert_block_size = 100000
"""

GENERATE_CALLS = """
INSERT INTO {db}.llm_calls (call_id, tenant_id, ticket_id, event_id, backend, model, started_at, latency_ms,
    input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd, outcome, error_type, attempt, fields)
SELECT concat('c-', toString(number)), ['acme', 'globex', 'initech', 'umbrella'][number % 4 + 1],
    concat('T-', toString(number * 4)), NULL, 'anthropic', 'claude-haiku-4-5',
    toDateTime64('{end}', 3, 'UTC') - toIntervalSecond(rand(1) % ({days} * 86400)), 300 + rand(2) % 2000,
    500 + rand(3) % 1000 AS i, 40 + rand(4) % 120 AS o, 0, 0, i * 1e-6 + o * 5e-6,
    if(rand(5) % 20 = 0, 'timeout', 'ok'), NULL, 1, ['category']
FROM numbers({n})
"""

GENERATE_OUTCOMES = """
INSERT INTO {db}.sla_outcomes (tenant_id, ticket_id, event_id, solved_at, priority, policy, queue,
    met_first_response, met_resolution, predicted_breach_at_creation, predicted_breach_last)
SELECT ['acme', 'globex', 'initech', 'umbrella'][number % 4 + 1], concat('T-', toString(number)),
    concat('T-', toString(number), '-s'),
    toDateTime64('{end}', 3, 'UTC') - toIntervalSecond(rand(1) % ({days} * 86400)),
    ['low', 'normal', 'high', 'urgent'][rand(2) % 4 + 1], 'standard',
    ['billing', 'logistics', 'accounts', 'tier2'][rand(3) % 4 + 1], rand(4) % 10 > 1, rand(5) % 10 > 2,
    (rand(6) % 1000) / 1000, (rand(7) % 1000) / 1000
FROM numbers({n})
"""

GENERATE_LETTERS = """
INSERT INTO {db}.dead_letters (stage, reason, error_type, attempt, topic, partition, offset, tenant_id, ticket_id,
    event_id, failed_at)
SELECT ['pii', 'classify', 'language'][rand(1) % 3 + 1], 'stage failed after 5 retries: TimeoutError',
    'TimeoutError', 1,
    'tickets.events', number % 4, number, ['acme', 'globex'][number % 2 + 1], NULL, NULL,
    toDateTime64('{end}', 3, 'UTC') - toIntervalSecond(rand(2) % ({days} * 86400))
FROM numbers({n})
"""


def bench_inserts(sink: ClickHouseSink, rows: int, batch_sizes: list[int]) -> list[dict[str, float]]:
    tickets = generate(max(1, rows // 2), days=14, end=END, seed=5).enriched[:rows]
    out = []
    for size in batch_sizes:
        started = time.perf_counter()
        for start in range(0, len(tickets), size):
            sink.write_enriched(tickets[start : start + size])
        elapsed = time.perf_counter() - started
        out.append({"batch_size": size, "rows": len(tickets), "seconds": round(elapsed, 3),
                    "rows_per_s": round(len(tickets) / elapsed)})
        sink.client.command(f"TRUNCATE TABLE {sink.database}.ticket_events")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--insert-rows", type=int, default=20_000)
    parser.add_argument("--batch-sizes", default="100,1000,10000")
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "clickhouse_bench.json")
    args = parser.parse_args()
    sizes = [int(s) for s in args.batch_sizes.split(",")]
    result: dict[str, object] = {
        "command": "benchmarks/clickhouse_bench.py " + " ".join(sys.argv[1:]),
        "machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count()},
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    with tempfile.TemporaryDirectory() as tmp:
        direct = ChdbClient(Path(tmp) / "chdb")
        front = ChdbHttpServer(Path(tmp) / "chdb").start()
        remote = ConnectClient(front.url)
        try:
            inserts = {}
            for name, client in (("chdb", direct), ("clickhouse_connect_http", remote)):
                sink = ClickHouseSink(client, f"bench_insert_{name}", retention=Retention.forever())
                sink.ensure_schema()
                inserts[name] = bench_inserts(sink, args.insert_rows, sizes)
                print(name, inserts[name], flush=True)
            result["insert_enriched"] = inserts

            db = "bench_queries"
            sink = ClickHouseSink(direct, db, retention=Retention.forever())
            sink.ensure_schema()
            fill = {"db": db, "end": END.strftime("%Y-%m-%d %H:%M:%S"), "days": args.days}
            started = time.perf_counter()
            direct.command(GENERATE_EVENTS.format(n=args.tickets, **fill))
            direct.command(GENERATE_CALLS.format(n=args.tickets // 4, **fill))
            direct.command(GENERATE_OUTCOMES.format(n=args.tickets * 8 // 10, **fill))
            direct.command(GENERATE_LETTERS.format(n=max(1, args.tickets // 100), **fill))
            result["generate_seconds"] = round(time.perf_counter() - started, 2)
            result["tickets"] = args.tickets
            start, end = END - timedelta(days=30), END
            latencies: dict[str, dict[str, dict[str, float]]] = {}
            for name, query in load_queries().items():
                # version_comparison compares the generated version with itself: the join over every event
                params = dict.fromkeys(query.extra_parameters, "bench")
                for client_name, client in (("chdb", direct), ("clickhouse_connect_http", remote)):
                    times = []
                    for _ in range(args.repeats):
                        t0 = time.perf_counter()
                        rows = len(run_query(client, db, name, start, end, params=params).rows)
                        times.append((time.perf_counter() - t0) * 1000)
                    latencies.setdefault(name, {})[client_name] = {
                        "median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1), "rows": rows}
                print(name, latencies[name], flush=True)
            result["query_pack_last_30_days"] = latencies
        finally:
            remote.close()
            front.stop()
            direct.close()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
