"""Street-address recall of the whole PII stage on 28 countries' postal formats, apart from the eval file.

    .venv/bin/python benchmarks/pii_address_formats.py [--per-locale 10] [--seed 13]

The labelled eval file's held-out templates must not be read; this checks how the address rules generalise
to formats they were not written against. Faker writes each locale's addresses (street line, postcode and
place in that country's order), put into nine ticket sentences of our own: multi-line blocks after a cue,
one-line forms, a lone street in running text. An address counts as caught when most of its characters are
redacted. Results: benchmarks/results/pii_address_formats.json, misses per locale printed.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

from faker import Faker

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.pii_devsets import RESULTS, caught, save  # noqa: E402
from benchmarks.pii_eval import stage_predictor  # noqa: E402
from processors.pii import PiiConfig, PiiStage  # noqa: E402

# fmt: off
LOCALES = [
    "en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pt_BR", "pt_PT", "pl_PL", "sv_SE", "da_DK",
    "fi_FI", "cs_CZ", "hu_HU", "ro_RO", "hr_HR", "sk_SK", "en_AU", "en_CA", "de_AT", "de_CH", "no_NO", "en_IE",
    "es_MX", "en_NZ", "el_GR", "tr_TR",
]
# fmt: on
SHAPES = (
    "Please ship the replacement to {block}.",
    "My new address is {block}",
    "Billing address:\n{block}\n\nThanks",
    "I moved to {oneline} last month, update my profile.",
    "The package was left at {street} instead of my door.",
    "Deliver to {street}, {city} please",
    "{block}",
    "we live at {street} now",
    "Send the invoice to\n{block}",
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-locale", type=int, default=10)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--out", type=Path, default=RESULTS / "pii_address_formats.json")
    args = ap.parse_args(argv)

    rng = random.Random(args.seed)
    texts: list[str] = []
    gold: list[tuple[int, int]] = []
    keys: list[tuple[str, int]] = []
    for locale in LOCALES:
        fake = Faker(locale)
        fake.seed_instance(args.seed)
        for _ in range(args.per_locale):
            block, street, city = fake.address(), fake.street_address(), fake.city()
            shape = rng.randrange(len(SHAPES))
            values = {"block": block, "oneline": block.replace("\n", ", "), "street": street, "city": city}
            text = SHAPES[shape].format(**values)
            value = next(values[k] for k in ("block", "oneline", "street") if "{" + k + "}" in SHAPES[shape])
            start = text.find(value)
            texts.append(text)
            gold.append((start, start + len(value)))
            keys.append((locale, shape))

    found = stage_predictor(PiiStage(PiiConfig()))(texts)
    total: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    by_shape: Counter[int] = Counter()
    examples: defaultdict[str, list[str]] = defaultdict(list)
    for text, (start, end), (locale, shape), predicted in zip(texts, gold, keys, found, strict=True):
        total[locale] += 1
        if not caught(start, end, predicted):
            missed[locale] += 1
            by_shape[shape] += 1
            examples[locale].append(text[start:end].replace("\n", "⏎"))
    recall = 1 - sum(missed.values()) / sum(total.values())
    print(f"address recall {recall:.3f} over {sum(total.values())} addresses")
    for locale, n in missed.most_common(12):
        print(f"  {locale:6s} {n:2d}/{total[locale]:2d} e.g. {examples[locale][:2]}")
    report = {
        "addresses": sum(total.values()),
        "recall": round(recall, 4),
        "missed_per_locale": dict(missed.most_common()),
        "missed_per_shape": {SHAPES[s]: n for s, n in by_shape.most_common()},
    }
    save(report, args.out, argv, "pii_address_formats.py")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
