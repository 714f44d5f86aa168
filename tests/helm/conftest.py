"""Helm for the chart tests, installed by scripts/install-helm.sh (built with `go install` once, then cached)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _install(tool: str) -> Path:
    result = subprocess.run([str(REPO / "scripts" / "install-helm.sh"), tool], capture_output=True, text=True,
                            timeout=1800, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"scripts/install-helm.sh {tool} failed:\n{result.stderr[-3000:]}")
    return Path(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def helm_bin() -> Path:
    return _install("helm")


@pytest.fixture(scope="session")
def hadolint_bin() -> Path:
    return _install("hadolint")
