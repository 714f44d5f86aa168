"""Local phone numbers that libphonenumber cannot validate without a region, caught by their context.

`PhoneNumberRecognizer` validates numbers against phone-number plans, which needs a country code or one of
the configured regions. Tickets also carry short local numbers ("785 8949", "(32) 484-557", "25-62-29-72")
right after a phone cue ("call me at", "not answering at", "tel:", "my direct line is"). Here a run of 7 to 15
digits, grouped or not, within a few words after such a cue, counts as a phone number (an id after its own
label, "order number 12345678", is dropped by `context.is_lookalike`). Without a cue nothing is found, so
order ids and amounts are left alone.
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from processors.pii.recognizer_base import TextRecognizer
from processors.pii.recognizers import has_digit_run, main_digits

_CUE = re.compile(
    r"(?i)\b(?:phone|tel(?:ephone)?|mobile|cell|handy|téléphone|teléfono|telefono|telefon|fax|whats ?app|"
    r"call(?:ing)?|ring|text|sms|dial(?:led)?|reach(?:ed)?|answer(?:ing|ed)?|contact(?:ed)?|number|(?:land|hot)?line|"
    # the same words in the languages tickets arrive in: "Contacto", "me rappeler au", "Numer służbowy:"
    r"contacto|contato|contatto|kontakt|numer (?:telefonu|służbowy|komórki)|número de (?:teléfono|telefone|celular)|"
    r"numero di telefono|numéro de (?:téléphone|portable)|telefoonnummer|telefoon|telefonnummer|rufnummer|rappeler|"
    r"appeler|"
    r"joindre|"
    r"llamar|llámame|llamame|chiamare|chiamami|anrufen|ligar|ligue|zadzwoń|telefone|tél|celular|cellulare|"
    r"móvil|movil|komórka|tlf|puhelin|try[ \t]+me(?:[ \t]+on|[ \t]+at)?|"
    r"messag(?:e|es|ed|ing)|voicemail|texting|(?P<near>home|work|office|private|direct))\b"
    r"|^[ \t]*(?:[TMFPH]|Ph|Mob|Tel)\b[.:]?(?=[ \t]+[+(\d])"  # a signature's "T 0171 ..." / "M: 0151 ..."
    , re.MULTILINE
)
_NUMBER = re.compile(
    r"(?<![\w+-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?(?:\d{1,8}(?:[ ./-]\d{1,8}){1,5}|\d{7,15})"
    r"(?:\s?(?:x|ext\.?)\s?\d{1,6})?(?![\w-])"
)
_NEAR_GAP = re.compile(r"[ \t]*[:=–-]?[ \t]*")
"""Cues that are ordinary words too ("home", "work", "office", "direct") announce a number only right after them,
as in a list of numbers ("home 040 932 959, work 031 393 479"); "Home router at 10.10.100.254", "Office 2019 ...
16.0.10827" and "Direct deposit of 1.234.567" are no phone numbers."""
_DOTTED_NOT_PHONE = re.compile(r"(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}"  # 10.10.100.254
                               r"|\d+(?:\.\d+)*\.\d\.\d+(?:\.\d+)*")  # 10.0.19045.3693: a version
_DATE = re.compile(r"(?:19|20)\d\d([ ./-])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01])|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")
"""2024-05-06, 2024 05 06, 06.05.2024: a date after "messages" or "office" is no phone number."""
_COMPACT_DATE = re.compile(r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")
_LABEL_AFTER = re.compile(r"[ \t]?[(\[](?i:mobile|mob|cell(?:phone)?|phone|tel|fax|landline|whats ?app|direct line)"
                          r"[)\]]")
"""A phone word in brackets right after the number: "0995422059 (mobile)". Not "(Home)", "(Office)", "(M)": product
editions and sizes are written so too."""
_CUE_AFTER = re.compile(
    r"[ \t]*[-–:,]?[ \t]*(?:(?i:(?:pls|please|plz)[ \t]+)?(?i:call|ring|text|whats ?app)[ \t]+(?i:me|us|back)\b"
    r"|(?i:(?:twice|again|[a-z]+ times)[ \t,]+)?(?i:but[ \t]+)?(?i:nobody|no one|noone|no-one)[ \t]+"
    r"(?i:picked up|picks up|answered|answers|is answering)"
    r"|(?i:(?:and|but)[ \t]+)?(?i:it[ \t]+)?(?i:went|goes)[ \t]+(?i:straight[ \t]+)?to[ \t]+voicemail"
    r"|(?i:(?:but|and)[ \t]+)?(?i:it'?s|it is|is)[ \t]+(?i:always[ \t]+)?(?:busy|engaged|not answering))"
)
"""What is said of a phone number after it: "64342031 - pls call back", "I tried 785 8949 twice but nobody picked
up", "0171 2345678 went to voicemail", "... is always busy"."""
_SIGNATURE_LABEL = re.compile(r"(?m)^[ \t]*(?:[TMFPH]|Ph|Mob|Tel)\b[.:]?[ \t]*$")


_PHONE_WORD = re.compile(r"(?i)\b(?:phone|tel(?:ephone)?|mobile|cell|handy|téléphone|teléfono|telefono|telefon|"
                         r"fax|whats ?app|sms|landline|hotline)\b")
_STRONG_CUE = re.compile(r"\b(?i:contact(?:ed)?|direct line|(?:my|our|his|her|their|new|old) number|"
                         r"(?:call|ring|text|reach|dial)\s+(?:me|us|him|her|them)\b)"
                         r"|\b(?i:call|ring|text|dial|sms|whats ?app)(?:\s+[A-Z][\w'-]+){0,2}\s*(?i:on|at)?\s*$"
                        r"|\b(?i:missed call|call(?:s|ed)?|messages?|texts?) from\s*$")
"""Besides phone words, what announces a bare run of digits as a phone number: "my number is", "text 2892448108",
"ring Jan 5868263", "a missed call from 95422058"."""


def _bare_run_is_phone(window: str, digits: str) -> bool:
    """An ungrouped run of digits after a cue (`window`: the cue and the words up to the digits). A national number
    ("06294747685") after any cue; otherwise only after a word that names a phone ("Phone: 1403511619"), or after
    "contact", "direct line", "call me on" when it is not a date or a Unix time — not after "number of",
    "call duration", "line 1048576"."""
    if digits.startswith("0") or _PHONE_WORD.search(window) or _SIGNATURE_LABEL.search(window):
        return True
    if _STRONG_CUE.search(window) is None:
        return False
    if _COMPACT_DATE.fullmatch(digits):
        return False  # 20240312
    return re.fullmatch(r"1\d{9}", digits) is None  # 1710238800: seconds since 1970


_ANSWER_GAP = re.compile(r"[^\n\d]{0,40}\n[ \t]*[^\n]{1,60}:[ \t]*")
"""The rest of a question line, then the answer's speaker: "phone number on file?\ncustomer (2023-05-03T17:13Z): "."""
_CHAINED = re.compile(r"[ \t]*(?:,|/|(?i:or|and|to|oder|und|ou|et|o|y|of))[ \t]+(?:(?i:on|at)[ \t]+)?"
                      rf"(?P<number>{_NUMBER.pattern})"
                      r"(?=[ \t]*(?:[.,;:!?)\n]|$|\((?i:mobile|cell|home|work|office)\))"
                      r"|[ \t]+(?i:for|on|as|please|pls|thanks|asap|instead|tomorrow|today)\b)")
"""A second number joined to a phone number: the old and the new one, a mobile or a landline."""


_SIX_GROUPED = re.compile(r"\d\d([ -])\d\d\1\d\d|\d{3} \d{3}|\(\d{2,3}\)[ ]?\d{3,4}")
"""Six-digit local numbers of small exchanges, grouped as they are dialled: "33 93 31", "481-231", "(32) 4845".
Only after a word that names a phone or a call: a bare "123456" is a verification code, "12 34 56" after
"ticket" or "order" an id, "300-400" a range; not a time or date after "at" or "on" ("Missed call at 14 32 05"),
nor before a unit or "is the code"."""
_SIX_PHONE_WORD = re.compile(r"(?i)\b(?:phone|tel(?:ephone)?|mobile|cell|handy|téléphone|teléfono|telefono|telefon|"
                             r"telefoon|móvil|movil|celular|cellulare|portable|fax|landline|call|ring|dial)\b")
"""Words that name a phone or a call; "sms" and "whatsapp" alone are where codes arrive ("SMS: 482 913")."""
_SIX_AFTER = re.compile(r"[ \t]*(?:[%€$£]|(?i:is the code|was the code|hz|khz|units?|euros?|dollars?|pounds?|"
                        r"items?|pcs|pieces?|rows?|users?|minutes?|seconds?)\b)")
_TIME_OR_DATE = re.compile(r"(?:[01]\d|2[0-3])[ -][0-5]\d[ -][0-5]\d"
                           r"|(?:0[1-9]|[12]\d|3[01])[ -](?:0[1-9]|1[0-2])[ -]\d\d")


_SIX_GAP = re.compile(r"(?i:[ \t]*(?:[:=.#-]|is|was|on|at|me|us|back|no\.?|nr\.?|number|now|still|changed to|"
                      r"es|è|ist|er|est|é|é o|c'est)[ \t]*){0,4}")
"""Between the cue and a six-digit number only the words that hand a number over: "My cell is 29 40 13",
"call me back on 87 33 30", not "call me about order 123 456"."""


def _six_digit_phone(window: str, gap: str, number: str, after: str) -> bool:
    if (_SIX_GROUPED.fullmatch(number) is None or _SIX_GAP.fullmatch(gap) is None or _SIX_AFTER.match(after)
            or (_TIME_OR_DATE.fullmatch(number) and re.search(r"(?i)\b(?:at|on)[ \t]*$", gap))):
        return False
    return (_SIX_PHONE_WORD.search(window) is not None or _STRONG_CUE.search(window) is not None
            or _SIGNATURE_LABEL.search(window) is not None)


def _phone_like(number: str) -> bool:
    """As many digits as a phone number has, and not a date, an IP address or a version number."""
    return 7 <= main_digits(number) <= 15 and not any(
        p.fullmatch(number) for p in (_DATE, _COMPACT_DATE, _DOTTED_NOT_PHONE))


class ContextPhoneRecognizer(TextRecognizer):
    ENTITY = "PHONE_NUMBER"
    WINDOW = 40
    """Characters between the end of the cue and the number."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        out: list[RecognizerResult] = []
        if not has_digit_run(text):
            return out
        for cue in _CUE.finditer(text):
            window_end = min(len(text), cue.end() + self.WINDOW + 80)
            m = _NUMBER.search(text, cue.end(), window_end)
            if m is None or "\n\n" in text[cue.end():m.start()]:
                continue
            if m.start() - cue.end() > self.WINDOW and not _ANSWER_GAP.fullmatch(text, cue.end(), m.start()):
                continue
            if cue["near"] and not _NEAR_GAP.fullmatch(text, cue.end(), m.start()):
                continue
            if _DOTTED_NOT_PHONE.fullmatch(m.group()):
                continue
            if m.group().isdigit() and not _bare_run_is_phone(text[max(0, cue.start() - 7) : m.start()], m.group()):
                continue
            digits = main_digits(m.group())
            six = digits < 7 and _six_digit_phone(text[max(0, cue.start() - 7) : m.start()],
                                                   text[cue.end() : m.start()], m.group(), text[m.end() : m.end() + 20])
            if (7 <= digits <= 15 or six) and not _DATE.fullmatch(m.group()):
                out.append(self.result(self.ENTITY, m.start(), m.end(), 0.6))
                while (more := _CHAINED.match(text, m.end())) is not None and _phone_like(more["number"]):
                    m = more  # "from 70144 66759 to 9824545704", "0171 2345678 or 0172 3456789"
                    out.append(self.result(self.ENTITY, m.start("number"), m.end("number"), 0.6))
        for m in _NUMBER.finditer(text):
            if _CUE_AFTER.match(text, m.end()) and _phone_like(m.group()):
                out.append(self.result(self.ENTITY, m.start(), m.end(), 0.6))  # "64342031 - pls call back"
            if _LABEL_AFTER.match(text, m.end()) and _phone_like(m.group()):
                out.append(self.result(self.ENTITY, m.start(), m.end(), 0.6))
        return out


_AFTER_NAME = re.compile(rf",[ \t]+(?:(?P<middle>[^\n,:@\d]{{1,40}}),[ \t]+)?(?P<number>{_NUMBER.pattern})"
                         r"[ \t]*(?=\n|$|[.)])")
_ID_MIDDLE = re.compile(r"(?i)\b(?:invoice|order|ticket|case|ref|reference|po|sku|item|account|customer|serial|"
                        r"asset|tag|id|no|number|support|billing|sales)\b")
"""A part between the name and the number that says what the number is: "Sarah Miller, Invoice, 45566778"."""
_NUMBER_LINE = re.compile(rf"(?m)^[ \t>]*(?P<number>{_NUMBER.pattern})[ \t]*$")


def numbers_by_names(text: str, persons: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Phone numbers a signature gives without a word: after the name and a comma at the end of the line
    ("Juhani Tiainen, 0569595561", "Line Halvorsen, Logistics, 47770301"), or alone on one of the three lines
    under a name that starts its line ("Frede Laursen / Office Manager / 01237825")."""
    out: list[tuple[int, int]] = []
    for start, end in persons:
        m = _AFTER_NAME.match(text, end)
        if m is not None and _phone_like(m["number"]) and not (m["middle"] and _ID_MIDDLE.search(m["middle"])):
            out.append(m.span("number"))
        line_end = text.find("\n", end)
        if text[text.rfind("\n", 0, start) + 1 : start].strip(" \t>") or line_end == -1 or text[end:line_end].strip():
            continue  # the name is not alone on its line: no signature
        below = text[line_end:]
        for m in _NUMBER_LINE.finditer(below, 0, _nth_line_end(below, 3)):
            between = below[: m.start()].splitlines()[1:-1]  # the lines between the name and the number
            if _phone_like(m["number"]) and not any(
                    line.rstrip().endswith(":") or re.fullmatch(r"[ \t>]*[A-Z][a-z]+[ \t]*", line) for line in between):
                out.append((line_end + m.start("number"), line_end + m.end("number")))
    return out


def _nth_line_end(text: str, n: int) -> int:
    at = 0
    for _ in range(n):
        at = text.find("\n", at + 1)
        if at == -1:
            return len(text)
    return at
