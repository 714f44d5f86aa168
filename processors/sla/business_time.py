"""Business-time arithmetic in a tenant's time zone: opening hours per weekday, holidays, DST.

SLA clocks run only while the helpdesk is open. A target of 8 business hours on a Monday-to-Friday
09:00-17:00 calendar, started on Friday at 16:00, ends on Monday at 15:00. Opening hours are wall-clock
times in the tenant's zone (`zoneinfo`), so on a DST change day the 09:00-17:00 window is still 8 real
hours and lands on the right UTC instants. All arithmetic is done on aware datetimes converted to UTC,
so elapsed time is real time; the result is returned in UTC.

Windows are one interval per day (no overnight shifts): a window that ends at or before it starts is a
configuration error. `24:00` is not accepted; use `23:59:59` or a 24/7 calendar (no business hours).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_DAYS_SEARCHED = 3 * 366
"""A calendar with no open day in three years is treated as a configuration error, not an endless loop."""


class BusinessCalendar(BaseModel):
    """When the SLA clock runs: `hours` per weekday (`mon`..`sun`, `"09:00-17:00"`), minus `holidays`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    timezone: str = "UTC"
    hours: dict[str, tuple[time, time]] = Field(
        default_factory=lambda: {d: (time(9), time(17)) for d in WEEKDAYS[:5]}
    )
    holidays: frozenset[date] = frozenset()

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Europe/Berlin)") from exc
        return value

    @field_validator("hours", mode="before")
    @classmethod
    def _parse_hours(cls, value: object) -> object:
        if not isinstance(value, dict):
            return value
        out: dict[str, object] = {}
        for day, span in value.items():
            key = str(day).lower()[:3]
            if key not in WEEKDAYS:
                raise ValueError(f"hours: {day!r} is not a weekday (mon..sun)")
            if isinstance(span, str):
                start, sep, end = span.partition("-")
                if not sep:
                    raise ValueError(f"hours.{day}: {span!r} is not of the form HH:MM-HH:MM")
                try:
                    span = (time.fromisoformat(start.strip()), time.fromisoformat(end.strip()))
                except ValueError as exc:
                    raise ValueError(f"hours.{day}: {span!r} is not of the form HH:MM-HH:MM") from exc
            out[key] = span
        return out

    @model_validator(mode="after")
    def _valid_windows(self) -> BusinessCalendar:
        if not self.hours:
            raise ValueError("hours: at least one weekday must be open")
        for day, (start, end) in self.hours.items():
            if end <= start:
                raise ValueError(f"hours.{day}: closes ({end}) at or before it opens ({start})")
        return self

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def windows_from(self, day: date) -> Iterator[tuple[datetime, datetime]]:
        """Open intervals (UTC) from local date `day` on, day by day; holidays and closed days skipped."""
        zone = self.zone
        for offset in range(MAX_DAYS_SEARCHED):
            current = day + timedelta(days=offset)
            span = self.hours.get(WEEKDAYS[current.weekday()])
            if span is None or current in self.holidays:
                continue
            start = datetime.combine(current, span[0], tzinfo=zone).astimezone(UTC)
            end = datetime.combine(current, span[1], tzinfo=zone).astimezone(UTC)
            yield start, end
        raise ValueError(f"business calendar has no open hours in {MAX_DAYS_SEARCHED} days from {day}")

    def add(self, start: datetime, hours: float) -> datetime:
        """The instant `hours` of open time after `start` (aware); UTC. Starting while closed waits for opening."""
        if start.tzinfo is None:
            raise ValueError("business-time arithmetic needs an aware datetime")
        remaining = timedelta(hours=hours)
        t = start.astimezone(UTC)
        local_day = t.astimezone(self.zone).date() - timedelta(days=1)  # a window may start the local day before
        for w_start, w_end in self.windows_from(local_day):
            if w_end <= t:
                continue
            s = max(t, w_start)
            if w_end - s >= remaining:
                return s + remaining
            remaining -= w_end - s
        raise AssertionError("unreachable: windows_from raises first")  # pragma: no cover

    def between(self, start: datetime, end: datetime) -> float:
        """Open hours between two aware instants; negative when `end` is before `start`."""
        if end < start:
            return -self.between(end, start)
        a, b = start.astimezone(UTC), end.astimezone(UTC)
        total = timedelta()
        local_day = a.astimezone(self.zone).date() - timedelta(days=1)
        for w_start, w_end in self.windows_from(local_day):
            if w_start >= b:
                break
            overlap = min(w_end, b) - max(w_start, a)
            if overlap > timedelta():
                total += overlap
        return total.total_seconds() / 3600.0
