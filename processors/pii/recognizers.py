"""Recognizers where Presidio falls short for helpdesk tickets.

The PII stage runs before language detection, so everything here is language-agnostic: regexes,
checksums and libphonenumber, with context words in several languages. Each class is a Presidio
`LocalRecognizer` (through `TextRecognizer`), so the analyzer runs it next to its own recognizers and NER.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from typing import ClassVar

import phonenumbers
import tldextract
from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import EmailRecognizer

from processors.pii.context import mask_dates
from processors.pii.phone_shape import ZIP_PLUS_4, is_amount, is_unlabelled_phone
from processors.pii.recognizer_base import TextRecognizer

__all__ = [
    "AddressRecognizer",
    "CardNumberRecognizer",
    "IbanChecksumRecognizer",
    "OfflineEmailRecognizer",
    "PhoneNumberRecognizer",
    "SecretRecognizer",
    "has_digit_run",
    "iban_is_valid",
    "luhn_is_valid",
]

_CONTEXT_WINDOW = 40
"""Characters before a match that are searched for context words."""


_DIGIT_RUN = re.compile(r"\d(?:[\s().\-/+]{0,3}\d){5}")
"""Six digits with at most a few separators between each: fewer than any phone number has."""


def has_digit_run(text: str) -> bool:
    """Cheap trigger for the phone recognizers (libphonenumber is costly on every text)."""
    return _DIGIT_RUN.search(text) is not None


_EXTENSION = re.compile(r"\s?(?:x|ext\.?|#)\s?\d{1,6}$")


def main_digits(number: str) -> int:
    """Digits of a phone number without its extension ("+1-300-237-6767x55231" has 11)."""
    return sum(ch.isdigit() for ch in _EXTENSION.sub("", number))


def _has_context(text: str, start: int, words: re.Pattern[str]) -> bool:
    return words.search(text, max(0, start - _CONTEXT_WINDOW), start) is not None


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's email regex, validated against the bundled public-suffix snapshot.

    Presidio's own validation calls `tldextract.extract`, which downloads the suffix list on first
    use; this machine (and production pods) have no internet, so the extractor is built with
    `suffix_list_urls=()` and never touches the network.
    """

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(supported_language=supported_language)
        self._extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

    def validate_result(self, pattern_text: str) -> bool:
        return self._extract(pattern_text).fqdn != ""


def luhn_is_valid(digits: str) -> bool:
    """Luhn mod-10 check of a string of digits."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


_BRAND_LENGTHS = (
    (re.compile(r"4"), (13, 16, 19)),  # Visa
    (re.compile(r"5[1-5]|2(?:2[2-9]|[3-6]\d|7[01]|720)"), (16,)),  # Mastercard
    (re.compile(r"3[47]"), (15,)),  # American Express
    (re.compile(r"6011|64[4-9]|65"), (16, 17, 18, 19)),  # Discover
    (re.compile(r"2131|1800"), (15,)),  # JCB, old fifteen-digit numbers
)


def _brand_length(digits: str) -> bool:
    """A card network's number has its network's lengths: a 14-digit "5471..." is no Mastercard, whatever Luhn says
    (one random number in ten passes Luhn). Networks not listed here keep any length from 13 to 19."""
    for prefix, lengths in _BRAND_LENGTHS:
        if prefix.match(digits):
            return len(digits) in lengths
    return True


class CardNumberRecognizer(TextRecognizer):
    """Payment card numbers: 13-19 digits (12 for Maestro), optional space/dash groups, a card-network prefix and
    length, Luhn.

    The Luhn check is what separates a card from a 16-digit order or tracking number.
    """

    ENTITY = "CREDIT_CARD"
    _PATTERN = re.compile(r"(?<![\w-])(?:\d[ -]?){11,18}\d(?![\w-])")
    _PREFIX = re.compile(r"^(?:4|5[1-5]|2[2-7]|3[47]|3[0689]|6[0245]|35|62|5[06-9]|6|2131|1800)")
    _TWELVE = re.compile(r"^(?:5018|5020|5038|5893|6304|6759|676[1-3]|0604|6390)")
    """Maestro's twelve-digit numbers; any other twelve digits are an id far more often than a card."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        out = []
        for m in self._PATTERN.finditer(text):
            raw = m.group()
            digits = raw.replace(" ", "").replace("-", "")
            if len(digits) == 12:
                if not self._TWELVE.match(digits):
                    continue
            elif not 13 <= len(digits) <= 19 or not self._PREFIX.match(digits) or not _brand_length(digits):
                continue
            if len(set(digits)) == 1 or not luhn_is_valid(digits):
                continue
            out.append(self.result(self.ENTITY, m.start(), m.end(), 1.0))
        return out


# Lengths of the IBAN per country: every country of the ISO 13616 (SWIFT) IBAN registry.
_IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28,
    "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28,
    "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22,
    "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23,
    "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24,
    "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}  # fmt: skip


def iban_is_valid(iban: str) -> bool:
    """ISO 7064 mod-97 check of a compact IBAN (no spaces)."""
    iban = iban.upper()
    if len(iban) < 15 or not iban[:2].isalpha() or not iban[2:4].isdigit() or not iban.isalnum():
        return False
    expected = _IBAN_LENGTHS.get(iban[:2])
    if expected is not None and len(iban) != expected:
        return False
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


class IbanChecksumRecognizer(TextRecognizer):
    """IBANs, compact or in groups of four, in any case; accepted with a valid mod-97 checksum, or right after an
    "IBAN" label without one (a mistyped IBAN is still the customer's account).

    The regex may run on into the next word (grouped IBANs look like ordinary tokens), so the
    candidate is cut back to the country's IBAN length, or the longest prefix that validates.
    """

    ENTITY = "IBAN_CODE"
    _PATTERN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){11,30}")

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        out = []
        pos = 0
        while (m := self._PATTERN.search(text, pos)) is not None:
            pos = m.start() + 2  # the match may have run over the next IBAN ("from <IBAN> to <IBAN>")
            raw = m.group()
            # End offset (within raw) after each alphanumeric character.
            ends = [i + 1 for i, ch in enumerate(raw) if ch != " "]
            compact = raw.replace(" ", "")
            country = compact[:2].upper()
            lengths: Iterable[int] = (
                [_IBAN_LENGTHS[country]] if country in _IBAN_LENGTHS else range(min(34, len(compact)), 14, -1)
            )
            for n in lengths:
                if n > len(compact):
                    continue
                end = ends[n - 1]
                if end < len(raw) and raw[end] != " ":
                    continue  # would cut a token in two
                if iban_is_valid(compact[:n]):
                    out.append(self.result(self.ENTITY, m.start(), m.start() + end, 1.0))
                    pos = m.start() + end
                    break
            else:
                end = self._labelled_end(text, m.start(), raw)
                if end:
                    out.append(self.result(self.ENTITY, m.start(), m.start() + end, 0.8))
                    pos = m.start() + end
        return out

    _LABEL_BEFORE = re.compile(r"(?i)\biban\s*(?:no\.?|number|nr\.?)?\s*[:=#]?\s*$")

    def _labelled_end(self, text: str, start: int, raw: str) -> int:
        """Length of an IBAN-shaped value right after an "IBAN" label whose checksum fails (a typo, or a number
        cut short, is still the customer's account): its first token and the short upper-case groups after it."""
        if self._LABEL_BEFORE.search(text, max(0, start - 16), start) is None:
            return 0
        tokens = raw.split(" ")
        kept = [tokens[0]]
        for token in tokens[1:]:
            if not (len(token) <= 4 and token.isalnum() and token.upper() == token):
                break
            kept.append(token)
        end = len(" ".join(kept))
        return end if sum(c.isalnum() for c in raw[:end]) >= 15 else 0


_PHONE_CONTEXT = re.compile(
    r"(?i)\b(?:phone|tel|telephone|mobile|mob|cell|call|fax|whats ?app|sms|text me|reach me|office|"
    r"telefon|handy|mobil|rufnummer|anruf|tél|téléphone|portable|appel|teléfono|telefono|móvil|"
    r"movil|llamar|llámame|cellulare|chiamare)"
)
_PHONE_CONTEXT_AFTER = 15
"""Characters after a match searched too: contact blocks write "555-0100 (mobile)"."""
_PHONE_SHAPED = re.compile(
    r"(?<![\w+])(?<!\d-)(?:\+\d{1,3}[ .-]?|1[ .-](?=\d{3}[ .-]\d{3}[ .-]\d{4})|1[ .-]?(?=\(\d{3}\)))?"  # 1-277-873-9560
    r"(?:\(\d{1,5}\)[ .-]?\d{2,10}(?:[ .-]\d{2,8}){0,3}|\d{2,5}(?:[ ./-]\d{2,5}){0,3}[ ./-]\d{2,8})"
    r"(?:\s?(?:x|ext\.?|#)\s?\d{1,6})?(?![\w-])"
)
_INTERNATIONAL = re.compile(
    r"(?<![\w+])(?:\+|\(\+|\+\()\d{1,3}\)?(?:[ .-]?\(\d{1,5}\))?(?:[ .-]?\d){6,14}"
    r"(?:\s?(?:x|ext\.?|#)\s?\d{1,6})?(?![\w-])"
)
"""A number written with its country code ("+371 83016613", "(+57)6061049746"): a phone number even where
libphonenumber does not know the plan (new ranges, made-up test numbers) and no phone word is near."""
_NANP_SHAPED = re.compile(
    r"(?<![\w+.-])(?:\(\d{3}\)\s?|\d{3}[-.])\d{3}[-.]\d{4}(?:\s?(?:x|ext\.?|#)\s?\d{1,6})?(?![\w-])"
)
"""The North American shape ("(875)749-1186", "685-995-2890"), written this way by people for phone numbers
only, taken even where the area code is unassigned."""
_DATE_SHAPED = re.compile(r"^\d{4}[-./]\d{1,2}[-./]\d{1,2}$|^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$")


class _FoundNumbers:
    """Phone spans found so far with their scores, queried by overlap through a sorted index: a paste of
    thousands of number groups would otherwise make every overlap check a scan of all of them."""

    def __init__(self) -> None:
        self.scores: dict[tuple[int, int], float] = {}
        self._keys: list[tuple[int, int]] = []
        self._longest = 0

    def __contains__(self, key: tuple[int, int]) -> bool:
        return key in self.scores

    def put(self, key: tuple[int, int], score: float) -> None:
        if key not in self.scores:
            bisect.insort(self._keys, key)
            self._longest = max(self._longest, key[1] - key[0])
        self.scores[key] = score

    def pop(self, key: tuple[int, int]) -> float:
        score = self.scores.pop(key)  # KeyError for a key never put
        del self._keys[bisect.bisect_left(self._keys, key)]
        return score

    def overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        i = bisect.bisect_left(self._keys, (start - self._longest, -1))
        out = []
        while i < len(self._keys) and self._keys[i][0] < end:
            s, e = self._keys[i]
            if start < e:
                out.append((s, e))
            i += 1
        return out


def _add_enclosing(found: _FoundNumbers, start: int, end: int, score: float) -> None:
    """Take a phone shape unless it overlaps a number already found; one that encloses them replaces them, since
    libphonenumber may validate only a tail of an unknown plan's number ("+7 (290) 048-92-49" → "048-92-49")."""
    overlapping = found.overlapping(start, end)
    if any(s < start or e > end for s, e in overlapping):
        return
    for key in overlapping:
        score = max(score, found.pop(key))
    found.put((start, end), score)


class PhoneNumberRecognizer(TextRecognizer):
    """Phone numbers in international and national formats, through libphonenumber.

    Presidio's phone recognizer matches few national formats and its UK NHS recognizer fires on
    10-digit phone numbers. libphonenumber validates the number plan per region. A bare run of
    digits (no `+`, no separators) is only taken with a phone-ish context word before it, so
    order and ticket numbers that happen to be valid numbers are left alone.
    """

    ENTITY = "PHONE_NUMBER"

    def __init__(self, regions: Sequence[str] = ("US", "GB", "DE", "FR", "ES"), supported_language: str = "en",
                 unlabelled: bool = True) -> None:
        super().__init__(supported_language=supported_language)
        self.regions = tuple(regions)
        self.unlabelled = unlabelled
        """Also take grouped numbers with no phone word near that read as nothing else (`phone_shape`)."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        found = _FoundNumbers()
        if not has_digit_run(text):
            return []
        for region in self.regions:
            for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
                key = (match.start, match.end)
                if key in found:
                    continue
                raw = match.raw_string
                formatted = raw.startswith("+") or not raw.isdigit()
                context = _has_context(text, match.start, _PHONE_CONTEXT)
                short = sum(c.isdigit() for c in raw) < 7
                if not context and (not formatted or short or ZIP_PLUS_4.match(raw)
                                    or is_amount(text, match.start, match.end)):
                    continue
                found.put(key, 0.95 if context else 0.75)
        for m in _INTERNATIONAL.finditer(text):
            if 8 <= main_digits(m.group()) <= 15:
                _add_enclosing(found, m.start(), m.end(), 0.7)
        for m in _NANP_SHAPED.finditer(text):
            _add_enclosing(found, m.start(), m.end(), 0.65)
        # Phone-shaped strings libphonenumber rejects (unknown plans, fake numbers, odd extensions)
        # are still redacted when a phone word is right next to them: leaking one costs more.
        for m in _PHONE_SHAPED.finditer(mask_dates(text)):
            digits = main_digits(m.group())
            if not 7 <= digits <= 16 or _DATE_SHAPED.match(m.group()):
                continue
            if any(s < m.start() or e > m.end() for s, e in found.overlapping(m.start(), m.end())):
                continue
            after = text[m.end() : m.end() + _PHONE_CONTEXT_AFTER]
            if _has_context(text, m.start(), _PHONE_CONTEXT) or _PHONE_CONTEXT.search(after):
                _add_enclosing(found, m.start(), m.end(), 0.6)
            elif self.unlabelled and is_unlabelled_phone(text, m.start(), m.end()):
                _add_enclosing(found, m.start(), m.end(), 0.55)
        return [self.result(self.ENTITY, s, e, score) for (s, e), score in found.scores.items()]


_NOT_A_SECRET_VALUE = re.compile(r"(?i:true|false|yes|no|null|none|nil|undefined|n/a|on|off|\*+|x+)|\$\{[^}]*\}?"
                                 r"|\d+|/[^\s]*|https?://\S*")
"""Config values that are no secret: booleans, placeholders, numbers, paths and links."""


class SecretRecognizer(TextRecognizer):
    """Credentials pasted into tickets: cloud keys, tokens, passwords, private keys.

    For `label: value` forms only the value is redacted, so the ticket still says what kind of
    secret was shared.
    """

    ENTITY = "SECRET"
    _WHOLE: ClassVar[list[str]] = [
        r"-----BEGIN [A-Z ]*PRIVATE KEY(?: BLOCK)?-----.*?-----END [A-Z ]*PRIVATE KEY(?: BLOCK)?-----",
        r"\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b",
        r"\bsk-(?:proj-|ant-|live-|test-)?[A-Za-z0-9_\-]{16,}",
        r"\b(?:rk|pk|sk)_(?:live|test)_[A-Za-z0-9]{16,}",
        r"\bgh[pousr]_[A-Za-z0-9]{30,}",
        r"\bgithub_pat_[A-Za-z0-9_]{30,}",
        r"\bglpat-[A-Za-z0-9_\-]{20,}",
        r"\bxox[abposr]-[A-Za-z0-9-]{10,}",
        r"\bAIza[0-9A-Za-z_\-]{35}",
        r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}",
    ]
    # Group 1 is the secret value after a label.
    _LABELLED: ClassVar[list[str]] = [
        r"(?i)\bbearer\s+([A-Za-z0-9\-._~+/]{12,}=*)",
        r"(?i)(?<![^\W_])(?:aws_secret_access_key|secret[_ ]?key|client[_ ]?secret|api[_ -]?key|apikey|"
        r"access[_ ]?token|auth[_ ]?token|token|secret)\s*[:=]\s*[\"']?([^\s\"',;]{8,})",
        # "Password:" and the word in the languages tickets arrive in
        r"(?i)(?:\b(?:password|passwort|kennwort|passwd|pwd|pass|contraseña|contrasena|clave|"
        r"mot de passe|mdp|senha|palavra-passe|wachtwoord|parola|passcode|pin|hasło|haslo|heslo|lösenord|"
        r"losenord|adgangskode|passord|salasana|jelszó|jelszo|şifre|sifre|parolă|пароль|κωδικός)\b"
        r"(?:\s+(?:is|was|ist|lautet|war|est|es|era|é|is now|ist jetzt))?\s*[:=]?\s*)"
        r"[\"'«]?([^\s\"'»]{4,})",
        r"(?i)\b(?!(?:max|min|show|use|enable|disable|forgot|reset|page|next|prev|tests?|expire|ttl|ticket|status|"
        r"sort|num|count|len)_)\w*_(?:password|passwd|pwd|pass|secret|token)[ \t]*[:=][ \t]*[\"']?"
        r"([^\s\"',;]{4,})",  # DB_PASSWORD=...
        r"\b[a-zA-Z][a-zA-Z0-9+.-]{1,20}://[^\s:/@]{1,64}:([^\s@/?#]{3,128})@",  # postgres://user:password@host
    ]

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(supported_language=supported_language)
        self._whole = [re.compile(p, re.DOTALL) for p in self._WHOLE]
        self._labelled = [re.compile(p) for p in self._LABELLED]

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        out = []
        for pattern in self._whole:
            out += [self.result(self.ENTITY, m.start(), m.end(), 1.0) for m in pattern.finditer(text)]
        for index, pattern in enumerate(self._labelled):
            config_line = index >= 3  # `X_PASSWORD=` and `scheme://user:password@`: config, where values vary most
            for m in pattern.finditer(text):
                value = m.group(1)
                word = value.rstrip(",;.")  # "Forgot password again, please": the word without its comma
                # "password: reset" / "Passwort vergessen": a bare lowercase word is rarely a secret, except as a
                # config or URL password ("DB_PASSWORD=changeme", "postgres://app:letmein@db"). "POST
                # /accounts/1/password HTTP/1.1" is a request line.
                if (word.isalpha() and word.islower() and not config_line) or word.startswith("HTTP/"):
                    continue
                if (config_line and _NOT_A_SECRET_VALUE.fullmatch(value)) or (  # "SHOW_PASSWORD=False", a port
                        index == 2 and word.isalpha() and not re.search(r"[:=]|\bis\b|\bist\b",
                                                                         text[m.start() : m.start(1)])):
                    continue  # "Lösenord Återställning fungerar inte": a capitalised word after the bare label
                out.append(self.result(self.ENTITY, m.start(1), m.end(1), 0.9))
        return out


_CAP = r"[A-ZÀ-ÖØ-ÞĀ-ſȘȚ][\w'’-]{0,40}"  # a capitalised word (Latin Extended-A: "Żurawia", "Łódzka")
_STREET_EN = (
    r"Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|"
    r"Parkway|Pkwy|Highway|Hwy|Circle|Cir|Square|Sq|Close|Crescent|Row|Walk|Trail|Alley"
)
_UNIT = r"(?:,?\s*(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|#)\.?\s*#?\w{1,6})?"
_DE_SUFFIX = r"stra(?:ß|ss)e|str\.|weg|gasse|platz|allee|ring|damm|ufer|chaussee|straat|laan|gracht|plein|steig"
_ROMANCE = (
    r"rue|avenue|av\.|boulevard|bd|place|impasse|allée|chemin|quai|route|cours|calle|c/|avenida|avda\.?|"
    r"paseo|plaza|camino|carrer|rua|via|viale|piazza|corso|largo|travessa"
)
_NAME_FIRST = (
    r"Calle|C/|Avenida|Avda\.?|Av\.?|Paseo|Plaza|Camino|Carrer|Rua|R\.|Via|Viale|Piazza|Corso|Largo|Travessa|"
    r"Alameda|Praça|Pátio|Recanto|Beco|Estrada|Rodovia|Ladeira|Rambla|Ronda|Passeig|Avinguda|Travesía|Callejón|"
    r"Cerrada|Privada|Retorno|Circuito|Andador|Calzada|Prolongación|Diagonal|Diag\.|Carrera|Cra\.|Transversal|"
    r"Bulevar|Bulevardul|Aleea|Splaiul|Şoseaua|Soseaua|Intrarea|Vicolo|Contrada|Borgo|Salita|Strada|Str\.|Ul\.|"
    r"Aleja|Al\.|Plac|Osiedle|Os\.|Rue|Chemin|Allée|Impasse|Quai|Cours"
)
"""Street types written before the street's name, the house number after it ("Av do Mirante, 130", "Strada Anaida
Ionescu Nr. 14", "Diag. La Rioja N° 535")."""
_PARTICLES = r"(?:(?:de|del|de la|de los|de las|du|des|de l'|d'|la|le|les|dei|della|do|da|dos)\s*)?"


COUNT_AFTER = re.compile(r"[ \t]+(?i:days?|weeks?|months?|years?|hours?|hrs|minutes?|mins?|seconds?|times|items?|"
                          r"pieces?|pcs|boxes|people|persons|percent|km|miles|euros?|dollars?|eur|usd|gbp)\b")
"""A unit after the number: "delivery to Győr took 24 days" is a duration, not a street and house number."""


class AddressRecognizer(TextRecognizer):
    """Street addresses: "123 Main Street", "Hauptstraße 12", "12 rue de la Paix", "Calle Mayor 5".

    A street line is the identifying part; an optional postcode and city after it are included.
    City or country names alone are not redacted (they are not identifying and help routing).
    """

    ENTITY = "STREET_ADDRESS"
    _PATTERNS: ClassVar[list[str]] = [
        # US / UK: number, 1-4 capitalised words, street type.
        rf"\b\d{{1,6}}[A-Za-z]?\s+(?:{_CAP}\s+){{0,3}}{_CAP}\s+(?i:{_STREET_EN})\b(?:\s+(?:N|S|E|W|NE|NW|SE|SW)\b)?{_UNIT}"
        r"(?:,\s*" + _CAP + r"(?:\s+" + _CAP + r")?,?\s+[A-Z]{2}\s+\d{5}(?:-\d{4})?)?",
        # German / Dutch compound: Hauptstraße 12, Am Lindenweg 3a.
        r"\b(?:(?:Am|An der|An den|Im|In der|Auf der|Auf dem|Zum|Zur|Alte|Alter|Neue|Neuer|Obere|Untere)\s+)?"
        rf"[A-ZÄÖÜ][\wäöüß-]{{0,40}}(?i:{_DE_SUFFIX})\s*\d{{1,4}}\s?[a-z]?\b",
        # German separate word: Berliner Straße 5, Straße des 17. Juni 4.
        rf"\b{_CAP}\s+(?:Stra(?:ß|ss)e|Str\.|Weg|Gasse|Platz|Allee|Ring|Damm)\s+\d{{1,4}}\s?[a-z]?\b",
        # French / Spanish / Portuguese / Italian, number first: 12 rue de la Paix, 5 bis avenue Foch.
        rf"\b\d{{1,4}}(?:\s?(?:bis|ter))?,?\s+(?i:{_ROMANCE})\s+{_PARTICLES}{_CAP}(?:\s+{_PARTICLES}{_CAP}){{0,3}}",
        # Number after the name: Calle Mayor 5, Via Roma 10, Rua Augusta, 25.
        rf"(?<!\w)(?:{_NAME_FIRST}|(?i:rue|chemin|ul\.|ulica|strada|calea))\s+{_PARTICLES}{_CAP}"
        rf"(?:\s+{_PARTICLES}{_CAP}){{0,3}},?\s+"
        r"(?:(?i:n[º°o.]|nr\.?|no\.)\s*)?\d{1,4}[a-zA-Z]?\b",
    ]
    # "my address is ...", "ship to: ...": the value after an address word, up to the sentence end.
    _AFTER_LABEL = re.compile(
        r"(?i)\b(?:address|addr\.|adresse|anschrift|lieferadresse|dirección|direccion|domicilio|indirizzo|"
        r"endereço|ship(?:ping)? to|deliver(?:y)? to|send (?:it |them |the \w+ )?to|live at|moved to|"
        r"wohne in|j'habite(?: au| à)?|vivo en)\s*(?:is|:|ist|es|est|lautet)?\s*:?\s*"
        r"(\d[^?!;\n]{3,100}?|[A-ZÀ-Þ][^?!;\n]{3,100}?\d[^?!;\n]{0,60}?)"
        r"(?=[?!;]|\.\s|\.$|\n\s*\n|$"
        r"|\s(?:for|and|but|because|please|thanks|bitte|danke|merci|gracias|in case)\b)"
    )
    _UNIT_LINE = re.compile(
        r"\b(?:Apt|Apartment|Suite|Ste|Unit|Flat|Wohnung|Appartement|Piso)\.?\s*#?\d{1,5}[A-Za-z]?\b"
    )
    _POSTCODE_CITY = re.compile(r",?\s*(?:[A-Z]{1,2}-)?\d{4,5}\s+" + _CAP + r"(?:[ -]" + _CAP + ")?")

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(supported_language=supported_language)
        self._patterns = [re.compile(p) for p in self._PATTERNS]

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        out = []
        for pattern in self._patterns:
            for m in pattern.finditer(text):
                end = m.end()
                tail = self._POSTCODE_CITY.match(text, end)
                if tail:
                    end = tail.end()
                out.append(self.result(self.ENTITY, m.start(), end, 0.7))
        for m in self._AFTER_LABEL.finditer(text):
            if not any(COUNT_AFTER.match(m.group(1), d.end()) for d in re.finditer(r"\d+", m.group(1))):
                out.append(self.result(self.ENTITY, m.start(1), m.end(1), 0.65))
        out += [self.result(self.ENTITY, m.start(), m.end(), 0.55) for m in self._UNIT_LINE.finditer(text)]
        return out
