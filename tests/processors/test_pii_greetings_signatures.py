"""Names that the lexicon also holds as common words, found by where they stand: a greeting's addressee, the line
above a job title, a surname typed in lowercase after a given name."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from processors.pii import PiiConfig
from processors.pii.names import NameRecognizer
from processors.pii.stage import _english_word_test

_RECOGNIZER = NameRecognizer(is_word=_english_word_test(PiiConfig().spacy_model))


def names(text: str) -> list[str]:
    return sorted(text[r.start : r.end] for r in _RECOGNIZER.analyze(text, ["PERSON"]))


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


@pytest.mark.parametrize(("text", "name"), [
    ("[10:31] Agent: Thanks Chase! And the phone number on the order?", "Chase"),  # thanks, like a greeting
    ("Change of name on account\nPrevious name: Ruby Church\nReason: marriage", "Ruby Church"),
    ("replacement, never came. - M.Breugelmans, Hasselt", "M.Breugelmans"),  # a dash signature with an initial
    ("never came. - E. Stoll, Frankfurt", "E. Stoll"),
])
def test_thanks_former_names_and_initialled_signatures(text: str, name: str) -> None:
    assert name in names(text)


@pytest.mark.parametrize(("text", "surname"), [
    ("Cordialement,\nIlona LUCAS", "LUCAS"),
    ("Please write my name exactly as in my passport: Bautista RODRIGUEZ SOSA. Thank you!", "RODRIGUEZ SOSA"),
])
def test_a_surname_in_capitals_after_a_given_name(redacted: Callable[[str], list[str]], text: str,
                                                   surname: str) -> None:
    assert surname in redacted(text)


@pytest.mark.parametrize("text", ["Maria URGENT please call back", "Sara PLEASE check the VPN",
                                  "Thanks Oliver FYI the printer is fixed"])
def test_capitals_after_a_given_name_that_are_words_or_acronyms(redacted: Callable[[str], list[str]],
                                                                 text: str) -> None:
    assert not any(w.isupper() and len(w) > 2 for v in redacted(text) for w in v.split())


@pytest.mark.parametrize(("text", "name"), [
    ("Please add Faith Lake and Amber Young to the list.", "Faith Lake"),
    ("I am Crystal Hill, a customer since 2009.", "Crystal Hill"),
    ("Hi,\n\nRich Love from our warehouse will be the contact.", "Rich Love"),
])
def test_a_given_name_that_is_a_word_then_a_surname(text: str, name: str) -> None:
    assert name in names(text)


@pytest.mark.parametrize("text", ["I ordered the Rose Gold model but got silver.",  # after a determiner
                                  "Is there a Grace Period for late payments?",     # no surname after it
                                  "My Chase Bank card was declined."])
def test_a_given_name_that_is_a_word_before_other_words(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(("text", "name"), [
    ("Can ye sort it out?\n\nTa,\nJade", "Jade"),                # the line under a sign-off
    ("Danke und Gruß\nIvy\n\n--\nIvy Bird", "Ivy"),
    ("Hello,\n\nMy daughter May is enrolled in your course", "May"),  # named after a relative
    ("Vehicle return inspection\nRenter: Harper, Garrett\nDriver license #: 917630192", "Harper, Garrett"),
])
def test_sign_offs_relatives_and_surname_first_fields(text: str, name: str) -> None:
    assert name in names(text)


@pytest.mark.parametrize("text", [
    "Thanks,\nThe Support Team",                  # no given name under the sign-off
    "Location: Paris, Texas",                     # not a person field
    "my daughter's school is closed",             # no name after the relative
    "My son Minecraft account was hacked",        # no lexicon name after the relative
    "Best regards,\nVirginia Beach Branch",       # a branch, not a person
    "Requester: Finance, Charlotte",              # a department, not a surname
    "Previous name: Sales Dashboard",             # a renamed thing
    "Grant Access\nAdministrator rights needed",  # a sentence, not a job title line
])
def test_no_name_under_a_sign_off_or_in_other_fields(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(("text", "name"), [
    ("Don't go to town, Heather!", "Heather"),
    ("Any news on my refund, Summer?", "Summer"),
])
def test_a_given_name_called_after_a_comma_at_a_sentence_end(text: str, name: str) -> None:
    assert name in names(text)


@pytest.mark.parametrize("text", ["It works fine on Windows, Office.", "Restarted it twice, Nothing."])
def test_words_after_a_comma_at_a_sentence_end_are_no_names(text: str) -> None:
    assert names(text) == []
