"""A value found once is redacted wherever it recurs; phone numbers joined to a phone number, announced after
the number, or written under or after a name in a signature."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from processors.pii.phone_context import ContextPhoneRecognizer, numbers_by_names
from processors.pii.value_repeats import repeated_values


def phones(text: str) -> list[str]:
    """Distinct spans in order: several cues before a number find it more than once."""
    spans = dict.fromkeys((r.start, r.end) for r in ContextPhoneRecognizer().analyze(text, []))
    return [text[a:b] for a, b in sorted(spans)]


def test_a_found_value_is_found_again_but_not_inside_a_longer_number() -> None:
    text = "call 0171 2345678 ok. 0171 2345678 again, not 0171 23456789 or 90171 2345678"
    first = text.index("0171 2345678")
    again = repeated_values(text, [(first, first + 12, "PHONE_NUMBER", 0.6)])
    assert [(text[a:b], e) for a, b, e, _ in again] == [("0171 2345678", "PHONE_NUMBER")]


def test_names_and_short_values_are_not_repeated() -> None:
    text = "Anna wrote. Anna again. 12345 and 12345"
    assert repeated_values(text, [(0, 4, "PERSON", 0.8), (24, 29, "PHONE_NUMBER", 0.6)]) == []


def test_the_stage_redacts_a_chat_speaker_that_is_the_number_given_before(
    redacted: Callable[[str], list[str]],
) -> None:
    text = "[17:00:01] Customer: my number is 0049 157 19042562\n[17:00:18] 0049 157 19042562: sorry, no postcode"
    assert redacted(text) == ["0049 157 19042562", "0049 157 19042562"]


@pytest.mark.parametrize(("text", "numbers"), [
    ("please update my mobile number from 70144 66759 to 9824545704 for the account",
     ["70144 66759", "9824545704"]),
    ("call me on 0171 2345678 or 0172 3456789 tomorrow", ["0171 2345678", "0172 3456789"]),
    ("64342031 - pls call back asap re order II6730503", ["64342031"]),
    ("I tried 785 8949 twice but nobody picked up", ["785 8949"]),
    ("0171 2345678 went to voicemail", ["0171 2345678"]),
    ("Try me on 0171 2345678 after six", ["0171 2345678"]),
    ("Try again later, error code 8007 0005", []),                              # "try" alone is no cue
    ("Call support on 0800 123 4567 and 2500000 users are affected.", ["0800 123 4567"]),  # a count goes on
    ("try 3 times, order 12345678 failed", []),
    ("phone 0171 2345678, order 123456789 was wrong", ["0171 2345678"]),   # a labelled id is no second number
    ("Call 0171 2345678 on 12.05.2024 at 10:00", ["0171 2345678"]),         # nor a date
])
def test_joined_numbers_and_a_cue_after_the_number(text: str, numbers: list[str]) -> None:
    assert phones(text) == numbers


@pytest.mark.parametrize(("text", "name", "number"), [
    ("Please lock the account. Juhani Tiainen, 0569595561", "Juhani Tiainen", "0569595561"),
    ("Please wipe it.\nLine Halvorsen, Logistics, 47770301", "Line Halvorsen", "47770301"),
    ("Thanks\n\nFrede Laursen\nOffice Manager, Bravura Consulting\n01237825", "Frede Laursen", "01237825"),
])
def test_numbers_a_signature_gives_without_a_word(text: str, name: str, number: str) -> None:
    start = text.index(name)
    assert [text[a:b] for a, b in numbers_by_names(text, [(start, start + len(name))])] == [number]


@pytest.mark.parametrize(("text", "name"), [
    ("Thanks,\nAnna Berg\nInvoice 20240312\nOrder 55512345", "Anna Berg"),   # labelled lines, not bare numbers
    ("Regards, Tom Hardy, 2024-05-06.", "Tom Hardy"),                       # a date
    ("Ticket from Maria Lopez, 12345678 items", "Maria Lopez"),             # a count, the line goes on
    ("Customer: Anna Berg\n\n12345678", "Anna Berg"),                       # a field value, not a signature
])
def test_other_numbers_near_a_name_stay(text: str, name: str) -> None:
    start = text.index(name)
    assert numbers_by_names(text, [(start, start + len(name))]) == []
