"""Identity-document numbers announced by their label: "my driver's license number is 425700624".

Presidio's US licence and passport patterns score an all-digit number as weak evidence, and their context
boost does not lift it over the threshold, so a licence number typed right after "license number is" was
kept. A number here needs its label within a few words before it; then its shape only has to be plausible
(5 to 20 letters and digits, at least four digits), in any country's format.
"""

from __future__ import annotations

import re

from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from processors.pii.recognizers import _result

_LABELS = {
    "US_DRIVER_LICENSE": r"driv(?:er'?s?|ing) licen[cs]e|licen[cs]e (?:no\.?|number|#)|dl (?:no\.?|number|#)|"
                         r"führerschein(?:nummer)?|permis de conduire|carné de conducir|patente",
    "US_PASSPORT": r"passport|reisepass|passeport|pasaporte|passaporto",
    "US_SSN": r"ssn|social security(?: number| no\.?| #)?|soc\. sec\. (?:no\.?|number)",
}
_DIGITS = {"US_SSN": 9}
_SSN_NEAR = re.compile(r"(?<![\d-])\d{3}([- ]?)\d{2}\1\d{4}(?![\d-])")
"""Nine digits, plain or as 3-2-4, a few words after an SSN label."""
"""Types whose value has a fixed number of digits: "SSN 191839315" (Presidio's SSN patterns want dashes
or a context word it scores too low without them)."""
_VALUE = re.compile(r"\s*(?:(?:number|no\.?|nr\.?|#|is|was|ist|est|es|:)\s*){0,3}"
                    r"(?P<value>(?=[A-Z0-9-]*\d[A-Z0-9-]*\d[A-Z0-9-]*\d[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{3,18}[A-Z0-9])"
                    r"(?![\w-])", re.IGNORECASE)


class LabelledIdRecognizer(LocalRecognizer):
    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(supported_entities=list(_LABELS), supported_language=supported_language)
        self._labels = {entity: re.compile(rf"(?i)\b(?:{pattern})\b") for entity, pattern in _LABELS.items()}

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        out = []
        for entity, label in self._labels.items():
            if entities and entity not in entities:
                continue
            for cue in label.finditer(text):
                m = _VALUE.match(text, cue.end())
                if entity == "US_SSN" and (m is None or not m.group("value")[:1].isdigit()):
                    near = _SSN_NEAR.search(text, cue.end(), cue.end() + 60)  # "number on it. The correct one is"
                    if near is not None:
                        out.append(_result(entity, near.start(), near.end(), 0.75, self))
                    continue
                if m is not None and entity in _DIGITS:
                    value = m.group("value")
                    if sum(c.isdigit() for c in value) != _DIGITS[entity] or not re.fullmatch(r"[\d-]+", value):
                        continue
                if m is not None:
                    out.append(_result(entity, m.start("value"), m.end("value"), 0.8, self))
        return out
