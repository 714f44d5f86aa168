"""SLA breach model evaluation on the UCI incident log, held out by incident.

Reports AUC, Brier and calibration tables over all events, at creation and on still-open events, for the
creation-time logistic-regression baseline, the model without streaming state, with per-ticket state (the
shipped feature set), the same without priority shrinkage, and with queue backlog; plus what each model
predicts for a freshly created ticket of each priority (the sparse-"high" check).

    .venv/bin/python benchmarks/sla_eval.py [--data ../shared/data/uci_incident/train.csv] [--seed 42]

Writes benchmarks/results/sla_eval.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from datetime import datetime
from pathlib import Path

import numpy as np

from processors.sla.features import SlaEventView
from processors.sla.model import SlaModel
from processors.sla.policy import DEFAULT_POLICY
from processors.sla.training import SEED, evaluate, split
from processors.sla.uci_adapter import load_training_rows
from schemas import Channel, EventType, Priority

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "uci_incident" / "train.csv"


def fresh_ticket_probabilities(rows: object, seed: int) -> dict[str, dict[str, float]]:
    """P(breach) at creation (Monday 10:00) per priority, shrunk and unshrunk, trained on the training split."""
    import pandas as pd

    assert isinstance(rows, pd.DataFrame)
    train_idx, _ = split(rows, seed)
    tr = rows.iloc[train_idx]
    created = datetime(2016, 3, 7, 10, 0)
    probes = [SlaEventView(priority=p, channel=Channel.phone, event_type=EventType.created, created_at=created,
                           occurred_at=created, resolution_target_hours=DEFAULT_POLICY.targets[p].resolution_hours)
              for p in Priority]
    out: dict[str, dict[str, float]] = {}
    for name, k in (("shrunk", None), ("unshrunk", 0.0)):
        kwargs = {} if k is None else {"shrinkage_incidents": k}
        model = SlaModel.train(list(tr["view"]), tr["breached"], tr["number"], seed=seed, **kwargs)  # type: ignore[arg-type]
        p = model.predict_proba(probes)
        out[name] = {pr.value: round(float(v), 4) for pr, v in zip(Priority, p, strict=True)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "sla_eval.json")
    args = parser.parse_args()
    started = time.perf_counter()
    rows = load_training_rows(args.data)
    result = evaluate(rows, args.seed, with_calibration=True)
    result["fresh_ticket_p_breach"] = fresh_ticket_probabilities(rows, args.seed)
    result["breach_rate_by_priority_incidents"] = {
        p.value: round(float(np.mean([b for v, b in zip(rows["view"], rows["breached"], strict=True)
                                      if v.priority == p and v.event_type == EventType.created] or [np.nan])), 4)
        for p in Priority
    }
    result["meta"] = {"data": str(args.data), "rows": len(rows), "incidents": int(rows["number"].nunique()),
                      "seconds": round(time.perf_counter() - started, 1), "python": platform.python_version(),
                      "command": "python benchmarks/sla_eval.py"}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    for name, entry in result["held_out"].items():
        a, c, o = entry["all_events"], entry["created_events"], entry["open_events"]
        print(f"{name:22s} all AUC {a['auc']:.3f} Brier {a['brier']:.3f} | creation AUC {c['auc']:.3f} "
              f"Brier {c['brier']:.3f} | open AUC {o['auc']:.3f} Brier {o['brier']:.3f}")
    print("fresh ticket P(breach):", result["fresh_ticket_p_breach"])
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
