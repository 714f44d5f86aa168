"""What the id and date look-alike rules must not drop (cards near "order", phone numbers that begin like a date),
and licence numbers after their labels."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from processors.pii.context import is_lookalike
from processors.pii.labelled_ids import LabelledIdRecognizer


@pytest.mark.parametrize(("text", "card"), [
    ("Please use this card for my next order 4130 7143 2463 4055 thanks", "4130 7143 2463 4055"),  # card groups
    ("PLEASE USE THIS CARD FOR MY NEXT ORDER 38223795753528", "38223795753528"),  # a card word before the label
])
def test_a_card_after_an_order_word_is_still_a_card(text: str, card: str) -> None:
    start = text.index(card)
    assert not is_lookalike(text, start, start + len(card), "CREDIT_CARD")


@pytest.mark.parametrize("text", ["Order 4130714324634055 shipped", "Order number: 4539 1488 0343 6467"])
def test_an_order_number_is_still_an_order_number(text: str) -> None:
    start = next(i for i, c in enumerate(text) if c.isdigit())
    assert is_lookalike(text, start, len(text.split(" shipped")[0]), "CREDIT_CARD")


@pytest.mark.parametrize("text", ["call me on 06-1-248-8147 today", "CALL ME ON 06-1-248-8147 TODAY OR I"])
def test_a_phone_number_that_starts_like_a_date(redacted: Callable[[str], list[str]], text: str) -> None:
    assert redacted(text) == ["06-1-248-8147"]


def test_versions_still_read_as_versions(redacted: Callable[[str], list[str]]) -> None:
    assert redacted("Build 10.0.12075.1183 installed on the server") == []


@pytest.mark.parametrize(("text", "value"), [
    ("DL#: A 123 456 789 012", "A 123 456 789 012"),      # a label ending in "#", a Michigan-style number
    ("License #: 917630192", "917630192"),
    ("Driver's license: 12 345 678", "12 345 678"),        # Pennsylvania-style groups
    ("Driver's license WDLABCD123EF", "WDLABCD123EF"),     # more letters than digits (Washington)
    ("CDL A1234567 expired last week", "A1234567"),
    ("driver permit 917630192", "917630192"),
])
def test_licence_labels_and_shapes(text: str, value: str) -> None:
    assert value in [text[r.start : r.end] for r in LabelledIdRecognizer().analyze(text, ["US_DRIVER_LICENSE"])]


@pytest.mark.parametrize("text", ["License key: ABCD-EFGH-1234", "Software license number is 2024",
                                  "License ID: A1B2C3D45 for Office.", "The printer driver id is 4F3A9B21C.",
                                  "My license is valid until 2025", "drivers licence number is TOTALLYLONGWORD"])
def test_licence_labels_without_a_licence_number(text: str) -> None:
    assert LabelledIdRecognizer().analyze(text, ["US_DRIVER_LICENSE"]) == []
