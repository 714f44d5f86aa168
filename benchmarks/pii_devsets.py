"""What the Faker-based PII checks share (pii_phone_formats.py, pii_address_formats.py, pii_name_contexts.py).

They measure how the recognizers generalise apart from the labelled eval file, whose held-out templates must not
be read: Faker writes values the way each locale formats them, the scripts put them into sentences of our own.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"


def caught(start: int, end: int, spans: Sequence[tuple[int, int, Any]] | Sequence[Any]) -> bool:
    """Type-agnostic, as pii_eval.py counts: most of the value's characters are inside some predicted span."""
    bounds = [(s[0], s[1]) if isinstance(s, tuple) else (s.start, s.end) for s in spans]
    covered = sum(1 for k in range(start, end) if any(a <= k < b for a, b in bounds))
    return covered > (end - start) / 2


def save(report: dict[str, Any], out: Path, argv: list[str] | None, script: str) -> None:
    report = {"command": f"benchmarks/{script} " + " ".join(argv if argv is not None else sys.argv[1:]), **report}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out}")
