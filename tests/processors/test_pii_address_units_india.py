"""Indian addresses, and the parts of European and American addresses that used to cut a block short: flat and
staircase units, slashed house numbers, provinces in brackets, Argentine postcodes, suite-civic numbers."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from processors.pii.address_india import IndianAddressRecognizer


def indian(text: str) -> list[str]:
    return [text[r.start : r.end] for r in IndianAddressRecognizer().analyze(text, [])]


@pytest.mark.parametrize(("text", "address"), [
    ("Return from:\nFrank Long\nFlat No. 903, Kalpataru Towers\n91, FC Road\nIndiranagar\nLucknow - 226600\n"
     "Uttar Pradesh\n\nReturn to:\nFreight Returns Centre",
     "Flat No. 903, Kalpataru Towers\n91, FC Road\nIndiranagar\nLucknow - 226600\nUttar Pradesh"),
    ("Lila Som\nH.No. 75\nDyal Nagar\nBhagalpur-959260\nTel. +919166407749", "H.No. 75\nDyal Nagar\nBhagalpur-959260"),
    ("Deliver to: House No. 12, Shanti Vihar, Sector 5, Noida - 201301, Uttar Pradesh",
     "House No. 12, Shanti Vihar, Sector 5, Noida - 201301, Uttar Pradesh"),
    ("House No. 5/2, Lajpat Nagar, PIN 110024", "House No. 5/2, Lajpat Nagar, PIN 110024"),
])
def test_indian_blocks_from_the_unit_to_the_pin_and_state(text: str, address: str) -> None:
    assert indian(text) == [address]


@pytest.mark.parametrize("text", [
    "Flat No. 12, order 456789 still not delivered",             # a six-digit id in a sentence is no PIN
    "my flat no. 4 has had no water for 3 days, complaint 556677",
    "Flat No. 3\nTel.: 0522 226600",                               # a label line ends the block
])
def test_a_six_digit_number_after_a_unit_in_a_sentence_is_no_pin(text: str) -> None:
    assert indian(text) == []


@pytest.mark.parametrize(("text", "address"), [
    ('"old": "ul. Wyzwolenia 22 m. 22, 65-814 Poznań",', "ul. Wyzwolenia 22 m. 22, 65-814 Poznań"),
    ("for the attention of Mr. Gentili\nVia Toledo, 41, scala B, int. 22\n20183 Milano (MI)\nSwitchboard: 0039 349",
     "Via Toledo, 41, scala B, int. 22\n20183 Milano (MI)"),
    ('"old": "Av. Belgrano 1774, Piso 1 Dto. C, B7600 Mar del Plata, Buenos Aires",',
     "Av. Belgrano 1774, Piso 1 Dto. C, B7600 Mar del Plata, Buenos Aires"),
    ("my old address (Via Coardi, 879, 30023, Concordia Sagittaria (VE)), could you correct it?",
     "Via Coardi, 879, 30023, Concordia Sagittaria (VE)"),
    ("old flat:\n\nHödlgasse 187/4/10\n6078 Innsbruck\n\nOn 18 Jul", "Hödlgasse 187/4/10\n6078 Innsbruck"),
    ("Attn: Becky Roberts\n543-1010 Bloor St E\nOttawa, ON L8K 1C5\n\nMerci,\nJennifer",
     "543-1010 Bloor St E\nOttawa, ON L8K 1C5"),
    ("Visitor: Rúa do Franco, 112, 08089 Barcelona", "Rúa do Franco, 112, 08089 Barcelona"),
    ("What is the delivery address?\nGran Vía, 158, 7º, 15098 A Coruña\n> 3. Best number",
     "Gran Vía, 158, 7º, 15098 A Coruña"),
    ("Address: 50/034, Kumer Marg, Ratlam-490195\nOrder number: ORD-1", "Kumer Marg, Ratlam-490195"),
])
def test_whole_addresses_with_units_provinces_and_foreign_postcodes(
    redacted: Callable[[str], list[str]], text: str, address: str
) -> None:
    assert address in redacted(text)


@pytest.mark.parametrize("text", [
    "We shipped via DHL 2 days ago, tracking 1234567890.",
    "The meeting is on 12/05/2024 at 10:00 in room 4.",
    "I paid 30 m. 22 days ago",
])
def test_sentences_stay(redacted: Callable[[str], list[str]], text: str) -> None:
    assert redacted(text) == []
