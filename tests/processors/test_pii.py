"""The PII stage on real Presidio + spaCy: what a user would check in the redacted output."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from processors.base import Failed, Ok
from processors.pii import PiiConfig, PiiStage
from schemas import RedactedTicket, TicketEvent

PLACEHOLDER = re.compile(r"<([A-Z_]+)_(\d+)>")


NETWORK_ATTEMPTS: list[str] = []


class _NoNetwork(socket.socket):
    """Records and refuses every connection (a library may swallow the error, the record stays)."""

    def connect(self, *args: Any, **kwargs: Any) -> None:
        NETWORK_ATTEMPTS.append("connect")
        raise OSError("network access attempted")


@pytest.fixture(scope="module")
def stage() -> Iterator[PiiStage]:
    """One stage for the module (loading spaCy takes seconds), built and used with sockets blocked."""
    mp = pytest.MonkeyPatch()
    mp.setattr(socket, "socket", _NoNetwork)
    mp.setattr(socket, "create_connection", _refuse)
    try:
        yield PiiStage(PiiConfig())
    finally:
        mp.undo()


def _refuse(*args: Any, **kwargs: Any) -> None:
    NETWORK_ATTEMPTS.append("create_connection")
    raise OSError("network access attempted")


def event(body: str = "", subject: str = "", n: int = 1, **kw: Any) -> TicketEvent:
    return TicketEvent(
        tenant_id="acme",
        source="email",
        ticket_id=f"T-{n}",
        event_id=f"E-{n}",
        event_type="created",
        occurred_at=datetime(2024, 5, 1, 9, 30, tzinfo=UTC),
        subject=subject,
        body=body,
        **kw,
    )


def redact(stage: PiiStage, ev: TicketEvent) -> RedactedTicket:
    [outcome] = stage.process([ev])
    assert isinstance(outcome, Ok), outcome
    return outcome.value


def assert_gone(text: str, *values: str) -> None:
    for value in values:
        assert value.lower() not in text.lower(), f"a value of length {len(value)} was not redacted"


def test_names_emails_phones_are_replaced_consistently(stage: PiiStage) -> None:
    ev = event(
        subject="Invoice question from Sarah Connor",
        body=(
            "Hi team, this is Sarah Connor. Please email me at sarah.connor@example.com or call "
            "+1 415-555-0132. My colleague Michael Brown (michael.brown@example.org) is in copy.\n"
            "Thanks, Sarah Connor"
        ),
    )
    out = redact(stage, ev)
    assert_gone(
        out.subject + out.body,
        "Sarah",
        "Connor",
        "sarah.connor@example.com",
        "415-555-0132",
        "Michael Brown",
        "michael.brown@example.org",
    )
    assert out.subject == "Invoice question from <PERSON_1>"
    assert out.body.count("<PERSON_1>") == 2
    assert "<PERSON_2>" in out.body
    assert "<EMAIL_ADDRESS_1>" in out.body and "<EMAIL_ADDRESS_2>" in out.body
    assert "<PHONE_NUMBER_1>" in out.body


@pytest.mark.parametrize(
    "phone",
    [
        "(415) 555-0132",  # US national
        "+1 212 555 0199",  # US international
        "020 7946 0958",  # UK national
        "+44 20 7946 0958",  # UK international
        "030 12345678",  # DE national
        "+49 (0)30 12345678",  # DE international
        "01 42 68 53 00",  # FR national
        "+33 1 42 68 53 00",  # FR international
    ],
)
def test_phone_formats(stage: PiiStage, phone: str) -> None:
    out = redact(stage, event(body=f"Please call me back on {phone} this afternoon."))
    assert out.body == "Please call me back on <PHONE_NUMBER_1> this afternoon."


def test_cards_need_a_valid_luhn_and_ibans_a_valid_checksum(stage: PiiStage) -> None:
    body = (
        "Charged twice on card 4111 1111 1111 1111, order number 1234567812345679. "
        "Refund to IBAN DE89 3704 0044 0532 0130 00 please, not DE00 3704 0044 0532 0130 00."
    )
    out = redact(stage, event(body=body))
    assert_gone(out.body, "4111 1111 1111 1111", "DE89 3704 0044 0532 0130 00")
    assert "1234567812345679" in out.body  # 16 digits failing Luhn: an order number, kept
    assert "DE00 3704 0044 0532 0130 00" in out.body  # bad checksum, kept
    assert "<CREDIT_CARD_1>" in out.body and "<IBAN_CODE_1>" in out.body


def test_secrets(stage: PiiStage) -> None:
    body = (
        "AWS key AKIAIOSFODNN7EXAMPLE leaked.\n"
        "Header: Authorization: Bearer eyJhbGciOiJIUzI1NiJ9abc.def123456\n"
        "password: Hunter2!x and the OpenAI key sk-proj-abcdefghijklmnopqrstuvwx123\n"
        "Mein Passwort: Sommer2024!\n"
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA1234\nabcdEFGH\n-----END RSA PRIVATE KEY-----\n"
    )
    out = redact(stage, event(body=body))
    assert_gone(
        out.body,
        "AKIAIOSFODNN7EXAMPLE",
        "eyJhbGciOiJIUzI1NiJ9abc.def123456",
        "Hunter2!x",
        "sk-proj-abcdefghijklmnopqrstuvwx123",
        "Sommer2024!",
        "MIIEpAIBAAKCAQEA1234",
    )
    assert "password: <SECRET_" in out.body and "Passwort: <SECRET_" in out.body  # labels stay readable
    assert "PRIVATE KEY" not in out.body


@pytest.mark.parametrize(
    "address",
    [
        "742 Evergreen Terrace",
        "1600 Pennsylvania Avenue NW",
        "Hauptstraße 12",
        "12 rue de la Paix",
        "Calle Mayor 5",
    ],
)
def test_street_addresses(stage: PiiStage, address: str) -> None:
    out = redact(stage, event(body=f"Please ship the replacement to {address}, thank you."))
    assert_gone(out.body, address)
    assert "<STREET_ADDRESS_1>" in out.body


def test_spans_point_into_the_original_text_and_never_hold_it(stage: PiiStage) -> None:
    ev = event(
        subject="Call back Emma Watson",
        body="Card 5555 5555 5555 4444, mail emma.watson@example.co.uk, phone 020 7946 0958.",
        custom_fields={"contact": "emma.watson@example.co.uk", "order": 12345},
    )
    out = redact(stage, ev)
    originals = {"subject": ev.subject, "body": ev.body, "custom_fields.contact": ev.custom_fields["contact"]}
    expected = {
        "Emma Watson": "PERSON",
        "5555 5555 5555 4444": "CREDIT_CARD",
        "emma.watson@example.co.uk": "EMAIL_ADDRESS",
        "020 7946 0958": "PHONE_NUMBER",
    }
    seen = set()
    for span in out.pii_spans:
        text = originals[span.field][span.start : span.end]
        assert expected[text] == span.entity_type
        seen.add(text)
        assert text not in span.model_dump_json()
    assert seen == set(expected)
    # The same email in the body and a custom field gets the same placeholder.
    assert out.custom_fields == {"contact": "<EMAIL_ADDRESS_1>", "order": 12345}
    assert "<EMAIL_ADDRESS_1>" in out.body


def test_requester_contact_data_is_dropped_and_redacted_wherever_it_appears(stage: PiiStage) -> None:
    ev = event(
        subject="Zugang gesperrt",
        body=(
            "Hallo, mein Konto ist seit gestern gesperrt. Rückruf bitte unter 0151 2345 6789 "
            "oder an JUERGEN.WEBER@beispiel.de.\n\nViele Grüße, Jürgen Weber"
        ),
        requester={
            "id": "cust-42",
            "name": "Jürgen Weber",
            "email": "juergen.weber@beispiel.de",
            "phone": "+49 151 23456789",
        },
    )
    out = redact(stage, ev)
    assert out.requester_id == "cust-42"
    dumped = out.model_dump_json()
    assert "requester" not in out.model_dump() and "beispiel.de" not in dumped
    assert_gone(out.body, "Jürgen", "Weber", "2345 6789")
    assert out.body.endswith("Viele Grüße, <PERSON_1>")
    assert "<EMAIL_ADDRESS_1>" in out.body and "<PHONE_NUMBER_1>" in out.body


@pytest.mark.parametrize(
    "body",
    [
        "Bonjour, ma commande n'est jamais arrivée. Pouvez-vous vérifier ?\nCordialement,\nAmélie Dubois",
        "Hola, no puedo iniciar sesión desde ayer. ¿Pueden ayudarme?\nSaludos,\nAmélie Dubois",
        "Guten Tag, die Rechnung ist doppelt abgebucht worden.\nMit freundlichen Grüßen\nAmélie Dubois",
    ],
)
def test_requester_name_in_a_foreign_language_signature(stage: PiiStage, body: str) -> None:
    ev = event(body=body, requester={"id": "c-7", "name": "Amélie Dubois"})
    out = redact(stage, ev)
    assert_gone(out.body, "Amélie", "Dubois")
    assert out.body.endswith("<PERSON_1>")


def test_first_name_alone_gets_the_same_placeholder_as_the_full_name(stage: PiiStage) -> None:
    ev = event(
        subject="Ticket from Jürgen Weber",
        body="Jürgen wrote twice already.",
        requester={"name": "Jürgen Weber"},
    )
    out = redact(stage, ev)
    assert out.subject == "Ticket from <PERSON_1>"
    assert out.body == "<PERSON_1> wrote twice already."


def test_other_fields_are_copied(stage: PiiStage) -> None:
    ev = event(
        body="nothing personal here",
        priority="high",
        status="open",
        queue="billing",
        tags=["vip"],
        channel="web",
        custom_fields={"plan": "pro", "seats": 3},
    )
    out = redact(stage, ev)
    assert out.body == "nothing personal here" and out.pii_spans == []
    assert (out.priority, out.status, out.queue, out.tags, out.channel) == (
        "high",
        "open",
        "billing",
        ["vip"],
        "web",
    )
    assert out.custom_fields == {"plan": "pro", "seats": 3}
    assert (out.tenant_id, out.ticket_id, out.event_id, out.occurred_at) == (
        ev.tenant_id,
        ev.ticket_id,
        ev.event_id,
        ev.occurred_at,
    )


def test_batch_of_50_keeps_order(stage: PiiStage) -> None:
    batch = [event(body=f"Ticket {i}: contact user{i}@example.com or 555-01{i:02d}.", n=i) for i in range(50)]
    outcomes = stage.process(batch)
    assert len(outcomes) == 50
    for i, outcome in enumerate(outcomes):
        assert isinstance(outcome, Ok)
        assert outcome.value.event_id == f"E-{i}"
        assert outcome.value.body.startswith(f"Ticket {i}: contact <EMAIL_ADDRESS_1>")
        assert f"user{i}@" not in outcome.value.body


def test_one_bad_item_fails_alone_without_its_text(stage: PiiStage, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "Marianne Secretperson wrote this"
    real = stage._detect

    def flaky(field: str, text: str, *args: Any, **kwargs: Any) -> Any:
        if "Secretperson" in text:
            raise ValueError(f"cannot handle {text!r}")
        return real(field, text, *args, **kwargs)

    monkeypatch.setattr(stage, "_detect", flaky)
    outcomes = stage.process([event(body="fine", n=1), event(body=secret, n=2), event(body="fine too", n=3)])
    assert [type(o) for o in outcomes] == [Ok, Failed, Ok]
    failed = outcomes[1]
    assert isinstance(failed, Failed)
    assert failed.error_type == "ValueError"
    assert "Secretperson" not in failed.reason and "Marianne" not in failed.reason


def test_no_pii_in_logs(stage: PiiStage, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    stage.process([event(body="Call Veronika Lindqvist at +46 8 123 456 78, veronika@example.se")])
    for record in caplog.records:
        assert "Lindqvist" not in record.getMessage() and "veronika@" not in str(record.__dict__)


def test_allow_list_and_type_placeholders() -> None:
    stage = PiiStage(PiiConfig(allow_list=("John Deere",), placeholder_mode="type"))
    out = redact(stage, event(body="My John Deere tractor was sold to Peter Parker and Mary Jane Watson."))
    assert "John Deere" in out.body
    assert out.body.count("<PERSON>") == 2


def test_address_after_an_address_word(stage: PiiStage) -> None:
    out = redact(stage, event(body="Please update my address to 5 Kingsway Court, Leeds LS1 4AB. Thanks!"))
    assert_gone(out.body, "Kingsway")
    assert "<STREET_ADDRESS_1>" in out.body


def test_no_network_was_attempted(stage: PiiStage) -> None:
    """Runs last: the engine was built and every test above ran with sockets refused."""
    stage.process([event(body="Mail anna.berg@mail.example.co.uk or see https://example.org")])
    assert NETWORK_ATTEMPTS == []


def test_names_after_strong_cues_in_any_case_and_lists() -> None:
    from processors.pii.names import NameRecognizer

    rec = NameRecognizer()

    def names(text: str) -> list[str]:
        return sorted(text[r.start:r.end] for r in rec.analyze(text, ["PERSON"]))

    assert names("everyone calls me zbigniew, just so you know") == ["zbigniew"]
    assert names("Our founders: Okonkwo, Lee and Haraldsdóttir built it.") == ["Haraldsdóttir", "Lee", "Okonkwo"]
    assert names("Her maiden name is Vukovar.") == ["Vukovar"]
    assert names("the account is under my partner's name priya raman") == ["priya raman"]
    assert names("my name is please help") == []  # a function word is never a name
