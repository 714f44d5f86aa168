"""Turn the UCI "Incident management process enriched event log" into SLA training rows.

Source: UCI Machine Learning Repository, dataset 498 (Amaral, Fantinato, Peres; CC BY 4.0), an event
log of a ServiceNow instance: one row per update of an incident. Columns used:

| UCI column                       | becomes                   | mapping                              |
| -------------------------------- | ------------------------- | ------------------------------------ |
| number                           | group (split by incident) | as is                                |
| opened_at                        | `created_at`              | `dd-mm-YYYY HH:MM`, naive local time |
| sys_updated_at                   | `occurred_at`             | same format                          |
| priority                         | `priority`                | 1 - Critical/2 - High/3 - Moderate/ |
|                                  |                           | 4 - Low -> urgent/high/normal/low    |
| contact_type                     | `channel`                 | `UCI_CONTACT_TYPE`                   |
| incident_state (+ row order)     | `event_type`              | `event_type_of`                      |
| incident_state                   | `status`                  | `UCI_STATUS` (Awaiting User Info =   |
|                                  |                           | pending: waiting on the customer)    |
| assignment_group                 | `queue`                   | as is (a change is a reassignment)   |
| reassignment_count, reopen_count | not used                  | recomputed by the shared state code  |
| made_sla                         | label `breached`          | see below                            |

`?` is UCI's missing value. The label: in this log `made_sla` is False only on "Closed" rows — it
records the outcome when the incident closes, and every earlier row says True. Taking each row's own
`made_sla` would teach the model "closed means breached". So every event of an incident gets the
incident's final outcome (`not made_sla` on its last row, the Closed one): "will this ticket breach?",
asked at each event. Incidents that never reach Closed in the extract have no known outcome and are
dropped.

Each incident's rows then go through `processors.sla.event_log.views_from_event_log`, the same streaming
state code (`update_ticket`) the live stage runs, under the default 24/7 policy.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from processors.sla.event_log import LogEvent, views_from_event_log
from processors.sla.policy import DEFAULT_POLICY
from schemas import Channel, EventType, Priority, Status

UCI_TIME_FORMAT = "%d-%m-%Y %H:%M"
UCI_MISSING = "?"

UCI_PRIORITY: dict[str, Priority] = {
    "1 - Critical": Priority.urgent,
    "2 - High": Priority.high,
    "3 - Moderate": Priority.normal,
    "4 - Low": Priority.low,
}
UCI_CONTACT_TYPE: dict[str, Channel] = {
    "Phone": Channel.phone,
    "IVR": Channel.phone,
    "Email": Channel.email,
    "Self service": Channel.web,
    "Direct opening": Channel.other,
}
_UCI_STATE: dict[str, EventType] = {"Resolved": EventType.solved, "Closed": EventType.closed}
UCI_STATUS: dict[str, Status] = {
    "New": Status.new,
    "Active": Status.open,
    "Awaiting User Info": Status.pending,
    "Awaiting Problem": Status.on_hold,
    "Awaiting Vendor": Status.on_hold,
    "Awaiting Evidence": Status.on_hold,
    "Resolved": Status.solved,
    "Closed": Status.closed,
}

REQUIRED_COLUMNS = (
    "number",
    "incident_state",
    "made_sla",
    "opened_at",
    "sys_updated_at",
    "sys_mod_count",
    "priority",
    "contact_type",
    "reassignment_count",
    "reopen_count",
)


def read_uci_csv(path: str | Path) -> pd.DataFrame:
    """Read the log with `?` as missing and the two timestamps parsed; rows sorted per incident."""
    path = Path(path)
    frame = pd.read_csv(path, na_values=[UCI_MISSING], keep_default_na=False, low_memory=False)
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"column(s) {', '.join(map(repr, missing))} missing from {path}")
    for column in ("opened_at", "sys_updated_at"):
        frame[column] = pd.to_datetime(frame[column], format=UCI_TIME_FORMAT, errors="coerce")
    frame["made_sla"] = frame["made_sla"].map(_parse_bool)
    return frame.sort_values(["number", "sys_mod_count", "sys_updated_at"], kind="stable").reset_index(
        drop=True
    )


def _parse_bool(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    return {"true": True, "false": False}.get(text)


def event_type_of(state: str, first: bool, reopened: bool) -> EventType:
    """The first row of an incident is its creation; a rise in reopen_count is a reopen; Resolved and
    Closed map to solved and closed; every other state change (Active, Awaiting ...) is an update."""
    if first:
        return EventType.created
    if reopened:
        return EventType.reopened
    return _UCI_STATE.get(state, EventType.updated)


def to_log_events(frame: pd.DataFrame) -> list[LogEvent]:
    """Map the UCI rows to neutral log events. Rows without a parsable timestamp or a known priority are
    dropped (they cannot be featurised the way a live event is), and so are incidents without a closing
    outcome."""
    last = frame.groupby("number", sort=False).tail(1).set_index("number")
    closed = last[(last["incident_state"] == "Closed") & last["made_sla"].notna()]
    outcome = (~closed["made_sla"].astype(bool)).to_dict()

    events: list[LogEvent] = []
    previous_reopen: dict[str, float] = {}
    for rec in frame.itertuples(index=False):
        number = str(rec.number)
        first = number not in previous_reopen
        reopen = float(rec.reopen_count) if pd.notna(rec.reopen_count) else 0.0
        reopened = not first and reopen > previous_reopen[number]
        previous_reopen[number] = reopen
        priority = UCI_PRIORITY.get(str(rec.priority))
        if number not in outcome or priority is None or pd.isna(rec.opened_at) or pd.isna(rec.sys_updated_at):
            continue
        group = getattr(rec, "assignment_group", None)
        events.append(
            LogEvent(
                group=number,
                event_id=f"{number}-{rec.sys_mod_count}-{len(events)}",
                event_type=event_type_of(str(rec.incident_state), first, reopened),
                occurred_at=rec.sys_updated_at.to_pydatetime(),
                created_at=rec.opened_at.to_pydatetime(),
                priority=priority,
                channel=UCI_CONTACT_TYPE.get(str(rec.contact_type), Channel.other),
                status=UCI_STATUS.get(str(rec.incident_state)),
                queue=str(group) if group is not None and pd.notna(group) else None,
                breached=bool(outcome[number]),
            )
        )
    return events


def to_training_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per usable event: `number`, `view` (SlaEventView) and `breached` (bool), in log order."""
    events = to_log_events(frame)
    views = views_from_event_log(events, lambda _group: DEFAULT_POLICY)
    rows = [{"number": e.group, "view": v, "breached": e.breached} for e, v in zip(events, views, strict=True)]
    return pd.DataFrame(rows, columns=["number", "view", "breached"])


def load_training_rows(path: str | Path) -> pd.DataFrame:
    return to_training_rows(read_uci_csv(path))
