"""The HTML report: rendered in headless Chromium (Debian's package), its charts must draw the data."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sinks.clickhouse import ClickHouseSink
from sinks.clickhouse.report import write_report
from sinks.clickhouse.sample_data import SampleData
from tests.sinks.analytics_data import DAYS, NOW, load, sample

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def chromium() -> str:
    subprocess.run([str(ROOT / "scripts" / "install-chromium.sh")], check=True, timeout=900)
    return CHROMIUM


def dump_dom(chromium: str, page: Path, profile: Path) -> str:
    """The DOM after the page's scripts ran."""
    result = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
         "--virtual-time-budget=5000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=True,
    )
    return result.stdout


@pytest.fixture
def report_page(sink: ClickHouseSink, tmp_path: Path) -> tuple[Path, SampleData]:
    data = sample()
    load(sink, data)
    out = tmp_path / "report.html"
    write_report(sink.client, sink.database, out, days=DAYS, now=NOW)
    return out, data


def test_report_is_self_contained(report_page: tuple[Path, SampleData]) -> None:
    html = report_page[0].read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in html
    assert "default-src 'none'" in html  # the page could not fetch anything even if it tried


def test_report_charts_draw_in_chromium(chromium: str, report_page: tuple[Path, SampleData], tmp_path: Path) -> None:
    page, data = report_page
    dom = dump_dom(chromium, page, tmp_path / "profile")
    assert 'data-rendered="1"' in dom, "the report's script did not finish"
    marks = [int(m) for m in re.findall(r'<svg[^>]*data-marks="(\d+)"', dom)]
    assert len(marks) == 7  # volume, languages, SLA risk, sentiment, cost, local share, dead letters
    assert all(m > 0 for m in marks), marks
    assert dom.count('class="mark"') == sum(marks)
    # The totals shown are the data's, and the dead-letter reasons are listed.
    start = NOW.timestamp() - DAYS * 86400
    events = sum(1 for t in data.enriched if start <= t.occurred_at.timestamp() < NOW.timestamp())
    assert f"<b>{events}</b>" in dom
    assert "stage failed after 5 retries: TimeoutError" in dom


def test_report_without_data_says_so(chromium: str, sink: ClickHouseSink, tmp_path: Path) -> None:
    out = tmp_path / "empty.html"
    write_report(sink.client, sink.database, out, days=3, now=NOW)
    dom = dump_dom(chromium, out, tmp_path / "profile")
    assert 'data-rendered="1"' in dom
    assert dom.count(">no data in this period<") == 7
    assert re.findall(r'data-marks="(\d+)"', dom) == ["0"] * 7


def test_report_text_cannot_inject_markup(chromium: str, sink: ClickHouseSink, tmp_path: Path) -> None:
    data = sample()
    evil = data.dead_letters[0].model_copy(update={"reason": "</script><img src=x onerror=alert(1)> <b>bold</b>"})
    sink.write_dead_letters([evil, *data.dead_letters[1:]])
    out = tmp_path / "evil.html"
    write_report(sink.client, sink.database, out, days=DAYS, now=NOW)
    assert "</script><img" not in out.read_text(encoding="utf-8")
    dom = dump_dom(chromium, out, tmp_path / "profile")
    assert "<img" not in dom and "&lt;/script&gt;&lt;img src=x" in dom


def test_cli_writes_the_report(tmp_path: Path) -> None:
    """`ticketstream report` in its own process (its own chDB data directory under TICKETSTREAM_HOME)."""
    env = {**os.environ, "TICKETSTREAM_HOME": str(tmp_path / "home")}
    env.pop("CLICKHOUSE_URL", None)
    seed = (
        "from datetime import UTC, datetime\n"
        "from sinks.clickhouse import open_clickhouse\n"
        "from sinks.clickhouse.sample_data import generate\n"
        f"sink = open_clickhouse(None, __import__('pathlib').Path({str(tmp_path / 'home' / 'chdb')!r}))\n"
        "d = generate(60, days=3, end=datetime.now(UTC))\n"
        "sink.write_enriched(d.enriched); sink.write_dead_letters(d.dead_letters); sink.close()\n"
    )
    subprocess.run([sys.executable, "-c", seed], cwd=ROOT, env=env, check=True, timeout=300)
    out = tmp_path / "r.html"
    done = subprocess.run([sys.executable, "-m", "streams.cli", "report", "--out", str(out), "--days", "4"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "events" in done.stdout and out.exists()
    assert '"events": 0' not in out.read_text(encoding="utf-8")
