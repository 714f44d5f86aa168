"""How often the PII stage redacts numbers in ticket text that are not personal data.

    .venv/bin/python benchmarks/pii_number_lookalikes.py [--per-kind 60] [--seed 5]

The labelled eval file has few numbers that are not PII, so its precision says little about the cost of
catching phone numbers by their shape. This is the other side of pii_phone_formats.py: dates and times in
Faker's locale formats, amounts, quantities with units, version and build strings, year ranges, order,
invoice and tracking numbers (with and without a label), ZIP+4 codes and screen sizes, each put into
ticket sentences of our own, run through the whole stage in batches. A number counts as redacted when most
of its characters are inside a redaction. Results: benchmarks/results/pii_number_lookalikes.json, the
redacted ones printed per kind (made-up values only).
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable
from pathlib import Path

from faker import Faker

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.pii_devsets import RESULTS, caught, save  # noqa: E402
from benchmarks.pii_eval import stage_predictor  # noqa: E402
from processors.pii import PiiConfig, PiiStage  # noqa: E402

LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pt_BR", "pl_PL", "sv_SE")
DATE_FORMATS = ("%d.%m.%Y", "%d/%m/%Y", "%m/%d/%Y", "%Y-%m-%d", "%d-%m-%Y", "%Y/%m/%d", "%d.%m.%y", "%Y%m%d")
LABELS = ("order #", "invoice no. ", "ticket ", "tracking number ", "ref ", "Bestellnummer ", "case ", "PO ")
"""Only the number after the label is scored: the label is context."""
SENTENCES = (
    "Hi, {v} is what I see on my side.",
    "It still shows {v} after the update, can you check?",
    "{v}",
    "We noticed {v} in the report this morning.",
    "Please look at {v} again, it does not match.",
    "The portal says {v} and nothing else.",
    "We processed a total of {v} so far.",
    "The counter went from {v} to zero overnight",
)


def _group(rng: random.Random, digits: int, sep: str, size: int) -> str:
    raw = "".join(rng.choice("0123456789") for _ in range(digits))
    return sep.join(raw[i : i + size] for i in range(0, len(raw), size))


def _kinds(fake: Faker, rng: random.Random) -> dict[str, Callable[[], str]]:
    return {
        "date": lambda: fake.date(pattern=rng.choice(DATE_FORMATS)),
        "date_time": lambda: fake.date_time().strftime(rng.choice(("%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M:%S"))),
        "time_range": lambda: f"{rng.randint(6, 11):02d}:00-{rng.randint(13, 20)}:{rng.choice(('00', '30'))}",
        "amount": lambda: rng.choice(("{} €", "${}", "{} EUR", "£{}", "{} USD", "{} kr", "CHF {}")).format(
            rng.choice((f"{rng.randint(1, 999)} {rng.randint(0, 999):03d},{rng.randint(0, 99):02d}",
                        f"{rng.randint(1, 99)},{rng.randint(0, 999):03d}.{rng.randint(0, 99):02d}",
                        f"{rng.randint(1, 9)}.{rng.randint(0, 999):03d}.{rng.randint(0, 999):03d}",
                        f"{rng.randint(1, 99)} {rng.randint(0, 999):03d} {rng.randint(0, 999):03d}"))),
        "quantity": lambda: f"{rng.randint(1, 999)} {rng.randint(0, 999):03d} "
                            + rng.choice(("km", "kg", "units", "users", "rows", "requests", "MB", "messages")),
        "version": lambda: rng.choice((f"{rng.randint(1, 20)}.{rng.randint(0, 40)}.{rng.randint(0, 99)}",
                                       f"10.0.{rng.randint(10000, 22999)}.{rng.randint(100, 4999)}",
                                       f"v{rng.randint(1, 9)}.{rng.randint(0, 99)}.{rng.randint(0, 99)}",
                                       f"build {rng.randint(1000, 99999)}.{rng.randint(10, 99)}")),
        "year_range": lambda: f"{rng.randint(1990, 2024)}{rng.choice(('-', ' - ', '–', ' to '))}"
                              f"{rng.randint(2000, 2030)}",
        "labelled_id": lambda: _group(rng, rng.randint(8, 12), rng.choice(("-", " ", "")), rng.choice((3, 4))),
        "unlabelled_id": lambda: rng.choice(("INV-", "ORD-", "A", "#", "SO-", "")) + str(rng.randint(10**5, 10**9)),
        "zip4": lambda: f"{rng.randint(10000, 99999)}-{rng.randint(1000, 9999)}",
        "resolution": lambda: rng.choice(("1920x1080", "2560 x 1440", "3840×2160", "1366 by 768")),
        "bare_thousands": lambda: f"{rng.randint(1, 999)} {rng.randint(0, 999):03d} {rng.randint(0, 999):03d}",
        "percent_score": lambda: f"{rng.randint(1, 99)}.{rng.randint(0, 9)}% of "
                                 f"{rng.randint(100, 999)} {rng.randint(100, 999):03d}",
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--per-kind", type=int, default=60)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--out", type=Path, default=RESULTS / "pii_number_lookalikes.json")
    args = ap.parse_args(argv)

    rng = random.Random(args.seed)
    cases: list[tuple[str, str, str]] = []  # kind, value, text
    for i in range(args.per_kind):
        fake = Faker(LOCALES[i % len(LOCALES)])
        fake.seed_instance(args.seed + i)
        for kind, make in _kinds(fake, rng).items():
            value = make()
            shown = value
            if kind == "labelled_id":
                shown = rng.choice(LABELS) + value
            cases.append((kind, value, rng.choice(SENTENCES).format(v=shown)))
    found = stage_predictor(PiiStage(PiiConfig()))([t for _, _, t in cases])

    per_kind: dict[str, list[int]] = {}
    redacted: dict[str, list[str]] = {}
    for (kind, value, text), spans in zip(cases, found, strict=True):
        start = text.index(value)
        hit = caught(start, start + len(value), spans)
        per_kind.setdefault(kind, [0, 0])
        per_kind[kind][0] += hit
        per_kind[kind][1] += 1
        if hit:
            types = sorted({s[2] for s in spans if s[0] < start + len(value) and start < s[1]})
            redacted.setdefault(kind, []).append(f"{value} ({'/'.join(types)})")
    total = sum(n for _, n in per_kind.values())
    wrong = sum(c for c, _ in per_kind.values())
    report = {
        "numbers": total,
        "redacted": wrong,
        "false_redaction_rate": round(wrong / total, 4),
        "redacted_per_kind": {k: f"{c}/{n}" for k, (c, n) in per_kind.items()},
    }
    print(f"numbers that are not PII: {total}, redacted: {wrong} ({wrong / total:.1%})")
    for kind, (c, n) in per_kind.items():
        print(f"  {kind:14s} {c:3d}/{n:3d}  e.g. {redacted.get(kind, [])[:4]}")
    save(report, args.out, argv, "pii_number_lookalikes.py")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
