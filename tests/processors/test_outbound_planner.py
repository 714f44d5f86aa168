"""Outbound planner on plain data: which actions, idempotent ids, no ticket text in notes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from processors.outbound_planner import OutboundPlanner, PlannerConfig
from schemas import (
    Classification,
    EnrichedTicket,
    FieldPrediction,
    LanguageResult,
    OutboundKind,
    SlaPrediction,
)
from schemas.enrichment import RiskLevel

NOW = datetime(2026, 11, 2, 12, tzinfo=UTC)


def enriched(risk: RiskLevel = RiskLevel.low, priority: str | None = "normal", event_type: str = "created",
             confidence: float = 0.9, escalate: bool = False, event_id: str = "E1") -> EnrichedTicket:
    return EnrichedTicket(
        tenant_id="acme", source="zendesk", ticket_id="T1", event_id=event_id, event_type=event_type,
        occurred_at=NOW, subject="Refund", body="Secret body text <PERSON_1>", priority=priority,
        language=LanguageResult(code="de", confidence=0.99),
        classification=Classification(
            category=FieldPrediction(label="REFUND", confidence=confidence, backend="local"),
            intent=FieldPrediction(label="get_refund", confidence=confidence, backend="local"),
            model_version="local-1",
        ),
        sla=SlaPrediction(policy="default", priority="normal", first_response_due=NOW + timedelta(hours=8),
                          resolution_due=NOW + timedelta(hours=72), breach_probability=0.2, risk_level=risk,
                          model_version="sla-1", escalate=escalate, previous_risk_level=RiskLevel.low if escalate
                          else None, factors=[("reassignments", 0.21), ("waiting_on_customer", -0.05)]),
        pipeline_version="0.1.0",
    )


def test_tags_and_note_for_a_new_ticket() -> None:
    actions = OutboundPlanner().plan(enriched(), NOW)
    kinds = [a.kind for a in actions]
    assert kinds == [OutboundKind.add_tags, OutboundKind.internal_note]
    assert set(actions[0].tags) == {"ts_lang_de", "ts_sla_risk_low", "ts_category_refund", "ts_intent_get_refund"}
    note = actions[1].note or ""
    assert "REFUND" in note and "get_refund" in note
    assert "Secret body text" not in note and "<PERSON_1>" not in note


def test_high_risk_raises_priority_once() -> None:
    actions = OutboundPlanner().plan(enriched(RiskLevel.high, priority="low"), NOW)
    assert [a.priority for a in actions if a.kind == OutboundKind.set_priority] == ["high"]
    urgent = OutboundPlanner().plan(enriched(RiskLevel.high, priority="urgent"), NOW)
    assert not [a for a in urgent if a.kind == OutboundKind.set_priority]


def test_no_note_on_follow_up_and_no_label_tags_when_unsure() -> None:
    actions = OutboundPlanner(PlannerConfig(min_tag_confidence=0.95)).plan(
        enriched(event_type="comment_added", confidence=0.6), NOW)
    assert [a.kind for a in actions] == [OutboundKind.add_tags]
    assert not any(t.startswith("ts_category") for t in actions[0].tags)


def test_action_ids_are_stable_per_event_and_kind() -> None:
    first = OutboundPlanner().plan(enriched(), NOW)
    again = OutboundPlanner().plan(enriched(), NOW + timedelta(minutes=5))
    assert [a.action_id for a in first] == [a.action_id for a in again]
    assert len({a.action_id for a in first}) == len(first)


def test_escalation_only_on_the_marked_crossing() -> None:
    planner = OutboundPlanner()
    crossing = planner.plan(enriched(RiskLevel.high, event_type="updated", escalate=True, event_id="E2"), NOW)
    (escalation,) = [a for a in crossing if a.kind == OutboundKind.escalate]
    assert escalation.tags == ["ts_sla_escalated"]
    note = escalation.note or ""
    assert "high" in note and "reassignments +21%" in note and "was low" in note
    assert "Secret body text" not in note
    still_high = planner.plan(enriched(RiskLevel.high, event_type="updated", escalate=False, event_id="E3"), NOW)
    assert not [a for a in still_high if a.kind == OutboundKind.escalate]
    again = planner.plan(enriched(RiskLevel.high, event_type="updated", escalate=True, event_id="E2"), NOW)
    assert [a.action_id for a in again if a.kind == OutboundKind.escalate] == [escalation.action_id]
    off = OutboundPlanner(PlannerConfig(escalate=False)).plan(enriched(RiskLevel.high, escalate=True), NOW)
    assert not [a for a in off if a.kind == OutboundKind.escalate]


def test_tenant_custom_fields_on_creation_and_on_a_risk_change_only() -> None:
    import pytest

    from processors.outbound_planner import planner_configs

    configs = planner_configs({
        "acme": {"outbound": {"custom_fields": {"category": "cf_category", "sla_risk": "cf_risk",
                                                "breach_probability": "cf_p", "sentiment": "cf_mood"}}},
        "globex": {},
    })
    planner = OutboundPlanner(tenants=configs)
    created = [a for a in planner.plan(enriched(), NOW) if a.kind == OutboundKind.set_custom_fields]
    assert len(created) == 1
    # no sentiment predicted: that field is left alone rather than blanked
    assert created[0].custom_fields == {"cf_category": "REFUND", "cf_risk": "low", "cf_p": 0.2}
    follow_up = enriched(event_type="comment_added", event_id="E2")
    assert not [a for a in planner.plan(follow_up, NOW) if a.kind == OutboundKind.set_custom_fields]
    crossed = enriched(RiskLevel.high, event_type="comment_added", escalate=True, event_id="E3")
    (update,) = [a for a in planner.plan(crossed, NOW) if a.kind == OutboundKind.set_custom_fields]
    assert update.custom_fields["cf_risk"] == "high"
    # another tenant without a mapping gets no custom-field action
    other = enriched().model_copy(update={"tenant_id": "globex"})
    assert not [a for a in planner.plan(other, NOW) if a.kind == OutboundKind.set_custom_fields]
    with pytest.raises(ValueError, match=r"tenant 'bad' outbound: .*custom_fields"):
        planner_configs({"bad": {"outbound": {"custom_fields": {"body": "cf_body"}}}})
