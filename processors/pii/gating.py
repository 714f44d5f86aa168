"""Cheap triggers in front of recognizers: a recognizer whose every pattern needs a digit (or an `@`) is not
run on a text without one. Most ticket sentences have neither, and Presidio's pattern recognizers and
libphonenumber cost more per text than the check. Results are unchanged: the gate only skips texts on which
the recognizer cannot match.
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import (
    CryptoRecognizer,
    IpRecognizer,
    UsLicenseRecognizer,
    UsPassportRecognizer,
    UsSsnRecognizer,
)

from processors.pii.recognizers import OfflineEmailRecognizer, has_digit_run

__all__ = [
    "GatedCryptoRecognizer", "GatedEmailRecognizer", "GatedIpRecognizer", "GatedUsLicenseRecognizer",
    "GatedUsPassportRecognizer", "GatedUsSsnRecognizer", "has_digit", "has_digit_run",
]  # fmt: skip

_DIGIT = re.compile(r"\d")


def has_digit(text: str) -> bool:
    return _DIGIT.search(text) is not None


class GatedIpRecognizer(IpRecognizer):
    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None,
                regex_flags: int | None = None) -> list[RecognizerResult]:
        return super().analyze(text, entities, nlp_artifacts, regex_flags) if has_digit(text) else []


class GatedUsSsnRecognizer(UsSsnRecognizer):
    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None,
                regex_flags: int | None = None) -> list[RecognizerResult]:
        return super().analyze(text, entities, nlp_artifacts, regex_flags) if has_digit(text) else []


class GatedCryptoRecognizer(CryptoRecognizer):
    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None,
                regex_flags: int | None = None) -> list[RecognizerResult]:
        return super().analyze(text, entities, nlp_artifacts, regex_flags) if has_digit(text) else []


class GatedUsPassportRecognizer(UsPassportRecognizer):
    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None,
                regex_flags: int | None = None) -> list[RecognizerResult]:
        return super().analyze(text, entities, nlp_artifacts, regex_flags) if has_digit(text) else []


class GatedUsLicenseRecognizer(UsLicenseRecognizer):
    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None,
                regex_flags: int | None = None) -> list[RecognizerResult]:
        return super().analyze(text, entities, nlp_artifacts, regex_flags) if has_digit(text) else []


class GatedEmailRecognizer(OfflineEmailRecognizer):
    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None,
                regex_flags: int | None = None) -> list[RecognizerResult]:
        return super().analyze(text, entities, nlp_artifacts, regex_flags) if "@" in text else []
