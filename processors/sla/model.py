"""Breach-probability model: gradient boosting on event-time features, sigmoid-calibrated.

Gradient boosting because the signal is non-linear (time since creation matters differently per
priority); calibration because the probability drives risk levels and escalations. The calibration
folds are grouped by incident, so events of one incident never sit on both sides of a fold.

Artifact layout as the classifier: `model.joblib` + `metadata.json` (version, data, held-out AUC/Brier).
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import sklearn
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GroupKFold

from processors.sla.features import SlaEventView, feature_names, features

MODEL_FILE = "model.joblib"
METADATA_FILE = "metadata.json"


class ModelVersionWarning(UserWarning):
    """The artifact was written by another scikit-learn version; predictions may differ or fail."""


def default_artifact_dir() -> Path:
    """The SLA model shipped inside the package (processors/artifacts/sla)."""
    return Path(__file__).resolve().parent.parent / "artifacts" / "sla"


def make_estimator(groups: Sequence[str] | np.ndarray, seed: int = 0) -> CalibratedClassifierCV:
    """Small trees with strong leaf minimums: a few hundred incidents do not support more."""
    booster = HistGradientBoostingClassifier(
        learning_rate=0.05,
        max_iter=150,
        max_leaf_nodes=8,
        min_samples_leaf=40,
        l2_regularization=1.0,
        early_stopping=False,
        random_state=seed,
    )
    folds = list(GroupKFold(n_splits=3).split(np.zeros(len(groups)), groups=np.asarray(groups)))
    return CalibratedClassifierCV(booster, method="sigmoid", cv=folds, ensemble=False)


@dataclass
class SlaModel:
    """A trained breach model: `predict_proba(views)` is P(the ticket breaches), one per view."""

    estimator: Any
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def model_version(self) -> str:
        return str(self.metadata.get("model_version", "sla-unversioned"))

    @property
    def include_counts(self) -> bool:
        return bool(self.metadata.get("include_counts", False))

    def predict_proba(self, views: Sequence[SlaEventView]) -> np.ndarray:
        if not views:
            return np.zeros(0)
        proba = self.estimator.predict_proba(features(views, self.include_counts))[:, 1]
        return np.clip(proba, 0.0, 1.0)

    @classmethod
    def train(
        cls,
        views: Sequence[SlaEventView],
        breached: Sequence[bool],
        groups: Sequence[str],
        *,
        dataset: str = "unknown",
        include_counts: bool = False,
        seed: int = 0,
        metrics: dict[str, Any] | None = None,
    ) -> SlaModel:
        x = features(views, include_counts)
        y = np.asarray(breached, dtype=int)
        if len(set(y.tolist())) < 2:
            raise ValueError("training data has only one class of `breached`; need breaches and non-breaches")
        estimator = make_estimator(groups, seed).fit(x, y)
        digest = hashlib.sha256(x.tobytes() + y.tobytes())
        digest.update(json.dumps([include_counts, seed, feature_names(include_counts)]).encode())
        now = datetime.now(UTC)
        metadata = {
            "model_version": f"sla-{now:%Y%m%d}-{digest.hexdigest()[:8]}",
            "trained_at": now.isoformat(timespec="seconds"),
            "dataset": dataset,
            "rows": len(views),
            "incidents": len(set(groups)),
            "breach_rate": round(float(y.mean()), 4),
            "features": feature_names(include_counts),
            "include_counts": include_counts,
            "estimator": "HistGradientBoostingClassifier + CalibratedClassifierCV(sigmoid, GroupKFold(3))",
            "sklearn_version": sklearn.__version__,
            "metrics": dict(metrics or {}),
        }
        return cls(estimator=estimator, metadata=metadata)

    def save(self, directory: str | Path) -> Path:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        joblib.dump({"estimator": self.estimator}, directory / MODEL_FILE, compress=3)
        (directory / METADATA_FILE).write_text(json.dumps(self.metadata, indent=2, sort_keys=True) + "\n")
        return directory

    @classmethod
    def load(cls, directory: str | Path | None = None) -> SlaModel:
        """Load an artifact (default: the shipped one). Warns when scikit-learn's version differs."""
        directory = Path(directory) if directory is not None else default_artifact_dir()
        path = directory / METADATA_FILE
        if not path.is_file():
            raise FileNotFoundError(f"no {METADATA_FILE} in {directory}: not an SLA model artifact directory")
        metadata: dict[str, Any] = json.loads(path.read_text())
        trained_with = metadata.get("sklearn_version")
        if trained_with != sklearn.__version__:
            warnings.warn(
                f"SLA model artifact {directory} was trained with scikit-learn {trained_with}, but "
                f"{sklearn.__version__} is installed; predictions may differ. Retrain it or install "
                f"scikit-learn=={trained_with}.",
                ModelVersionWarning,
                stacklevel=2,
            )
        payload = joblib.load(directory / MODEL_FILE)
        return cls(estimator=payload["estimator"], metadata=metadata)
