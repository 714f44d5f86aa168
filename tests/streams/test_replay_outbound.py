"""What a replay stamp changes in the stages: no outbound action unless `--outbound`, and the results carry
the replay's pipeline version. On the stages themselves; test_replay_worker.py checks it on a running worker."""

from __future__ import annotations

from typing import Any

import pytest

from processors.outbound_planner import OutboundPlanner, PlannerConfig
from processors.sla.stage import SlaStage
from schemas import ClassifiedTicket, EnrichedTicket, ReplayStamp
from schemas.enrichment import RiskLevel
from tests.processors.test_outbound_planner import NOW, enriched


def busy_ticket() -> EnrichedTicket:
    """A ticket for which the planner does everything: tags, priority, note, escalation, custom fields."""
    return enriched(risk=RiskLevel.high, priority="normal", event_type="created", escalate=True)


PLANNER = OutboundPlanner(PlannerConfig(custom_fields={"category": "cf_category"}))


def kinds(ticket: EnrichedTicket) -> list[str]:
    return [a.kind.value for a in PLANNER.plan(ticket, NOW)]


def test_live_events_get_their_actions() -> None:
    assert kinds(busy_ticket()) == ["add_tags", "set_priority", "internal_note", "escalate", "set_custom_fields"]


@pytest.mark.parametrize("stamp", [ReplayStamp(), ReplayStamp(pipeline_version="v2"),
                                   ReplayStamp(pipeline_version="v2", live=True)])
def test_replayed_events_get_no_action(stamp: ReplayStamp) -> None:
    assert kinds(busy_ticket().model_copy(update={"replay": stamp})) == []


def test_a_replay_run_with_outbound_acts_like_a_live_event() -> None:
    live, replayed = busy_ticket(), busy_ticket().model_copy(update={"replay": ReplayStamp(outbound=True)})
    assert PLANNER.plan(replayed, NOW) == PLANNER.plan(live, NOW)  # same actions, same idempotency keys


def test_the_stamp_survives_the_wire_and_is_left_out_when_unset() -> None:
    replayed = busy_ticket().model_copy(update={"replay": ReplayStamp(pipeline_version="v2")})
    assert EnrichedTicket.from_json_bytes(replayed.to_json_bytes()).replay == ReplayStamp(pipeline_version="v2")
    assert b'"replay"' not in busy_ticket().to_json_bytes()  # live messages are unchanged on the wire
    assert PLANNER.plan(EnrichedTicket.from_json_bytes(replayed.to_json_bytes()), NOW) == []


@pytest.fixture(scope="module")
def sla() -> SlaStage:
    return SlaStage(pipeline_version="0.1.0")


def classified(stamp: ReplayStamp | None, event_id: str) -> ClassifiedTicket:
    data: dict[str, Any] = busy_ticket().model_dump(exclude={"sla", "pipeline_version", "replay"})
    return ClassifiedTicket(**data | {"event_id": event_id, "replay": stamp})


def test_results_carry_the_replays_pipeline_version(sla: SlaStage) -> None:
    batch = [classified(None, "E1"), classified(ReplayStamp(pipeline_version="v2"), "E2"),
             classified(ReplayStamp(), "E3")]
    results = [outcome.value for outcome in sla.process(batch)]  # type: ignore[union-attr]
    assert [r.pipeline_version for r in results] == ["0.1.0", "v2", "0.1.0"]
    assert [r.replay for r in results] == [None, ReplayStamp(pipeline_version="v2"), ReplayStamp()]


def test_a_bad_version_tag_is_refused() -> None:
    with pytest.raises(ValueError, match="pipeline_version"):
        ReplayStamp(pipeline_version="v 2")
