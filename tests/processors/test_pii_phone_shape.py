"""Grouped phone numbers with no phone word, told apart from amounts, counts, ranges and codes."""

from __future__ import annotations

import time

import pytest

from processors.pii.phone_context import ContextPhoneRecognizer
from processors.pii.phone_shape import is_unlabelled_phone
from processors.pii.recognizers import PhoneNumberRecognizer, _add_enclosing, _FoundNumbers


def phones(text: str, unlabelled: bool = True) -> list[str]:
    recs = [PhoneNumberRecognizer(unlabelled=unlabelled), ContextPhoneRecognizer()]
    return sorted({text[r.start : r.end] for rec in recs for r in rec.analyze(text, ["PHONE_NUMBER"])})


@pytest.mark.parametrize(("text", "number"), [
    ("Best regards,\nAnna Berg\n83-63083898", "83-63083898"),
    ("It's 6920 6632319 for the front desk.", "6920 6632319"),
    ("You can get me at 30 868 716 all day", "30 868 716"),       # two-digit first group: Nordic layout
    ("Signed, Tom ((351) 919825979)", "(351) 919825979"),
    ("It's 109-6723971 for the front desk.", "109-6723971"),
    ("I tried (351) 290 748 337 twice.", "(351) 290 748 337"),  # "nobody picks up" after it is a cue now
])
def test_grouped_numbers_without_a_phone_word(text: str, number: str) -> None:
    assert phones(text) == [number]
    assert number not in phones(text, unlabelled=False)  # caught by the shape rule, not by anything else


@pytest.mark.parametrize("text", [
    "The export has 337 424 rows and 12 500 columns",
    "We were charged € 12 345 678 by mistake",
    "a total of 30 868 716 so far",              # counted, says the word before it
    "It still shows 1 234 567 after the update",  # thousands with a one-digit first group
    "subscriptions 2019-2020 and 2020 2021",      # year ranges
    "open 0900-1700 on weekdays",                 # a time range
    "We noticed 86826-1055 in the report.",       # ZIP+4
    "see #123 4567 in the tracker",               # an issue reference
    "Weight: 164 780 kg",                         # a unit after it
    "Try part numbers 4455-6677 or 4455-6678 for the replacement.",  # the label names every item of the list
    "SKUs 1234-5678, 2345-6789 and 3456-7890 are out of stock.",     # an acronym's plural labels too
])
def test_grouped_numbers_that_are_not_phones(text: str) -> None:
    assert phones(text) == []


@pytest.mark.parametrize(("text", "numbers"), [
    ("Reach me at 4455-6677 or 4455-6678 after lunch.", ["4455-6677", "4455-6678"]),
    ("Contact: 020 7946 0958 or 020 7946 0959", ["020 7946 0958", "020 7946 0959"]),
    ("Anna Berg, 4455-6677 or 4455-6678", ["4455-6677", "4455-6678"]),  # no label before the list
    ("Ravi Kumar, employee id 45521, 98765 43210", ["98765 43210"]),  # an id of another shape labels nothing
    ("Booking ref 4471-2210 or 98765 43210 if urgent.", ["98765 43210"]),
    ("dated 12/03/2024, 98765 43210 is my number", ["98765 43210"]),
])
def test_phone_lists_without_a_label_stay_phones(text: str, numbers: list[str]) -> None:
    assert phones(text) == numbers


def test_bare_digit_runs_need_a_phone_word() -> None:
    assert phones("My direct line is 6114980364.") == ["6114980364"]
    assert phones("Contact: 03069990904") == ["03069990904"]
    assert phones("It's 6114980364 for the front desk.") == []


def test_extension_after_a_phone_word() -> None:
    assert phones("The number we have on file is 1-589-693-5049x2589, right?") == ["1-589-693-5049x2589"]


def test_shape_rule_needs_seven_digits_and_two_groups() -> None:
    assert not is_unlabelled_phone("x 78 22 27 y", 2, 10)
    assert not is_unlabelled_phone("x 6114980364 y", 2, 12)


@pytest.mark.parametrize(("text", "number"), [
    ("Use +7 (290) 048-92-49 for urgent issues.", "+7 (290) 048-92-49"),  # libphonenumber validates only the tail
    ("1 (403) 060-6720 is the best way to get me.", "1 (403) 060-6720"),
])
def test_a_phone_shape_enclosing_a_validated_tail_is_taken_whole(text: str, number: str) -> None:
    assert phones(text) == [number]


@pytest.mark.parametrize(("text", "number"), [
    ("0995422059 (mobile)", "0995422059"),
    ("Sara 2002036 (cell), 3371234 (landline)", "2002036"),
    ("Got a missed call from 95422058 yesterday.", "95422058"),
])
def test_bare_runs_named_a_phone_after_them_or_after_a_missed_call(text: str, number: str) -> None:
    assert number in phones(text)


@pytest.mark.parametrize("text", [
    "Build 20240312 (home) edition",          # a date, whatever the bracket says
    "Calls from 1710238800 onwards are lost",  # no "missed call", and a Unix time
    "Server 10.10.100.254 (office)",
    "Subscription 12345678 (Home) renewed.",   # an edition, not a phone label
])
def test_bracketed_words_and_call_from_do_not_make_every_number_a_phone(text: str) -> None:
    assert phones(text) == []


def test_a_long_paste_of_number_groups_is_read_whole() -> None:
    paste = ("12 34 56 78 90 " * 4300)[:60_000]
    text = paste + "\nIf that fails, call me on +44 20 7946 0958 or (212) 555-0147."
    found = {text[r.start : r.end] for r in PhoneNumberRecognizer(regions=("US",)).analyze(text, ["PHONE_NUMBER"])}
    assert {"+44 20 7946 0958", "(212) 555-0147"} <= found


def test_found_numbers_are_checked_for_overlap_through_an_index() -> None:
    """Each overlap check scanned every number found so far: thousands of number groups (a column paste, a hex
    dump) made the phone recognizer quadratic. 20,000 numbers took minutes that way."""
    found = _FoundNumbers()
    start = time.process_time()
    for i in range(20_000):
        _add_enclosing(found, 20 * i, 20 * i + 14, 0.55)
    assert time.process_time() - start < 2.0
    assert len(found.scores) == 20_000
    _add_enclosing(found, 10, 30, 0.6)  # overlaps (0, 14) and (20, 34) without enclosing them: not taken
    assert (10, 30) not in found and (0, 14) in found and (20, 34) in found
    _add_enclosing(found, 19, 36, 0.6)  # encloses (20, 34): replaces it, with the higher score
    assert (20, 34) not in found and found.scores[(19, 36)] == 0.6
    assert found.overlapping(15, 19) == [] and found.overlapping(0, 1) == [(0, 14)]
