"""docs/configuration.md is generated from the settings classes: it must list every setting as the code has it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from streams.settings import Settings

REPO = Path(__file__).resolve().parents[2]


def test_configuration_reference_is_up_to_date() -> None:
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "gen_config_docs.py"), "--check"],
                            capture_output=True, text=True, timeout=120, check=False, cwd=REPO)
    assert result.returncode == 0, result.stderr


def test_every_pipeline_setting_is_documented_with_its_variable_and_default() -> None:
    doc = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    for name, info in Settings.model_fields.items():
        env = "KAFKA_BOOTSTRAP_SERVERS" if name == "kafka_bootstrap_servers" else (
            "CLICKHOUSE_URL" if name == "clickhouse_url" else f"TICKETSTREAM_{name.upper()}")
        row = next((line for line in doc.splitlines() if line.startswith(f"| `{env}`")), None)
        assert row is not None, f"{env} missing from docs/configuration.md"
        if isinstance(info.default, int | float) and not isinstance(info.default, bool):
            assert f"`{info.default}`" in row, f"{env}: default {info.default} not shown"
