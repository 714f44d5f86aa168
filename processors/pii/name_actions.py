"""A single name given away by what the person does or has done to them, wherever it stands in the sentence.

The lexicon rules take a capitalised given name alone, but not a surname alone ("Matthews"), a name that is a
word too ("Heather", "Charlotte") or a name no lexicon holds ("Maha"), and a sentence's first word carries no
signal in its capital. Tickets name people by one word all the time: "Matthews called again", "Can Pinto
confirm the address?", "I spoke with Heather yesterday", "Perkins from accounting wants an update". What makes
these names is the slot: a person rings, replies or complains, sits in a department, is spoken to, asked or
assigned a ticket. Companies and tools do much of that too ("Monzo texted me", "Jira says ...", "Anydesk from
support keeps crashing"), so a slot takes a lexicon name, and a word no lexicon holds only where nothing but a
person can be ("Estrid is out of office", "works at").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

__all__ = ["DETERMINER_BEFORE", "acting_names"]

_CAP = r"[A-ZÀ-ÖØ-ÞĀ-Ž][a-zß-öø-ÿā-ž'’]+(?:-[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+)?"
_DEPARTMENT = (r"from[ \t]+(?:accounting|finance|sales|billing|support|hr|legal|marketing|procurement|purchasing|"
               r"payroll|it|logistics|operations|reception|the [a-z]+ (?:team|department|office))\b")
_HUMAN_VERB = r"(?:is (?:out of office|on leave|off sick|on holiday|on vacation)|works (?:at|for)|worked (?:at|for))"
"""Where only a person is: said of a word no lexicon holds ("Estrid is out of office"). Companies call, reply and
promise as often as people do ("Monzo texted me", "Santander replied") and tools sit in departments ("Anydesk from
support keeps crashing"), so those need a lexicon name."""
_PERSON_VERB = (rf"(?:{_HUMAN_VERB}|{_DEPARTMENT}|is calling|has been calling|"
                r"left (?:me )?(?:a )?(?:voicemail|message)|"
                r"called(?![ \t]+(?:the|an?|our|this|that|its)[ \t]+(?i:api|endpoint|function|method|service|"
                r"webhook|url|script|job|hook|route))|rang|phoned|texted|replied|complained|promised|agreed|thinks|thought|"
                r"explained|said|told|wrote|mentioned|confirmed|reported|asked|asks|says|tells|e-?mailed|"
                r"wants|needs|noticed|is away|will (?:call|ring|email|reply)|is from|was from|spent|joined|left us|"
                r"lives|lived|moved)")
"""What people do: said of a lexicon name ("Matthews said", "Heather called"), not of "Jira says"."""
_SURNAME_BRANDS = frozenset({
    "ford", "dell", "philips", "siemens", "porsche", "ferrari", "hermes", "hermès", "boeing", "disney", "chanel",
    "gucci", "prada", "kellogg", "heinz", "bosch", "miele", "braun", "dyson", "honda", "toyota", "suzuki",
    "peugeot", "renault", "citroen", "citroën", "michelin", "bayer", "merck", "pfizer", "barclays", "lloyds",
    "morgan", "schwab", "fidelity", "mercedes", "lamborghini", "bugatti", "chrysler", "dodge", "cadillac",
    "tesla", "marriott", "hilton", "hyatt", "wells", "goldman", "deloitte", "kpmg", "ernst", "mckinsey",
    "nestle", "nestlé", "cartier", "armani", "versace", "dior", "lancome", "hoover", "kenwood", "casio",
    "yamaha", "kawasaki", "mitsubishi", "daimler", "opel", "skoda", "škoda", "otto", "zalando", "aldi", "lidl",
    "hornbach", "vodafone", "bertelsmann", "adidas", "puma", "walton", "sainsbury", "morrisons",
    "tesco", "harrods", "selfridges", "waitrose", "dixons", "currys", "argos", "boots", "schneider", "wolters",
    "kluwer", "elsevier", "reuters", "bloomberg", "forbes", "gartner", "wiley", "hewlett", "packard", "compaq",
    "chase", "cox", "rogers", "shaw", "bell", "starling", "coutts", "fitch", "nielsen", "gallup", "jenkins", "packer",
    "kafka", "travis", "moody", "moodys", "halifax", "nationwide", "santander", "monzo", "revolut", "wise"})
"""Companies named after people, which call, say and confirm in tickets as their staff do: "Ford called about
the recall", "Philips said the warranty expired"."""
_LOW = r"[a-zß-öø-ÿā-ž][a-zß-öø-ÿā-ž'’]+"
_ANY = rf"(?:{_CAP}|{_LOW})"


def _acts(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w@.'’-])(?:(?P<given>{word})[ \t]++)?({word})[ \t]++"
                      rf"(?i:(?:just|also|already|again|then|finally|has|had)[ \t]++)?(?P<verb>(?i:{_PERSON_VERB}))\b")


def _asked_to(word: str) -> re.Pattern[str]:
    """A question asking someone to act: "Can Pinto confirm the new address?"."""
    return re.compile(rf"(?<![\w'’-])(?i:can|could|would|will|did|has|should|does|might)[ \t]++({word})[ \t]++"
                      r"(?i:please[ \t]++)?(?i:confirm|check|call|ring|send|approve|review|help|look|sign|update|"
                      r"reply|respond|verify|share|forward|join|email)\b")


def _spoken_to(word: str) -> re.Pattern[str]:
    """Someone spoken to, asked, assigned or acting for a ticket: "I spoke with Heather", "Please assign this to
    Charlotte", "according to Matthews", "placed by Hill", "Customer: Holmes", a name under a sign-off."""
    return re.compile(
        r"(?<![\w'’-])(?i:spoke|speak|speaking|talked|talking|chatted)[ \t]++(?i:to|with)[ \t]++"
        rf"(?P<a>{word})(?![\w'’-])"
        r"|(?<![\w'’-])(?i:ask|asked|tell|told|remind|reminded|ping|pinged|"
        r"(?:forward|send|reassign|assign|escalate)[ \t]++(?:this|it)[ \t]++to|according[ \t]++to|"
        r"(?:placed|submitted|reported|opened|raised|approved|requested)[ \t]++by)"
        rf"[ \t]++(?P<b>{word})(?![\w'’-])"
        r"|(?m:^)[ \t]*+(?i:customer|client|caller|requester|requestor|contact|reporter)[ \t]*+:[ \t]*+"
        rf"(?P<c>{word})(?=[ \t]*+$|[ \t]++{word}[ \t]*+$)"
        r"|(?m:^)[ \t]*+(?i:thanks|thank you|thx|cheers|regards|best|best regards|kind regards|sincerely|br)"
        rf"[ \t]*+[,.!]?[ \t]*+\n[ \t]*+(?P<d>{word})(?=[ \t]*+$|[ \t]++{word}[ \t]*+$)"
    )


_CAPITALISED_SLOTS = (_acts(_CAP), _asked_to(_CAP), _spoken_to(_CAP))
_LOWERCASE_SLOTS = (_acts(_LOW), _asked_to(_LOW), _spoken_to(_LOW))
DETERMINER_BEFORE = re.compile(r"(?i)\b(?:the|a|an|our|your|my|this|that|their|his|her|its)[ \t]+$")
"""A determiner right before a capitalised word: "the Bank said", "my Hill farm" — a thing, not a person."""
_MONTHS_AND_DAYS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september",
                              "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
                              "friday", "saturday", "sunday"})


def acting_names(text: str, in_lexicon: Callable[[str], bool], not_a_name: Callable[[str], bool],
                 is_word: Callable[[str], bool], lowercase: bool = False) -> Iterator[tuple[int, int]]:
    """Spans of one-word names in a person's slot. `in_lexicon`: a given name or surname; `not_a_name`: a
    function word or a greeting ("Please", "Thanks"); `is_word`: an English word. In a text typed without
    capitals (`lowercase`) the same slots hold lowercase names, and `in_lexicon` should hold only names that are
    no English word ("schulz said", not "mark said")."""
    acts, asked_to, spoken_to = _LOWERCASE_SLOTS if lowercase else _CAPITALISED_SLOTS
    for start, end in _slot_names(text, acts, asked_to, spoken_to, in_lexicon, not_a_name, is_word, lowercase):
        more = (_NEXT_LOW if lowercase else _NEXT_CAP).match(text, end)
        if more is not None and not not_a_name(more[1]) and (in_lexicon(more[1]) or not is_word(more[1])):
            end = more.end()  # "susan tougas said", "placed by Logan Bykova": the surname goes with it
        yield start, end


_NEXT_CAP = re.compile(rf"[ \t]++({_CAP})(?![\w'’-])")
_NEXT_LOW = re.compile(rf"[ \t]++({_LOW})(?![\w'’-])")
_NEXT_ANY = re.compile(rf"[ \t]++({_ANY})(?![\w'’-])")


_VERB = re.compile(rf"(?i)\b{_PERSON_VERB}\b")
"""A cheap exit: the verb pattern is tried at every word of a text, the verbs alone are searched once."""


def _slot_names(text: str, acts: re.Pattern[str], asked_to: re.Pattern[str], spoken_to: re.Pattern[str],
                in_lexicon: Callable[[str], bool], not_a_name: Callable[[str], bool], is_word: Callable[[str], bool],
                lowercase: bool) -> Iterator[tuple[int, int]]:
    for m in acts.finditer(text) if _VERB.search(text) else ():
        word = m.group(2)
        given = m["given"]
        if (given is not None and lowercase and in_lexicon(given)
                and _fits(text, m.start("given"), given, not_a_name) and not not_a_name(word)):
            yield m.start("given"), m.end(2)  # "susan tougas called": a given name and an unknown surname
            continue
        if not _fits(text, m.start(2), word, not_a_name):
            continue
        if given is not None and not lowercase and given[:1].isupper():
            continue  # "Acme Support said", "Sarah Matthews said": a longer name is the other rules' to take
        if in_lexicon(word) or (re.fullmatch(_HUMAN_VERB, m["verb"], re.IGNORECASE) and not is_word(word)):
            yield m.span(2)
    for m in asked_to.finditer(text):
        word = m.group(1)
        if _fits(text, m.start(1), word, not_a_name) and in_lexicon(word):  # not "Can Okta verify ..."
            yield m.span(1)
    for m in spoken_to.finditer(text):
        group = m.lastgroup or "a"
        word = m.group(group)
        second = _NEXT_ANY.match(text, m.end(group)) if group in ("c", "d") else None
        if second is not None and is_word(second[1]) and not in_lexicon(second[1]):
            continue  # "Kind regards,\nCarter Logistics": a company signs
        if _fits(text, m.start(group), word, not_a_name) and in_lexicon(word):
            yield m.span(group)


_TEAMS = frozenset({"billing", "sales", "accounts", "accounting", "finance", "legal", "engineering", "security",
                    "marketing", "operations", "payroll", "procurement", "purchasing", "reception", "management",
                    "shipping", "returns", "compliance", "facilities", "logistics", "dispatch", "helpdesk",
                    "service", "tech", "development", "product", "design", "quality", "warehouse", "collections"})
"""Teams a ticket is escalated to, some of them surnames too: "please escalate this to Billing"."""


def _fits(text: str, start: int, word: str, not_a_name: Callable[[str], bool]) -> bool:
    folded = word.casefold()
    return (not not_a_name(word) and folded not in _MONTHS_AND_DAYS and folded not in _SURNAME_BRANDS
            and folded not in _TEAMS
            and not DETERMINER_BEFORE.search(text, max(0, start - 8), start))
