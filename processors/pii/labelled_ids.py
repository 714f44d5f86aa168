"""Identity-document numbers announced by their label: "my driver's license number is 425700624".

Presidio's US licence and passport patterns score an all-digit number as weak evidence, and their context
boost does not lift it over the threshold, so a licence number typed right after "license number is" was
kept. A number here needs its label within a few words before it; then its shape only has to be plausible
(5 to 20 letters and digits, at least four digits), in any country's format.
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.lang.en.stop_words import STOP_WORDS

from processors.pii.recognizer_base import TextRecognizer

_LABELS = {
    "US_DRIVER_LICENSE": r"driv(?:er'?s?|ing) licen[cs]e|licen[cs]e (?:no\.?|number|#)|dl ?(?:no\.?|number|#)|"
                         r"dl(?=:)|dln|cdl|driv(?:er'?s|ing) (?:lic\.|permit|id)|driver permit|learner'?s permit|"
                         r"operator'?s licen[cs]e|führerschein(?:nummer)?|permis de conduire|carné de conducir|patente",
    "US_PASSPORT": r"passport|reisepass|passeport|pasaporte|passaporto",
    "US_SSN": r"ssn|social security(?: number| no\.?| #)?|soc\. sec\. (?:no\.?|number)",
}
_DIGITS = {"US_SSN": 9}
_SSN_NEAR = re.compile(r"(?<![\d-])\d{3}([- ]?)\d{2}\1\d{4}(?![\d-])")
"""Nine digits, plain or as 3-2-4, a few words after an SSN label."""
"""Types whose value has a fixed number of digits: "SSN 191839315" (Presidio's SSN patterns want dashes
or a context word it scores too low without them)."""
_ID = (r"(?P<value>(?=[A-Z0-9-]*\d[A-Z0-9-]*\d[A-Z0-9-]*\d[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{3,18}[A-Z0-9]"
       r"(?: \d{3,6}(?![\w-])){0,3}"  # "H3881 49833 68614"
       r"|\d{3,4}(?: \d{3,4}){1,3}"  # "116 924 450"
       r"|\d{2}(?: \d{3}){2}"  # "12 345 678"
       r"|[A-Z](?: \d{3}){3,4}"  # "A 123 456 789 012"
       r"|(?=[A-Z0-9]*\d[A-Z0-9]*\d[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{9,14})"  # "WDLABCD123EF"
       r"(?![\w-])")
_VALUE = re.compile(r"\s*(?:(?:number|no\.?|nr\.?|#|is|was|ist|est|es|:|\?|\.)\s*){0,3}" + _ID, re.IGNORECASE)
_LATER_VALUE = re.compile(r"[^.!?\n]{0,40}?\b(?:is|was|as)\s+" + _ID, re.IGNORECASE)
"""The value a few words on, after "is" / "as": "driver's license on file as 116 924 450", "a valid licence –
we have yours as U838-7901-1449"."""
_LICENCE_ALONE = re.compile(r"(?i)\blicen[cs]e\b(?!\s+(?:key|code|server|file|type))")
"""A bare "licence" before its value ("licence O880-5896-3426"); not software licence keys."""
_PRODUCT_BEFORE = re.compile(r"(?:\b(?i:software|product|app|volume|site|user|seat|server)|[a-z]\s+[A-Z][\w-]*"
                             r"|[A-Za-z]\s+\d+|(?:^|[.!?]\s+)(?P<first>[A-Z][\w-]*))\s+$")
"""What makes a "licence" a software one: "software licence", "the Windows license" (a capitalised word inside a
sentence), "Microsoft 365 license", "Windows license is ..." (a capitalised word that is no function word at a
sentence start; "Your licence" stays)."""
_DRIVING = re.compile(r"(?i)\b(?:driv|vehicle|car|cars|rent|accident|dmv|motor|insur|traffic|police|van|truck|"
                      r"road|parking|fahr|conduc|guida)")
"""A bare "licence" takes a value a few words on ("a valid licence – we have yours as U838-7901-1449") only in a
text about driving: "Your Microsoft 365 license was renewed, order is 1234-5678-9012" is not a driver's licence."""
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}-\d{1,2}-\d{2,4}")


def _software(text: str, at: int) -> bool:
    product = _PRODUCT_BEFORE.search(text, max(0, at - 30), at)
    return product is not None and (not product["first"] or product["first"].casefold() not in STOP_WORDS)


class LabelledIdRecognizer(TextRecognizer):
    ENTITIES = tuple(_LABELS)

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(supported_language=supported_language)
        # (?!\w), not \b: a label may end in "#" or "." ("DL#: A 123 456 789 012", "licence no.: ...")
        self._labels = {entity: re.compile(rf"(?i)\b(?:{pattern})(?!\w)") for entity, pattern in _LABELS.items()}

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        out = []
        for entity, label in self._labels.items():
            if entities and entity not in entities:
                continue
            cues = list(label.finditer(text))
            bare: set[int] = set()
            if entity == "US_DRIVER_LICENSE":
                labelled = [(o.start(), o.end()) for o in cues]
                for c in _LICENCE_ALONE.finditer(text):
                    overlaps = any(c.start() < end and start < c.end() for start, end in labelled)
                    if overlaps or _software(text, c.start()):
                        continue
                    cues.append(c)
                    bare.add(c.start())
            for cue in cues:
                m = _VALUE.match(text, cue.end())
                if m is None and entity != "US_SSN" and (cue.start() not in bare or _DRIVING.search(text)):
                    m = _LATER_VALUE.match(text, cue.end())
                if m is not None and _DATE.fullmatch(m.group("value")):
                    continue
                if entity == "US_SSN" and (m is None or not m.group("value")[:1].isdigit()):
                    near = _SSN_NEAR.search(text, cue.end(), cue.end() + 60)  # "number on it. The correct one is"
                    if near is not None:
                        out.append(self.result(entity, near.start(), near.end(), 0.75))
                    continue
                if m is not None and entity in _DIGITS:
                    value = m.group("value")
                    if sum(c.isdigit() for c in value) != _DIGITS[entity] or not re.fullmatch(r"[\d-]+", value):
                        continue
                if m is not None:
                    out.append(self.result(entity, m.start("value"), m.end("value"), 0.8))
        return out
