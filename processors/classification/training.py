"""Train the local classifier from a CSV or JSONL file and measure it before shipping it.

The figures come from a stratified 20% held-out split (fixed seed); the shipped model is then refit
on all rows, so the metrics in metadata.json slightly under-state the shipped model.

    python -m processors.classification.training DATA.csv --out-dir processors/artifacts/classifier
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split

from processors.classification.local_model import LocalClassifier, expected_calibration_error

SEED = 42
TEST_SIZE = 0.2


def read_training_csv(path: str | Path, text_column: str, fields: Sequence[str]) -> pd.DataFrame:
    """Read a labelled CSV, or JSONL when the name ends in .jsonl/.ndjson (one object per line), and check
    the columns, naming any that is missing. Any column can be a field (e.g. priority, sentiment)."""
    path = Path(path)
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        try:
            frame = pd.read_json(path, lines=True, dtype=False).fillna("").astype(str)
        except ValueError as exc:
            raise ValueError(f"{path} is not valid JSONL (one JSON object per line): {exc}") from exc
    else:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in (text_column, *fields):
        if column not in frame.columns:
            found = ", ".join(map(str, frame.columns))
            raise ValueError(f"column {column!r} is missing from {path} (columns found: {found})")
    frame = frame[frame[text_column].str.strip() != ""]
    if frame.empty:
        raise ValueError(f"{path} has no rows with text in column {text_column!r}")
    for column in fields:
        if (frame[column] == "").any():
            raise ValueError(f"column {column!r} of {path} has empty labels")
    return frame


def evaluate(
    model: LocalClassifier, texts: Sequence[str], truth: Mapping[str, Sequence[str]]
) -> dict[str, Any]:
    """Accuracy, macro-F1 and top-label ECE per field."""
    probs = model.predict_proba(texts)
    metrics: dict[str, Any] = {}
    for name, expected in truth.items():
        labels = np.asarray(model.labels(name), dtype=object)
        p = probs[name]
        predicted = labels[p.argmax(axis=1)]
        expected_arr = np.asarray(expected, dtype=object)
        metrics[name] = {
            "accuracy": round(float(accuracy_score(expected_arr, predicted)), 4),
            "macro_f1": round(float(f1_score(expected_arr, predicted, average="macro")), 4),
            "ece": round(expected_calibration_error(p.max(axis=1), predicted == expected_arr), 4),
            "mean_confidence": round(float(p.max(axis=1).mean()), 4),
        }
    return metrics


def train_classifier_from_csv(
    path: str | Path,
    text_column: str = "instruction",
    fields: Sequence[str] = ("category", "intent"),
    out_dir: str | Path | None = None,
    *,
    dataset: str | None = None,
    seed: int = SEED,
) -> dict[str, Any]:
    """Measure on a held-out split, refit on everything, save to `out_dir` (when given); return metrics.

    The split is stratified on the combination of all fields, so every label shows up in both parts.
    """
    fields = tuple(fields)
    frame = read_training_csv(path, text_column, fields)
    return _fit_and_measure(frame, text_column, fields, out_dir, dataset or Path(path).name, seed)


def train_classifier_from_labelled(
    texts: Sequence[str],
    labels: Mapping[str, Sequence[str]],
    out_dir: str | Path | None = None,
    *,
    dataset: str,
    seed: int = SEED,
    report: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Same as `train_classifier_from_csv` for texts and labels already in memory (e.g. read from ClickHouse by
    `history_labels.labelled_tickets`); `report` (where the labels came from) is kept in metadata.json."""
    fields = tuple(labels)
    frame = pd.DataFrame({"_text": list(texts), **{name: list(map(str, labels[name])) for name in fields}})
    return _fit_and_measure(frame, "_text", fields, out_dir, dataset, seed, report)


def _fit_and_measure(frame: pd.DataFrame, text_column: str, fields: tuple[str, ...], out_dir: str | Path | None,
                     dataset: str, seed: int, report: Mapping[str, Any] | None = None) -> dict[str, Any]:
    strata = frame[list(fields)].agg("\x1f".join, axis=1)
    counts = strata.map(strata.value_counts())
    stratify = strata if counts.min() >= 2 else None
    train_part, test_part = train_test_split(frame, test_size=TEST_SIZE, random_state=seed, stratify=stratify)

    def labels_of(part: pd.DataFrame) -> dict[str, list[str]]:
        return {name: part[name].tolist() for name in fields}

    held_out_model = LocalClassifier.train(train_part[text_column].tolist(), labels_of(train_part), seed=seed)
    metrics: dict[str, Any] = {
        "held_out": evaluate(held_out_model, test_part[text_column].tolist(), labels_of(test_part)),
        "split": {
            "test_size": TEST_SIZE,
            "seed": seed,
            "stratified": stratify is not None,
            "train_rows": len(train_part),
            "test_rows": len(test_part),
        },
    }
    if report:
        metrics["data"] = dict(report)
    final = LocalClassifier.train(
        frame[text_column].tolist(),
        labels_of(frame),
        dataset=dataset,
        seed=seed,
        metrics=metrics,
    )
    if out_dir is not None:
        final.save(out_dir)
    return {**metrics, "model_version": final.model_version, "rows": len(frame)}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("csv")
    parser.add_argument("--out-dir", required=True)
    parser.add_argument("--text-column", default="instruction")
    parser.add_argument("--fields", default="category,intent", help="comma-separated label columns")
    parser.add_argument("--dataset", default=None, help="dataset name recorded in metadata.json")
    args = parser.parse_args(argv)
    metrics = train_classifier_from_csv(
        args.csv, args.text_column, tuple(args.fields.split(",")), args.out_dir, dataset=args.dataset
    )
    print(json.dumps(metrics, indent=2))


if __name__ == "__main__":
    main()
