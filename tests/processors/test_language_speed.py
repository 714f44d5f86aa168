"""The language stage's speed-ups must not change its answers: single broad pass, fastText pre-check, cache."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from processors.language import LanguageConfig, LanguageDetection
from processors.language.customer_text import letter_count
from processors.language.detector import CACHED_MAX_CHARS

EN_DE = ["en", "de"]
ENGLISH = ("Hello, I ordered a pair of shoes three weeks ago and they still have not arrived. The tracking page "
           "says the parcel is waiting at the depot, but nobody answers the phone there. Please help me.")
GERMAN = ("Guten Tag, ich habe vor drei Wochen ein Paar Schuhe bestellt und sie sind immer noch nicht angekommen. "
          "Die Sendungsverfolgung sagt, das Paket liegt im Depot, aber dort geht niemand ans Telefon.")
FRENCH = ("Bonjour, j'ai commandé une paire de chaussures il y a trois semaines et elles ne sont toujours pas "
          "arrivées. Le suivi indique que le colis attend au dépôt, mais personne ne répond au téléphone.")
POLISH = ("Dzień dobry, trzy tygodnie temu zamówiłem parę butów i nadal nie dotarły. Strona śledzenia przesyłki "
          "mówi, że paczka czeka w magazynie, ale nikt tam nie odbiera telefonu. Proszę o pomoc.")
RUSSIAN = ("Здравствуйте, три недели назад я заказал пару обуви, и она до сих пор не пришла. На странице "
           "отслеживания написано, что посылка ждёт на складе, но там никто не отвечает на звонки.")
LONG = [ENGLISH, GERMAN, FRENCH, POLISH, RUSSIAN]
SHORT = ["Passwort vergessen", "Where is my order?", "Je veux annuler ma commande", "Danke schön"]


def detection(**overrides: object) -> LanguageDetection:
    return LanguageDetection(LanguageConfig(languages=EN_DE, cache_size=0).model_copy(update=overrides))


def test_texts_are_long_enough_for_the_single_pass() -> None:
    assert all(letter_count(text) >= LanguageConfig().single_pass_min_letters for text in LONG)  # type: ignore[operator]


def test_single_pass_gives_the_two_pass_answers_and_confidences() -> None:
    single = detection(precheck="none").detect(LONG + SHORT)
    two = detection(precheck="none", single_pass_min_letters=None).detect(LONG + SHORT)
    assert [r.code for r in single] == [r.code for r in two] == ["en", "de", "fr", "pl", "ru", "de", "en", "fr", "de"]
    for a, b in zip(single, two, strict=True):
        assert a.confidence == pytest.approx(b.confidence, abs=0.002)


def test_precheck_skips_the_broad_pass_only_for_confident_in_set_texts() -> None:
    d = detection()
    letters = [letter_count(t) for t in LONG + SHORT]
    settled = d._settled_in_set(LONG + SHORT, letters)
    assert {0, 1} <= settled  # English and German long texts: fastText is sure, they are in the set
    assert not settled & {2, 3, 4}  # French, Polish, Russian must still reach the broad detector
    assert not settled & {5, 6, 8}  # under fallback_min_letters: never checked by the broad pass anyway


def test_precheck_does_not_change_answers() -> None:
    texts = LONG + SHORT + ["Ich möchte mein Konto löschen, bitte bestätigen Sie mir das kurz per E-Mail."]
    with_precheck = detection().detect(texts)
    without = detection(precheck="none").detect(texts)
    assert [r.code for r in with_precheck] == [r.code for r in without]
    assert [r.code for r in with_precheck][:5] == ["en", "de", "fr", "pl", "ru"]


def test_precheck_is_off_without_fallback() -> None:
    d = detection(fallback=False)
    assert d._settled_in_set([ENGLISH], [letter_count(ENGLISH)]) == set()
    assert d.detect([FRENCH])[0].code in EN_DE


def test_duplicates_in_a_batch_are_detected_once_and_short_texts_are_cached() -> None:
    d = LanguageDetection(LanguageConfig(languages=EN_DE, cache_size=2))
    very_long = f"{ENGLISH} {ENGLISH}"
    assert len(very_long) > CACHED_MAX_CHARS
    first = d.detect(["Passwort vergessen", "Passwort vergessen", very_long, "Where is my order?"])
    assert first[0] == first[1] and first[0].code == "de"
    assert len(d.cache) == 2  # two distinct short texts; the long one is not remembered
    assert d.cache.get("Passwort vergessen") == first[0]
    again = d.detect(["Passwort vergessen", "Danke schön"])
    assert again[0] == first[0] and again[1].code == "de"
    assert len(d.cache) == 2 and d.cache.get("Where is my order?") is None  # least recently used went


def test_bad_precheck_names_the_setting() -> None:
    with pytest.raises(ValidationError, match="precheck"):
        LanguageConfig(precheck="langid")  # type: ignore[arg-type]
