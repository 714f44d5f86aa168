"""CPU seconds the PII stage spends on one ticket of the largest body the schema admits, per kind of content.

    .venv/bin/python benchmarks/pii_worst_case.py [--chars 64000] [--only digit_groups names] [--out R]

The stage has no per-ticket time limit: a slow ticket holds up its partition until it is done. These bodies are
the shapes that cost most per character (names for NER, number columns for the phone recognizers, capitalised
words for the name rules); each is repeated up to `MAX_BODY_CHARS` and run alone through `PiiStage.process`.
The figures bound what one ticket can cost on this host; compare runs through `host_calibration_ms`.
Results: benchmarks/results/pii_worst_case.json.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.pii_devsets import RESULTS, save  # noqa: E402
from benchmarks.pii_eval import _event, host_calibration_ms  # noqa: E402
from processors.base import Ok  # noqa: E402
from processors.pii import PiiConfig, PiiStage  # noqa: E402
from schemas.events import MAX_BODY_CHARS  # noqa: E402

UNITS = {
    "prose": "The printer on floor three is jammed again and nobody knows why. ",
    "capitalised_words": "Alpha Bravo Charlie Delta Echo Foxtrot Golf Hotel India Juliet ",
    "names": "John Smith, Mary Jones and Peter Brown. ",
    "digit_groups": "12 34 56 78 90 ",
    "dashed_numbers": "1234-5678 ",
    "iban_like": "ab12 cdef ghij klmn ",
    "number_x_number": "1 x1 ",
    "addresses": "12 Main Street, Springfield, IL 62704\n",
    "csv_contacts": "name,phone,email\nJohn Smith,555-123-4567,john@example.com\n",
    "emails": "a.b@c.de ",
    "shouting": "ALL CAPS SHOUTING ABOUT THE ORDER NUMBER AND NOTHING ELSE ",
    "cyrillic": "Иван Петров, улица Ленина 12, Москва. ",
    "punctuation": "!!!???...,,,;;;:::---___///\\\\\\|||   ",
    "passwords": "password: Xy12ab! ",
    "labels": "Customer: Agent: Name: Phone: ",
    "short_lines": "A\n",
}


def body(unit: str, chars: int) -> str:
    return (unit * (chars // len(unit) + 1))[:chars]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=MAX_BODY_CHARS)
    parser.add_argument("--only", nargs="*", choices=sorted(UNITS), default=None)
    parser.add_argument("--out", type=Path, default=RESULTS / "pii_worst_case.json")
    args = parser.parse_args(argv)
    if not 1 <= args.chars <= MAX_BODY_CHARS:
        parser.error(f"--chars must be between 1 and MAX_BODY_CHARS ({MAX_BODY_CHARS})")

    calibration_before = host_calibration_ms()
    stage = PiiStage(PiiConfig())
    stage.process([_event(0, "warm-up: John Smith, 555-123-4567, a@b.co, 12 Main St")])
    seconds: dict[str, float] = {}
    for name in args.only or UNITS:
        text = body(UNITS[name], args.chars)
        start = time.process_time()
        outcome = stage.process([_event(0, text)])[0]
        seconds[name] = round(time.process_time() - start, 2)
        if not isinstance(outcome, Ok):
            raise RuntimeError(f"the stage failed the {name!r} body")
        print(f"{name:18s} {seconds[name]:6.2f} CPU s", flush=True)
    report = {
        "chars_per_body": args.chars,
        "cpu_seconds": seconds,
        "host_calibration_ms_before": calibration_before,
        "host_calibration_ms_after": host_calibration_ms(),
    }
    print(f"slowest: {max(seconds, key=seconds.__getitem__)} {max(seconds.values()):.2f} CPU s; host calibration "
          f"{report['host_calibration_ms_before']} before, {report['host_calibration_ms_after']} after")
    save(report, args.out, argv, "pii_worst_case.py")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
