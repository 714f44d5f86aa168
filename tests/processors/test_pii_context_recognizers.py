"""Local phone numbers after a phone cue, and identity-document numbers after their label."""

from __future__ import annotations

import pytest

from processors.pii.labelled_ids import LabelledIdRecognizer
from processors.pii.phone_context import ContextPhoneRecognizer


def spans(rec: object, text: str) -> list[tuple[str, str]]:
    return [(r.entity_type, text[r.start:r.end]) for r in rec.analyze(text, [])]  # type: ignore[attr-defined]


@pytest.mark.parametrize(("text", "number"), [
    ("Nobody is answering at 785 8949 since Monday", "785 8949"),
    ("call me back on (32) 484-557 please", "(32) 484-557"),
    ("Tel: 25-62-29-72", "25-62-29-72"),
    ("my mobile is +44 7700 900123", "+44 7700 900123"),
])
def test_local_numbers_after_a_phone_cue(text: str, number: str) -> None:
    assert spans(ContextPhoneRecognizer(), text) == [("PHONE_NUMBER", number)]


@pytest.mark.parametrize("text", [
    "order 785 8949 has not arrived",             # no cue
    "call me about invoice 12 from 2024-03-05",    # too few digits / a date
    "I called on 12/03/2024 and again later",      # a date after the cue
    "phone broke after update 1.2.3",               # a version
])
def test_no_phone_without_cue_or_with_dates_and_versions(text: str) -> None:
    assert spans(ContextPhoneRecognizer(), text) == []


def test_licence_and_passport_numbers_after_their_label() -> None:
    rec = LabelledIdRecognizer()
    assert spans(rec, "My driver's license number is 425700624.") == [("US_DRIVER_LICENSE", "425700624")]
    assert spans(rec, "Führerschein-Nr: B072RRE2I55") == []  # "Nr" is not a licence label on its own
    assert spans(rec, "Führerscheinnummer: B072RRE2I55") == [("US_DRIVER_LICENSE", "B072RRE2I55")]
    assert spans(rec, "passport no. X1234567 expired") == [("US_PASSPORT", "X1234567")]
    assert spans(rec, "my passport is in the drawer") == []  # no number-like value
    assert spans(rec, "license renewal cost 2024 dollars") == []  # no label before the number
