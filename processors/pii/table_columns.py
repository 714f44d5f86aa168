"""Values under a header that names them: CSV, TSV and pipe tables pasted into tickets.

"first_name,last_name,phone\\nEadaoin,Hely,(347)909-0734": the header says what each column holds, so "Hely" is a
surname although no lexicon knows it and nothing around it says so. A header is a line of three or more short
fields without digits (but a column number: "phone_2"), split by one delimiter, at least one of them naming a
person, phone, e-mail or address column; the rows are the lines under it, up to a blank line, with as many
fields as the header (a Markdown rule row "|---|" is skipped).
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from processors.pii.recognizer_base import TextRecognizer

__all__ = ["TableColumnRecognizer", "column_type", "split_fields"]

_COLUMNS = {
    "PERSON": (
        "name", "first name", "firstname", "last name", "lastname", "surname", "given name", "family name",
        "full name", "fullname", "contact", "contact name", "customer", "customer name", "employee", "requester",
        "requester name", "vorname", "nachname", "nom", "prénom", "prenom", "nombre", "apellido", "apellidos",
        "cognome", "nome", "owner", "holder", "account holder", "cardholder", "patient", "guest", "recipient",
    ),
    "PHONE_NUMBER": (
        "phone", "phone number", "telephone", "tel", "mobile", "mobile phone", "cell", "cell phone", "fax",
        "telefon", "telefonnummer", "handy", "téléphone", "telephone number", "teléfono", "telefono", "móvil",
        "contact number", "phone no", "work phone", "home phone",
    ),
    "STREET_ADDRESS": (
        "address", "street", "street address", "address line 1", "address line 2", "address1", "address2",
        "addr", "adresse", "anschrift", "straße", "strasse", "dirección", "direccion", "indirizzo", "endereço",
        "postal address", "mailing address", "shipping address", "billing address", "home address",
    ),
    "EMAIL_ADDRESS": ("email", "e mail", "mail", "email address", "e mail address"),
}
_TYPE_OF = {name: entity for entity, names in _COLUMNS.items() for name in names}
_DELIMITERS = (",", ";", "\t", "|")
_MAX_VALUE = {"PERSON": 80}
"""Longest cell taken, by type (others: `_MAX_CELL`); a longer cell under "name" is a note, not a name."""
_MAX_CELL = 200
_INDEX = re.compile(r"[\s_#-]*\d{1,2}$")
"""A column's number: "phone_2", "address1", "Address line 2"."""
_SEPARATOR_ROW = re.compile(r"[\s|:+-]*")
"""A Markdown table's rule under its header: "|---|:---|"."""


def column_type(header_field: str) -> str | None:
    """The entity a column holds, from its header ("Last_Name" → PERSON, "Phone #" → PHONE_NUMBER, "phone_2")."""
    key = re.sub(r"[\s_.#:-]+", " ", header_field.strip().strip("\"'").casefold()).strip()
    return _TYPE_OF.get(key) or _TYPE_OF.get(_INDEX.sub("", key))


def _header_field(field: str) -> bool:
    """A column name: no digits but its number, no colon or sentence ("Fields missing: name"), three words at most."""
    return (not any(c.isdigit() for c in _INDEX.sub("", field)) and ":" not in field and len(field) <= 30
            and len(field.split()) <= 3)


def split_fields(line: str, delimiter: str) -> list[tuple[int, int]]:
    """[start, end) of each field of a delimited line, quotes and surrounding spaces left out; a quoted field may
    hold the delimiter."""
    fields: list[tuple[int, int]] = []
    i, n = 0, len(line)
    while True:
        start = i
        while i < n and line[i] == " ":
            i += 1
        if line.startswith('"', i):
            close = line.find('"', i + 1)
            i = n if close < 0 else close + 1
        end = line.find(delimiter, i)
        end = n if end < 0 else end
        a, b = start, end
        while a < b and line[a] in ' "\t' and line[a] != delimiter:
            a += 1
        while b > a and line[b - 1] in ' "\t\r' and line[b - 1] != delimiter:
            b -= 1
        fields.append((a, b))
        if end >= n:
            return fields
        i = end + 1


def _header(line: str) -> tuple[str, list[str | None]] | None:
    if len(line) > 400:
        return None
    for delimiter in _DELIMITERS:
        if line.count(delimiter) < 2:
            continue
        fields = [line[a:b] for a, b in split_fields(line, delimiter)]
        if delimiter == "|":  # "| name | phone |": the outer bars make empty first and last fields
            fields = fields[1:-1] if len(fields) > 2 and not fields[0] and not fields[-1] else fields
        if len(fields) < 3 or not all(_header_field(f) for f in fields):
            continue
        types = [column_type(f) for f in fields]
        if any(types):
            return delimiter, types
    return None


class TableColumnRecognizer(TextRecognizer):
    ENTITIES = ("PERSON", "PHONE_NUMBER", "STREET_ADDRESS", "EMAIL_ADDRESS")
    SCORE = 0.8

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        out: list[RecognizerResult] = []
        if not any(d in text for d in _DELIMITERS) or "\n" not in text:
            return out
        lines = text.split("\n")
        offsets = [0]
        for line in lines:
            offsets.append(offsets[-1] + len(line) + 1)
        k = 0
        while k < len(lines):
            header = _header(lines[k])
            k += 1
            if header is None:
                continue
            delimiter, types = header
            while k < len(lines) and lines[k].strip():
                if _SEPARATOR_ROW.fullmatch(lines[k]):
                    k += 1
                    continue
                fields = split_fields(lines[k], delimiter)
                if delimiter == "|" and len(fields) == len(types) + 2:
                    fields = fields[1:-1]
                if len(fields) != len(types):
                    break
                for (a, b), entity in zip(fields, types, strict=True):
                    value = lines[k][a:b]
                    longest = _MAX_VALUE.get(entity or "", _MAX_CELL)
                    if (entity and (not entities or entity in entities) and 0 < len(value) <= longest
                            and not (entity == "PERSON" and value.isupper() and len(value) <= 4)):  # "IT", "HR"
                        out.append(self.result(entity, offsets[k] + a, offsets[k] + b, self.SCORE))
                k += 1
        return out
