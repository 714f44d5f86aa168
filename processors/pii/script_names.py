"""Names written in Greek or Cyrillic letters, which the English NER model and the Latin lexicons cannot read.

Tickets in English carry names in the sender's own script: a signature "Ξανθίππη Κοντογεωργάκη", a requester
"Виктория Некрасова <vnekrasova@...>", a shipping label "ИЗЯСЛАВ АФАНАСЬЕВ". Greek, Russian and Ukrainian write
only proper nouns and sentence starts with a capital, so two or three capitalised words in a row are a name,
a place or a company; places and companies are told apart by what stands around them (a house number, a street
or city marker such as "ул." or "г.", a legal form such as "ООО" or "Α.Ε.", «quotes»). A single word is taken
only where a name stands: after a title, after a contact cue, or alone on a line as a signature.
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from processors.pii.recognizer_base import TextRecognizer

__all__ = ["ScriptNameRecognizer"]

_UP = "Α-ΩΆΈΉΊΌΎΏΪΫА-ЯЁІЇЄҐЎ"
_LO = "α-ωάέήίόύώϊϋΐΰςа-яёіїєґў"
_TITLE_WORD = rf"[{_UP}][{_LO}'’]+(?:-[{_UP}][{_LO}]+)?"
_CAPS_WORD = rf"[{_UP}]{{2,}}(?:-[{_UP}]{{2,}})?"
_NOT_NAMES = frozenset({
    "спасибо", "благодарю", "здравствуйте", "добрый", "доброе", "привет", "уважаемый", "уважаемая", "вы", "вам",
    "вас", "ваш", "ваша", "дякую", "вітаю", "шановний", "шановна", "добрий", "звонил", "звонила", "звонили",
    "написал", "написала", "отправлено", "доставка", "заказ", "клиент", "клиентка", "ευχαριστώ", "ευχαριστούμε",
    "γεια", "καλημέρα", "καλησπέρα", "αγαπητέ", "αγαπητή", "κύριε", "κυρία", "παραγγελία"
})
"""Greetings, thanks, pronouns and verbs that start a sentence before a name ("Звонила Мария Иванова")."""
_COMPANY_WORDS = frozenset({
    "ооо", "оао", "пао", "ао", "зао", "тов", "пп", "ип", "фоп", "почта", "банк", "такси", "групп", "груп",
    "компания", "завод", "магазин", "маркет", "сервис", "α.ε.", "ι.κ.ε.", "ε.π.ε.", "ο.ε.", "τράπεζα"
})
"""Words of a company's name or legal form inside a run of capitalised words ("Новая Почта", "ООО РОМАШКА")."""
_HAS_SCRIPT = re.compile(rf"[{_UP}{_LO}]")
_RUN = re.compile(rf"(?<![\w.])({_TITLE_WORD}(?:[ \t]+{_TITLE_WORD}){{1,2}})(?![\w])")
_CAPS_LINE = re.compile(rf"(?m)^[ \t]*({_CAPS_WORD}(?:[ \t]+{_CAPS_WORD}){{1,2}})[ \t]*$")
_ONE_AFTER_CUE = re.compile(
    rf"(?:\b(?:Mr|Mrs|Ms|Miss|Dr|Prof)\.?|(?i:contact(?: on site)?|attn|ask for|speak to|signed)(?:[ \t]*+:)?)[ \t]++"
    rf"({_TITLE_WORD}(?:[ \t]+{_TITLE_WORD}){{0,2}})(?![\w])")
_ALONE_ON_LINE = re.compile(rf"(?m)(?:\A|\n[ \t]*\n|,[ \t]*\n)[ \t]*({_TITLE_WORD})[ \t]*(?=\n|\Z)")
_PLACE_BEFORE = re.compile(
    r"(?i:ул|вул|пр|просп|бул|б-р|ш|наб|пер|пл|г|м|с|смт|пгт|д|кв|обл|р-н|λεωφ|οδ|πλ)\.[ \t]*$"
    r"|(?i:улица|вулиця|проспект|площадь|площа|город|місто|οδός|πλατεία|λεωφόρος)[ \t]+$")
_NUMBER_AFTER = re.compile(r"[ \t]*+,?[ \t]*+(?:(?i:д|буд)\.[ \t]*+)?\d(?![\d \t()-]{6,})(?!\d?[./]\d{1,2}[./]\d)"
                           rf"(?!\d*[ \t]+(?!(?:кв|корп|стр|эт|оф|под|кім|αρ)\b)[{_LO}]{{3,}})")
"""A house number after the words: a street ("Ζίτσης 28"), not a phone number or a date after a name ("Άρης 690 385
4367", "Мария Иванова 12.03.2024"), nor a count of things ("Мария Иванова, 2 заказа"). Blanks are taken
possessively: two blank runs around an optional comma backtracked quadratically (19 s on 20,000 spaces)."""
_COMPANY = re.compile(r"(?:\b(?:ООО|ОАО|ПАО|АО|ЗАО|ТОВ|ПрАТ|ПАТ|ПП|ИП|ФОП|ГК)\b[ \t]*«?|«)[ \t]*$")
_COMPANY_AFTER = re.compile(r"[ \t]*(?:»|(?:Α\.Ε\.|Ι\.Κ\.Ε\.|Ε\.Π\.Ε\.|Ο\.Ε\.|Ε\.Ε\.|Α\.Β\.Ε\.Ε\.))")


class ScriptNameRecognizer(TextRecognizer):
    ENTITY = "PERSON"
    SCORE = 0.7

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        if _HAS_SCRIPT.search(text) is None:
            return []
        found: set[tuple[int, int]] = set()
        for pattern in (_RUN, _CAPS_LINE, _ONE_AFTER_CUE, _ALONE_ON_LINE):
            for m in pattern.finditer(text):
                start, end = m.span(1)
                words = list(re.finditer(r"\S+", m.group(1)))
                while words and words[0].group().casefold() in _NOT_NAMES:  # "Спасибо Вам", "Звонила Мария ..."
                    words.pop(0)
                if not words or any(w.group().casefold() in _COMPANY_WORDS for w in words):
                    continue
                start, end = m.start(1) + words[0].start(), m.start(1) + words[-1].end()
                if not self._place_or_company(text, start, end):
                    found.add((start, end))
        return [self.result(self.ENTITY, s, e, self.SCORE) for s, e in sorted(found)]

    @staticmethod
    def _place_or_company(text: str, start: int, end: int) -> bool:
        before = text[max(0, start - 12) : start]
        return (_PLACE_BEFORE.search(before) is not None or _NUMBER_AFTER.match(text, end) is not None
                or _COMPANY.search(before) is not None or _COMPANY_AFTER.match(text, end) is not None)
