"""Words after a weak name cue ("from", "customer", "best", "agent") that are plain English words no name list
holds are no name; the places where such a cue is strong keep them."""

from __future__ import annotations

import pytest

from processors.pii import PiiConfig
from processors.pii.names import NameRecognizer
from processors.pii.stage import _english_word_test

_RECOGNIZER = NameRecognizer(is_word=_english_word_test(PiiConfig().spacy_model))


def names(text: str) -> list[str]:
    return sorted(text[r.start : r.end] for r in _RECOGNIZER.analyze(text, ["PERSON"]))


@pytest.mark.parametrize("text", [
    "Customer: Forgot password again, please reset it.",
    "Could you route this to Customer Success? They handle renewals.",
    "Thanks for your patience.\n\nBest,\nAcme Support",
    "Fwd from Teams:\n\nthe meeting moved to Friday",
    "Customer: It's 12 Main Street, please update it.",
    "Agent: Let me check that for you.",
    "Cordiali saluti,\nCell. 300 675 1234",
    "Hello Folks, the build is broken.",                    # a greeting to many
    "Hi Guys, any update?",
    "The sample app just prints Hello World and exits.",
])
def test_plain_english_words_after_a_weak_cue_are_no_name(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(("text", "name"), [
    ("Please copy me in. Thanks, Amir", "Amir"),                    # a sign-off name ending its line
    ("Ciao Qiang, per il portale fornitori mi serve l'accesso", "Qiang"),  # a greeting's addressee
    ("Dear Forum, your ticket has been resolved.", "Forum"),
    ("Your technician Panini will arrive between 1 and 3 PM.", "Panini"),  # a role noun's holder
    ("I spoke to Olivier about the refund.", "Olivier"),            # a surname of the lexicon
    ("Forwarded from Zuzana Horváthová yesterday", "Zuzana Horváthová"),
    ("Hi Guy, thanks for the call.", "Guy"),
])
def test_names_after_weak_cues_stay(text: str, name: str) -> None:
    assert name in names(text)
