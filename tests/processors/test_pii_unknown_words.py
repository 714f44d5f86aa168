"""Capitalised words English does not know are names — in English text, unless they name a thing."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
import spacy
from spacy.tokens import Span

from processors.base import Ok
from processors.pii import PiiConfig, PiiStage, load_tenant_configs
from processors.pii.unknown_words import (
    UnknownWordNameRecognizer,
    english_share,
    english_words,
    is_english_word,
    near_english,
    one_edit_from,
)
from schemas import TicketEvent

MODEL = PiiConfig().spacy_model


@pytest.fixture(scope="module")
def rec() -> UnknownWordNameRecognizer:
    recognizer = UnknownWordNameRecognizer(MODEL)
    recognizer.load()
    return recognizer


def found(rec: UnknownWordNameRecognizer, text: str, artifacts: object = None) -> list[str]:
    return [text[r.start:r.end] for r in rec.analyze(text, [], artifacts)]  # type: ignore[arg-type]


def test_english_comes_from_the_models_wordnet_tables() -> None:
    words = english_words(MODEL)
    assert len(words) > 60_000
    assert {"refund", "impulsive", "invoice", "the"} <= words
    assert "ngozika" not in words
    for word in ("Refunds", "Shipped", "Replies", "Cancelling", "Don't", "Customer's"):
        assert is_english_word(word, words), word
    assert not is_english_word("Okonkwo", words)


def test_typos_and_run_together_words_are_near_english() -> None:
    words = english_words(MODEL)
    for typo in ("Recieved", "Cancelation", "Ihave", "Helpme"):
        assert near_english(typo, words), typo
    for typo in ("Ehlp", "Moidfy"):  # short: only where typos gather, at a sentence start
        assert near_english(typo, words, edit_from=4) and not near_english(typo, words), typo
    for name in ("Czarnecki", "Wojtaszek", "Ngozika", "Thandeka", "Abimbola", "Kimount"):  # not "ki" + "mount"
        assert not near_english(name, words), name


@pytest.mark.parametrize(("text", "name"), [
    ("Why is Ngozika so quiet about the refund?", "Ngozika"),
    ("Thandeka, can you please call me back?", "Thandeka"),
    ("The parcel was signed for by Wojtaszek at the door.", "Wojtaszek"),
    ("Thanks for nothing, Abimbola!", "Abimbola"),
    ("I asked Ilyasova's team twice already.", "Ilyasova"),
    ("Refund for Thandeka asap", "Thandeka"),  # a short line: the name itself does not count against English
])
def test_rare_names_in_english_text(rec: UnknownWordNameRecognizer, text: str, name: str) -> None:
    assert found(rec, text) == [name]


@pytest.mark.parametrize("text", [
    "Unfortunately the Refunds were Shipped late again.",          # English words, inflected
    "Our GitHub sync and the HTTP hook fail on Win11.",            # CamelCase, capitals, digits
    "Please check Examplio.com and the Exampliod/path settings.",  # a domain, a path
    "My Freemium account and the Acmeo app both stopped working.",  # a kind of thing after the word
    "The Zendesk trigger and Jira webhook stopped. Hola!",         # known software words, greetings
    "I reset my Kundenkonto yesterday, and your Wunschliste too.",  # after a possessive: a thing
    "Thx, pls check the Webhook and the Pdf export asap.",         # chat shorthand, computing words
    "Recieved the Cancelation mail, Definately not what I asked.",  # typos of long words
    "Traceback attached; the Dockerfile and Makefile are unchanged.",  # code words
    "Unable To Unsubscribe From Newsletter Since Tuesday",         # a title-case subject line
    "Mein Passwort was changed. Bitte help, the login fails.",     # another language's function word
])
def test_not_names(rec: UnknownWordNameRecognizer, text: str) -> None:
    assert found(rec, text) == []


@pytest.mark.parametrize("text", [
    "Sehr geehrte Damen und Herren, die Rechnung für meine Bestellung ist falsch, bitte korrigieren Sie sie.",
    "Hola, mi pedido llegó roto y necesito una devolución lo antes posible, gracias.",
    "Rechnung Falsch Bitte Prüfen",  # a subject line: too few lowercase words, so every word is judged
    # other languages' function words make a text no more English ("la", "el", "se" are Spanish stop words)
    "Hola, no he recibido la Factura y el Paquete se ha perdido, por favor.",
    "Bonjour, le Colis est arrivé abîmé et la Facture manque.",
])
def test_text_that_does_not_read_as_english_is_left_to_the_other_recognizers(
        rec: UnknownWordNameRecognizer, text: str) -> None:
    assert english_share(text, english_words(MODEL)) < 0.75
    assert found(rec, text) == []


@pytest.mark.parametrize(("text", "names"), [
    ("why is ngozika so quiet about the refund?", ["ngozika"]),
    ("pls ask wojtaszek's team to call me back about the invoice", ["wojtaszek"]),
    ("i cant find the reciept for my ordr, the paymnt went through twice", []),  # typos, not names
    ("mi pedido llego roto y necesito una devolucion", []),  # not English
    ("asdf", []),  # nothing to judge the language by
])
def test_text_typed_without_capitals(rec: UnknownWordNameRecognizer, text: str, names: list[str]) -> None:
    assert found(rec, text) == names


def test_spacy_product_and_work_of_art_entities_overrule_the_rule(rec: UnknownWordNameRecognizer) -> None:
    text = "We watched Zoolandera after the Quixotron crash."
    doc = spacy.blank("en")(text)
    assert found(rec, text, SimpleNamespace(tokens=doc)) == ["Zoolandera", "Quixotron"]
    doc.ents = [Span(doc, 2, 3, label="WORK_OF_ART"), Span(doc, 5, 6, label="PRODUCT")]
    assert found(rec, text, SimpleNamespace(tokens=doc)) == []
    doc.ents = [Span(doc, 2, 3, label="ORG")]  # organisations do not overrule: rare names get that label
    assert found(rec, text, SimpleNamespace(tokens=doc)) == ["Zoolandera", "Quixotron"]


def _event(tenant: str, body: str) -> TicketEvent:
    return TicketEvent(tenant_id=tenant, source="email", ticket_id="T-1", event_id="E-1", event_type="created",
                       occurred_at=datetime(2024, 5, 1, tzinfo=UTC), body=body)


@pytest.fixture(scope="module")
def stages() -> Iterator[tuple[PiiStage, PiiStage]]:
    tenants = load_tenant_configs({"acmeo": {"pii": {"allow_list": ["Quixotron"]}}}, {})
    yield PiiStage(PiiConfig(), tenants), PiiStage(PiiConfig(unknown_word_names=False), tenants)


def test_the_stage_redacts_them_unless_switched_off_or_allowed(stages: tuple[PiiStage, PiiStage]) -> None:
    on, off = stages
    body = "Why is Ngozika still waiting for the Quixotron fix?"
    [default] = on.process([_event("someone", body)])
    assert isinstance(default, Ok)
    assert "Ngozika" not in default.value.body and "Quixotron" not in default.value.body
    [allowed] = on.process([_event("acmeo", body)])
    assert isinstance(allowed, Ok)
    assert "Ngozika" not in allowed.value.body and "Quixotron" in allowed.value.body
    [switched_off] = off.process([_event("someone", body)])
    assert isinstance(switched_off, Ok)
    assert "Quixotron" in switched_off.value.body


def test_one_edit_lookup_matches_generating_every_edit() -> None:
    """The gap index must find exactly what generating all one-letter edits (over a-z) finds."""
    words = english_words(MODEL)

    def brute(w: str) -> bool:
        splits = [(w[:i], w[i:]) for i in range(len(w) + 1)]
        letters = "abcdefghijklmnopqrstuvwxyz"
        edits = ({a + b[1:] for a, b in splits if b}
                 | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
                 | {a + c + b[1:] for a, b in splits if b for c in letters}
                 | {a + c + b for a, b in splits for c in letters})
        return w in words or not edits.isdisjoint(words)

    rng = random.Random(3)
    samples = ["recieved", "suoports", "czarnecki", "mimount", "zama", "cafe", "naïve", "x-ray"]
    for w in rng.sample(sorted(words), 300):
        i = rng.randrange(len(w) + 1)
        c = rng.choice("abcdefghijklmnopqrstuvwxyzé")
        samples += [w[:i] + c + w[i:], w[:i] + c + w[i + 1 :], w[:i] + w[i + 1 :], w[:i] + c + c + w[i + 2 :]]
    letters = "abcdefghijklmnopqrstuvwxyz"
    samples += ["".join(rng.choice(letters) for _ in range(rng.randint(4, 10))) for _ in range(300)]
    assert [w for w in samples if one_edit_from(w, words) != brute(w)] == []
    assert one_edit_from("recieved", words) and not one_edit_from("czarnecki", words)
