"""Fixtures shared by the PII stage tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from benchmarks.pii_eval import stage_predictor
from processors.pii import PiiConfig, PiiStage


@pytest.fixture(scope="module")
def redacted() -> Callable[[str], list[str]]:
    """The values the whole PII stage (default config) redacts in a text, in order."""
    predict = stage_predictor(PiiStage(PiiConfig()))

    def run(text: str) -> list[str]:
        return [text[s:e] for s, e, _ in predict([text])[0]]

    return run
