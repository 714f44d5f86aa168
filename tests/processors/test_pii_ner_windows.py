"""NER on windows around possible name words: which tokens are read, and entities put back where they were."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

from benchmarks.pii_eval import stage_predictor
from processors.pii import PiiConfig, PiiStage
from processors.pii.ner_windows import name_windows, name_word_test, put_back

_PLAIN = {"please", "street", "order", "refund", "thanks", "router", "week", "the", "printer"}
may_name = name_word_test(frozenset({"anna"}), frozenset({"smith", "anna"}), lambda w: w.casefold() in _PLAIN)
FILLER = "the router in the back office keeps dropping the line every few minutes and nobody knows why . " * 4


@pytest.fixture(scope="module")
def ner() -> Language:
    return spacy.load(PiiConfig().spacy_model, exclude=["tok2vec", "tagger", "parser", "attribute_ruler",
                                                         "lemmatizer", "senter"])


def test_capitalised_plain_words_and_function_words_are_not_name_words() -> None:
    assert not may_name("Please") and not may_name("Street") and not may_name("The")
    assert may_name("Smith") and may_name("Kowalczyk") and may_name("anna")
    assert not may_name("router") and not may_name("12345")


def test_windows_cover_the_tokens_around_name_words_only(ner: Language) -> None:
    doc = ner.make_doc(FILLER + "Please call Kowalczyk about it . " + FILLER)
    at = [t.text for t in doc].index("Kowalczyk")
    assert name_windows(doc, may_name, window=6) == [(at - 6, at + 7)]
    assert name_windows(ner.make_doc(FILLER), may_name) == []


def test_dense_text_is_read_whole(ner: Language) -> None:
    doc = ner.make_doc("Anna Kowalczyk, Jan Nowak and Piotr Wiśniewski met Ewa.")
    assert name_windows(doc, may_name) == [(0, len(doc))]


def test_entities_of_windows_land_on_the_whole_text_at_the_same_characters(ner: Language) -> None:
    text = FILLER + "Yesterday Margaret Kowalczyk from Vodafone Germany called . " + FILLER
    whole = ner(text)
    doc = ner.make_doc(text)
    windows = name_windows(doc, may_name)
    assert windows and sum(b - a for a, b in windows) < len(doc) / 2
    put_back(doc, [(a, ner(doc[a:b].as_doc())) for a, b in windows])
    named = {"PERSON", "ORG", "GPE", "NORP", "LOC"}  # dates and counts in the filler are not looked for
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in named] == [
        (e.start_char, e.end_char, e.label_) for e in whole.ents if e.label_ in named
    ]
    assert "Margaret Kowalczyk" in [e.text for e in doc.ents]


def test_with_ner_dates_wanted_every_text_is_read_whole() -> None:
    stage = PiiStage(PiiConfig(entities=("PERSON", "DATE_TIME")))
    assert stage.analyzer.nlp_engine.windowed is False  # type: ignore[attr-defined]
    text = FILLER + "Margaret Kowalczyk called . " + FILLER + "it broke last friday at noon ."
    found = [text[s:e] for s, e, _ in stage_predictor(stage)([text])[0]]
    assert "Margaret Kowalczyk" in found and any("friday" in f for f in found)


def test_the_stage_finds_a_name_deep_inside_a_long_ticket() -> None:
    predict = stage_predictor(PiiStage(PiiConfig()))
    text = FILLER * 3 + "I spoke to Margaret Kowalczyk at the front desk . " + FILLER * 3
    found = [text[s:e] for s, e, _ in predict([text])[0]]
    assert "Margaret Kowalczyk" in found


def test_texts_read_whole_keep_their_entities_when_spacy_uses_other_processes() -> None:
    """With n_process > 1 spaCy returns copies, not the Docs it was given: the whole-text path once dropped them."""
    engine = PiiStage(PiiConfig()).analyzer.nlp_engine
    texts = ["Margaret Kowalczyk and Tobias Brenner met.", FILLER * 3 + "Ask Margaret Kowalczyk . " + FILLER * 3]
    serial = [[(e.text, e.label_) for e in a.entities] for _, a in engine.process_batch(texts, "en")]
    parallel = [[(e.text, e.label_) for e in a.entities] for _, a in engine.process_batch(texts, "en", n_process=2)]
    assert ("Margaret Kowalczyk", "PERSON") in serial[0] and ("Margaret Kowalczyk", "PERSON") in serial[1]
    assert parallel == serial
