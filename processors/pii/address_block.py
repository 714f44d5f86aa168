"""Postal addresses as *blocks*: a street line and the lines or comma-separated parts that follow it.

`AddressRecognizer` finds street lines of known shapes ("123 Main Street", "Hauptstraße 12"). Real tickets
and signatures carry whole postal blocks in every country's format, often with street names no lexicon knows
("42 machelsesteenweg 197 / suite 834 / montzen / macedonia 64733"), and a building number, a unit, a postcode
on their own are identifying once they sit in such a block. This recognizer works on structure, in any
language and case:

- a street line: a house number and one to five words with another number or a street-type word
  ("58 kvaløyvågvegen 140", "07 Celso Emilio Ferreiro 23", "Luite tee 71", "99 Balsham Road"), a P.O. box or a
  military address (PSC/Unit ... Box, APO/FPO/DPO);
- accepted only where an address is plausible: at the start of a line with an address-like line after it,
  followed by ", Place" parts, or after an address cue ("address", "office is at", "send ... to", "corner
  of"); so "3 days for order 12345" in a sentence is not an address;
- extended over up to four continuation lines (unit, city, "Country 12345", postcode) and over comma parts.

Scores are below the checksum recognizers': an address is a pattern, not a proof.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import ClassVar

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.lang.en.stop_words import STOP_WORDS

from processors.pii.recognizer_base import TextRecognizer
from processors.pii.recognizers import COUNT_AFTER

_PLACE_WORD = r"(?:[^\W\d_]{1,3}\.|[^\W\d_][\w'’-]{0,40}+(?:\.[\w'’-]{1,40}+){0,4}+)"
"""A word of a place name; only an abbreviation ("St.", "Mt.") ends in a period — after "Schaffhausen." a new
sentence begins, and it is not part of the address."""
_WORD = r"[^\W\d_][\w'’.-]{0,40}"
"""Words are bounded: a 20,000-character token ("A1B2-A1B2-…") would otherwise be re-read from every letter
(quadratic), stalling the stage for minutes."""
_SWORD = rf"(?:{_PLACE_WORD}|\d{{1,4}}(?:st|nd|rd|th)\b)"
"""A word of a street name, ordinals included ("184th Street", "5th Avenue")."""
_NUM = r"\d{1,5}[a-zA-Z]?"
_STREET_TYPES = (
    r"street|st\.?|avenue|ave\.?|road|rd\.?|boulevard|blvd\.?|lane|ln\.?|drive|dr\.?|court|ct\.?|way|place|pl\.?|"
    r"terrace|parkway|pkwy\.?|highway|hwy\.?|circle|square|close|crescent|row|walk|trail|alley|plaza|"
    r"stra(?:ß|ss)e|str\.|weg|gasse|platz|allee|allé|ring|damm|ufer|straat|laan|gracht|plein|gatan|gata|vegen|veien|"
    r"vej|tie|katu|tee|ulica|ul\.|utca|rue|via|viale|calle|rua|avenida|camino|carrer|piazza|corso|ulitsa|"
    r"sq\.?|u\.|út|tér|körút|krt\.|rakpart|köz|sor|fasor|ulice|nám\.|náměstí|třída|nábřeží|al\.|aleja|plac|"
    r"os\.|trg|cesta|plads|vænge|stræde|strada|calea|bulevardul|gade|gate|vei|vegur|braut|kuja|polku|paseo|ronda|carretera|"
    r"vicolo|largo|travessa|dreef|singel|kade|rambla|estrada|pasaje|passeig|avinguda|travesía|glorieta|callejón|"
    r"cad\.|caddesi|sok\.|sokak|sokağı|bulvarı|blv\.|mnt|maantee|gränd|stig|stigen|backe|backen|torg|torget|rúa"
)
"""Street-type words in the languages tickets arrive in (Hungarian `u.`/`út`/`tér`, Czech `nám.`, Polish
`al.`, Croatian `trg`, Romanian `strada`, Icelandic `vegur`, ...)."""
_SUFFIXES = (
    r"(?:Alley|Annex|Arcade|Bayou|Beach|Bend|Bluffs?|Bottom|Branch|Bridge|Brooks?|Burgs?|Bypass|Canyon|Cape|"
    r"Causeway|Centers?|Circles?|Cliffs?|Commons?|Corners?|Courts|Coves?|Creek|Crest|Crossing|"
    r"Crossroad|Dale|Dam|Drives|Estates?|Expressway|Extensions?|Falls?|Ferry|Fields|Flats?|Fords?|"
    r"Forest|Forges?|Forks?|Fort|Freeway|Gardens?|Gateway|Glens?|Greens?|Groves?|Harbors?|Haven|Heights|Hills?|"
    r"Hollow|Inlet|Islands?|Isle|Junctions?|Keys?|Knolls?|Lakes?|Land|Landing|Lights?|Locks?|Lodge|Loop|Mall|"
    r"Manors?|Meadows?|Mews|Mills?|Mission|Motorway|Mount|Mountains?|Neck|Orchard|Overpass|Parks|Parkways|"
    r"Pass|Passage|Path|Pike|Pines?|Plains?|Points?|Ports?|Prairie|Ranch|Rapids?|Ridges?|River|"
    r"Roads|Route|Shoals?|Shores?|Skyway|Springs?|Spurs?|Squares|Stravenue|Stream|Streets|Summit|"
    r"Throughway|Trafficway|Trailer|Tunnel|Turnpike|Underpass|Valleys?|Viaduct|Views?|"
    r"Villages?|Ville|Vista|Walks|Wall|Ways|Wells?|Outlook|Ramble|Artery|Siding|Rise|Chase|Parade|"
    r"Esplanade|Circuit|Promenade|Quay|Wharf|Vale|Approach|Grange|Gate|Hill|Green|Grove)"
)
"""Street suffixes of the USPS list (Publication 28) and of British and Australian streets, capitalised only:
"45 Skinner Springs", "83 Moore Outlook". Lowercase they are ordinary words ("3 hot springs"); those that are as
often something else capitalised ("Round", "Run", "Station", "Club") are left out."""
_COMPOUND_SUFFIX = (
    r"stra(?:ß|ss)e|str\.|weg|gasse|platz|allee|damm|ufer|straat|laan|gracht|plein|gatan|gata|vegen|veien|vej|"
    r"katu|tie|tee|vägen|stræde|stræti|gade|sträße|steeg|dreef|singel|kade|plass|torget|vegur|braut|stígur|gränd|"
    r"stubben|svingen|bakken|backen|stigen|"
    r"gata|gate|veien|vei|kuja|polku|utca|tér|út|ring|boulevard"
)
_COMPOUND_STREET = re.compile(rf"(?:[^\W\d_][\w'’.-]{{0,40}}[ \t]+){{0,2}}[^\W\d_]{{3,}}(?i:{_COMPOUND_SUFFIX}|hof)"
                              rf"[ \t]+{_NUM}")
"""One word that ends in a street type, and its house number: "Isabellaboulevard 8", "Giovannihof 57"."""
_LINE_START = r"(?:(?<=\n)|^)[ \t?*•>|-]*"
_UNIT_LEAD = r"(?i:apt|apartment|suite|ste|unit|flat|fl|floor|room|rm)\b"
_STREET_CORE = (
    # Cheap exits first (the search tries every position): a shape starts at a word's or number's start, and all
    # but a ship's name have a digit on their line.
    r"(?<![^\W_])(?=[^\n]{0,160}?\d|(?i:usns|usnv|uss|uscgc)[ \t])"
    rf"(?:(?P<plain>{_NUM}[ \t]+(?:(?!{_UNIT_LEAD}){_WORD}[ \t]+){{0,4}}(?!{_UNIT_LEAD}){_WORD}[ \t]+{_NUM}\b)"
    # 58 kvaløyvågvegen 140, but not "170 London Place Apt. 892": the street is typed, the unit comes after it
    rf"|(?P<typed>{_NUM}[ \t]+(?:{_SWORD}[ \t]+){{0,3}}(?:(?i:{_STREET_TYPES})|{_SUFFIXES})(?![\w])"  # 99 Balsham Road
    rf"|(?:{_WORD}[ \t]+){{0,3}}(?i:{_STREET_TYPES})[ \t]+(?:(?i:no|nr|n[º°])[.:]?[ \t]*)?{_NUM}\b"  # Luite tee 71
    rf"|(?:{_WORD}[ \t]+){{0,2}}{_WORD}(?i:{_COMPOUND_SUFFIX})[ \t]+{_NUM}\b)"  # Västerviksgatan 2
    r"|(?P<box>(?:(?i:p\.?[ \t]?o\.?[ \t]?box|postfach|apartado|caixa postal|casilla (?:de correo|postal)|"
    r"boîte postale)|Post[ \t]?[Bb]ox|Postbus|Casilla)[ \t]*\d{1,6}"
    r"(?![ \t]+(?i:streets?|blocks?|doors?|miles?|km)\b)"  # P.O. Box 101
    r"|(?i:psc|unit|cmr)[ \t]+\d{3,5},?[ \t]+(?i:box)[ \t]+\d{1,5}"  # PSC 7004, Box 8380
    r"|(?i:usns|usnv|uss|uscgc)[ \t]+[^\W\d_][\w'’-]+)"  # ship addresses (with FPO on the next line)
    r"|(?P<named>(?!))"  # never here: named streets have their own cheap pattern below
    rf"|(?P<bare>(?<!\w){_NUM}[ \t]+(?:{_WORD}[ \t]+){{0,3}}{_WORD}(?=[ \t]*(?:\n|,|$)|[ \t]+{_UNIT_LEAD}))"
    # 291 Adelianos Kambos / 960 Nichols Curve Apt. 528: a unit after it, as on the next line
    r")"
)
_CUED_NAME_NUM = re.compile(r"(?:\b(?i:to|at|on|is|in|from|addr\.?|address)|:)[ \t]+"
                            rf"(?P<name_num>(?:{_WORD}[ \t]+){{0,3}}{_WORD}[ \t]+{_NUM}\b)")
"""Českého odboje 1735: words and a number, searched only right after the last word of a cue (cheap)."""
"""`bare` (number + words) is accepted only with a unit line after it, `name_num` (words + number) only right
after an address cue or at a line start with address lines under it: alone, both are ordinary phrases."""
_LINE_NAME_NUM = re.compile(rf"(?m)^[ \t?*•>|-]*(?P<name_num>(?:{_WORD}[ \t]+){{0,5}}{_WORD},?[ \t]+{_NUM}"
                            r"(?:[-/]\d{1,4}[a-zA-Z]?)?)(?=,?[ \t]*\n)")
"""Words and a house number alone on a line ("Klímova 323", "Wendestr. 6-7", "pl. Tuwima 51/59"): a street line
only when the next line is unmistakably the postcode-and-place line of a postal block (see `_POSTAL_NEXT`)."""
_NAMED_STREET = re.compile(r"(?P<named>(?<![\w-])[A-ZÀ-Þ][\w'’-]+[ \t]+"
                           r"(?:Street|Avenue|Road|Lane|Boulevard|Drive|Strasse|Straße)\b)")
_POSTCODE = (r"(?:\d{2}-\d{3}|\d{4,5}-\d{3}|\d{3}[ \t]?\d{2}|\d{4,6}"
             r"|[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}|[A-Z]\d[A-Z][ \t]?\d[A-Z]\d|[A-Z]{1,2}-\d{4,5}"
             r"|[A-Z]\d{4}(?:[A-Z]{3})?|\d{4}(?!MB|GB|KB|TB|HZ|MS|PX|AM|PM|DB)[A-Z]{2}(?![\w-]))")
"""Postcodes of many countries: Polish, Portuguese, Swedish, German, British, Canadian, "D-80331", Argentine
("B7600", "C1425DKR"), Dutch ("2420XC", "5539 BN")."""
_PLACE = rf"{_PLACE_WORD}(?:[ \t-]+{_PLACE_WORD}){{0,3}}"
"""Possessive word runs (`*+`): a separator may be "-" and so may a word's letter, and without them a long run of
"a-a-a…" backtracks in O(n⁴) (a 64 KB body could stall the stage)."""
_UNIT_OR_COUNT_AFTER = re.compile(r"[ \t]*(?:(?i:g|kg|mg|ml|l|cl|cm|mm|km|gb|mb|tb|kb|x|pcs|%)\b|[a-z]{3,}ed\b"
                                  r"|(?i:days?|hours?|weeks?|months?|years?|times?|items?|people|users?|minutes?|"
                                  r"pieces?|boxes|units?)\b)")
"""A unit or a verb or plural noun right after the number: a quantity in a sentence, not a house number."""


def _fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def _postal_line_after(text: str, end: int, start: int) -> bool:
    """Whether a postcode-and-place line follows the street line `text[start:end]`. A bare four-digit code
    ("2024 Catalogue", also a year) counts only after an address cue; "732 21 Studénka", "58-763 Oświęcim",
    "15947 Meiningen", "5426 WZ", "Josestad, AR 04486" count alone."""
    postal = _POSTAL_NEXT.match(text, end)
    if postal is None:
        return False
    line = postal.group().lstrip(",\n \t?*•>|-")
    if _SENTENCE_WORDS.match(line):
        return False
    if re.match(r"\d{4}[ \t]+[^\W\d_]{3}", line):  # "2024 Catalogue", but not "5426 WZ"
        return bool(_CUE.search(text[max(0, start - 80):start].replace("\n", " ")))
    return True


def _has_function_word(words: str) -> bool:
    return any(w.casefold() in STOP_WORDS for w in re.findall(r"[^\W\d_]+", words))


_POSTAL_NEXT = re.compile(
    r",?[ \t]*\n[ \t?*•>|-]*(?:"
    rf"{_POSTCODE}[ \t]+{_PLACE}"  # 732 21 Studénka, 58-763 Oświęcim, 1946-356 Reguengos
    r"|\d{4}[ \t]?[A-Z]{2}[ \t]*\n[ \t]*[^\W\d_][\w'’.-]{0,40}"  # 5426 WZ / Nijkerk
    r"|[^\W\d_][\w'’.-]{0,40}(?:[ \t]+[^\W\d_][\w'’.-]{0,40}){0,3},?[ \t]+[A-Z]{2}[ \t]+\d{5}(?:-\d{4})?"
    # Josestad, AR 04486
    r"|[A-ZÀ-Þ][\w'’.-]{0,40}(?:[ \t]+[A-ZÀ-Þ][\w'’.-]{0,40}){0,3}(?:[ \t]+\d{4}(?:\d{2})?|,[ \t]*\d{4,6})"
    # West Donnahaven 2952, Aligarh 507242, Lleida, 26443
    r")[ \t]*(?=\n|$|,)"
)
"""A postcode-and-place line right under a street line: what makes "Words 12" or "12 Words" a postal block."""
_UNIT = (r"(?:(?:(?i:apt|apartment|suite|ste|unit|flat|floor|fl|room|rm|box|wohnung|etage|piso|bloco|puerta|pta|"
         r"planta|dpto|depto|lgh|#)\.?|(?i:bl|sc|ap|esc|kv|int)\.|m\.)\s*#?\d{1,5}[a-zA-Z]?"
         r"|(?i:scala|esc\.|escalera|dto\.?|dpto\.?|puerta|pta\.|letra|bl\.|bloque|stiege|stg\.)[ \t]*[A-Z]\b)")
"""A flat, floor or staircase: "Apt. 4", "m. 22" (Polish), "int. 22", "scala B" (Italian), "Piso 1", "Dto. C"."""
_UNITS = rf"{_UNIT}(?:,?[ \t]+{_UNIT}){{0,2}}"
"""Units in a row: "Piso 1 Dto. C", "scala B, int. 22"."""
_CONTINUATION = re.compile(
    r"\n[ \t?*•>|-]*\n?[ \t?*•>|-]*"  # next line (one blank line allowed)
    r"(?!(?i:thanks|thank|thx|regards|best|cheers|sincerely|kind|hi|hello|dear|please|sent from|merci|"
    r"cordialement|danke|grüße|gruß|mfg|gracias|saludos|grazie|cordiali|saluti|obrigad[oa]|groeten|pozdrawiam|"
    r"yours|br|kr)\b)"  # a sign-off
    r"(?:"
    rf"{_UNITS}"
    r"|(?i:apo|fpo|dpo)\s+(?i:aa|ae|ap)\s+\d{5}"
    r"|,?\s*[A-Za-z]{2}\s+\d{5}(?:-\d{4})?"  # , BZ 42309
    r"|[^\W\d_][\w'’.-]{0,40}(?:[ \t,]+[^\W\d_][\w'’.-]{0,40}){0,5}(?:,?[ \t]+[A-Za-z]{2})?"
    r"(?:[ \t]+(?:[A-Z\d][\dA-Z -]{2,9}\d|\d{1,3}))?"
    r"|,[ \t]*[A-Z]{2}"  # ", SM" on its own line
    rf"|{_POSTCODE}[ \t]+{_PLACE}(?:[ \t]*\([A-Z]{{2}}\))?"  # 75005 Paris / D-80331 München / 20183 Milano (MI)
    r"|\d{3,6}(?:[ -]\d{3,4})?"  # a postcode line
    r"|\d{4}[ \t]?[A-Z]{2}"  # a Dutch postcode line (5539BN)
    r"|,?\s*nan\b[^\n]{0,20}"  # missing-value markers of exported data
    r")[ \t]*(?=\n|$|[.,;!?](?:\s|$)|\s+(?i:and|or|for|please|thanks|but|in|if|so|when|as|at|to|with|because)\b)"
)
_COMMA_PART = re.compile(
    r",[ \t]*(?:" + _UNITS + r"|" + _POSTCODE + r"[ \t]+" + _PLACE + r"(?:[ \t]*\([A-Z]{2}\))?"
    + r"|" + _PLACE_WORD + r"(?:[ \t]+" + _PLACE_WORD + r"){0,3}(?:[ \t]+\d{1,6}(?:-\d{4})?|[ \t]*\([A-Z]{2}\))?"
    r"|[A-Z]{2}[ \t]+\d{5}(?:-\d{4})?|\d{4,6}[ \t]+" + _PLACE_WORD
    + r"|\d{4,5}(?=,[ \t]*[A-ZÀ-Þ][^\W\d_]))"
)
"""A comma part after a street: units, a postcode and its place, a place (with its province: "Concordia Sagittaria
(VE)"), a US state and ZIP, a postcode alone before its place's part ("879, 30023, Concordia")."""
_SAME_LINE_TAIL = re.compile(r"(?:,?[ \t]+" + _UNIT + r")?(?:,?[ \t]+" + _PLACE_WORD + r"){0,6}?(?:[ \t]+\d{4,6})?"
                             r"(?=[ \t]*(?:\n|$|[.!?](?:\s|$)))")
_UNIT_AFTER = re.compile(r",?[ \t]+" + _UNITS)
_UNIT_NEXT_LINE = re.compile(r"\.?[ \t]*\n[ \t?*•>|-]*" + _UNIT)
_CAP_TAIL = re.compile(r"(?:,?[ \t]+[A-ZÀ-Þ][\w'’.-]{0,40}(?:(?:[ \t]+(?:and|of|the|de|la|du|des|del|da|do)){1,2}"
                       r"[ \t]+[A-ZÀ-Þ][\w'’.-]{0,40})?){1,6}")
"""Capitalised place words on the same line after a street with a cue or unit ("... Apt. 166 Cite Presidentielle
Papua New Guinea in case of ...", "... Apt. 892 Brookfield Democratic Republic of the Congo")."""
_CUE = re.compile(
    r"(?i)(?:address(?:es)?|addr\b\.?|adresse|pick-?up (?:point|location|spot)|drop-?off (?:point|location)|"
    r"anschrift|dirección|direccion|indirizzo|endereço|office is at|"
    r"located at|(?:send|ship|deliver|returns?|mail|post|forward|bring|taxi|ride|drive|take me)\b[^.\n]{0,40}\bto|"
    r"live[sd]? at|moved to|enter on|"
    r"(?:left|dropped(?: off)?|delivered|leave it|pick(?:ed)? (?:it )?up) at|"
    r"(?:office|home|work|contact|kontakt|anschrift|postal|mailing|to|recipient|empfänger|destinataire|"
    r"destinatario|c/o)\s*:|"
    r"corner of|here they are|meet\b[^.\n]{0,40}\bat|visit us at|headquartered at|our offices? at|billing|"
    r"shipping|delivery|wohne in|j'habite|vivo en)[^.\n]{0,40}$"
)
_LOWER_LEAD = re.compile(r"(?:[^\W\dA-ZÀ-Þ_][\w'’.-]{0,40}[ \t]+)+(?=[A-ZÀ-Þ])")
_STREET_TYPE_WORD = re.compile(rf"(?i:{_STREET_TYPES})")
_NOT_STREET = re.compile(r"(?i)(?:version|ver|v|level|step|page|chapter|part|section|option|plan|tier|phase|"
                         r"stage|round|day|week|month|year|item|line|row|room|floor|gate|terminal|platform|seat|"
                         r"windows|ios|android|iphone|galaxy|pixel|office|python|java|model|size|no|nr|number|"
                         r"release|build|sprint|ticket|case|issue|order|invoice|account|chapter|episode|season)\s")
"""Words that a number follows in running text far more often than in a street name."""
_HAS_CAPITALISED = re.compile(r"\b[A-ZÀ-Þ][a-zß-ÿ]")
_CUE_END = re.compile(r"(?i)(?:\b(?:to|at|on|is|in|from|addr\.?|address|adres|adresse|indirizzo|dirección|"
                      r"endereço|morada|anschrift)|:)[ \t]*$")
_LOWER_WORD = re.compile(r"(?<![\w'’.-])[^\W\dA-ZÀ-Þ_][^\W\d_]{3,}\b")


def _before_lowercase(part: str, text: str) -> int:
    """Where a comma part or tail stops: before its first lowercase word of 4+ letters when the text capitalises
    (", easy parking", ", effective 08/07" go on the sentence), and in any text before a function word that
    lowercase words follow (", 90210 and call"; "Trinidad and Tobago" stays)."""
    capitalises = _HAS_CAPITALISED.search(text) is not None
    words = list(re.finditer(r"[^\W\d_]+", part))
    for i, w in enumerate(words):
        word = w.group()
        if not word.islower() or _STREET_TYPE_WORD.fullmatch(word) or re.fullmatch(_UNIT, word):
            continue
        after = words[i + 1].group() if i + 1 < len(words) else ""
        function = word in STOP_WORDS and word not in _PARTICLES and (not after or after.islower())
        if function or (capitalises and len(word) >= 4 and _LOWER_WORD.fullmatch(part, w.start(), w.end())):
            return len(part[: w.start()].rstrip(" \t,"))
    return len(part)


_PARTICLES = frozenset({"de", "la", "le", "del", "della", "di", "du", "des", "da", "do", "dos", "van", "von", "der",
                        "den", "of", "the", "y", "i", "e", "am", "an", "im", "auf", "sur", "en"})
"""Lowercase words inside place names ("Santa Cruz de Tenerife", "Isle of Man", "Frankfurt am Main")."""


_NAME_TYPE_NUMBER = re.compile(
    rf"[A-ZÀ-Þ][\w'’.-]{{1,40}}(?:[ \t]+[A-ZÀ-Þ][\w'’.-]{{1,40}}){{0,2}}[ \t]+(?:utca|út|körút|tér|cesta|trg|gasse|"
    rf"straße|strasse|str\.|vej|gade|gatan|vegen|veien|katu|straat|laan|allee|ulica|ulice)[ \t]+{_NUM}")
"""A capitalised name, a street type of another language after it and a house number: "Ceglédi utca 41",
"Dunajska cesta 5". No English phrase has that shape, so it needs no cue."""
_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"
"""Capitals of the Latin scripts, Latin Extended-A included ("Żwirki", "Łódzka", "Škoda")."""
_LINK = (r"(?:(?:de|da|do|das|dos|del|della|delle|dei|degli|dello|dalla|dal|di|la|le|les|du|des|el|los|las|y|e|"
         r"i|lui|și)[ \t]+)*")
_PREFIX_STREET = re.compile(
    r"(?<![\w.])(?:Via|Vía|(?:Avenue|Boulevard)(?=[ \t]+(?:de|des|du|la|le|les)[ \t])"
    r"|R\.?(?=[ \t]+[A-ZÀ-Þ][\w'’-]+[ \t]+[A-ZÀ-Þ])|"
    r"(?i:rue|chemin|allée|impasse|quai|viale|vicolo|piazza|corso|calle|avenida|paseo|camino|"
    r"carrer|rambla|pasaje|urbanización|cañada|travesía|rua|rúa|av\.|avda\.|travessa|rotonda|stretto|borgo|"
    r"canale|incrocio|contrada|largo|piazzale|salita|praça|pátio|rodovia|recanto|ladeira|alameda|viela|estrada|"
    r"ulica|ul\.|aleja|strada|al\.|os\.|str\.|"
    r"calea|bulevardul|aleea|intrarea|drumul|șoseaua|soseaua|splaiul|piața|piata))[ \t]+"
    rf"{_LINK}[{_UPPER}][\w'’.-]{{1,40}}(?:[ \t]+{_LINK}[{_UPPER}][\w'’.-]{{1,40}}){{0,3}},?[ \t]+"
    rf"(?:(?i:nr\.?|n[º°o]\.?)[ \t]*)?{_NUM}\b"
    rf"|(?<![\w.])(?:Trg|Ulica|Cesta|Náměstí|Plads)[ \t]+[^\W\d_][\w'’-]{{1,40}}"
    rf"(?:[ \t]+[^\W\d_][\w'’-]{{1,40}}){{0,2}}"
    rf",?[ \t]+{_NUM}\b")
"""A street type written before the name, the name and its number: "al. Morcinka 501", "Rua das Flores 120",
"Drumul Niță Nr. 50", "Av. Belgrano 1774", "R Carne Azeda 16" (Portuguese "R" for "Rua", before two
capitalised words), "Avenue des Sartiaux 318" (French only with its particle: "Avenue Plus 200" is a plan). The type
word and a capitalised name make it a street without any cue; "Via" only
capitalised ("shipped via DHL 2 days" is English). Slavic and Danish squares and streets keep their lowercase
genitive name after a capitalised type: "Trg revolucije 12"."""
_NON_ASCII_NAME_NUMBER = re.compile(
    r"(?=[^\n]{0,40}[^\x00-\x7f])[A-ZÀ-ÞΑ-ΩА-Я][^\W\d_]{2,40}(?:[ \t]+[A-ZÀ-ÞΑ-ΩА-Яa-zß-ÿ][^\W\d_]{1,40}){0,2}"
    r"[ \t]+\d{1,4}[a-zA-Z]?(?:/\d{1,4})?\.?")
"""A name with letters English has none of, and a house number: "Lovčenská 41", "Ζαφείρη 42" — taken right
after "at", "to", "from" without an address word ("I'm at Lovčenská 41"); "at Windows 10" stays."""
_TYPE_NEEDS = re.compile(r"(?i:(?P<preposition>al|os|str)\.|(?P<address>canale|stretto|incrocio|borgo|salita|largo|"
                         r"contrada|piazzale|recanto|viela|alameda|ladeira|pátio|rotonda|vía|via)\b)")
"""Street types before a name that are words too, by what they need around them: "al.", "os.", "str." a preposition
right before ("Smith et al. Nature 2020"); words or brand parts ("Canale Plus 4 is not loading") a preposition, an
address cue, a postcode or a continuation line."""
_RUA_LETTER = re.compile(r"R\.?[ \t]")
_TYPE_AND_NUMBER = re.compile(rf"(?i:{_STREET_TYPES})[ \t]+{_NUM}")
_TYPE_THEN_NUMBER = re.compile(rf"(?:{_WORD}[ \t]+)+(?i:via|rue|calle|rua|strada|piazza|corso|viale|camino|carrer|"
                               rf"avenida|ulica|ul\.|aleja|al\.|plac|calea|paseo)[ \t]+{_NUM}")
"""A type written before its street's name, with words before it and the number right after it: "Book via 381
5501" is a phone booking, not a street ("Via Appia 5", "Calle 5" have a name or nothing before the type)."""
_HOUSE_NUMBER_BEFORE = re.compile(r"(?<![^\s,])\d{1,4}[ \t]+$|(?<![^\s,|])\d{1,5}[a-zA-Z]?-$")
"""A number before the street line: "78 Camiño Ancho 91", or a Canadian suite before the civic number ("543-1010
Bloor St E")."""
_DAY_MONTH = re.compile(r"\d{1,2}/\d{1,2}(?:/\d{2,4})?")
_FLAT_AFTER_SLASH = re.compile(r"(?:/\d{1,4}[a-zA-Z]?){1,2}(?![\w/.-])")
_SENTENCE_WORDS = re.compile(r"(?i)^\d[\w.]*\s+(?:days?|weeks?|months?|years?|hours?|minutes?|times?|items?|"
                             r"orders?|tickets?|users?|licen[cs]es?|seats?|euros?|dollars?|pounds?|of|and|or|to|"
                             r"in|on|for|from|per|x|out)\b")


class AddressBlockRecognizer(TextRecognizer):
    ENTITY = "STREET_ADDRESS"
    _street = re.compile(_STREET_CORE)
    _line_start = re.compile(_LINE_START)
    MAX_CONTINUATION_LINES: ClassVar[int] = 4

    def __init__(self, is_word: Callable[[str], bool] = lambda _: False, supported_language: str = "en") -> None:
        super().__init__(supported_language=supported_language)
        self._is_word = is_word
        """Whether a word is English, accents folded: "at Café 21" is no street, "at Zlatá 494" is."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        out: list[RecognizerResult] = []
        for named in _NAMED_STREET.finditer(text):
            found = self._accept(text, named)
            if found is not None:
                out.append(self.result(self.ENTITY, *found))
        if not any(c.isdigit() for c in text):  # every other shape has a number
            return out
        for prefixed in _PREFIX_STREET.finditer(text):
            found = self._accept(text, prefixed)
            if found is not None:
                out.append(self.result(self.ENTITY, *found))
        pos = 0
        while (cued := _CUED_NAME_NUM.search(text, pos)) is not None:  # overlapping: "is at Jan ..."
            found = self._accept(text, cued, "name_num")
            if found is not None:
                out.append(self.result(self.ENTITY, *found))
            pos = cued.start("name_num")
        for line in _LINE_NAME_NUM.finditer(text):
            if _postal_line_after(text, line.end("name_num"), line.start("name_num")):
                found = self._accept(text, line, "name_num", postal_next=True)
                if found is not None:
                    out.append(self.result(self.ENTITY, *found))
        pos = 0
        while True:
            m = self._street.search(text, pos)
            if m is None:
                break
            span = self._accept(text, m)
            if span is None:
                pos = m.start() + 1
                continue
            start, end, score = span
            out.append(self.result(self.ENTITY, start, end, score))
            pos = end
        return out

    def _accept(self, text: str, m: re.Match[str], group: str = "", postal_next: bool = False
                ) -> tuple[int, int, float] | None:
        start, end = m.span(group) if group else m.span()
        groups = m.groupdict()
        bare, name_num = groups.get("bare") is not None, groups.get("name_num") is not None
        postal_next = postal_next or _postal_line_after(text, end, start)
        if name_num:  # "Bygget 91" only right after "to", "at", "is", ":" of an address cue, not "version 3"
            first = m.group("name_num").split()[0]
            if (first.casefold() in STOP_WORDS or _NOT_STREET.match(m.group("name_num"))
                    or not (postal_next or _CUE_END.search(text, 0, start))
                    or (first.islower() and _HAS_CAPITALISED.search(text) and not postal_next)):
                return None
        core = text[start:end]
        if (_SENTENCE_WORDS.match(core) or (core[-1:].isdigit() and COUNT_AFTER.match(text, end))
                or _TYPE_THEN_NUMBER.fullmatch(core)):
            return None
        lead = _LOWER_LEAD.match(core)
        if lead and not any(_STREET_TYPE_WORD.fullmatch(w) for w in lead.group().split()):
            start += lead.end()  # "new delivery address Schmidstrasse 64": the street starts at its name
        if end < len(text) and text[end] == "." and core[-1:].isdigit() and text[end + 1 : end + 2] in ("", "\n"):
            end += 1  # "Dózsa György út 78." — the house number's period
        if (core[-1:].isdigit() and (flat := _FLAT_AFTER_SLASH.match(text, end)) is not None
                and not _DAY_MONTH.fullmatch(text, end - len(core) + len(core.rstrip("0123456789")), flat.end())):
            end = flat.end()  # "Hödlgasse 187/4/10": house, staircase, flat; not "on 4/24/2024"
        line_begin = text.rfind("\n", 0, start) + 1
        cue = bool(_CUE.search(text[max(0, start - 80):start].replace("\n", " ")))
        # a house number before the street line ("78 " + "Camiño Ancho 91")
        lead = _HOUSE_NUMBER_BEFORE.search(text, max(line_begin, start - 16), start)  # not the whole line: O(n²)
        if lead:
            start = lead.start()
        at_line_start = not text[line_begin:start].strip(" \t?*•>|-")
        unit = _UNIT_AFTER.match(text, end)
        unit_after, unit_next = unit is not None, _UNIT_NEXT_LINE.match(text, end) is not None
        if bare and not (unit_after or unit_next or postal_next):  # "937 Michelle Canyon" / "Josestad, AR 04486"
            return None
        tail_end, parts = (unit.end() if unit else end), 0
        while True:
            part = _COMMA_PART.match(text, tail_end)
            if part is None or part.end() - tail_end > 60:
                break
            part_end = _before_lowercase(part.group(), text)
            if part_end < len(part.group()):  # ", 15145 y la nueva es": the postcode, not the sentence after it
                if re.search(r"\w", part.group()[:part_end]):
                    tail_end, parts = part.start() + part_end, parts + 1
                break
            tail_end, parts = part.end(), parts + 1
        if at_line_start or cue or unit_after or parts:
            same = _SAME_LINE_TAIL.match(text, tail_end)
            if (same and same.end() - tail_end <= 60 and not _has_function_word(same.group())
                    and _before_lowercase(same.group(), text) == len(same.group())):
                tail_end = same.end()  # ", Lordelo Portugal", not "instead of my door"
            if (cue or unit_after) and (caps := _CAP_TAIL.match(text, tail_end)) is not None:
                tail_end = caps.end()
        if text.startswith(",\n", tail_end):  # "Κεραμιδίου 32," above its postcode line
            tail_end += 1
        lines = 0
        while lines < self.MAX_CONTINUATION_LINES:
            cont = _CONTINUATION.match(text, tail_end)
            if cont is None or cont.end() - tail_end > 70 or not cont.group(0).strip():
                break
            tail_end, lines = cont.end(), lines + 1
        after_preposition = _CUE_END.search(text, max(0, start - 8), start) is not None  # "at", "on", "to"
        compound = after_preposition and _COMPOUND_STREET.fullmatch(text, start, end) is not None
        needs = _TYPE_NEEDS.match(text, start)
        prefixed = _PREFIX_STREET.fullmatch(text, start, end) is not None and (
            needs is None or after_preposition or (needs.lastgroup == "address" and (cue or lines > 0 or parts > 0)))
        if prefixed and _RUA_LETTER.match(text, start):  # "R Carne Azeda 16", not "R Studio Server 4"
            prefixed = not any(self._is_word(_fold(w)) for w in text[start:end].split()[1:-1])
        foreign = prefixed or _NAME_TYPE_NUMBER.fullmatch(text, start, end) is not None or (
            after_preposition and _NON_ASCII_NAME_NUMBER.fullmatch(text, start, end) is not None
            and not any(self._is_word(_fold(w)) for w in text[start:end].split()[:-1])  # "Pokémon Go 2"
            and _UNIT_OR_COUNT_AFTER.match(text, end) is None)  # "São Paulo 3 replied", "Nescafé 200 g"
        if name_num and not (cue or unit_after or unit_next or (at_line_start and lines) or compound or foreign):
            return None
        if postal_next and at_line_start and lines == 0:
            return None  # the postal line was found but not taken as a continuation: not a block
        strong = cue or groups.get("box") is not None or unit_after or unit_next or parts >= 2 or lines > 0
        if not strong and _TYPE_AND_NUMBER.fullmatch(text, start, end):
            return None  # "a gift card at Rue 21", "Via 5": a type and a number, no name between
        if groups.get("named") is not None:
            return start, tail_end, 0.75 if strong else 0.6
        typed = groups.get("typed") is not None
        if not (strong or compound or foreign or (at_line_start and (parts or typed))
                or (typed and (parts or after_preposition))):
            return None
        return start, tail_end, 0.75 if strong else 0.6
