"""`ticketstream` command line: broker, worker, demo, batch processing, training and queries."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated

import typer

from connectors.cli import connectors_app
from streams.settings import Settings, SettingsError, load_settings

if TYPE_CHECKING:
    from sinks.clickhouse.sink import ClickHouseSink
    from streams.deadletter_tools import LetterFilter
    from streams.kafka_local import LocalKafka

app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)
kafka_app = typer.Typer(no_args_is_help=True, help="The local single-node Kafka broker (KRaft).")
train_app = typer.Typer(no_args_is_help=True, help="Train the local models shipped as artifacts.")
deadletters_app = typer.Typer(no_args_is_help=True, help="List and replay dead letters.")
app.add_typer(kafka_app, name="kafka")
app.add_typer(train_app, name="train")
app.add_typer(connectors_app, name="connectors")
app.add_typer(deadletters_app, name="deadletters")

PIPELINE_TOPICS = ("events", "redacted", "language", "classified", "enriched", "deadletter")


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        typer.secho(str(exc), fg="red", err=True)
        raise typer.Exit(2) from exc


def _local_kafka(settings: Settings) -> LocalKafka:
    from streams.kafka_local import LocalKafka

    return LocalKafka(home=settings.home, port=settings.kafka_port, controller_port=settings.kafka_controller_port,
                      kafka_version=settings.kafka_version, echo=lambda m: typer.echo(m, err=True))


def _bootstrap(settings: Settings, start_local: bool = False) -> str:
    """KAFKA_BOOTSTRAP_SERVERS when set; else the local broker, started here when asked."""
    if settings.kafka_bootstrap_servers:
        return settings.kafka_bootstrap_servers
    local = _local_kafka(settings)
    if start_local:
        typer.echo(local.up().summary(), err=True)
        return str(local.bootstrap)
    status = local.status()
    if not status.answering:
        typer.secho(f"No Kafka broker: the local broker at {local.bootstrap} is not running. Start it with "
                    "`ticketstream kafka up`, or set KAFKA_BOOTSTRAP_SERVERS to an existing cluster.",
                    fg="red", err=True)
        raise typer.Exit(2)
    return str(local.bootstrap)


# ---------------------------------------------------------------------------------------------- kafka


@kafka_app.command("up")
def kafka_up(timeout: float = typer.Option(90.0, help="Seconds to wait until the broker answers.")) -> None:
    """Start the local broker (fetching its jars from Maven Central once) and wait until it answers."""
    from streams.kafka_local import KafkaLocalError

    try:
        info = _local_kafka(_settings()).up(timeout=timeout)
    except KafkaLocalError as exc:
        typer.secho(str(exc), fg="red", err=True)
        raise typer.Exit(1) from exc
    typer.echo(info.summary())


@kafka_app.command("down")
def kafka_down() -> None:
    """Stop the local broker by its PID."""
    stopped = _local_kafka(_settings()).down()
    typer.echo("Kafka stopped" if stopped else "Kafka was not running")


@kafka_app.command("status")
def kafka_status() -> None:
    """Say whether the local broker runs and answers (exit code 1 when it does not)."""
    status = _local_kafka(_settings()).status()
    typer.echo(status.summary())
    if not status.answering:
        raise typer.Exit(1)


# ---------------------------------------------------------------------------------------------- worker


@app.command()
def worker() -> None:
    """Run the stream worker: all stage agents, the ClickHouse sink and the outbound planner."""
    from faust import Worker

    from streams.app import build_app
    from streams.stages import stage_builders
    from streams.topics import ensure_topics

    settings = _settings()
    bootstrap = _bootstrap(settings)
    # The table stores, chDB data and vault keys live under the home directory: a fresh pod has none yet.
    settings.home.mkdir(parents=True, exist_ok=True)
    created = ensure_topics(bootstrap, settings)
    if created:
        typer.echo(f"created topics: {', '.join(created)}", err=True)
    faust_app = build_app(settings, bootstrap, stage_builders(settings, eager=True))
    from streams.logs import logging_dict_config

    Worker(faust_app, loglevel=settings.log_level, quiet=True,
           logging_config=logging_dict_config(settings.log_level, json=settings.log_format == "json"),
           ).execute_from_commandline()


# ---------------------------------------------------------------------------------------------- demo


def produce_demo(bootstrap: str, settings: Settings, count: int, seed: int) -> int:
    from confluent_kafka import Producer

    from connectors.demo import DemoFeed
    from streams.topics import TopicNames

    topic = TopicNames.from_settings(settings).events
    producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 20, "enable.idempotence": True})
    errors: list[str] = []

    def on_delivery(err: object, _msg: object) -> None:
        if err is not None:
            errors.append(str(err))

    for ticket in DemoFeed(seed=seed).take(count):
        producer.produce(topic, key=ticket.event.key.encode(), value=ticket.event.to_json_bytes(),
                         on_delivery=on_delivery)
        producer.poll(0)
    producer.flush(60)
    if errors:
        raise RuntimeError(f"{len(errors)} demo events were not delivered: {errors[0]}")
    return count


@app.command()
def demo(
    count: int = typer.Option(200, min=1, help="Demo tickets to generate."),
    seed: int = typer.Option(7, help="Seed of the generated feed."),
    produce_only: bool = typer.Option(False, "--produce-only", help="Only put the demo feed on the inbound topic."),
    timeout: float = typer.Option(600.0, help="Seconds to wait for the worker to drain the feed."),
) -> None:
    """Run the pipeline on the embedded defaults with a generated feed, then show what landed in ClickHouse."""
    from tqdm import tqdm

    from streams.lag import TopicProgress, wait_drained
    from streams.topics import TopicNames, ensure_topics

    settings = _settings()
    bootstrap = _bootstrap(settings, start_local=True)
    ensure_topics(bootstrap, settings)
    produce_demo(bootstrap, settings, count, seed)
    typer.echo(f"produced {count} demo tickets to {TopicNames.from_settings(settings).events}")
    if produce_only:
        return
    settings.home.mkdir(parents=True, exist_ok=True)
    log_path = settings.home / "worker.log"
    typer.echo(f"starting the worker (log: {log_path})")
    env = dict(os.environ, KAFKA_BOOTSTRAP_SERVERS=bootstrap)
    with open(log_path, "ab") as log_file:
        proc = subprocess.Popen([sys.executable, "-m", "streams.cli", "worker"], stdout=log_file,
                                stderr=subprocess.STDOUT, env=env)
    try:
        names = TopicNames.from_settings(settings)
        topics = [getattr(names, t) for t in PIPELINE_TOPICS]
        started = time.monotonic()
        bar = tqdm(total=count, unit=" tickets", desc="enriched", dynamic_ncols=True)

        def show(progress: dict[str, TopicProgress]) -> None:
            done = progress.get(names.enriched, TopicProgress(0, 0)).committed
            bar.update(max(0, min(count, done) - bar.n))
            bar.set_postfix(lag=sum(p.lag for p in progress.values()))

        waited = _wait_with_worker(
            proc, lambda: wait_drained(bootstrap, settings.app_id, topics, timeout, on_check=show))
        bar.close()
        typer.echo(f"pipeline drained in {time.monotonic() - started:.1f}s (work done after {waited:.1f}s)")
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
    _show_summary(settings)


def _wait_with_worker(proc: subprocess.Popen[bytes], wait: object) -> float:
    import threading

    result: dict[str, object] = {}

    def run() -> None:
        try:
            result["value"] = wait()  # type: ignore[operator]
        except Exception as exc:
            result["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    while thread.is_alive():
        if proc.poll() is not None:
            typer.secho(f"the worker exited with code {proc.returncode}; see its log", fg="red", err=True)
            raise typer.Exit(1)
        thread.join(1.0)
    if "error" in result:
        raise result["error"]  # type: ignore[misc]
    return float(result["value"])  # type: ignore[arg-type]


def _show_summary(settings: Settings) -> None:
    from sinks.clickhouse.summary import summary_queries

    sink = _open_sink(settings)
    for title, sql in summary_queries(settings.clickhouse_database):
        result = sink.query(sql)
        typer.echo(f"\n{title}")
        _print_table(result.column_names, result.rows, sys.stdout)


def _open_sink(settings: Settings) -> ClickHouseSink:
    from streams.stages import build_sink

    return build_sink(settings)


def _print_table(columns: list[str] | tuple[str, ...], rows: list[tuple[object, ...]], out: IO[str]) -> None:
    cells = [[str(c) for c in columns]] + [["" if v is None else str(v) for v in row] for row in rows]
    widths = [min(60, max(len(r[i]) for r in cells)) for i in range(len(columns))]
    for n, row in enumerate(cells):
        out.write("  ".join(v[:60].ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() + "\n")
        if n == 0:
            out.write("  ".join("-" * w for w in widths) + "\n")


# ---------------------------------------------------------------------------------------------- process


@app.command()
def process(
    input_path: Annotated[str, typer.Argument(metavar="INPUT", help="JSONL of TicketEvents, or - for stdin.")],
    output_path: Annotated[str, typer.Argument(metavar="OUTPUT", help="JSONL out, or - for stdout.")],
    batch_size: int = typer.Option(0, help="Events per batch (default: the stream's batch size)."),
) -> None:
    """Run the stage chain over a JSONL file, without a broker: the same code as the stream.

    One output line per input line, in order: an EnrichedTicket, or, for an input that failed, the
    DeadLetter the stream would have produced (it has `stage` and `reason`). Exit code 3 when any failed.
    """
    from streams.batch import process_lines
    from streams.stages import build_chain

    settings = _settings()
    chain = build_chain(settings)
    src = sys.stdin if input_path == "-" else open(input_path, encoding="utf-8", errors="surrogateescape")  # noqa: SIM115
    dst = sys.stdout if output_path == "-" else open(output_path, "w", encoding="utf-8")  # noqa: SIM115
    try:
        stats = process_lines(chain, src, dst, batch_size or settings.batch_size, source_name=input_path,
                              progress=output_path != "-")
    finally:
        if src is not sys.stdin:
            src.close()
        if dst is not sys.stdout:
            dst.close()
    typer.echo(f"{stats.ok} enriched, {stats.failed} failed", err=True)
    if stats.failed:
        raise typer.Exit(3)


# ---------------------------------------------------------------------------------------------- query


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="SQL to run against the ticketstream database.")],
    fmt: str = typer.Option("table", "--format", help="table or json"),
) -> None:
    """Query ClickHouse (embedded chDB, or the server at CLICKHOUSE_URL)."""
    settings = _settings()
    result = _open_sink(settings).query(sql)
    if fmt == "json":
        for row in result.rows:
            typer.echo(json.dumps(dict(zip(result.column_names, row, strict=True)), default=str))
    else:
        _print_table(result.column_names, result.rows, sys.stdout)


# ---------------------------------------------------------------------------------------------- train


@train_app.command("classifier")
def train_classifier(
    data: Path = typer.Option(..., exists=True, dir_okay=False, help="Labelled CSV or JSONL (e.g. bitext/train.csv)."),
    out: Path = typer.Option(None, help="Artifact directory (default: the packaged artifact)."),
    text_column: str = typer.Option("instruction"),
    fields: str = typer.Option("category,intent", help="Comma-separated label columns."),
) -> None:
    """Train the local classifier and write its artifact with held-out metrics."""
    from processors.classification.local_model import default_artifact_dir
    from processors.classification.training import train_classifier_from_csv

    metrics = train_classifier_from_csv(data, text_column=text_column, out_dir=out or default_artifact_dir(),
                                        fields=tuple(f.strip() for f in fields.split(",") if f.strip()))
    typer.echo(json.dumps(metrics, indent=2, default=str))


@train_app.command("sla")
def train_sla(
    data: Path = typer.Option(None, exists=True, dir_okay=False, help="UCI incident event log CSV."),
    from_clickhouse: bool = typer.Option(False, "--from-clickhouse",
                                         help="Train from the pipeline's history: ticket_events + sla_outcomes."),
    tenant: str = typer.Option(None, help="With --from-clickhouse: one tenant's tickets only."),
    since: str = typer.Option(None, "--from", help="With --from-clickhouse: tickets solved at/after this ISO time."),
    until: str = typer.Option(None, "--to", help="With --from-clickhouse: tickets solved before this ISO time."),
    out: Path = typer.Option(None, help="Artifact directory (default: the packaged artifact)."),
) -> None:
    """Train the SLA-breach model from an incident event log or from ClickHouse history; write its artifact."""
    from processors.sla.model import default_artifact_dir
    from processors.sla.training import train_sla_from_history, train_sla_from_uci_csv

    if (data is None) == (not from_clickhouse):
        raise typer.BadParameter("give either --data CSV or --from-clickhouse")
    if data is not None:
        metrics = train_sla_from_uci_csv(data, out_dir=out or default_artifact_dir())
    else:
        from processors.sla.tenants import policies_from_tenants
        from sinks.clickhouse.factory import open_client
        from sinks.clickhouse.history import sla_history

        settings = _settings()
        client = open_client(settings.clickhouse_url, settings.chdb_path)
        try:
            events, outcomes = sla_history(client, settings.clickhouse_database, tenant=tenant,
                                           since=_iso_or_none(since, "--from"), until=_iso_or_none(until, "--to"))
        finally:
            client.close()
        if len(outcomes) < 50:
            raise typer.BadParameter(f"only {len(outcomes)} tickets with an SLA outcome in ClickHouse for this "
                                     "selection; at least 50 are needed to train", param_hint="--from-clickhouse")
        metrics = train_sla_from_history(events, outcomes, out_dir=out or default_artifact_dir(),
                                         policies=policies_from_tenants(settings.load_tenants()))
    typer.echo(json.dumps(metrics, indent=2, default=str))


def _iso_or_none(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"not an ISO date/time: {value!r}", param_hint=option) from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


# ---------------------------------------------------------------------------------------------- replay


@app.command()
def replay(
    source: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="JSONL export of TicketEvents.")],
    start: str = typer.Option(None, "--from", help="Only events with occurred_at at or after this ISO time."),
    end: str = typer.Option(None, "--to", help="Only events with occurred_at before this ISO time."),
    rate: float = typer.Option(0.0, help="Events per second at most (0: as fast as Kafka takes them)."),
    topic_prefix: str = typer.Option(None, help="Topic prefix of the replay pipeline (default: the live one)."),
    checkpoint: Path = typer.Option(None, help="Checkpoint file (default: next to the source)."),
    restart: bool = typer.Option(False, "--restart", help="Ignore the checkpoint and start from the first line."),
) -> None:
    """Backfill: put an export back on an inbound topic, resumable, with a progress bar, rate and ETA.

    To compare model versions, replay into a separate pipeline: `--topic-prefix replay-v2.` and a worker
    run with TICKETSTREAM_TOPIC_PREFIX=replay-v2. TICKETSTREAM_PIPELINE_VERSION=v2
    TICKETSTREAM_OUTBOUND_ENABLED=false, so no helpdesk receives actions from the replay.
    """
    from datetime import datetime

    from confluent_kafka import Producer
    from tqdm import tqdm

    from streams.replay import Checkpoint, TimeRange, TokenBucket, count_lines, replay_file
    from streams.topics import TopicNames, ensure_topics

    settings = _settings()
    if topic_prefix is not None:
        settings = settings.model_copy(update={"topic_prefix": topic_prefix})
    try:
        time_range = TimeRange(datetime.fromisoformat(start) if start else None,
                               datetime.fromisoformat(end) if end else None)
    except ValueError as exc:
        typer.secho(f"--from/--to: not an ISO 8601 time ({exc})", fg="red", err=True)
        raise typer.Exit(2) from exc
    for name, value in (("--from", time_range.start), ("--to", time_range.end)):
        if value is not None and value.tzinfo is None:
            typer.secho(f"{name}: give a time zone, e.g. 2026-11-01T00:00:00+00:00", fg="red", err=True)
            raise typer.Exit(2)
    bootstrap = _bootstrap(settings)
    ensure_topics(bootstrap, settings)
    topic = TopicNames.from_settings(settings).events
    point_path = checkpoint or source.with_name(source.name + ".replay-checkpoint")
    point = Checkpoint.load(point_path, source)
    if restart:
        point.line = 0
    total = count_lines(source)
    bar = tqdm(total=total, initial=point.line, unit=" events", desc=f"replay → {topic}", dynamic_ncols=True)
    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True, "linger.ms": 20})
    result = replay_file(source, producer, topic, point, time_range, TokenBucket(rate) if rate > 0 else None,
                         on_line=lambda n: bar.update(n - bar.n))
    bar.close()
    typer.echo(f"produced {result.produced} events to {topic} (resumed after line {result.resumed_from_line}, "
               f"{result.skipped_out_of_range} outside the time range); checkpoint: {point_path}")


# ---------------------------------------------------------------------------------------------- deadletters


def _letter_filter(stage: str | None, error_type: str | None, reason: str | None, since: str | None) -> LetterFilter:
    from datetime import datetime

    from streams.deadletter_tools import LetterFilter

    try:
        since_dt = datetime.fromisoformat(since) if since else None
    except ValueError as exc:
        typer.secho(f"--since: not an ISO 8601 time: {since}", fg="red", err=True)
        raise typer.Exit(2) from exc
    return LetterFilter(stage=stage, error_type=error_type, reason_contains=reason, since=since_dt)


@deadletters_app.command("list")
def deadletters_list(
    stage: str = typer.Option(None, help="Only letters of this stage."),
    error_type: str = typer.Option(None, help="Only this error type, e.g. ValidationError."),
    reason: str = typer.Option(None, help="Only letters whose reason contains this text."),
    since: str = typer.Option(None, help="Only letters that failed at or after this ISO time."),
    fmt: str = typer.Option("table", "--format", help="table or json"),
) -> None:
    """Show dead letters (stage, reason, ids, where they failed) — never their payload, which may hold PII."""
    from streams.deadletter_tools import read_dead_letters
    from streams.topics import TopicNames

    settings = _settings()
    chosen = _letter_filter(stage, error_type, reason, since)
    letters = [x for x in read_dead_letters(_bootstrap(settings), TopicNames.from_settings(settings).deadletter)
               if chosen.matches(x)]
    columns = ("failed_at", "stage", "error_type", "tenant_id", "ticket_id", "event_id", "topic", "partition",
               "offset", "reason")
    rows = [tuple(getattr(x, c) for c in columns) for x in letters]
    if fmt == "json":
        for row in rows:
            typer.echo(json.dumps(dict(zip(columns, row, strict=True)), default=str))
    else:
        _print_table(columns, rows, sys.stdout)
        typer.echo(f"{len(rows)} dead letters", err=True)


@deadletters_app.command("replay")
def deadletters_replay(
    stage: str = typer.Option(None, help="Only letters of this stage."),
    error_type: str = typer.Option(None, help="Only this error type."),
    reason: str = typer.Option(None, help="Only letters whose reason contains this text."),
    since: str = typer.Option(None, help="Only letters that failed at or after this ISO time."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Count what would be replayed; produce nothing."),
) -> None:
    """Send matching dead letters' original bytes back to the topic they failed on (after a fix)."""
    from streams.deadletter_tools import replay_dead_letters
    from streams.topics import TopicNames

    settings = _settings()
    stats = replay_dead_letters(_bootstrap(settings), TopicNames.from_settings(settings).deadletter,
                                _letter_filter(stage, error_type, reason, since), dry_run=dry_run)
    verb = "would replay" if dry_run else "replayed"
    typer.echo(f"read {stats.read} dead letters, {verb} {stats.replayed}: {stats.by_topic}")


@app.command()
def report(
    out: Path = typer.Option(Path("report.html"), "--out", help="HTML file to write."),
    days: int = typer.Option(7, "--days", min=1, max=3660, help="How many days back from now."),
    tenant: str = typer.Option("", "--tenant", help="One tenant only (default: all)."),
) -> None:
    """Write a self-contained HTML report of the last N days (volume, languages, SLA risk, sentiment, cost)."""
    from sinks.clickhouse.report import write_report

    settings = _settings()
    sink = _open_sink(settings)
    try:
        data = write_report(sink.client, settings.clickhouse_database, out, days=days, tenant=tenant)
    finally:
        sink.close()
    typer.echo(f"{out}: {data['totals']['events']} events, {data['totals']['dead_letters']} dead letters")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
