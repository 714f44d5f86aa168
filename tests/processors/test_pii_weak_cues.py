"""Names after a name cue ("from", "customer", "this is", "thanks") that are English words no name list holds stay
names: a rule that dropped them removed false names ("Customer Success", "Agent: Let me check") but lost real ones
(Raj, Poppy, Promise, Favour), and a leak costs more than a redacted word. Greetings to many and a chat line's
first contraction are no name."""

from __future__ import annotations

import pytest

from processors.pii import PiiConfig
from processors.pii.names import NameRecognizer
from processors.pii.stage import _english_word_test

_RECOGNIZER = NameRecognizer(is_word=_english_word_test(PiiConfig().spacy_model))


def names(text: str) -> list[str]:
    return sorted(text[r.start : r.end] for r in _RECOGNIZER.analyze(text, ["PERSON"]))


@pytest.mark.parametrize("text", [
    "Customer: It's 12 Main Street, please update it.",     # a chat line's first word
    "Customer: Don't close the ticket yet.",
    "Hello Folks, the build is broken.",                    # a greeting to many
    "Hi Guys, any update?",
    "The sample app just prints Hello World and exits.",
])
def test_greetings_to_many_and_contractions_are_no_name(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(("text", "name"), [
    ("I spoke to Raj about the refund yesterday.", "Raj"),
    ("This is Poppy from the accounts team, my laptop will not boot.", "Poppy"),
    ("Customer Promise called twice about the delivery.", "Promise"),
    ("Please copy me in. Thanks, Amir", "Amir"),
    ("Ciao Qiang, per il portale fornitori mi serve l'accesso", "Qiang"),
    ("Your technician Panini will arrive between 1 and 3 PM.", "Panini"),
    ("I spoke to Olivier about the refund.", "Olivier"),
    ("Hi Guy, thanks for the call.", "Guy"),
])
def test_names_after_cues_stay_even_when_they_are_english_words(text: str, name: str) -> None:
    assert name in names(text)
