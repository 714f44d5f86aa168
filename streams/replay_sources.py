"""Replay sources besides JSONL: a CSV export, and the pipeline's own event log in ClickHouse.

Both turn records into TicketEvent JSON without validating it: validation is the stream's job, and a record
that is not a valid event reaches the pii stage as it is and is dead-lettered there with the field and the
reason, the same policy as a bad JSONL line. Nothing is dropped on the way.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from schemas import ReplayStamp
from sinks.clickhouse.client import ClickHouseClient, quote_identifier
from streams.replay import ReplayItem, TimeRange, encode_event, key_of, occurred_at_of, write_json_atomically

# -------------------------------------------------------------------------------------------------- CSV

CSV_REQUIRED = ("tenant_id", "source", "ticket_id", "event_id", "event_type", "occurred_at")
CSV_OPTIONAL = ("schema_version", "ticket_created_at", "subject", "body", "channel", "priority", "status", "queue",
                "tags", "custom_fields", "raw_attributes", "requester.id", "requester.name", "requester.email",
                "requester.phone", "author_role", "comment_public")
CSV_COLUMNS = CSV_REQUIRED + CSV_OPTIONAL
"""The columns of a CSV export: TicketEvent's fields, `requester.*` for the requester's; any order."""
_JSON_OBJECTS = ("custom_fields", "raw_attributes")
_FIELD_LIMIT = 16 * 1024 * 1024  # well above any valid event: a longer field is the stream's to reject
TOO_MANY_VALUES = "csv_row_has_more_values_than_the_header"
TOO_FEW_VALUES = "csv_row_has_fewer_values_than_the_header"
UNREADABLE = "csv_row_unreadable"
"""Keys put on a malformed row, so its dead letter's reason names the problem ("… Extra inputs are not
permitted"), while the payload keeps every value the row had."""


def csv_header_problem(columns: Sequence[str] | None) -> str | None:
    """What is wrong with a CSV header, or None. Checked before anything is produced: a typo in the header
    would otherwise dead-letter every row."""
    if not columns:
        return "the CSV file has no header row"
    unknown = [c for c in columns if c not in CSV_COLUMNS]
    missing = [c for c in CSV_REQUIRED if c not in columns]
    duplicate = sorted({c for c in columns if columns.count(c) > 1})
    problems = []
    if unknown:
        problems.append(f"unknown columns {', '.join(unknown)}")
    if missing:
        problems.append(f"missing columns {', '.join(missing)}")
    if duplicate:
        problems.append(f"repeated columns {', '.join(duplicate)}")
    if not problems:
        return None
    return "; ".join(problems) + f" (columns: {', '.join(CSV_COLUMNS)}; docs/replay.md)"


def csv_row_to_event(row: dict[str | None, Any]) -> dict[str, Any]:
    """A row as `csv.DictReader` gives it (surplus values under None, missing ones None) as TicketEvent JSON:
    empty cells are absent (the field's default); `tags` is a
    JSON array or `;`-separated; `custom_fields` and `raw_attributes` are JSON objects; `comment_public` is
    true/false; a cell that does not parse is kept as text, so the stream's validation names that field."""
    event: dict[str, Any] = {}
    requester: dict[str, str] = {}
    for column, cell in row.items():
        if column is None:  # DictReader puts surplus values under None
            event[TOO_MANY_VALUES] = cell
        elif cell is None:  # and fills missing trailing values with None
            event[TOO_FEW_VALUES] = True
        elif cell == "":
            continue
        elif column.startswith("requester."):
            requester[column.removeprefix("requester.")] = cell
        elif column == "tags":
            event["tags"] = _json_or_text(cell) if cell.lstrip().startswith("[") else [
                t.strip() for t in cell.split(";") if t.strip()]
        elif column in _JSON_OBJECTS:
            event[column] = _json_or_text(cell)
        elif column == "schema_version":
            event[column] = int(cell) if cell.strip().isdigit() else cell
        elif column == "comment_public":  # true/false in any case; anything else is left for validation to name
            event[column] = {"true": True, "false": False}.get(cell.strip().lower(), cell)
        else:
            event[column] = cell
    if requester:
        event["requester"] = requester
    return event


def _json_or_text(cell: str) -> Any:
    try:
        return json.loads(cell)
    except ValueError:
        return cell


def count_csv_rows(path: Path) -> int:
    """Data rows of a CSV file (blank lines are not rows), for the progress bar."""
    csv.field_size_limit(_FIELD_LIMIT)
    with open(path, encoding="utf-8-sig", errors="surrogateescape", newline="") as f:
        return max(0, sum(1 for _ in _records(csv.reader(f))) - 1)


def _records(reader: Iterator[list[str]]) -> Iterator[list[str] | csv.Error]:
    """Rows of a reader without blank lines; a row the csv module cannot read comes as its error, and
    reading goes on with the next one."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield exc
            continue
        if row:
            yield row


def check_csv_header(path: Path) -> list[str]:
    """The header of a CSV export; ValueError saying what is wrong with it (see `csv_header_problem`)."""
    csv.field_size_limit(_FIELD_LIMIT)
    with open(path, encoding="utf-8-sig", errors="surrogateescape", newline="") as f:
        return _header(_records(csv.reader(f)))


def _header(rows: Iterator[list[str] | csv.Error]) -> list[str]:
    header = next(rows, None)
    if header is None or isinstance(header, csv.Error):
        raise ValueError("the CSV file has no readable header row")
    problem = csv_header_problem(header)
    if problem:
        raise ValueError(problem)
    return header


def csv_items(path: Path, after_row: int = 0, stamp: ReplayStamp | None = None) -> Iterator[ReplayItem]:
    """The rows after `after_row` (1 = the first row under the header), each as a stamped TicketEvent."""
    csv.field_size_limit(_FIELD_LIMIT)
    with open(path, encoding="utf-8-sig", errors="surrogateescape", newline="") as f:
        rows = _records(csv.reader(f))
        header = _header(rows)
        for number, row in enumerate(rows, start=1):
            if number <= after_row:
                continue
            if isinstance(row, csv.Error):
                event: dict[str, Any] = {UNREADABLE: str(row)}
            else:
                values: dict[str | None, Any] = dict(zip(header, row, strict=False))
                if len(row) > len(header):
                    values[None] = row[len(header):]
                for column in header[len(row):]:
                    values[column] = None
                event = csv_row_to_event(values)
            yield ReplayItem(encode_event(event, stamp), key_of(event), occurred_at_of(event), number)


# ------------------------------------------------------------------------------------------- ClickHouse

EVENT_LOG_COLUMNS = ("tenant_id", "source", "ticket_id", "event_id", "event_type", "occurred_at",
                     "ticket_created_at", "subject", "body", "channel", "priority", "status", "queue", "tags")
"""The TicketEvent fields `ticket_events` keeps. Requester, custom fields and raw attributes are not stored
(PII, and nothing BI needs), and subject and body are stored redacted: a replay from ClickHouse re-runs
language, classification and SLA on the redacted text (docs/replay.md)."""


@dataclass(frozen=True)
class EventLogSelection:
    """Which live events to read: a database, a time range on occurred_at, one tenant or all."""

    database: str
    time_range: TimeRange
    tenant: str | None = None

    @property
    def fingerprint(self) -> str:
        """Identity of the selection: a checkpoint of another selection is not resumed."""
        parts = (self.database, self.tenant or "", _iso(self.time_range.start), _iso(self.time_range.end))
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]

    def where(self) -> tuple[list[str], dict[str, Any]]:
        clauses, params = ["1"], {}
        if self.tenant:
            clauses.append("tenant_id = {tenant:String}")
            params["tenant"] = self.tenant
        if self.time_range.start is not None:
            clauses.append("occurred_at >= {start:DateTime64(3, 'UTC')}")
            params["start"] = _utc_param(self.time_range.start)
        if self.time_range.end is not None:
            clauses.append("occurred_at < {end:DateTime64(3, 'UTC')}")
            params["end"] = _utc_param(self.time_range.end)
        return clauses, params


Position = tuple[str, str, str, str]
"""(occurred_at ISO, tenant_id, ticket_id, event_id) of the last event sent: the event log's read order."""


@dataclass
class EventLogCheckpoint:
    """Resume point of a ClickHouse replay: the last event Kafka confirmed, in the read order, and how many
    were sent before it (for the progress bar)."""

    path: Path
    fingerprint: str
    after: Position | None = None
    done: int = 0
    stamp: dict[str, Any] | None = None

    @classmethod
    def load(cls, path: Path, selection: EventLogSelection) -> EventLogCheckpoint:
        if path.exists():
            data: dict[str, Any] = json.loads(path.read_text())
            if data.get("fingerprint") == selection.fingerprint and data.get("after"):
                after = tuple(str(v) for v in data["after"])
                return cls(path, selection.fingerprint, after, int(data.get("done", 0)),  # type: ignore[arg-type]
                           data.get("stamp"))
        return cls(path, selection.fingerprint)

    def save(self) -> None:
        write_json_atomically(self.path, {"source": "clickhouse", "fingerprint": self.fingerprint,
                                "after": list(self.after) if self.after else None, "done": self.done,
                                "stamp": self.stamp})


def count_event_log(client: ClickHouseClient, selection: EventLogSelection) -> int:
    clauses, params = selection.where()
    sql = (f"SELECT count() FROM {quote_identifier(selection.database)}.ticket_events FINAL "
           f"WHERE {' AND '.join(clauses)}")
    return int(client.query(sql, params).scalar())


def event_log_items(client: ClickHouseClient, selection: EventLogSelection, after: Position | None = None,
                    stamp: ReplayStamp | None = None, page_size: int = 5000) -> Iterator[ReplayItem]:
    """Live events (`ticket_events FINAL`) in the selection, in (occurred_at, tenant, ticket, event) order from
    after `after`, read page by page with a keyset: no OFFSET, and a page boundary cannot skip an event."""
    columns = ", ".join(EVENT_LOG_COLUMNS)
    table = f"{quote_identifier(selection.database)}.ticket_events"
    while True:
        clauses, params = selection.where()
        if after is not None:
            clauses.append("occurred_at >= {after_at:DateTime64(3, 'UTC')}")  # lets ClickHouse skip partitions
            clauses.append("(occurred_at, tenant_id, ticket_id, event_id) > "
                           "({after_at:DateTime64(3, 'UTC')}, {after_tenant:String}, {after_ticket:String}, "
                           "{after_event:String})")
            params.update(after_at=_utc_param(datetime.fromisoformat(after[0])), after_tenant=after[1],
                          after_ticket=after[2], after_event=after[3])
        sql = (f"SELECT {columns} FROM {table} FINAL WHERE {' AND '.join(clauses)} "
               f"ORDER BY occurred_at, tenant_id, ticket_id, event_id LIMIT {int(page_size)}")
        rows = client.query(sql, params).dicts()
        for row in rows:
            event = event_of_row(row)
            after = (_iso(row["occurred_at"]), row["tenant_id"], row["ticket_id"], row["event_id"])
            yield ReplayItem(encode_event(event, stamp), key_of(event), row["occurred_at"], after)
        if len(rows) < page_size:
            return


def event_of_row(row: dict[str, Any]) -> dict[str, Any]:
    """A `ticket_events` row as TicketEvent JSON (NULL columns left out: the field's default)."""
    event: dict[str, Any] = {}
    for column in EVENT_LOG_COLUMNS:
        value = row[column]
        if value is None:
            continue
        event[column] = _iso(value) if isinstance(value, datetime) else value
    return event


def _iso(value: datetime | None) -> str:
    return "" if value is None else value.astimezone(UTC).isoformat()


def _utc_param(when: datetime) -> str:
    """DateTime64 parameters are bound as UTC text without an offset (chDB and the HTTP interface alike)."""
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
