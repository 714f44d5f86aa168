"""Per-tenant PII settings on the real stage: modes, vault, tenant patterns, allow-lists, look-alikes."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from processors.base import Ok
from processors.pii import (
    PiiConfig,
    PiiStage,
    PiiVault,
    VaultConfig,
    VaultError,
    load_tenant_configs,
)
from processors.pii.recognizers import _IBAN_LENGTHS, CardNumberRecognizer, IbanChecksumRecognizer
from processors.pii.vault import VAULT_TOKEN
from schemas import RedactedTicket, TicketEvent

KEY_1 = "k1-secret-0123456789abcdef"
KEY_2 = "k2-secret-fedcba9876543210"
HASH_SECRET = "tenant-hash-secret-0123456789"

TENANTS: dict[str, Any] = {
    "masker": {"pii": {"mode": "mask"}},
    "hasher": {"pii": {"mode": "hash", "hash_secret": {"env": "TEST_HASH_SECRET"}}},
    "hasher2": {"pii": {"mode": "hash", "hash_secret": "another-secret-0123456789"}},
    "vaulted": {
        "pii": {
            "mode": "vault",
            "vault": {"enabled": True, "keys": [{"id": "k1", "secret": {"env": "TEST_VAULT_K1"}}]},
        }
    },
    "shop": {
        "pii": {
            "patterns": [{"name": "ORDER_ID", "regex": r"\bORD-\d{6}\b"}],
            "allow_list": ["Acme Cloud"],
            "allow_patterns": [r"support@acme\.com"],
        }
    },
    "strict": {"pii": {"suppress_lookalikes": False}},
    "no_phones": {"pii": {"disabled_entities": ["PHONE_NUMBER"]}},
}
ENV = {"TEST_HASH_SECRET": HASH_SECRET, "TEST_VAULT_K1": KEY_1}


@pytest.fixture(scope="module")
def stage() -> Iterator[PiiStage]:
    yield PiiStage(PiiConfig(), load_tenant_configs(TENANTS, ENV))


def event(tenant: str, body: str, n: int = 1, **kw: Any) -> TicketEvent:
    return TicketEvent(
        tenant_id=tenant,
        source="email",
        ticket_id=f"T-{n}",
        event_id=f"E-{n}",
        event_type="created",
        occurred_at=datetime(2024, 5, 1, 9, 30, tzinfo=UTC),
        body=body,
        **kw,
    )


def redact(stage: PiiStage, ev: TicketEvent) -> RedactedTicket:
    [outcome] = stage.process([ev])
    assert isinstance(outcome, Ok), outcome
    return outcome.value


BODY = "Hi, I am Peter Parker, mail peter.parker@example.com. Again: peter.parker@example.com."


def test_one_stage_serves_tenants_with_different_modes(stage: PiiStage) -> None:
    default = redact(stage, event("someone", BODY))
    assert default.body == "Hi, I am <PERSON_1>, mail <EMAIL_ADDRESS_1>. Again: <EMAIL_ADDRESS_1>."

    masked = redact(stage, event("masker", BODY))
    assert masked.body == "Hi, I am ***** ******, mail " + "*" * 24 + ". Again: " + "*" * 24 + "."
    assert len(masked.body) == len(BODY)  # offsets of later text are unchanged
    assert [s.placeholder for s in masked.pii_spans] == ["<PERSON_1>", "<EMAIL_ADDRESS_1>", "<EMAIL_ADDRESS_1>"]


def test_hash_mode_is_keyed_per_tenant_and_stable_across_tickets(stage: PiiStage) -> None:
    a = redact(stage, event("hasher", BODY, n=1))
    b = redact(stage, event("hasher", "From peter.parker@example.com again", n=2))
    other = redact(stage, event("hasher2", BODY, n=1))
    tokens = re.findall(r"<EMAIL_ADDRESS:([0-9a-f]{16})>", a.body)
    assert len(tokens) == 2 and tokens[0] == tokens[1]
    assert re.findall(r"<EMAIL_ADDRESS:([0-9a-f]{16})>", b.body) == tokens[:1]  # same value, other ticket
    assert tokens[0] not in other.body  # another tenant's secret gives another token
    import hashlib

    assert hashlib.sha256(b"peter.parker@example.com").hexdigest()[:16] != tokens[0]  # not an unsalted hash
    assert "peter" not in a.body.lower()


def test_vault_round_trip_and_key_rotation(stage: PiiStage) -> None:
    out = redact(stage, event("vaulted", BODY, n=7))
    assert "peter" not in out.body.lower() and "Parker" not in out.body
    tokens = list(VAULT_TOKEN.finditer(out.body))
    assert [t["placeholder"] for t in tokens] == ["PERSON_1", "EMAIL_ADDRESS_1", "EMAIL_ADDRESS_1"]
    assert all(t["key"] == "k1" for t in tokens)
    assert all("parker" not in s.model_dump_json().lower() and "vault=" not in s.placeholder for s in out.pii_spans)

    old = PiiVault("vaulted", VaultConfig.model_validate({"enabled": True, "keys": [{"id": "k1", "secret": KEY_1}]}))
    assert old.reveal(out.body, "T-7") == BODY

    # Rotation: k2 active, k1 kept for reading; re-encrypted text no longer needs k1.
    both = PiiVault(
        "vaulted",
        VaultConfig.model_validate(
            {
                "enabled": True,
                "active_key": "k2",
                "keys": [{"id": "k1", "secret": KEY_1}, {"id": "k2", "secret": KEY_2}],
            }
        ),
    )
    rotated = both.rotate(out.body, "T-7")
    assert {t["key"] for t in VAULT_TOKEN.finditer(rotated)} == {"k2"}
    only_new = PiiVault(
        "vaulted", VaultConfig.model_validate({"enabled": True, "keys": [{"id": "k2", "secret": KEY_2}]})
    )
    assert only_new.reveal(rotated, "T-7") == BODY
    with pytest.raises(VaultError):
        only_new.reveal(out.body, "T-7")  # k1 tokens need k1
    with pytest.raises(VaultError):
        old.reveal(out.body, "T-8")  # bound to its ticket
    with pytest.raises(VaultError):
        PiiVault(
            "other", VaultConfig.model_validate({"enabled": True, "keys": [{"id": "k1", "secret": KEY_1}]})
        ).reveal(out.body, "T-7")  # bound to its tenant


def test_tenant_patterns_and_allow_lists(stage: PiiStage) -> None:
    body = "Order ORD-123456 for Acme Cloud: write to support@acme.com or to john.doe@example.com."
    out = redact(stage, event("shop", body))
    assert out.body == ("Order <ORDER_ID_1> for Acme Cloud: write to support@acme.com or to <EMAIL_ADDRESS_1>.")
    # Another tenant has no such pattern: the order id stays, the allowed address goes.
    other = redact(stage, event("someone", body))
    assert "ORD-123456" in other.body and "support@acme.com" not in other.body


@pytest.mark.parametrize(
    "body, value",
    [
        ("Please check order #415-555-0132 again.", "415-555-0132"),
        ("Bestellung Nr. 030 1234 5678 kam nicht an.", "030 1234 5678"),
        ("Invoice no. (212) 555-0199 is wrong.", "(212) 555-0199"),
        ("We run version 10.2.0.1 since 2024-05-01 10:22.", "10.2.0.1"),
        ("Hi, 25.03.2012 10:52:20 is what I see on my side.", "25.03.2012 10:52:20"),  # read as "25.03.2012 10"
    ],
)
def test_identifiers_that_look_like_pii_are_kept_unless_the_tenant_says(stage: PiiStage, body: str, value: str) -> None:
    assert value in redact(stage, event("someone", body)).body
    assert value not in redact(stage, event("strict", body)).body


def test_codes_are_never_people(stage: PiiStage) -> None:
    body = "The portal says ORD-671845272 and nothing else."  # spaCy's small model: a PERSON
    assert "ORD-671845272" in redact(stage, event("strict", body)).body


def test_us_zip_plus_4_is_a_phone_only_next_to_a_phone_word(stage: PiiStage) -> None:
    assert "86826-1055" in redact(stage, event("someone", "We noticed 86826-1055 in the report.")).body
    assert "07071-1234" not in redact(stage, event("someone", "Telefon: 07071-1234")).body


def test_phone_with_phone_context_is_still_redacted_next_to_an_order(stage: PiiStage) -> None:
    out = redact(stage, event("someone", "Order #123456: call me on 415-555-0132 please."))
    assert "415-555-0132" not in out.body and "#123456" in out.body


def test_disabled_entity(stage: PiiStage) -> None:
    out = redact(stage, event("no_phones", "Call +44 20 7946 0958, mail a.b@example.org"))
    assert "+44 20 7946 0958" in out.body and "a.b@example.org" not in out.body


def test_bad_tenant_settings_name_the_setting() -> None:
    with pytest.raises(ValueError, match=r"tenants\.t1\.pii: .*hash_secret"):
        load_tenant_configs({"t1": {"pii": {"mode": "hash"}}}, {})
    with pytest.raises(ValueError, match=r"tenants\.t2\.pii\.patterns\.0\.regex"):
        load_tenant_configs({"t2": {"pii": {"patterns": [{"name": "X", "regex": "("}]}}}, {})
    with pytest.raises(ValueError, match=r"tenants\.t3\.pii\.hash_secret: environment variable 'MISSING_VAR'"):
        load_tenant_configs({"t3": {"pii": {"hash_secret": {"env": "MISSING_VAR"}}}}, {})
    with pytest.raises(ValueError, match=r"tenants\.t4\.pii: .*vault\.enabled"):
        load_tenant_configs({"t4": {"pii": {"mode": "vault"}}}, {})
    with pytest.raises(ValueError, match=r"tenants\.t5\.pii\.mode"):
        load_tenant_configs({"t5": {"pii": {"mode": "rot13"}}}, {})
    assert load_tenant_configs({"t6": {"sla_policy": {}}}, {}) == {}


def test_secret_values_are_not_echoed_in_errors() -> None:
    with pytest.raises(ValueError) as info:
        load_tenant_configs({"t": {"pii": {"mode": "hash", "hash_secret": "short-secret"}}}, {})
    assert "short-secret" not in str(info.value)


def test_build_pii_reads_the_tenants_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from streams.settings import SettingsError, load_settings
    from streams.stages import build_pii

    path = tmp_path / "tenants.yaml"
    path.write_text(
        "tenants:\n  acme:\n    pii:\n      mode: hash\n      hash_secret: {env: ACME_PII_SECRET}\n", encoding="utf-8"
    )
    monkeypatch.setenv("ACME_PII_SECRET", HASH_SECRET)
    built = build_pii(load_settings(tenants_file=path))
    assert isinstance(built, PiiStage)
    out = redact(built, event("acme", "mail me: jane@example.com"))
    assert re.fullmatch(r"mail me: <EMAIL_ADDRESS:[0-9a-f]{16}>", out.body)
    monkeypatch.delenv("ACME_PII_SECRET")
    with pytest.raises(SettingsError, match="ACME_PII_SECRET"):
        build_pii(load_settings(tenants_file=path))


# --- recognizers on their own -------------------------------------------------------------


def _iban(country: str, length: int, rng: random.Random) -> str:
    bban = "".join(rng.choice("0123456789") for _ in range(length - 4))
    check = 98 - int("".join(str(int(ch, 36)) for ch in bban + country + "00")) % 97
    return f"{country}{check:02d}{bban}"


@pytest.mark.parametrize("country", sorted(_IBAN_LENGTHS))
def test_iban_every_registry_country_compact_and_grouped(country: str) -> None:
    rec = IbanChecksumRecognizer()
    iban = _iban(country, _IBAN_LENGTHS[country], random.Random(country))
    grouped = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    for value in (iban, grouped):
        text = f"IBAN: {value} thanks"
        [res] = rec.analyze(text, ["IBAN_CODE"])
        assert text[res.start : res.end] == value
    broken = iban[:-1] + str((int(iban[-1]) + 1) % 10)
    assert rec.analyze(f"Reference {broken} thanks", ["IBAN_CODE"]) == []
    [labelled] = rec.analyze(f"IBAN: {broken} thanks", ["IBAN_CODE"])  # a typo after its label: still an account
    assert (labelled.start, labelled.end, labelled.score) == (6, 6 + len(broken), 0.8)


@pytest.mark.parametrize(
    "card",
    [
        "4111111111111111",
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "3782 822463 10005",  # Amex 4-6-5
        "378282246310005",
        "6011 0009 9013 9424",  # Discover
        "5555555555554444",
        "3056 9309 0259 04",  # Diners 14 digits
    ],
)
def test_card_numbers_in_common_groupings(card: str) -> None:
    rec = CardNumberRecognizer()
    text = f"card {card}."
    [res] = rec.analyze(text, ["CREDIT_CARD"])
    assert text[res.start : res.end] == card
    last = int(card[-1])
    assert rec.analyze(f"card {card[:-1]}{(last + 1) % 10}.", ["CREDIT_CARD"]) == []  # Luhn fails


def test_non_english_text_uses_patterns_and_known_values(stage: PiiStage) -> None:
    body = (
        "Bonjour, je n'arrive plus à payer. Ma carte 4111 1111 1111 1111 est refusée, mon IBAN est "
        "FR76 3000 6000 0112 3456 7890 189. Appelez-moi au 01 42 68 53 00. J'habite au 12 rue de la Paix, "
        "75002 Paris.\nCordialement, Amélie Dubois"
    )
    out = redact(stage, event("someone", body, requester={"name": "Amélie Dubois"}))
    for value in ("4111 1111 1111 1111", "FR76 3000", "01 42 68 53 00", "rue de la Paix", "Amélie", "Dubois"):
        assert value not in out.body


@pytest.mark.parametrize(
    "body, name",
    [
        ("Hello, my name is Tamsin Okafor and my parcel is lost.", "Tamsin Okafor"),
        ("Please ask Mr. Delacroix to call back.", "Delacroix"),
        ("Forwarding this from Gwendolyn about the invoice.", "Gwendolyn"),
        ("Dear Keziah, thanks for the quick answer.", "Keziah"),
    ],
)
def test_names_spacy_misses_are_caught_by_context_and_lexicon(stage: PiiStage, body: str, name: str) -> None:
    assert name not in redact(stage, event("someone", body)).body


def test_name_lexicon_leaves_common_words_and_places() -> None:
    from processors.pii.names import NameRecognizer

    rec = NameRecognizer()
    text = "Will the March release fix login in Paris? Grant access to Support, please."
    assert rec.analyze(text, ["PERSON"]) == []
    [res] = rec.analyze("Ticket reopened by Judy yesterday.", ["PERSON"])
    assert (res.start, res.end) == (19, 23)
