"""How much traffic the cascade sends to the LLM, and how good the local decisions it keeps are.

Data:
- `bitext-heldout-en`: the 20% held-out split of /work/shared/data/bitext/train.csv (same seed and split as
  training); the local model is retrained on the other 80% for this run, so it has not seen these rows.
- `handmade-translations`: short German, French and Spanish tickets written for this benchmark by the
  author (translations/paraphrases of bitext-style requests, labelled by hand). Not from any dataset.

Measured per threshold (the same threshold for category and intent), with the cascade's own `route()`:
routing share (tickets with any field sent to the LLM), local accuracy on the tickets kept local, and
local-only accuracy. The LLM's own accuracy cannot be measured here (no real LLM is reachable: tests use
a local Messages API server and a 135M model), so the cascade accuracy is given as bounds: `if_llm_perfect`
(routed tickets all right) and `if_llm_like_local` (the LLM no better than the local model on them).

    .venv/bin/python benchmarks/cascade_eval.py   # writes benchmarks/results/cascade_eval.json
"""

from __future__ import annotations

import json
import platform
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from processors.base import Failed
from processors.classification.backend import ClassifyInput, ClassifyResult
from processors.classification.cascade import RoutingPolicy, route
from processors.classification.local_model import LocalClassifier
from processors.classification.training import SEED, TEST_SIZE

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


def main() -> None:
    frame = pd.read_csv(BITEXT)
    train, test = train_test_split(frame, test_size=TEST_SIZE, random_state=SEED, stratify=frame["intent"])
    model = LocalClassifier.train(train["instruction"].tolist(),
                                  {"category": train["category"].tolist(), "intent": train["intent"].tolist()})
    en = frozenset({"en"})
    hand = pd.DataFrame(HANDMADE, columns=["lang", "text", "category", "intent"])
    report = {
        "command": "python benchmarks/cascade_eval.py",
        "machine": platform.platform(),
        "what": "routing share and local accuracy (category and intent both right) per confidence threshold",
        "llm_accuracy": "not measured: no real LLM is reachable here; cascade accuracy is given as bounds",
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
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2) + "\n")
    for name, result in report["sets"].items():  # type: ignore[attr-defined]
        print(f"{name}: {result['rows']} rows, local-only accuracy {result['local_only_accuracy_both_fields']}")
        for row in result["per_threshold"]:
            print(f"  t={row['threshold']:.2f} llm_share={row['llm_share']:.3f} "
                  f"kept_acc={row['local_accuracy_on_kept']} upper={row['cascade_accuracy_if_llm_perfect']}")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
