"""Indian postal addresses: a house, flat or plot number first, the PIN code last, the state after it.

Indian addresses do not put a house number next to a street-type word; they are a run of lines or comma parts
("Flat No. 903, Kalpataru Towers / 91, FC Road / Indiranagar / Lucknow - 226600 / Uttar Pradesh", "H.No. 75,
Dyal Nagar, Bhagalpur-959260"). Two anchors make them unmistakable: the unit label that opens them ("Flat No.",
"H.No.", "House No.", "Plot No.", "Door No.", "Shop No.") and the six-digit PIN code that closes them, within six
lines or parts. A short capitalised line or part right after the PIN is the state.
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from processors.pii.recognizer_base import TextRecognizer

__all__ = ["IndianAddressRecognizer"]

_OPENING = re.compile(
    r"(?<![\w.])(?:(?i:flat|house|plot|door|shop|site|khasra)[ \t]*(?i:no|number)\.?|(?i:h\.?[ \t]?no)\.?)"
    r"[ \t]*[:#]?[ \t]*\d{1,5}[a-zA-Z]?(?:[/-]\d{1,4}[a-zA-Z]?)?(?![\w/])"
)
_PART = r"(?:,[ \t]*+\n?+|\n)[ \t]*+[^\s,:@][^\n,:@]{0,59}?"
_PIN_END = re.compile(
    rf"(?:{_PART}){{0,6}}?[ \t]*+[-–,]?[ \t]*+(?P<pin>[1-9]\d{{2}}[ \t]?\d{{3}})(?![\d/.-])"
)
"""Up to six parts and the PIN: lazy, so the block ends at the first six-digit code; no part holds a colon (a
label: "Tel.: ...", "Return to:") or an "@". Blanks are possessive and a part starts with a non-blank: otherwise
the blanks of padded parts split in exponentially many ways (86 characters took 13 s)."""
_BEFORE_PIN = re.compile(r"(?:^|(?P<town>[A-Z][\w.)]*)|(?i:pin(?:[ \t]?code)?))[ \t]*[-–,]?[ \t]*$")
"""What stands before the PIN in its part: nothing, a place ("Lucknow - ", "Pune ") or "PIN", not a sentence
("Flat No. 12, order 456789")."""
_STATE = re.compile(r"(?:,[ \t]*|[ \t]*\n[ \t]*)([A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+){0,2})[ \t]*(?=\n|$|[.,;)])")
_NOT_STATE = frozenset({"thanks", "thank", "regards", "best", "cheers", "tel", "phone", "mobile", "email", "direct",
                        "return", "dear", "hi", "hello", "please", "sincerely", "yours", "kind", "warm", "many",
                        "ticket", "order", "ref", "case"})


ID_WORDS = frozenset({
    "order", "ticket", "model", "release", "invoice", "version", "case", "incident", "build", "ref", "reference", "id",
    "code", "item", "sku", "serial", "phase", "node", "port", "number", "no", "account", "customer", "job", "batch",
    "lot", "part", "po", "so", "rma", "error", "request", "tracking", "awb", "docket", "complaint", "sr", "req", "otp",
    "amount", "total", "balance", "employee", "emp", "user", "policy", "claim", "loan", "txn", "transaction", "utr"})
"""Labels of ids and amounts that stand where a town would before six digits: "Order - 458812", "Model 123456"."""


class IndianAddressRecognizer(TextRecognizer):
    ENTITY = "STREET_ADDRESS"
    SCORE = 0.75

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        out: list[RecognizerResult] = []
        for opening in _OPENING.finditer(text):
            pin = _PIN_END.match(text, opening.end())
            if pin is None:
                continue
            part_start = max(text.rfind(",", 0, pin.start("pin")), text.rfind("\n", 0, pin.start("pin"))) + 1
            before = _BEFORE_PIN.search(text[max(part_start, opening.end()) : pin.start("pin")].strip(" \t"))
            if before is None or (before["town"] and before["town"].rstrip(".)").casefold() in ID_WORDS):
                continue
            end = pin.end()
            state = _STATE.match(text, end)
            if state is not None and state.group(1).split()[0].casefold() not in _NOT_STATE:
                end = state.end(1)
            out.append(self.result(self.ENTITY, opening.start(), end, self.SCORE))
        return out
