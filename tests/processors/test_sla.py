"""SLA stage, UCI adapter, history adapter and breach model, against the shipped artifact and real training."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

from processors.base import Failed, Ok
from processors.sla.event_log import history_to_log_events
from processors.sla.features import SlaEventView, feature_names, features
from processors.sla.model import ModelVersionWarning, SlaModel, default_artifact_dir
from processors.sla.policy import DEFAULT_POLICY, RiskThresholds, SlaPolicy, SlaTarget
from processors.sla.stage import SlaStage
from processors.sla.training import history_training_rows
from processors.sla.uci_adapter import read_uci_csv, to_training_rows
from schemas import (
    AuthorRole,
    Channel,
    Classification,
    ClassifiedTicket,
    EnrichedTicket,
    EventType,
    FieldPrediction,
    LanguageResult,
    Priority,
    Status,
)
from schemas.enrichment import RiskLevel

UCI = Path("/work/shared/data/uci_incident/train.csv")
needs_uci = pytest.mark.usefixtures("uci_data_present")


@pytest.fixture
def uci_data_present() -> None:
    """The shared data set is part of the test setup: its absence is a failure, never a silent skip."""
    assert UCI.is_file(), f"{UCI} is missing: the tests need the data sets in /work/shared/data"
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def model() -> SlaModel:
    with warnings.catch_warnings():
        warnings.simplefilter("error", ModelVersionWarning)
        return SlaModel.load()


def classified(i: int, priority: Priority | None, created: datetime | None, occurred: datetime = NOW,
               tenant: str = "acme", event_type: EventType = EventType.updated, ticket: str | None = None,
               status: Status | None = None, queue: str | None = None, author: AuthorRole | None = None,
               public: bool | None = None) -> ClassifiedTicket:
    pred = FieldPrediction(label="ORDER", confidence=0.9, backend="local")
    return ClassifiedTicket(
        tenant_id=tenant, source="zendesk", ticket_id=ticket or f"T{i}", event_id=f"E{i}", event_type=event_type,
        occurred_at=occurred, ticket_created_at=created, priority=priority, channel=Channel.email, subject="s",
        status=status, queue=queue, language=LanguageResult(code="en", confidence=0.9),
        classification=Classification(category=pred, intent=pred, model_version="local-x"),
        author_role=author, comment_public=public,
    )


def view(priority: Priority, hours_ago: float, event_type: EventType = EventType.updated) -> SlaEventView:
    target = DEFAULT_POLICY.targets[priority].resolution_hours
    return SlaEventView(priority=priority, channel=Channel.email, event_type=event_type,
                        created_at=NOW - timedelta(hours=hours_ago), occurred_at=NOW, resolution_target_hours=target)


def test_due_times_per_priority_from_policy(model: SlaModel) -> None:
    stage = SlaStage(model, pipeline_version="test-1")
    created = NOW - timedelta(hours=2)
    outcomes = stage.process([classified(i, p, created) for i, p in enumerate(Priority)])
    for outcome, priority in zip(outcomes, Priority, strict=True):
        assert isinstance(outcome, Ok)
        sla = outcome.value.sla
        target = DEFAULT_POLICY.targets[priority]
        assert sla.priority == priority.value and sla.policy == "default"
        assert sla.first_response_due == created + timedelta(hours=target.first_response_hours)
        assert sla.resolution_due == created + timedelta(hours=target.resolution_hours)
        assert 0 < len(sla.factors) <= 3 and all(abs(effect) >= 0.005 for _, effect in sla.factors)


def test_later_events_keep_priority_and_creation_time_from_state(model: SlaModel) -> None:
    stage = SlaStage(model, pipeline_version="p")
    created = NOW - timedelta(hours=1)
    first, second = stage.process([
        classified(1, Priority.urgent, created, occurred=created, event_type=EventType.created, ticket="A"),
        classified(2, None, None, occurred=NOW, ticket="A"),
    ])
    assert isinstance(first, Ok) and isinstance(second, Ok)
    assert second.value.sla.priority == "urgent"
    assert second.value.sla.resolution_due == created + timedelta(hours=4)
    assert second.value.sla.previous_risk_level == first.value.sla.risk_level
    (alone,) = SlaStage(model, pipeline_version="p").process([classified(3, None, None)])
    assert isinstance(alone, Ok) and alone.value.sla.priority == "normal"
    assert alone.value.sla.first_response_due == NOW + timedelta(hours=8)


def test_batch_boundaries_do_not_change_results(model: SlaModel) -> None:
    """The state carries across batches exactly as within one: one batch, or one event at a time."""
    events = []
    for t in range(6):
        created = NOW - timedelta(hours=30 - t)
        events.append(classified(100 * t, Priority.normal, created, created, event_type=EventType.created,
                                 ticket=f"K{t}", status=Status.new, queue="billing"))
        for k in range(1, 4):
            status = [Status.open, Status.pending, Status.open][k - 1]
            events.append(classified(100 * t + k, None, None, created + timedelta(hours=6 * k), ticket=f"K{t}",
                                     status=status, queue="billing" if k < 3 else "logistics"))
    whole = SlaStage(model, pipeline_version="p").process(events)
    one_by_one_stage = SlaStage(model, pipeline_version="p")
    one_by_one = [one_by_one_stage.process([e])[0] for e in events]
    assert [o.value for o in whole if isinstance(o, Ok)] == [o.value for o in one_by_one if isinstance(o, Ok)]
    assert len(whole) == len(events) and all(isinstance(o, Ok) for o in whole)
    state = one_by_one_stage.store.tickets["acme:K0"]
    assert state.reassignments == 1 and state.events == 4 and state.waiting_hours == pytest.approx(6.0)
    assert one_by_one_stage.store.queues["acme:logistics"].open_tickets == 6


def test_redelivered_latest_event_gives_the_first_output(model: SlaModel) -> None:
    """At-least-once: a worker killed before committing re-reads its last events; a redelivery of a ticket's
    latest event must be enriched exactly as the first delivery was (previous risk level included)."""
    stage = SlaStage(model, pipeline_version="p")
    created = NOW - timedelta(hours=40)
    events = [classified(0, Priority.high, created, created, event_type=EventType.created, ticket="R")]
    events += [classified(k, None, None, created + timedelta(hours=9 * k), ticket="R",
                          status=[Status.open, Status.pending, Status.open][k - 1]) for k in (1, 2, 3)]
    for event in events:
        (first,) = stage.process([event])
        (again,) = stage.process([event])
        assert isinstance(first, Ok) and isinstance(again, Ok)
        assert again.value == first.value, event.event_id
    state = stage.store.tickets["acme:R"]
    assert state.events == 4 and state.risk_before_last is not None


def test_redelivery_in_the_same_batch_as_the_first_delivery_gives_the_same_output(model: SlaModel) -> None:
    """After a kill -9 the upstream stage re-sends what it had sent but not committed, and the SLA agent
    re-reads its uncommitted events: the original and the copy of an event then often share one batch.
    The copy must see the ticket's state as the original left it (it read a stale previous level: None)."""
    created = NOW - timedelta(hours=40)
    events = [classified(0, Priority.high, created, created, event_type=EventType.created, ticket="B")]
    events += [classified(k, None, None, created + timedelta(hours=9 * k), ticket="B",
                          status=[Status.open, Status.pending, Status.open][k - 1]) for k in (1, 2, 3)]
    for split in range(1, len(events)):
        stage = SlaStage(model, pipeline_version="p")
        stage.process(events[:split])
        again = events[split:] + events[split:]  # originals, then the re-sent copies, in one batch
        outcomes = stage.process(again)
        assert all(isinstance(o, Ok) for o in outcomes)
        half = len(events) - split
        originals = [o.value for o in outcomes[:half] if isinstance(o, Ok)]
        copies = [o.value for o in outcomes[half:] if isinstance(o, Ok)]
        assert copies[-1] == originals[-1], split  # the copy of the latest event: exactly its first output
        assert all(c.sla.previous_risk_level is not None for c in copies), split
        interleaved = SlaStage(model, pipeline_version="p")
        interleaved.process(events[:split])
        pairs = [o.value for o in interleaved.process([e for e in events[split:] for _ in (0, 1)]) if isinstance(o, Ok)]
        assert pairs[0::2] == pairs[1::2], split  # each event directly followed by its copy


def test_an_older_redelivered_event_leaves_the_ticket_s_risk_as_it_is(model: SlaModel) -> None:
    """A copy of an older event (re-sent after a restart) must not set the ticket's level to that event's."""
    created = NOW - timedelta(hours=40)
    events = [classified(0, Priority.low, created, created, event_type=EventType.created, ticket="O")]
    events += [classified(k, None, None, created + timedelta(hours=9 * k), ticket="O",
                          status=[Status.open, Status.pending, Status.open, Status.open, Status.open][k - 1])
               for k in (1, 2, 3, 4, 5)]
    plain = [o.value for o in SlaStage(model, pipeline_version="p").process(events) if isinstance(o, Ok)]
    assert len({p.sla.risk_level for p in plain}) > 1  # levels move, so a wrong "previous" would show
    for copied in range(len(events) - 1):
        with_copy = [*events[:-1], events[copied], *events[-1:]]
        for batches in ([with_copy], [[e] for e in with_copy]):
            stage = SlaStage(model, pipeline_version="p")
            out = [o.value for batch in batches for o in stage.process(batch) if isinstance(o, Ok)]
            assert out[-1] == plain[-1], (copied, len(batches))  # the last event sees the true previous level


def test_one_escalation_per_crossing(model: SlaModel) -> None:
    low = (Priority.low, 0.0, EventType.created)
    high = (Priority.urgent, 200.0, EventType.updated)
    p_low, p_high = model.predict_proba([view(*low), view(*high)])
    assert p_high > p_low + 0.2
    cut = (p_low + p_high) / 2
    policy = SlaPolicy(name="esc", targets=DEFAULT_POLICY.targets,
                       risk=RiskThresholds(medium=cut, high=cut, escalate_at=RiskLevel.high))
    stage = SlaStage(model, pipeline_version="p", policies={"acme": policy})
    pattern = [low, high, high, low, high, high]
    batch = []
    for i, (priority, hours_ago, kind) in enumerate(pattern):
        batch.append(classified(i, priority, NOW - timedelta(hours=hours_ago), NOW, event_type=kind, ticket="X"))
    # first three in one batch, the rest in another: the crossing memory spans batches
    outcomes = stage.process(batch[:3]) + stage.process(batch[3:])
    sla = [o.value.sla for o in outcomes if isinstance(o, Ok)]
    assert [s.risk_level for s in sla] == [RiskLevel.low, RiskLevel.high, RiskLevel.high, RiskLevel.low,
                                            RiskLevel.high, RiskLevel.high]
    assert [s.escalate for s in sla] == [False, True, False, False, True, False]
    assert sla[1].previous_risk_level == RiskLevel.low and sla[2].previous_risk_level == RiskLevel.high
    # a redelivered crossing event escalates again (same idempotent action id downstream); others do not
    (redelivered,) = stage.process([batch[4]])
    assert isinstance(redelivered, Ok) and redelivered.value.sla.escalate
    (redelivered_other,) = stage.process([batch[5]])
    assert isinstance(redelivered_other, Ok) and not redelivered_other.value.sla.escalate
    never = SlaStage(model, pipeline_version="p", policies={"acme": policy.model_copy(
        update={"risk": RiskThresholds(medium=cut, high=cut, escalate_at=None)})})
    assert not any(o.value.sla.escalate for o in never.process(batch) if isinstance(o, Ok))


def test_tenant_policy_and_output_record(model: SlaModel) -> None:
    strict = SlaPolicy(name="gold", targets={p: SlaTarget(first_response_hours=0.5, resolution_hours=2)
                                             for p in Priority}, risk={"medium": 0.0, "high": 0.0})
    stage = SlaStage(model, policies={"vip": strict}, pipeline_version="2026.03-abc")
    vip, other = stage.process([classified(1, Priority.low, NOW, tenant="vip"), classified(2, Priority.low, NOW)])
    assert isinstance(vip, Ok) and isinstance(other, Ok)
    assert isinstance(vip.value, EnrichedTicket)
    assert vip.value.sla.policy == "gold" and vip.value.sla.risk_level == RiskLevel.high and vip.value.sla.escalate
    assert vip.value.sla.resolution_due == NOW + timedelta(hours=2)
    assert other.value.sla.policy == "default"
    assert vip.value.pipeline_version == "2026.03-abc" and vip.value.sla.model_version == model.model_version


def test_breach_probability_in_range_deterministic_and_ordered(model: SlaModel) -> None:
    views = [view(p, h, e) for p in Priority for h in (0, 1, 8, 48, 500) for e in EventType]
    p = model.predict_proba(views)
    assert p.shape == (len(views),) and np.all((p >= 0) & (p <= 1))
    np.testing.assert_array_equal(p, SlaModel.load().predict_proba(views))
    old_urgent, fresh_low = model.predict_proba([view(Priority.urgent, 72), view(Priority.low, 0, EventType.created)])
    assert old_urgent > fresh_low + 0.3
    young, old = model.predict_proba([view(Priority.normal, 4), view(Priority.normal, 72)])
    assert old > young + 0.3


def test_sparse_high_priority_is_shrunk(model: SlaModel) -> None:
    """All 24 closed high-priority UCI incidents breached; the shrinkage keeps a fresh one away from certainty."""
    (fresh_high,) = model.predict_proba([view(Priority.high, 0, EventType.created)])
    assert fresh_high < 0.95
    assert model.metadata["priority_weights"]["high"] < 0.5 < model.metadata["priority_weights"]["normal"]


def test_feature_sets_are_nested() -> None:
    v = view(Priority.high, 10)
    sets = ["creation", "event", "state", "queue"]
    for smaller, larger in pairwise(sets):
        assert feature_names(smaller) == feature_names(larger)[: len(feature_names(smaller))]
    row = dict(zip(feature_names("event"), features([v], "event")[0], strict=True))
    assert row["priority=high"] == 1 and row["channel=email"] == 1 and row["event_type=updated"] == 1
    assert row["log1p_hours_since_created"] == pytest.approx(np.log1p(10))
    assert row["fraction_of_target_used"] == pytest.approx(10 / 24)
    with pytest.raises(ValueError, match="feature_set"):
        feature_names("everything")


UCI_HEADER = ("number,incident_state,reassignment_count,reopen_count,sys_mod_count,made_sla,contact_type,"
              "priority,opened_at,sys_updated_at,assignment_group")


def test_uci_adapter_parses_missing_values_dates_labels_and_state(tmp_path: Path) -> None:
    csv = tmp_path / "uci.csv"
    csv.write_text("\n".join([
        UCI_HEADER,
        "INC1,New,0,0,0,True,Phone,1 - Critical,29-02-2016 01:16,29-02-2016 01:23,?",
        "INC1,Active,1,0,1,True,Phone,1 - Critical,29-02-2016 01:16,29-02-2016 02:00,Group 5",
        "INC1,Awaiting User Info,1,0,2,True,Phone,1 - Critical,29-02-2016 01:16,29-02-2016 03:00,Group 5",
        "INC1,Active,2,0,3,True,Phone,1 - Critical,29-02-2016 01:16,29-02-2016 07:00,Group 6",
        "INC1,Closed,2,0,4,False,Phone,1 - Critical,29-02-2016 01:16,05-03-2016 12:00,Group 6",
        "INC2,New,0,0,0,True,Email,4 - Low,?,29-02-2016 02:00,?",
        "INC2,Closed,0,0,1,True,Email,4 - Low,29-02-2016 02:00,29-02-2016 09:00,?",
        "INC3,New,0,0,0,True,Phone,3 - Moderate,29-02-2016 03:00,29-02-2016 03:05,?",
    ]) + "\n")
    frame = read_uci_csv(csv)
    assert frame.loc[0, "opened_at"] == datetime(2016, 2, 29, 1, 16)
    assert frame["opened_at"].isna().sum() == 1
    rows = to_training_rows(frame)
    # INC3 never closes (no outcome); INC2's row without opened_at cannot be featurised
    assert rows["number"].tolist() == ["INC1"] * 5 + ["INC2"]
    assert rows["breached"].tolist() == [True] * 5 + [False]
    views = list(rows["view"])
    assert views[0].priority == Priority.urgent and views[0].channel == Channel.phone
    assert [v.event_type for v in views] == [EventType.created, EventType.updated, EventType.updated,
                                             EventType.updated, EventType.closed, EventType.closed]
    s = views[3].state
    assert s is not None and s.reassignments == 1 and s.waiting_hours == pytest.approx(4.0)
    assert views[2].state is not None and views[2].state.waiting_since is not None
    assert views[3].queue is not None and views[3].queue.open_tickets == 1
    assert views[5].priority == Priority.low and views[5].channel == Channel.email


def test_uci_adapter_names_missing_column(tmp_path: Path) -> None:
    csv = tmp_path / "bad.csv"
    csv.write_text("number,incident_state\nINC1,New\n")
    with pytest.raises(ValueError, match="'made_sla'"):
        read_uci_csv(csv)


def test_history_adapter_uses_tenant_policy_and_outcomes() -> None:
    t = NOW.isoformat()
    events = [
        {"tenant_id": "acme", "ticket_id": "1", "event_id": "a", "event_type": "created", "occurred_at": t,
         "ticket_created_at": t, "priority": "urgent", "channel": "chat", "status": "new", "queue": "q"},
        {"tenant_id": "acme", "ticket_id": "1", "event_id": "b", "event_type": "solved",
         "occurred_at": (NOW + timedelta(hours=5)).isoformat(), "ticket_created_at": t, "priority": "urgent",
         "channel": "chat", "status": "solved", "queue": "q"},
        {"tenant_id": "acme", "ticket_id": "2", "event_id": "c", "event_type": "created", "occurred_at": t,
         "ticket_created_at": None, "priority": None, "channel": "email", "status": None, "queue": None},
    ]
    rows = history_training_rows(events, [{"tenant_id": "acme", "ticket_id": "1", "met_resolution": False}],
                                 {"acme": SlaPolicy(name="a", targets={p: SlaTarget(first_response_hours=1,
                                                    resolution_hours=10) for p in Priority})})
    assert rows["number"].tolist() == ["acme:1", "acme:1"] and rows["breached"].all()
    assert rows["view"][1].fraction_of_target_used == pytest.approx(0.5)
    with pytest.raises(ValueError, match="history row 0: 'carrier'"):
        history_to_log_events([dict(events[0], channel="carrier")], [{"tenant_id": "acme", "ticket_id": "1",
                                                                      "breached": False}])


@needs_uci
def test_model_trained_on_a_small_slice_beats_the_majority_class(tmp_path: Path) -> None:
    rows = to_training_rows(read_uci_csv(UCI))
    incidents = sorted(set(rows["number"]))
    train_ids, test_ids = set(incidents[:200]), set(incidents[400:])
    train, test = rows[rows["number"].isin(train_ids)], rows[rows["number"].isin(test_ids)]
    model = SlaModel.train(list(train["view"]), train["breached"], train["number"], seed=1)
    model.save(tmp_path)
    p = SlaModel.load(tmp_path).predict_proba(list(test["view"]))
    y = test["breached"].to_numpy(dtype=bool)
    majority = max(y.mean(), 1 - y.mean())
    accuracy = float(((p >= 0.5) == y).mean())
    assert accuracy > majority + 0.05, (accuracy, majority)
    base_rate = train["breached"].mean()
    assert float(np.mean((p - y) ** 2)) < float(np.mean((base_rate - y) ** 2))


def test_shipped_artifact_metadata(model: SlaModel) -> None:
    assert (default_artifact_dir() / "ATTRIBUTION.md").is_file()
    assert model.model_version.startswith("sla-") and model.feature_set == "state"
    held = model.metadata["metrics"]["held_out"]
    assert held["model_state"]["all_events"]["auc"] > held["baseline_creation_lr"]["all_events"]["auc"] + 0.1


def test_bad_pipeline_version_is_a_config_error(model: SlaModel) -> None:
    with pytest.raises(ValueError, match="pipeline_version"):
        SlaStage(model, pipeline_version="")


def test_overflowing_due_time_fails_one_item_and_leaves_no_state(model: SlaModel) -> None:
    far = datetime(9999, 12, 31, 20, 0, tzinfo=UTC)
    stage = SlaStage(model, pipeline_version="p")
    ok, bad = stage.process([classified(1, Priority.low, NOW), classified(2, Priority.low, far, occurred=far)])
    assert isinstance(ok, Ok) and isinstance(bad, Failed)
    assert "acme:T2" not in stage.store.tickets and "acme:T1" in stage.store.tickets


def test_batch_state_is_evicted_by_stream_time_not_wall_time(model: SlaModel) -> None:
    from processors.sla.state import StateRetention

    stage = SlaStage(model, pipeline_version="p", retention=StateRetention(closed_days=30, open_days=365),
                     evict_every=1)
    old = NOW - timedelta(days=400)  # replayed history: wall time would evict it at once
    stage.process([classified(1, Priority.high, old, occurred=old, event_type=EventType.created, ticket="A"),
                   classified(2, None, None, occurred=old + timedelta(hours=2), ticket="A",
                              event_type=EventType.solved, status=Status.solved)])
    assert "acme:A" in stage.store.tickets
    stage.process([classified(3, Priority.low, old + timedelta(days=10), occurred=old + timedelta(days=10),
                              event_type=EventType.created, ticket="B")])
    assert "acme:A" in stage.store.tickets  # 10 days of stream time after it was solved
    stage.process([classified(4, None, None, occurred=old + timedelta(days=40), ticket="B")])
    assert set(stage.store.tickets) == {"acme:B"}  # A solved 40 days ago (stream time); B still open


def test_solved_events_say_whether_the_resolution_target_was_met(model: SlaModel) -> None:
    stage = SlaStage(model, pipeline_version="p")
    created = NOW - timedelta(hours=2)
    due = created + timedelta(hours=DEFAULT_POLICY.targets[Priority.urgent].resolution_hours)
    outcomes = stage.process([
        classified(1, Priority.urgent, created, occurred=created, event_type=EventType.created, ticket="A"),
        classified(2, None, None, occurred=due - timedelta(minutes=1), ticket="A", event_type=EventType.solved,
                   status=Status.solved),
        classified(3, Priority.urgent, created, occurred=created, event_type=EventType.created, ticket="B"),
        classified(4, None, None, occurred=due + timedelta(minutes=1), ticket="B", event_type=EventType.closed,
                   status=Status.closed),
    ])
    met = [o.value.sla.resolution_met for o in outcomes if isinstance(o, Ok)]
    assert met == [None, True, None, False]


def test_first_response_is_the_earliest_public_agent_comment(model: SlaModel) -> None:
    stage = SlaStage(model, pipeline_version="p")
    created = NOW - timedelta(hours=10)
    due = created + timedelta(hours=DEFAULT_POLICY.targets[Priority.high].first_response_hours)
    comment = EventType.comment_added
    outcomes = stage.process([
        classified(1, Priority.high, created, occurred=created, event_type=EventType.created, ticket="A"),
        classified(2, None, None, occurred=created + timedelta(hours=1), ticket="A", event_type=comment,
                   author=AuthorRole.requester, public=True),               # the customer again: no response
        classified(3, None, None, occurred=created + timedelta(hours=2), ticket="A", event_type=comment,
                   author=AuthorRole.agent, public=False),                  # an internal note: no response
        classified(4, None, None, occurred=due + timedelta(hours=1), ticket="A", event_type=comment,
                   author=AuthorRole.agent, public=True),                   # late
        classified(5, None, None, occurred=due - timedelta(minutes=5), ticket="A", event_type=comment,
                   author=AuthorRole.agent, public=True),                   # earlier, delivered later
        classified(6, None, None, occurred=due + timedelta(hours=2), ticket="A", event_type=EventType.solved,
                   status=Status.solved),
    ])
    slas = [o.value.sla for o in outcomes if isinstance(o, Ok)]
    assert [s.first_response_met for s in slas] == [None, None, None, False, True, True]
    assert slas[3].first_response_at == due + timedelta(hours=1)
    assert slas[5].first_response_at == due - timedelta(minutes=5)
    assert stage.store.tickets["acme:A"].first_response_at == due - timedelta(minutes=5)
    unknown = stage.process([classified(7, None, None, occurred=created, ticket="B", event_type=comment,
                                        author=AuthorRole.agent, public=None)])  # visibility not said
    assert isinstance(unknown[0], Ok) and unknown[0].value.sla.first_response_at is None


def test_first_response_survives_the_state_changelog(model: SlaModel) -> None:
    from processors.sla.state import TicketState

    stage = SlaStage(model, pipeline_version="p")
    stage.process([classified(1, Priority.normal, NOW - timedelta(hours=1), ticket="A",
                              event_type=EventType.comment_added, author=AuthorRole.agent, public=True)])
    state = stage.store.tickets["acme:A"]
    assert state.first_response_at == NOW
    assert TicketState.from_dict(state.to_dict()) == state
