"""Names that the lexicon also holds as common words, found by where they stand: a greeting's addressee, the line
above a job title, a surname typed in lowercase after a given name."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from processors.pii.names import NameRecognizer


def names(text: str) -> list[str]:
    return sorted(text[r.start : r.end] for r in NameRecognizer().analyze(text, ["PERSON"]))


@pytest.mark.parametrize(("text", "name"), [
    ("Hi Virginia, the printer is broken again.", "Virginia"),
    ("Dear Summer Holt,\nthanks for the quick reply.", "Summer Holt"),
    ("Hello Georgia!", "Georgia"),
])
def test_a_greetings_addressee_is_a_name_even_when_it_is_a_common_word(text: str, name: str) -> None:
    assert name in names(text)


@pytest.mark.parametrize("text", [
    "Hi Team, the printer is broken again.",
    "Dear Customer,\nyour order has shipped.",
    "Hi Virginia office team",  # no comma or line end: the greeting does not end at the word
])
def test_greetings_to_groups_or_things_are_no_names(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(("text", "name"), [
    ("Thanks,\nAmor Rosado\nHead of Operations\nAcme Corp", "Amor Rosado"),
    ("Best,\nGrace Lee\nSenior Support Engineer", "Grace Lee"),
])
def test_the_line_above_a_job_title_is_the_senders_name(text: str, name: str) -> None:
    assert name in names(text)


@pytest.mark.parametrize("text", [
    "Service Desk\nManager on duty today",  # the title's own words: no lexicon name
    "Thanks,\nThe Support\nTeam Lead",           # a function word
])
def test_lines_above_a_job_title_without_a_name_are_left(text: str) -> None:
    assert names(text) == []


def test_a_lowercase_surname_after_a_given_name_joins_it(redacted: Callable[[str], list[str]]) -> None:
    assert "kuhar" in redacted("Andrejka kuhar is our new office manager.")
    assert redacted("Maria said the refund arrived.") == ["Maria"]  # an English word after it stays
