"""A single name given away by its slot: a person who calls, says, replies, sits in a department, is spoken to,
asked or assigned — surnames alone, names that are words too, and lowercase names in lowercase text. Companies
named after people and products that "say" things are no names."""

from __future__ import annotations

import pytest

from processors.pii import PiiConfig
from processors.pii.name_actions import acting_names
from processors.pii.names import NameRecognizer
from processors.pii.stage import _english_word_test
from processors.pii.unknown_words import words_beyond_nouns

_MODEL = PiiConfig().spacy_model
_RECOGNIZER = NameRecognizer(is_word=_english_word_test(_MODEL), everyday_words=words_beyond_nouns(_MODEL))


def names(text: str) -> list[str]:
    return sorted({text[r.start : r.end] for r in _RECOGNIZER.analyze(text, ["PERSON"])})


@pytest.mark.parametrize(("text", "name"), [
    ("Matthews called again about the refund.", "Matthews"),       # a surname alone, at a sentence start
    ("Torres said the app keeps crashing.", "Torres"),
    ("Can Pinto confirm the new address?", "Pinto"),
    ("I spoke with Heather yesterday and she said it was fixed.", "Heather"),  # a name that is a word too
    ("Please assign this to Charlotte.", "Charlotte"),
    ("according to Perkins the payment failed twice", "Perkins"),
    ("Matthews from accounting wants an update.", "Matthews"),              # a name no lexicon holds, in a department
    ("Estrid is out of office until Friday.", "Estrid"),
    ("Iqra works at the Leeds depot now.", "Iqra"),
    ("Matthews is from the Lisbon office.", "Matthews"),
    ("Matthews has been calling all week.", "Matthews"),
    ("Perkins left a voicemail.", "Perkins"),
])
def test_a_name_in_a_persons_slot(text: str, name: str) -> None:
    assert name in names(text)


@pytest.mark.parametrize(("text", "name"), [
    ("schulz said the app keeps crashing.", "schulz"),              # WordNet holds it as a noun only
    ("can holmes confirm the new address?", "holmes"),
    ("i spoke with robinson yesterday", "robinson"),
    ("susan tougas called again about the refund.", "susan tougas"),  # a surname no lexicon holds, after a name
    ("please assign this to kevin lamovec.", "kevin lamovec"),
])
def test_lowercase_names_in_lowercase_text(text: str, name: str) -> None:
    assert name in names(text)


@pytest.mark.parametrize("text", [
    "Ford called about the recall.",                 # companies named after people
    "Philips said the warranty expired.",
    "Siemens said the part ships Monday.",
    "Ikea called about the delivery slot.",          # a company no lexicon holds: calling is no proof
    "Jira says permission denied.",                   # a product that says things
    "Can Outlook verify my account?",
    "Customer called again about the refund.",       # a role
    "Support replied within an hour.",
    "The bank said no.",                              # a determiner before it
    "mark said the app keeps crashing.",              # lowercase: an everyday word
    "my bank said no.",
    "Monday said nothing about it.",
    "Ford is from our supplier list.",
    "Jira is from our vendor.",                      # a product: "is from" needs a lexicon name
    "Chase texted me about fraud.",                  # banks and tools that are surnames
    "Jenkins reported a failure overnight.",
    "Mason called the API twice.",                   # a call in code
    "Kind regards,\nCarter Logistics",               # a company signs
    "Anydesk from support keeps crashing.",          # a tool in a department
])
def test_companies_products_and_roles_are_no_names(text: str) -> None:
    assert names(text) == []


def test_the_slot_alone_decides_nothing_without_the_lexicon() -> None:
    spans = list(acting_names("Matthews called again.", lambda w: False, lambda w: False, lambda w: True))
    assert spans == []  # an English word no lexicon holds, after a verb companies use too
