"""Recall, precision and speed of the PII stage on presidio-research's labelled synthetic texts.

Run from the repository root:  .venv/bin/python benchmarks/pii_eval.py [--limit N] [--data PATH]

Metrics are type-agnostic (what matters for redaction is that the characters are gone, not the label):
- recall: a labelled span is caught when >50% of its characters fall inside redacted spans;
- precision: a redacted span is correct when >50% of its characters fall inside labelled spans.
Recall is reported overall, per labelled type, and on the sensitive set: the types that identify a
person or grant access. ORGANIZATION, DATE_TIME, TITLE, NRP, PREFIX, DOMAIN_NAME and LOCATION (city,
country) are labelled in the data but are not redacted by design. The data set's ADDRESS label covers
full postal addresses; it counts as sensitive (our STREET_ADDRESS), although the data also labels
bare postcodes and city/country tails as ADDRESS, which a street recognizer does not catch.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from processors.base import Ok  # noqa: E402
from processors.pii import PiiConfig, PiiStage  # noqa: E402
from schemas import TicketEvent  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "pii" / "generated_large.json"
RESULTS = ROOT / "benchmarks" / "results" / "pii_eval.json"
BATCH = 64

SENSITIVE = {
    "PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "US_SSN", "IP_ADDRESS",
    "ADDRESS", "STREET_ADDRESS", "US_DRIVER_LICENSE", "US_PASSPORT", "US_BANK_NUMBER", "CRYPTO",
}  # fmt: skip
NOT_SENSITIVE = {"ORGANIZATION", "DATE_TIME", "TITLE", "NRP", "LOCATION", "GPE", "PREFIX", "DOMAIN_NAME"}


def _event(i: int, text: str) -> TicketEvent:
    return TicketEvent(
        tenant_id="eval",
        source="email",
        ticket_id=f"t{i}",
        event_id=f"e{i}",
        event_type="created",
        occurred_at=datetime(2024, 1, 1, tzinfo=UTC),
        body=text,
    )


def _covered(start: int, end: int, mask: bytearray) -> bool:
    length = end - start
    return length > 0 and sum(mask[start:end]) * 2 > length


def evaluate(data: list[dict[str, Any]], stage: PiiStage) -> dict[str, Any]:
    per_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # caught, total
    pred_per_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # correct, total
    ms_per_batch: list[float] = []
    failed = 0
    for b in range(0, len(data), BATCH):
        chunk = data[b : b + BATCH]
        events = [_event(b + j, d["full_text"]) for j, d in enumerate(chunk)]
        t0 = time.perf_counter()
        outcomes = stage.process(events)
        ms_per_batch.append((time.perf_counter() - t0) * 1000 / len(chunk))
        for d, outcome in zip(chunk, outcomes, strict=True):
            if not isinstance(outcome, Ok):
                failed += 1
                continue
            text = d["full_text"]
            red = bytearray(len(text))
            lab = bytearray(len(text))
            spans = [s for s in outcome.value.pii_spans if s.field == "body"]
            for s in spans:
                red[s.start : s.end] = b"\x01" * (s.end - s.start)
            for ls in d["spans"]:
                lab[ls["start_position"] : ls["end_position"]] = b"\x01" * (
                    ls["end_position"] - ls["start_position"]
                )
            for ls in d["spans"]:
                row = per_type[ls["entity_type"]]
                row[1] += 1
                row[0] += _covered(ls["start_position"], ls["end_position"], red)
            for s in spans:
                row = pred_per_type[s.entity_type]
                row[1] += 1
                row[0] += _covered(s.start, s.end, lab)

    def ratio(rows: list[list[int]]) -> float:
        total = sum(r[1] for r in rows)
        return round(sum(r[0] for r in rows) / total, 4) if total else 0.0

    sensitive_rows = [v for k, v in per_type.items() if k in SENSITIVE]
    return {
        "texts": len(data),
        "failed": failed,
        "recall_all_labels": ratio(list(per_type.values())),
        "recall_sensitive": ratio(sensitive_rows),
        "precision": ratio(list(pred_per_type.values())),
        "recall_per_type": {
            k: {"caught": v[0], "total": v[1], "recall": ratio([v]), "sensitive": k in SENSITIVE}
            for k, v in sorted(per_type.items(), key=lambda kv: -kv[1][1])
        },
        "precision_per_predicted_type": {
            k: {"correct": v[0], "total": v[1], "precision": ratio([v])}
            for k, v in sorted(pred_per_type.items(), key=lambda kv: -kv[1][1])
        },
        "ms_per_text_batch64_mean": round(statistics.mean(ms_per_batch), 3),
        "ms_per_text_batch64_median": round(statistics.median(ms_per_batch), 3),
        "batch_size": BATCH,
        "config": stage.config.model_dump(mode="json"),
    }


def _print_table(res: dict[str, Any]) -> None:
    print(f"{'labelled type':<20}{'sensitive':>10}{'caught':>8}{'total':>7}{'recall':>8}")
    for k, v in res["recall_per_type"].items():
        sens = "yes" if v["sensitive"] else "no"
        print(f"{k:<20}{sens:>10}{v['caught']:>8}{v['total']:>7}{v['recall']:>8.3f}")
    print()
    print(f"{'predicted type':<20}{'correct':>10}{'total':>7}{'precision':>10}")
    for k, v in res["precision_per_predicted_type"].items():
        print(f"{k:<20}{v['correct']:>10}{v['total']:>7}{v['precision']:>10.3f}")
    print()
    print(f"texts {res['texts']}, failed {res['failed']}")
    print(f"recall (sensitive types)  {res['recall_sensitive']:.3f}")
    print(f"recall (all labels)       {res['recall_all_labels']:.3f}")
    print(f"precision                 {res['precision']:.3f}")
    print(
        f"ms per text (batches of {res['batch_size']}): mean {res['ms_per_text_batch64_mean']:.2f}, "
        f"median {res['ms_per_text_batch64_median']:.2f}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--limit", type=int, default=0, help="evaluate only the first N texts")
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args(argv)
    data = json.loads(args.data.read_text(encoding="utf-8"))
    if args.limit:
        data = data[: args.limit]
    t0 = time.perf_counter()
    stage = PiiStage(PiiConfig())
    load_s = time.perf_counter() - t0
    stage.process([_event(0, "warm up John Smith, 555-0100")])
    res = evaluate(data, stage)
    res["engine_load_seconds"] = round(load_s, 2)
    _print_table(res)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
