"""Reading a trained artifact's metadata.json, shared by the local classifier and the SLA model."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import sklearn


class ModelVersionWarning(UserWarning):
    """The artifact was trained with another scikit-learn: pickled estimators may predict differently."""


def read_metadata(directory: Path, metadata_file: str, kind: str, stacklevel: int = 3) -> dict[str, Any]:
    path = directory / metadata_file
    if not path.is_file():
        raise FileNotFoundError(f"no {metadata_file} in {directory}: not a {kind} artifact directory")
    metadata: dict[str, Any] = json.loads(path.read_text())
    trained_with = metadata.get("sklearn_version")
    if trained_with != sklearn.__version__:
        warnings.warn(
            f"{kind} artifact {directory} was trained with scikit-learn {trained_with}, but "
            f"{sklearn.__version__} is installed; predictions may differ. Retrain it with "
            f"`ticketstream train` or install scikit-learn=={trained_with}.",
            ModelVersionWarning,
            stacklevel=stacklevel,
        )
    return metadata
