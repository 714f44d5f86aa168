"""Business-time arithmetic: weekends, holidays, time zones and DST transitions, and policy due times."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from processors.sla.business_time import BusinessCalendar
from processors.sla.policy import DEFAULT_POLICY, SlaPolicy, SlaTarget
from processors.sla.tenants import policies_from_tenants
from schemas import Channel, Priority

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def cal(tz: str = "UTC", holidays: tuple[date, ...] = ()) -> BusinessCalendar:
    return BusinessCalendar(timezone=tz, hours={d: "09:00-17:00" for d in ("mon", "tue", "wed", "thu", "fri")},
                            holidays=frozenset(holidays))


def test_friday_afternoon_rolls_over_the_weekend() -> None:
    friday_4pm = datetime(2026, 3, 6, 16, 0, tzinfo=UTC)  # a Friday
    assert cal().add(friday_4pm, 2) == datetime(2026, 3, 9, 10, 0, tzinfo=UTC)  # Monday 10:00
    assert cal().between(friday_4pm, datetime(2026, 3, 9, 10, 0, tzinfo=UTC)) == pytest.approx(2.0)


def test_start_outside_hours_waits_for_opening() -> None:
    saturday = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)
    assert cal().add(saturday, 1) == datetime(2026, 3, 9, 10, 0, tzinfo=UTC)
    early = datetime(2026, 3, 9, 6, 0, tzinfo=UTC)
    assert cal().add(early, 8) == datetime(2026, 3, 9, 17, 0, tzinfo=UTC)
    assert cal().add(early, 8.5) == datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


def test_holidays_are_skipped() -> None:
    christmas_eve = datetime(2026, 12, 24, 16, 0, tzinfo=UTC)  # Thursday
    plain = cal().add(christmas_eve, 2)
    assert plain == datetime(2026, 12, 25, 10, 0, tzinfo=UTC)
    with_holidays = cal(holidays=(date(2026, 12, 25),)).add(christmas_eve, 2)
    assert with_holidays == datetime(2026, 12, 28, 10, 0, tzinfo=UTC)  # Monday


def test_time_zone_windows_are_local_wall_clock() -> None:
    # 09:00 in Berlin in winter is 08:00 UTC; in New York 14:00 UTC.
    start = datetime(2026, 1, 12, 0, 0, tzinfo=UTC)  # Monday
    assert cal("Europe/Berlin").add(start, 1) == datetime(2026, 1, 12, 9, 0, tzinfo=UTC)
    assert cal("America/New_York").add(start, 1) == datetime(2026, 1, 12, 15, 0, tzinfo=UTC)
    # Sunday 23:00 in New York is already Monday UTC, but still closed locally.
    sunday_ny = datetime(2026, 1, 11, 23, 0, tzinfo=NEW_YORK)
    assert cal("America/New_York").add(sunday_ny, 1).astimezone(NEW_YORK) == datetime(2026, 1, 12, 10, 0,
                                                                                       tzinfo=NEW_YORK)


def test_dst_spring_forward_and_fall_back() -> None:
    berlin = cal("Europe/Berlin")
    # Last Sunday of March 2026 (29th): Berlin moves from UTC+1 to UTC+2. Friday 16:00 CET + 2h = Mon 10:00 CEST.
    friday = datetime(2026, 3, 27, 16, 0, tzinfo=BERLIN)
    due = berlin.add(friday, 2)
    assert due.astimezone(BERLIN) == datetime(2026, 3, 30, 10, 0, tzinfo=BERLIN)
    assert due == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)
    assert due.astimezone(BERLIN).utcoffset() == timedelta(hours=2)
    # A 24/7 calendar over the spring-forward night: 09:00-17:00 every day, a Sunday in it.
    every_day = BusinessCalendar(timezone="Europe/Berlin", hours={d: "09:00-17:00" for d in
                                                                   ("mon", "tue", "wed", "thu", "fri", "sat", "sun")})
    sat = datetime(2026, 3, 28, 17, 0, tzinfo=BERLIN)
    assert every_day.add(sat, 8).astimezone(BERLIN) == datetime(2026, 3, 29, 17, 0, tzinfo=BERLIN)
    assert every_day.between(sat, datetime(2026, 3, 30, 17, 0, tzinfo=BERLIN)) == pytest.approx(16.0)
    # Fall back (25 Oct 2026): the open window is still 8 real hours.
    oct_sun = datetime(2026, 10, 25, 9, 0, tzinfo=BERLIN)
    assert every_day.between(oct_sun, datetime(2026, 10, 25, 17, 0, tzinfo=BERLIN)) == pytest.approx(8.0)
    assert every_day.add(oct_sun, 8).astimezone(BERLIN) == datetime(2026, 10, 25, 17, 0, tzinfo=BERLIN)


def test_between_is_the_inverse_of_add() -> None:
    c = cal("America/New_York", holidays=(date(2026, 7, 3),))
    start = datetime(2026, 7, 1, 15, 17, tzinfo=UTC)
    for hours in (0.5, 3, 8, 17.25, 40, 100):
        assert c.between(start, c.add(start, hours)) == pytest.approx(hours)


def test_calendar_validation_names_the_field() -> None:
    with pytest.raises(ValidationError, match="unknown time zone 'Mars/Olympus'"):
        BusinessCalendar(timezone="Mars/Olympus")
    with pytest.raises(ValidationError, match=r"hours\.mon: closes"):
        BusinessCalendar(hours={"mon": "17:00-09:00"})
    with pytest.raises(ValidationError, match="'funday' is not a weekday"):
        BusinessCalendar(hours={"funday": "09:00-17:00"})
    with pytest.raises(ValidationError, match="HH:MM-HH:MM"):
        BusinessCalendar(hours={"mon": "9 to 5"})
    with pytest.raises(ValueError, match="aware"):
        cal().add(datetime(2026, 1, 1), 1)


def test_policy_due_times_in_business_time_with_channel_and_tier_targets() -> None:
    (policy,) = policies_from_tenants({"acme": {"sla_policy": {
        "targets": {p.value: {"first_response_hours": 4, "resolution_hours": 16} for p in Priority},
        "channel_targets": {"chat": {"urgent": {"first_response_hours": 0.5, "resolution_hours": 2}}},
        "tier_targets": {"gold": {"urgent": {"first_response_hours": 0.25, "resolution_hours": 1}}},
        "business_hours": {"timezone": "Europe/Berlin", "hours": {"mon": "09:00-17:00", "tue": "09:00-17:00"},
                           "holidays": ["2026-03-10"]},
    }}}).values()
    assert policy.name == "acme"
    monday_4pm = datetime(2026, 3, 9, 16, 0, tzinfo=BERLIN)
    first, resolution = policy.due_times(Priority.normal, monday_4pm)
    # Tuesday 10th is a holiday, Wed-Sun closed: 1h Monday, the rest from Monday 16th.
    assert first.astimezone(BERLIN) == datetime(2026, 3, 16, 12, 0, tzinfo=BERLIN)
    assert resolution.astimezone(BERLIN) == datetime(2026, 3, 17, 16, 0, tzinfo=BERLIN)  # 1 + 8 + 7 hours
    assert policy.target(Priority.urgent, Channel.chat).resolution_hours == 2
    assert policy.target(Priority.urgent, Channel.chat, "gold").resolution_hours == 1
    assert policy.target(Priority.high, Channel.chat, "gold").resolution_hours == 16  # falls back per priority
    with pytest.raises(ValueError, match=r"tenants\.bad\.sla_policy: business_hours\.timezone"):
        policies_from_tenants({"bad": {"sla_policy": {"targets": DEFAULT_POLICY.model_dump()["targets"],
                                                      "business_hours": {"timezone": "Nowhere/City"}}}})


def test_default_policy_is_calendar_hours() -> None:
    created = datetime(2026, 3, 7, 23, 0, tzinfo=UTC)  # Saturday night: 24/7 clock does not wait
    assert DEFAULT_POLICY.due_times(Priority.urgent, created) == (created + timedelta(hours=1),
                                                                   created + timedelta(hours=4))
    strict = SlaPolicy(name="x", targets={p: SlaTarget(first_response_hours=1, resolution_hours=2) for p in Priority})
    assert strict.hours_between(created, created + timedelta(hours=30)) == 30
