"""Settings errors name the variable; the batch runner keeps output aligned with input."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from connectors.demo import DemoFeed
from schemas import DeadLetter, EnrichedTicket
from streams.batch import process_lines
from streams.deadletters import make_dead_letter
from streams.settings import SettingsError, load_settings
from streams.stages import build_chain


def test_bad_setting_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TICKETSTREAM_PARTITIONS", "zero")
    with pytest.raises(SettingsError, match="TICKETSTREAM_PARTITIONS"):
        load_settings()


def test_standard_env_names_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "broker:9092")
    monkeypatch.setenv("CLICKHOUSE_URL", "http://ch:8123")
    monkeypatch.setenv("TICKETSTREAM_LANGUAGES", "en, de")
    settings = load_settings()
    assert settings.kafka_bootstrap_servers == "broker:9092"
    assert settings.clickhouse_url == "http://ch:8123"
    assert settings.languages == ["en", "de"]


def test_bad_tenants_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "tenants.yaml"
    path.write_text("tenants: [1, 2]\n")
    with pytest.raises(SettingsError, match="TICKETSTREAM_TENANTS_FILE"):
        load_settings(tenants_file=path).load_tenants()


def test_dead_letter_keeps_bytes_and_ids() -> None:
    payload = b'{"tenant_id": "acme", "ticket_id": "T1", "event_id": "E1", "body": "\xff"}'
    letter = make_dead_letter(stage="pii", reason="bad", error_type="ValidationError", payload=payload,
                              topic="t", partition=2, offset=9, key=b"acme:T1")
    again = DeadLetter.from_json_bytes(letter.to_json_bytes())
    assert again.payload() == payload
    assert (again.tenant_id, again.ticket_id, again.event_id) == (None, None, None)  # bad UTF-8: not parsed
    ok = make_dead_letter(stage="pii", reason="bad", error_type="X", payload=payload.replace(b"\xff", b"x"),
                          topic="t", partition=0, offset=0, key=None)
    assert (ok.tenant_id, ok.ticket_id, ok.event_id) == ("acme", "T1", "E1")


def test_batch_output_is_aligned_with_input() -> None:
    events = [t.event for t in DemoFeed(seed=3).take(10)]
    lines = [e.model_dump_json() for e in events]
    lines.insert(4, "{not json")
    lines.insert(7, json.dumps({"tenant_id": "acme"}))
    out = io.StringIO()
    stats = process_lines(build_chain(load_settings()), io.StringIO("\n".join(lines) + "\n"), out, batch_size=4)
    assert (stats.ok, stats.failed) == (10, 2)
    rows = out.getvalue().splitlines()
    assert len(rows) == 12
    assert "Invalid JSON" in DeadLetter.model_validate_json(rows[4]).reason
    assert "ticket_id: Field required" in DeadLetter.model_validate_json(rows[7]).reason
    enriched = [EnrichedTicket.model_validate_json(r) for i, r in enumerate(rows) if i not in (4, 7)]
    assert [e.event_id for e in enriched] == [e.event_id for e in events]


def test_dead_letter_of_a_lone_surrogate_id_serializes() -> None:
    """Found by the property test: Python's json accepts "\\ud800", which no UTF-8 output can carry."""
    payload = b'{"tenant_id": "\\ud800", "ticket_id": "T1"}'
    letter = make_dead_letter(stage="pii", reason="bad", error_type="ValidationError", payload=payload,
                              topic="t", partition=0, offset=0, key=None)
    assert DeadLetter.from_json_bytes(letter.to_json_bytes()).payload() == payload
    assert (letter.tenant_id, letter.ticket_id) == (None, "T1")
