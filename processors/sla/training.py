"""Train the SLA breach model from the UCI incident log and measure it against a simple baseline.

Held-out split is by incident (GroupShuffleSplit on `number`, 20%, fixed seed): events of one
incident are strongly correlated, and a row-wise split would score the model on incidents it saw.
Reported on the held-out incidents:
- `model`: AUC and Brier over all events, over creation events only (the early-warning case) and over
  events before the ticket is solved (where a prediction can still change something);
- `baseline_creation_lr`: logistic regression on creation-time fields (priority, channel, creation
  hour/weekday) — what you get without tracking the ticket's life;
- `model_with_counts`: the same model plus reassignment/reopen counts, i.e. what the live side loses
  by not carrying them yet;
- `constant`: Brier of always predicting the training breach rate.
The shipped model is then refit on all incidents.

    python -m processors.sla.training UCI.csv --out-dir processors/artifacts/sla
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.model_selection import GroupShuffleSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from processors.sla.features import CREATION_TIME_FEATURES, feature_names, features
from processors.sla.model import SlaModel
from processors.sla.uci_adapter import load_training_rows
from schemas import EventType

SEED = 42
TEST_SIZE = 0.2
DATASET = "UCI Incident management process enriched event log (id 498, CC BY 4.0)"


def _scores(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    return {
        "auc": round(float(roc_auc_score(y, p)), 4) if len(set(y.tolist())) == 2 else float("nan"),
        "brier": round(float(brier_score_loss(y, p)), 4),
    }


def train_sla_from_uci_csv(
    path: str | Path, out_dir: str | Path | None = None, *, seed: int = SEED
) -> dict[str, Any]:
    """Measure on held-out incidents, refit on all, save to `out_dir` (when given); return metrics."""
    rows = load_training_rows(path)
    if rows.empty:
        raise ValueError(f"{path} gave no usable training rows (no closed incidents with a priority?)")
    views = list(rows["view"])
    y = rows["breached"].to_numpy(dtype=int)
    groups = rows["number"].to_numpy()
    train_idx, test_idx = next(
        GroupShuffleSplit(n_splits=1, test_size=TEST_SIZE, random_state=seed).split(views, y, groups)
    )
    train_views = [views[i] for i in train_idx]
    test_views = [views[i] for i in test_idx]
    created = np.array([v.event_type == EventType.created for v in test_views])
    still_open = np.array([v.event_type not in (EventType.solved, EventType.closed) for v in test_views])

    model = SlaModel.train(train_views, y[train_idx], groups[train_idx], seed=seed)
    p_model = model.predict_proba(test_views)
    with_counts = SlaModel.train(train_views, y[train_idx], groups[train_idx], include_counts=True, seed=seed)
    p_counts = with_counts.predict_proba(test_views)

    cols = [feature_names().index(name) for name in CREATION_TIME_FEATURES]
    baseline = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1_000))
    baseline.fit(features(train_views)[:, cols], y[train_idx])
    p_base = baseline.predict_proba(features(test_views)[:, cols])[:, 1]

    y_test = y[test_idx]
    metrics: dict[str, Any] = {
        "held_out": {
            "model": {
                **_scores(y_test, p_model),
                "created_events": _scores(y_test[created], p_model[created]),
                "open_events": _scores(y_test[still_open], p_model[still_open]),
            },
            "baseline_creation_lr": {
                **_scores(y_test, p_base),
                "created_events": _scores(y_test[created], p_base[created]),
            },
            "model_with_counts": _scores(y_test, p_counts),
            "constant": {
                "brier": round(float(brier_score_loss(y_test, np.full(len(y_test), y[train_idx].mean()))), 4)
            },
        },
        "split": {
            "by": "number (GroupShuffleSplit)",
            "test_size": TEST_SIZE,
            "seed": seed,
            "train_rows": len(train_idx),
            "test_rows": len(test_idx),
            "train_incidents": len(set(groups[train_idx])),
            "test_incidents": len(set(groups[test_idx])),
            "test_breach_rate": round(float(y_test.mean()), 4),
        },
    }
    final = SlaModel.train(views, y, groups, dataset=DATASET, seed=seed, metrics=metrics)
    if out_dir is not None:
        final.save(out_dir)
    return {**metrics, "model_version": final.model_version, "rows": len(views)}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("csv")
    parser.add_argument("--out-dir", required=True)
    args = parser.parse_args(argv)
    print(json.dumps(train_sla_from_uci_csv(args.csv, args.out_dir), indent=2))


if __name__ == "__main__":
    main()
