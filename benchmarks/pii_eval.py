"""Recall, precision and speed of the PII stage — and of Presidio's default analyzer — on labelled text.

Run from the repository root:
    .venv/bin/python benchmarks/pii_eval.py [--data PATH] [--limit N] [--no-baseline]

The data is a JSON list in presidio-research's format (`full_text`, `spans` with `entity_type`,
`start_position`, `end_position`, optional `template_id`); the default is ../shared/data/pii/
generated_large.json. Metrics are type-agnostic (what matters for redaction is that the characters are
gone, not the label):
- recall: a labelled span is caught when >50% of its characters fall inside redacted spans;
- precision: a redacted span is correct when >50% of its characters fall inside labelled spans.
Recall is reported overall, per labelled type, and on the sensitive set (types that identify a person or
grant access). ORGANIZATION, DATE_TIME, TITLE, NRP, PREFIX, DOMAIN_NAME and LOCATION are labelled in the
data but not redacted by design, so they count in `recall_all_labels` only.

To show generalisation rather than fit, every figure is also given per split of the templates the texts
were generated from: even template ids (the ones looked at while developing) and odd template ids
(held out). Speed: ms per text in batches of 64 through `PiiStage.process` (the whole stage: spaCy, all
recognizers, redaction), and a per-recognizer cost breakdown measured over the same texts. Results go to
benchmarks/results/pii_eval.json.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from processors.base import Ok  # noqa: E402
from processors.pii import PiiConfig, PiiStage  # noqa: E402
from processors.pii.stage import LANGUAGE  # noqa: E402
from schemas import TicketEvent  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "pii" / "generated_large.json"
RESULTS = ROOT / "benchmarks" / "results" / "pii_eval.json"
BATCH = 64

SENSITIVE = {
    "PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "US_SSN", "IP_ADDRESS",
    "ADDRESS", "STREET_ADDRESS", "US_DRIVER_LICENSE", "US_PASSPORT", "US_BANK_NUMBER", "CRYPTO", "SECRET",
}  # fmt: skip
PRESIDIO_ENTITIES = [
    "PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "US_SSN", "IP_ADDRESS",
    "US_DRIVER_LICENSE", "US_PASSPORT", "US_BANK_NUMBER", "CRYPTO",
]  # fmt: skip
"""What Presidio's default analyzer is asked for: its types among the sensitive ones (it has no address)."""

Span = tuple[int, int, str]
Predictor = Callable[[list[str]], list[list[Span]]]


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


def stage_predictor(stage: PiiStage) -> Predictor:
    def predict(texts: list[str]) -> list[list[Span]]:
        outcomes = stage.process([_event(i, t) for i, t in enumerate(texts)])
        out: list[list[Span]] = []
        for outcome in outcomes:
            if not isinstance(outcome, Ok):
                raise RuntimeError("the stage failed an evaluation text")
            out.append([(s.start, s.end, s.entity_type) for s in outcome.value.pii_spans if s.field == "body"])
        return out

    return predict


def presidio_default_analyzer(spacy_model: str) -> Any:
    """Presidio's AnalyzerEngine with its predefined recognizers and the full spaCy pipeline, offline."""
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import SpacyNlpEngine
    from presidio_analyzer.predefined_recognizers import EmailRecognizer

    from processors.pii.recognizers import OfflineEmailRecognizer

    class _Offline(SpacyNlpEngine):
        def load(self) -> None:
            import spacy

            self.nlp = {m["lang_code"]: spacy.load(m["model_name"]) for m in self.models}  # type: ignore[assignment]

    engine = _Offline(models=[{"lang_code": "en", "model_name": spacy_model}])
    engine.load()
    registry = RecognizerRegistry()
    registry.load_predefined_recognizers(nlp_engine=engine)
    # Same regex; only the public-suffix check is made offline (the default one downloads the list).
    registry.recognizers = [r for r in registry.recognizers if not isinstance(r, EmailRecognizer)]
    registry.add_recognizer(OfflineEmailRecognizer())
    return AnalyzerEngine(registry=registry, nlp_engine=engine)


def presidio_predictor(analyzer: Any) -> Predictor:
    def predict(texts: list[str]) -> list[list[Span]]:
        arts = analyzer.nlp_engine.process_batch(texts, "en", batch_size=BATCH)
        return [
            [
                (r.start, r.end, r.entity_type)
                for r in analyzer.analyze(text=t, language="en", entities=PRESIDIO_ENTITIES, nlp_artifacts=a)
            ]
            for t, (_, a) in zip(texts, arts, strict=True)
        ]

    return predict


def _covered(start: int, end: int, mask: bytearray) -> bool:
    length = end - start
    return length > 0 and sum(mask[start:end]) * 2 > length


def evaluate(data: Sequence[dict[str, Any]], predict: Predictor) -> dict[str, Any]:
    """Per-text predictions in batches of 64; per-type recall, precision and ms per text."""
    per_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # caught, total
    pred_per_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # correct, total
    by_split: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    ms_per_batch: list[float] = []
    cpu_ms = 0.0
    for b in range(0, len(data), BATCH):
        chunk = data[b : b + BATCH]
        t0, c0 = time.perf_counter(), time.process_time()
        predictions = predict([d["full_text"] for d in chunk])
        ms_per_batch.append((time.perf_counter() - t0) * 1000 / len(chunk))
        cpu_ms += (time.process_time() - c0) * 1000
        for d, spans in zip(chunk, predictions, strict=True):
            split = "even_templates" if d.get("template_id", 0) % 2 == 0 else "odd_templates"
            text = d["full_text"]
            red = bytearray(len(text))
            lab = bytearray(len(text))
            for s, e, _ in spans:
                red[s:e] = b"\x01" * (e - s)
            for ls in d["spans"]:
                lab[ls["start_position"] : ls["end_position"]] = b"\x01" * (ls["end_position"] - ls["start_position"])
            for ls in d["spans"]:
                hit = _covered(ls["start_position"], ls["end_position"], red)
                per_type[ls["entity_type"]][0] += hit
                per_type[ls["entity_type"]][1] += 1
                if ls["entity_type"] in SENSITIVE:
                    by_split[split]["recall_sensitive"][0] += hit
                    by_split[split]["recall_sensitive"][1] += 1
                    by_split[split][f"recall_{ls['entity_type']}"][0] += hit
                    by_split[split][f"recall_{ls['entity_type']}"][1] += 1
            for s, e, etype in spans:
                ok = _covered(s, e, lab)
                pred_per_type[etype][0] += ok
                pred_per_type[etype][1] += 1
                by_split[split]["precision"][0] += ok
                by_split[split]["precision"][1] += 1

    def ratio(rows: list[list[int]]) -> float:
        total = sum(r[1] for r in rows)
        return round(sum(r[0] for r in rows) / total, 4) if total else 0.0

    return {
        "texts": len(data),
        "recall_sensitive": ratio([v for k, v in per_type.items() if k in SENSITIVE]),
        "precision": ratio(list(pred_per_type.values())),
        "recall_all_labels": ratio(list(per_type.values())),
        "splits": {
            name: {"texts_spans": rows["recall_sensitive"][1]}
            | {k: ratio([v]) for k, v in rows.items()}
            | {f"missed_{k.removeprefix('recall_')}": v[1] - v[0] for k, v in rows.items() if k.startswith("recall_")}
            for name, rows in sorted(by_split.items())
        },
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
        "cpu_ms_per_text": round(cpu_ms / max(1, len(data)), 3),
    }


def recognizer_costs(stage: PiiStage, texts: list[str]) -> dict[str, float]:
    """Milliseconds per text spent in spaCy and in each recognizer (sequentially, same texts)."""
    costs: dict[str, float] = {}
    engine = stage.analyzer.nlp_engine
    t0 = time.perf_counter()  # wall time: on a loaded machine compare components, not absolute values
    arts = [a for _, a in engine.process_batch(texts, LANGUAGE, batch_size=BATCH)]
    costs["spacy_nlp_pipe"] = (time.perf_counter() - t0) * 1000 / len(texts)
    entities = list(stage.config.entities)
    for rec in stage.analyzer.registry.recognizers:
        t0 = time.perf_counter()
        for text, art in zip(texts, arts, strict=True):
            rec.analyze(text, entities, art)
        costs[type(rec).__name__] = (time.perf_counter() - t0) * 1000 / len(texts)
    t0 = time.perf_counter()
    stage.process([_event(i, t) for i, t in enumerate(texts)])
    total = (time.perf_counter() - t0) * 1000 / len(texts)
    costs["whole_stage"] = total
    costs["presidio_orchestration_and_redaction"] = total - sum(v for k, v in costs.items() if k != "whole_stage")
    return {k: round(v, 4) for k, v in costs.items()}


def host_calibration_ms() -> float:
    """CPU milliseconds of a fixed workload (regex and dict work like the stage's): this host's speed varies by half
    from hour to hour (shared CPUs), so ms/text figures are comparable between runs only through this number
    and through Presidio's figure from the same run."""
    text = "Call John Smith at 555-0100 or write to 12 Main Street, Springfield. " * 20
    pattern = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*|\d{3}-\d{4}")
    c0 = time.process_time()
    counts: dict[str, int] = {}
    for _ in range(400):
        for m in pattern.finditer(text):
            counts[m.group()] = counts.get(m.group(), 0) + 1
    return round((time.process_time() - c0) * 1000, 1)


def _print(name: str, res: dict[str, Any]) -> None:
    print(f"== {name}")
    print(f"{'labelled type':<20}{'sensitive':>10}{'caught':>8}{'total':>7}{'recall':>8}")
    for k, v in res["recall_per_type"].items():
        print(f"{k:<20}{'yes' if v['sensitive'] else 'no':>10}{v['caught']:>8}{v['total']:>7}{v['recall']:>8.3f}")
    print(f"{'predicted type':<20}{'correct':>10}{'total':>7}{'precision':>10}")
    for k, v in res["precision_per_predicted_type"].items():
        print(f"{k:<20}{v['correct']:>10}{v['total']:>7}{v['precision']:>10.3f}")
    print(
        f"recall (sensitive) {res['recall_sensitive']:.3f}  precision {res['precision']:.3f}  "
        f"ms/text (batch {BATCH}) mean {res['ms_per_text_batch64_mean']:.2f} "
        f"median {res['ms_per_text_batch64_median']:.2f}; CPU ms/text {res['cpu_ms_per_text']:.2f}"
    )
    for split, figures in res["splits"].items():
        print(
            f"  {split:<16} recall (sensitive) {figures['recall_sensitive']:.3f}  precision {figures['precision']:.3f}"
        )
        types = sorted(k[7:] for k in figures if k.startswith("recall_") and k != "recall_sensitive")
        print("    " + ", ".join(f"{k} {figures['recall_' + k]:.3f} ({figures['missed_' + k]} missed)" for k in types))
    print()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--limit", type=int, default=0, help="evaluate only the first N texts")
    ap.add_argument("--no-baseline", action="store_true", help="skip Presidio's default analyzer")
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args(argv)
    data = json.loads(args.data.read_text(encoding="utf-8"))
    if args.limit:
        data = data[: args.limit]
    results: dict[str, Any] = {"data": str(args.data), "texts": len(data), "batch_size": BATCH,
                               "host_calibration_ms_before": host_calibration_ms()}

    t0 = time.perf_counter()
    stage = PiiStage(PiiConfig())
    load_s = time.perf_counter() - t0
    stage.process([_event(0, "warm up John Smith, 555-0100")])
    results["ticketstream"] = evaluate(data, stage_predictor(stage)) | {
        "engine_load_seconds": round(load_s, 2),
        "config": stage.config.model_dump(mode="json"),
        "ms_per_text_by_component": recognizer_costs(stage, [d["full_text"] for d in data]),
    }
    _print("ticketstream PiiStage", results["ticketstream"])
    print("cost per text (ms):", json.dumps(results["ticketstream"]["ms_per_text_by_component"], indent=1))

    if not args.no_baseline:
        analyzer = presidio_default_analyzer(stage.config.spacy_model)
        predict = presidio_predictor(analyzer)
        predict(["warm up John Smith, 555-0100"])
        results["presidio_default"] = evaluate(data, predict) | {"entities": PRESIDIO_ENTITIES}
        _print("Presidio default analyzer (baseline)", results["presidio_default"])

    args.out.parent.mkdir(parents=True, exist_ok=True)
    results["host_calibration_ms_after"] = host_calibration_ms()
    print(f"host calibration (CPU ms of a fixed workload; lower is a faster host): "
          f"{results['host_calibration_ms_before']} before, {results['host_calibration_ms_after']} after")
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
