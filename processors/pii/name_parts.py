"""The parts of a name found in full, wherever else they stand in the same text.

A ticket names someone in full once ("Tine Goossens", a signature "Florence Hertrampf") and then by one part
("please call Tine", "bei \"Hertrampf\" klingeln"). A lone part is weak evidence and the recognizers often
leave it; after the full name it is certain. So every capitalised part of a multi-word PERSON span is looked
for again, as a whole word with the same spelling. At a sentence start, where every word is capitalised, a
part that is also an English word is not taken ("Will you call ..." after "Will Smith" stays).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from spacy.lang.en.stop_words import STOP_WORDS

from processors.pii.name_actions import DETERMINER_BEFORE
from processors.pii.names import (
    CAP_WORD,
    COMPANY_OR_ROLE,
    NOT_NAMES,
    NOT_SURNAMES_AFTER_WORD_NAME,
    first_names,
    surnames,
)

__all__ = ["adjacent_name_words", "chat_names", "chat_speakers", "name_line_above", "repeated_parts",
           "word_not_a_name"]

_PART = re.compile(r"[^\W\d_][^\W\d_'’-]*")
_PARTICLES = frozenset({"van", "von", "de", "der", "den", "del", "della", "di", "da", "du", "la", "le", "bin",
                        "ibn", "al", "el", "ter", "ten", "zu", "dos", "das", "y", "mr", "mrs", "ms", "dr", "prof"})
MIN_PART = 3
"""Before a common-word surname used as the word: "Mark Case opened the Case", "Brian Bank ... the Bank"."""
_WHOLE_WORD = re.compile(r"(?<![\w@.'’-])[^\W\d_][^\W\d_'’-]*(?![\w@'’-]|\.\w)")


def repeated_parts(text: str, spans: Iterable[tuple[int, int]], is_word: Callable[[str], bool]
                   ) -> list[tuple[int, int]]:
    """Where the parts of the multi-word names at `spans` occur again in `text`, outside those spans.
    `is_word`: whether a word is an English word (then it is not taken at a sentence start)."""
    spans = list(spans)
    parts: set[str] = set()
    for start, end in spans:
        words = _PART.findall(text[start:end])
        if len(words) < 2:
            continue
        parts |= {w for w in words if len(w) >= MIN_PART and w[0].isupper() and w.casefold() not in _PARTICLES}
    if not parts:
        return []
    return [(m.start(), m.end()) for m in _WHOLE_WORD.finditer(text)
            if m.group() in parts and not any(s <= m.start() and m.end() <= e for s, e in spans)
            and not (is_word(m.group()) and (_sentence_start(text, m.start())
                                             or DETERMINER_BEFORE.search(text, max(0, m.start() - 8), m.start())))]


_LEFT = re.compile(rf"(?<![\w@.'’-])({CAP_WORD})[ \t]+$")
_RIGHT = re.compile(rf"[ \t]+({CAP_WORD})(?![\w@'’-]|\.\w)")
_RIGHT_CAPS = re.compile(r"(?:[ \t]+(?:[A-ZÀ-Þ][’']|[A-ZÀ-Þ]{1,2}[ \t]+)?[A-ZÀ-Þ][A-ZÀ-Þ'’-]{2,}(?![\w'’-]|\.\w)){1,2}")
"""A surname in capitals, as passports, French mail and forms write it: "Ilona LUCAS", "Brian Ó GRIALLAIS"."""
_ACRONYMS = frozenset({"asap", "fyi", "btw", "imo", "tbd", "tba", "eta", "eod", "cob", "ooo", "pto", "wfh", "aka",
                       "rsvp", "faq", "vpn", "api", "sso", "crm", "erp", "sla", "kpi", "otp", "pin", "pdf", "usb",
                       "ceo", "cto", "cfo", "coo", "hr", "it", "qa", "ui", "ux", "n/a", "tia", "thx", "pls", "plz"})
"""Capitals after a given name that are no surname: "Anna ASAP", "John FYI"."""
_RIGHT_LOWER = re.compile(r"[ \t]+([^\W\d_A-Z][^\W\d_]+)(?![\w@'’-]|\.\w)")
_STOP = frozenset(w.casefold() for w in STOP_WORDS)


_NOT_SURNAME_AFTER_GIVEN = NOT_SURNAMES_AFTER_WORD_NAME | {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december", "support", "team",
    "admin", "account", "accounts", "billing", "will", "can", "said", "says", "here", "there"}
"""Capitalised words after a given name that are surnames in the census lists but rarely one there."""
_ROLE_NOUNS = frozenset({
    "nachbar", "nachbarin", "nachbarn", "herr", "herrn", "frau", "kollege", "kollegin", "kunde", "kundin", "voisin",
    "voisine", "vecino", "vecina", "vicino", "vicina", "buurman", "buurvrouw", "sąsiad", "sąsiadka", "vizinho",
    "vizinha", "granne", "techniker", "technikerin", "monteur", "fahrer", "fahrerin", "titulaire", "karteninhaber",
    "technicien", "técnico", "tecnico", "pan", "pani"})
"""Nouns of other languages written before a name that English does not know: "Nachbar Winkler", "Frau Gerlach"."""


def adjacent_name_words(text: str, spans: Iterable[tuple[int, int]], is_word: Callable[[str], bool]
                        ) -> list[tuple[int, int]]:
    """Capitalised words right next to a found name that belong to it: "I'm Dakota Bauer" when only "Bauer" was
    found, "met Crystal Mcguire". Left of the name, a given name of the lexicon or a word English does not know,
    at a sentence start only before a lone surname; right of a given name of the lexicon, a word English does not know
    (not "Monday"), or in lowercase a surname of the lexicon that English does not know either ("Andrejka kuhar")."""
    spans = list(spans)
    out: list[tuple[int, int]] = []
    for start, end in spans:
        left = _LEFT.search(text, max(0, start - 40), start)
        if left is not None:
            word = left.group(1)
            known = word in first_names() or not is_word(word)
            if word.casefold() not in _STOP and word.casefold() not in _ROLE_NOUNS and known and (
                    not _sentence_start(text, left.start(1)) or _surname_alone(text[start:end])):
                out.append(left.span(1))  # "Petter Haugen is ...": at a sentence start only before a surname
        right = _RIGHT.match(text, end)
        if right is not None and text[start:end].split()[-1] in first_names():  # a given name, then its surname
            word = right.group(1)
            surname = word in surnames() and word.casefold() not in _NOT_SURNAME_AFTER_GIVEN
            if word.casefold() not in _STOP and (not is_word(word) or surname):  # "Tania Baker", "Maria Mason"
                out.append(right.span(1))
        last = text[start:end].split()[-1] if end > start else ""
        caps = _RIGHT_CAPS.match(text, end) if last[:1].isupper() and not last.isupper() else None
        if caps is not None and last in first_names() and not any(
                (is_word(w) and w.capitalize() not in surnames()) or w.casefold() in _ACRONYMS
                for w in re.findall(r"[^\W\d_]{3,}", caps.group())):
            out.append((caps.start() + len(caps.group()) - len(caps.group().lstrip()), caps.end()))
        lower = _RIGHT_LOWER.match(text, end) if last.capitalize() in first_names() else None
        if lower is not None and not last.islower() and is_word(lower.group(1)):
            lower = None  # "Andrejka kuhar is ...", not "Maria said"
        if lower is not None and lower.group(1) not in _STOP and lower.group(1).capitalize() in surnames():
            out.append(lower.span(1))  # typed in lowercase: "a: fábio borges, room 2.03"
    return [(a, b) for a, b in out if not any(s <= a and b <= e for s, e in spans)]


def _surname_alone(name: str) -> bool:
    """A found one-word name that is a surname and no given name ("Haugen"), so a word before it is its given name."""
    return " " not in name and name in surnames() and name not in first_names()


_NAME_LINE = re.compile(rf"(?:^|\n)[ \t>]*((?:[A-Z]\.[ \t]*)?{CAP_WORD}(?:[ \t]+(?:[A-Z]\.[ \t]*)?{CAP_WORD}){{0,2}})"
                        r"[ \t]*\n[ \t>]*$")


def name_line_above(text: str, addresses: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """A line of one to three capitalised words right above a postal address is whom it belongs to ("Berra
    Scherer" over "Chris-Pöschl-Platz 4 / 9049 Vöcklabruck"), unless it is a company, a role or a greeting."""
    out = []
    for start, _ in addresses:
        m = _NAME_LINE.search(text, max(0, start - 60), start)
        if m is None:
            continue
        words = m.group(1).split()
        if COMPANY_OR_ROLE.search(m.group(1)) or any(w.strip(".,").casefold() in _STOP | NOT_NAMES for w in words):
            continue
        out.append(m.span(1))
    return out


def _sentence_start(text: str, at: int) -> bool:
    before = text[:at].rstrip(" \t\"'“‘(-")
    return not before or before[-1] in ".!?:\n"


_LABEL_AFTER = re.compile(r"(?P<noun>[ \t]+[a-z]+)?[ \t]*:")
_LINE_BEGIN = re.compile(r"(?:^|\n)[ \t>*•-]*$")


def word_not_a_name(text: str, start: int, end: int, is_word: Callable[[str], bool]) -> bool:
    """A one-word PERSON span that reads as something else: an English word labelling a line ("Numbers: home ...",
    "Driver note: gate code ...", "Loan application: ..."; a given name alone before its colon, a chat speaker's
    "Sarah:", stays), or a lowercase word after a determiner ("the number on the van was ...")."""
    word = text[start:end]
    if not word or not word.isalpha():
        return False
    label = _LABEL_AFTER.match(text, end) if word[0].isupper() and is_word(word) else None
    if label is not None and _LINE_BEGIN.search(text, max(0, start - 20), start):
        plural = word.endswith("s") and is_word(word[:-1])  # "Numbers:" (a census given name too) labels a list
        return bool(label["noun"]) or plural or word not in first_names()  # "Loan application:"; "Sarah:" speaks
    return word.islower() and DETERMINER_BEFORE.search(text, max(0, start - 8), start) is not None


_SPEAKER = re.compile(r"(?m)^[ \t>*-]*(?:\[[^\]\n]{1,25}\][ \t]*|\(?\d{1,2}:\d{2}(?::\d{2})?\)?[ \t]+)?"
                      r"(?P<who>[A-ZÀ-Þ][^\W\d_'’-]+(?:[ \t][A-ZÀ-Þ][^\W\d_'’-]+)?)[ \t]*:(?=[ \t])")
"""A chat line's speaker: "Pascal: did you get my mail?", "[10:32] Sarah: which address?"."""
_ROLES = frozenset({
    "agent", "customer", "client", "support", "bot", "chatbot", "assistant", "system", "user", "visitor", "guest",
    "operator", "admin", "administrator", "staff", "team", "me", "you", "i", "we", "us", "host", "moderator",
    "note", "notes", "subject", "from", "to", "cc", "bcc", "date", "sent", "re", "fw", "fwd", "q", "a", "question",
    "answer", "reply", "response", "comment", "status", "update", "summary", "issue", "error", "warning", "info",
    "caller", "callee", "advisor", "adviser", "rep", "representative", "technician", "engineer", "manager",
})
"""Speaker labels that are roles or fields, not people."""


def chat_speakers(text: str, persons: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The other speakers of a chat in which one speaker was found to be a person: "Pascal: ... / Sarah: ... /
    Pascal: ..." with "Sarah" found makes "Pascal" a name too. A speaker must talk at least twice and not be a role
    or field ("Agent:", "Subject:"), so a form's labels ("Name: Sarah / Phone: ...") stay."""
    lines = list(_SPEAKER.finditer(text))
    if len(lines) < 3:
        return []
    persons = list(persons)
    named = {m["who"] for m in lines if any(s < m.end("who") and m.start("who") < e for s, e in persons)}
    if not named:
        return []
    counts: dict[str, int] = {}
    for m in lines:
        counts[m["who"]] = counts.get(m["who"], 0) + 1
    return [m.span("who") for m in lines
            if m["who"] not in named and counts[m["who"]] >= 2
            and not any(w.casefold() in _ROLES or w.casefold() in STOP_WORDS for w in m["who"].split())
            and not COMPANY_OR_ROLE.search(m["who"])]


_SPEAKER_WITH_ROLE = re.compile(r"(?m)^[ \t>*-]*(?:\[[^\]\n]{1,25}\][ \t]*|\(?\d{1,2}:\d{2}(?::\d{2})?\)?[ \t]+)?"
                                r"(?P<who>[A-ZÀ-Þ][^\W\d_'’-]+(?:[ \t][A-ZÀ-Þ][^\W\d_'’-]+)?)[ \t]*"
                                r"\((?P<role>[^()\n]{2,25})\)[ \t]*:")
"""A chat line whose speaker carries a role: "[08:10] Mare (Support): Hello!" — a person with a role."""
_SPEAKER_THEN_TIME = re.compile(r"(?m)^[ \t>*-]*(?P<who>[^\W\d_][\w'’.-]{1,30}(?:[ \t][^\W\d_][\w'’.-]{1,30})?)"
                                r"[ \t]+\[?\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]?[AaPp][Mm])?\]?[ \t]*$")
"""A chat export's header line, the speaker then the time ("adedeji [18:10]", "Jinthe Geneart 17:25:27")."""
_ASKS_NAME = re.compile(r"(?i)(?:who am i (?:speaking|talking) (?:with|to)|(?:may|can) i (?:have|get|ask) your "
                        r"(?:full )?name|what(?:'s| is) your (?:full |first |last |maiden |mother's maiden )?name|"
                        r"who is this|"
                        r"your (?:full |last )?name,? please|(?:what(?:'s| is) )?your (?:mother's )?maiden name|"
                        r"(?:what(?:'s| is) )?your surname|name on the account)\W*$",
                        re.MULTILINE)
_ANSWER = re.compile(r"[^\n]*\n[ \t>*-]*(?:\[[^\]\n]{1,25}\][ \t]*|\(?\d{1,2}:\d{2}(?::\d{2})?\)?[ \t]+)?"
                     r"[^\W\d_][^\n:]{0,25}:[ \t]*(?:(?i:it'?s|this is|i'?m)[ \t]+)?"
                     r"(?P<who>[^\W\d_][\w'’-]*(?:[ \t][^\W\d_][\w'’-]*){0,2})[ \t.!]*$", re.MULTILINE)


def chat_names(text: str, is_word: Callable[[str], bool]) -> list[tuple[int, int]]:
    """Names that a chat's layout gives away: a speaker with a role in brackets, a speaker above their message
    with its time, the answer to "who am I speaking with?". Roles, fields and English words are left."""
    out: list[tuple[int, int]] = []

    def person(words: str) -> bool:
        parts = words.split()
        return (not any(w.casefold() in _ROLES or w.casefold() in STOP_WORDS for w in parts)
                and not COMPANY_OR_ROLE.search(words)
                and all(not is_word(w) or w.capitalize() in first_names() for w in parts))  # not "Forgot password"

    def lexicon(words: str) -> bool:
        return any(w.capitalize() in first_names() or w.capitalize() in surnames() for w in words.split())

    roled = [m for m in _SPEAKER_WITH_ROLE.finditer(text) if m["role"].split()[0].casefold() in _ROLES]
    for m in roled:  # "Mare (Support):" twice in a chat; not "Windows (Admin): reboot required."
        if person(m["who"]) or ((lexicon(m["who"]) or sum(r["who"] == m["who"] for r in roled) >= 2) and not any(
                w.casefold() in _ROLES or w.casefold() in STOP_WORDS for w in m["who"].split())):
            out.append(m.span("who"))
    headers = [m for m in _SPEAKER_THEN_TIME.finditer(text) if person(m["who"])]
    for m in headers:  # an agenda's "Standup 09:30" is no chat: a lexicon name, or a lowercase handle among others
        if lexicon(m["who"]) or (len(headers) >= 2 and m["who"].islower()):
            out.append(m.span("who"))
    for m in _ASKS_NAME.finditer(text):
        answer = _ANSWER.match(text, m.end())
        if answer is not None and person(answer["who"]) and lexicon(answer["who"]):  # not "Forgot password"
            out.append(answer.span("who"))
    return out


_HYPHEN_SUFFIXES = frozenset({
    "in", "up", "out", "on", "off", "over", "back", "by", "down", "end", "like", "based", "free", "level", "related",
    "mail", "fi", "ins", "ups", "ons", "offs", "outs", "time", "way", "step", "factor", "party", "term", "side",
    "friendly", "only", "wide", "specific", "style", "type", "ready", "safe", "proof", "first", "all", "self",
    "class", "grade", "hoc", "op", "ops", "to", "the", "a", "an", "of", "and", "or", "led", "run", "owned", "made",
    "driven", "sized", "shaped", "less", "wise", "centric", "facing", "managed", "hosted", "approved", "signed"})
"""Second parts of hyphenated words, not of names: "Check-in", "Follow-up", "Co-op", "Ad-hoc"."""
_HYPHEN_PART = re.compile(r"-([^\W\d_A-ZÀ-Þ][^\W\d_]{1,12})(?![\w-])")
_SURNAME_AFTER = re.compile(rf"[ \t]+({CAP_WORD})(?![\w@'’-])")


def hyphenated_given_name_end(text: str, start: int, end: int, is_word: Callable[[str], bool]) -> int:
    """Where a name found as "Ji", "Min", "Seo" of "Ji-woo", "Min-jun Lee", "Seo-yeon" really ends: Korean and
    other given names join a lowercase second part with a hyphen, which the name patterns (capitalised parts)
    stop at. Not "Check-in", "Follow-up": the first part is a lexicon given name or no English word, the second no
    suffix of compounds; a lexicon surname after it joins."""
    m = _HYPHEN_PART.match(text, end)
    first = text[start:end].split()[-1] if end > start else ""
    if (m is None or m.group(1) in _HYPHEN_SUFFIXES or not first[:1].isupper()
            or (is_word(first) and first not in first_names())):
        return end
    end = m.end()
    after = _SURNAME_AFTER.match(text, end)
    if after is not None and after.group(1) in surnames() and " " not in text[start:end]:
        end = after.end()
    return end
