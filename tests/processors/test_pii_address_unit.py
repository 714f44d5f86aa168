"""A flat or suite number given on its own is an address; product suites, counts and ordinary words are not."""

from __future__ import annotations

import pytest

from processors.pii.address_unit import UnitRecognizer

REC = UnitRecognizer()


def found(text: str) -> list[str]:
    return [text[r.start:r.end] for r in REC.analyze(text, ["STREET_ADDRESS"])]


@pytest.mark.parametrize(("text", "unit"), [
    ("Please ship the replacement to suite 790.", "suite 790"),
    ("The courier left it at apt. 013 instead of my place.", "apt. 013"),
    ("Acme Tower, Suite 400, Chicago", "Suite 400"),
    ("I moved to Apt 4B last week", "Apt 4B"),
    ("Ste. 12, back entrance", "Ste. 12"),
    ("Suite 790 - ring twice", "Suite 790"),
    ("apartment #12 is mine", "apartment #12"),
    ("please deliver to apt 4 tomorrow", "apt 4"),  # lowercase without its period, after a preposition
])
def test_a_unit_alone_is_an_address(text: str, unit: str) -> None:
    assert found(text) == [unit]


@pytest.mark.parametrize("text", [
    "Adobe Creative Suite 6 crashes on start",   # a product before "suite"
    "Office Suite 2019 will not activate",
    "The test suite 45 failed again",            # a software noun before it
    "We need Suite 2024 licences",               # a year
    "I saw the apartment 2 weeks ago",           # a count after the number
    "a flat 20 fee, unit 5 of the course, level 3 support",  # ordinary words, left to the block rules
    "run apt-get 3 times",
    "the suite has 3 rooms",
    "The regression suite 4 failed again",         # a noun before "suite": a test or product suite
    "Our productivity suite 2 licence expired",
    "The hotel suite 2 adults 1 child booking",    # a count after the number
    "Since apt 2 the sources.list format changed",  # the package tool: a bare "apt" needs a preposition before
    "apartment 60 m2 with a balcony",
])
def test_products_counts_and_ordinary_words_are_no_units(text: str) -> None:
    assert found(text) == []
