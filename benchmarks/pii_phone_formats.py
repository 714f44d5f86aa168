"""Phone-number recall over the national and international formats of ~50 countries, apart from the eval file.

    .venv/bin/python benchmarks/pii_phone_formats.py [--per-locale 20] [--seed 7]

The labelled eval file (pii_eval.py) holds 136 phone numbers in a few formats, and its held-out templates must
not be read; this is a second, independent check of how the phone recognizers generalise. Faker writes phone
numbers the way each locale formats them (random digits, so often outside the real number plan — the
recognizers must catch those too); each is put into sentences with a phone word ("call ...") and without
one ("it's ... for the front desk"), and counts as caught when most of its characters are redacted by the
project's phone recognizers. Results: benchmarks/results/pii_phone_formats.json, misses per locale printed.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from faker import Faker

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.pii_devsets import RESULTS, caught, save  # noqa: E402
from processors.pii.phone_context import ContextPhoneRecognizer  # noqa: E402
from processors.pii.recognizers import PhoneNumberRecognizer  # noqa: E402

# fmt: off
LOCALES = [
    "en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pt_BR", "pt_PT", "pl_PL", "sv_SE", "da_DK",
    "fi_FI", "no_NO", "cs_CZ", "hu_HU", "ro_RO", "el_GR", "tr_TR", "ru_RU", "uk_UA", "ja_JP", "en_IN", "en_AU",
    "en_CA", "fr_CA", "de_AT", "de_CH", "es_MX", "en_NZ", "en_IE", "hr_HR", "sk_SK", "bg_BG", "et_EE", "lv_LV",
    "lt_LT", "sl_SI", "id_ID", "th_TH", "vi_VN", "zh_CN", "ko_KR", "he_IL", "ar_AE", "fa_IR", "es_AR", "es_CO",
    "es_CL",
]
# fmt: on
WITH_WORD = ("Call me on {p} after 5pm.", "my phone: {p}", "Mobile {p}", "You can reach me at {p} tomorrow.")
WITHOUT_WORD = ("It's {p} for the front desk.", "{p}", "Please ask the site office, {p}, before noon.")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-locale", type=int, default=20)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, default=RESULTS / "pii_phone_formats.json")
    args = ap.parse_args(argv)

    recognizers: list[object] = [PhoneNumberRecognizer(), ContextPhoneRecognizer()]
    rng = random.Random(args.seed)
    totals = {"with_phone_word": [0, 0], "without_phone_word": [0, 0]}
    misses: dict[str, list[str]] = {}
    for locale in LOCALES:
        fake = Faker(locale)
        fake.seed_instance(args.seed)
        for _ in range(args.per_locale):
            phone = fake.phone_number()
            for kind, templates in (("with_phone_word", WITH_WORD), ("without_phone_word", WITHOUT_WORD)):
                text = rng.choice(templates).format(p=phone)
                start = text.index(phone)
                hits = [r for rec in recognizers for r in rec.analyze(text, ["PHONE_NUMBER"])]  # type: ignore[attr-defined]
                ok = caught(start, start + len(phone), hits)
                totals[kind][0] += ok
                totals[kind][1] += 1
                if not ok:
                    misses.setdefault(locale, []).append(f"{kind}: {phone}")
    report = {
        "locales": len(LOCALES),
        "numbers_per_locale": args.per_locale,
        "recall": {kind: round(c / n, 4) for kind, (c, n) in totals.items()},
        "missed_per_locale": {loc: len(v) for loc, v in sorted(misses.items(), key=lambda kv: -len(kv[1]))},
    }
    for kind, (c, n) in totals.items():
        print(f"{kind:20s} {c:5d}/{n:5d}  recall {c / n:.3f}")
    for loc, items in sorted(misses.items(), key=lambda kv: -len(kv[1]))[:15]:
        print(f"  {loc:6s} {len(items):3d} e.g. {items[:3]}")
    save(report, args.out, argv, "pii_phone_formats.py")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
