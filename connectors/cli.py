"""`ticketstream connectors serve|write|poll`: the webhook receiver, the outbound writer, the backfill poller.

Imports stay inside the commands so `ticketstream --help` stays fast.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    import threading

    from connectors.config import ConnectorConfig, ConnectorSettings, SourceConfig
    from connectors.cursors import CursorStore
    from connectors.freshdesk.poller import FreshdeskPoller
    from connectors.servicenow.poller import ServiceNowPoller
    from connectors.zendesk.poller import ZendeskPoller
    from schemas import TicketEvent
    from streams.metrics import Metrics
    from streams.settings import Settings

    Poller = ZendeskPoller | FreshdeskPoller | ServiceNowPoller

connectors_app = typer.Typer(no_args_is_help=True, help="Helpdesk webhooks and pollers in, outbound actions out.")


def _setup() -> tuple[Settings, ConnectorSettings, ConnectorConfig, str]:
    import logging

    from connectors.config import ConnectorConfig, load_connector_settings
    from streams.cli import _bootstrap, _settings
    from streams.settings import SettingsError

    settings = _settings()
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        csettings = load_connector_settings()
        config = ConnectorConfig.from_settings(settings)
    except SettingsError as exc:
        typer.secho(str(exc), fg="red", err=True)
        raise typer.Exit(2) from exc
    return settings, csettings, config, _bootstrap(settings)


@connectors_app.command("serve")
def serve(host: str = typer.Option(None, help="Listen address (default TICKETSTREAM_CONNECTORS_HOST)."),
          port: int = typer.Option(None, help="Listen port (default TICKETSTREAM_CONNECTORS_PORT).")) -> None:
    """Receive helpdesk webhooks and put TicketEvents on the inbound topic (2xx only once Kafka has them)."""
    import uvicorn

    from connectors.email.threads import ThreadStore
    from connectors.producer import EventProducer
    from connectors.server import build_app
    from streams.topics import TopicNames, ensure_topics

    settings, csettings, config, bootstrap = _setup()
    ensure_topics(bootstrap, settings)
    producer = EventProducer(bootstrap, TopicNames.from_settings(settings).events,
                             csettings.delivery_timeout_s)
    threads = ThreadStore(settings.home / "connectors" / "email_threads.sqlite")
    app = build_app(csettings, config, producer, threads)
    try:
        uvicorn.run(app, host=host or csettings.host, port=port or csettings.port,
                    log_level=settings.log_level, access_log=False)
    finally:
        producer.close()
        threads.close()


@connectors_app.command("write")
def write(dry_run: bool = typer.Option(False, "--dry-run", help="Log what would be applied; call no API."),
          idle_exit: float = typer.Option(None, help="Exit after this many idle seconds (default: run forever).")
          ) -> None:
    """Apply OutboundActions from the outbound topic to the helpdesks; failures go to the dead-letter topic."""
    import signal
    import threading

    from connectors.outbound.applied import AppliedStore
    from connectors.outbound.writer import OutboundWriter, default_writer_factory, kafka_dead_letter, run_consumer
    from streams.topics import TopicNames, ensure_topics

    settings, csettings, config, bootstrap = _setup()
    ensure_topics(bootstrap, settings)
    names = TopicNames.from_settings(settings)
    from schemas import DeadLetter
    from streams.metrics import Metrics

    metrics = Metrics()
    send_dead_letter = kafka_dead_letter(bootstrap, names.deadletter)

    def dead_letter(letter: DeadLetter) -> None:
        send_dead_letter(letter)
        metrics.deadletters.labels(stage=letter.stage, error_type=letter.error_type).inc()

    applied = AppliedStore(settings.home / "connectors" / "outbound_applied.sqlite")
    writer = OutboundWriter(csettings, config, applied,
                            default_writer_factory(config, csettings.http_timeout_s),
                            dead_letter, dry_run=dry_run)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    ops = None
    if settings.ops_port:
        from streams.health import Health, OpsServer, kafka_check

        ops = OpsServer(Health(readiness={"kafka": kafka_check(bootstrap)}), metrics,
                        host=settings.web_bind, port=settings.ops_port).start_in_thread()
    try:
        counts = run_consumer(writer, bootstrap, names.outbound, csettings.writer_group, stop,
                              idle_exit_s=idle_exit)
    finally:
        writer.close()
        applied.close()
        if ops is not None:
            ops.close()
    typer.echo(" ".join(f"{k}={v}" for k, v in sorted(counts.items())) or "no actions", err=True)


POLLED_SOURCES = ("zendesk", "freshdesk", "servicenow")


@connectors_app.command("poll")
def poll(source: str = typer.Argument("zendesk", help=f"Source to poll ({', '.join(POLLED_SOURCES)})."),
         tenant: list[str] = typer.Option(None, help="Tenants to poll (default: all with this source)."),
         once: bool = typer.Option(False, "--once", help="Poll to the end of the stream once, then exit.")) -> None:
    """Backfill / poll a helpdesk's export or list API with a durable cursor under TICKETSTREAM_HOME."""
    import signal
    import threading

    from connectors.cursors import CursorStore
    from connectors.poll_health import Heartbeat, beating_sleep, stale_after
    from connectors.producer import EventProducer
    from streams.metrics import Metrics
    from streams.settings import SettingsError
    from streams.topics import TopicNames, ensure_topics

    if source not in POLLED_SOURCES:
        typer.secho(f"polling {source!r} is not implemented; sources with a poller: {', '.join(POLLED_SOURCES)}",
                    fg="red", err=True)
        raise typer.Exit(2)
    settings, csettings, config, bootstrap = _setup()
    heartbeat = Heartbeat(stale_after(csettings.poll_interval_s, csettings.http_timeout_s))
    cursors = CursorStore(settings.home / "connectors" / "cursors", on_save=heartbeat.beat)  # a page done
    tenants = tenant or config.tenants_with(source)
    if not tenants:
        typer.secho(f"no tenant has tenants.<tenant>.connectors.{source} settings", fg="red", err=True)
        raise typer.Exit(2)
    ensure_topics(bootstrap, settings)
    producer = EventProducer(bootstrap, TopicNames.from_settings(settings).events,
                             csettings.delivery_timeout_s)
    try:
        pollers = [build_poller(source, config.source(t, source), cursors, producer.deliver_sync,
                                sleep=beating_sleep(heartbeat.beat)) for t in tenants]
    except (SettingsError, ValueError) as exc:
        producer.close()
        typer.secho(str(exc), fg="red", err=True)
        raise typer.Exit(2) from exc
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    metrics = Metrics()
    ops = None
    if settings.ops_port and not once:
        from streams.health import Health, OpsServer, kafka_check

        ops = OpsServer(Health(readiness={"kafka": kafka_check(bootstrap)}, liveness={"poll_loop": heartbeat.check}),
                        metrics, host=settings.web_bind, port=settings.ops_port).start_in_thread()
    failed = False
    try:
        while not stop.is_set():
            for p in pollers:
                failed = not _poll_cycle(p, source, metrics, stop) or failed
                heartbeat.beat()
            if once:
                break
            stop.wait(csettings.poll_interval_s)
    finally:
        for p in pollers:
            p.close()
        producer.close()
        if ops is not None:
            ops.close()
    if once and failed:
        raise typer.Exit(1)


def _poll_cycle(p: Poller, source: str, metrics: Metrics, stop: threading.Event) -> bool:
    """One tenant's cycle. A failure is counted and logged (class and safe text only) and the loop goes on to
    the next tenant and the next interval: one helpdesk being down must not stop the others."""
    import logging

    from streams.health import safe_detail

    try:
        r = p.poll_once(stop)
    except Exception as exc:  # the cursor stays at the last saved page; the next cycle resumes there
        metrics.poll_errors.labels(source, p.tenant, type(exc).__name__).inc()
        logging.getLogger("connectors.poll").error(
            "%s/%s: poll failed: %s", p.tenant, source, safe_detail(f"{type(exc).__name__}: {exc}"))
        typer.echo(f"{p.tenant}/{source}: failed ({type(exc).__name__})", err=True)
        return False
    seen = getattr(r, "already_seen", 0)  # the Zendesk export poller dedups by its own cursor
    for result, count in (("produced", r.events), ("skipped", r.skipped), ("already_seen", seen)):
        metrics.poll_events.labels(source, p.tenant, result).inc(count)
    if r.end_of_stream:
        metrics.poll_last_success.labels(source, p.tenant).set(time.time())
    typer.echo(f"{p.tenant}/{source}: pages={r.pages} events={r.events} skipped={r.skipped}", err=True)
    return True


def build_poller(source: str, cfg: SourceConfig, cursors: CursorStore,
                 deliver: Callable[[list[TicketEvent]], None],
                 sleep: Callable[[float], None] = time.sleep) -> Poller:
    """The poller of `source` for one tenant's settings; also used by `ticketstream replay --from-helpdesk`.
    `sleep` is what it waits with (retries, rate limits)."""
    tenant = cfg.tenant
    if source == "freshdesk":
        from connectors.freshdesk.poller import FreshdeskPoller

        return FreshdeskPoller(tenant, cfg, cursors, deliver, sleep=sleep)
    if source == "servicenow":
        from connectors.servicenow.poller import ServiceNowPoller

        return ServiceNowPoller(tenant, cfg, cursors, deliver, sleep=sleep)
    from connectors.zendesk.poller import ZendeskPoller

    return ZendeskPoller(tenant, cfg, cursors, deliver, sleep=sleep)
