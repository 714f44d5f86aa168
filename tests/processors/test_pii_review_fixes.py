"""Cases a review of the third-set rules found: ordinary ticket text they redacted, and inputs that stalled them."""

from __future__ import annotations

import json
import time

import pytest

from processors.pii import PiiConfig, PiiStage
from processors.pii.labelled_ids import LabelledIdRecognizer
from processors.pii.shouting import recase_shouting
from processors.pii.table_columns import TableColumnRecognizer


@pytest.mark.parametrize("text", [
    "Home router at 10.10.100.254 keeps dropping.",
    "Work laptop is on build 10.0.19045.3693 now.",
    "Office 2019 Professional Plus 16.0.10827.20138",
    "Message id 2024.05.06.1234 bounced.",
    "Our office has 1 200 000 users",
    "Direct deposit of 1.234.567 EUR",
    "Direct debit mandate 123 456 789",
    "Home Depot order W123 456 7890",
    "Your messages 2024 05 06",
])
def test_words_that_are_phone_cues_only_right_before_a_number(redacted, text: str) -> None:  # type: ignore[no-untyped-def]
    assert redacted(text) == []


def test_home_and_work_right_before_their_numbers_still_count(redacted) -> None:  # type: ignore[no-untyped-def]
    assert redacted("Office: 030 1234 5678, direct 0171 234 5678") == ["030 1234 5678", "0171 234 5678"]


def _licences(text: str) -> list[str]:
    return [text[r.start : r.end] for r in LabelledIdRecognizer().analyze(text, [])]


def test_a_software_licence_is_no_driving_licence() -> None:
    assert _licences("Your Microsoft 365 license was renewed, order is 1234-5678-9012.") == []
    assert _licences("Windows license is activated as 4471-2231-9987.") == []
    assert _licences("We checked the licence and it was 2024 0506 ok") == []
    assert _licences("Your licence O880-5896-3426 expires soon.") == ["O880-5896-3426"]  # "Your" is no product
    assert _licences("The rental desk needs a valid licence, we have yours as U838-7901-1449.") == ["U838-7901-1449"]


def _cells(text: str) -> list[str]:
    return [text[r.start : r.end] for r in TableColumnRecognizer().analyze(text, [])]


def test_table_headers_with_column_numbers_markdown_rules_and_prose() -> None:
    assert _cells("first_name,last_name,phone_2\nEadaoin,Hely,(347)909-0734") == ["Eadaoin", "Hely", "(347)909-0734"]
    table = "| name | email | plan |\n|---|:---|---|\n| Zuzana Kovac | zk@example.org | Pro |"
    assert _cells(table) == ["Zuzana Kovac", "zk@example.org"]
    assert _cells("Fields missing: name, email, phone\nWe will add them today, tomorrow, or Monday") == []
    assert _cells("product,owner,status\nRouter X200,IT,active") == []  # a team's acronym, no person


def test_lines_in_capitals_of_other_languages_are_not_recased(redacted) -> None:  # type: ignore[no-untyped-def]
    assert redacted("BITTE PRÜFEN SIE DAS KONTO") == []
    assert redacted("STRASSE GESPERRT WEGEN BAUARBEITEN") == []
    assert redacted("APPLICANT: KRISTEN ODOM") == ["KRISTEN ODOM"]  # names and a label alone: re-cased


def test_a_street_type_and_a_number_alone_and_names_before_a_role(redacted) -> None:  # type: ignore[no-untyped-def]
    assert redacted("We bought a gift card at Rue 21 last week.") == []
    assert redacted("Does anyone have the address for Sarah The Office Manager?") == ["Sarah"]


@pytest.mark.parametrize("text", [
    "SSN " + "A1B2-" * 4000,  # one 20,000-character token: address words were re-read from every letter
    "1 x1 " * 4000,  # thousands of number-like results: Presidio's context step walked every token for each
    "PLEASE CHECK THIS KEY " + "Q" * 8000,  # a long word in capitals: the typo check grows with its square
])
def test_pathological_bodies_do_not_stall_the_stage(redacted, text: str) -> None:  # type: ignore[no-untyped-def]
    started = time.process_time()
    redacted(text)
    assert time.process_time() - started < 20  # 164 s, 15 s and 6.6 s before; ~2 s, ~1 s and 0.1 s now


def test_text_with_no_shouting_line_is_returned_as_it_is() -> None:
    text = "ABCD\nEFGH"  # eight capitals in all, no line with eight: nothing to re-case, and no second analysis
    assert recase_shouting(text) is text


def test_lazy_artifacts_serialise_like_presidios() -> None:
    artifacts = PiiStage(PiiConfig()).analyzer.nlp_engine.process_text("Call John Smith, SSN 123-45-6789", "en")
    dumped = json.loads(artifacts.to_json())
    assert sorted(dumped) == ["entities", "keywords", "lemmas", "scores", "tokens", "tokens_indices"]
    assert dumped["lemmas"][:3] == ["call", "john", "smith"] and "ssn" in dumped["keywords"]
