"""Classification stage and local model, against the shipped artifact and real training runs."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import train_test_split

from processors.base import Failed, Ok
from processors.classification.backend import ClassifierBackend, ClassifyInput
from processors.classification.local_model import LocalClassifier, ModelVersionWarning, default_artifact_dir
from processors.classification.stage import ClassificationStage
from processors.classification.training import SEED, TEST_SIZE, train_classifier_from_csv
from schemas import ClassifiedTicket, DetectedTicket, LanguageResult

BITEXT = Path("/work/shared/data/bitext/train.csv")
needs_bitext = pytest.mark.usefixtures("bitext_data_present")


@pytest.fixture
def bitext_data_present() -> None:
    """The shared data set is part of the test setup: its absence is a failure, never a silent skip."""
    assert BITEXT.is_file(), f"{BITEXT} is missing: the tests need the data sets in /work/shared/data"


@pytest.fixture(scope="module")
def model() -> LocalClassifier:
    with warnings.catch_warnings():
        warnings.simplefilter("error", ModelVersionWarning)  # the shipped artifact matches the pinned sklearn
        return LocalClassifier.load()


@pytest.fixture(scope="module")
def stage(model: LocalClassifier) -> ClassificationStage:
    return ClassificationStage(model)


def ticket(i: int, subject: str, body: str = "", lang: str = "en", tenant: str = "acme") -> DetectedTicket:
    return DetectedTicket(
        tenant_id=tenant,
        source="zendesk",
        ticket_id=f"T{i}",
        event_id=f"E{i}",
        event_type="created",
        occurred_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
        subject=subject,
        body=body,
        language=LanguageResult(code=lang, confidence=0.99),
    )


def test_shipped_artifact_loads_with_metadata(model: LocalClassifier) -> None:
    assert (default_artifact_dir() / "ATTRIBUTION.md").is_file()
    assert model.model_version.startswith("local-")
    assert set(model.fields) == {"category", "intent"}
    assert len(model.labels("category")) == 11 and len(model.labels("intent")) == 27
    assert model.metadata["metrics"]["held_out"]["intent"]["accuracy"] > 0.95
    assert sum(f.stat().st_size for f in default_artifact_dir().iterdir()) < 5_000_000
    assert isinstance(model, ClassifierBackend)


@needs_bitext
def test_accuracy_on_held_out_slice_of_bitext() -> None:
    """Measured 0.9985 / 0.9985 (category / intent) for a model trained on the other 80%."""
    frame = pd.read_csv(BITEXT)
    train, test = train_test_split(frame, test_size=TEST_SIZE, random_state=SEED, stratify=frame["intent"])
    fresh = LocalClassifier.train(
        train["instruction"].tolist(),
        {"category": train["category"].tolist(), "intent": train["intent"].tolist()},
    )
    predicted = fresh.predict(test["instruction"].tolist())
    assert np.mean(np.array(predicted["category"]) == test["category"].to_numpy()) > 0.97
    assert np.mean(np.array(predicted["intent"]) == test["intent"].to_numpy()) > 0.97


def test_stage_output_labels_in_taxonomy_and_confidence_in_range(
    stage: ClassificationStage, model: LocalClassifier
) -> None:
    texts = [
        "where is my refund?",
        "I need to change the delivery address",
        "how do I delete my account",
        "x",
    ]
    outcomes = stage.process([ticket(i, t) for i, t in enumerate(texts)])
    assert len(outcomes) == len(texts)
    for outcome in outcomes:
        assert isinstance(outcome, Ok)
        c = outcome.value.classification
        assert c.category.label in model.labels("category")
        assert c.intent.label in model.labels("intent")
        for pred in (c.category, c.intent):
            assert 0.0 <= pred.confidence <= 1.0 and pred.backend == "local"
        assert c.priority is None and c.sentiment is None
        assert c.model_version == model.model_version


def test_batch_order_preserved_and_matches_single_items(stage: ClassificationStage) -> None:
    texts = ["cancel order 1234", "I want a refund", "", "newsletter unsubscribe please", "track my package"]
    batch = stage.process([ticket(i, t) for i, t in enumerate(texts)])
    assert [o.value.ticket_id if isinstance(o, Ok) else None for o in batch] == ["T0", "T1", None, "T3", "T4"]
    assert isinstance(batch[2], Failed) and batch[2].error_type == "EmptyText"
    labels = [o.value.classification.intent.label for o in batch if isinstance(o, Ok)]
    assert labels[:2] == ["cancel_order", "get_refund"]
    singles = [stage.process([ticket(i, t)])[0] for i, t in enumerate(texts)]
    assert singles == batch  # deterministic, and independent of batch composition


def test_output_is_a_classified_ticket_that_keeps_the_input(stage: ClassificationStage) -> None:
    source = ticket(7, "Refund", "I was charged twice, please refund <PERSON_1>")
    (outcome,) = stage.process([source])
    assert isinstance(outcome, Ok) and isinstance(outcome.value, ClassifiedTicket)
    assert outcome.value.model_dump(exclude={"classification"}) == source.model_dump()
    assert outcome.value.classification.category.label == "REFUND"


def test_tenant_taxonomy_restricts_labels(model: LocalClassifier) -> None:
    restricted = ClassificationStage(
        model,
        taxonomies={"shop": {"category": ("ORDER", "REFUND"), "intent": ("cancel_order", "get_refund")}},
    )
    text = "how do I delete my account"
    shop, other = restricted.process([ticket(1, text, tenant="shop"), ticket(2, text, tenant="other")])
    assert isinstance(shop, Ok) and isinstance(other, Ok)
    assert shop.value.classification.category.label in {"ORDER", "REFUND"}
    assert other.value.classification.category.label == "ACCOUNT"
    # a forced choice keeps the model's own (low) probability, it is not renormalised upwards
    assert shop.value.classification.category.confidence < 0.5


def test_taxonomy_unknown_to_backend_fails_the_item(model: LocalClassifier) -> None:
    s = ClassificationStage(model, default_taxonomy={"category": ("NOT_A_LABEL",), "intent": ()})
    (outcome,) = s.process([ticket(1, "cancel my order")])
    assert isinstance(outcome, Failed) and "category" in outcome.reason


def test_multilingual_cancel_order_as_measured(model: LocalClassifier) -> None:
    """Trained on English only. Measured: Spanish cognates ("cancelar", "orden"/"pedido") get
    cancel_order; German does not (ACCOUNT/DELIVERY guesses at low confidence). Pinned so a change of
    behaviour is noticed; the cascade should send such items to the LLM."""
    items = [
        ClassifyInput(
            subject=t, body="", language=lang, tenant_id="acme", taxonomy={"category": (), "intent": ()}
        )
        for t, lang in [
            ("I want to cancel my order", "en"),
            ("Quiero cancelar mi pedido", "es"),
            ("Ich möchte meine Bestellung stornieren", "de"),
        ]
    ]
    en, es, de = model.classify(items)
    assert not isinstance(en, Failed) and not isinstance(es, Failed) and not isinstance(de, Failed)
    assert en.predictions["intent"].label == "cancel_order" and en.predictions["intent"].confidence > 0.95
    assert es.predictions["intent"].label == "cancel_order"
    assert de.predictions["intent"].label != "cancel_order"
    assert de.predictions["intent"].confidence < 0.6


def test_missing_column_names_the_column(tmp_path: Path) -> None:
    csv = tmp_path / "tiny.csv"
    csv.write_text("instruction,category\ncancel my order,ORDER\nrefund please,REFUND\n")
    with pytest.raises(ValueError, match="'intent'"):
        train_classifier_from_csv(csv, out_dir=tmp_path / "out")
    with pytest.raises(ValueError, match="'text'"):
        train_classifier_from_csv(csv, text_column="text", fields=("category",))


def test_train_save_load_round_trip(tmp_path: Path) -> None:
    rows = [
        ("cancel my order", "ORDER", "cancel_order"),
        ("please cancel the order", "ORDER", "cancel_order"),
        ("I want to cancel my purchase", "ORDER", "cancel_order"),
        ("cancel order now", "ORDER", "cancel_order"),
        ("where is my refund", "REFUND", "track_refund"),
        ("track my refund", "REFUND", "track_refund"),
        ("refund status please", "REFUND", "track_refund"),
        ("has my refund been sent", "REFUND", "track_refund"),
        ("I want my money back", "REFUND", "get_refund"),
        ("give me a refund", "REFUND", "get_refund"),
        ("refund my money", "REFUND", "get_refund"),
        ("I need a refund for this", "REFUND", "get_refund"),
    ] * 3
    csv = tmp_path / "small.csv"
    pd.DataFrame(rows, columns=["instruction", "category", "intent"]).to_csv(csv, index=False)
    metrics = train_classifier_from_csv(csv, out_dir=tmp_path / "model")
    assert set(metrics["held_out"]) == {"category", "intent"}
    assert (tmp_path / "model" / "metadata.json").is_file()
    loaded = LocalClassifier.load(tmp_path / "model")
    assert loaded.model_version == metrics["model_version"]
    again = LocalClassifier.load(tmp_path / "model")
    probe = ["cancel it", "refund?", "where is the money", "totally unrelated text"]
    a, b = loaded.predict_proba(probe), again.predict_proba(probe)
    for name in ("category", "intent"):
        np.testing.assert_array_equal(a[name], b[name])
    assert loaded.metadata["rows"] == len(rows)


def test_version_mismatch_warns(tmp_path: Path, model: LocalClassifier) -> None:
    model.metadata = {**model.metadata, "sklearn_version": "0.0.1"}
    try:
        model.save(tmp_path)
    finally:
        model.metadata = {
            **model.metadata,
            "sklearn_version": LocalClassifier.load().metadata["sklearn_version"],
        }
    with pytest.warns(ModelVersionWarning, match=r"scikit-learn 0\.0\.1"):
        LocalClassifier.load(tmp_path)


def test_train_from_jsonl_with_any_field_columns(tmp_path: Path) -> None:
    """A JSONL file with a custom text column and a sentiment column trains a sentiment head."""
    rows = [
        ("this is great, thanks a lot", "positive", "FEEDBACK"),
        ("love the fast delivery", "positive", "DELIVERY"),
        ("wonderful service, thank you", "positive", "FEEDBACK"),
        ("the parcel came early, great job", "positive", "DELIVERY"),
        ("this is terrible, I am angry", "negative", "FEEDBACK"),
        ("my parcel is late again, awful", "negative", "DELIVERY"),
        ("worst support ever", "negative", "FEEDBACK"),
        ("delivery failed twice, furious", "negative", "DELIVERY"),
    ] * 3
    path = tmp_path / "labelled.jsonl"
    pd.DataFrame(rows, columns=["text", "sentiment", "category"]).to_json(path, orient="records", lines=True)
    metrics = train_classifier_from_csv(path, text_column="text", fields=("category", "sentiment"),
                                        out_dir=tmp_path / "m")
    assert set(metrics["held_out"]) == {"category", "sentiment"}
    trained = LocalClassifier.load(tmp_path / "m")
    assert set(trained.fields) == {"category", "sentiment"} and trained.labels("sentiment") == ("negative", "positive")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x", "sentiment": "positive"}\nnot json\n')
    with pytest.raises(ValueError, match="not valid JSONL"):
        train_classifier_from_csv(bad, text_column="text", fields=("sentiment",))
