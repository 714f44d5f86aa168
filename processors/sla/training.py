"""Train the SLA breach model from an event log with known outcomes, and measure it against a baseline.

Sources: the UCI incident log (`train_sla_from_uci_csv`, through `uci_adapter`) or the pipeline's own
history (`train_sla_from_history`: ClickHouse `ticket_events` + `sla_outcomes` rows, through
`event_log.history_to_log_events`). Both give rows of (`number` = ticket, `view`, `breached`).

Held-out split is by incident (GroupShuffleSplit, 20%, fixed seed): events of one incident are strongly
correlated, and a row-wise split would score the model on incidents it saw. `evaluate` reports, on the
held-out incidents, AUC, Brier and a calibration table over all events and at creation, for:
- `baseline_creation_lr`: logistic regression on creation-time fields (priority, channel, creation time);
- `model_event`: the model without streaming state (event fields + SLA clock);
- `model_state`: + the per-ticket streaming state (the shipped feature set);
- `model_state_unshrunk`: the same without the priority shrinkage;
- `model_queue`: + queue backlog and arrival rate (ablation);
- `constant`: the training breach rate.
The shipped model is then refit on all incidents.

    python -m processors.sla.training UCI.csv --out-dir processors/artifacts/sla
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.model_selection import GroupShuffleSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from processors.sla.event_log import history_to_log_events, views_from_event_log
from processors.sla.features import features
from processors.sla.model import SlaModel
from processors.sla.policy import DEFAULT_POLICY, SlaPolicy
from processors.sla.uci_adapter import load_training_rows
from schemas import EventType

SEED = 42
TEST_SIZE = 0.2
SHIPPED_FEATURE_SET = "state"
DATASET = "UCI Incident management process enriched event log (id 498, CC BY 4.0)"
CALIBRATION_BINS = 10


def scores(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    return {
        "auc": round(float(roc_auc_score(y, p)), 4) if len(set(y.tolist())) == 2 else float("nan"),
        "brier": round(float(brier_score_loss(y, p)), 4),
        "n": len(y),
    }


def calibration_table(y: np.ndarray, p: np.ndarray, bins: int = CALIBRATION_BINS) -> list[dict[str, Any]]:
    """Equal-width probability bins: mean predicted vs observed breach rate, and the count."""
    edges = np.linspace(0, 1, bins + 1)
    idx = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    table = []
    for b in range(bins):
        mask = idx == b
        if mask.any():
            table.append({"bin": f"{edges[b]:.1f}-{edges[b + 1]:.1f}", "n": int(mask.sum()),
                          "mean_predicted": round(float(p[mask].mean()), 4),
                          "observed_rate": round(float(y[mask].mean()), 4)})
    return table


def split(rows: pd.DataFrame, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    groups = rows["number"].to_numpy()
    splitter = GroupShuffleSplit(n_splits=1, test_size=TEST_SIZE, random_state=seed)
    train_idx, test_idx = next(splitter.split(np.zeros(len(rows)), groups=groups))
    return train_idx, test_idx


def evaluate(rows: pd.DataFrame, seed: int = SEED, with_calibration: bool = False) -> dict[str, Any]:
    """Fit every variant on the training incidents and score it on the held-out ones."""
    views = list(rows["view"])
    y = rows["breached"].to_numpy(dtype=int)
    groups = rows["number"].to_numpy()
    train_idx, test_idx = split(rows, seed)
    tr = [views[i] for i in train_idx]
    te = [views[i] for i in test_idx]
    y_tr, y_te = y[train_idx], y[test_idx]
    created = np.array([v.event_type == EventType.created for v in te])
    still_open = np.array([v.event_type not in (EventType.solved, EventType.closed) for v in te])

    predictions: dict[str, np.ndarray] = {}
    baseline = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1_000))
    baseline.fit(features(tr, "creation"), y_tr)
    predictions["baseline_creation_lr"] = baseline.predict_proba(features(te, "creation"))[:, 1]
    variants = {"model_event": ("event", None), "model_state": ("state", None),
                "model_state_unshrunk": ("state", 0.0), "model_queue": ("queue", None)}
    for name, (feature_set, shrink) in variants.items():
        kwargs: dict[str, Any] = {"feature_set": feature_set, "seed": seed}
        if shrink is not None:
            kwargs["shrinkage_incidents"] = shrink
        predictions[name] = SlaModel.train(tr, y_tr, groups[train_idx], **kwargs).predict_proba(te)
    predictions["constant"] = np.full(len(te), y_tr.mean())

    held_out: dict[str, Any] = {}
    for name, p in predictions.items():
        entry: dict[str, Any] = {
            "all_events": scores(y_te, p),
            "created_events": scores(y_te[created], p[created]),
            "open_events": scores(y_te[still_open], p[still_open]),
        }
        if with_calibration and name != "constant":
            entry["calibration_all_events"] = calibration_table(y_te, p)
            entry["calibration_created_events"] = calibration_table(y_te[created], p[created])
        held_out[name] = entry
    return {
        "held_out": held_out,
        "split": {
            "by": "incident (GroupShuffleSplit)",
            "test_size": TEST_SIZE,
            "seed": seed,
            "train_rows": len(train_idx),
            "test_rows": len(test_idx),
            "train_incidents": len(set(groups[train_idx].tolist())),
            "test_incidents": len(set(groups[test_idx].tolist())),
            "test_breach_rate": round(float(y_te.mean()), 4),
        },
    }


def train_from_rows(
    rows: pd.DataFrame, out_dir: str | Path | None, *, dataset: str, seed: int = SEED
) -> dict[str, Any]:
    """Measure on held-out incidents, refit the shipped variant on all, save to `out_dir` (when given)."""
    if rows.empty:
        raise ValueError("no usable training rows (no tickets with a known outcome?)")
    metrics = evaluate(rows, seed)
    final = SlaModel.train(list(rows["view"]), rows["breached"].to_numpy(dtype=int), rows["number"].to_numpy(),
                           dataset=dataset, feature_set=SHIPPED_FEATURE_SET, seed=seed, metrics=metrics)
    if out_dir is not None:
        final.save(out_dir)
    return {**metrics, "model_version": final.model_version, "rows": len(rows)}


def train_sla_from_uci_csv(
    path: str | Path, out_dir: str | Path | None = None, *, seed: int = SEED
) -> dict[str, Any]:
    rows = load_training_rows(path)
    if rows.empty:
        raise ValueError(f"{path} gave no usable training rows (no closed incidents with a priority?)")
    return train_from_rows(rows, out_dir, dataset=DATASET, seed=seed)


def history_training_rows(
    events: Iterable[Mapping[str, Any]], outcomes: Iterable[Mapping[str, Any]],
    policies: Mapping[str, SlaPolicy] | None = None, default_policy: SlaPolicy = DEFAULT_POLICY,
) -> pd.DataFrame:
    """ClickHouse history rows → training rows, with each tenant's own policy for the SLA clock."""
    log = history_to_log_events(events, outcomes)
    policies = dict(policies or {})
    views = views_from_event_log(log, lambda tenant: policies.get(tenant, default_policy))
    rows = [{"number": e.group, "view": v, "breached": e.breached} for e, v in zip(log, views, strict=True)]
    return pd.DataFrame(rows, columns=["number", "view", "breached"])


def train_sla_from_history(
    events: Iterable[Mapping[str, Any]], outcomes: Iterable[Mapping[str, Any]], out_dir: str | Path | None = None,
    *, policies: Mapping[str, SlaPolicy] | None = None, seed: int = SEED,
) -> dict[str, Any]:
    """Retrain from the pipeline's own history (`ticket_events` + `sla_outcomes` rows)."""
    rows = history_training_rows(events, outcomes, policies)
    return train_from_rows(rows, out_dir, dataset="ticketstream history (ticket_events + sla_outcomes)", seed=seed)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("csv")
    parser.add_argument("--out-dir", required=True)
    args = parser.parse_args(argv)
    print(json.dumps(train_sla_from_uci_csv(args.csv, args.out_dir), indent=2))


if __name__ == "__main__":
    main()
