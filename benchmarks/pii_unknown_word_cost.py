"""CPU cost of the unknown-word name recognizer on words it has not seen, and on words it has.

Run from the repository root:
    .venv/bin/python benchmarks/pii_unknown_word_cost.py [--data PATH ...]

`pii_eval.py` times components on a second pass over the same texts, when the recognizer's per-word cache
(typo checks) is warm; a live feed keeps bringing new names. This times the recognizer alone over each labelled
set twice: first with the cache cleared ("cold"), then again ("warm"). spaCy runs once beforehand and is not
timed. Figures go to the terminal only.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from processors.pii import PiiConfig, PiiStage, unknown_words  # noqa: E402

DEFAULT_DATA = [ROOT.parent / "shared/data/pii/generated_large.json", ROOT / "benchmarks/data/pii_ticket_corpus.json",
                ROOT / "benchmarks/data/pii_sentence_corpus.json"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, nargs="+", default=DEFAULT_DATA)
    args = ap.parse_args(argv)
    stage = PiiStage(PiiConfig())
    recognizer = next(r for r in stage.analyzer.registry.recognizers
                      if isinstance(r, unknown_words.UnknownWordNameRecognizer))
    for path in args.data:
        if not path.exists():
            print(f"{path}: not found, skipped")
            continue
        texts = [d["full_text"] for d in json.loads(path.read_text(encoding="utf-8"))]
        artifacts = [a for _, a in stage.analyzer.nlp_engine.process_batch(texts, "en", batch_size=64)]
        unknown_words._near.cache_clear()
        figures = []
        for _ in ("cold", "warm"):
            started = time.process_time()
            for text, art in zip(texts, artifacts, strict=True):
                recognizer.analyze(text, [], art)
            figures.append((time.process_time() - started) * 1000 / len(texts))
        print(f"{path.name}: {len(texts)} texts, CPU ms/text cold {figures[0]:.3f}, warm {figures[1]:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
