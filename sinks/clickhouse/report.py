"""`ticketstream report`: one self-contained HTML page of the last N days, for people without a BI tool.

The numbers come from the query pack (the same SQL analysts run); the page embeds them as JSON next to
a small chart script (report_assets/charts.js) that draws SVG in the browser. Everything is inline: the
page opens from a file or an e-mail attachment with no network. Text from the database (labels, dead
letter reasons) is set with textContent by the script, never parsed as HTML.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from sinks.clickhouse.client import ClickHouseClient
from sinks.clickhouse.query_pack import run_query

MAX_SERIES = 8  # beyond this, the smallest series of a chart are summed into "other"


@dataclass(frozen=True)
class ReportPeriod:
    start: datetime
    end: datetime

    @classmethod
    def last_days(cls, days: int, now: datetime | None = None) -> ReportPeriod:
        if days < 1:
            raise ValueError(f"report: --days must be at least 1, got {days}")
        end = (now or datetime.now(UTC)).astimezone(UTC)
        return cls(start=end - timedelta(days=days), end=end)

    def day_labels(self) -> list[str]:
        first, last = self.start.date(), self.end.date()
        return [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 6)
    return value


def _pivot(
    rows: list[dict[str, Any]], x: list[str], x_key: str, series_key: str, value_key: str
) -> list[dict[str, Any]]:
    """Rows of (x, series, value) as chart series over the labels `x`; small series folded into 'other'."""
    totals: dict[str, float] = {}
    cells: dict[tuple[str, str], float] = {}
    for row in rows:
        name = str(row[series_key]) or "(none)"
        key = (str(_plain(row[x_key])), name)
        cells[key] = cells.get(key, 0.0) + float(row[value_key])
        totals[name] = totals.get(name, 0.0) + float(row[value_key])
    names = sorted(totals, key=lambda n: (-totals[n], n))
    kept, folded = names[: MAX_SERIES - 1] if len(names) > MAX_SERIES else names, names[MAX_SERIES - 1 :]
    series = [{"name": n, "values": [cells.get((label, n), 0.0) for label in x]} for n in kept]
    if len(names) > MAX_SERIES:
        series.append(
            {"name": "other", "values": [sum(cells.get((label, n), 0.0) for n in folded) for label in x]}
        )
    return series


def collect(client: ClickHouseClient, database: str, period: ReportPeriod, tenant: str = "") -> dict[str, Any]:
    """Run the pack queries the page shows and shape them for the charts (JSON-ready)."""

    def rows(name: str) -> list[dict[str, Any]]:
        return run_query(client, database, name, period.start, period.end, tenant).dicts()

    days = period.day_labels()
    volume = rows("volume_by_day")
    by_language = rows("categories_by_language")
    languages = sorted({str(r["language"]) for r in by_language})
    sentiment = rows("sentiment_trend")
    risk = rows("sla_risk_by_queue")
    cost_by_day = rows("llm_cost_by_day")
    per_tenant = rows("llm_cost_per_tenant")
    local_share = {str(_plain(r["day"])): float(r["local_share"]) for r in rows("local_model_share")}
    dead = rows("dead_letters_by_stage")
    return {
        "period": {"start": _plain(period.start), "end": _plain(period.end), "tenant": tenant or "all tenants"},
        "totals": {
            "events": int(sum(r["events"] for r in volume)),
            "new_tickets": int(sum(r["created"] for r in volume)),
            "llm_cost_usd": round(sum(float(r["cost_usd"]) for r in per_tenant), 4),
            "dead_letters": int(sum(r["letters"] for r in dead)),
        },
        "volume": {"x": days, "series": _pivot(volume, days, "day", "category", "events")},
        "categories_by_language": {
            "x": languages,
            "series": _pivot(by_language, languages, "language", "category", "events"),
        },
        "sla_risk": {
            "labels": [str(r["queue"]) for r in risk],
            "values": [float(r["avg_breach_probability"]) for r in risk],
        },
        "sentiment": {"x": days, "series": _pivot(sentiment, days, "day", "sentiment", "events")},
        "cost": {
            "x": days,
            "series": _pivot(cost_by_day, days, "day", "model", "cost_usd"),
            "local_share": [{"name": "local model share", "values": [local_share.get(d, 0.0) for d in days]}],
            "per_tenant": {
                "columns": ["tenant", "calls", "tickets", "cost (USD)", "USD per ticket", "failed share"],
                "rows": [
                    [r["tenant_id"], r["calls"], r["tickets"], _plain(r["cost_usd"]),
                     _plain(r["cost_per_ticket_usd"]), _plain(r["failed_share"])]
                    for r in per_tenant
                ],
            },
        },
        "dead_letters": {
            "labels": _dead_letter_labels(dead),
            "values": [int(r["letters"]) for r in dead[:12]],
            "columns": ["stage", "error type", "reason", "letters", "last"],
            "rows": [
                [r["stage"], r["error_type"], r["reason"], r["letters"], _plain(r["last_failed_at"])] for r in dead
            ],
        },
    }


def _dead_letter_labels(rows: Sequence[dict[str, Any]]) -> list[str]:
    return [f"{r['stage']} · {r['error_type']}" for r in rows[:12]]




def _script_json(data: dict[str, Any]) -> str:
    """JSON safe inside a <script> element: no `</script>` or `<!--` can end it early."""
    text = json.dumps(data, ensure_ascii=False, default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _asset(name: str) -> str:
    return resources.files("sinks.clickhouse").joinpath("report_assets", name).read_text(encoding="utf-8")


def render(data: dict[str, Any], title: str = "ticketstream report") -> str:
    """The page (report_assets/page.html) with its title, data and chart script filled in."""
    charts = _asset("charts.js")
    if "</script" in charts.lower():
        raise ValueError("charts.js must not contain '</script'")
    page = _asset("page.html")
    return page.replace("__TITLE__", html.escape(title)).replace("__CHARTS__", charts).replace(
        "__DATA__", _script_json(data)
    )


def write_report(
    client: ClickHouseClient,
    database: str,
    out: Path,
    days: int = 7,
    tenant: str = "",
    now: datetime | None = None,
) -> dict[str, Any]:
    """Collect the last `days` days and write the page to `out`; returns the collected data."""
    period = ReportPeriod.last_days(days, now)
    data = collect(client, database, period, tenant)
    out.write_text(render(data), encoding="utf-8")
    return data
