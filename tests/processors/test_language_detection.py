"""Language stage beyond the basics: fallback, quoted replies, short text, per-tenant sets, confidence."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from processors.base import Ok
from processors.language import LanguageConfig, LanguageDetection, LanguageStage, tenant_configs
from processors.language.customer_text import customer_text, newest_reply
from schemas import DetectedTicket, EventType, RedactedTicket, Source


def ticket(subject: str, body: str, n: int = 1, tenant: str = "acme") -> RedactedTicket:
    return RedactedTicket(tenant_id=tenant, source=Source.email, ticket_id=f"T{n}", event_id=f"E{n}",
                          event_type=EventType.created, occurred_at=datetime(2026, 11, 2, tzinfo=UTC), subject=subject,
                          body=body)


def detected(stage: LanguageStage, t: RedactedTicket) -> DetectedTicket:
    [result] = stage.process([t])
    assert isinstance(result, Ok)
    return result.value


@pytest.fixture(scope="module")
def stage() -> LanguageStage:
    return LanguageStage()


FRENCH = "Bonjour, je voudrais annuler ma commande et être remboursé le plus vite possible, merci beaucoup."
POLISH = "Dzień dobry, chciałbym anulować moje zamówienie i otrzymać zwrot pieniędzy. Dziękuję bardzo."


# --- restricted set and fallback ------------------------------------------------------------------------

def test_fallback_reports_a_language_outside_the_set() -> None:
    en_de = LanguageConfig(languages=["en", "de"])
    assert detected(LanguageStage(en_de), ticket("", FRENCH)).language.code == "fr"
    assert detected(LanguageStage(en_de.model_copy(update={"fallback": False})), ticket("", FRENCH)).language.code in {
        "en", "de"}


def test_fallback_to_a_configured_wider_list() -> None:
    config = LanguageConfig(languages=["en", "de"], fallback_languages=["en", "de", "pl", "cs"])
    result = detected(LanguageStage(config), ticket("", POLISH)).language
    assert result.code == "pl"
    assert result.confidence >= config.fallback_min_confidence


def test_other_script_falls_back_instead_of_und(stage: LanguageStage) -> None:
    result = detected(stage, ticket("", "Здравствуйте, я хочу отменить мой заказ и получить деньги обратно.")).language
    assert result.code == "ru"
    assert 0.0 < result.confidence <= 1.0


def test_short_text_keeps_the_restricted_answer_even_when_unsure(stage: LanguageStage) -> None:
    # Two words: the broad detector is never trusted on so little text; the answer stays in the set.
    result = detected(stage, ticket("", "Danke schön")).language
    assert result.code == "de"


def test_in_set_sentences_are_not_overruled_by_the_fallback() -> None:
    detection = LanguageDetection(LanguageConfig(languages=["es", "pt", "nl", "de"]))
    texts = ["Quiero cancelar mi pedido porque llegó roto.", "A minha encomenda ainda não chegou, podem ajudar?",
             "Mijn pakket is nog steeds niet bezorgd.", "Mein Passwort funktioniert nicht mehr."]
    assert [r.code for r in detection.detect(texts)] == ["es", "pt", "nl", "de"]


# --- mixed-language tickets: the customer's newest text decides ----------------------------------------

GERMAN_REPLY_TO_ENGLISH = """Vielen Dank, aber das Problem besteht weiterhin. Die Rechnung ist immer noch falsch.

On Mon, 3 Nov 2026 at 10:02, <PERSON_1> <EMAIL_ADDRESS_1>
wrote:
> Hello, thank you for contacting us. We have corrected your invoice and sent it again.
> Please let us know if there is anything else we can do for you.
> Kind regards, the support team of the shop, available every day of the week
"""

ENGLISH_REPLY_TO_GERMAN_OUTLOOK = """Sorry, I do not speak German. Could you answer in English please?

-----Ursprüngliche Nachricht-----
Von: Support <EMAIL_ADDRESS_1>
Gesendet: Montag, 3. November 2026 10:02
Betreff: Ihre Bestellung
Sehr geehrte Damen und Herren, vielen Dank für Ihre Nachricht. Wir haben Ihre Bestellung storniert und
die Rückerstattung veranlasst. Sie erhalten das Geld innerhalb von fünf Werktagen auf Ihr Konto zurück.
Mit freundlichen Grüßen, Ihr Kundenservice
"""

FRENCH_REPLY_TO_SPANISH = """Je n'ai toujours pas reçu mon colis, pouvez-vous vérifier s'il vous plaît ?

Envoyé de mon iPhone

El lun., 3 nov. 2026 a las 10:02, Soporte (<EMAIL_ADDRESS_1>) escribió:
Hola, gracias por escribirnos. Su pedido fue enviado ayer y llegará en tres días hábiles.
Saludos cordiales, el equipo de atención al cliente de la tienda en línea
"""

SPANISH_REPLY_TO_FRENCH = """Hola, sigo sin recibir el reembolso de mi pedido, ¿pueden revisarlo?

Le lun. 3 nov. 2026 à 10:02, Service client <EMAIL_ADDRESS_1> a écrit :
Bonjour, nous avons bien reçu votre demande et nous avons lancé le remboursement aujourd'hui même.
Cordialement, le service client de la boutique en ligne
"""

DUTCH_BOTTOM_POSTED = """Am 03.11.2026 um 10:02 schrieb Kundenservice <EMAIL_ADDRESS_1>:
> Guten Tag, vielen Dank für Ihre Anfrage. Wir haben Ihre Bestellung storniert und erstatten den Betrag.
> Bitte haben Sie noch etwas Geduld, die Gutschrift dauert in der Regel fünf Werktage.

Ik spreek geen Duits. Kunt u mij alstublieft in het Nederlands antwoorden?
"""


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (GERMAN_REPLY_TO_ENGLISH, "de"),
        (ENGLISH_REPLY_TO_GERMAN_OUTLOOK, "en"),
        (FRENCH_REPLY_TO_SPANISH, "fr"),
        (SPANISH_REPLY_TO_FRENCH, "es"),
        (DUTCH_BOTTOM_POSTED, "nl"),
    ],
)
def test_quoted_history_does_not_decide(stage: LanguageStage, body: str, expected: str) -> None:
    assert detected(stage, ticket("Re: Bestellung", body)).language.code == expected


def test_newest_reply_strips_history_signature_and_device_line() -> None:
    body = "Thanks, it works now.\n\n-- \n<PERSON_1>\nKundendienst GmbH\n\nSent from my iPhone\n> alt"
    assert newest_reply(body).strip() == "Thanks, it works now."
    assert "escribió" not in newest_reply(FRENCH_REPLY_TO_SPANISH)
    assert "iPhone" not in newest_reply(FRENCH_REPLY_TO_SPANISH)
    assert "Guten Tag" not in newest_reply(DUTCH_BOTTOM_POSTED)
    assert "Ik spreek geen Duits" in newest_reply(DUTCH_BOTTOM_POSTED)


def test_only_history_still_detected(stage: LanguageStage) -> None:
    # A forward with no words of its own: the quoted text is the only evidence.
    body = "> Guten Tag, meine Bestellung ist leider beschädigt angekommen.\n> Bitte um Rückerstattung."
    assert detected(stage, ticket("WG: Bestellung", body)).language.code == "de"


# --- short texts -----------------------------------------------------------------------------------------

def test_short_body_is_combined_with_the_subject() -> None:
    assert customer_text("AW: Rechnung falsch berechnet", "Danke!") == "Rechnung falsch berechnet Danke!"
    assert customer_text("Order", "Ich habe meine Bestellung nicht erhalten, bitte helfen") == (
        "Ich habe meine Bestellung nicht erhalten, bitte helfen")


def test_three_word_subject_without_body(stage: LanguageStage) -> None:
    result = detected(stage, ticket("Passwort zurücksetzen funktioniert", "")).language
    assert result.code == "de"


def test_nothing_usable_is_und_with_zero_confidence(stage: LanguageStage) -> None:
    for subject, body in [("", ""), ("#12345", "<PERSON_1> <PHONE_NUMBER_1> https://x.example/a 2026-11-03"),
                          ("Re:", "> ")]:
        result = detected(stage, ticket(subject, body)).language
        assert (result.code, result.confidence) == ("und", 0.0)


def test_urls_emails_and_numbers_are_not_words() -> None:
    text = customer_text("", "Bestellung 4711-AB https://shop.example.com/orders?id=5 info@shop.example wo ist sie")
    assert text == "Bestellung wo ist sie"


# --- per-tenant sets --------------------------------------------------------------------------------------

def test_per_tenant_language_sets_in_one_stage() -> None:
    base = LanguageConfig(languages=["en", "de"], fallback=False)
    tenants = tenant_configs(base, {"globex": {"languages": ["es", "pt"]}, "initech": {"sla_policy": {}},
                                     "umbrella": {"languages": "es, pt"}})
    assert set(tenants) == {"globex", "umbrella"}
    assert tenants["umbrella"].languages == ["es", "pt"]
    assert tenants["globex"].fallback is False  # the rest comes from the base config
    stage = LanguageStage(base, tenants)
    text = "Buenos dias, necesito ayuda con mi cuenta por favor"
    batch = [ticket("", text, 1, "acme"), ticket("", text, 2, "globex"), ticket("", text, 3, "initech")]
    codes = [r.value.language.code for r in stage.process(batch) if isinstance(r, Ok)]
    assert codes[1] == "es"
    assert codes[0] in {"en", "de"} and codes[2] in {"en", "de"}
    # tenants with the same set share one detector
    tenants_same = tenant_configs(base, {"a": {"languages": ["es", "pt"]}, "b": {"languages": ["pt", "es"][::-1]}})
    stage = LanguageStage(base, tenants_same)
    stage.process([ticket("", text, 1, "a"), ticket("", text, 2, "b")])
    assert len(stage._detections) == 2


def test_bad_tenant_languages_name_the_tenant() -> None:
    with pytest.raises(ValueError, match=r"tenants\.acme\.languages.*xx"):
        tenant_configs(LanguageConfig(), {"acme": {"languages": ["en", "xx"]}})
    with pytest.raises(ValueError, match=r"tenants\.acme\.languages"):
        tenant_configs(LanguageConfig(), {"acme": {"languages": ["en"]}})


# --- confidence and order ---------------------------------------------------------------------------------

def test_confidence_bounds_and_order_in_a_mixed_batch(stage: LanguageStage) -> None:
    bodies = ["Wo bleibt mein Paket?", "Where is my parcel?", "", "Où est mon colis ?", "Dov'è il mio pacco?",
              "Waar is mijn pakket?", "¿Dónde está mi paquete?", "Onde está a minha encomenda?", "ok"]
    batch = [ticket("", b, i) for i, b in enumerate(bodies * 5)]
    results = stage.process(batch)
    assert len(results) == len(batch)
    values = [r.value for r in results if isinstance(r, Ok)]
    assert [v.event_id for v in values] == [t.event_id for t in batch]
    assert [v.language.code for v in values[:8]] == ["de", "en", "und", "fr", "it", "nl", "es", "pt"]
    assert all(0.0 <= v.language.confidence <= 1.0 for v in values)
    assert values[2].language.confidence == 0.0
    sentence = values[0].language.confidence
    word = detected(stage, ticket("", "Paket")).language.confidence
    assert word < sentence  # less text, less confidence
