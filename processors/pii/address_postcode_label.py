"""Address blocks closed by a labelled postcode line ("CEP 47994-470", "PLZ: 80331", "Postcode: SW1A 1AA") or
by an Indian town and PIN code ("Meerut - 077100").

Brazilian addresses end in "CEP 12345-678" under lines with no street-type word the other rules know ("Praia
Silveira, 8 - Vila Nossa Senhora Do Rosário / Moraes - PE"); forms and exports write the postcode with its label
under the street and the place. The label makes the last line unmistakable, and the block is the run of up to
three short lines right above it, up to a blank line or a line that is itself a label ("Endereço:", "Ship to:").
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from processors.pii.address_india import ID_WORDS
from processors.pii.recognizer_base import TextRecognizer

__all__ = ["LabelledPostcodeBlockRecognizer"]

_POSTCODE_LINE = re.compile(
    r"(?im)^[ \t>]*(?:cep|plz|postleitzahl|code postal|postcode|post code|postal code|zip(?: code)?|"
    r"pin code|eircode|código postal|codice postale|kod pocztowy)[ \t]*[:.]?[ \t]*"
    r"[A-Z\d][A-Z\d -]{2,9}[A-Z\d][ \t]*$"
)
_FIELD_LABEL = re.compile(r"[ \t>]*([^\W\d][\w ./'-]{0,25}):[ \t]+(?=\S)")
_ADDRESS_FIELD = re.compile(r"(?i)(?:street|address|addr|adresse|anschrift|stra(?:ß|ss)e|endereço|rua|dirección|"
                            r"direccion|indirizzo|via|adres|line ?1|address line 1)\b")
_ADDRESS_LIKE = re.compile(r"(?m)^[ \t>]*\d{1,5}[a-zA-Z]?\b|,[ \t]*\d{1,5}[a-zA-Z]?\b|(?i:\b(?:rua|avenida|av\.|"
                           r"praça|travessa|rodovia|estrada|alameda|largo|street|road|strasse|straße|weg|rue|calle|"
                           r"via|viale|piazza|ul\.|lane|avenue|drive|marg|nagar|chowk|path|road)\b)")
"""What an address block above the postcode line has: a house number (at a line start or after a comma) or a
street word — not "Dell Latitude 5540" or "Click Save"."""
_PIN_LINE = re.compile(r"(?m)^[ \t>]*[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+){0,2}[ \t]*[-–][ \t]*\d{6}[ \t]*$")
"""An Indian town and PIN code closing an address: "Meerut - 077100", "Chittoor - 142803"."""
_BLOCK_LINES = 3
_NOT_ADDRESS_LINE = re.compile(r"[:?@]\s*$|[?@]|https?://|^\s*$")
"""A label ending in a colon, a question, an e-mail or link, a blank line: no line of the address."""


class LabelledPostcodeBlockRecognizer(TextRecognizer):
    ENTITY = "STREET_ADDRESS"
    SCORE = 0.7

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        out: list[RecognizerResult] = []
        for m in [*_POSTCODE_LINE.finditer(text), *_PIN_LINE.finditer(text)]:
            if not any(c.isdigit() for c in m.group()):
                continue  # "Zip code: N/A"
            start = m.start() + len(m.group()) - len(m.group().lstrip(" \t>"))
            line_end = m.start() - 1  # the newline before the postcode line
            pin = m.re is _PIN_LINE
            for _ in range(2 if pin else _BLOCK_LINES):
                if line_end < 0:
                    break
                line_start = text.rfind("\n", 0, line_end) + 1
                line = text[line_start:line_end]
                if len(line) > 80 or _NOT_ADDRESS_LINE.search(line):
                    break
                field = _FIELD_LABEL.match(line)
                if field is not None:  # "Street: 4226 Zavala Station": the value, and the block starts there
                    start = line_start + field.end() if _ADDRESS_FIELD.search(field.group(1)) else m.start()
                    break
                start = line_start + len(line) - len(line.lstrip(" \t>"))
                line_end = line_start - 1
                if pin and re.match(r"[ \t>]*\d", line):
                    break  # "46, Boase Path": the house number's line opens an Indian address
            town = re.match(r"[ \t>]*([A-Z][a-z]+)", m.group()) if pin else None
            if town is not None and town.group(1).casefold() in ID_WORDS:
                continue  # "Order - 458812"
            if pin:
                address_like = re.match(r"\d{1,5}[a-zA-Z]?(?:/\d+)?(?:,|[ \t]+[A-Z])", text[start:]) is not None
            else:
                address_like = bool(re.match(r"\d", text[start:]) or _ADDRESS_LIKE.search(text, start, m.start()))
            if start < m.start() and address_like:
                # at least one line above (a postcode alone is no address); above a PIN line, a house number first
                out.append(self.result(self.ENTITY, start, m.end(), self.SCORE))
        return out
