"""Retraining the local classifier from ClickHouse: redacted text from `ticket_events`, labels from the tags
agents set, never from the pipeline's own predictions; on both client paths and through the CLI."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from processors.classification.history_labels import NotEnoughLabels, label_prefixes, labelled_tickets
from processors.classification.local_model import LocalClassifier
from processors.classification.training import train_classifier_from_labelled
from processors.sla.stage import SlaStage
from schemas import Classification, ClassifiedTicket, FieldPrediction, LanguageResult
from sinks.clickhouse import ClickHouseSink, ConnectClient
from sinks.clickhouse.history import labelled_ticket_history
from sinks.clickhouse.retention import Retention
from tests.support.chdb_http import ChdbHttpServer

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
PREFIXES = {"category": "category_", "intent": "intent_"}
PHRASES = {
    ("billing", "get_refund"): ["I was charged twice for my order, please refund the money",
                                "refund the duplicate charge on my card", "I want my money back for this charge"],
    ("billing", "check_invoice"): ["where can I download the invoice for last month",
                                   "the invoice shows the wrong amount", "please send me a copy of the invoice"],
    ("shipping", "track_order"): ["where is my package, the delivery is late",
                                  "tracking number shows no movement for my parcel", "my parcel has not arrived yet"],
    ("shipping", "change_address"): ["please change the delivery address of my parcel",
                                     "I moved, ship the package to my new address", "wrong shipping address entered"],
    ("account", "reset_password"): ["I forgot my password and cannot log in", "password reset link does not work",
                                    "locked out of my account after too many login attempts"],
    ("account", "close_account"): ["please close my account and delete my profile",
                                   "I want to cancel my account membership", "remove my account permanently"],
}


def _event(tenant: str, i: int, j: int, hours: float, body: str, tags: list[str], kind: str = "created",
           predicted: str = "ORDER") -> ClassifiedTicket:
    """An event as the pipeline classified it: `predicted` is its own (here always wrong) category."""
    pred = FieldPrediction(label=predicted, confidence=0.95, backend="local")
    return ClassifiedTicket(
        tenant_id=tenant, source="zendesk", ticket_id=f"{tenant}-{i}", event_id=f"{tenant}-{i}-e{j}",
        event_type=kind, occurred_at=T0 + timedelta(hours=i + hours), ticket_created_at=T0 + timedelta(hours=i),
        subject="", body=body, tags=tags, channel="email", language=LanguageResult(code="en", confidence=0.9),
        classification=Classification(category=pred, intent=pred, model_version="local-old"),
    )


def history() -> list[ClassifiedTicket]:
    """60 tickets labelled by agents (10 per intent), plus the cases that must not become training data."""
    rng = random.Random(5)
    events: list[ClassifiedTicket] = []
    i = 0
    for (category, intent), phrases in PHRASES.items():
        for n in range(10):
            i += 1
            body = f"Hello, {rng.choice(phrases)}. Order {1000 + i}. Thanks, <PERSON_1> <EMAIL_ADDRESS_1>"
            if n == 0:  # created with the wrong category, corrected by an agent on a later event
                events += [_event("acme", i, 1, 0, body, ["vip", "category_legal", f"intent_{intent}"]),
                           _event("acme", i, 2, 1, "agent: fixed the category", ["vip", f"category_{category}",
                                  f"intent_{intent}"], kind="updated")]
                continue
            events.append(_event("acme", i, 1, 0, body, ["vip"]))
            # the agents' labels arrive on a later event, beside the pipeline's own tags echoed back
            events.append(_event("acme", i, 2, 2, "agent reply", [f"category_{category}", f"intent_{intent}",
                                                                  "ts_category_order", "ts_lang_en"], kind="solved"))
    extra = [  # none of these may become a training example
        ("unlabelled ticket about a refund", ["ts_category_billing", "ts_intent_get_refund"]),
        ("two categories at once", ["category_billing", "category_shipping", "intent_get_refund"]),
        ("an invalid label", ["category_bad/label", "intent_get_refund"]),
        ("a rare category 1", ["category_legal", "intent_get_refund"]),
        ("a rare category 2", ["category_legal", "intent_get_refund"]),
    ]
    for body, tags in extra:
        i += 1
        events.append(_event("acme", i, 1, 0, body, tags))
    for k in range(5):  # another tenant with too few labelled tickets
        events.append(_event("beta", k, 1, 0, "refund please", ["category_billing", "intent_get_refund"]))
    return events


def load(sink: ClickHouseSink) -> None:
    enriched = [o.value for o in SlaStage(pipeline_version="hist-1").process(history())]  # type: ignore[union-attr]
    sink.write_enriched(enriched, dedup_token="classifier-history")


def test_human_labels_come_back_per_ticket_and_train_a_model(sink: ClickHouseSink, tmp_path: Path) -> None:
    load(sink)
    rows = labelled_ticket_history(sink.client, sink.database, PREFIXES, exclude_prefixes=["ts_"], tenant="acme")
    assert len(rows) == 65
    corrected = next(r for r in rows if r["ticket_id"] == "acme-1")
    assert corrected["labels_category"] == ["category_billing"], "the agent's later correction wins"
    assert corrected["first_body"].startswith("Hello,") and "<PERSON_1>" in corrected["first_body"]
    echoed = next(r for r in rows if r["first_body"] == "unlabelled ticket about a refund")
    assert echoed["labels_category"] == [] and echoed["labels_intent"] == [], "the pipeline's tags are not labels"

    chosen = labelled_tickets(rows, PREFIXES)
    assert len(chosen.texts) == 60
    assert chosen.stats["ambiguous_labels"] == 1 and chosen.stats["invalid_labels"] == 1
    assert chosen.stats["rare_labels_left_out"] == {"category": ["legal"], "intent": []}
    assert set(chosen.labels["category"]) == {"billing", "shipping", "account"}  # never the predicted ORDER
    assert all("\n" not in t and t.strip() for t in chosen.texts)

    metrics = train_classifier_from_labelled(chosen.texts, chosen.labels, tmp_path, dataset="clickhouse:test",
                                             report=chosen.stats)
    assert metrics["rows"] == 60 and metrics["data"]["used"] == 60
    assert metrics["held_out"]["category"]["accuracy"] >= 0.8
    model = LocalClassifier.load(tmp_path)
    assert set(model.labels("category")) == {"account", "billing", "shipping"}
    assert model.metadata["dataset"] == "clickhouse:test"
    predicted = model.predict(["Hi, <PERSON_1> here, I forgot my password and cannot log in"])
    assert predicted == {"category": ["account"], "intent": ["reset_password"]}


def test_time_range_counts_tickets_by_creation(sink: ClickHouseSink) -> None:
    load(sink)
    late = labelled_ticket_history(sink.client, sink.database, PREFIXES, tenant="acme",
                                   since=T0 + timedelta(hours=31), until=T0 + timedelta(hours=41))
    assert [r["ticket_id"] for r in late] == [f"acme-{i}" for i in range(31, 41)]


def test_too_few_human_labels_is_a_clear_error(sink: ClickHouseSink) -> None:
    load(sink)
    rows = labelled_ticket_history(sink.client, sink.database, PREFIXES, tenant="beta")
    with pytest.raises(NotEnoughLabels, match=r"only 0 tickets .* at least 50 .* category \(category_\*\): 5"):
        labelled_tickets(rows, PREFIXES)
    with pytest.raises(NotEnoughLabels, match="field 'category' has 1 distinct label"):
        labelled_tickets(rows, PREFIXES, min_tickets=1, min_per_label=1)


def test_label_prefixes_refuse_the_pipelines_own_tags_and_overlaps() -> None:
    assert label_prefixes(["category", "intent"]) == PREFIXES
    assert label_prefixes(["category"], ["category=cat_"]) == {"category": "cat_"}
    for given, message in ((["category=ts_category_"], "pipeline writes back"), (["category=t"], "overlaps 'ts_'"),
                           (["intent=category_x"], "overlap"), (["priority=p_"], "not one of the fields"),
                           (["category"], "FIELD=PREFIX")):
        with pytest.raises(ValueError, match=message):
            label_prefixes(["category", "intent"], given, ["ts_"])


def test_cli_trains_from_clickhouse_and_refuses_a_small_selection(
    chdb_front: ChdbHttpServer, database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from streams.cli import app

    client = ConnectClient(chdb_front.url)
    try:
        sink = ClickHouseSink(client, database, retention=Retention.forever())
        sink.ensure_schema()
        load(sink)
    finally:
        client.close()
    monkeypatch.setenv("CLICKHOUSE_URL", chdb_front.url)
    monkeypatch.setenv("TICKETSTREAM_CLICKHOUSE_DATABASE", database)
    monkeypatch.setenv("TICKETSTREAM_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("TICKETSTREAM_TENANTS_FILE", raising=False)
    runner = CliRunner()
    out = tmp_path / "artifact"

    refused = runner.invoke(app, ["train", "classifier", "--from-clickhouse", "--tenant", "beta", "--out", str(out)])
    assert refused.exit_code == 2 and "at least 50" in refused.output and not out.exists()
    bad = runner.invoke(app, ["train", "classifier", "--from-clickhouse", "--label-tag", "category=ts_c"])
    assert bad.exit_code == 2 and "pipeline writes back" in bad.output
    neither = runner.invoke(app, ["train", "classifier"])
    assert neither.exit_code == 2 and "--data FILE or --from-clickhouse" in neither.output

    done = runner.invoke(app, ["train", "classifier", "--from-clickhouse", "--tenant", "acme",
                               "--from", "2026-03-02T00:00:00+00:00", "--out", str(out)])
    assert done.exit_code == 0, done.output
    metrics = json.loads(done.output)
    assert metrics["rows"] == 60 and metrics["data"]["selection"]["tenant"] == "acme"
    assert set(LocalClassifier.load(out).labels("intent")) == {i for _, i in PHRASES}
