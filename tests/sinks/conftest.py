"""Fixtures: one chDB engine per test process, reached directly and through the HTTP front."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from sinks.clickhouse import ChdbClient, ClickHouseClient, ClickHouseSink, ConnectClient
from sinks.clickhouse.retention import Retention
from tests.support.chdb_http import ChdbHttpServer, shared_chdb_dir


@pytest.fixture(scope="session")
def chdb_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_chdb_dir(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="session")
def chdb_front(chdb_dir: Path) -> Iterator[ChdbHttpServer]:
    with ChdbHttpServer(chdb_dir) as front:
        yield front


@pytest.fixture(params=["chdb", "connect"])
def client(request: pytest.FixtureRequest, chdb_dir: Path) -> Iterator[ClickHouseClient]:
    """The two client paths over the same engine: chDB in-process, clickhouse-connect over HTTP."""
    opened: ClickHouseClient
    if request.param == "chdb":
        opened = ChdbClient(chdb_dir)
    else:
        front: ChdbHttpServer = request.getfixturevalue("chdb_front")
        opened = ConnectClient(front.url)
    yield opened
    opened.close()


@pytest.fixture
def database() -> str:
    """A fresh database per test: tests share the process's one chDB engine."""
    return f"ts_test_{uuid.uuid4().hex[:12]}"


@pytest.fixture
def sink(client: ClickHouseClient, database: str) -> ClickHouseSink:
    """Without TTL: the tests write fixed dates that a retention relative to today would expire."""
    sink = ClickHouseSink(client, database, retention=Retention.forever())
    sink.ensure_schema()
    return sink
