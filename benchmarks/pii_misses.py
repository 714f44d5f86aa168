"""Missed sensitive spans and false redactions of the PII stage, with their context, to group by cause.

Run from the repository root:
    .venv/bin/python benchmarks/pii_misses.py [--split even|odd|all] [--fp] [--type PERSON] [--data PATH]

Looks at the even-template split by default: the odd templates are held out (see pii_eval.py), so
reading their misses would turn them into development data. Output: one line per span — type, the
span, 60 characters of context either side (newlines shown as ⏎). Values come from the labelled file
and are printed to the terminal only.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.pii_eval import BATCH, DEFAULT_DATA, SENSITIVE, _covered, stage_predictor  # noqa: E402
from processors.pii import PiiConfig, PiiStage  # noqa: E402

CONTEXT = 60


def _in_split(d: dict[str, Any], split: str) -> bool:
    even = d.get("template_id", 0) % 2 == 0
    return split == "all" or (split == "even") == even


def _show(text: str, start: int, end: int) -> str:
    before = text[max(0, start - CONTEXT) : start].replace("\n", "⏎")
    after = text[end : end + CONTEXT].replace("\n", "⏎")
    return f"{before}[[{text[start:end]}]]{after}".replace("\n", "⏎")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--split", choices=("even", "odd", "all"), default="even")
    ap.add_argument("--type", default="", help="only this labelled type")
    ap.add_argument("--fp", action="store_true", help="list redactions outside labelled spans instead")
    args = ap.parse_args(argv)
    data = [d for d in json.loads(args.data.read_text(encoding="utf-8")) if _in_split(d, args.split)]
    predict = stage_predictor(PiiStage(PiiConfig()))
    rows: list[tuple[str, str]] = []
    for b in range(0, len(data), BATCH):
        chunk = data[b : b + BATCH]
        for d, spans in zip(chunk, predict([d["full_text"] for d in chunk]), strict=True):
            text = d["full_text"]
            red, lab = bytearray(len(text)), bytearray(len(text))
            for s, e, _ in spans:
                red[s:e] = b"\x01" * (e - s)
            for ls in d["spans"]:
                lab[ls["start_position"] : ls["end_position"]] = b"\x01" * (ls["end_position"] - ls["start_position"])
            if args.fp:
                rows += [(t, _show(text, s, e)) for s, e, t in spans if not _covered(s, e, lab)]
                continue
            for ls in d["spans"]:
                etype, s, e = ls["entity_type"], ls["start_position"], ls["end_position"]
                if etype in SENSITIVE and (not args.type or etype == args.type) and not _covered(s, e, red):
                    near = [text[ps:pe] for ps, pe, _ in spans if ps < e + CONTEXT and pe > s - CONTEXT]
                    rows.append((etype, f"t{d.get('template_id')} " + _show(text, s, e) + f"  found: {near}"))
    for etype, line in sorted(rows):
        print(f"{etype:<14} {line}")
    print(f"{len(rows)} {'false redactions' if args.fp else 'missed sensitive spans'} ({args.split} templates)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
