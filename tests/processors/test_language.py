"""Language stage on plain data: the restricted set, confidence, placeholders, empty text."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from processors.base import Ok
from processors.language import LanguageConfig, LanguageStage
from processors.language.stage import detection_text
from schemas import EventType, RedactedTicket, Source


def ticket(subject: str, body: str, n: int = 1) -> RedactedTicket:
    return RedactedTicket(tenant_id="acme", source=Source.zendesk, ticket_id=f"T{n}", event_id=f"E{n}",
                          event_type=EventType.created, occurred_at=datetime(2026, 11, 2, tzinfo=UTC), subject=subject,
                          body=body)


@pytest.fixture(scope="module")
def stage() -> LanguageStage:
    return LanguageStage()


@pytest.mark.parametrize(
    ("subject", "body", "expected"),
    [
        ("Bestellung stornieren", "Ich möchte meine Bestellung stornieren, bitte.", "de"),
        ("Annuler ma commande", "Bonjour, je voudrais annuler ma commande.", "fr"),
        ("Cancelar pedido", "Hola, quiero cancelar mi pedido, me equivoqué de talla.", "es"),
        ("Refund", "I returned the item two weeks ago and still have no refund.", "en"),
        ("", "Gostaria de cancelar a minha encomenda, por favor.", "pt"),
        ("", "Vorrei annullare il mio ordine, per favore.", "it"),
        ("", "Ik wil mijn bestelling annuleren, alstublieft.", "nl"),
    ],
)
def test_detects_languages_of_the_set(stage: LanguageStage, subject: str, body: str, expected: str) -> None:
    [result] = stage.process([ticket(subject, body)])
    assert isinstance(result, Ok)
    assert result.value.language.code == expected
    assert 0.5 < result.value.language.confidence <= 1.0


def test_placeholders_are_not_words(stage: LanguageStage) -> None:
    text = "Bitte rufen Sie mich an <PERSON_1> <PHONE_NUMBER_1> <EMAIL_ADDRESS_1>"
    assert "<" not in detection_text(ticket("", text))
    [result] = stage.process([ticket("", text)])
    assert isinstance(result, Ok) and result.value.language.code == "de"


def test_empty_text_is_undetermined_not_a_failure(stage: LanguageStage) -> None:
    [result] = stage.process([ticket("", "<PERSON_1>")])
    assert isinstance(result, Ok)
    assert result.value.language.code == "und"
    assert result.value.language.confidence == 0.0


def test_order_and_fields_kept(stage: LanguageStage) -> None:
    batch = [ticket("", "Where is my parcel?" if i % 2 else "Wo bleibt mein Paket?", i) for i in range(20)]
    results = stage.process(batch)
    assert [r.value.event_id for r in results if isinstance(r, Ok)] == [t.event_id for t in batch]
    assert [r.value.language.code for r in results if isinstance(r, Ok)] == ["de", "en"] * 10
    assert results[0].value.body == batch[0].body  # type: ignore[union-attr]


def test_restricted_set_only_returns_its_languages() -> None:
    stage = LanguageStage(LanguageConfig(languages=["en", "de"], fallback=False))
    [result] = stage.process([ticket("", "Bonjour, je voudrais annuler ma commande.")])
    assert isinstance(result, Ok) and result.value.language.code in {"en", "de"}


def test_unknown_language_code_is_a_clear_error() -> None:
    with pytest.raises(ValidationError, match="xx"):
        LanguageConfig(languages=["en", "xx"])
