"""A single-node Apache Kafka broker (KRaft mode) run locally from the official jars.

This is what ``ticketstream kafka up|down|status`` drives. The broker's jars come from Maven Central
(``org.apache.kafka:kafka_2.13``) and are resolved once with ``mvn`` into a cache directory outside the
repository (``~/.cache/ticketstream/kafka/<version>``, or under ``$XDG_CACHE_HOME``). Everything that
belongs to one broker lives under ``<home>/kafka/``:

    server.properties   written on every ``up``
    log4j2.properties   the broker's logging configuration (from ``streams/resources``)
    broker.log          the broker's log (log4j2, rolled at 50 MB)
    broker.out          the JVM's stdout/stderr (startup failures, crashes)
    broker.pid          the PID of the running broker
    broker.json         what was started: pid, version, ports, start time
    cluster.id          the KRaft cluster id the data directory was formatted with
    data/               the log directory (topics, offsets, KRaft metadata)

A production deployment points ``KAFKA_BOOTSTRAP_SERVERS`` at a real cluster instead, see
:func:`resolve_bootstrap`.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

__all__ = [
    "BOOTSTRAP_ENV",
    "BrokerInfo",
    "BrokerStatus",
    "KafkaLocalError",
    "LocalKafka",
    "default_cache_dir",
    "resolve_bootstrap",
]

logger = logging.getLogger(__name__)

BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS"
DEFAULT_KAFKA_VERSION = "4.1.1"
LOG4J_VERSION = "2.24.3"
SLF4J_VERSION = "2.0.17"
HOST = "127.0.0.1"
MIN_JAVA_MAJOR = 17

_POM_TEMPLATE = """\
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>ticketstream</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>{kafka}</version>
    </dependency>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j2-impl</artifactId>
      <version>{log4j}</version>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId><version>{slf4j}</version>
    </dependency>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>{log4j}</version>
    </dependency>
  </dependencies>
</project>
"""


class KafkaLocalError(RuntimeError):
    """The local broker could not be prepared, started or stopped; the message says why and what to do."""


@dataclass(frozen=True)
class BrokerInfo:
    """The result of :meth:`LocalKafka.up`."""

    bootstrap: str
    pid: int
    version: str
    data_dir: Path
    log_file: Path
    already_running: bool
    startup_seconds: float

    def summary(self) -> str:
        if self.already_running:
            return f"Kafka {self.version} is already running at {self.bootstrap} (pid {self.pid})"
        return (
            f"Kafka {self.version} is up at {self.bootstrap} (pid {self.pid}), "
            f"answering after {self.startup_seconds:.1f} s; log: {self.log_file}"
        )


@dataclass(frozen=True)
class BrokerStatus:
    """The result of :meth:`LocalKafka.status`."""

    running: bool
    pid: int | None
    bootstrap: str
    answering: bool
    version: str
    data_dir: Path
    log_file: Path
    formatted: bool

    def summary(self) -> str:
        if not self.running:
            return f"Kafka is not running (would listen on {self.bootstrap}; data: {self.data_dir})"
        state = "answering" if self.answering else "NOT answering"
        return (
            f"Kafka {self.version} is running at {self.bootstrap} (pid {self.pid}), {state}; "
            f"data: {self.data_dir}; log: {self.log_file}"
        )


def default_cache_dir(kafka_version: str, env: Mapping[str, str] | None = None) -> Path:
    """``$XDG_CACHE_HOME/ticketstream/kafka/<version>``, defaulting to ``~/.cache/...``."""
    env = os.environ if env is None else env
    base = Path(env["XDG_CACHE_HOME"]) if env.get("XDG_CACHE_HOME") else Path.home() / ".cache"
    return base / "ticketstream" / "kafka" / kafka_version


def resolve_bootstrap(env: Mapping[str, str], local: LocalKafka | None = None) -> str | None:
    """The bootstrap servers to use: ``KAFKA_BOOTSTRAP_SERVERS`` when set and non-empty wins;
    otherwise the local broker's address if ``local`` is given and its broker is running; else None."""
    configured = env.get(BOOTSTRAP_ENV, "").strip()
    if configured:
        return configured
    if local is not None:
        status = local.status(probe=False)
        if status.running:
            return status.bootstrap
    return None


@dataclass
class LocalKafka:
    """A single-node Kafka broker (broker and controller in one process), its files under ``home/kafka``."""

    home: Path
    port: int = 29092
    controller_port: int = 29093
    kafka_version: str = DEFAULT_KAFKA_VERSION
    heap: str = "512m"
    cache_dir: Path | None = None
    extra_properties: Mapping[str, str] = field(default_factory=dict)
    echo: Callable[[str], None] | None = None
    """Called with progress messages while work is under way (jar download, formatting, starting,
    stopping) and with warnings; results are returned (see ``summary()``), not echoed. Everything also
    goes to this module's logger."""

    def __post_init__(self) -> None:
        self.home = Path(self.home).expanduser().resolve()
        if self.cache_dir is None:
            self.cache_dir = default_cache_dir(self.kafka_version)
        self.cache_dir = Path(self.cache_dir).expanduser().resolve()
        for name, port in (("port", self.port), ("controller_port", self.controller_port)):
            if not 0 < port < 65536:
                raise KafkaLocalError(f"{name} must be between 1 and 65535, not {port}")
        if self.port == self.controller_port:
            raise KafkaLocalError(f"port and controller_port must differ (both are {self.port})")

    # ------------------------------------------------------------------ paths

    @property
    def bootstrap(self) -> str:
        return f"{HOST}:{self.port}"

    @property
    def kafka_dir(self) -> Path:
        return self.home / "kafka"

    @property
    def data_dir(self) -> Path:
        return self.kafka_dir / "data"

    @property
    def log_file(self) -> Path:
        return self.kafka_dir / "broker.log"

    @property
    def out_file(self) -> Path:
        return self.kafka_dir / "broker.out"

    @property
    def pid_file(self) -> Path:
        return self.kafka_dir / "broker.pid"

    @property
    def state_file(self) -> Path:
        return self.kafka_dir / "broker.json"

    @property
    def properties_file(self) -> Path:
        return self.kafka_dir / "server.properties"

    @property
    def log4j_file(self) -> Path:
        return self.kafka_dir / "log4j2.properties"

    @property
    def cluster_id_file(self) -> Path:
        return self.kafka_dir / "cluster.id"

    @property
    def libs_dir(self) -> Path:
        assert self.cache_dir is not None
        return self.cache_dir / "libs"

    # ------------------------------------------------------------------ jars

    def jars_ready(self) -> bool:
        return (self.libs_dir / ".complete").is_file()

    def ensure_jars(self) -> Path:
        """Resolve Kafka's jars (and log4j2) from Maven Central into the cache once; return the libs dir.

        The download goes to a temporary directory that is renamed into place only when mvn succeeded,
        so an interrupted download is simply redone next time.
        """
        if self.jars_ready():
            return self.libs_dir
        assert self.cache_dir is not None
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        with _file_lock(self.cache_dir / ".lock"):
            if self.jars_ready():  # another process finished it while we waited
                return self.libs_dir
            mvn = shutil.which("mvn")
            if mvn is None:
                raise KafkaLocalError(
                    "Apache Maven ('mvn') is not on PATH; it is needed once to download Kafka's jars from "
                    "Maven Central. Install Maven 3.8+ (Debian/Ubuntu: 'apt-get install maven'; macOS: "
                    "'brew install maven'), or point KAFKA_BOOTSTRAP_SERVERS at an existing Kafka cluster."
                )
            for stale in self.cache_dir.glob("libs.partial-*"):
                shutil.rmtree(stale, ignore_errors=True)
            if self.libs_dir.exists():  # incomplete leftover without the marker
                shutil.rmtree(self.libs_dir)
            pom = self.cache_dir / "pom.xml"
            pom.write_text(
                _POM_TEMPLATE.format(kafka=self.kafka_version, log4j=LOG4J_VERSION, slf4j=SLF4J_VERSION)
            )
            partial = self.cache_dir / f"libs.partial-{os.getpid()}"
            self._say(
                f"Downloading Apache Kafka {self.kafka_version} jars from Maven Central into "
                f"{self.cache_dir} (first run only, ~45 MB)..."
            )
            started = time.monotonic()
            cmd = [
                mvn, "-q", "-B", "-Dstyle.color=never", "-f", str(pom), "dependency:copy-dependencies",
                f"-DoutputDirectory={partial}", "-DincludeScope=runtime",
            ]  # fmt: skip
            try:
                proc = subprocess.run(
                    cmd, cwd=self.cache_dir, capture_output=True, text=True, timeout=900, check=False
                )
            except subprocess.TimeoutExpired as exc:
                shutil.rmtree(partial, ignore_errors=True)
                raise KafkaLocalError(
                    "Resolving Kafka's jars with mvn took longer than 15 minutes; "
                    "check access to Maven Central"
                ) from exc
            main_jar = partial / f"kafka_2.13-{self.kafka_version}.jar"
            if proc.returncode != 0 or not main_jar.is_file():
                shutil.rmtree(partial, ignore_errors=True)
                tail = _tail_text((proc.stdout or "") + (proc.stderr or ""), 25)
                raise KafkaLocalError(
                    f"Could not resolve org.apache.kafka:kafka_2.13:{self.kafka_version} with mvn "
                    f"(exit code {proc.returncode}; pom: {pom}). Last lines of mvn's output:\n{tail}"
                )
            jars = sorted(p.name for p in partial.glob("*.jar"))
            (partial / ".complete").write_text(
                json.dumps(
                    {
                        "kafka": self.kafka_version,
                        "log4j": LOG4J_VERSION,
                        "slf4j": SLF4J_VERSION,
                        "jars": jars,
                    },
                    indent=1,
                )
            )
            os.rename(partial, self.libs_dir)  # atomic: the libs dir exists only when complete
            self._say(f"Resolved {len(jars)} jars in {time.monotonic() - started:.1f} s")
        return self.libs_dir

    # ------------------------------------------------------------------ lifecycle

    def up(self, timeout: float = 60.0) -> BrokerInfo:
        """Start the broker (downloading jars and formatting the data dir when needed) and wait until it
        answers. Returns immediately when this home's broker is already running and answering."""
        self.kafka_dir.mkdir(parents=True, exist_ok=True)
        with _file_lock(self.kafka_dir / ".lock"):
            return self._up_locked(timeout)

    def _up_locked(self, timeout: float) -> BrokerInfo:
        pid = self._running_pid()
        if pid is not None:
            state = self._read_state()
            bootstrap = str(state.get("bootstrap", self.bootstrap))
            version = str(state.get("version", self.kafka_version))
            started = time.monotonic()
            while not _answers(bootstrap, 1.0):
                if time.monotonic() - started > timeout:
                    raise KafkaLocalError(
                        f"A Kafka broker for {self.home} is running (pid {pid}) but does not answer at "
                        f"{bootstrap} after {timeout:.0f} s; see {self.log_file}, or run "
                        "'ticketstream kafka down' and try again."
                    )
                if self._running_pid() is None:
                    raise KafkaLocalError(
                        f"The Kafka broker (pid {pid}) exited while starting. Last lines of its log:\n"
                        + self._log_tail()
                    )
                time.sleep(0.25)
            logger.info(f"Kafka {version} is already running at {bootstrap} (pid {pid})")
            return BrokerInfo(
                bootstrap=bootstrap, pid=pid, version=version, data_dir=self.data_dir, log_file=self.log_file,
                already_running=True, startup_seconds=0.0,
            )  # fmt: skip

        for name, port in (("port", self.port), ("controller_port", self.controller_port)):
            if not _port_free(HOST, port):
                raise KafkaLocalError(
                    f"Port {port} on {HOST} ({name}) is already in use by another process, not by the "
                    f"Kafka broker of {self.home}. Stop that process or choose another port "
                    "(e.g. 'ticketstream kafka up --port <free port>')."
                )

        java = self._java()
        libs = self.ensure_jars()
        self._write_configs()
        self._format_once(java, libs)

        self._say(f"Starting Kafka {self.kafka_version} at {self.bootstrap} (data: {self.data_dir})...")
        cmd = [
            java,
            f"-Xmx{self.heap}",
            "-XX:+UseG1GC",
            "-XX:MaxGCPauseMillis=20",
            "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={self.log4j_file}",
            f"-Dkafka.logs.dir={self.kafka_dir}",
            "-cp",
            f"{libs}{os.sep}*",
            "kafka.Kafka",
            str(self.properties_file),
        ]
        started = time.monotonic()
        with open(self.out_file, "ab") as out:
            out.write(f"\n==== {time.strftime('%Y-%m-%d %H:%M:%S')} starting: {' '.join(cmd)}\n".encode())
            out.flush()
            proc = subprocess.Popen(
                cmd, cwd=self.kafka_dir, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        _write_atomic(self.pid_file, f"{proc.pid}\n")
        _write_atomic(
            self.state_file,
            json.dumps(
                {
                    "pid": proc.pid,
                    "version": self.kafka_version,
                    "bootstrap": self.bootstrap,
                    "port": self.port,
                    "controller_port": self.controller_port,
                    "started_at": time.time(),
                },
                indent=1,
            ),
        )

        while True:
            code = proc.poll()
            if code is not None:
                self._forget_pid()
                raise KafkaLocalError(
                    f"The Kafka broker exited during startup (exit code {code}). Last lines of its log:\n"
                    + self._log_tail()
                )
            if _answers(self.bootstrap, 1.0):
                break
            if time.monotonic() - started > timeout:
                tail = self._log_tail()
                self._stop_pid(proc.pid, 15.0)
                self._forget_pid()
                raise KafkaLocalError(
                    f"The Kafka broker did not answer at {self.bootstrap} within {timeout:.0f} s and was "
                    f"stopped. Last lines of its log:\n{tail}"
                )
            time.sleep(0.2)
        # A restarted broker answers before its partitions have leaders again; wait for those too, so
        # that producing and consuming work as soon as `up` returns.
        while (leaderless := _leaderless_partitions(self.bootstrap, 2.0)) != []:
            if time.monotonic() - started > timeout:
                self._say(
                    f"Warning: Kafka answers at {self.bootstrap}, but after {timeout:.0f} s these partitions "
                    f"still have no leader: {', '.join((leaderless or ['?'])[:10])}; see {self.log_file}",
                    logging.WARNING,
                )
                break
            time.sleep(0.2)
        elapsed = time.monotonic() - started
        info = BrokerInfo(
            bootstrap=self.bootstrap, pid=proc.pid, version=self.kafka_version, data_dir=self.data_dir,
            log_file=self.log_file, already_running=False, startup_seconds=elapsed,
        )  # fmt: skip
        logger.info(info.summary())
        return info

    def down(self, timeout: float = 30.0) -> bool:
        """Stop the broker: SIGTERM (controlled shutdown), SIGKILL after ``timeout`` seconds.

        Returns True when a broker was stopped, False when none was running (which is fine)."""
        if not self.kafka_dir.is_dir():
            return False
        with _file_lock(self.kafka_dir / ".lock"):
            pid = self._running_pid()
            if pid is None:
                self._forget_pid()
                logger.info(f"Kafka is not running (home: {self.home})")
                return False
            self._say(f"Stopping Kafka (pid {pid})...")
            started = time.monotonic()
            killed = self._stop_pid(pid, timeout)
            self._forget_pid()
            how = "killed after the timeout" if killed else "stopped"
            logger.info(f"Kafka {how} in {time.monotonic() - started:.1f} s")
            return True

    def status(self, probe: bool = True) -> BrokerStatus:
        """Whether this home's broker runs (PID file and a live process) and, with ``probe``, answers."""
        pid = self._running_pid()
        state = self._read_state() if pid is not None else {}
        bootstrap = str(state.get("bootstrap", self.bootstrap))
        version = str(state.get("version", self.kafka_version))
        answering = pid is not None and probe and _answers(bootstrap, 2.0)
        return BrokerStatus(
            running=pid is not None, pid=pid, bootstrap=bootstrap, answering=answering, version=version,
            data_dir=self.data_dir, log_file=self.log_file,
            formatted=(self.data_dir / "meta.properties").is_file(),
        )  # fmt: skip

    # ------------------------------------------------------------------ internals

    def _say(self, message: str, level: int = logging.INFO) -> None:
        logger.log(level, message)
        if self.echo is not None:
            self.echo(message)

    def _java(self) -> str:
        java = shutil.which("java")
        if java is None:
            raise KafkaLocalError(
                f"'java' is not on PATH; Kafka {self.kafka_version} needs a Java {MIN_JAVA_MAJOR}+ runtime. "
                "Install one (Debian/Ubuntu: 'apt-get install openjdk-17-jre-headless'; macOS: "
                "'brew install openjdk@17'), or point KAFKA_BOOTSTRAP_SERVERS at an existing Kafka cluster."
            )
        proc = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60, check=False)
        match = re.search(r'version "(\d+)(?:\.(\d+))?', proc.stderr + proc.stdout)
        if match:
            major = int(match.group(1))
            if major == 1 and match.group(2):  # "1.8.0_..."
                major = int(match.group(2))
            if major < MIN_JAVA_MAJOR:
                raise KafkaLocalError(
                    f"{java} is Java {major}; Kafka {self.kafka_version} needs Java {MIN_JAVA_MAJOR} "
                    "or newer. "
                    "Install a newer JDK/JRE (Debian/Ubuntu: 'apt-get install openjdk-17-jre-headless') "
                    "and put it first on PATH."
                )
        return java

    def _server_properties(self) -> dict[str, str]:
        props = {
            "process.roles": "broker,controller",
            "node.id": "1",
            "controller.quorum.voters": f"1@{HOST}:{self.controller_port}",
            "listeners": f"PLAINTEXT://{HOST}:{self.port},CONTROLLER://{HOST}:{self.controller_port}",
            "advertised.listeners": f"PLAINTEXT://{HOST}:{self.port}",
            "inter.broker.listener.name": "PLAINTEXT",
            "controller.listener.names": "CONTROLLER",
            "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "log.dirs": str(self.data_dir),
            "num.partitions": "1",
            "offsets.topic.replication.factor": "1",
            "transaction.state.log.replication.factor": "1",
            "transaction.state.log.min.isr": "1",
            "share.coordinator.state.topic.replication.factor": "1",
            "share.coordinator.state.topic.min.isr": "1",
            "group.initial.rebalance.delay.ms": "0",
        }
        props.update({str(k): str(v) for k, v in self.extra_properties.items()})
        return props

    def _write_configs(self) -> None:
        lines = ["# Written by ticketstream (streams/kafka_local.py) on every 'kafka up'; edits are lost."]
        lines += [f"{key}={value}" for key, value in self._server_properties().items()]
        _write_atomic(self.properties_file, "\n".join(lines) + "\n")
        template = resources.files("streams").joinpath("resources", "kafka-log4j2.properties")
        _write_atomic(self.log4j_file, template.read_text(encoding="utf-8"))

    def _format_once(self, java: str, libs: Path) -> None:
        if (self.data_dir / "meta.properties").is_file():
            return
        if self.cluster_id_file.is_file():
            cluster_id = self.cluster_id_file.read_text().strip()
        else:
            cluster_id = _random_cluster_id()
            _write_atomic(self.cluster_id_file, cluster_id + "\n")
        self._say(f"Formatting {self.data_dir} (cluster id {cluster_id})...")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        cmd = [
            java, "-Xmx256m", f"-Dlog4j2.configurationFile={self.log4j_file}",
            f"-Dkafka.logs.dir={self.kafka_dir}", "-cp", f"{libs}{os.sep}*",
            "kafka.tools.StorageTool", "format", "-t", cluster_id, "-c", str(self.properties_file),
            "--ignore-formatted",
        ]  # fmt: skip
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
        if proc.returncode != 0:
            raise KafkaLocalError(
                f"Formatting the Kafka data directory {self.data_dir} failed (exit code {proc.returncode}):\n"
                + _tail_text(proc.stdout + proc.stderr, 25)
            )

    def _running_pid(self) -> int | None:
        """The PID from the PID file when that process is alive and is this home's broker."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        if not _pid_alive(pid):
            return None
        cmdline = _cmdline(pid)
        if cmdline is not None and not (
            "kafka.Kafka" in cmdline and str(self.properties_file) in cmdline
        ):  # the PID was reused by an unrelated process
            return None
        return pid

    def _forget_pid(self) -> None:
        for path in (self.pid_file, self.state_file):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

    def _read_state(self) -> dict[str, object]:
        try:
            data = json.loads(self.state_file.read_text())
        except (FileNotFoundError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _stop_pid(self, pid: int, timeout: float) -> bool:
        """SIGTERM, wait up to ``timeout``, then SIGKILL. Returns True when SIGKILL was needed."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        if _wait_dead(pid, timeout):
            return False
        self._say(f"Kafka (pid {pid}) did not stop within {timeout:.0f} s; sending SIGKILL", logging.WARNING)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        if not _wait_dead(pid, 10.0):
            raise KafkaLocalError(f"Kafka (pid {pid}) is still alive after SIGKILL")
        return True

    def _log_tail(self, lines: int = 30) -> str:
        parts = []
        for path in (self.log_file, self.out_file):
            if path.is_file():
                text = _tail_text(_read_tail(path), lines)
                if text.strip():
                    parts.append(f"--- {path} ---\n{text}")
        return "\n".join(parts) or "(no log output)"


# ---------------------------------------------------------------------- helpers


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def _random_cluster_id() -> str:
    """A Kafka cluster id: 16 random bytes, URL-safe base64 without padding (what ``random-uuid`` prints)."""
    while True:
        value = base64.urlsafe_b64encode(os.urandom(16)).decode().rstrip("=")
        if not value.startswith("-"):
            return value


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:  # our own child (the broker we started in this process): waitpid is authoritative, and reaps it
        done, _ = os.waitpid(pid, os.WNOHANG)
        return done != pid
    except ChildProcessError:
        pass  # not our child
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie waiting for its parent is dead for our purposes, but the JVM's main thread can be a zombie
    # while its other threads are still shutting down, so look at every thread.
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
        states = [(task / "stat").read_text().rsplit(")", 1)[1].split()[0] for task in tasks]
    except (OSError, IndexError):
        return True  # no /proc (or it vanished meanwhile): trust kill(0)
    return any(state not in ("Z", "X") for state in states)


def _cmdline(pid: int) -> str | None:
    """The process's command line, or None where /proc is not available."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return None


def _wait_dead(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _pid_alive(pid):
            return True
        time.sleep(0.1)
    return not _pid_alive(pid)


def _port_free(host: str, port: int) -> bool:
    """Whether a listener could bind ``host:port`` (SO_REUSEADDR, as the JVM does, so TIME_WAIT is fine)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _answers(bootstrap: str, timeout: float) -> bool:
    """Whether a Kafka broker answers a metadata request at ``bootstrap`` within ``timeout`` seconds."""
    return _leaderless_partitions(bootstrap, timeout) is not None


def _leaderless_partitions(bootstrap: str, timeout: float) -> list[str] | None:
    """None when no broker answers a metadata request at ``bootstrap`` within ``timeout`` seconds; else
    the partitions (``topic[n]``) that have no leader yet, which is normal for a moment after a restart."""
    from confluent_kafka import KafkaException
    from confluent_kafka.admin import AdminClient

    admin = AdminClient(
        {
            "bootstrap.servers": bootstrap,
            "socket.connection.setup.timeout.ms": max(1000, int(timeout * 1000)),
            "log_level": 0,  # connection refused while starting is expected; keep librdkafka quiet
        }
    )
    try:
        metadata = admin.list_topics(timeout=timeout)
    except KafkaException:
        return None
    if not metadata.brokers:
        return None
    leaderless = []
    for topic in metadata.topics.values():
        if topic.error is not None and not topic.partitions:
            leaderless.append(f"{topic.topic}[?]")
        leaderless += [
            f"{topic.topic}[{p.id}]" for p in topic.partitions.values() if p.leader < 0 or p.error is not None
        ]
    return sorted(leaderless)


def _read_tail(path: Path, max_bytes: int = 64 * 1024) -> str:
    with open(path, "rb") as handle:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        handle.seek(max(0, size - max_bytes))
        return handle.read().decode(errors="replace")


def _tail_text(text: str, lines: int) -> str:
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)  # terminal colours
    return "\n".join(text.rstrip().splitlines()[-lines:])
