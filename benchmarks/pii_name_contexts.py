"""Person-name recall of the whole PII stage in ticket sentences of our own, apart from the eval file.

    .venv/bin/python benchmarks/pii_name_contexts.py [--per-locale 12] [--seed 11]

The labelled eval file's held-out templates must not be read, so the places a name can stand in a ticket
(subject, object, after a verb, a possessive, a signature block, a lone surname, lowercase typing) are
checked here with 20 sentence shapes and Faker's names of 28 locales. A name part counts as caught when most
of its characters are redacted. Caveat: the name lexicons were built from Faker's lists too, so this measures
the context rules and spaCy, not how many unseen names the lexicons know. Results:
benchmarks/results/pii_name_contexts.json, the worst sentence shapes printed with examples.
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
    "en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pt_BR", "pl_PL", "sv_SE", "da_DK", "fi_FI",
    "cs_CZ", "hu_HU", "ro_RO", "tr_TR", "hr_HR", "sk_SK", "sl_SI", "id_ID", "vi_VN", "en_IN", "es_MX", "de_AT",
    "no_NO", "et_EE", "lv_LV", "lt_LT",
]
# fmt: on
SHAPES = (
    "{full} called about the invoice again.",
    "Please forward this to {full}.",
    "I spoke with {first} yesterday and she said it was fixed.",
    "Can {first} from billing call me back?",
    "The order was placed by {last}, not by me.",
    "{first} {last} is our new office manager.",
    "Thanks, {first}",
    "Hi {first}, the printer is broken again.",
    "Our accountant {full} needs access.",
    "{full}\nHead of Operations\nAcme Corp",
    "cc {full}",
    "I'm {first}, the account owner.",
    "my colleague {first} can't log in",
    "Ask {last} about the refund.",
    "Reassign this to {full} please",
    "{first} said the package never arrived.",
    "Is {full} still working on this?",
    "Mr {last} complained twice.",
    "according to {first}, the bug is back",
    "We met {full} at the conference.",
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-locale", type=int, default=12)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--lowercase-share", type=float, default=0.25, help="share of sentences typed in lowercase")
    ap.add_argument("--out", type=Path, default=RESULTS / "pii_name_contexts.json")
    args = ap.parse_args(argv)

    rng = random.Random(args.seed)
    texts: list[str] = []
    gold: list[list[tuple[int, int]]] = []
    shape_of: list[tuple[int, bool]] = []
    for locale in LOCALES:
        fake = Faker(locale)
        fake.seed_instance(args.seed)
        for _ in range(args.per_locale):
            parts = {"first": fake.first_name(), "last": fake.last_name()}
            parts["full"] = f"{parts['first']} {parts['last']}"
            shape = rng.randrange(len(SHAPES))
            lower = rng.random() < args.lowercase_share
            text = SHAPES[shape].format(**parts)
            text = text.lower() if lower else text
            spans = []
            for key, value in parts.items():
                if "{" + key + "}" in SHAPES[shape]:
                    start = text.find(value.lower() if lower else value)
                    if start >= 0:
                        spans.append((start, start + len(value)))
            texts.append(text)
            gold.append(spans)
            shape_of.append((shape, lower))

    found = stage_predictor(PiiStage(PiiConfig()))(texts)
    total: Counter[tuple[int, bool]] = Counter()
    missed: Counter[tuple[int, bool]] = Counter()
    examples: defaultdict[tuple[int, bool], list[str]] = defaultdict(list)
    for text, spans, key, predicted in zip(texts, gold, shape_of, found, strict=True):
        for start, end in spans:
            total[key] += 1
            if not caught(start, end, predicted):
                missed[key] += 1
                examples[key].append(text.replace("\n", "⏎"))
    recall = 1 - sum(missed.values()) / sum(total.values())
    worst = sorted((k for k in total if missed[k]), key=lambda k: -missed[k] / total[k])
    print(f"person-name recall {recall:.3f} over {sum(total.values())} name parts")
    for key in worst[:12]:
        case = "lowercase" if key[1] else "as written"
        print(f"  {missed[key]:3d}/{total[key]:3d} {case:10s} {SHAPES[key[0]]!r} e.g. {examples[key][:2]}")
    report = {
        "name_parts": sum(total.values()),
        "recall": round(recall, 4),
        "missed_by_shape": {
            f"{SHAPES[k[0]]} ({'lowercase' if k[1] else 'as written'})": f"{missed[k]}/{total[k]}" for k in worst
        },
    }
    save(report, args.out, argv, "pii_name_contexts.py")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
