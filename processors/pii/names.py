"""Person names the small spaCy model misses: name-context patterns and given-name/surname lexicons.

Signals, each language-agnostic apart from the context words:
- a title or a name-introducing context ("Mr.", "Dr.", "my name is", "Dear", "Hi", "Regards,") followed
  by one to three capitalised words; a title with a period ("mr. chad farmer") takes words in any case,
  and the title itself is part of the span (it is redacted with the name, never left dangling);
- a capitalised given name from the lexicon followed by capitalised words (a full name);
- a capitalised given name alone, when it is not also a common word or a place (lower score);
- in a text typed without capitals, a given name that is not an English word, or any given name followed
  by a surname that is not an English word ("petra", "christine fiorentino"): spaCy misses these.
The lexicons are in `data/`: US Census 1990 names plus international names from Faker's ~60 locales
without English words (see data/ATTRIBUTION.md and benchmarks/pii_build_lexicons.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from importlib import import_module, resources

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.lang.en.stop_words import STOP_WORDS

from processors.pii.name_actions import DETERMINER_BEFORE, acting_names
from processors.pii.recognizer_base import TextRecognizer

__all__ = ["CAP_WORD", "COMPANY_OR_ROLE", "NOT_NAMES", "NameRecognizer", "first_names", "lowercase_given_names",
           "name_words", "other_languages_function_words", "surnames"]

_COMMON_WORDS = frozenset(
    [
        "will",
        "may",
        "june",
        "april",
        "august",
        "summer",
        "autumn",
        "winter",
        "spring",
        "faith",
        "hope",
        "joy",
        "grace",
        "rose",
        "mark",
        "bill",
        "chase",
        "grant",
        "page",
        "case",
        "price",
        "love",
        "day",
        "ray",
        "dean",
        "lane",
        "park",
        "cook",
        "bell",
        "ward",
        "cross",
        "rich",
        "sharp",
        "best",
        "wise",
        "stone",
        "lake",
        "field",
        "hill",
        "wood",
        "hall",
        "king",
        "long",
        "young",
        "brown",
        "green",
        "white",
        "black",
        "gray",
        "grey",
        "gold",
        "silver",
        "pink",
        "red",
        "major",
        "judge",
        "bishop",
        "baker",
        "miller",
        "carter",
        "hunter",
        "mason",
        "porter",
        "cash",
        "sterling",
        "story",
        "star",
        "sunny",
        "honey",
        "dawn",
        "eve",
        "christian",
        "chance",
        "destiny",
        "precious",
        "harmony",
        "justice",
        "liberty",
        "lucky",
        "happy",
        "sky",
        "angel",
        "baby",
        "son",
        "sonny",
        "dusty",
        "rusty",
        "guy",
        "jack",
        "don",
        "ben",
        "nick",
        "jean",
        "lou",
        "sue",
        "van",
        "art",
        "gene",
        "lee",
        "ivy",
        "iris",
        "holly",
        "heather",
        "daisy",
        "crystal",
        "amber",
        "ruby",
        "pearl",
        "jade",
        "jasmine",
        "olive",
        "violet",
        "else",
        "ok",
        "okay",
        "dear",
        "hello",
        "thanks",
        "thank",
        "regards",
        "hi",
        "hey",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "july",
        "september",
        "october",
        "november",
        "december",
        "christmas",
        "easter",
        "paris",
        "london",
        "berlin",
        "madrid",
        "rome",
        "vienna",
        "sydney",
        "dallas",
        "houston",
        "austin",
        "phoenix",
        "denver",
        "boston",
        "georgia",
        "virginia",
        "carolina",
        "florida",
        "washington",
        "lincoln",
        "jordan",
        "israel",
        "china",
        "india",
        "chelsea",
        "charlotte",
        "madison",
        "victoria",
        "florence",
        "adelaide",
        "kent",
        "dakota",
        "indiana",
        "montana",
        "nevada",
        "tennessee",
        "savannah",
        "brooklyn",
        "orlando",
        "aurora",
        "alexandria",
        "cairo",
        "troy",
        "berlin",
        "vienna",
        "street",
        "avenue",
        "road",
        "apt",
        "suite",
        "unit",
        "order",
        "account",
        "card",
        "phone",
        "email",
        "team",
        "support",
        "customer",
        "service",
        "admin",
        "user",
        "manager",
        "client",
        # teams a ticket is sent to ("escalate this to Billing", "ask Finance")
        "billing",
        "finance",
        "sales",
        "legal",
        "marketing",
        "engineering",
        "accounting",
        "operations",
        "ops",
        "security",
        "compliance",
        "procurement",
        "management",
        "payroll",
        "helpdesk",
        "facilities",
        "logistics",
        "shipping",
        "returns",
        "product",
        "research",
        "development",
        "devops",
        "infrastructure",
        "hr",
        "qa",
    ]
)
"""Capitalised words that are names in the census lists but far more often something else on tickets."""

_OTHER_LANGUAGES = ("de", "fr", "es", "it", "nl", "pt", "sv", "da", "nb", "fi", "pl", "cs", "hu", "ro", "tr")
_TITLE = r"(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Madam|Herr|Frau|Mme|Mlle|Sr|Sra|Srta|Sig|Sig\.ra|Dott)\.?|M\.)"
_CONTEXT = (
    r"(?i:my name is|my name's|name:|i am|i'm|this is|dear|hi|hello|hey|thanks|thank you|regards|cheers|"
    r"best|sincerely|contact|ask for|speak to|spoke (?:to|with)|talked to|signed|from|by|customer|"
    r"ask|tell|remind|ping|(?:forward|send|reassign|assign|escalate) (?:this|it) to|colleague|co-?worker|"
    r"ich bin|ich heiße|mein name ist|je suis|je m'appelle|me llamo|mi nombre es|soy|mi chiamo|"
    r"sono|hallo|bonjour|hola|ciao|liebe|lieber|sehr geehrte|sehr geehrter|cher|chère|estimado|estimada|"
    r"gruß|grüße|cordialement|saludos|saluti|thx|merci|gracias|danke|grazie|bedankt|"
    r"conseill(?:er|ère)|berater(?:in)?|asesora?|consulente|agent|technician|techniker(?:in)?|representative)"
)
_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"
_LOWER = rf"(?:[^\W\d_{_UPPER}]|['’])"  # any lowercase letter: "Kateřina", "Łukasz", not only Latin-1
_CAP_WORD = rf"[{_UPPER}]{_LOWER}+(?:-[{_UPPER}]{_LOWER}+)?"
CAP_WORD = _CAP_WORD
"""A capitalised word in any Latin script, with an optional capitalised second part ("Jean-Luc")."""
_ANY_WORD = r"[^\W\d_][^\W\d_'’-]*(?:[-'’][^\W\d_]+)?"
_STRONG_CONTEXT = (
    r"(?i:my name is|my name's|(?:maiden|full|first|last|legal|real) name is|name is|everyone calls me|"
    r"people call me|calls me|call me|known as|goes by|under (?:my|her|his|their|the) (?:\w+ )?(?:'s )?name|"
    r"partner's name|account holder(?: is)?|on behalf of|married to|follow up with|attn:?|attention:|c/o|care of|"
    r"starring|directed by|written by|played by|produced by|founded by|(?:co-)?founders?:|cc:?|"
    r"(?:what's|what is) (?:your|his|her|their) name\??|named (?:him|her)|"
    r"ich heiße|mein name ist|je m'appelle|me llamo|mi nombre es|mi chiamo)"
)
"""Phrases after which the next one to three words are a name even in lower case or unknown to the lexicon."""
_NOT_NAMES = frozenset({"please", "thanks", "thank", "sorry", "yes", "no", "ok", "okay", "hi", "hello", "dear",
                        "regards", "cheers", "support", "team", "customer", "service", "sir", "madam", "everyone",
                        "nobody", "anyone", "someone", "unknown", "n/a", "na", "none", "null", "admin", "user",
                        "care", "i'm", "i’m", "i've", "i’ve", "i'd", "i’d", "i'll", "i’ll",
                        # "Hello Folks,", "Hi Guys", "prints Hello World": a greeting to many, not a name
                        "all", "folks", "guys", "everybody", "world", "friends", "colleagues", "people", "gents",
                        # "Customer: It's 12 Main Street": a chat line's first word, never a name
                        "it's", "it’s", "let's", "let’s", "that's", "that’s", "there's", "there’s", "here's",
                        "here’s", "what's", "what’s", "don't", "don’t", "can't", "can’t", "didn't", "didn’t",
                        # "Sehr geehrte Damen und Herren", "Chère Madame": the reader, not a name
                        "damen", "herren", "madame", "monsieur", "messieurs", "mesdames", "señor", "señora",
                        "señores", "signore", "signora", "kollegen", "kollege", "kollegin", "cher", "chère",
                        "chers", "bien", "querido", "querida", "caro", "cara", "beste", "liebe", "lieber"})
COMPANY_OR_ROLE = re.compile(
    r"(?i)\b(?:gmbh|ag|s\.?l|s\.?a|sarl|sas|bv|nv|oy|ab|a/s|ltd|llc|inc|corp|co|plc|pty|kg|srl|spa|"
    r"consulting|solutions|systems|services|logistics|software|electronics|mobile|retail|foods|fashion|home|"
    r"technologies|group|holdings|partners|labs|studio|media|networks|telecom|insurance|bank|seguros|"
    r"versicherung|assurances|energy|latitude|coordinator|manager|director|officer|assistant|engineer|"
    r"specialist|department|desk|lead|head|team|support|facilities|operations)\b"
)
"""Words of a company's name or legal form, or of a job title: "Bluefin Electronics", "Castellana Seguros S.L.",
"Facilities Coordinator" are not people, though spaCy and the context rules take them for names."""
NOT_NAMES = _NOT_NAMES
"""Greeting, sign-off and placeholder words never taken for a name (lowercase)."""
_JOIN = re.compile(r"\s+(?:[A-Z]\.\s+)?")
_FORM_LABEL = re.compile(
    r"(?im)^[ \t]*(?:(?P<qualifier>full|first|last|given|customer|contact|client|requester|guest|patient|user|"
    r"account holder|previous|former|old|new|maiden|legal|middle|preferred|display|birth)[ \t]+)?"
    r"(?:name|vorname|nachname|familienname|prénom|prenom|nom|nom de famille|nombre|"
    r"apellidos?|cognome|voornaam|achternaam|naam)[ \t]*[:=][ \t]*"
    rf"(?P<value>{_ANY_WORD}(?:[ \t]+(?:[A-Z]\.[ \t]*)?{_ANY_WORD}){{0,3}})"
)
"""A form field ("Name: Crystal Grant", "Customer name = ...", "Nachname: Scholl", "Prénom : Léa"): the rest of
the line is a name, whatever
its words are ("Crystal" and "Grant" are also common words). "Username:" or "Company name:" do not match."""
_HOLDER_LABEL = re.compile(
    r"(?i:\b(?:card[ _]?holder(?:[ _]name)?|name on (?:the )?(?:card|licen[cs]e|account|passport|id)|"
    r"titulaire(?: de la carte| du compte)?|karteninhaber(?:in)?|kontoinhaber(?:in)?|titular(?: de la tarjeta)?|"
    r"intestatari[oa]|account[ _]holder(?:[ _]name)?))[ \t]*[:=]?[ \t]*"
    rf"(?P<value>{_ANY_WORD}(?:[ \t]+(?:[A-Z]\.[ \t]*)?{_ANY_WORD}){{0,3}})"
)
"""Whose card, licence or account it is: "Cardholder: NGUYEN BẢO NGỌC", "Titulaire CORINNE EVRARD",
"cardholder_name=AMRITA LAD", "Name on the license: Sky Power" — the words after it are the holder's name."""
_NAME_KEY_VALUE = re.compile(
    r"(?i:[\"']?\b(?:first|last|given|family|sur)_?name[\"']?|[\"'](?:first|last|given|family|surname)[\"']|"
    r"\b(?:first|last|full|customer|contact|requester)_?name)[ \t]*[:=][ \t]*(?P<q>[\"']?)"
    r"(?P<value>[^\W\d_][^\"'\n,;&=<>{}()\[\]\d]{0,60}?)(?P=q)[ \t]*(?=[,;}&\n]|$)"
)
"""A name in a JSON object, a query string or a log line: `"last": "Young"`, `first_name=Seo-yeon`."""
_MONTHS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september",
                     "october", "november", "december"})
_NOT_HOLDERS = frozenset({"visa", "mastercard", "amex", "maestro", "business", "gold", "platinum", "classic",
                          "debit", "credit", "card", "field", "test", "user", "asc", "desc", "plan", "standard",
                          "premium", "n/a", "none", "null", "unknown"})
"""Words after a holder label or in a name key that are a product, a placeholder or a sort order."""
_VCARD_N = re.compile(r"(?m)^N:([^;\n]*);([^;\n]*)")
"""A vCard's structured name "N:Luo;Xiuying;;;": family name, then given name."""
_NEIGHBOUR = re.compile(
    r"\b(?i:neighbou?r|nachbarn?|nachbarin|voisine?|vecin[oa]|vicin[oa]|buurman|buurvrouw|sąsiad(?:ka)?|"
    r"vizinh[oa]|granne)[ \t]+"
    rf"({_CAP_WORD}(?:[ \t]+{_CAP_WORD})?)"
)
"""A neighbour who took a parcel: "bei Nachbar Winkler abgegeben", "left with neighbour Ms Adams"."""
_CALL_NAME_ON = re.compile(
    rf"\b(?i:call|ring|text|phone|ask for|speak to)[ \t]+({_CAP_WORD}(?:[ \t]+{_CAP_WORD})?)[ \t]+(?i:on|at)"
    r"[ \t]+[+(\d]"
)
"""Whom to call on a number: "call Wadi on 07070 290435"."""
_MONTH_NEAR_NUMBER = re.compile(
    r"(?i)(?:\d[ \t.]*|\b)(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|januar|februar|märz|juni|juli|"
    r"august|oktober|dezember|mai|juin|juillet|août|enero|marzo|junio|julio|agosto)\.?(?:[ \t]+\d|,?[ \t]*\d{4})"
)
"""A month name or abbreviation in a date ("15 Jan 2024", "Juli 2023"): "Jan", "Juli" are given names too."""
_HEADER_WORDS = frozenset({"Von", "An", "De", "Da", "Para", "Van", "Aan"})
"""Mail header labels of other languages that are also given names ("Von: ...", "De: ...")."""
_DISPLAY_NAME = re.compile(rf"(?<![\w@.])({_CAP_WORD}(?:[ \t]+(?:[A-Z]\.[ \t]*)?{_CAP_WORD}){{0,3}})[ \t]*"
                           r"<[^<>@\s]+@[^<>\s]+>")
"""A mail header's display name: "Von: Florence Hertrampf <fhertrampf@aol.de>" in any language."""
_SIGN_DASH = re.compile(rf"(?:^|[\s.!?])[-–—][ \t]*+((?:[A-Z]\.[ \t]?)?{_CAP_WORD}(?:[ \t]+{_CAP_WORD})?)"
                        rf"(?:,[ \t]*{_CAP_WORD}(?:[ \t-]+{_CAP_WORD})?)?[ \t]*+\.?\s*+$")
"""A ticket or agent note signed with a dash at its very end: "... Customer OK with the delay. - Kai", "... never
came. - M.Breugelmans, Hasselt" (an initial, and the signer's town after a comma)."""
_ABOVE_JOB_TITLE = re.compile(
    rf"(?m)^[ \t>]*+({_CAP_WORD}(?:[ \t]+(?:[A-Z]\.[ \t]*)?{_CAP_WORD}){{1,2}})[ \t]*+,?[ \t]*+\n[ \t>]*"
    r"(?=[^\n]{0,50}\b(?:Manager|Director|Engineer|Officer|Specialist|Coordinator|Analyst|Consultant|Administrator|"
    r"Representative|Supervisor|Developer|Designer|Accountant|Executive|Advisor|Adviser|Agent|President|Founder|"
    r"Secretary|Technician|Architect|Recruiter|Assistant|Intern|Attorney|Paralegal|Head of|Team Lead|"
    r"CEO|CTO|CFO|COO|CIO|VP)\b[^\n]{0,50}$)"
)
"""A signature: the sender's name on the line above the job title ("Amor Rosado / Head of Operations")."""
_SIGNED_BELOW = re.compile(
    r"(?m)^[ \t>]*+(?i:(?:(?:thanks|thank you)[ \t]*(?:&|and)[ \t]*)?(?:(?:best|kind|warm|many)[ \t]+)?"
    r"(?:regards|wishes)|best|"
    r"(?:many )?thanks(?: again| a lot| so much)?|thank you(?: so much)?|"
    r"thx|ta|cheers|sincerely|yours(?: sincerely| faithfully| truly)?|cordialement|merci|danke(?: und gruß)?|"
    r"(?:viele|liebe|beste)? ?grüße|gruß|saludos|un saludo|gracias|saluti|grazie|met vriendelijke groet|groeten|"
    r"mvh|med vänliga hälsningar|hälsningar|pozdrawiam|s pozdravem|üdvözlettel)[ \t]*+[,.!]?[ \t]*+\n"
    rf"[ \t>]*((?:[A-Z]\.[ \t]?)?{_CAP_WORD}(?:[ \t]+{_CAP_WORD}){{0,2}})[ \t]*$"
)
"""The line under a sign-off: the sender's name, even one that is also a word ("Ta,\nJade", "Best,\nDawn Best"),
or an initial and a surname ("B. Hill")."""
_RELATIVE = re.compile(
    r"(?i:\bmy|\bour|\bhis|\bher|\btheir)[ \t]+(?i:(?:little|older|younger|elder|late|new)[ \t]+)?"
    r"(?i:daughter|son|wife|husband|mother|father|mum|mom|mam|dad|brother|sister|grandmother|grandfather|"
    r"grandma|grandpa|aunt|uncle|niece|nephew|cousin|fiancée?|girlfriend|boyfriend|flatmate|roommate|neighbou?r|"
    r"colleague|boss|child|kid|baby)[ \t,]+"
    rf"({_CAP_WORD}(?:-{_LOWER}+)?(?:[ \t]+{_CAP_WORD})?)"
)
"""A relative or colleague named right after the word: "My daughter May is enrolled", "my colleague Rich Love"."""
_SURNAME_COMMA_GIVEN = re.compile(
    r"(?m)^[ \t]*(?i:(?:full |legal )?name|renter|driver|customer|client|guest|patient|employee|passenger|"
    r"(?:account |card ?)holder|contact|requester|applicant|tenant|owner|member|student|recipient|sender|"
    rf"travell?er|insured|caller|attendee)[ \t]*:[ \t]*({_CAP_WORD}(?:[ \t]+{_CAP_WORD})?,[ \t]*{_CAP_WORD})[ \t]*$")
"""A form field holding "Surname, Given": "Renter: Harper, Garrett"."""
_NOT_SURNAMES_AFTER_WORD_NAME = frozenset({
    "gold", "green", "red", "blue", "black", "white", "silver", "grey", "gray", "pink", "purple", "brown", "orange",
    "rose", "sale", "sales", "league", "edition", "series", "plus", "pro", "max", "mini", "beach", "valley", "office",
    "branch", "center", "centre", "park", "street", "road", "hall", "house", "bank", "court", "church", "day", "week"})
"""Surnames that after a word-like given name make a colour, a product or a place: "Rose Gold", "Summer Sale"."""
NOT_SURNAMES_AFTER_WORD_NAME = _NOT_SURNAMES_AFTER_WORD_NAME
_RENAMABLE = frozenset({"previous", "former", "old", "new", "display"})
"""Name fields that rename files, groups and channels as often as people: their value needs a lexicon name."""
_TITLE_LINE = re.compile(r"[ \t>]*(?:[A-Z&|·/,(-][\w.&'’()/-]*|of|and|for|the|de|to|at|in|[ \t]+)*$", re.MULTILINE)
"""A job title's line: capitalised words and the small words of a title ("Head of Operations | Polaris"), not a
sentence ("Administrator rights needed")."""
_PERSONAL_ITEM = (
    r"['’]s\s+(?:(?:home|billing|shipping|mailing|postal|new|old|current|email|e-mail|phone|mobile|cell|work|"
    r"private|personal)\s+)?(address|birthday|date of birth|dob|ssn|passport|licen[cs]e|"
    r"phone|number|email|e-mail|account|card|contact details|details)\b"
)

_PARTICLES = re.compile(
    r"(?:[ \t]+(?:van|von|de|der|den|del|della|di|da|du|la|le|bin|binti|ibn|al|el|ter|ten|zu|dos|das|y"
    r"|Van|Von|De|Der|Den|Del|Della|Di|Da|Du|La|Le|Ter|Ten|Dos|Das))+"
    rf"\s+{_CAP_WORD}"
)
"""Surname particles between given name and surname: "Paul van der Voet", "Maria de la Cruz", and capitalised as
Belgians write them ("Thomas Van der Auwera")."""
_TITLE_ANY_CASE = r"(?i:mr|mrs|ms|mx|dr|prof|herr|frau|mme|mlle|sr|sra|srta)\.?"
_LOWER_WORD = re.compile(r"(?<![\w@.'’-])[^\W\d_A-Z][^\W\d_]*(?![\w@'’-])")
_CAPITALISED = re.compile(r"\b[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]")
_WORDS = re.compile(r"[^\W\d_]+")
_LOWER_LIST = re.compile(r"(?<![\w'’-])[^\W\d_A-Z]+(?:,[ \t]*[^\W\d_A-Z]+)+,?[ \t]+(?:and|und|et|y|e)[ \t]+[^\W\d_A-Z]+"
                         r"(?![\w'’-])")
"""A lowercase list of single words ("fábio, bruna and fabiana"): names when most items are given names."""
_LOWER_AFTER_CUE = re.compile(
    r"(?i:\b(?:this is|it's|it is|hier ist|ici|c'est|soy|sono|i'm|i am|ich bin|je suis|lg|vg|thx|thanks|thank you|"
    r"cheers|regards|grüße|merci|danke|gracias|grazie|hi|hello|hey|hallo|hola|ciao|salut|dear|liebe|lieber))"
    r"[,:]?[ \t]+([^\W\d_A-Z][^\W\d_]*)(?![\w'’-])"
)
"""A lowercase given name right after a greeting, a self-introduction or a sign-off, in any text."""
_NAME = rf"{_CAP_WORD}(?:[ \t]+(?:[A-Z]\.[ \t]*)?{_CAP_WORD}){{0,2}}"
"""One to three capitalised words on one line: "Rosa\nNachname: ..." is a name and the next form label."""
_ITEM_OF_OWNER = re.compile(rf"\b(?i:(?:number|phone|mobile|e-?mail|address|extension|contact details) (?:for|of)|"
                            rf"the name)[ \t]+({_NAME})")
"""Whose number or address it is, or a name announced as one; lexicon names only ("the address for Microsoft
Support", "the name Windows Update" are not people)."""


@cache
def other_languages_function_words() -> frozenset[str]:
    """spaCy's stop words of the European languages tickets mix into English ("Mein", "Votre", "Bitte", "Sie")."""
    words: set[str] = set()
    for code in _OTHER_LANGUAGES:
        words |= {w.casefold() for w in import_module(f"spacy.lang.{code}.stop_words").STOP_WORDS}
    return frozenset(words)


@cache
def first_names() -> frozenset[str]:
    """Census given names and international ones (the latter already without English words)."""
    return _load("first_names.txt") | _load("first_names_intl.txt")


@cache
def surnames() -> frozenset[str]:
    return _load("surnames.txt") | _load("surnames_intl.txt")


@cache
def lowercase_given_names() -> frozenset[str]:
    """Every given name, lowercased, without function words: what may make a lowercase text hold a name."""
    return frozenset(n.casefold() for n in first_names()) - {w.casefold() for w in STOP_WORDS} - _NOT_NAMES


@cache
def name_words() -> frozenset[str]:
    """Lowercased census names that are also English words ("mark", "young"): never a name alone in lowercase."""
    return _load("name_words.txt")


def _load(name: str) -> frozenset[str]:
    text = resources.files("processors.pii").joinpath("data", name).read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


class NameRecognizer(TextRecognizer):
    """PERSON spans from titles, name-introducing context and the given-name lexicon."""

    ENTITY = "PERSON"
    _AFTER_TITLE = re.compile(rf"\b{_TITLE}\s+({_NAME})")
    _AFTER_DOTTED_TITLE = re.compile(rf"(?<!\w){_TITLE_ANY_CASE}\s+({_ANY_WORD}(?:\s+{_ANY_WORD}){{0,2}})")
    _AFTER_CONTEXT = re.compile(rf"(?<!\w){_CONTEXT}[,:]?\s+({_NAME})")
    _CAPS = re.compile(rf"(?<![\w@.]){_CAP_WORD}(?![\w@])")
    _AFTER_STRONG = re.compile(
        rf"(?<!\w){_STRONG_CONTEXT}[,:]?\s+(?:{_TITLE}\s+)?({_ANY_WORD}(?:\s+{_ANY_WORD}){{0,2}})")
    _GREETED = re.compile(rf"(?<!\w)(?i:dear|hi|hello|hey|hallo|bonjour|hola|ciao|liebe|lieber|cher|chère|thanks|"
                          rf"thank you|thx|cheers|sorry)[ \t]+"
                          rf"({_CAP_WORD}(?:[ \t]+{_CAP_WORD})?)(?=[ \t]*(?:[,!:\n]|$))")
    """A greeting's or thanks' addressee up to its comma or line end: a given name even where it is a common word
    too ("Hi Virginia,", "Dear Summer,", "Thanks Chase!"), which the other rules leave."""
    _VOCATIVE = re.compile(rf"(?<![\w'’-])[a-z][a-z'’]*[,;][ \t]+({_CAP_WORD})[ \t]*(?=[!?])")
    """A given name called at the end of a sentence, after a comma and a lowercase word, before "!" or "?": "Don't go
    to town, Heather!", "Any news, Summer?" — even one that is a common word too; not a field's "Finance, Charlotte",
    nor "scheduled for next month, April." (and no month at all)."""
    _OWNER_OF_ITEM = re.compile(rf"(?<![\w@.])({_CAP_WORD}(?:\s+{_CAP_WORD})?){_PERSONAL_ITEM}")
    _OWNER_OF_ITEM_ANY = re.compile(rf"(?<![\w@.])({_ANY_WORD}(?:\s+{_ANY_WORD})?){_PERSONAL_ITEM}")
    _LIST_MORE = re.compile(rf"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)({_ANY_WORD}(?:\s+{_ANY_WORD})?)")

    def __init__(self, supported_language: str = "en", is_word: Callable[[str], bool] = lambda _: False,
                 everyday_words: frozenset[str] = frozenset()) -> None:
        super().__init__(supported_language=supported_language)
        self._is_word = is_word
        """Whether a word is English: the layout rules (sign-off lines, relatives, fields) need a name, not a word."""
        self._everyday = everyday_words
        """English words that are verbs or adjectives too: in lowercase text "mark said" is no name, "holmes said"
        is (see `unknown_words.words_beyond_nouns`)."""
        self._first = first_names()
        self._last = surnames()
        self._function = {w.casefold() for w in STOP_WORDS} | _NOT_NAMES
        self._stop = self._function | _COMMON_WORDS
        self._foreign_function = other_languages_function_words()
        words = name_words() | self._stop
        self._lower_first = frozenset(n.casefold() for n in self._first) - words
        self._lower_first_any = frozenset(n.casefold() for n in self._first) - self._stop
        self._lower_last = frozenset(n.casefold() for n in self._last) - words
        self._lower_any = (frozenset(n.casefold() for n in self._first | self._last)) - self._function
        self._lower_unambiguous = self._lower_first | self._lower_last

    def _is_name_word(self, word: str) -> bool:
        return word.casefold() not in self._stop

    def _trim(self, text: str, start: int, end: int, stop: frozenset[str] | set[str] | None = None
              ) -> tuple[int, int] | None:
        """Cut a captured run of capitalised words after its last name-like word."""
        stop = self._stop if stop is None else stop
        words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text[start:end])]
        keep: list[tuple[int, int]] = []
        for ws, we in words:
            word = text[start + ws : start + we].rstrip(".")
            if word.casefold() in stop and not (len(word) == 1 and word.isupper()):
                break
            if keep and word[:1].isupper() != text[start + keep[0][0]].isupper():
                break  # "Haraldsdóttir built": a name keeps the casing of its first word
            keep.append((ws, we))
        if not keep:
            return None
        return start + keep[0][0], start + keep[-1][1]

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        found: dict[tuple[int, int], float] = {}
        for pattern, score in ((self._AFTER_TITLE, 0.9), (self._AFTER_CONTEXT, 0.75)):
            for m in pattern.finditer(text):
                span = self._trim(text, m.start(1), m.end(1))
                if span:
                    span = (m.start(), span[1]) if pattern is self._AFTER_TITLE else span
                    found[span] = max(found.get(span, 0.0), score)
        for m in self._GREETED.finditer(text):
            parts = m.group(1).split()
            if parts[0] in self._first and not any(w.casefold() in self._function for w in parts):
                found[m.span(1)] = max(found.get(m.span(1), 0.0), 0.75)
        for m in self._VOCATIVE.finditer(text):
            if (m.group(1) in self._first and m.group(1).casefold() not in self._function
                    and m.group(1).casefold() not in _MONTHS):
                found[m.span(1)] = max(found.get(m.span(1), 0.0), 0.7)
        for m in self._AFTER_DOTTED_TITLE.finditer(text):  # "mr. chad farmer": the title is the cue
            end = m.start(1)
            for w in re.finditer(r"\S+", m.group(1)):  # lexicon names only: "a dr. appointment" stays
                if w.group().casefold() not in self._lower_any:
                    break
                end = m.start(1) + w.end()
            if end > m.start(1):
                found[(m.start(), end)] = max(found.get((m.start(), end), 0.0), 0.85)
        self._caseless(text, found, alone=not _CAPITALISED.search(text))
        for m in self._AFTER_STRONG.finditer(text):
            # after "my name is" an ambiguous word (Lee, Will, June) is a name; function words are not
            span = self._trim(text, m.start(1), m.end(1), self._function)
            if not span:
                continue
            found[span] = max(found.get(span, 0.0), 0.8)
            end = span[1]
            while (more := self._LIST_MORE.match(text, end)) is not None:  # "founders: Kovalev, Lee and Phillips"
                item = self._trim(text, more.start(1), more.end(1), self._function)
                if not item or text[item[0]:item[1]].isupper():  # "My name is Daniel Brown, SSN 673-..."
                    break
                found[item] = max(found.get(item, 0.0), 0.7)
                end = item[1]
        self._cued(text, found)
        words = list(self._CAPS.finditer(text))
        i = 0
        while i < len(words):
            m = words[i]
            word = m.group()
            possessive = word[-2:] in ("'s", "’s")
            if possessive:  # "Božica's address": the lexicon holds "Božica"
                word = word[:-2]
            header = word in _HEADER_WORDS and text.startswith(":", m.end())  # "Von: ..." in a quoted mail
            header = header or _MONTH_NEAR_NUMBER.match(text, max(0, m.start() - 3), m.end() + 6) is not None
            if (word in self._first and not self._is_name_word(word) and word.casefold() not in self._function
                    and not possessive and not header and i + 1 < len(words)
                    and re.fullmatch(r"[ \t]", text[m.end() : words[i + 1].start()])
                    and words[i + 1].group().removesuffix("'s").removesuffix("’s") in self._last
                    and words[i + 1].group().casefold() not in _NOT_SURNAMES_AFTER_WORD_NAME
                    and not DETERMINER_BEFORE.search(text, max(0, m.start() - 8), m.start())):
                # a given name that is a word too, then a surname: "Faith Lake", "Crystal Hill", "Rich Love"
                end = words[i + 1].end() - (2 if words[i + 1].group()[-2:] in ("'s", "’s") else 0)
                found[(m.start(), end)] = max(found.get((m.start(), end), 0.0), 0.7)
                i += 2
                continue
            if word in self._first and self._is_name_word(word) and not header:
                end = m.end() - 2 if possessive else m.end()
                if possessive:  # a possessive ends the name
                    found[(m.start(), end)] = max(found.get((m.start(), end), 0.0), 0.6)
                    i += 1
                    continue
                j = i + 1
                # Following capitalised words separated only by a space (and a middle initial) join the name.
                while (
                    j < len(words) and j - i <= 2
                    and re.fullmatch(r"[ \t]+(?:[A-Z]\.[ \t]+)?", text[end : words[j].start()])
                ):
                    nxt = words[j].group()
                    if not self._is_name_word(nxt):
                        break
                    end = words[j].end()
                    j += 1
                if j == i + 1 and word.casefold() in self._foreign_function and self._foreign_text(text):
                    i += 1  # "Sie", "Von", "Le", "Mi" alone in German, French, Spanish text: a word of it
                    continue
                score = 0.85 if j > i + 1 else 0.6
                found[(m.start(), end)] = max(found.get((m.start(), end), 0.0), score)
                i = j
                continue
            i += 1
        for span in acting_names(text, lambda w: w in self._first or w in self._last,
                                 lambda w: w.casefold() in self._function, self._is_word):
            found[span] = max(found.get(span, 0.0), 0.7)
        if not _CAPITALISED.search(text):
            for span in acting_names(text, lambda w: w in self._lower_any and w not in self._everyday,
                                     lambda w: w in self._function, self._is_word, lowercase=True):
                found[span] = max(found.get(span, 0.0), 0.65)
        self._extend_particles(text, found)
        return [self.result(self.ENTITY, s, e, score) for (s, e), score in found.items()
                if not COMPANY_OR_ROLE.search(text, s, e)]

    def _foreign_text(self, text: str) -> bool:
        """At least three function words of another language that are not English ones ("ich", "nicht", "votre")."""
        found = {w for w in _WORDS.findall(text) if w.islower() and w in self._foreign_function
                 and w not in self._function}  # lowercase: "Mia", "Kai", "Hans" are names as often as words
        return len(found) >= 3

    def _cued(self, text: str, found: dict[tuple[int, int], float]) -> None:
        """Names given away by where they stand: a form's name field, a mail header, a dash signature, the owner of
        an address or number."""
        tail = max(0, len(text.rstrip()) - 200)  # a signature is at the end: no search over a long text
        for m in [*_DISPLAY_NAME.finditer(text), *_SIGN_DASH.finditer(text, tail)]:
            span = self._trim(text, m.start(1), m.end(1), self._function)
            # a lexicon name or an initial: not "Acme Billing <billing@...>" or "VPN down - Critical"
            if span and (re.match(r"[A-Z]\.[ \t]?\w", text[span[0] : span[1]])  # an initial with a name after it
                         or any(w in self._first or w in self._last for w in text[span[0] : span[1]].split())):
                found[span] = max(found.get(span, 0.0), 0.75)
        for m in _SIGNED_BELOW.finditer(text):
            parts = m.group(1).replace(".", ". ").split()
            if re.fullmatch(r"[A-Z]\.", parts[0]):  # "B. Hill": an initial, then a surname
                if len(parts) == 2 and (parts[1] in self._last or not self._is_word(parts[1])):
                    found[m.span(1)] = max(found.get(m.span(1), 0.0), 0.75)
                continue
            if (parts[0] in self._first and not any(w.casefold() in self._function for w in parts)
                    and all(w in self._last or not self._is_word(w) for w in parts[1:])
                    and not any(w.casefold() in _NOT_SURNAMES_AFTER_WORD_NAME for w in parts[1:])
                    and not COMPANY_OR_ROLE.search(m.group(1))):  # "Dawn Best", not "Austin Office"
                found[m.span(1)] = max(found.get(m.span(1), 0.0), 0.75)
        for m in _RELATIVE.finditer(text):
            span = self._trim(text, m.start(1), m.end(1), _NOT_NAMES)  # "my daughter May is ..."
            first = text[span[0] : span[1]].split()[0] if span else ""
            if span and (first in self._first or first in self._last):
                found[span] = max(found.get(span, 0.0), 0.75)  # a lexicon name: not "my son Minecraft"
        for m in _SURNAME_COMMA_GIVEN.finditer(text):
            surname, given = (w.strip() for w in m.group(1).rsplit(",", 1))
            if (given in self._first and not COMPANY_OR_ROLE.search(m.group(1))
                    and all(w in self._last or not self._is_word(w) for w in surname.split())):
                found[m.span(1)] = max(found.get(m.span(1), 0.0), 0.75)  # "Harper, Garrett", not "Finance, Charlotte"
        for m in _ABOVE_JOB_TITLE.finditer(text):
            words = m.group(1).split()
            if (any(w in self._first or w in self._last for w in words)
                    and not any(w.casefold() in self._function for w in words)
                    and _TITLE_LINE.match(text, m.end())):
                found[m.span(1)] = max(found.get(m.span(1), 0.0), 0.75)
        for m in [*_HOLDER_LABEL.finditer(text), *_NAME_KEY_VALUE.finditer(text)]:
            span = self._trim(text, m.start("value"), m.end("value"), self._function)
            value = text[span[0] : span[1]] if span else ""
            bare_key = m.re is _NAME_KEY_VALUE and re.match(r"[\"'](?i:first|last)[\"']", m.group())
            if (span is None or len(value) < 2 or not value[0].isupper() or COMPANY_OR_ROLE.search(value)
                    or "://" in value or any(w.casefold() in _NOT_HOLDERS for w in value.split())
                    or (bare_key and not any(w in self._first or w in self._last for w in value.split()))):
                continue  # "Titular de la tarjeta: Visa Business", {"first": "Standard Plan"}, a link, "asc"
            found[span] = max(found.get(span, 0.0), 0.8)
        for m in _VCARD_N.finditer(text) if "BEGIN:VCARD" in text else ():
            for group in (1, 2):
                if m.end(group) - m.start(group) > 1:
                    found[m.span(group)] = max(found.get(m.span(group), 0.0), 0.8)
        for m in [*_NEIGHBOUR.finditer(text), *_CALL_NAME_ON.finditer(text)]:
            words = m.group(1).split()
            if (any(w in self._first or w in self._last for w in words)
                    or not any(self._is_word(w) or w.casefold() in self._stop for w in words)):
                found[m.span(1)] = max(found.get(m.span(1), 0.0), 0.7)  # "Winkler", not "call Support on"
        for m in _FORM_LABEL.finditer(text):
            span = self._trim(text, m.start("value"), m.end("value"), self._function)
            if span and span[1] - span[0] > 1:  # "Name: N/A"
                if m["qualifier"] and m["qualifier"].casefold() in _RENAMABLE and not any(
                        w in self._first for w in text[span[0] : span[1]].split()):
                    continue  # "Previous name: Sales Dashboard" renames a thing
                found[span] = max(found.get(span, 0.0), 0.8)
        for m in self._OWNER_OF_ITEM.finditer(text):  # "here's Božica's address", "John Smith's phone number"
            # Only lexicon names: companies have addresses, licences and phone numbers too ("Amazon's address").
            span = self._trim(text, m.start(1), m.end(1))
            if span and any(w in self._first or w in self._last for w in m.group(1).split()):
                found[span] = max(found.get(span, 0.0), 0.7)
        for m in _ITEM_OF_OWNER.finditer(text):  # "a number for Cain the plumber", "doesn't match the name Jason Mason"
            span = self._trim(text, m.start(1), m.end(1), self._function)
            if span and any(w in self._first or w in self._last for w in text[span[0]:span[1]].split()):
                found[span] = max(found.get(span, 0.0), 0.7)  # "Sarah", not "Sarah The Office"
        for m in self._OWNER_OF_ITEM_ANY.finditer(text):  # lowercase: only lexicon names ("petra's email")
            words = m.group(1).split()
            if words and words[-1].casefold() in self._lower_unambiguous:  # not "my driver's licence"
                two = len(words) == 2 and words[0].casefold() in self._lower_unambiguous
                start = m.start(1) if two else m.end(1) - len(words[-1])
                found[(start, m.end(1))] = max(found.get((start, m.end(1)), 0.0), 0.65)

    def _extend_particles(self, text: str, found: dict[tuple[int, int], float]) -> None:
        for (start, end), score in list(found.items()):
            more = _PARTICLES.match(text, end)
            if more is not None and text[start:end][:1].isupper():
                del found[(start, end)]
                found[(start, more.end())] = max(found.get((start, more.end()), 0.0), score)

    def _caseless(self, text: str, found: dict[tuple[int, int], float], alone: bool) -> None:
        """Names typed in lower case, where neither spaCy nor the capitalised rules see them.

        Any given name followed by a surname that is not an English word is a full name ("mark pinto" no,
        "hannah rangel" yes), in any text ("please remove alice wicht from our account"). Only in a text typed
        without capitals (`alone`), a given name alone that is not an English word ("petra" yes, "mark" no).
        """
        words = list(_LOWER_WORD.finditer(text))
        for i, m in enumerate(words):
            word = m.group()
            if word not in self._lower_first_any:
                continue
            nxt = words[i + 1] if i + 1 < len(words) else None
            if nxt is not None and text[m.end() : nxt.start()] == " " and nxt.group() in self._lower_last:
                found[(m.start(), nxt.end())] = max(found.get((m.start(), nxt.end()), 0.0), 0.7)
            elif alone and len(word) >= 4 and word in self._lower_first:  # "ned", "bil", "cal": typos
                found[(m.start(), m.end())] = max(found.get((m.start(), m.end()), 0.0), 0.6)
        for m in _LOWER_LIST.finditer(text):  # "my flatmates fábio, bruna and fabiana"
            items = [w for w in _LOWER_WORD.finditer(m.group()) if w.group() not in ("and", "und", "et", "y", "e")]
            names = [w for w in items if w.group() in self._lower_first_any]
            if len(names) >= 2 and len(names) * 2 >= len(items):
                for w in [w for w in items if w.group() not in self._stop]:  # the others are names nobody listed
                    span = (m.start() + w.start(), m.start() + w.end())
                    found[span] = max(found.get(span, 0.0), 0.65)
        for m in _LOWER_AFTER_CUE.finditer(text):  # "hier ist angelo", "lg aron", "thanks jordan"
            if m.group(1) in self._lower_first_any and len(m.group(1)) >= 3:
                found[m.span(1)] = max(found.get(m.span(1), 0.0), 0.65)
