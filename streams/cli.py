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
    llm_batch: bool = typer.Option(
        False, "--llm-batch", help="Send the file's LLM questions as Anthropic Message Batches: half the price, "
        "answers within 24 h. The batch id is kept in OUTPUT.batch.json: run again to resume, not pay twice."),
    llm_batch_poll: float = typer.Option(
        60.0, "--llm-batch-poll", min=0.01, help="With --llm-batch: longest wait between status checks, seconds."),
) -> None:
    """Run the stage chain over a JSONL file, without a broker: the same code as the stream.

    One output line per input line, in order: an EnrichedTicket, or, for an input that failed, the
    DeadLetter the stream would have produced (it has `stage` and `reason`). Exit code 3 when any failed.
    With --llm-batch the LLM calls go out as one Message Batch (docs/classification.md); their records are
    written to OUTPUT.llm_calls.jsonl.
    """
    from streams.batch import BatchStats, process_lines
    from streams.stages import build_chain

    if llm_batch and output_path == "-":
        typer.secho("--llm-batch needs an OUTPUT file: the batch id is kept next to it so a run can resume",
                    fg="red", err=True)
        raise typer.Exit(2)
    settings = _settings()
    chain = build_chain(settings)
    src = sys.stdin if input_path == "-" else open(input_path, encoding="utf-8", errors="surrogateescape")  # noqa: SIM115
    dst = sys.stdout if output_path == "-" else open(output_path, "w", encoding="utf-8")  # noqa: SIM115
    try:
        stats: BatchStats
        if llm_batch:
            from processors.classification.message_batches import MessageBatchError
            from streams.llm_batch import LlmBatchOptions, process_with_message_batches

            state_path = Path(output_path + ".batch.json")
            options = LlmBatchOptions(state_path=state_path, poll_max_s=llm_batch_poll,
                                      calls_path=Path(output_path + ".llm_calls.jsonl"))
            try:
                stats = process_with_message_batches(
                    chain, src, dst, batch_size or settings.batch_size, options, source_name=input_path,
                    progress=True, echo=lambda message: typer.echo(message, err=True)).stats
            except MessageBatchError as exc:
                typer.secho(str(exc), fg="red", err=True)
                raise typer.Exit(2) from exc
            except KeyboardInterrupt:
                typer.secho(f"\ninterrupted; a Message Batch already created keeps running. Run the same command "
                            f"again to resume it ({state_path}).", fg="yellow", err=True)
                raise typer.Exit(130) from None
        else:
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
    data: Path = typer.Option(None, exists=True, dir_okay=False, help="Labelled CSV or JSONL (e.g. bitext/train.csv)."),
    from_clickhouse: bool = typer.Option(
        False, "--from-clickhouse", help="Train from the pipeline's history: redacted text from ticket_events, "
        "labels from the tags agents set (never the pipeline's own predictions)."),
    tenant: str = typer.Option(None, help="With --from-clickhouse: one tenant's tickets only."),
    since: str = typer.Option(None, "--from", help="With --from-clickhouse: tickets created at/after this ISO time."),
    until: str = typer.Option(None, "--to", help="With --from-clickhouse: tickets created before this ISO time."),
    label_tag: list[str] = typer.Option(
        None, "--label-tag", help="With --from-clickhouse: FIELD=PREFIX, the tag prefix of a field's label "
        "(repeatable; default FIELD_, e.g. the tag category_billing labels category billing)."),
    out: Path = typer.Option(None, help="Artifact directory (default: the packaged artifact)."),
    text_column: str = typer.Option("instruction", help="With --data: the column holding the text."),
    fields: str = typer.Option("category,intent", help="Comma-separated fields to train (label columns of --data)."),
) -> None:
    """Train the local classifier from a labelled file or ClickHouse history; write its artifact with held-out
    metrics."""
    from processors.classification.local_model import default_artifact_dir
    from processors.classification.training import train_classifier_from_csv

    names = tuple(f.strip() for f in fields.split(",") if f.strip())
    if (data is None) == (not from_clickhouse):
        raise typer.BadParameter("give either --data FILE or --from-clickhouse")
    if data is not None:
        metrics = train_classifier_from_csv(data, text_column=text_column, out_dir=out or default_artifact_dir(),
                                            fields=names)
    else:
        from streams.retrain import train_classifier_from_clickhouse

        try:
            metrics = train_classifier_from_clickhouse(
                _settings(), names, label_tag or (), out_dir=out or default_artifact_dir(), tenant=tenant,
                since=_iso_or_none(since, "--from"), until=_iso_or_none(until, "--to"))
        except ValueError as exc:  # too few human labels, or a bad --label-tag: nothing was written
            raise typer.BadParameter(str(exc), param_hint="--from-clickhouse") from exc
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
    source: Annotated[Path | None, typer.Argument(
        exists=True, dir_okay=False, show_default=False,
        help="JSONL or CSV export of TicketEvents (CSV by its .csv suffix or --format csv; columns: docs/replay.md).",
    )] = None,
    fmt: str = typer.Option(None, "--format", help="Format of SOURCE: jsonl or csv (default: from its suffix)."),
    from_clickhouse: bool = typer.Option(
        False, "--from-clickhouse", help="Replay the live event log (ticket_events) from ClickHouse: its text is "
        "redacted, and requester and custom fields are not kept."),
    from_helpdesk: str = typer.Option(
        None, "--from-helpdesk", metavar="zendesk|freshdesk|servicenow",
        help="Replay a helpdesk's export API through its poller, from --from on (credentials: the tenants file)."),
    tenants: list[str] = typer.Option(
        None, "--tenant", help="With --from-clickhouse: this tenant only. With --from-helpdesk: these tenants "
        "(default: every tenant with that helpdesk)."),
    start: str = typer.Option(None, "--from", help="Only events with occurred_at at or after this ISO time."),
    end: str = typer.Option(None, "--to", help="Only events with occurred_at before this ISO time."),
    rate: float = typer.Option(0.0, help="Events per second at most (0: as fast as Kafka takes them)."),
    topic_prefix: str = typer.Option(None, help="Topic prefix of the replay pipeline (default: the live one)."),
    pipeline_version: str = typer.Option(
        None, "--pipeline-version", help="Tag the results of the replayed events with this pipeline version "
        "(default: the replay worker's TICKETSTREAM_PIPELINE_VERSION)."),
    outbound: bool = typer.Option(
        False, "--outbound", help="Let the replayed events cause outbound actions on the helpdesks. Without it "
        "the outbound planner skips them, whatever the worker's settings."),
    live: bool = typer.Option(
        False, "--live", help="Also write the results to the live tables (ticket_events, tickets, rollups), "
        "replacing the live rows of these events. Without it they go to ticket_event_versions only."),
    checkpoint: Path = typer.Option(
        None, help="Checkpoint file, or directory with --from-helpdesk (default: next to SOURCE, else under "
        "TICKETSTREAM_HOME/replay)."),
    restart: bool = typer.Option(False, "--restart", help="Ignore the checkpoint and start from the beginning."),
) -> None:
    """Backfill: re-run history through the pipeline, resumable, with a progress bar (rate, ETA) and a rate limit.

    Sources: a JSONL or CSV export (SOURCE), the ClickHouse event log (--from-clickhouse), or a helpdesk's
    export API (--from-helpdesk). Every replayed event is stamped: its results carry --pipeline-version and
    land in ClickHouse `ticket_event_versions` beside the live results of the same events (query pack:
    version_comparison), and they cause no outbound action, unless --live / --outbound ask for it.

    To compare a new model, run the replay through a pipeline of its own, so that its SLA state and consumer
    group stay apart from the live ones: `--topic-prefix replay-v2. --pipeline-version v2`, and a worker with
    the new model and TICKETSTREAM_TOPIC_PREFIX=replay-v2. TICKETSTREAM_APP_ID=ticketstream-replay-v2.
    Details: docs/replay.md.
    """
    from confluent_kafka import Producer

    from streams.replay import TokenBucket
    from streams.topics import TopicNames, ensure_topics

    chosen = [name for name, given in (("SOURCE", source is not None), ("--from-clickhouse", from_clickhouse),
                                       ("--from-helpdesk", from_helpdesk is not None)) if given]
    if len(chosen) != 1:
        _replay_fail("give one source: SOURCE (a JSONL or CSV file), --from-clickhouse or --from-helpdesk"
                     + (f"; got {' and '.join(chosen)}" if chosen else ""))
    if source is not None and tenants:
        _replay_fail("--tenant goes with --from-clickhouse or --from-helpdesk; a file is replayed whole")
    if source is None and fmt is not None:
        _replay_fail("--format is the format of SOURCE, a file")
    settings = _settings()
    if topic_prefix is not None:
        settings = settings.model_copy(update={"topic_prefix": topic_prefix})
    time_range = _replay_time_range(start, end)
    stamp = _replay_stamp(pipeline_version, outbound, live)
    bootstrap = _bootstrap(settings)
    ensure_topics(bootstrap, settings)
    topic = TopicNames.from_settings(settings).events
    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True, "linger.ms": 20})
    bucket = TokenBucket(rate) if rate > 0 else None
    if source is not None:
        result, where = _replay_from_file(source, fmt, checkpoint, restart, producer, topic, stamp, time_range, bucket)
    elif from_clickhouse:
        result, where = _replay_from_clickhouse(settings, tenants, checkpoint, restart, producer, topic, stamp,
                                                time_range, bucket)
    else:
        result, where = _replay_from_helpdesk(settings, from_helpdesk, tenants, checkpoint, restart, producer, topic,
                                              stamp, time_range, bucket)
    for note in result.notes:
        typer.secho(note, fg="yellow", err=True)
    version = stamp.pipeline_version or "the replay worker's TICKETSTREAM_PIPELINE_VERSION"
    typer.echo(f"produced {result.produced} events to {topic} ({result.skipped_out_of_range} outside the time range); "
               f"results tagged {version}, "
               + ("also replacing the live rows; " if live else "in ticket_event_versions only; ")
               + ("outbound actions allowed" if outbound else "no outbound actions") + f"; checkpoint: {where}")


if TYPE_CHECKING:
    from typing import Any, NoReturn

    from confluent_kafka import Producer

    from schemas import ReplayStamp
    from streams.replay import ReplayResult, TimeRange, TokenBucket


def _replay_fail(message: str) -> NoReturn:
    typer.secho(message, fg="red", err=True)
    raise typer.Exit(2)


def _replay_time_range(start: str | None, end: str | None) -> TimeRange:
    from streams.replay import TimeRange

    try:
        time_range = TimeRange(datetime.fromisoformat(start) if start else None,
                               datetime.fromisoformat(end) if end else None)
    except ValueError as exc:
        _replay_fail(f"--from/--to: not an ISO 8601 time ({exc})")
    for name, value in (("--from", time_range.start), ("--to", time_range.end)):
        if value is not None and value.tzinfo is None:
            _replay_fail(f"{name}: give a time zone, e.g. 2026-11-01T00:00:00+00:00")
    return time_range


def _replay_stamp(pipeline_version: str | None, outbound: bool, live: bool) -> ReplayStamp:
    from pydantic import ValidationError

    from schemas import ReplayStamp, format_validation_error

    try:
        return ReplayStamp(pipeline_version=pipeline_version, outbound=outbound, live=live)
    except ValidationError as exc:
        _replay_fail(f"--pipeline-version: {format_validation_error(exc)} (1 to 64 characters, no spaces)")


def _replay_bar(total: int | None, initial: int, topic: str) -> Any:
    """tqdm shows the rate, and the ETA when the total is known (files, ClickHouse; not a helpdesk export)."""
    from tqdm import tqdm

    return tqdm(total=total, initial=initial, unit=" events", desc=f"replay → {topic}", dynamic_ncols=True)


def _replay_from_file(source: Path, fmt: str | None, checkpoint: Path | None, restart: bool, producer: Producer,
                      topic: str, stamp: ReplayStamp, time_range: TimeRange, bucket: TokenBucket | None,
                      ) -> tuple[ReplayResult, Path]:
    from streams.replay import Checkpoint, count_lines, jsonl_items, replay_file, stamp_conflict
    from streams.replay_sources import check_csv_header, count_csv_rows, csv_items

    kind = (fmt or ("csv" if source.suffix.lower() == ".csv" else "jsonl")).lower()
    if kind not in ("jsonl", "csv"):
        _replay_fail(f"--format: jsonl or csv, not {fmt!r}")
    point_path = checkpoint or source.with_name(source.name + ".replay-checkpoint")
    point = Checkpoint.load(point_path, source)
    if restart:
        point.line = 0
    elif point.line and (conflict := stamp_conflict(point.stamp, stamp)):
        _replay_fail(conflict)
    items = csv_items if kind == "csv" else jsonl_items
    try:
        if kind == "csv":
            check_csv_header(source)  # a wrong header stops the replay before anything is produced
        total = count_csv_rows(source) if kind == "csv" else count_lines(source)
    except ValueError as exc:
        _replay_fail(f"{source}: {exc}")
    bar = _replay_bar(total, point.line, topic)
    try:
        result = replay_file(source, producer, topic, point, time_range, bucket,
                             on_line=lambda n: bar.update(n - bar.n), stamp=stamp, items=items)
    finally:
        bar.close()
    return result, point_path


def _replay_from_clickhouse(settings: Settings, tenants: list[str] | None, checkpoint: Path | None, restart: bool,
                            producer: Producer, topic: str, stamp: ReplayStamp, time_range: TimeRange,
                            bucket: TokenBucket | None) -> tuple[ReplayResult, Path]:
    from sinks.clickhouse.errors import ClickHouseError
    from sinks.clickhouse.factory import open_client
    from streams.replay import produce_items, stamp_conflict
    from streams.replay_sources import EventLogCheckpoint, EventLogSelection, count_event_log, event_log_items

    if tenants and len(tenants) > 1:
        _replay_fail("--from-clickhouse takes one --tenant (or none for all tenants)")
    selection = EventLogSelection(settings.clickhouse_database, time_range, tenants[0] if tenants else None)
    point_path = checkpoint or settings.home / "replay" / f"clickhouse-{selection.fingerprint}.checkpoint"
    point = EventLogCheckpoint.load(point_path, selection)
    if restart:
        point = EventLogCheckpoint(point_path, selection.fingerprint)
    elif point.after and (conflict := stamp_conflict(point.stamp, stamp)):
        _replay_fail(conflict)
    client = open_client(settings.clickhouse_url, settings.chdb_path)
    try:
        total = count_event_log(client, selection)
        bar = _replay_bar(total, min(point.done, total), topic)
        done, sent = point.done, [0]

        def on_item(_item: object) -> None:
            sent[0] += 1
            bar.update(1)

        def save(position: tuple[str, str, str, str]) -> None:
            point.after, point.done = position, done + sent[0]
            point.stamp = stamp.model_dump(mode="json")
            point.save()

        try:
            result = produce_items(event_log_items(client, selection, point.after, stamp), producer, topic, save,
                                   time_range, bucket, on_item)
        finally:
            bar.close()
    except ClickHouseError as exc:
        _replay_fail(f"cannot read the event log from ClickHouse ({settings.clickhouse_database}.ticket_events): "
                     f"{exc}")
    finally:
        client.close()
    return result, point_path


def _replay_from_helpdesk(settings: Settings, source: str, tenants: list[str] | None, checkpoint: Path | None,
                          restart: bool, producer: Producer, topic: str, stamp: ReplayStamp, time_range: TimeRange,
                          bucket: TokenBucket | None) -> tuple[ReplayResult, Path]:
    from connectors.config import ConnectorConfig
    from streams.replay_helpdesk import HELPDESK_SOURCES, HelpdeskCheckpoint, default_cursor_dir, replay_helpdesk

    if source not in HELPDESK_SOURCES:
        _replay_fail(f"--from-helpdesk: one of {', '.join(HELPDESK_SOURCES)}, not {source!r}")
    if time_range.start is None:
        _replay_fail("--from-helpdesk needs --from: the time the export starts at")
    try:
        config = ConnectorConfig.from_settings(settings)
    except SettingsError as exc:
        _replay_fail(str(exc))
    chosen = tenants or config.tenants_with(source)
    if not chosen:
        _replay_fail(f"no tenant has tenants.<tenant>.connectors.{source} settings")
    point = HelpdeskCheckpoint(checkpoint or default_cursor_dir(settings.home, source, time_range.start))
    if not restart and (conflict := point.conflict(stamp)):
        _replay_fail(conflict)
    point.begin(stamp, restart=restart)
    bar = _replay_bar(None, 0, topic)
    try:
        result = replay_helpdesk(source, [config.source(t, source) for t in chosen], point, producer, topic, stamp,
                                 time_range, bucket, on_item=lambda _item: bar.update(1))
    except (SettingsError, ValueError) as exc:
        _replay_fail(str(exc))
    finally:
        bar.close()
    return result, point.directory


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
