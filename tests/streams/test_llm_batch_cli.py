"""`ticketstream process IN OUT --llm-batch` end to end, as an operator runs it.

The real stage chain (PII, language, classification, SLA) runs in a subprocess; its Anthropic SDK talks to
the local server's Message Batches endpoints (tests/support/anthropic_server.py). The first run is stopped
with Ctrl-C (SIGINT) while it waits for the batch; the batch then ends and the same command runs again. A
third run without --llm-batch asks the same server live, for comparison.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from connectors.demo import DemoFeed, DemoTicket
from processors.classification.config import DEFAULT_PRICES, ModelPrice
from schemas import DeadLetter, EnrichedTicket, LlmCall
from tests.support.anthropic_server import API_KEY, BATCHES_PATH, AnthropicTestServer, running_anthropic_server

REPO = Path(__file__).resolve().parents[2]
BAD_LINE = 5


@dataclass
class Runs:
    server: AnthropicTestServer
    feed: list[DemoTicket]
    input_text: str
    first: subprocess.CompletedProcess[str]
    state_after_first: dict[str, object]
    spill_after_first: list[Path]
    second: subprocess.CompletedProcess[str]
    output: list[str]
    calls: list[LlmCall]
    live_output: list[str]


def _wait_for(condition: object, proc: subprocess.Popen[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if proc.poll() is not None:
            pytest.fail(f"the run exited with {proc.returncode} before the batch was polled: {proc.stderr.read()}"
                        if proc.stderr else "the run exited early")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("the run did not create and poll a Message Batch in time")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runs]:
    tmp = tmp_path_factory.mktemp("llm-batch")
    feed = DemoFeed(seed=11).take(16)
    lines = [t.event.model_dump_json() for t in feed]
    lines.insert(BAD_LINE, "{not json")
    src = tmp / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp / "out.jsonl"
    with running_anthropic_server() as server:
        server.batch_polls_before_end = None  # in progress until the test ends it
        env = {**os.environ, "TICKETSTREAM_CLASSIFICATION_LLM": "anthropic", "TICKETSTREAM_ANTHROPIC_API_KEY": API_KEY,
               "TICKETSTREAM_ANTHROPIC_BASE_URL": server.base_url, "TICKETSTREAM_HOME": str(tmp / "home")}
        command = [sys.executable, "-m", "streams.cli", "process", str(src), str(out), "--llm-batch",
                   "--llm-batch-poll", "0.2"]
        # As in a terminal: SIGINT at its default. A test runner started as a background job of a non-interactive
        # shell (CI) ignores SIGINT, children inherit that, and Python then never raises KeyboardInterrupt.
        proc = subprocess.Popen(command, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))

        def created_and_polled() -> bool:
            polls = [r for r in server.requests if r.method == "GET" and r.path.startswith(BATCHES_PATH + "/")]
            return bool(server.batch_creates()) and bool(polls)

        _wait_for(created_and_polled, proc, timeout=180)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=180)
        first = subprocess.CompletedProcess(command, proc.returncode, stdout, stderr)
        state_after_first = json.loads((tmp / "out.jsonl.batch.json").read_text())
        spill_after_first = list(tmp.glob("*.spill"))

        server.end_batches()
        second = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, timeout=300)
        output = out.read_text(encoding="utf-8").splitlines()
        calls_text = (tmp / "out.jsonl.llm_calls.jsonl").read_text(encoding="utf-8")
        calls = [LlmCall.model_validate_json(line) for line in calls_text.splitlines()]

        live_out = tmp / "live.jsonl"
        subprocess.run([*command[:4], str(src), str(live_out)], env=env, cwd=REPO, capture_output=True, text=True,
                       timeout=300)
        yield Runs(server, feed, src.read_text(encoding="utf-8"), first, state_after_first, spill_after_first,
                   second, output, calls, live_out.read_text(encoding="utf-8").splitlines())


def test_ctrl_c_while_waiting_keeps_the_batch_and_the_rerun_resumes_it(runs: Runs) -> None:
    assert runs.first.returncode == 130, runs.first.stderr
    assert "run the same command again to resume" in runs.first.stderr.lower()
    creates = runs.server.batch_creates()
    assert len(creates) == 1  # both runs together created one batch: nothing paid twice
    [batch_id] = runs.server.batches
    assert runs.state_after_first["batch_ids"] == [batch_id] and runs.state_after_first["submitting"] is None
    assert runs.spill_after_first == []  # the private working file went away with the interrupted run
    assert runs.second.returncode == 3, runs.second.stderr  # 3: the one bad input line
    assert f"resuming Message Batch {batch_id}" in runs.second.stderr
    assert "ended" in runs.second.stderr and "processing" in runs.second.stderr  # the progress line
    results = [r for r in runs.server.requests if r.path == f"{BATCHES_PATH}/{batch_id}/results"]
    assert results and all(r.status == 200 for r in results)


def test_no_pii_reaches_the_batch_request(runs: Runs) -> None:
    [create] = runs.server.batch_creates()
    requests = create.body["requests"]
    assert len(requests) >= 5  # the non-English tickets at least were asked
    values = sorted({v for t in runs.feed for v in t.pii_values})
    assert len(values) > 20 and all(v in runs.input_text for v in values)  # the input is full of PII
    wire = create.raw.decode("utf-8") + json.dumps(create.body, ensure_ascii=False)
    assert [v for v in values if v in wire] == []
    ids = {t.event.ticket_id for t in runs.feed} | {t.event.event_id for t in runs.feed}
    assert [i for i in ids if i in wire] == []  # custom_id is a hash, not the ticket's ids


def test_output_is_in_input_order_and_equals_a_live_run_at_half_the_price(runs: Runs) -> None:
    assert len(runs.output) == len(runs.feed) + 1
    assert "Invalid JSON" in DeadLetter.model_validate_json(runs.output[BAD_LINE]).reason
    enriched = [EnrichedTicket.model_validate_json(line) for i, line in enumerate(runs.output) if i != BAD_LINE]
    assert [e.event_id for e in enriched] == [t.event.event_id for t in runs.feed]
    foreign = [e for e, t in zip(enriched, runs.feed, strict=True) if t.language != "en"]
    assert foreign and all(e.classification.category.backend == "anthropic" and e.classification.summary
                           for e in foreign)
    live = [line for i, line in enumerate(runs.live_output) if i != BAD_LINE]
    assert [line for i, line in enumerate(runs.output) if i != BAD_LINE] == live  # the same as live calls

    [create] = runs.server.batch_creates()
    assert len(runs.calls) == len(create.body["requests"])
    price = ModelPrice(**DEFAULT_PRICES["claude-haiku-4-5"])
    for call in runs.calls:
        assert call.outcome == "ok" and call.backend == "anthropic_batch"
        full = price.cost_usd(call.input_tokens, call.output_tokens, call.cache_read_tokens, call.cache_write_tokens)
        assert call.cost_usd == pytest.approx(full / 2) and call.cost_usd > 0
