"""Name parts and neighbours, spaCy's PERSON filter, names in forms and mail headers, one-line addresses."""

from __future__ import annotations

import pytest

from processors.pii.address_inline import InlineAddressRecognizer
from processors.pii.labelled_ids import LabelledIdRecognizer
from processors.pii.name_parts import adjacent_name_words, repeated_parts


def _english(word: str) -> bool:
    return word.casefold() in {"windows", "office", "item", "total", "chrome", "sprint", "gate", "terminal",
                               "monitors", "version", "build", "tests"}


def _never_a_word(word: str) -> bool:
    return False


def test_parts_of_a_full_name_are_found_again() -> None:
    text = "Affected: Tine Goossens. Please call Tine when on site. Goossens knows."
    start = text.index("Tine Goossens")
    assert [text[a:b] for a, b in repeated_parts(text, [(start, start + 13)], _never_a_word)] == ["Tine", "Goossens"]


def test_a_part_that_is_a_word_is_not_taken_at_a_sentence_start() -> None:
    text = "Will Smith called. Will you call him back?"
    assert repeated_parts(text, [(0, 10)], lambda w: w == "Will") == []


def test_capitalised_neighbours_of_a_name() -> None:
    text = "I am Dakota Bauer, she is Rita Xylander"
    bauer = text.index("Bauer")
    rita = text.index("Rita")
    found = adjacent_name_words(text, [(bauer, bauer + 5), (rita, rita + 4)], _never_a_word)
    assert sorted(text[a:b] for a, b in found) == ["Dakota", "Xylander"]


@pytest.mark.parametrize(("text", "name"), [
    ("Von: Florence Hertrampf <fhertrampf@aol.de>\nGesendet: Freitag", "Florence Hertrampf"),
    ("Kontaktformular\nVorname: Dieter\nNachname: Scholl\n", "Scholl"),
    ("Appel de M. Besançon à 13:50 : souhaite modifier l'adresse", "M. Besançon"),
    ("Customer OK with the delay. - Kai", "Kai"),
    ("please remove alice wicht from our account, she left", "alice wicht"),
    ("Affected users: Tine Goossens, Thomas Van der Auwera.", "Thomas Van der Auwera"),
    ("me and my flatmates fábio, bruna and fabiana all got charged", "fabiana"),
    ("hi, hier ist angelo. mein router geht nicht", "angelo"),
    ("I'm staying there until May:\nBerra Scherer\nChris-Pöschl-Platz 4\n9049 Vöcklabruck", "Berra Scherer"),
])
def test_names_in_forms_headers_signatures_and_lowercase(redacted: object, text: str, name: str) -> None:
    assert name in redacted(text)  # type: ignore[operator]


@pytest.mark.parametrize(("text", "not_a_name"), [
    ("Sehr geehrte Damen und Herren,\n\nmeine Bestellung ist nicht angekommen. Laut Sendungsverfolgung wurde "
     "das Paket zugestellt.\n\nMit freundlichen Grüßen\nGregor Zauner", "Laut Sendungsverfolgung"),
    ("helo, mein router geht nicht, bitte arreglarlo ya porfa", "mein router"),
    ("The WAN IP changed and I get ERR_CONNECTION_RESET in Safari", "WAN IP"),
    ("Please invoice Castellana Seguros S.L. for the repair", "Castellana Seguros S.L."),
    ("Mein Passwort: Sommer2024!", "Mein"),
])
def test_words_the_small_english_model_calls_people_are_kept(redacted: object, text: str, not_a_name: str) -> None:
    spans = redacted(text)  # type: ignore[operator]
    assert not any(not_a_name in s or s in not_a_name for s in spans if s.strip())


@pytest.mark.parametrize("text", ["we need milk, eggs and bread today", "Ostara Foods BV\nWarmerallee 7\n37959 Soest",
                                  "Invoice missing - Urgent", "VPN down - Critical"])
def test_lists_company_lines_and_subject_suffixes_are_not_names(redacted: object, text: str) -> None:
    spans = redacted(text)  # type: ignore[operator]
    assert not any(w in s for s in spans for w in ("milk", "Ostara", "Urgent", "Critical"))


def test_names_in_german_text_still_found(redacted: object) -> None:
    text = "Hallo,\n\nich habe nichts erhalten.\n\nMit freundlichen Grüßen\nGregor Zauner"
    assert "Gregor Zauner" in redacted(text)  # type: ignore[operator]


@pytest.mark.parametrize(("text", "address"), [
    ("Ruy Calvo, Urbanización Agustina Rivera 37, Valencia, 18571, tel. 1",
     "Urbanización Agustina Rivera 37, Valencia, 18571"),
    ("my old address (Flat 66, Fuller Fields, West Leighport, EC11 3QE), could you",
     "Flat 66, Fuller Fields, West Leighport, EC11 3QE"),
    ("For identification: Austin Stewart, 22 Jones Bridge, Brandifort, SA, 2653, e-mail",
     "22 Jones Bridge, Brandifort, SA, 2653"),
    ("It was delivered to Unit 88 5 Walker Spur, Lake April, TAS, 2685, which",
     "Unit 88 5 Walker Spur, Lake April, TAS, 2685"),
    ("[16:14] Tobiasz: ul. Mazurska 38, 36-176 Białystok\n", "ul. Mazurska 38, 36-176 Białystok"),
    ("Nouvelle adresse :\nrue Martin\n26905 Boucherville\nMerci", "rue Martin\n26905 Boucherville"),
    ("souhaite modifier l'adresse de facturation pour avenue de Grégoire, 61455 Hebert.",
     "avenue de Grégoire, 61455 Hebert"),
])
def test_one_line_addresses_anchored_by_a_postcode(text: str, address: str) -> None:
    found = [text[r.start : r.end] for r in InlineAddressRecognizer(_english).analyze(text, [])]
    assert found == [address]


@pytest.mark.parametrize("text", [
    "I paid 30, then 40, now 12345 Euro",
    "Order 5, item 7, total 12500",
    "start date Aug 26, 2023, manager Robin",
    "Raum 4.12, Durchwahl 4949",
    "version 2, build 5, 10200 tests passed",
    "Windows 11, Office 2021",
    "Gate 12, Terminal 2, 1234",
    "We upgraded 15 Dec, 2024",
    "shipped via DHL, 12345",
])
def test_comma_lists_that_are_not_addresses(text: str) -> None:
    assert InlineAddressRecognizer(_english).analyze(text, []) == []


def test_ssn_after_its_label_without_dashes() -> None:
    rec = LabelledIdRecognizer()
    text = "New hire Jennifer Anderson: SSN 191839315, start date May 6"
    assert [(r.entity_type, text[r.start : r.end]) for r in rec.analyze(text, [])] == [("US_SSN", "191839315")]
    assert rec.analyze("SSN ticket 12345 reopened", []) == []  # not nine digits
