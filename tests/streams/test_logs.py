"""JSON logs: ticket ids on every line about a ticket, and no PII whatever the caller passes."""

from __future__ import annotations

import io
import json
import logging
import logging.config
from collections.abc import Iterator
from typing import Any

import pytest

from streams.logs import configure_logging, logging_dict_config, mask_pii


@pytest.fixture(autouse=True)
def restore_root_logger() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_line_about_a_ticket_carries_its_ids_and_stage() -> None:
    out = io.StringIO()
    configure_logging("info", json=True, stream=out)
    log = logging.getLogger("ticketstream.test")
    log.info("classified %d tickets", 3, extra={"tenant_id": "acme", "ticket_id": "T-1", "event_id": "e-1",
                                                "stage": "classify", "partition": 2})
    log.info("worker started")
    log.debug("not at info level")
    first, second = lines(out)
    assert first["message"] == "classified 3 tickets"
    assert (first["tenant_id"], first["ticket_id"], first["event_id"], first["stage"]) == ("acme", "T-1", "e-1",
                                                                                           "classify")
    assert first["partition"] == 2 and first["level"] == "info" and first["logger"] == "ticketstream.test"
    assert str(first["ts"]).endswith("+00:00")
    assert second["ticket_id"] is None and second["message"] == "worker started"


def test_pii_in_messages_arguments_extras_and_exceptions_is_masked() -> None:
    out = io.StringIO()
    configure_logging("info", json=True, stream=out)
    log = logging.getLogger("ticketstream.test")
    secret_text = "Hi, I'm jane.doe@example.com, call me on +44 20 7946 0958, card 4111 1111 1111 1111"
    log.warning("could not parse %s", secret_text, extra={"tenant_id": "acme", "reason": "from bob@corp.io",
                                                          "body": "my name is Jane Doe", "subject": "refund"})
    try:
        raise ValueError(f"bad value in {secret_text}")
    except ValueError:
        log.exception("stage failed", extra={"stage": "pii"})
    raw = out.getvalue()
    for leaked in ("jane.doe@example.com", "7946 0958", "4111 1111 1111 1111", "bob@corp.io", "Jane Doe", "refund"):
        assert leaked not in raw
    first, second = lines(out)
    assert first["message"] == "could not parse Hi, I'm <EMAIL>, call me on <PHONE>, card <CARD>"
    assert first["reason"] == "from <EMAIL>"
    assert first["body"] == "[dropped]" and first["subject"] == "[dropped]"
    assert second["error_type"] == "ValueError"
    assert "bad value in Hi, I'm <EMAIL>" in str(second["exception"])
    assert "Traceback" in str(second["exception"])


def test_library_loggers_are_masked_too() -> None:
    out = io.StringIO()
    configure_logging("info", json=True, stream=out)
    logging.getLogger("aiokafka.consumer").info("payload was %r", b"to: support@acme.example")
    assert lines(out)[0]["message"] == "payload was b'to: <EMAIL>'"


@pytest.mark.parametrize(("text", "masked"), [
    ("write to a.b-c+tag@mail.example.co.uk", "write to <EMAIL>"),
    ("card 4111-1111-1111-1111.", "card <CARD>."),
    ("card 5500005555555559", "card <CARD>"),
    ("iban DE89 3704 0044 0532 0130 00 ok", "iban <IBAN> ok"),
    ("iban GB82WEST12345698765432", "iban <IBAN>"),
    ("(415) 555-2671 or 415.555.2671", "<PHONE> or <PHONE>"),
    ("ring 030 1234567 or 0171-123 4567", "ring <PHONE> or <PHONE>"),
    ("+33 1 42 68 53 00", "<PHONE>"),
])
def test_mask_pii_masks(text: str, masked: str) -> None:
    assert mask_pii(text) == masked


@pytest.mark.parametrize("text", [
    "2025-11-24T23:00:01.123+00:00 batch of 64 in 0.512s",
    "tickets.events/3@1732490000001 committed",
    "offset 4155552671 on partition 11",
    "event 3f2a9c1e-8b7d-4c2e-9f1a-0b3c4d5e6f70 key acme:T-1234",
    "broker 10.12.0.7:9092 (kafka-0.kafka-headless.svc)",
    "card 4111 1111 1111 1112 fails Luhn",
    "iban GB82 WEST 1234 5698 7654 31 fails its checksum",
    "version 3.8.0, took 1.5 s, 250 tokens, $0.0031",
])
def test_mask_pii_leaves_operational_text_alone(text: str) -> None:
    assert mask_pii(text) == text


def test_configure_logging_is_idempotent_and_text_mode_shows_ids() -> None:
    out = io.StringIO()
    configure_logging("info", json=True, stream=io.StringIO())
    handler = configure_logging("warning", json=False, stream=out)
    ours = [h for h in logging.getLogger().handlers if getattr(h, "_ticketstream_handler", False)]
    assert ours == [handler]
    log = logging.getLogger("ticketstream.test")
    log.info("dropped at warning level")
    log.warning("late for %s", "ann@x.org", extra={"tenant_id": "acme", "ticket_id": "T-9"})
    text = out.getvalue()
    assert "dropped" not in text
    assert text.rstrip().endswith("WARNING ticketstream.test late for <EMAIL> [tenant_id=acme ticket_id=T-9]")


def test_dict_config_for_faust_worker(capsys: pytest.CaptureFixture[str]) -> None:
    logging.config.dictConfig(logging_dict_config("info", json=True))
    logging.getLogger("faust.worker").info("rebalance for %s", "x@y.io", extra={"stage": "sla"})
    line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert line["message"] == "rebalance for <EMAIL>" and line["stage"] == "sla"


def test_debug_level_never_lets_payload_dumping_libraries_below_info(capsys: pytest.CaptureFixture[str]) -> None:
    logging.config.dictConfig(logging_dict_config("debug", json=True))
    logging.getLogger("faust.topics").debug("send: topic='t' v=b'Dear Mr Quarshie'")
    logging.getLogger("aiokafka.producer.producer").debug("Sending (key=b'k' value=b'Hallo Frau Okafor')")
    logging.getLogger("ticketstream.stream").debug("batch of 16 parsed")
    err = capsys.readouterr().err
    assert "Quarshie" not in err and "Okafor" not in err
    assert "batch of 16 parsed" in err  # our own debug lines still show
    logging.config.dictConfig(logging_dict_config("info", json=True))
