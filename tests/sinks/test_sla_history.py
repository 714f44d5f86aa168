"""SLA history read back from ClickHouse for retraining: the pipeline's own events and outcomes."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from processors.sla.stage import SlaStage
from processors.sla.training import train_sla_from_history
from schemas import Classification, ClassifiedTicket, FieldPrediction, LanguageResult
from sinks.clickhouse import ClickHouseSink
from sinks.clickhouse.history import sla_history
from sinks.clickhouse.rows import sla_outcome_of

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def _ticket(i: int, j: int, hours: float, kind: str, priority: str | None, status: str | None) -> ClassifiedTicket:
    pred = FieldPrediction(label="ORDER", confidence=0.9, backend="local")
    return ClassifiedTicket(
        tenant_id="acme", source="zendesk", ticket_id=f"T{i}", event_id=f"T{i}-e{j}", event_type=kind,
        occurred_at=T0 + timedelta(hours=i * 0.5 + hours), ticket_created_at=T0 + timedelta(hours=i * 0.5),
        priority=priority, status=status, channel="email", queue="billing" if i % 2 else "tech",
        language=LanguageResult(code="en", confidence=0.9),
        classification=Classification(category=pred, intent=pred, model_version="m"),
    )


def test_history_comes_back_per_ticket_and_trains_a_model(sink: ClickHouseSink, tmp_path: object) -> None:
    rng = random.Random(3)
    stage = SlaStage(pipeline_version="hist-1")
    batch = []
    for i in range(160):
        priority = rng.choice(["urgent", "high", "normal", "low"])
        # slow tickets (many hours to solve) breach; the state of reassignments is the signal
        hours = rng.choice([1, 2, 3]) if i % 2 else rng.choice([150, 200, 300])
        batch += [_ticket(i, 1, 0, "created", priority, "new"),
                  _ticket(i, 2, hours / 3, "assigned", None, "open"),
                  _ticket(i, 3, hours, "solved", None, "solved")]
    enriched = [o.value for o in stage.process(batch)]  # type: ignore[union-attr]
    sink.write_enriched(enriched, dedup_token="history-1")
    outcomes = [o for o in (sla_outcome_of(t) for t in enriched) if o is not None]
    assert len(outcomes) == 160
    sink.write_sla_outcomes(outcomes, dedup_token="history-1")

    events, rows = sla_history(sink.client, sink.database)
    assert len(rows) == 160 and len(events) == 480
    assert [e["event_id"] for e in events[:3]] == ["T0-e1", "T0-e2", "T0-e3"]  # time order per ticket
    only_late, late_rows = sla_history(sink.client, sink.database, since=T0 + timedelta(hours=60))
    assert 0 < len(late_rows) < 160
    assert {e["ticket_id"] for e in only_late} == {r["ticket_id"] for r in late_rows}

    metrics = train_sla_from_history(events, rows, out_dir=tmp_path)  # type: ignore[arg-type]
    held_out = metrics["held_out"]
    # slow tickets breach: the state model must see it on held-out tickets, the constant cannot
    assert held_out["model_state"]["all_events"]["auc"] > 0.75
    assert held_out["model_state"]["all_events"]["brier"] < held_out["constant"]["all_events"]["brier"]
