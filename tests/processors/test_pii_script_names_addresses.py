"""Names and postal addresses in Greek and Cyrillic letters, inside English tickets."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from processors.pii.address_script import ScriptAddressRecognizer
from processors.pii.names import NameRecognizer
from processors.pii.script_names import ScriptNameRecognizer


def names(text: str) -> list[str]:
    return [text[r.start : r.end] for r in ScriptNameRecognizer().analyze(text, [])]


def addresses(text: str) -> list[str]:
    return [text[r.start : r.end] for r in ScriptAddressRecognizer().analyze(text, [])]


@pytest.mark.parametrize(("text", "name"), [
    ("Thanks,\nΞανθίππη Κοντογεωργάκη\nHead of Operations", "Ξανθίππη Κοντογεωργάκη"),
    ("Requester: Виктория Некрасова <vnekrasova@outlook.com>", "Виктория Некрасова"),
    ("SHIP TO:\nИЗЯСЛАВ АФАНАСЬЕВ\nНАБ. ДЗЕРЖИНСКОГО, Д. 50", "ИЗЯСЛАВ АФАНАСЬЕВ"),
    ("for the attention of Ms. Анисимова", "Анисимова"),
    ("Contact on site: Άρης 690 385 4367", "Άρης"),          # a phone number after a name is no house number
    ("I'm reachable most mornings.\n\nОксана\n\n--\nОксана Мамчур", "Оксана"),
    ("Клиент Мария Иванова, 2 заказа не доставлены.", "Мария Иванова"),  # a count after a name is no house number
])
def test_names_in_greek_and_cyrillic(text: str, name: str) -> None:
    assert name in names(text)


@pytest.mark.parametrize("text", [
    "Organization: ООО «Северный Ветер»",     # a company in quotes after its legal form
    "Supplier: Μαυροπούλου Ι.Κ.Ε.",           # a Greek legal form after it
    "ул. Бульварная, д. 19",                   # a street: its marker before, its number after
    "Ζίτσης 28, 456 97 Ιωάννινα",
    "г. Нижний Новгород",                      # a town
    "The word Привет means hello",             # one word in running text
])
def test_companies_streets_towns_and_words_are_no_names(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(("text", "address"), [
    ('Custom field "Shipping address": пр. Труда, д. 7, кв. 189, г. Воронеж, 394111',
     "пр. Труда, д. 7, кв. 189, г. Воронеж, 394111"),
    ("I live at\nвул. Чорноморський 1-й, 168, кв. 146, м. Одеса, 65589 and was home all day.",
     "вул. Чорноморський 1-й, 168, кв. 146, м. Одеса, 65589"),
    ("SHIP TO:\nІРЕНА ІЛЬЧЕНКО\nВУЛ. 9-ТА ЛІНІЯ ДАЧІ КОВАЛЕВСЬКОГО, 35, КВ. 122\nМ. ХАРКІВ\n61619\nTEL (044) 280-02-18",
     "ВУЛ. 9-ТА ЛІНІЯ ДАЧІ КОВАЛЕВСЬКОГО, 35, КВ. 122\nМ. ХАРКІВ\n61619"),
    ("RMA|R-94428|Υάκινθος Ρήνος|Μυρωνίων 59, 732 00 Χανιά|6950377284", "Μυρωνίων 59, 732 00 Χανιά"),
    ("Μαυροπούλου Ι.Κ.Ε. · Λεωφ. Παππάδου 7, 267 24 Πάτρα", "Λεωφ. Παππάδου 7, 267 24 Πάτρα"),
])
def test_russian_ukrainian_and_greek_addresses(text: str, address: str) -> None:
    assert addresses(text) == [address]


@pytest.mark.parametrize(("text", "street"), [
    ("The invoice still shows Λεωφ. Ηρώων Πολυτεχνείου 19 but I moved.", "Λεωφ. Ηρώων Πολυτεχνείου 19"),
    ("Malou and Λεωφόρος Β. Αλεξάνδρου 189", "Λεωφόρος Β. Αλεξάνδρου 189"),
    ("Λ. Μιχαλακοπούλου 171 Grandpré Street", "Λ. Μιχαλακοπούλου 171"),
])
def test_a_greek_street_with_its_type_needs_no_postcode(text: str, street: str) -> None:
    assert addresses(text) == [street]


@pytest.mark.parametrize("text", ["Мы получили 5 заказов, 3 из них пришли.", "Версия 2, сборка 17",
                                  "Παραγγελία 12, 345 67 τεμάχια"])
def test_numbers_in_greek_and_cyrillic_sentences_are_no_addresses(text: str) -> None:
    assert addresses(text) == []


def test_the_stage_redacts_them(redacted: Callable[[str], list[str]]) -> None:
    text = "Please deliver to:\nМарта Франко\nвул. Мала Арнаутська, 51, кв. 147\nм. Львів\n79518\n\nThank you"
    assert redacted(text) == ["Марта Франко", "вул. Мала Арнаутська, 51, кв. 147\nм. Львів\n79518"]


@pytest.mark.parametrize("text", ["\n" + " " * 20000 + "x", "thanks" + "\t" * 20000 + "x",
                                  "Ж contact" + " " * 20000 + "x", "Anna Berg" + " " * 20000 + "\nManager",
                                  "Λεωφ." + " " * 20000 + "Ηρώων" + " " * 20000 + "Πολυτεχνείου" + " " * 20000 + "x"])
def test_long_blank_runs_stay_linear(text: str) -> None:
    names, script_names = NameRecognizer(), ScriptNameRecognizer()  # loading the lexicons is not what is timed
    start = time.process_time()
    names.analyze(text, [])
    script_names.analyze(text, [])
    assert time.process_time() - start < 2.0  # 9.6 s and 5.7 s before the quantifiers were made possessive
