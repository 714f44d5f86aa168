"""Local phone numbers after a phone cue, identity numbers after their label, names, NER gate, digit gates."""

from __future__ import annotations

import pytest

from processors.pii.gating import GatedUsSsnRecognizer
from processors.pii.labelled_ids import LabelledIdRecognizer
from processors.pii.names import NameRecognizer, lowercase_given_names
from processors.pii.ner_gate import may_hold_name
from processors.pii.phone_context import ContextPhoneRecognizer
from processors.pii.recognizers import PhoneNumberRecognizer, has_digit_run


def spans(rec: object, text: str) -> list[tuple[str, str]]:
    return [(r.entity_type, text[r.start:r.end]) for r in rec.analyze(text, [])]  # type: ignore[attr-defined]


@pytest.mark.parametrize(("text", "number"), [
    ("Nobody is answering at 785 8949 since Monday", "785 8949"),
    ("call me back on (32) 484-557 please", "(32) 484-557"),
    ("Tel: 25-62-29-72", "25-62-29-72"),
    ("my mobile is +44 7700 900123", "+44 7700 900123"),
    ("My cell is 29 40 13", "29 40 13"),              # six digits of a small exchange, grouped, after a phone word
    ("call me back on 87 33 30 please", "87 33 30"),
    ("Mijn telefoon is 29 40 13", "29 40 13"),
    ("Il mio cellulare è 29 40 13", "29 40 13"),
])
def test_local_numbers_after_a_phone_cue(text: str, number: str) -> None:
    assert spans(ContextPhoneRecognizer(), text) == [("PHONE_NUMBER", number)]


@pytest.mark.parametrize("text", [
    "order 785 8949 has not arrived",             # no cue
    "call me about invoice 12 from 2024-03-05",    # too few digits / a date
    "I called on 12/03/2024 and again later",      # a date after the cue
    "phone broke after update 1.2.3",               # a version
    "call me about order 123 456 please",           # six digits after other words than a phone's
    "call me back, ticket 12 34 56 is still open",
    "text me the code 123456",                      # six digits ungrouped: a code
    "Number: 19 89 44",                             # six digits after a word that names no phone
    "The phone was 300-400 euros cheaper",          # a range, a unit after it
    "Missed call at 14 32 05",                      # a time after "at"
    "Please call on 12 05 24",                      # a date after "on"
    "SMS: 482 913 is the code I got",               # where codes arrive
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


NAMES = NameRecognizer()


def names(text: str) -> list[str]:
    return sorted(text[r.start:r.end] for r in NAMES.analyze(text, []))


@pytest.mark.parametrize(("text", "name"), [
    ("Dariusz, can I please speak to your boss?", "Dariusz"),         # a Polish given name, no cue
    ("Kateřina spent a year at the office", "Kateřina"),
    ("please correct it to Mr. John Hansen?", "Mr. John Hansen"),     # the title is part of the span
    ("hello, this is mr. chad farmer. who are you?", "mr. chad farmer"),
    ("i'm so jealous! said petra to him", "petra"),                   # lowercase text, name not a word
    ("we need to add christine fiorentino as guardian", "christine fiorentino"),
    ("Date: 1984-06-15\nName: Crystal Grant\nPhone: 0688 777 97 84", "Crystal Grant"),  # a form field
    ("Customer name = ruby lee\n", "ruby lee"),                     # name words are names in a name field
    ("As promised, here's Zlata Horvat's address:", "Zlata Horvat"),  # owner of an address
    ("Can you send Božica's phone number?", "Božica"),              # lexicon name with a possessive
    ("as promised, here's petra's email", "petra"),
    ("as RR commenter Paul van der Voet points out", "Paul van der Voet"),  # surname particles
    ("what's your name? mark pinto", "mark pinto"),
    ("she named him randy", "randy"),
    ("mr solana complained twice.", "mr solana"),                   # a title without its period
    ("Ask Zacco about the refund.", "Zacco"),                        # a person-directed verb as the cue
])
def test_names_without_cues_titles_and_lowercase(text: str, name: str) -> None:
    assert name in names(text)


@pytest.mark.parametrize("text", [
    "i had a dr. appointment today",                 # a title before a non-name
    "i want to ask for refunds on my order",         # "ask for" takes capitalised names only
    "the order will ship in may, mark it urgent",    # lowercase name-words are words
    "can i get my bil for the last month",           # short lowercase tokens are typos, not names
    "Please Reset The Password For The Admin Account",
    "My driver's license number is on file",          # an English word owning a licence is no name
    "in case of my child's account, add a guardian",
    "Amazon's phone number is busy",                   # companies have phone numbers: lexicon names only
    "the Company's address changed",                   # ... and addresses and licences
    "Microsoft's license expired",
    "please escalate this to Billing",                 # teams are not people
    "Ask Finance about the refund.",
    "Name: N/A",
    "500 ms latency since the upgrade",
    "ms teams is down again",
    "Username: helpdesk\nFile name: invoice",         # other kinds of name fields
])
def test_words_that_are_not_names(text: str) -> None:
    assert names(text) == []


def test_ner_gate_skips_texts_without_name_candidates() -> None:
    given = lowercase_given_names()
    assert not may_hold_name("I need a refund for order 1234, thanks", given)
    assert may_hold_name("Please ask Dariusz about it", given)
    assert may_hold_name("said petra to him", given)  # lowercase, but a given name


def test_digit_gates_skip_texts_that_cannot_match() -> None:
    assert not has_digit_run("call me at five") and has_digit_run("call 555-0100")
    assert GatedUsSsnRecognizer().analyze("no numbers here at all", ["US_SSN"]) == []
    ssn = GatedUsSsnRecognizer().analyze("my ssn is 536-22-8431", ["US_SSN"])
    assert [(r.start, r.end) for r in ssn] == [(10, 21)]


PHONES = PhoneNumberRecognizer()


def phones(text: str) -> list[str]:
    return sorted(text[r.start:r.end] for r in PHONES.analyze(text, []))


@pytest.mark.parametrize(("text", "phone"), [
    ("it's +371 83016613 for the front desk", "+371 83016613"),       # unknown plan, country code written
    ("front desk (+57)6061049746 tomorrow", "(+57)6061049746"),
    ("front desk +(370) 26018159 tomorrow", "+(370) 26018159"),
    ("ask for +90 (390) 9960308 at reception", "+90 (390) 9960308"),
    ("the site office, (875)749-1186, is open", "(875)749-1186"),     # North American shape, unassigned area
    ("or 685-995-2890 x92 after five", "685-995-2890 x92"),
])
def test_phones_without_a_phone_word(text: str, phone: str) -> None:
    assert phones(text) == [phone]


@pytest.mark.parametrize("text", [
    "upgrade to +3.2.1 fixed it",
    "we gained +1500 users",
    "order 1234-5678 shipped",
    "ssn 536-22-8431 on file",        # the SSN recognizer's, not a phone
    "build 2024.11.25-1234567",
])
def test_numbers_that_are_not_phones(text: str) -> None:
    assert phones(text) == []
