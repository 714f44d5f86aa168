"""The text a ticket's language is judged by: the customer's newest words.

A reply quotes the agent's earlier message (often in another language), carries a signature and a
"Sent from my iPhone" line, and redaction leaves placeholders such as `<PERSON_1>`. None of that is
the customer's language, so it is removed before detection. Pure string work, no detector.
"""

from __future__ import annotations

import re

_PLACEHOLDER = re.compile(r"<[A-Z][A-Z0-9_]*_\d+>")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_EMAIL = re.compile(r"\S+@\S+")
_WITH_DIGITS = re.compile(r"\S*\d\S*")
_WORD = re.compile(r"[^\W\d_]{2,}")

_LINE = r"[^\n]{0,300}?"
_WRAPPED = rf"{_LINE}(?:\n{_LINE})?"
"""A reply header may wrap onto a second line (long names and addresses)."""

_REPLY_HEADER = re.compile(
    "|".join(
        [
            rf"^[ \t]*On\b{_WRAPPED}\bwrote:[ \t]*$",  # Gmail, Apple Mail (en)
            rf"^[ \t]*Am\b{_WRAPPED}\bschrieb\b{_LINE}:[ \t]*$",  # de
            rf"^[ \t]*Le\b{_WRAPPED}\ba écrit[ \t]*:[ \t]*$",  # fr
            rf"^[ \t]*El\b{_WRAPPED}\bescribió[ \t]*:[ \t]*$",  # es
            rf"^[ \t]*Il\b{_WRAPPED}\bha scritto[ \t]*:[ \t]*$",  # it
            rf"^[ \t]*(?:Em|No dia)\b{_WRAPPED}\bescreveu[ \t]*:[ \t]*$",  # pt
            rf"^[ \t]*Op\b{_WRAPPED}\bschreef\b{_LINE}:[ \t]*$",  # nl
            r"^[ \t]*-{2,}[ \t]*(?:Original Message|Ursprüngliche Nachricht|Message d'origine|Mensaje original"
            r"|Messaggio originale|Mensagem original|Oorspronkelijk bericht|Forwarded message"
            r"|Weitergeleitete Nachricht|Message transféré|Mensaje reenviado)[ \t]*-{2,}[ \t]*$",
            r"^[ \t]*_{10,}[ \t]*$",  # Outlook's separator line above the quoted header block
            # Outlook's header block without a separator: From/Von/De/Da/Van, then Sent/Date/To within 3 lines.
            r"^[ \t]*\*?(?:From|Von|De|Da|Van)[ \t]?:\*?[^\n]*\n(?:[^\n]*\n){0,3}?[ \t]*\*?"
            r"(?:Sent|Date|To|Gesendet|Datum|An|Envoyé|À|Enviado|Fecha|Para|Inviato|Data|A|Verzonden|Aan)[ \t]?:",
        ]
    ),
    re.MULTILINE | re.IGNORECASE,
)
_SIGNATURE_DELIMITER = re.compile(r"^-- ?$", re.MULTILINE)
_DEVICE_LINE = re.compile(
    r"^[ \t]*(?:Sent from my|Sent from Mail for|Get Outlook for|Von meinem|Gesendet von meinem|Outlook für"
    r"|Envoyé de mon|Obtenir Outlook pour|Enviado desde mi|Obtener Outlook para|Inviato da|Scarica Outlook per"
    r"|Enviado do meu|Obter o Outlook para|Verzonden vanaf mijn|Verstuurd vanaf mijn|Outlook voor)\b[^\n]*$",
    re.MULTILINE | re.IGNORECASE,
)
_SUBJECT_PREFIX = re.compile(
    r"^\s*(?:(?:re|aw|wg|fw|fwd|tr|rv|sv|vs|r|rif|i|antw|doorst|enc|res)\s*(?:\[\d+\])?\s*:\s*)+", re.IGNORECASE
)


def newest_reply(body: str) -> str:
    """The body without quoted history: `>` lines, reply headers and what follows them, signatures.

    When a reply header is followed by `>`-quoted lines, the customer may have answered below or between
    the quotes (bottom-posting), so only the header and the quoted lines go. Otherwise (Outlook's
    "-----Original Message-----", "Am ... schrieb" with unmarked history) everything from the header on goes.
    """
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    header = _REPLY_HEADER.search(text)
    if header is not None:
        rest = text[header.end() :]
        first = next((line for line in rest.split("\n") if line.strip()), "")
        bottom_posted = first.lstrip().startswith(">")
        text = text[: header.start()] + (rest if bottom_posted else "")
    text = "\n".join(line for line in text.split("\n") if not line.lstrip().startswith(">"))
    delimiter = _SIGNATURE_DELIMITER.search(text)
    if delimiter is not None:
        text = text[: delimiter.start()]
    return _DEVICE_LINE.sub("", text)


def clean(text: str) -> str:
    """Removes what is not a word of any language: placeholders, URLs, e-mails, order numbers."""
    for pattern in (_PLACEHOLDER, _URL, _EMAIL, _WITH_DIGITS):
        text = pattern.sub(" ", text)
    return " ".join(text.split())


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def letter_count(text: str) -> int:
    return sum(map(str.isalpha, text))


def clean_subject(subject: str) -> str:
    """A subject without reply/forward prefixes (`Re:`, `AW:`, `WG:`, `TR:`, `RV:`...)."""
    return clean(_SUBJECT_PREFIX.sub("", subject))


def customer_text(subject: str, body: str, body_alone_min_words: int = 5, max_chars: int = 2_000) -> str:
    """What to detect: the newest reply alone when it has enough words, else subject and newest reply.

    When the newest reply is empty (the customer only forwarded history), the quoted text stands in:
    it is the best evidence there is.
    """
    reply = clean(newest_reply(body))
    if word_count(reply) == 0:
        reply = clean(_PLACEHOLDER.sub(" ", body).replace(">", " "))
    long_enough = word_count(reply) >= body_alone_min_words
    text = reply if long_enough else f"{clean_subject(subject)} {reply}".strip()
    return text[:max_chars].strip() if word_count(text) else ""
