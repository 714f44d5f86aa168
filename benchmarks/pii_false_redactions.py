"""What the unknown-word name rule redacts on real customer-support requests that the rest of the stage does not.

Run from the repository root:
    .venv/bin/python benchmarks/pii_false_redactions.py [--data PATH] [--limit N]

The PII evaluation file labels organisations and places, so redacting a product or company name as a person
costs nothing there. This checks the other side on text the rule was not written from: the 3,386 requests of
the Bitext customer-support set (../shared/data/bitext/train.csv, CDLA-Sharing 1.0; mostly lowercase, with
product tiers, typos and a few names). The stage runs twice — with and without `unknown_word_names` — and
the PERSON spans only the first run has are counted and printed (word, and how often) so a reader can judge
how many are names. Twice: as written, and in sentence case (capital sentence starts and "I"), because
sentence-initial words are where a capitalised-word rule is most at risk. Counts go to
benchmarks/results/pii_false_redactions.json; the words only to the terminal.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.pii_eval import BATCH, stage_predictor  # noqa: E402
from processors.pii import PiiConfig, PiiStage  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "bitext" / "train.csv"
RESULTS = ROOT / "benchmarks" / "results" / "pii_false_redactions.json"


def person_spans(config: PiiConfig, texts: list[str]) -> list[set[tuple[int, int]]]:
    predict = stage_predictor(PiiStage(config))
    out: list[set[tuple[int, int]]] = []
    for b in range(0, len(texts), BATCH):
        out += [{(s, e) for s, e, t in spans if t == "PERSON"} for spans in predict(texts[b : b + BATCH])]
    return out


def sentence_case(text: str) -> str:
    """Capital letters where careful writers put them: sentence starts and "I". Most Bitext requests are typed
    in lowercase, and sentence-initial words are where a capitalised-word rule is most at risk."""
    text = re.sub(r"\bi\b", "I", text)
    return re.sub(r"(^|[.!?]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)


def compare(texts: list[str]) -> tuple[dict[str, float], Counter[str]]:
    with_rule = person_spans(PiiConfig(), texts)
    without = person_spans(PiiConfig(unknown_word_names=False), texts)
    added: Counter[str] = Counter()
    texts_with_added = 0
    for text, new, old in zip(texts, with_rule, without, strict=True):
        extra = [(s, e) for s, e in new - old if not any(s < oe and os < e for os, oe in old)]
        texts_with_added += bool(extra)
        added.update(text[s:e] for s, e in extra)
    counts = {
        "texts_with_person_span_without_rule": sum(bool(s) for s in without),
        "texts_with_person_span_added_by_rule": texts_with_added,
        "share_of_texts_with_added_span": round(texts_with_added / len(texts), 4) if texts else 0.0,
        "added_spans": sum(added.values()),
        "distinct_words_added": len(added),
    }
    return counts, added


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    with args.data.open(encoding="utf-8", newline="") as f:
        texts = [row["instruction"] for row in csv.DictReader(f)][: args.limit]
    result: dict[str, object] = {"data": str(args.data), "texts": len(texts)}
    for variant, batch in (("as_written", texts), ("sentence_case", [sentence_case(t) for t in texts])):
        counts, added = compare(batch)
        result[variant] = counts
        print(variant, json.dumps(counts, indent=1))
        print("  words the rule added (count):", ", ".join(f"{w} ({n})" for w, n in added.most_common()))
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
