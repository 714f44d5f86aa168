"""Blind, labelled PII evaluation set: helpdesk mail, multilingual tickets, forms, transcripts and messy one-liners.

What this is
------------
An independent test set for the PII-redaction stage of the helpdesk-ticket pipeline. It was written from scratch
without looking at the detector, its tests, its documentation, its benchmark data or its results, and no detector was
run while writing it: neither side was tuned to the other. Use it as a held-out (blind) set only -- do not tune
patterns, thresholds or allow-lists against it.

How it is made
--------------
280 hand-written templates (five flavours) are filled with values from seeded ``Faker`` instances (one per locale,
``seed_instance``) and one seeded ``random.Random``; 2,000 texts are drawn in shuffled round-robin rounds, so every
template is used 7 or 8 times (``template_id`` 0..279). Names, street addresses, cities, companies, IBANs, card
numbers, SSNs and IPs come from Faker; phone numbers follow national dialling formats (partly Faker, partly
hand-written patterns per country); secrets, licence numbers and the look-alike identifiers come from hand-written
shapes. Nothing is copied from real data. Flavours (share of templates and texts):

* ``email_en`` (25%): inbound English support mail -- forwarded/quoted mail with header blocks, ``> `` quoting, long
  signatures with phone/mobile/fax lines and postal address blocks, disclaimers, bounces, auto-replies.
* ``ticket_intl`` (25%): tickets written in German, French, Spanish, Italian, Dutch, Portuguese and Polish with values
  from the matching Faker locale (de_DE, de_AT, de_CH, fr_FR, fr_BE, es_ES, es_MX, it_IT, nl_NL, nl_BE, pt_PT, pt_BR,
  pl_PL) and national address/phone formats.
* ``form`` (20%): web forms, key-value pastes, CSV/table pastes, JSON snippets from integration logs, CRM exports.
* ``transcript`` (15%): chat and call transcripts with timestamps and speaker turns.
* ``short_messy`` (15%): short English one-liners, lower-case names, typos, missing punctuation, values at the edges.

Person names are drawn from a world-wide mix of locales (Faker en_IN, en_NG, yo/ig/ha_NG, sw, zu_ZA, tr_TR, id_ID,
es_MX, pt_BR, pl_PL, ... plus hand-written romanised Chinese, Arabic, Korean and Vietnamese name lists); well over 30%
of named persons are non-Anglo. ``metadata`` holds ``flavour``, ``language``, ``locale`` and ``name_origins`` (the
name locale of every person whose name appears in the text).

Label conventions
-----------------
Sensitive types (to be redacted):

* ``PERSON`` -- a person's name only: full name, given name alone, surname alone, "Last, First", "J. Smith",
  lower/upper-case variants. Titles ("Mr.", "Dr.") are outside the span; company names are never PERSON, even when
  they contain surnames; role words ("Agent", "Customer") are not names. Names inside e-mail addresses are part of the
  EMAIL_ADDRESS span only.
* ``EMAIL_ADDRESS`` -- every e-mail address, including role mailboxes (support@, billing@, mailer-daemon@).
* ``PHONE_NUMBER`` -- phone, mobile and fax numbers exactly as written, including country code, trunk prefix in
  brackets and an extension written after the number (" ext. 204", " x31"). The label word ("Tel:") is outside.
* ``STREET_ADDRESS`` -- the street line with house number and units. When the address is written as a block or on
  one line together with postcode and city (and state/province/country line if present), the whole address is ONE
  span including postcode and city. When a form splits the address into separate fields, only the street field is
  STREET_ADDRESS, the city field is LOCATION, and the postcode field is unlabelled.
* ``CREDIT_CARD`` (Luhn-valid, plain/spaced/dashed), ``IBAN_CODE`` (mod-97 valid, plain or in groups of 4),
  ``US_SSN``, ``IP_ADDRESS`` (v4 and v6; a CIDR suffix like "/29" or ":port" is outside the span),
  ``US_DRIVER_LICENSE`` (state-specific shapes after a licence label).
* ``SECRET`` -- API keys (``sk_live_``/``sk_test_``, ``AKIA...`` access key ids, AWS secret keys, ``ghp_`` tokens,
  Slack ``xox`` tokens, SendGrid keys), bearer tokens/JWTs (the token only, without the word "Bearer"), and passwords
  typed into a ticket (the password value only, also inside connection strings).

Non-sensitive distractor types (labelled so that they can be scored, but NOT to be redacted by design):

* ``ORGANIZATION`` -- company names (the whole name incl. legal form; place names inside a company name are not
  labelled separately).
* ``LOCATION`` -- cities, countries and US states (name or postal abbreviation) standing alone, i.e. not inside an
  address span or a company name.
* ``DATE_TIME`` -- calendar dates, clock times, date-times, weekdays, years and relative day references
  ("yesterday", "letzten Freitag"), chat/log timestamps. Durations ("48 hours", call offsets like "0:31" or
  "00:06:41") and numeric epoch timestamps are NOT labelled.

Deliberately unlabelled look-alikes appear throughout: order/invoice/ticket/case numbers, tracking numbers (some
22-digit), version and build strings (some dotted-quad), epoch timestamps, amounts, quantities, error and SMTP codes,
SKUs, serials, asset tags, customer/employee numbers, UUIDs, commit hashes, BICs, ABA routing numbers, MAC
addresses, the last four digits of a card or SSN, host names, product names with ordinary capitalised words
("Surface Pro", "Rose Gold", "Summer Sale", "Georgia Peach Iced Tea", "Victoria HR Suite").

Record format: ``{"full_text", "masked", "spans", "template_id", "metadata"}``. ``masked`` is the text with every
labelled span replaced by ``{{ENTITY_TYPE}}`` (unlabelled filler values stay literal). Span offsets are character
offsets into ``full_text``; spans never overlap. A value that occurs several times in a text (a name in the header
and in the signature) is a separate span at every occurrence.

Regenerate (byte-identical output) with::

    .venv/bin/python benchmarks/pii_mail_forms_corpus.py
"""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import json
import re
import string
import unicodedata
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from random import Random

from faker import Faker
from faker.providers.address.it_IT import Provider as ItAddressProvider

SEED = 61_803
N_TEXTS = 2000
OUT_PATH = Path(__file__).resolve().parent / "data" / "pii_mail_forms_corpus.json"

Span = tuple[str | None, str]  # (entity type or None for unlabelled filler, value)

# --------------------------------------------------------------------------------------------------------------------
# Locale tables
# --------------------------------------------------------------------------------------------------------------------

LANG_LOCALES: dict[str, list[str]] = {
    "de": ["de_DE", "de_DE", "de_AT", "de_CH"],
    "fr": ["fr_FR", "fr_FR", "fr_BE"],
    "es": ["es_ES", "es_MX"],
    "it": ["it_IT"],
    "nl": ["nl_NL", "nl_BE"],
    "pt": ["pt_PT", "pt_BR"],
    "pl": ["pl_PL"],
}

# Name origin for English-language texts (weights). "x_*" are hand-written lists below.
WORLD_NAME_LOCALES: list[tuple[str, int]] = [
    ("en_US", 27), ("en_GB", 10), ("en_AU", 3), ("en_CA", 3), ("en_IE", 3), ("en_NZ", 2), ("x_ambiguous", 3),
    ("en_IN", 9), ("en_NG", 3), ("yo_NG", 2), ("ig_NG", 2), ("ha_NG", 1), ("sw", 2), ("zu_ZA", 2),
    ("tr_TR", 2), ("id_ID", 2), ("es_MX", 3), ("es_ES", 1), ("pt_BR", 2), ("de_DE", 2), ("fr_FR", 2),
    ("it_IT", 1), ("pl_PL", 2), ("nl_NL", 1), ("x_pinyin", 5), ("x_arabic", 3), ("x_korean", 2), ("x_vietnamese", 2),
]
ANGLO_NAME_LOCALES = {"en_US", "en_GB", "en_AU", "en_CA", "en_IE", "en_NZ", "x_ambiguous"}
# Immigrant / foreign names inside non-English tickets.
FOREIGN_IN_INTL = ["tr_TR", "pl_PL", "it_IT", "x_arabic", "x_pinyin", "x_vietnamese", "en_US", "pt_BR", "es_ES"]

EN_HOMES: list[tuple[str, int]] = [
    ("en_US", 40), ("en_GB", 20), ("en_CA", 8), ("en_AU", 8), ("en_IN", 10), ("en_IE", 5), ("en_NZ", 3),
]

PINYIN_SURNAMES = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma",
                   "Zhu", "Hu", "Guo", "He", "Lin", "Luo", "Gao", "Zheng", "Tang", "Feng", "Deng"]
PINYIN_GIVEN = ["Wei", "Fang", "Xiuying", "Jing", "Lei", "Yang", "Min", "Jun", "Jie", "Tao", "Ming", "Xiaoming",
                "Yan", "Hui", "Lihua", "Zhiwei", "Haoran", "Yuxuan", "Zihan", "Meiling", "Jianguo", "Qiang", "Ying",
                "Xinyi", "Bo", "Na", "Chen"]
ARABIC_GIVEN = ["Ahmed", "Mohammed", "Fatima", "Aisha", "Omar", "Khalid", "Layla", "Youssef", "Mariam", "Hassan",
                "Nour", "Karim", "Samira", "Tariq", "Rania", "Bilal", "Yasmin", "Hamza", "Salma", "Ibrahim"]
ARABIC_SURNAMES = ["Al-Masri", "Haddad", "Khoury", "El-Sayed", "Nasser", "Mansour", "Saleh", "Hamdan", "Abboud",
                   "Farouk", "Qureshi", "Rahman", "Aziz", "Benali", "Bouzid", "Al-Harbi", "Darwish", "Yousef"]
KOREAN_SURNAMES = ["Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Shin"]
KOREAN_GIVEN = ["Min-jun", "Seo-yeon", "Ji-hoon", "Ha-eun", "Dong-hyun", "Soo-jin", "Jae-won", "Eun-ji", "Hyun-woo",
                "Ji-woo", "Sung-min", "Yuna"]
VIET_SURNAMES = ["Nguyen", "Tran", "Le", "Pham", "Hoang", "Phan", "Vu", "Dang", "Bui", "Do", "Nguyễn", "Trần"]
VIET_GIVEN = ["Thi Lan", "Van Minh", "Thu Trang", "Duc Anh", "Ngoc Anh", "Quang Huy", "Thanh Hai", "Hong Nhung",
              "Minh Chau", "Van Long", "Bảo Ngọc", "Thị Hương"]
AMBIGUOUS_GIVEN = ["Rose", "Summer", "Grace", "Hope", "Will", "Mark", "Bill", "Jordan", "Paris", "April", "June",
                   "Dawn", "Faith", "Joy", "Amber", "Ruby", "Hunter", "Chase", "Frank", "Sunny", "Iris", "Jack",
                   "Victoria", "Georgia", "Austin", "Florence", "Lincoln", "Brooklyn", "Sky", "Cliff"]
AMBIGUOUS_SURNAMES = ["Baker", "Smith", "Young", "Brown", "Green", "Rich", "Love", "Little", "Stone", "Hill",
                      "Rivers", "Banks", "Price", "Church", "King", "Cash", "Street", "Moody", "Best", "Power"]

FREEMAIL: dict[str, list[str]] = {
    "en_US": ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "aol.com", "comcast.net"],
    "en_GB": ["gmail.com", "btinternet.com", "hotmail.co.uk", "yahoo.co.uk", "outlook.com", "sky.com"],
    "en_CA": ["gmail.com", "shaw.ca", "rogers.com", "outlook.com", "sympatico.ca"],
    "en_AU": ["gmail.com", "bigpond.com", "outlook.com", "optusnet.com.au"],
    "en_IN": ["gmail.com", "yahoo.co.in", "rediffmail.com", "outlook.com"],
    "en_IE": ["gmail.com", "eircom.net", "outlook.com", "yahoo.ie"],
    "en_NZ": ["gmail.com", "xtra.co.nz", "outlook.com"],
    "de_DE": ["gmx.de", "web.de", "t-online.de", "gmail.com", "posteo.de", "freenet.de"],
    "de_AT": ["gmx.at", "aon.at", "chello.at", "gmail.com", "a1.net"],
    "de_CH": ["bluewin.ch", "gmx.ch", "hispeed.ch", "gmail.com", "sunrise.ch"],
    "fr_FR": ["orange.fr", "free.fr", "laposte.net", "gmail.com", "sfr.fr", "wanadoo.fr"],
    "fr_BE": ["skynet.be", "proximus.be", "gmail.com", "voo.be"],
    "es_ES": ["gmail.com", "hotmail.es", "yahoo.es", "telefonica.net"],
    "es_MX": ["gmail.com", "hotmail.com", "prodigy.net.mx", "yahoo.com.mx"],
    "it_IT": ["libero.it", "virgilio.it", "gmail.com", "tiscali.it", "alice.it"],
    "nl_NL": ["ziggo.nl", "kpnmail.nl", "gmail.com", "hotmail.nl", "xs4all.nl"],
    "nl_BE": ["telenet.be", "skynet.be", "gmail.com", "hotmail.be"],
    "pt_PT": ["sapo.pt", "gmail.com", "netcabo.pt", "hotmail.com"],
    "pt_BR": ["gmail.com", "uol.com.br", "bol.com.br", "terra.com.br", "hotmail.com"],
    "pl_PL": ["wp.pl", "onet.pl", "o2.pl", "interia.pl", "gmail.com"],
}

TLD: dict[str, str] = {
    "en_US": "com", "en_GB": "co.uk", "en_CA": "ca", "en_AU": "com.au", "en_IN": "in", "en_IE": "ie",
    "en_NZ": "co.nz", "de_DE": "de", "de_AT": "at", "de_CH": "ch", "fr_FR": "fr", "fr_BE": "be", "es_ES": "es",
    "es_MX": "com.mx", "it_IT": "it", "nl_NL": "nl", "nl_BE": "be", "pt_PT": "pt", "pt_BR": "com.br", "pl_PL": "pl",
}

LEGAL_SUFFIX: dict[str, list[str]] = {
    "en_US": ["Inc.", "LLC", "Corp.", "Inc"], "en_GB": ["Ltd", "PLC", "LLP", "Limited"], "en_CA": ["Inc.", "Ltd."],
    "en_AU": ["Pty Ltd"], "en_IN": ["Pvt. Ltd.", "Private Limited"], "en_IE": ["Ltd", "DAC"], "en_NZ": ["Limited"],
    "de_DE": ["GmbH", "AG", "GmbH & Co. KG", "e.K."], "de_AT": ["GmbH", "KG", "OG"], "de_CH": ["AG", "GmbH", "SA"],
    "fr_FR": ["SAS", "SARL", "SA"], "fr_BE": ["SRL", "SA", "SPRL"], "es_ES": ["S.L.", "S.A."],
    "es_MX": ["S.A. de C.V."], "it_IT": ["S.r.l.", "S.p.A."], "nl_NL": ["B.V.", "N.V."], "nl_BE": ["BV", "NV"],
    "pt_PT": ["Lda.", "S.A."], "pt_BR": ["Ltda.", "S.A."], "pl_PL": ["sp. z o.o.", "S.A."],
}

ORG_NOUNS: dict[str, list[str]] = {
    "en": ["Logistics", "Dental Care", "Plumbing Supplies", "Print Solutions", "Software", "Consulting",
           "Veterinary Clinic", "Property Management", "Auto Parts", "Bakery", "Travel", "Accounting", "Freight",
           "Home Care", "Legal Services", "Office Furniture"],
    "de": ["Logistik", "Haustechnik", "Druckerei", "Software", "Immobilien", "Autohaus", "Steuerberatung",
           "Reisebüro", "Elektrotechnik", "Baustoffe"],
    "fr": ["Transports", "Imprimerie", "Conseil", "Immobilier", "Boulangerie", "Informatique", "Assurances"],
    "es": ["Transportes", "Inmobiliaria", "Asesoría", "Informática", "Construcciones", "Seguros"],
    "it": ["Trasporti", "Immobiliare", "Consulenze", "Informatica", "Costruzioni", "Tipografia"],
    "nl": ["Transport", "Installatietechniek", "Drukkerij", "Vastgoed", "Automatisering", "Bouw"],
    "pt": ["Transportes", "Imobiliária", "Consultoria", "Informática", "Construções", "Seguros"],
    "pl": ["Transport", "Nieruchomości", "Doradztwo", "Informatyka", "Budownictwo", "Drukarnia"],
}
KNOWN_LEGAL_FORMS = ["VOF", "CommV", "CV", "GbR", "KG", "OHG", "GesbR", "e.V.", "S.A.S.", "S.A.", "SA", "SARL",
                     "Ltd.", "LLC", "Inc", "PLC", "Group", "and Sons", "e figli", "SPA", "s.r.l.", "Tbk", "s.c.",
                     "S.L.N.E", "S.Coop.", "& Co.", "& Söhne", "Lda", "Ltda", "GmbH", "AG", "S.L.", "S.C.", "Hijos",
                     "S.A.R.L.", "S/A", "SPRL", "S.p.A.", "S.r.l.", "B.V.", "N.V.", "Limited", "Corp."]
INVENTED_ORGS = ["Northwind Traders", "Blue Harbor Logistics", "Lakeside Dental Group", "Sterling Print Solutions",
                 "Alpine Cargo", "Brightpath Learning", "Cedar & Pine Interiors", "Redwood Analytics",
                 "Silverline Telecom", "Harbourview Property Group", "Greenfield Organics", "Ironbridge Engineering",
                 "Jordan Valley Foods", "Victoria Park Veterinary", "Chelsea Flowers", "Amazonas Trading",
                 "Summit Ridge Outfitters", "Orchard Lane Pharmacy", "Falcon Crest Security", "Paris Baguette Cafe"]

REAL_CITIES: dict[str, list[str]] = {
    "en_US": ["Chicago", "Denver", "Austin", "Seattle", "Boston", "Phoenix", "Atlanta", "Portland", "Houston",
              "Miami", "San Diego", "Philadelphia", "Columbus", "Nashville", "Minneapolis"],
    "en_GB": ["Manchester", "Leeds", "Bristol", "Glasgow", "Edinburgh", "Cardiff", "Birmingham", "Liverpool",
              "Sheffield", "Belfast", "Nottingham", "Brighton"],
    "en_CA": ["Toronto", "Vancouver", "Calgary", "Ottawa", "Montreal", "Winnipeg", "Halifax"],
    "en_AU": ["Sydney", "Melbourne", "Brisbane", "Perth", "Adelaide", "Hobart"],
    "en_IN": ["Bengaluru", "Mumbai", "Pune", "Hyderabad", "Chennai", "Delhi", "Kolkata", "Ahmedabad"],
    "en_IE": ["Dublin", "Cork", "Galway", "Limerick"],
    "en_NZ": ["Auckland", "Wellington", "Christchurch"],
    "de_DE": ["Berlin", "Hamburg", "München", "Köln", "Frankfurt am Main", "Stuttgart", "Leipzig", "Dresden",
              "Hannover", "Nürnberg", "Bremen", "Dortmund"],
    "de_AT": ["Wien", "Graz", "Linz", "Salzburg", "Innsbruck", "Klagenfurt"],
    "de_CH": ["Zürich", "Basel", "Bern", "Luzern", "St. Gallen", "Winterthur"],
    "fr_FR": ["Paris", "Lyon", "Marseille", "Toulouse", "Nantes", "Bordeaux", "Lille", "Strasbourg", "Rennes"],
    "fr_BE": ["Bruxelles", "Liège", "Namur", "Charleroi", "Mons", "Wavre"],
    "es_ES": ["Madrid", "Barcelona", "Valencia", "Sevilla", "Zaragoza", "Málaga", "Bilbao", "Valladolid"],
    "es_MX": ["Ciudad de México", "Guadalajara", "Monterrey", "Puebla", "Querétaro", "Mérida", "Tijuana", "León"],
    "it_IT": ["Milano", "Roma", "Torino", "Napoli", "Bologna", "Firenze", "Genova", "Verona", "Bari", "Padova"],
    "nl_NL": ["Amsterdam", "Rotterdam", "Utrecht", "Den Haag", "Eindhoven", "Groningen", "Tilburg", "Zwolle"],
    "nl_BE": ["Antwerpen", "Gent", "Brugge", "Leuven", "Hasselt", "Mechelen"],
    "pt_PT": ["Lisboa", "Porto", "Braga", "Coimbra", "Faro", "Aveiro", "Setúbal"],
    "pt_BR": ["São Paulo", "Rio de Janeiro", "Belo Horizonte", "Curitiba", "Porto Alegre", "Recife", "Salvador",
              "Campinas", "Fortaleza"],
    "pl_PL": ["Warszawa", "Kraków", "Wrocław", "Poznań", "Gdańsk", "Łódź", "Katowice", "Lublin", "Szczecin"],
}
FR_BE_POSTCODES = [("1000", "Bruxelles"), ("1050", "Ixelles"), ("1180", "Uccle"), ("4000", "Liège"),
                   ("5000", "Namur"), ("6000", "Charleroi"), ("7000", "Mons"), ("1300", "Wavre"),
                   ("1400", "Nivelles"), ("6700", "Arlon")]
MX_COLONIAS = ["Centro", "Roma Norte", "Del Valle", "Providencia", "Chapultepec", "Las Águilas", "San Ángel",
               "Jardines del Bosque", "Polanco", "Narvarte Poniente"]
MX_CITIES = [("Ciudad de México", "CDMX"), ("Guadalajara", "Jal."), ("Monterrey", "N.L."), ("Puebla", "Pue."),
             ("Querétaro", "Qro."), ("Mérida", "Yuc."), ("Zapopan", "Jal."), ("Toluca", "Méx.")]

COUNTRIES: dict[str, list[str]] = {
    "en": ["Germany", "France", "Spain", "Italy", "Canada", "Australia", "India", "Ireland", "Mexico", "Brazil",
           "Poland", "Portugal", "Belgium", "Switzerland", "Austria", "Nigeria", "Kenya", "South Africa",
           "Singapore", "Japan", "United States", "UK", "Netherlands", "New Zealand"],
    "de": ["Deutschland", "Österreich", "Frankreich", "Italien", "Polen", "Spanien", "Belgien", "Tschechien",
           "Dänemark", "Ungarn", "Kroatien", "Luxemburg"],
    "fr": ["France", "Belgique", "Suisse", "Luxembourg", "Canada", "Maroc", "Espagne", "Allemagne", "Tunisie"],
    "es": ["España", "México", "Argentina", "Colombia", "Chile", "Perú", "Francia", "Alemania", "Portugal"],
    "it": ["Italia", "Svizzera", "Francia", "Germania", "Austria", "Spagna", "Slovenia"],
    "nl": ["Nederland", "België", "Duitsland", "Frankrijk", "Spanje", "Luxemburg", "Turkije"],
    "pt": ["Portugal", "Brasil", "Espanha", "França", "Angola", "Moçambique", "Cabo Verde"],
    "pl": ["Polska", "Niemcy", "Czechy", "Litwa", "Ukraina", "Słowacja", "Holandia"],
}

MONTHS: dict[str, list[str]] = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"],
    "it": ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre",
           "novembre", "dicembre"],
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"],
    "pt": ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro",
           "novembro", "dezembro"],
    "pl": ["stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września",
           "października", "listopada", "grudnia"],
}
WEEKDAYS: dict[str, list[str]] = {
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "de": ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"],
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "es": ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
    "it": ["lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"],
    "nl": ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"],
    "pt": ["segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado", "domingo"],
    "pl": ["poniedziałek", "wtorek", "środa", "czwartek", "piątek", "sobota", "niedziela"],
}
RELDATES: dict[str, list[str]] = {
    "en": ["yesterday", "this morning", "last Friday", "on Monday", "last week", "earlier today", "two days ago",
           "since Tuesday", "last night"],
    "de": ["gestern", "heute früh", "letzten Freitag", "vorgestern", "letzte Woche", "seit Montag"],
    "fr": ["hier", "ce matin", "vendredi dernier", "avant-hier", "la semaine dernière", "depuis lundi"],
    "es": ["ayer", "esta mañana", "el viernes pasado", "anteayer", "la semana pasada", "desde el lunes"],
    "it": ["ieri", "stamattina", "venerdì scorso", "l'altro ieri", "la settimana scorsa", "da lunedì"],
    "nl": ["gisteren", "vanochtend", "afgelopen vrijdag", "eergisteren", "vorige week", "sinds maandag"],
    "pt": ["ontem", "hoje de manhã", "na sexta passada", "anteontem", "na semana passada", "desde segunda"],
    "pl": ["wczoraj", "dziś rano", "w zeszły piątek", "przedwczoraj", "w zeszłym tygodniu", "od poniedziałku"],
}

JOBS: dict[str, list[str]] = {
    "en": ["Office Manager", "IT Administrator", "Head of Procurement", "Accounts Payable Clerk",
           "Senior Software Engineer", "Operations Director", "Customer Success Lead", "Practice Manager",
           "Facilities Coordinator", "HR Business Partner", "Finance Controller", "Sales Executive",
           "Managing Director", "Warehouse Supervisor", "Project Manager", "Executive Assistant to the CEO",
           "Service Desk Analyst", "Payroll Specialist", "Head of Customer Care", "Network Engineer"],
    "de": ["Büroleitung", "IT-Administrator", "Leiterin Einkauf", "Buchhaltung", "Geschäftsführer",
           "Teamleiter Kundenservice", "Sachbearbeiterin Personal", "Projektleiter"],
    "fr": ["Responsable administrative", "Administrateur système", "Directeur commercial", "Comptable",
           "Chef de projet", "Assistante de direction", "Gérant"],
    "es": ["Responsable de compras", "Administrador de sistemas", "Director comercial", "Contable",
           "Jefa de proyecto", "Atención al cliente"],
    "it": ["Responsabile acquisti", "Amministratore di sistema", "Direttore commerciale", "Contabile",
           "Project manager", "Assistente di direzione"],
    "nl": ["Office manager", "Systeembeheerder", "Hoofd inkoop", "Financieel medewerker", "Projectleider",
           "Klantenservice medewerker"],
    "pt": ["Gestor de compras", "Administrador de sistemas", "Diretora comercial", "Contabilista",
           "Gerente de projeto", "Apoio ao cliente"],
    "pl": ["Kierownik biura", "Administrator IT", "Dyrektor handlowy", "Księgowa", "Kierownik projektu",
           "Specjalista ds. obsługi klienta"],
}

PRODUCTS = ["Surface Pro 9", "Office 365 Business Premium", "iPhone 15 Pro Rose Gold", "Summer Sale Bundle",
            "Galaxy Tab S9 FE", "ThinkPad X1 Carbon Gen 11", "Echo Dot (5th Gen)", "Premium Support Plan",
            "Windows 11 Pro", "Teams Rooms Pro", "AirPods Max Sky Blue", "Pixel 8 Pro Bay Blue",
            "Kindle Paperwhite Signature Edition", "MacBook Air 15 Midnight", "Dynamics 365 Sales",
            "Acrobat Pro", "Creative Cloud All Apps", "Victoria Sponge Baking Kit", "Georgia Peach Iced Tea 12-pack",
            "Paris Collection Tote", "Chelsea Boots Black", "Florence Linen Shirt", "Madison Leather Sofa",
            "Austin Desk Lamp", "Jordan Valley Olive Oil 3L", "Black Friday Deal Pack", "Winter Wonderland Hamper",
            "Forest Green Hoodie", "Latitude 7440", "Spring Clean Service", "Golden Gate Puzzle 1000pc",
            "Brooklyn Standing Desk", "Phoenix Pro Router", "Atlas Travel Backpack", "Nordic Frost Duvet"]
DEVICES = ["Surface Pro 9", "iPhone 15 Pro Rose Gold", "Galaxy Tab S9 FE", "ThinkPad X1 Carbon Gen 11",
           "Pixel 8 Pro Bay Blue", "MacBook Air 15 Midnight", "Latitude 7440", "Phoenix Pro Router",
           "Kindle Paperwhite Signature Edition", "Echo Dot (5th Gen)", "Galaxy S23 Lavender", "iPad Air Starlight",
           "Aurora 27 Monitor", "Summit X2 Headset"]
SOFTWARE = ["Office 365 Business Premium", "Dynamics 365 Sales", "Acrobat Pro", "Creative Cloud All Apps",
            "Teams Rooms Pro", "Windows 11 Pro", "Jira Service Management", "Zoom Workplace Business",
            "Salesforce Service Cloud", "QuickBooks Online Plus", "Sage 50 Accounts", "Victoria HR Suite"]
ERRORS = ["0x80070005", "0x800CCC0E", "ERR_CONNECTION_RESET", "E-4012", "HTTP 503", "AADSTS50126", "0xC004F074",
          "ORA-12154", "KB-4471", "SSL_ERROR_BAD_CERT_DOMAIN", "Error 1603", "E_ACCESSDENIED", "0x8024402C",
          "HTTP 429", "550 5.7.1", "ECONNREFUSED", "0x80004005", "NET::ERR_CERT_DATE_INVALID"]
BICS = ["DEUTDEFF", "COBADEFFXXX", "BNPAFRPP", "INGBNL2A", "RABONL2U", "BBVAESMM", "CAIXESBBXXX", "UNCRITMM",
        "BCOMPTPL", "PKOPPLPW", "GEBABEBB", "ZKBKCHZZ80A", "GIBAATWW", "ABNANL2A", "BARCGB22", "AIBKIE2D"]
PW_WORDS = ["Sommer", "Winter", "Sunshine", "Dragon", "Monkey", "Football", "Princess", "Welkom", "Bonjour",
            "Password", "Qwerty", "Blume", "Kwiatek", "Estrela", "Gatito", "Tigre", "Castello", "Bluebird", "Maple",
            "Coffee", "Frühling", "Soleil", "Zima", "Lente"]


@dataclass(frozen=True)
class UsState:
    name: str
    abbr: str
    dl_shapes: tuple[str, ...]  # '#': digit, '%': non-zero digit, '@': letter, '?': letter or digit


US_STATES: list[UsState] = [
    UsState("California", "CA", ("@#######",)),
    UsState("Texas", "TX", ("########",)),
    UsState("Florida", "FL", ("@###-###-##-###-#", "@############")),
    UsState("New York", "NY", ("### ### ###", "#########")),
    UsState("Illinois", "IL", ("@###-####-####", "@###########")),
    UsState("Pennsylvania", "PA", ("## ### ###", "########")),
    UsState("Ohio", "OH", ("@@######",)),
    UsState("Michigan", "MI", ("@ ### ### ### ###", "@############")),
    UsState("New Jersey", "NJ", ("@#### ##### #####", "@##############")),
    UsState("Washington", "WA", ("WDL?????????",)),
    UsState("Georgia", "GA", ("#########",)),
    UsState("Arizona", "AZ", ("@########",)),
    UsState("Massachusetts", "MA", ("S########",)),
    UsState("Wisconsin", "WI", ("@###-####-####-##",)),
    UsState("Colorado", "CO", ("##-###-####",)),
    UsState("Virginia", "VA", ("@########",)),
    UsState("Minnesota", "MN", ("@############",)),
]

# Phone shapes per home locale: '#' any digit, '%' non-zero digit.
PHONES: dict[str, tuple[list[str], list[str]]] = {
    "en_US": (["(%##) %##-####", "%##-%##-####", "+1 %##-%##-####", "+1 (%##) %##-####", "%##.%##.####",
               "1-%##-%##-####"], ["(%##) %##-####", "+1 %## %## ####", "%##-%##-####"]),
    "en_CA": (["(%##) %##-####", "%##-%##-####", "+1 %##-%##-####", "1 (%##) %##-####"],
              ["%##-%##-####", "+1 (%##) %##-####"]),
    "en_GB": (["020 7### ####", "0161 ### ####", "0113 ### ####", "+44 20 7### ####", "+44 (0)117 ### ####",
               "01632 ######"], ["07### ######", "+44 7### ######", "07### ### ###"]),
    "en_IE": (["01 ### ####", "+353 1 ### ####", "021 ### ####", "+353 21 ### ####"],
              ["08# ### ####", "+353 8# ### ####"]),
    "en_AU": (["(02) 9### ####", "(03) 9### ####", "+61 2 #### ####", "(08) 8### ####"],
              ["04## ### ###", "+61 4## ### ###"]),
    "en_NZ": (["09 ### ####", "+64 9 ### ####", "03 ### ####", "04-### ####"], ["021 ### ####", "+64 21 ### ####",
                                                                               "027 ### ####"]),
    "en_IN": (["+91 80 #### ####", "022 #### ####", "+91-11-####-####", "040-########"],
              ["+91 9#### #####", "9#########", "+91 7#### #####", "098## #####"]),
    "de_DE": (["030 ########", "+49 30 ########", "(0221) #######", "+49 (0)40 ########", "0711 #######-##",
               "089 / #######"], ["0151 ########", "+49 171 #######", "0176 ########", "+49 (0)160 #######"]),
    "de_AT": (["01 ### ## ##", "+43 1 ### ####", "0316 ######", "+43 662 ######"],
              ["0664 #######", "+43 676 #######", "0699 ########"]),
    "de_CH": (["044 ### ## ##", "+41 44 ### ## ##", "031 ### ## ##", "+41 61 ### ## ##"],
              ["079 ### ## ##", "+41 78 ### ## ##", "076 ### ## ##"]),
    "fr_FR": (["01 ## ## ## ##", "+33 1 ## ## ## ##", "04.##.##.##.##", "+33 (0)5 ## ## ## ##"],
              ["06 ## ## ## ##", "+33 6 ## ## ## ##", "07.##.##.##.##", "06########"]),
    "fr_BE": (["02 ### ## ##", "+32 2 ### ## ##", "04 ### ## ##", "+32 81 ## ## ##"],
              ["0470 ## ## ##", "+32 475 ## ## ##", "0498/##.##.##"]),
    "nl_BE": (["02 ### ## ##", "+32 3 ### ## ##", "09 ### ## ##", "050 ## ## ##"],
              ["0470 ## ## ##", "+32 475 ## ## ##", "0486/## ## ##"]),
    "es_ES": (["91 ### ## ##", "+34 93 ### ## ##", "96#######", "+34 954 ## ## ##"],
              ["6## ### ###", "+34 6## ## ## ##", "+34 7## ### ###"]),
    "es_MX": (["55 #### ####", "+52 55 #### ####", "(33) #### ####", "+52 (81) #### ####"],
              ["+52 1 55 #### ####", "55 #### ####", "+52 33 #### ####"]),
    "it_IT": (["02 ########", "+39 06 #######", "011 #######", "+39 055 ######"],
              ["3## ### ####", "+39 3## #######", "+39 3## ### ####"]),
    "nl_NL": (["020 ### ####", "+31 20 ### ####", "010-#######", "030 - ### ## ##"],
              ["06-########", "+31 6 ########", "06 ## ## ## ##", "+31 (0)6 ## ## ## ##"]),
    "pt_PT": (["21 ### ####", "+351 21 ### ####", "22# ### ###"], ["91# ### ###", "+351 93# ### ###",
                                                                     "+351 96#######"]),
    "pt_BR": (["(11) %###-####", "+55 11 %###-####", "(21) 3###-####"],
              ["(11) 9####-####", "+55 11 9####-####", "+55 (21) 9 ####-####"]),
    "pl_PL": (["22 ### ## ##", "+48 22 ### ## ##", "(12) ### ## ##"],
              ["5## ### ###", "+48 6## ### ###", "+48 7########", "6##-###-###"]),
}
FAKER_PHONE_OK = {"de_DE", "de_AT", "de_CH", "fr_FR", "es_ES", "it_IT", "nl_NL", "nl_BE", "pt_PT", "pt_BR", "pl_PL",
                  "en_GB", "en_US", "en_CA", "en_IN"}
IT_CAP_CITY_PROVINCE: dict[str, list[list[str]]] = ItAddressProvider.cap_city_province
IBAN_LOCALE = {"de_DE": "de_DE", "de_AT": "de_AT", "de_CH": "de_CH", "fr_FR": "fr_FR", "fr_BE": "nl_BE",
               "es_ES": "es_ES", "es_MX": "es_ES", "it_IT": "it_IT", "nl_NL": "nl_NL", "nl_BE": "nl_BE",
               "pt_PT": "pt_PT", "pt_BR": "pt_BR", "pl_PL": "pl_PL", "en_GB": "en_GB", "en_IE": "en_IE"}
EN_IBAN_LOCALES = ["en_GB", "en_GB", "en_IE", "de_DE", "nl_NL", "fr_FR", "es_ES", "it_IT", "nl_BE", "de_AT"]


# --------------------------------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------------------------------


def ascii_fold(text: str) -> str:
    for src, dst in (("ß", "ss"), ("ł", "l"), ("Ł", "L"), ("ø", "o"), ("æ", "ae"), ("đ", "d"), ("Đ", "D"),
                     ("ı", "i"), ("ğ", "g"), ("ş", "s")):
        text = text.replace(src, dst)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", ascii_fold(text).lower())


def luhn_ok(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def iban_ok(iban: str) -> bool:
    compact = iban.replace(" ", "")
    moved = compact[4:] + compact[:4]
    numeric = "".join(str(int(c, 36)) for c in moved)
    return int(numeric) % 97 == 1


def group(text: str, size: int = 4, sep: str = " ") -> str:
    return sep.join(text[i:i + size] for i in range(0, len(text), size))


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


# --------------------------------------------------------------------------------------------------------------------
# Generation context
# --------------------------------------------------------------------------------------------------------------------


class FakerPool:
    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._cache: dict[str, Faker] = {}

    def get(self, locale: str) -> Faker:
        if locale not in self._cache:
            fk = Faker(locale)
            fk.seed_instance(self._seed + zlib.crc32(locale.encode("utf-8")))
            self._cache[locale] = fk
        return self._cache[locale]


@dataclass
class Address:
    street: str
    postcode: str
    city: str
    block: str
    state: UsState | None = None

    @property
    def line(self) -> str:
        return ", ".join(part.strip() for part in self.block.split("\n"))


@dataclass
class Org:
    name: str
    home: str
    domain: str
    address: Address
    phone: str


@dataclass
class Person:
    first: str
    last: str
    full: str
    name_locale: str
    home: str
    address: Address
    email_local: str
    personal_email: str
    landline: str
    mobile: str
    fax: str
    extension: str
    job: str
    dob: str
    extra: dict[str, str] = field(default_factory=dict)


class Context:
    """Everything one text needs: language, rng, lazily created persons, orgs and cached slot values."""

    def __init__(self, gen: Generator, rng: Random, lang: str, locale: str, flavour: str) -> None:
        self.gen = gen
        self.rng = rng
        self.lang = lang
        self.locale = locale
        self.flavour = flavour
        self.persons: dict[str, Person] = {}
        self.named: set[str] = set()  # persons whose name actually appears as a PERSON span
        self.orgs: dict[int, Org] = {}
        self.cache: dict[str, Span] = {}
        self.clock_base = rng.randint(7 * 3600, 18 * 3600)
        self.clock_steps = [rng.randint(4, 95) for _ in range(30)]
        self.clock_style = rng.choice(["hms", "hm", "ampm"]) if lang == "en" else rng.choice(["hms", "hm"])
        self.day = dt.date(2023, 1, 2) + dt.timedelta(days=rng.randint(0, 900))
        self.time_style = rng.choice(["hm", "ampm"]) if lang == "en" else "hm"
        self.tz = rng.choice(["Z", ".000Z", "+00:00", "+02:00"])
        # Anchors so that numbered slots read in order: {{date}} < {{date2}}, {{time}} < {{time2}},
        # {{logts}} < {{logts2}}, while {{sentdate2}} (the quoted, older mail) lies before {{sentdate}}.
        self.date_offset = rng.randint(-20, 20)
        self.date_steps = [rng.randint(1, 12) for _ in range(5)]
        self.time_base = rng.randint(7 * 3600, 14 * 3600)
        self.time_steps = [rng.randint(15, 150) * 60 for _ in range(5)]
        self.back_steps = [rng.randint(1, 6) for _ in range(5)]

    # ---- persons & orgs ---------------------------------------------------------------------------------------
    def home_for(self, kind: str) -> str:
        if kind == "u":
            return "en_US"
        if self.lang != "en":
            return self.locale
        return weighted(self.rng, EN_HOMES)

    def name_locale(self) -> str:
        if self.lang == "en":
            return weighted(self.rng, WORLD_NAME_LOCALES)
        if self.rng.random() < 0.15:
            return self.rng.choice(FOREIGN_IN_INTL)
        return self.locale

    def person(self, kind: str, num: int) -> Person:
        key = f"{kind}{num}"
        if key not in self.persons:
            self.persons[key] = self.gen.make_person(self, self.home_for(kind), self.name_locale())
        return self.persons[key]

    def org(self, num: int) -> Org:
        if num not in self.orgs:
            home = self.locale if self.lang != "en" else weighted(self.rng, EN_HOMES)
            for kind in ("p", "u"):
                if f"{kind}{num}" in self.persons:
                    home = self.persons[f"{kind}{num}"].home
            self.orgs[num] = self.gen.make_org(self, home)
        return self.orgs[num]


def weighted(rng: Random, table: list[tuple[str, int]]) -> str:
    total = sum(w for _, w in table)
    pick = rng.uniform(0, total)
    acc = 0.0
    for value, w in table:
        acc += w
        if pick <= acc:
            return value
    return table[-1][0]


class Generator:
    def __init__(self, seed: int) -> None:
        self.fakers = FakerPool(seed)

    # ---- shape filler -----------------------------------------------------------------------------------------
    @staticmethod
    def shape(rng: Random, pattern: str) -> str:
        out = []
        for ch in pattern:
            if ch == "#":
                out.append(str(rng.randint(0, 9)))
            elif ch == "%":
                out.append(str(rng.randint(1, 9)))
            elif ch == "@":
                out.append(rng.choice(string.ascii_uppercase))
            elif ch == "?":
                out.append(rng.choice(string.ascii_uppercase + string.digits))
            else:
                out.append(ch)
        return "".join(out)

    # ---- names ------------------------------------------------------------------------------------------------
    def make_name(self, ctx: Context, loc: str) -> tuple[str, str, str]:
        rng = ctx.rng
        if loc == "x_pinyin":
            first, last = rng.choice(PINYIN_GIVEN), rng.choice(PINYIN_SURNAMES)
            return first, last, (f"{last} {first}" if rng.random() < 0.4 else f"{first} {last}")
        if loc == "x_arabic":
            first, last = rng.choice(ARABIC_GIVEN), rng.choice(ARABIC_SURNAMES)
            return first, last, f"{first} {last}"
        if loc == "x_korean":
            first, last = rng.choice(KOREAN_GIVEN), rng.choice(KOREAN_SURNAMES)
            return first, last, (f"{last} {first}" if rng.random() < 0.3 else f"{first} {last}")
        if loc == "x_vietnamese":
            first, last = rng.choice(VIET_GIVEN), rng.choice(VIET_SURNAMES)
            return first.split()[-1], last, f"{last} {first}"
        if loc == "x_ambiguous":
            first = rng.choice(AMBIGUOUS_GIVEN)
            last = rng.choice(AMBIGUOUS_SURNAMES) if rng.random() < 0.6 else self.fakers.get("en_US").last_name()
            return first, last, f"{first} {last}"
        fk = self.fakers.get(loc)
        first, last = fk.first_name(), fk.last_name()
        full = f"{first} {last}"
        if loc in ("es_ES", "es_MX") and rng.random() < 0.5:
            full = f"{first} {last} {fk.last_name()}"
        elif loc == "en_US" and rng.random() < 0.12:
            full = f"{first} {rng.choice(string.ascii_uppercase)}. {last}"
        return first, last, full

    # ---- addresses --------------------------------------------------------------------------------------------
    def make_address(self, ctx: Context, home: str) -> Address:
        rng = ctx.rng
        fk = self.fakers.get(home)
        if home == "en_US":
            state = rng.choice(US_STATES)
            street = fk.street_address()
            city = fk.city() if rng.random() < 0.5 else rng.choice(REAL_CITIES["en_US"])
            postcode = fk.zipcode_plus4() if rng.random() < 0.15 else fk.zipcode()
            return Address(street, postcode, city, f"{street}\n{city}, {state.abbr} {postcode}", state)
        if home == "fr_BE":
            ffr = self.fakers.get("fr_FR")
            name = ffr.street_name()
            street = f"{name[0].upper()}{name[1:]} {rng.randint(1, 240)}"
            if rng.random() < 0.3:
                street += f" bte {rng.randint(1, 30)}"
            postcode, city = rng.choice(FR_BE_POSTCODES)
            return Address(street, postcode, city, f"{street}\n{postcode} {city}")
        if home == "es_MX":
            street = f"{rng.choice(['Av.', 'Calle', 'Blvd.', 'Calz.'])} {fk.last_name()} {rng.randint(10, 3999)}"
            if rng.random() < 0.4:
                street += f" Int. {rng.randint(1, 40)}"
            colonia = rng.choice(MX_COLONIAS)
            city, mx_state = rng.choice(MX_CITIES)
            postcode = f"{rng.randint(1000, 99999):05d}"
            block = f"{street}, Col. {colonia}\n{postcode} {city}, {mx_state}"
            return Address(f"{street}, Col. {colonia}", postcode, city, block)
        street = " ".join(fk.street_address().split()).strip() if home != "en_GB" else fk.street_address()
        street_lines = [s.strip() for s in street.split("\n")]
        street_one = ", ".join(street_lines)
        postcode = fk.postcode()
        if home == "it_IT":  # Faker's it_IT city() list is built from a set (hash-order dependent); use the CAP table
            city, province = fk.random_element(IT_CAP_CITY_PROVINCE[postcode])
            return Address(street_one, postcode, city, f"{street_one}\n{postcode} {city} ({province})")
        city = fk.city()
        if home == "en_GB":
            block = "\n".join([*street_lines, city, postcode])
        elif home == "en_CA":
            block = f"{street_one}\n{city}, {fk.province_abbr()} {postcode}"
        elif home == "en_AU":
            block = f"{street_one}\n{city} {fk.state_abbr()} {postcode}"
        elif home == "en_IN":
            block = f"{street_one}\n{city} - {postcode}"
        elif home in ("en_IE", "en_NZ"):
            block = f"{street_one}\n{city}\n{postcode}" if home == "en_IE" else f"{street_one}\n{city} {postcode}"
        elif home == "pt_BR":
            cep = re.sub(r"\D", "", postcode)
            postcode = f"{cep[:5]}-{cep[5:]}"
            block = f"{street_one} - {fk.bairro()}\n{city} - {fk.estado_sigla()}\nCEP {postcode}"
        elif home == "nl_NL" and " " not in postcode:
            postcode = f"{postcode[:4]} {postcode[4:]}" if rng.random() < 0.6 else postcode
            block = f"{street_one}\n{postcode} {city}"
        else:
            block = f"{street_one}\n{postcode} {city}"
        return Address(street_one, postcode, city, block)

    # ---- phones -----------------------------------------------------------------------------------------------
    def phone(self, ctx: Context, home: str, kind: str) -> str:
        landlines, mobiles = PHONES[home]
        if kind == "landline" and home in FAKER_PHONE_OK and ctx.rng.random() < 0.35:
            number = self.fakers.get(home).phone_number()
            if "x" not in number or home == "en_US":
                return number
        if kind == "intl":
            choices = [p for p in landlines + mobiles if p.startswith("+")]
            return self.shape(ctx.rng, ctx.rng.choice(choices))
        return self.shape(ctx.rng, ctx.rng.choice(landlines if kind == "landline" else mobiles))

    # ---- person / org -----------------------------------------------------------------------------------------
    def make_person(self, ctx: Context, home: str, name_loc: str) -> Person:
        rng = ctx.rng
        first, last, full = self.make_name(ctx, name_loc)
        f_ascii, l_ascii = slug(first.split()[0]), slug(last)
        local = rng.choice([f"{f_ascii}.{l_ascii}", f"{f_ascii}{l_ascii}", f"{f_ascii[0]}{l_ascii}",
                            f"{f_ascii}_{l_ascii}", f"{f_ascii[0]}.{l_ascii}", f"{l_ascii}.{f_ascii}",
                            f"{f_ascii}.{l_ascii}{rng.randint(1, 99)}", f"{f_ascii}{rng.randint(70, 2005)}"])
        personal = f"{local}@{rng.choice(FREEMAIL[home])}"
        landline = self.phone(ctx, home, "landline")
        ext_fmt = rng.choice([" ext. ###", " x###", " ext ##", " Ext. ####"]) if home.startswith("en") else "-##"
        extension = landline + self.shape(rng, ext_fmt)
        birthday = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 20000))
        lang = home.split("_")[0] if home.split("_")[0] in JOBS else "en"
        return Person(first=first, last=last, full=full, name_locale=name_loc, home=home,
                      address=self.make_address(ctx, home), email_local=local, personal_email=personal,
                      landline=landline, mobile=self.phone(ctx, home, "mobile"), fax=self.phone(ctx, home, "landline"),
                      extension=extension, job=rng.choice(JOBS[lang]),
                      dob=fmt_date(rng, lang, birthday, rng.randint(0, 2)))

    def make_org(self, ctx: Context, home: str) -> Org:
        rng = ctx.rng
        lang = home.split("_")[0] if home.split("_")[0] in ORG_NOUNS else "en"
        roll = rng.random()
        if roll < 0.5:
            name = self.fakers.get("fr_FR" if home == "fr_BE" else home).company()
            if not any(name.endswith(sfx) for sfx in (*LEGAL_SUFFIX[home], *KNOWN_LEGAL_FORMS)):
                name = f"{name} {rng.choice(LEGAL_SUFFIX[home])}"
        elif roll < 0.75:
            city = rng.choice(REAL_CITIES[home])
            noun = rng.choice(ORG_NOUNS[lang])
            if lang == "en":
                name = f"{city} {noun} {rng.choice(LEGAL_SUFFIX[home])}"
            elif lang == "fr":
                name = f"{noun} de {city} {rng.choice(LEGAL_SUFFIX[home])}"
            else:
                name = f"{noun} {city} {rng.choice(LEGAL_SUFFIX[home])}"
        else:
            name = f"{rng.choice(INVENTED_ORGS)} {rng.choice(LEGAL_SUFFIX[home])}"
        words = [w for w in re.split(r"[\s,&-]+", name) if slug(w) and w not in LEGAL_SUFFIX[home]]
        two = len(words) > 1 and (rng.random() < 0.5 or words[0] in REAL_CITIES[home])
        base = slug(words[0]) + (slug(words[1]) if two else "")
        domain = f"{base[:20]}.{TLD[home]}"
        return Org(name=name, home=home, domain=domain, address=self.make_address(ctx, home),
                   phone=self.phone(ctx, home, "landline"))

    # ---- sensitive values -------------------------------------------------------------------------------------
    def credit_card(self, ctx: Context) -> str:
        rng = ctx.rng
        kind = rng.choice(["visa16", "visa16", "mastercard", "mastercard", "amex", "discover", "jcb16"])
        number = self.fakers.get("en_US").credit_card_number(kind)
        assert luhn_ok(number), number
        style = rng.random()
        if style < 0.4:
            return number
        sep = " " if style < 0.85 else "-"
        if len(number) == 15:
            return sep.join([number[:4], number[4:10], number[10:]])
        return group(number, 4, sep)

    def iban(self, ctx: Context) -> str:
        loc = IBAN_LOCALE.get(ctx.locale) if ctx.lang != "en" else None
        loc = loc or ctx.rng.choice(EN_IBAN_LOCALES)
        value = self.fakers.get(loc).iban()
        assert iban_ok(value), value
        return group(value) if ctx.rng.random() < 0.6 else value

    def dl(self, ctx: Context, state: UsState) -> str:
        return self.shape(ctx.rng, ctx.rng.choice(state.dl_shapes))

    def ssn(self, ctx: Context) -> str:
        value = self.fakers.get("en_US").ssn()
        roll = ctx.rng.random()
        if roll < 0.12:
            return value.replace("-", " ")
        if roll < 0.18:
            return value.replace("-", "")
        return value

    def password(self, ctx: Context) -> str:
        rng = ctx.rng
        word = rng.choice(PW_WORDS)
        style = rng.randint(0, 5)
        if style == 0:
            return f"{word}{rng.randint(2018, 2025)}{rng.choice('!?#$%*')}"
        if style == 1:
            leet = word.replace("a", "@").replace("o", "0").replace("e", "3").replace("s", "$")
            return f"{leet}#{rng.randint(1, 99)}"
        if style == 2:
            alphabet = string.ascii_letters + string.digits + "!#%&*+-=?@^_"
            return "".join(rng.choice(alphabet) for _ in range(rng.randint(10, 16)))
        if style == 3:
            return f"{word.lower()}{rng.randint(100, 999)}"
        if style == 4:
            return f"{word}-{rng.choice(PW_WORDS).lower()}-{rng.randint(10, 99)}"
        return f"{word}{rng.choice(['_', '.', ''])}{rng.randint(1, 9999)}{rng.choice(['', '!', '!!'])}"

    def jwt(self, ctx: Context) -> str:
        rng = ctx.rng
        header = b64url(json.dumps({"alg": rng.choice(["HS256", "RS256"]), "typ": "JWT"}).encode())
        iat = rng.randint(1_690_000_000, 1_760_000_000)
        payload = b64url(json.dumps({"sub": str(rng.randint(10_000, 999_999)), "iat": iat, "exp": iat + 3600,
                                     "scope": rng.choice(["read", "tickets:write", "admin"])}).encode())
        sig = b64url(bytes(rng.randint(0, 255) for _ in range(rng.choice([32, 64]))))
        return f"{header}.{payload}.{sig}"


def rand_chars(rng: Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


ALNUM = string.ascii_letters + string.digits
HEX = "0123456789abcdef"


def fmt_date(rng: Random, lang: str, day: dt.date, style: int | None = None) -> str:
    month = MONTHS[lang][day.month - 1]
    d, m, y = day.day, day.month, day.year
    if style is None:
        style = rng.randint(0, 3)
    if lang == "en":
        if style == 3:
            nth = f"{d}th of {month}" if 4 <= d <= 20 else f"{month} {d}"
            return rng.choice([f"{y}-{m:02d}-{d:02d}", f"{d:02d}/{m:02d}/{y}", f"{month[:3]} {d}", nth])
        return [f"{month} {d}, {y}", f"{d} {month} {y}", f"{m}/{d}/{y}"][style]
    if lang == "de":
        return [f"{d}. {month} {y}", f"{d:02d}.{m:02d}.{y}", f"{d}.{m}.{y % 100:02d}", f"{d:02d}.{m:02d}."][style]
    if lang in ("es", "pt"):
        return [f"{d} de {month} de {y}", f"{d:02d}/{m:02d}/{y}", f"{d}/{m}/{y}", f"{d:02d}-{m:02d}-{y}"][style]
    if lang == "nl":
        return [f"{d} {month} {y}", f"{d:02d}-{m:02d}-{y}", f"{d}-{m}-{y}", f"{d} {month}"][style]
    if lang == "pl":
        return [f"{d} {month} {y}", f"{d:02d}.{m:02d}.{y}", f"{d:02d}.{m:02d}.{y} r.", f"{y}-{m:02d}-{d:02d}"][style]
    return [f"{d} {month} {y}", f"{d:02d}/{m:02d}/{y}", f"{d}/{m}/{y}", f"{d} {month}"][style]


def fmt_time(rng: Random, lang: str, seconds: int, style: str | None = None) -> str:
    h, mnt, sec = seconds // 3600 % 24, seconds // 60 % 60, seconds % 60
    style = style or (rng.choice(["hm", "ampm"]) if lang == "en" else "hm")
    if style == "hms":
        return f"{h:02d}:{mnt:02d}:{sec:02d}"
    if style == "ampm":
        return f"{(h - 1) % 12 + 1}:{mnt:02d} {'AM' if h < 12 else 'PM'}"
    if lang == "fr" and rng.random() < 0.4:
        return f"{h}h{mnt:02d}"
    return f"{h:02d}:{mnt:02d}"


def fmt_amount(rng: Random, lang: str, locale: str) -> str:
    value = rng.choice([rng.randint(5, 300) + rng.choice([0, 0.5, 0.99, 0.9]), rng.randint(300, 4000) + 0.0])
    whole, cents = int(value), round((value - int(value)) * 100)
    if lang == "en":
        cur = rng.choice(["$", "£", "€", "USD ", "₹"])
        return f"{cur}{whole:,}.{cents:02d}"
    thousands = f"{whole:,}".replace(",", "." if lang in ("de", "es", "it", "nl", "pt") else "\u202f")
    if locale == "pl_PL":
        return f"{thousands},{cents:02d} zł"
    if locale == "pt_BR":
        return f"R$ {thousands},{cents:02d}"
    if locale == "es_MX":
        return f"${whole:,}.{cents:02d} MXN"
    if locale == "de_CH":
        return f"CHF {whole:,}.{cents:02d}".replace(",", "'")
    if lang == "nl":
        return f"€ {thousands},{cents:02d}"
    return f"{thousands},{cents:02d} €"


# --------------------------------------------------------------------------------------------------------------------
# Slot resolution
# --------------------------------------------------------------------------------------------------------------------

SLOT_RE = re.compile(r"\{\{([a-z_]*[a-z])(\d*)(?:\.([a-z_0-9]+))?\}\}")


def person_slot(ctx: Context, person: Person, num: int, attr: str) -> Span:
    gen = ctx.gen
    addr = person.address
    simple: dict[str, Span] = {
        "full": ("PERSON", person.full), "first": ("PERSON", person.first), "last": ("PERSON", person.last),
        "full_lower": ("PERSON", person.full.lower()), "first_lower": ("PERSON", person.first.lower()),
        "last_lower": ("PERSON", person.last.lower()), "full_upper": ("PERSON", person.full.upper()),
        "last_upper": ("PERSON", person.last.upper()), "rev": ("PERSON", f"{person.last}, {person.first}"),
        "rev_upper": ("PERSON", f"{person.last.upper()}, {person.first}"),
        "init": ("PERSON", f"{person.first[0]}. {person.last}"),
        "email": ("EMAIL_ADDRESS", person.personal_email),
        "email_upper": ("EMAIL_ADDRESS", person.personal_email.upper()),
        "phone": ("PHONE_NUMBER", person.landline), "mobile": ("PHONE_NUMBER", person.mobile),
        "fax": ("PHONE_NUMBER", person.fax), "ext": ("PHONE_NUMBER", person.extension),
        "street": ("STREET_ADDRESS", addr.street), "block": ("STREET_ADDRESS", addr.block),
        "line": ("STREET_ADDRESS", addr.line), "postcode": (None, addr.postcode), "city": ("LOCATION", addr.city),
        "job": (None, person.job), "dob": ("DATE_TIME", person.dob),
    }
    if attr in simple:
        return simple[attr]
    if attr == "intl":
        return "PHONE_NUMBER", person.extra.setdefault("intl", gen.phone(ctx, person.home, "intl"))
    if attr == "work" or attr.startswith("work_o"):
        org = ctx.org(int(attr[6:]) if attr.startswith("work_o") else num)
        return "EMAIL_ADDRESS", f"{person.email_local}@{org.domain}"
    if attr == "org":
        return "ORGANIZATION", ctx.org(num).name
    if attr in ("state", "state_abbr", "ssn", "dl"):
        state = addr.state or US_STATES[zlib.crc32(person.full.encode()) % len(US_STATES)]
        if attr == "state":
            return "LOCATION", state.name
        if attr == "state_abbr":
            return "LOCATION", state.abbr
        if attr == "ssn":
            return "US_SSN", person.extra.setdefault("ssn", gen.ssn(ctx))
        return "US_DRIVER_LICENSE", person.extra.setdefault("dl", gen.dl(ctx, state))
    if attr == "zip":
        return None, addr.postcode
    raise KeyError(f"unknown person attribute {attr!r}")


def org_slot(ctx: Context, org: Org, attr: str | None) -> Span:
    if attr is None or attr == "name":
        return "ORGANIZATION", org.name
    if attr == "upper":
        return "ORGANIZATION", org.name.upper()
    if attr == "block":
        return "STREET_ADDRESS", org.address.block
    if attr == "line":
        return "STREET_ADDRESS", org.address.line
    if attr == "phone":
        return "PHONE_NUMBER", org.phone
    if attr == "web":
        return None, f"www.{org.domain}"
    if attr == "domain":
        return None, org.domain
    if attr == "city":
        return "LOCATION", org.address.city
    return "EMAIL_ADDRESS", f"{attr.replace('_', '-')}@{org.domain}"


def generic_slot(ctx: Context, base: str, idx: int) -> Span:
    gen, rng, lang = ctx.gen, ctx.rng, ctx.lang
    sh = gen.shape
    year = ctx.day.year
    day = ctx.day + dt.timedelta(days=rng.randint(-20, 20))
    nth_day = ctx.day + dt.timedelta(days=ctx.date_offset + sum(ctx.date_steps[:idx - 1]))
    sent_day = ctx.day - dt.timedelta(days=sum(ctx.back_steps[:idx - 1]))
    nth_time = ctx.time_base + sum(ctx.time_steps[:idx - 1])
    log_secs = ctx.clock_base + sum(ctx.clock_steps[:idx]) * 7
    table: dict[str, Callable[[], Span]] = {
        # --- sensitive ---
        "cc": lambda: ("CREDIT_CARD", gen.credit_card(ctx)),
        "iban": lambda: ("IBAN_CODE", gen.iban(ctx)),
        "ssn": lambda: ("US_SSN", gen.ssn(ctx)),
        "ip": lambda: ("IP_ADDRESS", gen.fakers.get("en_US").ipv4_public()),
        "lan": lambda: ("IP_ADDRESS", gen.fakers.get("en_US").ipv4_private()),
        "ipsix": lambda: ("IP_ADDRESS", str(ipaddress.IPv6Address(gen.fakers.get("en_US").ipv6()))
                          if rng.random() < 0.5 else gen.fakers.get("en_US").ipv6()),
        "dl": lambda: ("US_DRIVER_LICENSE", gen.dl(ctx, rng.choice(US_STATES))),
        "sk": lambda: ("SECRET", f"sk_{rng.choice(['live', 'live', 'test'])}_" + rand_chars(rng, ALNUM, 24)),
        "rk": lambda: ("SECRET", "rk_live_" + rand_chars(rng, ALNUM, 32)),
        "akia": lambda: ("SECRET", "AKIA" + rand_chars(rng, string.ascii_uppercase + "234567", 16)),
        "awssecret": lambda: ("SECRET", rand_chars(rng, ALNUM + "/+", 40)),
        "ghp": lambda: ("SECRET", "ghp_" + rand_chars(rng, ALNUM, 36)),
        "slack": lambda: ("SECRET", f"xoxb-{sh(rng, '%##########')}-{sh(rng, '%############')}-"
                          + rand_chars(rng, ALNUM, 24)),
        "sendgrid": lambda: ("SECRET", "SG." + rand_chars(rng, ALNUM + "-_", 22) + "." + rand_chars(rng, ALNUM, 43)),
        "jwt": lambda: ("SECRET", gen.jwt(ctx)),
        "pw": lambda: ("SECRET", gen.password(ctx)),
        # --- distractor labels ---
        "org": lambda: ("ORGANIZATION", gen.make_org(ctx, ctx.locale if lang != "en" else
                                                     weighted(rng, EN_HOMES)).name),
        "city": lambda: ("LOCATION", rng.choice(REAL_CITIES[ctx.locale if lang != "en" else
                                                            weighted(rng, EN_HOMES)])),
        "uscity": lambda: ("LOCATION", rng.choice(REAL_CITIES["en_US"])),
        "country": lambda: ("LOCATION", rng.choice(COUNTRIES[lang])),
        "usstate": lambda: ("LOCATION", rng.choice(US_STATES).name),
        "date": lambda: ("DATE_TIME", fmt_date(rng, lang, nth_day)),
        "longdate": lambda: ("DATE_TIME", fmt_date(rng, lang, day, 0)),
        "numdate": lambda: ("DATE_TIME", fmt_date(rng, lang, day, 1)),
        "isodate": lambda: ("DATE_TIME", day.isoformat()),
        "year": lambda: ("DATE_TIME", str(year - rng.randint(0, 2))),
        "time": lambda: ("DATE_TIME", fmt_time(rng, lang, nth_time, ctx.time_style)),
        "datetime": lambda: ("DATE_TIME", fmt_date(rng, lang, nth_day, 1) + " "
                             + fmt_time(rng, lang, rng.randint(7 * 3600, 19 * 3600), "hm")),
        "sentdate": lambda: ("DATE_TIME", sent_date(rng, lang, sent_day)),
        "ondate": lambda: ("DATE_TIME", on_date(rng, lang, sent_day)),
        "iso": lambda: ("DATE_TIME", f"{ctx.day.isoformat()}T{fmt_time(rng, lang, log_secs, 'hms')}"
                        + ctx.tz),
        "logts": lambda: ("DATE_TIME", f"{ctx.day.isoformat()} {fmt_time(rng, lang, log_secs, 'hms')}"),
        "weekday": lambda: ("DATE_TIME", WEEKDAYS[lang][rng.randint(0, 4)]),
        "reldate": lambda: ("DATE_TIME", rng.choice(RELDATES[lang])),
        "dob": lambda: ("DATE_TIME", fmt_date(rng, lang, dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 20000)),
                                              rng.randint(0, 2))),
        # --- unlabelled look-alikes ---
        "order": lambda: (None, sh(rng, rng.choice([f"ORD-{year}-######", "#%%%%%%%%", "SO#######", "PO-%%%%%%",
                                                     "###-#######-#######", "4500######", "W#########"]))),
        "invoice": lambda: (None, sh(rng, rng.choice(["INV-########", f"RE-{year}-#####", "FA##-#####",
                                                       f"{year}/####", f"F-{year}-######", "%#######"]))),
        "ticket": lambda: (None, sh(rng, rng.choice(["#%####", "INC#######", "CS-%####", f"TCK-{year}-%####",
                                                      "SR########", "REQ#######"]))),
        "caseno": lambda: (None, sh(rng, rng.choice(["CASE-%#####", "CHG#######", "CR-####-###", "%#######"]))),
        "tracking": lambda: (None, sh(rng, rng.choice(["1Z??????##########", "JD##################",
                                                        "00##################", "9400 1### #### #### #### ##",
                                                        "@@#########GB", "3S@@@@#######", "6A###########",
                                                        "%### %### %###"]))),
        "version": lambda: (None, sh(rng, rng.choice(["%.##.#", "v%.#.##", "10.0.1904%.%###", "2%.%.%",
                                                       "%.%.%.%", "%.%.%#"]))),
        "build": lambda: (None, sh(rng, rng.choice([f"{year}####.%", "#%###", "%#.%.%###.%##", "rc-%.%"]))),
        "amount": lambda: (None, fmt_amount(rng, lang, ctx.locale)),
        "qty": lambda: (None, str(rng.choice([1, 2, 3, 4, 5, 6, 10, 12, 20, 25, 50, 100, 250]))),
        "err": lambda: (None, rng.choice(ERRORS)),
        "sku": lambda: (None, sh(rng, rng.choice(["SKU-##-####-@@@", "M@@##LL/A", "B0#@??????", "%####-%##",
                                                   "ART-%#####"]))),
        "product": lambda: (None, rng.choice(PRODUCTS)),
        "device": lambda: (None, rng.choice(DEVICES)),
        "software": lambda: (None, rng.choice(SOFTWARE)),
        "serial": lambda: (None, sh(rng, rng.choice(["C???????????", "SN-%########", "PF??????", "%###@???????"]))),
        "asset": lambda: (None, sh(rng, rng.choice(["IT-AST-%#####", "LAPTOP-?????", "PC-%###", "NB-%####-@"]))),
        "uuid": lambda: (None, "-".join(rand_chars(rng, HEX, n) for n in (8, 4, 4, 4, 12))),
        "sha": lambda: (None, rand_chars(rng, HEX, rng.choice([7, 40]))),
        "epoch": lambda: (None, str(rng.randint(1_690_000_000, 1_760_000_000) * rng.choice([1, 1000]))),
        "mac": lambda: (None, ":".join(rand_chars(rng, "0123456789ABCDEF", 2) for _ in range(6))),
        "cust": lambda: (None, sh(rng, rng.choice(["CUST-%#####", "K%#######", "%#########", "C-%####-##"]))),
        "emp": lambda: (None, sh(rng, rng.choice(["EMP-%####", "%#####", "E#######"]))),
        "port": lambda: (None, str(rng.choice([22, 443, 8443, 990, 2222, 3389, 5432, 8080]))),
        "cardend": lambda: (None, sh(rng, "####")),
        "routing": lambda: (None, sh(rng, rng.choice(["0#1######", "%########"]))),
        "bic": lambda: (None, rng.choice(BICS)),
        "kb": lambda: (None, sh(rng, "KB%######")),
        "pct": lambda: (None, f"{rng.randint(1, 99)}%"),
        "room": lambda: (None, sh(rng, rng.choice(["%.%#", "B%-%##", "%##"]))),
        "dur": lambda: (None, rng.choice(["48 hours", "3 days", "two weeks", "10 minutes", "an hour"])),
        "host": lambda: (None, sh(rng, rng.choice(["srv-db-0%.corp.local", "vpn-gw-%#", "mail0%.int", "wks-%###"]))),
        "hexid": lambda: (None, rand_chars(rng, HEX, 32)),
        "callid": lambda: (None, sh(rng, "CALL-%#######")),
        "plan": lambda: (None, rng.choice(["Business Basic", "Pro Annual", "Enterprise Plus", "Starter Monthly",
                                           "Family Premium", "Gold Member"])),
    }
    if base not in table:
        raise KeyError(f"unknown slot {base!r}")
    return table[base]()


def sent_date(rng: Random, lang: str, day: dt.date) -> str:
    wd, month = WEEKDAYS[lang][day.weekday()], MONTHS[lang][day.month - 1]
    t = rng.randint(7 * 3600, 20 * 3600)
    if lang == "en":
        return rng.choice([f"{wd}, {month} {day.day}, {day.year} {fmt_time(rng, lang, t, 'ampm')}",
                           f"{wd}, {day.day} {month} {day.year} {fmt_time(rng, lang, t, 'hm')}",
                           f"{day.day:02d} {month} {day.year} {fmt_time(rng, lang, t, 'hm')}"])
    sep = {"de": ". ", "es": " de ", "pt": " de "}.get(lang, " ")
    tail = f" de {day.year}" if lang in ("es", "pt") else f" {day.year}"
    comma = "," if lang in ("de", "es", "pt", "pl") else ""
    return f"{wd}{comma} {day.day}{sep}{month}{tail} {fmt_time(rng, lang, t, 'hm')}"


def on_date(rng: Random, lang: str, day: dt.date) -> str:
    wd, month = WEEKDAYS[lang][day.weekday()], MONTHS[lang][day.month - 1]
    t = rng.randint(7 * 3600, 20 * 3600)
    if lang == "en":
        return rng.choice([f"{wd[:3]}, {day.day} {month[:3]} {day.year} at {fmt_time(rng, lang, t, 'hm')}",
                           f"{month[:3]} {day.day}, {day.year}, at {fmt_time(rng, lang, t, 'ampm')}",
                           f"{day.month}/{day.day}/{day.year} {fmt_time(rng, lang, t, 'ampm')}"])
    return f"{fmt_date(rng, lang, day, 1)} {fmt_time(rng, lang, t, 'hm')}"


def clock_slot(ctx: Context, n: int) -> Span:
    seconds = ctx.clock_base + sum(ctx.clock_steps[:n])
    return "DATE_TIME", fmt_time(ctx.rng, ctx.lang, seconds, ctx.clock_style)


def resolve(ctx: Context, base: str, num: str, attr: str | None) -> Span:
    if base in ("p", "u") and num:
        if attr is None:
            raise KeyError("person slot needs an attribute")
        span = person_slot(ctx, ctx.person(base, int(num)), int(num), attr)
        if span[0] == "PERSON":
            ctx.named.add(f"{base}{num}")
        return span
    if base == "o" and num:
        return org_slot(ctx, ctx.org(int(num)), attr)
    if base == "clk" and num:
        return clock_slot(ctx, int(num))
    key = f"{base}{num}.{attr}"
    if key not in ctx.cache:
        if attr is not None:
            raise KeyError(f"generic slot {base!r} takes no attribute")
        ctx.cache[key] = generic_slot(ctx, base, int(num or 1))
    return ctx.cache[key]


# --------------------------------------------------------------------------------------------------------------------
# Rendering & checks
# --------------------------------------------------------------------------------------------------------------------

LITERAL_BANS: dict[str, str] = {
    "en": r"\b(?:today|tomorrow|yesterday|tonight|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
          r"January|February|March|June|July|August|September|October|November|December)\b",
    "de": r"\b(?:heute|gestern|morgen|vorgestern|Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag|"
          r"Januar|Februar|März|Juni|Juli|Oktober|Dezember)\b",
    "fr": r"\b(?:aujourd'hui|hier|demain|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|janvier|février|"
          r"juillet|décembre)\b",
    "es": r"\b(?:hoy|ayer|mañana|lunes|martes|miércoles|jueves|viernes|sábado|domingo|enero|febrero|diciembre)\b",
    "it": r"\b(?:oggi|ieri|domani|lunedì|martedì|mercoledì|giovedì|venerdì|sabato|domenica|gennaio|dicembre)\b",
    "nl": r"\b(?:vandaag|gisteren|morgen|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|januari|"
          r"december)\b",
    "pt": r"\b(?:hoje|ontem|amanhã|segunda-feira|terça-feira|quarta-feira|quinta-feira|sexta-feira|janeiro|"
          r"dezembro)\b",
    "pl": r"\b(?:dzisiaj|dziś|wczoraj|jutro|poniedziałek|wtorek|środa|czwartek|piątek|stycznia|grudnia)\b",
}


def check_template(text: str, lang: str) -> None:
    literal = SLOT_RE.sub("\x00", text)
    if "{{" in literal:
        raise ValueError(f"malformed slot in template: {text[:80]!r}")
    if re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", literal):
        raise ValueError(f"literal e-mail-like text in template: {text[:80]!r}")
    hit = re.search(LITERAL_BANS[lang], literal, flags=re.IGNORECASE if lang != "de" else 0)
    if hit:
        raise ValueError(f"unlabelled date word {hit.group(0)!r} in template: {text[:80]!r}")


def render(ctx: Context, template: str) -> tuple[str, str, list[dict[str, object]]]:
    out: list[str] = []
    masked: list[str] = []
    spans: list[dict[str, object]] = []
    pos = 0
    length = 0
    for m in SLOT_RE.finditer(template):
        literal = template[pos:m.start()]
        out.append(literal)
        masked.append(literal)
        length += len(literal)
        etype, value = resolve(ctx, m.group(1), m.group(2), m.group(3))
        out.append(value)
        masked.append(f"{{{{{etype}}}}}" if etype else value)
        if etype:
            spans.append({"entity_type": etype, "entity_value": value, "start_position": length,
                          "end_position": length + len(value)})
        length += len(value)
        pos = m.end()
    out.append(template[pos:])
    masked.append(template[pos:])
    return "".join(out), "".join(masked), spans


def validate(record: dict[str, object]) -> None:
    text = record["full_text"]
    assert isinstance(text, str)
    spans = record["spans"]
    assert isinstance(spans, list)
    last_end = -1
    for span in sorted(spans, key=lambda s: s["start_position"]):
        start, end, value = span["start_position"], span["end_position"], span["entity_value"]
        assert text[start:end] == value, (text[start:end], value)
        assert value and value == value.strip(), f"span with outer whitespace: {value!r}"
        assert start >= last_end, f"overlapping spans in template {record['template_id']}"
        last_end = end
        if span["entity_type"] == "CREDIT_CARD":
            assert luhn_ok(value), value
        if span["entity_type"] == "IBAN_CODE":
            assert iban_ok(value), value


def build() -> list[dict[str, object]]:
    templates = all_templates()
    gen = Generator(SEED)
    rng = Random(SEED)
    records: list[dict[str, object]] = []
    order: list[int] = []
    while len(order) < N_TEXTS:  # round-robin over shuffled rounds: every template is used 7 or 8 times
        perm = list(range(len(templates)))
        rng.shuffle(perm)
        order.extend(perm)
    for tid in order[:N_TEXTS]:
        flavour, lang_spec, text = templates[tid]
        if lang_spec in LANG_LOCALES:
            lang, locale = lang_spec, rng.choice(LANG_LOCALES[lang_spec])
        elif "_" in lang_spec:
            lang, locale = lang_spec.split("_")[0], lang_spec
        else:
            lang, locale = "en", "en_US"
        ctx = Context(gen, rng, lang, locale, flavour)
        full_text, masked, spans = render(ctx, text)
        record: dict[str, object] = {
            "full_text": full_text,
            "masked": masked,
            "spans": spans,
            "template_id": tid,
            "metadata": {"flavour": flavour, "language": lang, "locale": locale,
                         "name_origins": [ctx.persons[k].name_locale for k in sorted(ctx.named)]},
        }
        validate(record)
        records.append(record)
    return records


def summarize(records: list[dict[str, object]]) -> None:
    ents: Counter[str] = Counter()
    flav: Counter[str] = Counter()
    langs: Counter[str] = Counter()
    origins: Counter[str] = Counter()
    for rec in records:
        meta = rec["metadata"]
        assert isinstance(meta, dict)
        flav[meta["flavour"]] += 1
        langs[meta["language"]] += 1
        for span in rec["spans"]:  # type: ignore[attr-defined]
            ents[span["entity_type"]] += 1
        for loc in meta["name_origins"]:
            origins["anglo" if loc in ANGLO_NAME_LOCALES else "non_anglo"] += 1
    print(f"texts={len(records)} templates={len({r['template_id'] for r in records})}")
    print("entities:", dict(sorted(ents.items())))
    print("flavours:", dict(sorted(flav.items())))
    print("languages:", dict(sorted(langs.items())))
    share = origins["non_anglo"] / max(1, origins["anglo"] + origins["non_anglo"])
    print("name origins (named persons):", dict(origins), f"non-Anglo share {share:.1%}")


def all_templates() -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    for flavour, items in (("email_en", EMAIL_EN), ("ticket_intl", TICKET_INTL), ("form", FORMS),
                           ("transcript", TRANSCRIPTS), ("short_messy", SHORT_MESSY)):
        for item in items:
            lang_spec, text = item if isinstance(item, tuple) else ("en", item)
            text = text.strip("\n")
            check_template(text, lang_spec.split("_")[0])
            out.append((flavour, lang_spec, text))
    return out


def main() -> None:
    records = build()
    OUT_PATH.parent.mkdir(parents=True, exist_ok=True)
    with OUT_PATH.open("w", encoding="utf-8") as fh:
        json.dump(records, fh, ensure_ascii=False, indent=None)
    summarize(records)
    print(f"wrote {OUT_PATH}")


# --------------------------------------------------------------------------------------------------------------------
# Templates. Slot syntax: {{p1.full}} person attribute (p = home by language/flavour, u = US resident),
# {{o1}} / {{o1.support}} organisation name / role mailbox, {{clk3}} increasing chat clock, {{order2}} generic slot
# (digits make distinct values; repeating the same slot repeats the value).
# --------------------------------------------------------------------------------------------------------------------

SIGS: dict[str, str] = {
    "long": """
--
{{pX.full}}
{{pX.job}}
{{oX}}
Mobile: {{pX.mobile}}
{{pX.block}}""",
    "pipe": """
Best regards,

{{pX.full}} | {{pX.job}}
{{oX}} | {{pX.line}}
D: {{pX.ext}}""",
    "init": """
Thanks & regards,
{{pX.init}}
{{pX.job}}, {{oX}}
Cell {{pX.mobile}}""",
    "agent": """
Kind regards,
{{pX.first}}
Customer Support | {{oX}}
{{oX.web}}""",
    "agent2": """
Best wishes,

{{pX.full}}
Service Desk Analyst
{{oX}}
{{oX.block}}""",
    "short": """
Thanks,
{{pX.first}}""",
    "vcard": """
Mit freundlichen Grüßen / Kind regards
{{pX.full}}
{{oX}}
{{pX.block}}
Phone: {{pX.intl}}
Email: {{pX.work}}""",
}

DISC_CONF = ("\n\nCONFIDENTIALITY NOTICE: This e-mail and any attachments are intended solely for the named addressee "
             "and may contain privileged or confidential information. If you are not the intended recipient, please "
             "notify the sender immediately and delete this message.")
DISC_VIRUS = "\n\nThis message has been scanned for viruses and dangerous content and is believed to be clean."
DISC_ENV = "\n\nPlease consider the environment before printing this e-mail."
DISC_REG = ("\n\n{{o1}} is registered in {{country}}. Registered office: {{o1.line}}. Company no. {{cust}}. "
            "VAT and banking details available on request.")


def sig(kind: str, n: int = 1) -> str:
    return SIGS[kind].replace("pX.", f"p{n}.").replace("{{oX", f"{{{{o{n}")


EMAIL_EN: list[str | tuple[str, str]] = [
    # 0
    """
From: {{p1.work}}
Sent: {{sentdate}}
To: Customer Support
Subject: Invoice {{invoice}} charged twice

Hello,

our card was charged twice for invoice {{invoice}} ({{amount}}). The second charge shows up as order {{order}}.
Could you refund one of them?

Kind regards
{{p1.full}}
{{p1.job}}
{{o1}}
Phone: {{p1.phone}}
""",
    # 1
    """
---------- Forwarded message ---------
From: {{p1.full}} <{{p1.email}}>
Date: {{ondate}}
Subject: VPN keeps dropping
To: {{o2.helpdesk}}

Hi,
since the update to client {{version}} my VPN drops every few minutes. My public IP is {{ip}}.
Error shown: {{err}}.
""",
    # 2
    """
Hi {{p1.first}},

thanks for the details. I have reset the MFA enrolment for your account; please sign in again and re-register the
authenticator app.

Best,
IT Service Desk, {{o2}}

> On {{ondate}}, {{p1.full}} <{{p1.work}}> wrote:
> Hello,
> I got a new phone ({{device}}) and can no longer approve sign-ins.
> My number changed to {{p1.mobile}}.
> Thanks
""",
    # 3
    """
Subject: Change of delivery address for order {{order}}

Dear Sir or Madam,

please ship order {{order}} ({{qty}} x {{product}}) to my new address:

{{p1.block}}

instead of the old one. You can reach me on {{p1.phone}} if the courier has questions.

Regards,
{{p1.full}}
""",
    # 4
    """
From: {{p1.rev}} <{{p1.email}}>
Sent: {{sentdate}}
To: Billing
Subject: Refund for cancelled subscription

Hello billing team,

I cancelled my {{product}} subscription on {{date}} but was charged {{amount}} again.
Please refund to my account:
Account holder: {{p1.full}}
IBAN: {{iban}}
BIC: {{bic}}

Thank you
""",
    # 5
    """
From: {{p1.full}} <{{p1.work}}>
Sent: {{sentdate}}
To: Service Desk
Cc: {{p3.work_o1}}
Subject: New starter - account setup

Hi,

we have a new starter joining on {{date}}. Please create accounts for:

Name: {{p4.full}}
Title: {{p4.job}}
Requested mailbox: {{p4.work_o1}}
Direct line: {{p4.phone}}
Licence: {{software}}

The laptop ({{asset}}) should be delivered to {{p4.line}}.

Thanks
""" + DISC_CONF,
    # 6
    """
From: Mail Delivery Subsystem <{{o2.mailer_daemon}}>
To: {{p2.full}}
Subject: Undeliverable: Your ticket {{ticket}}

Delivery to the following recipient failed permanently:

     {{p1.work}}

Technical details of permanent failure:
The recipient server at {{ip}} returned: 550 5.1.1 <{{p1.work}}>: Recipient address rejected: User unknown
Arrival-Date: {{datetime}}

----- Original message -----
From: {{p2.full}}
Subject: Your ticket {{ticket}}

Dear {{p1.first}}, your ticket has been resolved. Reply to reopen.
""",
    # 7
    """
Subject: Automatic reply: Ticket {{ticket}} - printer on 3rd floor

Thank you for your message. I am out of the office until {{date}} with limited access to e-mail.
For urgent matters please contact my colleague {{p2.full}} at {{p2.work_o1}} or call {{p2.ext}}.
For IT emergencies call the hotline {{o1.phone}}.

{{p1.full}}
{{p1.job}} | {{o1}}
""",
    # 8
    """
To: {{o2.privacy}}
Subject: Data subject access request (Art. 15 GDPR)

Dear Data Protection Officer,

I hereby request a copy of all personal data you hold about me. For identification:

Full name: {{p1.full}}
Date of birth: {{p1.dob}}
Customer number: {{cust}}
Address: {{p1.line}}
E-mail used for the account: {{p1.email}}

Please reply within one month as required.

Yours faithfully
""",
    # 9
    """
From: {{p1.full}} <{{p1.work}}>
To: Security Team
Subject: URGENT - live keys committed to a public repo

Hi security team,

one of our contractors pushed a config file to a public repository. It contained:

STRIPE_SECRET_KEY={{sk}}
AWS_ACCESS_KEY_ID={{akia}}

Commit {{sha}}, pushed at {{iso}}. Nothing has been rotated yet - please advise.

{{p1.full}}
{{p1.job}}
""",
    # 10
    """
Hi support,

can't log in to the portal since the password change. Username is my e-mail {{p1.email}} and the new password is
{{pw}} - it says "invalid credentials" (code {{err}}).
Please fix asap, I have a client meeting at {{time}}.

{{p1.first}}
""",
    # 11
    """
Thanks, that worked.

-----Original Message-----
From: {{p2.full}} <{{p2.work}}>
Sent: {{sentdate}}
To: {{p1.full}} <{{p1.work}}>
Subject: RE: Outlook keeps asking for password ({{ticket}})

Hi {{p1.first}},
please remove the cached credentials under Credential Manager and restart Outlook (build {{version}}).

-----Original Message-----
From: {{p1.full}} <{{p1.work}}>
Sent: {{sentdate2}}
To: Support
Subject: Outlook keeps asking for password

Outlook asks for my password every 10 minutes. Laptop {{asset}}.
""",
    # 12
    """
From: {{u1.full}} <{{u1.email}}>
Subject: W-2 shows wrong SSN

Hello HR/payroll,

my W-2 for {{year}} lists the wrong Social Security number. The correct SSN is {{u1.ssn}}.
My employee ID is {{emp}} and my mailing address is:

{{u1.block}}

Please issue a corrected W-2c.
Thanks!
""",
    # 13
    """
Subject: Rental car damage claim {{caseno}}

Hi,

attached the accident report. Driver details:
Driver: {{u1.full}}
Driver's license no.: {{u1.dl}} (issued in {{u1.state}})
Phone: {{u1.mobile}}
Vehicle unit: {{asset}}, rental agreement {{order}}

The incident happened on {{date}} in {{uscity}}. Please let me know if you need the police report number.

Regards
""",
    # 14
    """
From: {{p1.full}} <{{p1.work}}>
To: NOC
Cc: {{p3.work_o1}}
Subject: Please whitelist our new egress IPs

Hi NOC,

we are moving to a new ISP on {{date}}. Please allow the following source addresses on the SFTP gateway
(port {{port}}):

  {{ip}}
  {{ipsix}}

The old range {{ip3}}/29 can be removed after cut-over. Change request {{caseno}}.

Regards
{{p1.full}}
Network Engineer, {{o1}}
{{p1.ext}}
""",
    # 15
    """
From: {{p1.full}} <{{p1.email}}>
Sent: {{sentdate}}
To: Customer Relations
Subject: Formal complaint - order {{order}} still not delivered

To whom it may concern,

I ordered a {{product}} on {{date}} (order {{order}}, {{amount}}). Tracking {{tracking}} has not moved since
{{date2}}. I called your hotline three times and was promised a call back each time.

Delivery address:
{{p1.block}}

{{p1.full}}
{{p1.mobile}}
""",
    # 16
    """
Subject: Please charge my card for the renewal

Hi,

as discussed on the phone, please charge the renewal of our {{plan}} plan ({{amount}}) to this card:

Card number: {{cc}}
Cardholder: {{p1.full_upper}}

Our old card ending {{cardend}} has expired. Invoice to {{o1}}, PO {{order}}.

Thanks
{{p1.full}}
{{p1.job}}
""",
    # 17
    """
Begin forwarded message:

> From: {{o2.reservations}}
> Subject: Booking confirmation {{order}}
> Date: {{ondate}}
> To: {{p1.email}}
>
> Dear {{p1.full}},
> thank you for booking with {{o2}}. Check-in {{date}}, check-out {{date2}}, room {{room}}.
> Guarantee card: {{cc}}
> Total: {{amount}}

Hi travel desk, can you please move this to the company card? The hotel charged my private one.
{{p1.first}}
""",
    # 18
    """
From: {{p1.full}} <{{p1.work}}>
Sent: {{sentdate}}
To: Accounts Payable
Subject: Change of bank details - {{o1}}

Dear colleagues,

please note that our bank account has changed with effect from {{date}}. Please use the following details for all
future payments of our invoices (e.g. {{invoice}}):

Beneficiary: {{o1}}
IBAN: {{iban}}
BIC: {{bic}}

For verification you may call me on {{p1.phone}}.
""" + sig("pipe") + DISC_VIRUS,
    # 19
    """
Hi DevOps,

the build log for pipeline run {{build}} prints the token in clear text:

  + git remote set-url origin https://x-access-token:{{ghp}}@git.internal/payments/api.git
  + git push origin release/{{version}}

Can someone purge the log and rotate? The job ran on runner {{host}}.

{{p1.full}}
""",
    # 20
    """
Subject: 401 from /v2/tickets endpoint

Hello,

calls to your API started failing with 401 at {{time}}. Request:

POST /v2/tickets HTTP/1.1
Host: api.{{o2.domain}}
Authorization: Bearer {{jwt}}
X-Request-Id: {{uuid}}

Response: {"error":"invalid_token","trace":"{{hexid}}"}

Our server IP is {{ip}}. Can you check?

{{p1.full}}
{{o1}}
""",
    # 21
    """
Subject: Printer not printing - error {{err}}

Hi team,

the printer in room {{room}} (host {{host}}, MAC {{mac}}) stopped printing after firmware {{version}}.
Several people are affected. Please call me on {{p1.ext}} when someone is on the way.
""" + sig("init"),
    # 22
    """
Subject: RMA {{caseno}} - courier pickup

Hi {{p2.first}},

the faulty {{device}} (serial {{serial}}) is packed and ready. Please arrange pickup at:

{{p1.org}}
Attn. {{p1.full}}
{{p1.block}}

Best time is between {{time}} and {{time2}}. Reception number is {{o1.phone}}.

Thanks
""",
    # 23
    """
From: {{p1.full}} <{{p1.email}}>
To: Warranty Service
Subject: Warranty claim for {{device}}, serial {{serial}}

Hello,

my {{device}} bought on {{date}} (invoice {{invoice}}) stopped working. It is still within the 2-year warranty.
I can drop it off at your {{city}} store or send it in.

Kind regards,
{{p1.full}}
{{p1.phone}}
""",
    # 24
    """
Hi {{p2.first}},

please update my home address for payroll and benefits:

Old: {{p1.line}}
New: {{p3.line}}

Effective {{date}}. Employee number {{emp}}.

Thanks!
{{p1.full}}
""",
    # 25
    """
Subject: Claim {{caseno}} - water damage

Dear claims team,

I am writing on behalf of my mother, {{p3.full}} (date of birth {{p3.dob}}), policy holder at

{{p3.block}}

The damage occurred on {{date}}. Please direct all correspondence to me, {{p1.full}}, {{p1.email}},
mobile {{p1.mobile}}.

Yours sincerely
""",
    # 26
    """
From: {{p1.full}} <{{p1.work}}>
Sent: {{sentdate}}
To: {{p2.full}}; {{p3.full}}
Subject: Quarterly review - {{o1}} / {{o2}}

Hi both,

can we move our review to {{weekday}} at {{time}}? I will bring the ticket statistics for {{year}} (average first
response {{dur}}, {{pct}} resolved at first contact).

Dial-in: {{o1.phone}}, conference ID {{callid}}
""" + sig("pipe") + DISC_ENV,
    # 27
    """
To: {{o2.newsletter}}
Subject: unsubscribe

Please remove both {{p1.email}} and {{p1.work}} from ALL of your mailing lists. I unsubscribed {{reldate}} and
still received the "{{product}}" promo.

{{p1.full}}
""",
    # 28
    """
Hello,

I have two accounts and would like them merged:
1) {{p1.email}} (customer {{cust}})
2) {{p1.work}} (customer {{cust2}})
Please keep the second one and move my order history ({{qty}} orders incl. {{order}}) over.

Best regards,
{{p1.full}}
{{p1.mobile}}
""",
    # 29
    """
From: {{p1.full}} <{{p1.work}}>
To: Screening Services
Subject: Background check - new candidate

Hello,

please start the standard background check for our candidate:

Name: {{u3.full}}
Date of birth: {{u3.dob}}
SSN: {{u3.ssn}}
Driver license: {{u3.dl}} ({{u3.state}})
Current address: {{u3.line}}

Requisition {{caseno}}. Consent form attached.
""" + sig("init"),
    # 30
    """
Your request {{ticket}} has been updated.

{{p2.full}} ({{o2}}) wrote:
Hello {{p1.first}}, we have replaced the docking station. The old one ({{serial}}) was sent for recycling.
If you still see flickering on the second screen, please update the display driver to {{version}}.

To add a comment, reply to this e-mail. Do not change the subject line.
Requester: {{p1.full}} <{{p1.work}}>
""",
    # 31
    """
Subject: Parcel arrived damaged - order {{order}}

Hello,

the parcel (tracking {{tracking}}) arrived with a crushed corner and the {{device}} screen is cracked.
Photos are attached. The delivery address was {{p1.line}}.

I would like a replacement, not a refund. Please call {{p1.mobile}} before sending the courier.

{{p1.full}}
""",
    # 32
    """
From: {{p1.full}} <{{p1.work}}>
To: Integrations Team
Subject: SSO setup for {{o1}}

Hi,

here are the values for the SAML/OIDC connection:

Entity ID: https://sso.{{o1.domain}}/realms/main
Client ID: {{uuid}}
Client secret: {{awssecret}}
Allowed IP: {{ip}}

Please confirm once the connection is live.

{{p1.full}}
""",
    # 33
    """
Hello {{p2.first}},

for the tenant migration you can use our global admin account:

login: {{o1.admin}}
temporary password: {{pw}}

Please change it after the first login. MFA is disabled until {{date}}.

{{p1.full}}
{{p1.job}}, {{o1}}
{{p1.phone}}
""",
    # 34
    """
Yes, please go ahead with the replacement.

> Hi {{p1.first}},
>
> we can replace the unit or refund {{amount}}. Which do you prefer?
>
> > Hello,
> > my {{device}} has a dead pixel line. Order {{order}}.
> > {{p1.full}}
> > {{p1.phone}}
""",
    # 35
    """
From: {{p1.full}} <{{p1.work}}>
Sent: {{sentdate}}
To: Accounts Receivable
Subject: Overdue invoice {{invoice}} - payment sent to old account?

Hi,

our remittance shows that payment of {{amount}} went to {{iban}}, but your new invoice lists {{iban2}}.
Could you confirm the payment was received? Transfer reference: {{invoice}}.

Regards,
Accounts Payable, {{o1}}
{{p1.ext}}
""",
    # 36
    """
Hi IT,

{{p3.full}} is leaving us on {{date}}. Please:
- disable the account after {{time}} on that day
- forward {{p3.work_o1}} to {{p1.work}} for 90 days
- collect laptop {{asset}} and phone ({{p3.mobile}} stays with the company)

Thanks,
{{p1.full}}
""",
    # 37
    """
From: {{o2.security_alerts}}
To: {{p1.work}}
Subject: Unusual sign-in activity

Hi {{p1.first}},

we detected a sign-in to your account from a new device:

Time: {{iso}}
IP address: {{ipsix}}
Location: {{city}}, {{country}}
Browser: Chrome {{version}} on Windows

If this was you, you can ignore this message. If not, reset your password immediately.
""",
    # 38
    """
Hi,

the courier left my parcel (tracking {{tracking}}) with a neighbour, {{p3.full}}, at {{p3.line}}. They say they
never got it. Could you check the signature on the proof of delivery?

{{p1.full}}, {{p1.phone}}
""",
    # 39
    """
Hello travel team,

please book the following for the workshop in {{city}} on {{date}}:

1. {{p3.full}} - mobile {{p3.mobile}}
2. {{p4.full}} - mobile {{p4.mobile}}

Outbound in the morning, return flight after {{time}}. Cost centre {{emp}}.
""" + DISC_CONF,
    # 40
    """
Subject: Appointment software down at {{o1}}

Good morning,

our practice cannot open the appointment calendar since the update to {{version}} (error {{err}}).
We have patients waiting. Please call the practice back urgently.
""" + sig("long"),
    # 41
    """
Dear school IT team,

my child {{p3.full}} (class 7B) cannot log in to the learning platform. The account was
locked after {{qty}} attempts. Could you unlock it? You can reach me at {{p1.mobile}}.

Thank you,
{{p1.full}}
""",
    # 42
    """
Subject: Maintenance request - heating

Hello property management,

the heating in my flat has been off since {{reldate}}. Address: {{p1.block}}

I work from home, so any time after {{time}} is fine. Mobile {{p1.mobile}}.

{{p1.full}}
""",
    # 43
    """
Hi,

I made a one-off donation of {{amount}} via your website on {{date}} but I meant to donate monthly. Please refund
the card {{cc}} and set up a monthly gift instead. Donor reference {{cust}}.

Many thanks,
{{p1.full}}
{{p1.line}}
""",
    # 44
    """
Hello billing,

please update the billing address on our account {{cust}} to:

{{o1}}
{{o1.block}}

and send future invoices to {{o1.accounts}}. Contact person for billing questions is {{p1.full}} ({{p1.phone}}).
""",
    # 45
    """
Agreed - let's close it.

On {{ondate}}, {{p2.full}} <{{p2.work}}> wrote:
> I tested again and the sync works now ({{qty}} records in {{dur}}).
>
> On {{ondate2}}, {{p1.full}} <{{p1.work}}> wrote:
>> The nightly CRM sync still fails with {{err}} on record {{uuid}}.
>> {{p1.first}}
""",
    # 46
    """
From: {{p1.full}} <{{p1.email}}>
Subject: cannot print boarding pass

Hi, the web check-in for booking {{order}} gives an error when I try to print. Passenger: {{p1.full}}.
Flight date {{date}}. Please help, I am at the airport in {{city}}.

Get Outlook for Android
""",
    # 47
    """
[Web shop] New customer enquiry

Name: {{p1.full}}
E-mail: {{p1.email}}
Phone: {{p1.phone}}
Company: {{o1}}
Message: Hi, we need {{qty}} units of {{product}} delivered to our office in {{city}}. Do you offer volume
discounts? Please send a quote.

--
Sent via contact form at {{iso}}
""",
    # 48
    """
Dear {{p1.last}},

I am sorry for the trouble with order {{order}}. I have arranged a replacement and our technician {{p3.first}} will
call you on {{p1.phone}} to agree a time. Your reference is {{ticket}}.
""" + sig("agent", 2),
    # 49
    """
Hello,

please update my contact details. My old mobile {{p1.phone}} is no longer in use; the new one is {{p1.mobile}}.
Also note my new e-mail {{p1.email}}.

Thank you,
{{p1.full}} (customer no. {{cust}})
""",
    # 50
    """
Hi,

screenshot text below (couldn't attach):

Connection failed
Server: {{host}} ({{ip}})
Client: {{version}} build {{build}}
Error: {{err}}
Session: {{uuid}}

This happens every morning. {{p1.first}}
""",
    # 51
    """
Subject: URGENT - lost company card

Hi finance,

I lost my company credit card {{reldate}}, please block it right away: {{cc}}.
Last legitimate transaction was {{amount}} at the hotel. I am on {{p1.mobile}} all day.

{{p1.full}}
""",
    # 52
    """
Subject: Reporting DB unreachable

Hi team,

the reporting service cannot reach the database since the migration. From the service config:

DATABASE_URL=postgres://report_ro:{{pw}}@{{lan}}:5432/analytics

Ping works, port {{port}} is filtered. Ticket {{ticket}}.

{{p1.full}}
""",
    # 53
    """
Hi,

our Slack integration stopped posting ticket updates. Current config:

SLACK_BOT_TOKEN={{slack}}
SENDGRID_API_KEY={{sendgrid}}
channel: #helpdesk-alerts

Last successful post at {{logts}}. Can you see anything on your side?

{{p1.full}}, {{o1}}
""",
    # 54
    """
Dear Sir or Madam,

please find attached the signed renewal for {{o1}}. The signatory is our managing director, {{p3.full}}.
Please note our registered office has moved:

{{o1.block}}
""" + sig("init") + DISC_REG,
    # 55
    """
Subject: Event registration - {{qty}} attendees

Hello events team,

please register the following colleagues for the conference in {{city}}:

- {{p3.full}} <{{p3.work_o1}}>
- {{p4.full}} <{{p4.work_o1}}>

Invoice to {{o1}}, PO {{order}}. Dietary requirements to follow.

Cheers,
{{p1.full}}
""",
    # 56
    """
Hi {{p1.first}},

I have reset the password of the shared mailbox {{o1.info}}. Temporary password: {{pw}}
It must be changed at the next logon. Ticket {{ticket}} is now resolved.

Kind regards,
{{p2.full}}
Service Desk
""",
    # 57
    """
Hello,

my prescription delivery (order {{order}}) was not received. I live at {{p1.line}} and I am housebound.
Please contact my carer {{p3.full}} on {{p3.mobile}} to arrange a new delivery.

{{p1.full}}
""",
    # 58
    """
Hi {{p1.first}},

your refund of {{amount}} for order {{order}} has been issued to the card ending in {{cardend}}. It can take
5-10 business days to show on your statement. Refund reference {{caseno}}.
""" + sig("agent", 2),
    # 59
    """
Subject: Chargeback {{caseno}}

Hello,

we received a chargeback for transaction {{uuid}} ({{amount}}) from {{date}}. The cardholder is {{p1.full}}, card
{{cc}}. Our records show the goods were delivered to {{p1.line}} and signed for.

Please advise how to respond before {{date2}}.

{{p2.full}}
Payments Operations, {{o2}}
""",
    # 60
    """
From: {{p1.full}} <{{p1.work}}>
Sent: {{sentdate}}
To: {{p2.work}}
Subject: FW: Fax number for orders

FYI - see below.

-----Original Message-----
From: {{p3.full}} <{{p3.work_o1}}>
Sent: {{sentdate2}}
Subject: Fax number for orders

Orders should be faxed to {{p3.fax}}, questions to {{p3.phone}}.

--
{{p3.full}}
{{p3.job}}
{{o1}}
{{o1.block}}
""" + DISC_CONF + DISC_ENV,
    # 61
    """
Welcome to {{o2}}!

Dear {{p1.full}},

your account {{cust}} is now active. Your dedicated account manager is {{p3.full}}, who you can reach at
{{p3.work_o2}} or {{p3.ext}}. Support is available via {{o2.support}} or {{o2.phone}}.
""",
    # 62
    """
Subject: Age verification failed - order {{order}}

Hi,

the driver refused to hand over my order because the age check failed. I showed my driver's license
{{u1.dl}} ({{u1.state}}), which is valid. Name on the license: {{u1.full}}, born {{u1.dob}}.
Please redeliver to {{u1.line}}.
""",
    # 63
    """
From: {{p1.rev}}
Sent: {{sentdate}}
To: {{p2.rev}}
Cc: IT Service Desk
Subject: RE: Laptop replacement {{asset}}

{{p2.first}},

the new laptop works, thanks. Please wipe the old one; the BitLocker recovery key is in the ticket ({{ticket}}).
""",
    # 64
    """
Hi,

I get "{{err}}" when uploading the bank file. The upload log shows:

{{logts}} INFO  file=payments_{{year}}.xml records={{qty}}
{{logts2}} ERROR invalid creditor account {{iban}} (line 14)

The IBAN looks fine to me. Can you check?

{{p1.full}}
""",
    """
Subject: Licence count for {{year}}

Hello,

we currently have {{qty}} seats of {{software}} and need {{qty2}} more as soon as possible. Our agreement number is
{{caseno}}. Please send an updated quote incl. the Summer Sale discount mentioned in your newsletter.

Thanks
""",
    """
From: {{o2.noreply}}
Subject: [Resolved] Incident {{caseno}} - degraded performance

Between {{time}} and {{time2}} UTC on {{date}}, API requests to region eu-west-2 saw elevated error rates (HTTP 503).
Root cause: a faulty deployment of build {{build}} (version {{version}}). We rolled back at {{time3}}.
No customer data was affected. Reference: {{uuid}}.
""",
    """
Subject: Re: quote {{invoice}}

Hi,

thanks for the quote. Two questions:
1. Is the {{product}} still available in Forest Green, or only in Midnight?
2. Does the price of {{amount}} include the 3-year Premium Support Plan?

Our PO will follow under {{order}}.
""",
    """
Your order {{order}} has shipped!

Carrier: Express (next day)
Tracking number: {{tracking}}
Items: {{qty}} x {{product}} (SKU {{sku}})
Estimated delivery: {{date}}

Questions? Reply to this e-mail and quote {{ticket}}.
""",
    """
Subject: Planned maintenance - {{weekday}} {{time}}

Dear customer,

on {{weekday}} from {{time}} to {{time2}} we will upgrade the ticketing platform to version {{version}}. During the
window the customer portal will be read-only. Change reference {{caseno}}, build {{build}}.

Your Service Operations team
""",
]

TICKET_INTL: list[str | tuple[str, str]] = [
    # ---------------------------------------------------------------- German (12)
    ("de", """
Von: {{p1.full}} <{{p1.email}}>
Gesendet: {{sentdate}}
An: Kundenservice
Betreff: Rücksendung Bestellung {{order}}

Sehr geehrte Damen und Herren,

ich möchte das Gerät {{device}} aus meiner Bestellung {{order}} zurückschicken, da das Gerät nicht startet.
Bitte senden Sie mir ein Rücksendeetikett an folgende Adresse:

{{p1.block}}

Telefonisch erreichen Sie mich unter {{p1.phone}}.

Mit freundlichen Grüßen
"""),
    ("de", """
Hallo,

ich habe die Rechnung {{invoice}} über {{amount}} versehentlich zweimal bezahlt. Bitte erstatten Sie den Betrag auf
mein Konto:

Kontoinhaber: {{p1.full}}
IBAN: {{iban}}
BIC: {{bic}}

Vielen Dank und viele Grüße
"""),
    ("de", """
Betreff: Zugang gesperrt

Hallo Support,

seit {{reldate}} komme ich nicht mehr ins Kundenportal. Benutzername ist meine E-Mail {{p1.email}},
Passwort: {{pw}}
Fehlermeldung: {{err}}. Bitte dringend freischalten, ich brauche die Rechnungen für die Buchhaltung.

Gruß {{p1.first}}
"""),
    ("de", """
Hallo IT-Team,

zum {{date}} fängt bei uns {{p2.full}} als {{p2.job}} an. Bitte Folgendes einrichten:
- Benutzerkonto und Postfach
- Notebook ({{asset}}), Lieferung an {{p2.line}}
- Mobilnummer: {{p2.mobile}}

Danke!
{{p1.full}}
{{o1}}
"""),
    ("de", """
Hallo {{p1.first}},

vielen Dank für die Rückmeldung. Der Techniker kommt am {{date}} zwischen {{time}} und {{time2}} Uhr.

Viele Grüße
{{o2}} - Kundendienst

-----Ursprüngliche Nachricht-----
Von: {{p1.full}} <{{p1.email}}>
Gesendet: {{sentdate}}
An: Kundendienst
Betreff: Spülmaschine defekt (Seriennummer {{serial}})

Unsere Spülmaschine zeigt den Fehler E24. Adresse: {{p1.line}}. Tel. {{p1.mobile}}
"""),
    ("de", """
Kontaktformular - neue Anfrage

Anrede: Frau
Vorname: {{p1.first}}
Nachname: {{p1.last}}
Firma: {{o1}}
Strasse: {{p1.street}}
PLZ / Ort: {{p1.postcode}} {{p1.city}}
Telefon: {{p1.phone}}
Nachricht: Guten Tag, wir benötigen {{qty}} Lizenzen {{software}} für unseren Standort in {{city}}. Bitte um ein
Angebot.
"""),
    ("de", """
Betreff: VPN-Verbindung bricht ab - Ticket {{ticket}}

Moin,

seit dem Update auf Version {{version}} bricht die VPN-Verbindung alle paar Minuten ab. Meine externe IP ist {{ip}},
intern bekomme ich {{lan}}. Log-Auszug:

{{logts}} WARN tunnel reset (code {{err}})

Gruß
{{p1.full}}
{{o1}}
Tel. {{p1.ext}}
"""),
    ("de", """
Sehr geehrte Damen und Herren,

bitte ändern Sie das SEPA-Lastschriftmandat für meinen Vertrag {{cust}} ab dem {{date}} auf folgende
Bankverbindung:

{{iban}} ({{o2}})

Die alte Bankverbindung bitte löschen. Meine neue Anschrift lautet:
{{p1.block}}

Freundliche Grüße
"""),
    ("de", """
Hallo,

laut Sendungsverfolgung ({{tracking}}) wurde mein Paket bei Nachbar {{p3.last}} abgegeben, dort ist es aber nicht
angekommen. Meine Adresse: {{p1.line}}. Bitte prüfen Sie den Zustellnachweis.

{{p1.full}}
"""),
    ("de", """
Auskunftsersuchen nach Art. 15 DSGVO

Sehr geehrte Damen und Herren,

hiermit verlange ich Auskunft über alle zu meiner Person gespeicherten Daten.
Name: {{p1.full}}
Geburtsdatum: {{p1.dob}}
Kundennummer: {{cust}}
E-Mail: {{p1.email}}

Mit freundlichen Grüßen
"""),
    ("de", """
Hi {{p2.first}}, kannst du bitte für {{p3.full}} den Drucker in Raum {{room}} freigeben? Die Durchwahl ist
{{p3.ext}}. Danke, {{p1.first}}
"""),
    ("de_AT", """
Schadensmeldung {{caseno}}

Versicherungsnehmer: {{p1.full}}
Anschrift: {{p1.line}}
Telefon: {{p1.mobile}}
Schadendatum: {{date}}
Schadenort: {{city}}
Beschreibung: Beim Umzug wurde das Gerät {{device}} beschädigt. Rechnung Nr. {{invoice}} über {{amount}} liegt bei.
"""),
    # ---------------------------------------------------------------- French (10)
    ("fr", """
De : {{p1.full}} <{{p1.email}}>
Envoyé : {{sentdate}}
À : Service client
Objet : Colis non reçu - commande {{order}}

Bonjour,

je n'ai toujours pas reçu ma commande {{order}} ({{product}}). Le suivi {{tracking}} indique « livré » mais rien
dans ma boîte aux lettres. Mon adresse :

{{p1.block}}

Merci de me rappeler au {{p1.mobile}}.

Cordialement
"""),
    ("fr", """
Bonjour,

impossible de me connecter à l'extranet depuis {{reldate}}. Identifiant : {{p1.email}} / mot de passe : {{pw}}
Le message d'erreur est {{err}}. Pouvez-vous réinitialiser mon compte ?

Merci d'avance,
{{p1.first}}
"""),
    ("fr", """
Madame, Monsieur,

suite à la résiliation de mon abonnement {{plan}}, je vous prie de bien vouloir rembourser la somme de {{amount}}
sur le compte suivant :
Titulaire : {{p1.full}}
IBAN : {{iban}}

Bien à vous.
"""),
    ("fr", """
Bonjour {{p1.first}},

nous avons bien reçu votre demande {{ticket}}. Un technicien passera le {{date}} à {{time}} à l'adresse indiquée.

Cordialement,
Support technique - {{o2}}

> Le {{ondate}}, {{p1.full}} a écrit :
> Bonjour, ma box internet ne fonctionne plus (voyant rouge). Je suis joignable au {{p1.phone}}.
"""),
    ("fr", """
Bonjour,

mon paiement pour la commande {{order}} a été refusé alors que ma carte est valide. Voici le numéro pour
vérification : {{cc}}. Titulaire {{p1.full_upper}}.

Pouvez-vous regarder ? Montant : {{amount}}.
{{p1.first}}
"""),
    ("fr", """
Nouveau message depuis le formulaire de contact

Civilité : M.
Nom : {{p1.last_upper}}
Prénom : {{p1.first}}
Société : {{o1}}
Téléphone : {{p1.phone}}
Courriel : {{p1.work}}
Ville : {{p1.city}}
Message : Bonjour, nous souhaitons un devis pour {{qty}} postes {{software}} avec installation sur site.
"""),
    ("fr", """
Objet : Changement d'adresse

Bonjour {{p2.first}},

je t'informe de mon changement d'adresse à compter du {{date}} :
{{p1.block}}

Mon numéro de portable reste le même ({{p1.mobile}}).
Merci de mettre à jour la paie.
{{p1.full}}
"""),
    ("fr_BE", """
Bonjour,

notre standard ({{o1.phone}}) ne fonctionne plus depuis {{reldate}}. Les appels vers la ligne de {{p3.full}}
({{p3.ext}}) tombent directement sur la messagerie. Firmware du PBX : {{version}}.

Merci de traiter en urgence, ticket {{ticket}}.
{{p1.full}}, {{o1}}
"""),
    ("fr", """
Objet : Demande de suppression de données (RGPD)

Madame, Monsieur,

conformément à l'article 17 du RGPD, je vous demande d'effacer toutes les données me concernant :
{{p1.full}}, né(e) le {{p1.dob}}, {{p1.email}}, client n° {{cust}}.

Veuillez confirmer la suppression par écrit.
"""),
    ("fr", """
Bonjour {{p2.first}},

le transporteur est passé à {{time}} mais personne n'était présent à l'accueil de {{o1}}. Pouvez-vous reprogrammer
la livraison de la palette ({{qty}} cartons, BL {{order}}) ? L'adresse de livraison est :

{{o1.block}}

Contact sur place : {{p3.full}}, {{p3.mobile}}.
Merci,
{{p1.full}}
"""),
    # ---------------------------------------------------------------- Spanish (10)
    ("es", """
De: {{p1.full}} <{{p1.email}}>
Enviado: {{sentdate}}
Para: Atención al cliente
Asunto: Pedido {{order}} incompleto

Hola,

he recibido el pedido {{order}} pero falta el {{product}}. Les adjunto foto del albarán.
Mi dirección de entrega es:

{{p1.block}}

Un saludo,
Tel. {{p1.mobile}}
"""),
    ("es", """
Buenas tardes,

no puedo acceder a mi cuenta. Usuario: {{p1.email}}, contraseña: {{pw}}. Me sale el error {{err}}.
¿Me pueden ayudar? Gracias.
{{p1.first}}
"""),
    ("es", """
Hola, quiero cambiar la tarjeta de pago de mi suscripción {{plan}}. La nueva es {{cc}} a nombre de
{{p1.full}}. La anterior terminaba en {{cardend}}. ¡Gracias!
"""),
    ("es_ES", """
Estimados señores:

Solicito la devolución de {{amount}} correspondiente a la factura {{invoice}}. Les facilito mis datos bancarios:

Titular: {{p1.full}}
IBAN: {{iban}}

Atentamente.
"""),
    ("es", """
Hola {{p1.first}}:

Gracias por contactar con {{o2}}. Hemos programado la visita del técnico para el {{date}} entre las {{time}} y las
{{time2}}.

Un saludo,
Soporte técnico

El {{ondate}}, {{p1.full}} <{{p1.email}}> escribió:
> Mi router no tiene conexión desde {{reldate}}. Número de cliente {{cust}}.
"""),
    ("es", """
Formulario web - Solicitud de presupuesto

Nombre: {{p1.first}}
Apellidos: {{p1.last}}
Empresa: {{o1}}
Teléfono: {{p1.phone}}
Correo electrónico: {{p1.work}}
Ciudad: {{p1.city}}
Comentarios: Necesitamos {{qty}} licencias de {{software}} para la oficina de {{city}}.
"""),
    ("es_MX", """
Buen día,

¿me pueden reenviar la factura del pedido {{order}}? El folio fiscal es {{uuid}} y no me llegó al correo
{{p1.work}}. Razón social: {{o1}}. Dirección fiscal: {{o1.line}}.

Saludos cordiales,
{{p1.full}}
{{p1.job}}
"""),
    ("es", """
Hola equipo de IT:

El {{date}} se incorpora {{p2.full}} como {{p2.job}}. Por favor creen su cuenta y asignen el portátil {{asset}}.
Su móvil de empresa será el {{p2.mobile}}.

Gracias,
{{p1.first}}
"""),
    ("es", """
Reclamación {{caseno}}

El repartidor dejó mi paquete ({{tracking}}) con una vecina, {{p3.full}}, pero ella dice que no lo tiene.
Vivo en {{p1.line}}. Por favor revisen la firma de entrega.
{{p1.full}} - {{p1.mobile}}
"""),
    ("es", """
Asunto: Ejercicio del derecho de acceso

Yo, {{p1.full}}, con domicilio en {{p1.line}}, solicito acceso a mis datos personales conforme a la normativa
vigente. Correo de contacto: {{p1.email}}.

Firmado: {{p1.full}}
"""),
    # ---------------------------------------------------------------- Italian (9)
    ("it", """
Da: {{p1.full}} <{{p1.email}}>
Inviato: {{sentdate}}
A: Assistenza clienti
Oggetto: Reso ordine {{order}}

Buongiorno,

vorrei restituire il {{product}} dell'ordine {{order}} perché difettoso. Potete inviarmi l'etichetta di reso?
Indirizzo per il ritiro:

{{p1.block}}

Cordiali saluti,
Cell. {{p1.mobile}}
"""),
    ("it", """
Gentile servizio clienti,

chiedo il rimborso di {{amount}} per la fattura {{invoice}} sul seguente conto:
Intestatario: {{p1.full}}
IBAN: {{iban}}

Grazie.
"""),
    ("it", """
Salve, il pagamento con la carta {{cc}} è stato rifiutato due volte per l'ordine {{order}}. La carta è intestata a
{{p1.full}}. Potete verificare? Grazie
"""),
    ("it", """
Oggetto: Problema accesso remoto - ticket {{ticket}}

Ciao,

da {{reldate}} non riesco a collegarmi al desktop remoto. Il mio IP pubblico è {{ip}}, il server è {{host}}.
Errore: {{err}}.

Grazie,
{{p1.first}}
{{o1}}
"""),
    ("it", """
Gentile {{p1.full}},

la informiamo che la sua richiesta {{ticket}} è stata presa in carico. Il tecnico {{p3.first}} la contatterà al
numero {{p1.phone}} entro 48 ore.

Cordiali saluti,
{{o2}}
"""),
    ("it", """
Modulo di contatto

Nome e cognome: {{p1.full}}
Azienda: {{o1}}
Indirizzo: {{p1.street}}
CAP: {{p1.postcode}}
Città: {{p1.city}}
Telefono: {{p1.phone}}
E-mail: {{p1.email}}
Richiesta: Vorremmo un preventivo per {{qty}} postazioni con {{software}}.
"""),
    ("it", """
Buongiorno {{p2.first}},

ti comunico il mio nuovo indirizzo di residenza dal {{date}}:
{{p1.line}}

Grazie,
{{p1.full}}
"""),
    ("it", """
Segnalazione guasto

Buongiorno, nel condominio di {{p1.line}} l'ascensore è fermo da {{reldate}}. L'amministratore, {{p3.full}},
non risponde al telefono ({{p3.phone}}). Chiedo un intervento urgente.
{{p1.full}}
"""),
    ("it", """
Ciao {{p2.first}}, per il portale fornitori mi hanno dato l'utente {{p1.work}}, ma la password
non funziona, errore {{err}}. Puoi controllare? {{p1.first}}
"""),
    # ---------------------------------------------------------------- Dutch (8)
    ("nl", """
Van: {{p1.full}} <{{p1.email}}>
Verzonden: {{sentdate}}
Aan: Klantenservice
Onderwerp: Bestelling {{order}} niet ontvangen

Beste klantenservice,

mijn bestelling {{order}} ({{product}}) is volgens de track & trace ({{tracking}}) bezorgd, maar ik heb niets
ontvangen. Mijn adres is:

{{p1.block}}

Met vriendelijke groet,
{{p1.mobile}}
"""),
    ("nl", """
Hallo,

ik heb voor factuur {{invoice}} twee keer betaald ({{amount}}). Willen jullie het teveel betaalde terugstorten op
{{iban}} t.n.v. {{p1.full}}?

Groet,
{{p1.first}}
"""),
    ("nl", """
Goedemiddag,

ik kan niet meer inloggen op het klantportaal. Gebruikersnaam {{p1.email}}, wachtwoord {{pw}}. Foutmelding:
{{err}}. Kunnen jullie mijn account ontgrendelen?

Bedankt,
{{p1.full}}
"""),
    ("nl", """
Hoi {{p1.first}},

de monteur komt op {{date}} tussen {{time}} en {{time2}}. Zorg je dat er iemand thuis is?

Met vriendelijke groet,
{{o2}}

Op {{ondate}} schreef {{p1.full}} <{{p1.email}}>:
> De cv-ketel geeft storing {{err}}. Adres: {{p1.line}}. Bel me op {{p1.phone}}.
"""),
    ("nl", """
Contactformulier

Naam: {{p1.full}}
Bedrijf: {{o1}}
Straat + huisnummer: {{p1.street}}
Postcode: {{p1.postcode}}
Plaats: {{p1.city}}
Telefoon: {{p1.phone}}
Vraag: Wij willen graag {{qty}} stuks {{product}} bestellen. Is levering naar {{city}} mogelijk?
"""),
    ("nl", """
Hallo servicedesk,

per {{date}} start {{p2.full}} bij {{o1}} als {{p2.job}}. Graag een account, laptop ({{asset}}) en een mobiel
nummer aanvragen. Privéadres voor de levering: {{p2.line}}.

Groeten,
{{p1.full}}
"""),
    ("nl_BE", """
Geachte,

op factuur {{invoice}} van {{date}} staat een verkeerd bedrag ({{amount}}). Ons klantnummer is {{cust}}.
Gelieve contact op te nemen met onze boekhouder {{p3.full}} via {{p3.work_o1}}.

Met vriendelijke groeten,
{{p1.full}}
{{o1}}
"""),
    ("nl", """
Storing internet - ticket {{ticket}}

Sinds {{reldate}} valt onze verbinding steeds weg. Modem {{serial}}, WAN-IP {{ip}}, firmware {{version}}.
Contactpersoon: {{p1.full}} ({{p1.mobile}}).
"""),
    # ---------------------------------------------------------------- Portuguese (8)
    ("pt_PT", """
De: {{p1.full}} <{{p1.email}}>
Enviado: {{sentdate}}
Para: Apoio ao cliente
Assunto: Encomenda {{order}} danificada

Bom dia,

a encomenda {{order}} chegou danificada ({{device}} com o ecrã partido). Envio fotos em anexo.
Morada de entrega:

{{p1.block}}

Obrigado,
Telemóvel: {{p1.mobile}}
"""),
    ("pt_BR", """
Olá, tudo bem?

Meu pedido {{order}} ainda não chegou. O rastreio {{tracking}} está parado há uma semana. Endereço:

{{p1.block}}

Por favor me liguem no {{p1.mobile}}.
Att,
{{p1.full}}
"""),
    ("pt", """
Boa tarde,

não consigo entrar no portal. Utilizador: {{p1.email}} / senha: {{pw}}. Aparece o erro {{err}}.
Obrigado,
{{p1.first}}
"""),
    ("pt_BR", """
Oi, fiz uma compra de {{amount}} no cartão {{cc}} e foi cobrado duas vezes (pedido {{order}}). Titular:
{{p1.full}}. Podem estornar uma das cobranças?
"""),
    ("pt_PT", """
Exmos. Senhores,

solicito o reembolso de {{amount}} referente à fatura {{invoice}} para a seguinte conta:
Titular: {{p1.full}}
IBAN: {{iban}}

Com os melhores cumprimentos
"""),
    ("pt_PT", """
Olá {{p1.first}},

o técnico {{p3.first}} irá à sua morada no dia {{date}} às {{time}}.

Cumprimentos,
{{o2}}

Em {{ondate}}, {{p1.full}} escreveu:
> A máquina de lavar não liga. Número de série {{serial}}. Contacto {{p1.phone}}.
"""),
    ("pt_BR", """
Formulário de contato

Nome: {{p1.full}}
Empresa: {{o1}}
Telefone: {{p1.phone}}
E-mail: {{p1.work}}
Cidade: {{p1.city}}
Mensagem: Gostaria de um orçamento para {{qty}} licenças do {{software}}.
"""),
    ("pt_PT", """
Olá {{p2.first}},

a partir de {{date}} a minha nova morada é {{p1.line}}. Por favor atualizem os dados no processamento salarial.
Obrigada,
{{p1.full}}
"""),
    # ---------------------------------------------------------------- Polish (8)
    ("pl", """
Od: {{p1.full}} <{{p1.email}}>
Wysłano: {{sentdate}}
Do: Obsługa klienta
Temat: Reklamacja zamówienia {{order}}

Dzień dobry,

otrzymałem uszkodzony {{device}} (zamówienie {{order}}). Proszę o odbiór kurierem z adresu:

{{p1.block}}

Kontakt telefoniczny: {{p1.mobile}}

Pozdrawiam
"""),
    ("pl", """
Dzień dobry, nie mogę zalogować się do panelu klienta. Login: {{p1.email}}, hasło: {{pw}}. Błąd {{err}}.
Proszę o pomoc.
{{p1.first}}
"""),
    ("pl", """
Szanowni Państwo,

proszę o zwrot kwoty {{amount}} za fakturę {{invoice}} na rachunek:
{{iban}}
Właściciel rachunku: {{p1.full}}

Z poważaniem
"""),
    ("pl", """
Dzień dobry,

technik przyjedzie {{date}} między {{time}} a {{time2}}. Numer zgłoszenia: {{ticket}}.

Pozdrawiam serdecznie
Dział wsparcia, {{o2}}

> {{ondate}} {{p1.full}} napisał(a):
> Router nie działa od {{reldate}}. Adres instalacji: {{p1.line}}.
"""),
    ("pl", """
Formularz kontaktowy

Imię: {{p1.first}}
Nazwisko: {{p1.last}}
Firma: {{o1}}
Ulica: {{p1.street}}
Kod pocztowy: {{p1.postcode}}
Miejscowość: {{p1.city}}
Telefon: {{p1.phone}}
Wiadomość: Prosimy o ofertę na {{qty}} szt. {{product}}.
"""),
    ("pl", """
Cześć,

od {{date}} dołącza do nas {{p2.full}} ({{p2.job}}). Proszę o założenie konta i przygotowanie laptopa {{asset}}.
Numer służbowy: {{p2.mobile}}.
Dzięki, {{p1.first}}
"""),
    ("pl", """
Dzień dobry, płatność kartą {{cc}} za zamówienie {{order}} nie przeszła, a środki zostały zablokowane
({{amount}}). Właściciel karty: {{p1.full}}. Proszę o wyjaśnienie.
"""),
    ("pl", """
Temat: Żądanie usunięcia danych (RODO)

Proszę o usunięcie moich danych osobowych: {{p1.full}}, {{p1.email}}, tel. {{p1.phone}}, adres {{p1.line}}.
Numer klienta: {{cust}}.
"""),
    ("de", """
Hallo, nach dem Update auf {{version}} stürzt die App beim Start ab (Fehler {{err}}). Build {{build}}, Gerät
{{device}}. Ticket {{ticket}}. Danke!
"""),
    ("fr", """
Bonjour, la facture {{invoice}} indique {{qty}} licences {{software}} au lieu de {{qty2}}. Merci de corriger.
Référence commande {{order}}.
"""),
    ("es", """
Hola, ¿el {{product}} está disponible en color Rose Gold? Quiero pedir {{qty}} unidades para la oficina.
Referencia {{sku}}.
"""),
    ("it", """
Buongiorno, l'aggiornamento {{version}} del gestionale ha cancellato i filtri salvati. Codice errore {{err}},
ticket {{ticket}}.
"""),
    ("nl", """
Hallo, de levering van order {{order}} ({{qty}} dozen, track & trace {{tracking}}) is niet compleet: artikel {{sku}}
ontbreekt.
"""),
]

FORMS: list[str | tuple[str, str]] = [
    # 0
    """
Name: {{p1.full}}
Email: {{p1.email}}
Phone: {{p1.phone}}
Subject: Order {{order}} - wrong size
Message: Hi, I received size M instead of L ({{product}}). Can I swap it?
""",
    # 1
    """
{{iso}} INFO  crm-sync: upsert contact payload={"customer_name": "{{p1.full}}", "phone": "{{p1.intl}}", \
"email": "{{p1.email}}", "order_id": "{{order}}", "items": {{qty}}, "source": "webshop"}
{{iso2}} INFO  crm-sync: upsert ok id={{uuid}} took=182ms
""",
    # 2
    """
customer_id,first_name,last_name,email,city,signup_date,plan
{{cust}},{{p1.first}},{{p1.last}},{{p1.email}},{{p1.city}},{{isodate}},{{plan}}
{{cust2}},{{p2.first}},{{p2.last}},{{p2.email}},{{p2.city}},{{isodate2}},{{plan2}}
""",
    # 3
    """
| Ticket | Requester | Phone | Status | Updated |
|--------|-----------|-------|--------|---------|
| {{ticket}} | {{p1.full}} | {{p1.phone}} | Open | {{datetime}} |
| {{ticket2}} | {{p2.full}} | {{p2.mobile}} | Pending | {{datetime2}} |
| {{ticket3}} | {{p3.full}} | - | Closed | {{datetime3}} |
""",
    # 4
    """
EMPLOYEE ONBOARDING FORM
Legal name: {{u1.full}}
Preferred name: {{u1.first}}
SSN: {{u1.ssn}}
Date of birth: {{u1.dob}}
Home address:
{{u1.block}}
Personal email: {{u1.email}}
Mobile: {{u1.mobile}}
Start date: {{date}}
Department: Customer Support (cost centre {{emp}})
""",
    # 5
    """
Courier driver registration
Full name: {{u1.full}}
Driver license #: {{u1.dl}}
Issuing state: {{u1.state}}
Licence class: C
Phone: {{u1.mobile}}
Preferred depot: {{uscity}}
Background check consent: yes
""",
    # 6
    """
--- payment form debug dump ---
cardholder_name={{p1.full_upper}}
card_number={{cc}}
amount={{amount}}
order_ref={{order}}
billing_zip={{p1.postcode}}
client_ip={{ip}}
user_agent=Mozilla/5.0 (Windows NT 10.0; Win64; x64)
""",
    # 7
    """
POST /webhooks/ticket-created
{
  "ticket": {"id": "{{ticket}}", "priority": "high", "created_at": "{{iso}}"},
  "requester": {"name": "{{p1.full}}", "email": "{{p1.work}}", "phone": "{{p1.phone}}"},
  "organization": {"name": "{{o1}}", "domain": "{{o1.domain}}"},
  "custom_fields": {"order_number": "{{order}}", "sku": "{{sku}}"}
}
""",
    # 8
    """
Shipping details
First name: {{p1.first}}
Last name: {{p1.last}}
Street: {{p1.street}}
ZIP: {{p1.postcode}}
City: {{p1.city}}
Phone: {{p1.mobile}}
Notes: leave at back door, {{qty}} boxes
""",
    # 9
    """
CRM_EXPORT|{{logts}}|contact|{{cust}}|{{p1.rev_upper}}|{{p1.work}}|{{p1.phone}}|{{o1.upper}}|owner={{p2.init}}|\
stage=Negotiation|value={{amount}}
""",
    # 10
    """
{{logts}} auth WARN failed login user={{p1.work}} src={{ip}} attempts={{qty}}
{{logts2}} auth INFO account locked user_id={{emp}} policy=lockout-5
""",
    # 11
    """
Ticket: {{ticket}}
Requester: {{p1.full}} ({{p1.email}})
Assignee: {{p2.first}}
Group: Tier 2
Priority: Urgent
Tags: refund, billing
Description:
Customer wants the refund to IBAN {{iban}} instead of the card.
""",
    # 12
    """
SEPA Direct Debit Mandate
Creditor: {{o2}}
Mandate reference: {{caseno}}
Debtor name: {{p1.full}}
Debtor address: {{p1.line}}
IBAN: {{iban}}
BIC: {{bic}}
Date: {{date}}   Place: {{city}}
""",
    # 13
    """
[{"id": {{qty}}, "name": "{{p1.full}}", "role": "agent", "last_login_ip": "{{lan}}"},
 {"id": {{qty2}}, "name": "{{p2.full}}", "role": "admin", "last_login_ip": "{{ipsix}}"}]
""",
    # 14
    """
# production .env (please remove after debugging!)
APP_ENV=production
DB_HOST={{lan}}
DB_USER=svc_helpdesk
DB_PASSWORD={{pw}}
STRIPE_KEY={{sk}}
SENTRY_RELEASE={{version}}
""",
    # 15
    """
Product registration
Product: {{device}}
Serial number: {{serial}}
Purchase date: {{date}}
Owner: {{p1.full}}
Address: {{p1.line}}
E-mail: {{p1.email}}
Newsletter: no
""",
    # 16
    """
Name\tMobile\tRoom
{{p1.full}}\t{{p1.mobile}}\t{{room}}
{{p2.full}}\t{{p2.mobile}}\t{{room2}}
""",
    # 17
    """
CLAIM FORM - AUTO
Policy #: {{cust}}
Insured: {{u1.full}}
DL#: {{u1.dl}}
DL state: {{u1.state}}
Address: {{u1.line}}
Date of loss: {{date}}
Location of loss: {{uscity}}
Other driver: {{u2.full}}, DL {{u2.dl}} ({{u2.state}}), phone {{u2.phone}}
""",
    # 18
    """
Appointment request
Patient name: {{p1.full}}
Date of birth: {{p1.dob}}
Preferred date: {{date}}
Phone: {{p1.mobile}}
Reason: follow-up, ref {{caseno}}
""",
    # 19
    """
smtp:
  host: {{host}}
  port: 587
  username: {{o1.notifications}}
  password: "{{pw}}"
alert_recipients:
  - {{p1.work}}
  - {{p2.work_o1}}
""",
    # 20
    """
New submission from "Contact us"
--------------------------------
Your name: {{p1.full}}
Company: {{o1}}
Work email: {{p1.work}}
Message: Our {{software}} licences ({{qty}} seats) expire on {{date}}. Please send a renewal quote.
--------------------------------
Submitted {{datetime}} | IP {{ip}} | Form ID {{uuid}}
""",
    # 21
    """
Change of address
Customer no.: {{cust}}
Name: Dr {{p1.full}}
Old address: {{p1.line}}
New address: {{p2.line}}
Effective from: {{date}}
Telephone: {{p1.phone}}
""",
    # 22
    """
{"rma": "{{caseno}}", "customer": {"first": "{{p1.first}}", "last": "{{p1.last}}", "company": "{{o1}}"},
 "ship_to": "{{p1.line}}", "serials": ["{{serial}}", "{{serial2}}"], "reason": "DOA"}
""",
    # 23
    """
response_id;submitted;score;comment;contact_ok;email
{{uuid}};{{isodate}};9;"{{p2.first}} was super helpful, fixed my {{product}} in {{dur}}";yes;{{p1.email}}
{{uuid2}};{{isodate2}};3;"still waiting for refund of {{amount}}";no;
""",
    # 24
    """
asset_tag,hostname,assigned_to,ip_address,mac,os_build
{{asset}},{{host}},{{p1.full}},{{lan}},{{mac}},{{version}}
{{asset2}},{{host2}},{{p2.full}},{{lan2}},{{mac2}},{{version2}}
""",
    # 25
    """
Reservation form
Guest name: {{p1.full}}
Guests: {{qty}}
Arrival: {{date}}
Departure: {{date2}}
Mobile: {{p1.intl}}
Special requests: late check-in, ground floor
Deposit card: {{cc}}
""",
    # 26
    """
{"lead": {"full_name": "{{p1.full}}", "company": "{{o1}}", "job_title": "{{p1.job}}", "email": "{{p1.work}}",
"country": "{{country}}", "utm_campaign": "spring_promo", "score": {{qty}}}}
""",
    # 27
    """
call_id={{callid}}
start={{logts}}
caller={{p1.intl}}
agent={{p2.full}}
queue=Billing
wait_sec={{qty}}
recording={{uuid}}.wav
""",
    # 28
    """
PAYROLL CHANGE REQUEST
Employee: {{u1.rev}}
Employee ID: {{emp}}
SSN: {{u1.ssn}}
Change: update direct deposit, ABA routing {{routing}}
Effective pay date: {{date}}
""",
    # 29
    """
Benefits enrollment - dependent info
Employee: {{u1.full}} (ID {{emp}})
Dependent: {{u3.full}}, relationship: spouse, DOB {{u3.dob}}
Dependent SSN: {{u3.ssn}}
Employee SSN (last four only): {{cardend}}
""",
    # 30
    """
Access request
Requested by: {{p1.full}}
For user: {{p2.full}} ({{p2.work_o1}})
System: {{software}}
Role: read-only
Justification: parental leave cover until {{date}}
""",
    # 31
    """
DELIVERY NOTE {{order}}
Ship to:
{{p1.full}}
{{p1.block}}
Tel {{p1.phone}}

Item                         Qty   SKU
{{product}}   {{qty}}   {{sku}}
Carrier ref {{tracking}}
""",
    # 32
    """
Bug report
Reporter: {{p1.first}}
App version: {{version}} ({{build}})
Device IP: {{ipsix}}
Steps: open dashboard -> click export -> spinner forever
Expected: CSV download
""",
    # 33
    """
Privacy request form
Request type: Erasure
Full name: {{p1.full}}
Email on account: {{p1.email}}
Phone on account: {{p1.phone}}
Additional info: please also delete my old address {{p1.line}}
""",
    # 34
    """
ORDER           CUSTOMER                  PHONE                AMOUNT
{{order}}    {{p1.full_upper}}     {{p1.phone}}       {{amount}}
{{order2}}   {{p2.full_upper}}     {{p2.phone}}       {{amount2}}
""",
    # 35
    """
Supplier onboarding
Legal name: {{o1}}
Registered address: {{o1.line}}
Contact: {{p1.full}}, {{p1.job}}
Phone: {{p1.phone}}
Remittance email: {{o1.remittance}}
IBAN: {{iban}}
Payment terms: 30 days net
""",
    # 36
    """
Pre-chat survey
Name: {{p1.first_lower}}
Email: {{p1.email}}
Order number (optional): {{order}}
Question: my card {{cc}} got charged but no confirmation
""",
    # 37
    """
{"level":"error","ts":"{{iso}}","msg":"token rejected","header":"Authorization: Bearer {{jwt}}",\
"client":"{{ip}}","request_id":"{{uuid}}"}
""",
    # 38
    """
Application - {{p1.job}}
Name: {{p1.full}}
Phone: {{p1.mobile}}
Email: {{p1.email}}
Current employer: {{o1}}
Notice period: one month
Salary expectation: {{amount}}
""",
    # 39
    """
VISITOR LOG - Reception - {{date}}
{{time}}  {{p1.full}}  ({{o1}})  host: {{p2.full}}  badge V-{{qty}}
{{time2}}  {{p3.full}}  ({{o3}})  host: {{p2.full}}  badge V-{{qty2}}
""",
    # 40
    """
SHIP TO:
{{p1.full_upper}}
{{o1.upper}}
{{p1.block}}
Tel: {{p1.phone}}
REF: {{order}}  WEIGHT: {{qty}} kg
""",
    # 41
    """
{"check_id": "{{uuid}}", "document_type": "driver_license", "document_number": "{{u1.dl}}",
 "issuing_state": "{{u1.state_abbr}}", "name": "{{u1.full_upper}}", "dob": "{{u1.dob}}", "result": "clear"}
""",
    # 42
    """
Newsletter signups (export {{isodate}}):
{{p1.email}}
{{p2.email_upper}}
""",
    # 43
    """
Escalation contacts
Level 1   Service Desk          (portal only)
Level 2   {{p1.full}}           {{p1.mobile}}
Level 3   {{p2.full}}           {{p2.mobile}}
""",
    # 44
    """
$ curl https://api.{{o2.domain}}/v1/refunds -u {{sk}}: -d charge=ch_{{hexid}} -d amount={{qty}}00
{"id": "re_{{hexid}}", "status": "pending", "created": {{epoch}}}
""",
    # 45
    """
Guest Wi-Fi request
Guest: {{p1.full}} ({{o1}})
Sponsor: {{p2.full}}
Device MAC: {{mac}}
Valid: {{date}} {{time}} - {{time2}}
""",
    # 46
    """
BEGIN:VCARD
VERSION:3.0
N:{{p1.last}};{{p1.first}};;;
FN:{{p1.full}}
ORG:{{o1}}
TITLE:{{p1.job}}
TEL;TYPE=WORK,VOICE:{{p1.phone}}
TEL;TYPE=CELL:{{p1.mobile}}
ADR;TYPE=WORK:;;{{p1.street}};{{p1.city}};;{{p1.postcode}};
EMAIL:{{p1.work}}
END:VCARD
""",
    # 47
    """
Order {{order}} confirmed
Bill to: {{p1.full}}, {{p1.line}}
Ship to: {{p3.full}}, {{p3.line}}
Items: {{qty}} x {{product}} ({{sku}})
Total: {{amount}}
Paid with card ending {{cardend}}
""",
    # 48
    """
REFUND BATCH {{caseno}}
1) {{p1.full}} | {{amount}} | {{iban}}
2) {{p2.full}} | {{amount2}} | card ****{{cardend}}
""",
    # 49
    """
event=envelope.completed
signer_name={{p1.full}}
signer_email={{p1.email}}
signed_at={{iso}}
ip={{ip}}
document="Service Agreement - {{o1}}"
""",
    # 50
    """
Intake form
Name: {{p1.full}}
Mobile: {{p1.mobile}}
Emergency contact: {{p2.full}} ({{p2.mobile}})
Address:
{{p1.block}}
""",
    # 51
    """
Key          | Value
-------------+---------------------------------
Customer     | {{p1.full}}
Account      | {{cust}}
Plan         | {{plan}}
Renewal      | {{date}}
Seats        | {{qty}}
Last invoice | {{invoice}} ({{amount}})
""",
    """
order_id,sku,qty,unit_price,status,updated_at
{{order}},{{sku}},{{qty}},{{amount}},shipped,{{isodate}}
{{order2}},{{sku2}},{{qty2}},{{amount2}},backordered,{{isodate2}}
""",
    """
{"service":"ticket-router","version":"{{version}}","build":"{{build}}","uptime_s":{{epoch}},"queue_depth":{{qty}},\
"last_error":"{{err}}","trace_id":"{{hexid}}"}
""",
    """
Incident form
Category: Hardware
Asset: {{asset}}
Serial: {{serial}}
Symptom: no power
Error code: {{err}}
Opened: {{datetime}}
KB article: {{kb}}
""",
    """
Product feedback
Product: {{product}}
Rating: 4/5
Comment: the Victoria Sponge kit was missing the Rose Gold sprinkles, otherwise great
Order: {{order}}
""",
]

TRANSCRIPTS: list[str | tuple[str, str]] = [
    # 0
    """
Chat transcript {{uuid}}
[{{clk1}}] Bot: Hi! What can I help you with?
[{{clk2}}] Visitor: need to change delivery address for order {{order}}
[{{clk3}}] Bot: Connecting you to an agent...
[{{clk4}}] Agent: Hi, I'm {{p2.first}}. Could you confirm the name on the order?
[{{clk5}}] Visitor: {{p1.full}}
[{{clk6}}] Agent: Thanks. What's the new address?
[{{clk7}}] Visitor: {{p1.line}}
[{{clk8}}] Agent: Done - updated. Anything else?
""",
    # 1
    """
Call recording transcript - {{callid}} - {{datetime}}
AGENT: thank you for calling this is {{p2.first_lower}} how can i help
CALLER: hi yeah my name is {{p1.full_lower}} i'm calling about my internet it's been down since {{reldate}}
AGENT: sorry to hear that can i have the account holder's phone number
CALLER: it's {{p1.phone}}
AGENT: thank you and can you confirm the address
CALLER: {{p1.line}}
AGENT: ok i see an outage in your area ticket number is {{ticket}}
""",
    # 2
    """
{{p1.full}}  {{clk1}}
hey, is the VPN down for everyone?
{{p2.full}}  {{clk2}}
not for me. what's your IP?
{{p1.full}}  {{clk3}}
{{lan}} on wifi, error {{err}}
{{p2.full}}  {{clk4}}
try the other gateway, {{host}}
""",
    # 3
    """
Transcript (auto-generated) - call {{callid}}
Agent: ... and for security can you confirm your date of birth?
Customer: {{p1.dob}}
Agent: thanks {{p1.first}}. and the card you'd like to use for the payment of {{amount}}?
Customer: it's {{cc}}
Agent: and the name as it appears on the card?
Customer: {{p1.full_upper}}
Agent: payment approved, your reference is {{caseno}}.
""",
    # 4
    """
{{numdate}}, {{clk1}} - {{p1.full}}: hi is this {{o1}} support?
{{numdate}}, {{clk2}} - {{o1}}: Yes! How can we help?
{{numdate}}, {{clk3}} - {{p1.full}}: my order {{order}} hasnt arrived
{{numdate}}, {{clk4}} - {{o1}}: Sorry about that. Can you send your postcode and street?
{{numdate}}, {{clk5}} - {{p1.full}}: {{p1.postcode}}, {{p1.street}}
""",
    # 5
    """
[{{clk1}}] Customer: i cant log in
[{{clk2}}] Agent: I'm sorry to hear that. What's the e-mail on the account?
[{{clk3}}] Customer: {{p1.email}}
[{{clk4}}] Customer: pw is {{pw}} if that helps
[{{clk5}}] Agent: Please never share your password - I've sent a reset link to {{p1.email}}.
""",
    # 6
    """
IVR: Please say or enter your Social Security number.
Caller: {{u1.ssn}}
IVR: Thank you. Connecting you to an agent.
Agent {{p2.first}}: Hi, thanks for holding. Am I speaking with {{u1.full}}?
Caller: yes
Agent: I can see the claim from {{date}}. The check went to the address on file, {{u1.line}}.
""",
    # 7
    """
Agent: Can you open a command prompt and run ipconfig?
User: ok it says IPv4 Address {{lan}}
Agent: And your public IP? Open the link I sent.
User: {{ip}}
Agent: Thanks, I've whitelisted it on the firewall. Try again.
User: works now!! thanks {{p2.first}}
""",
    # 8
    """
#it-helpdesk
{{p1.first}} [{{clk1}}]: anyone know why the printer on the 2nd floor prints blank pages?
{{p2.first}} [{{clk2}}]: toner, probably. ask {{p3.first}} from facilities
{{p3.first}} [{{clk3}}]: on it, ordering {{qty}} x {{sku}}
""",
    # 9
    """
Call notes - {{datetime}}
Spoke with {{p1.full}} re ticket {{ticket}}. Customer wants a callback on {{p1.mobile}} after {{time}}. Confirmed
shipping address {{p1.line}}. Escalated to {{p2.full}}.
""",
    # 10
    """
Voicemail from {{p1.intl}} ({{datetime}}, 0:48):
"Hi, this is {{p1.first}} from {{o1}}, uh, we spoke {{reldate}} about the invoice {{invoice}}. Could you call me
back on {{p1.mobile}}? Thanks, bye."
""",
    # 11
    """
Agent: To complete the rental pickup I need your driver's license number.
Customer: {{u1.dl}}
Agent: Issued in {{u1.state}}?
Customer: yes
Agent: Great, {{u1.first}}, you're all set for pickup on {{date}} at {{time}}.
""",
    # 12
    """
[{{clk1}}] Agent: For the refund we need the IBAN of the account holder.
[{{clk2}}] Customer: {{iban}}
[{{clk3}}] Customer: the account is in my wife's name, {{p3.full}}
[{{clk4}}] Agent: No problem, the refund of {{amount}} goes out within 5 working days.
""",
    # 13
    """
Agent: Could you spell the e-mail address for me?
Caller: sure, it's {{p1.email}}
Agent: And a phone number in case we get disconnected?
Caller: {{p1.mobile}}
Agent: Thank you. I've logged this as {{ticket}}.
""",
    # 14
    """
{{p1.full}}   0:00
Okay, let's start. Can you share the ticket backlog?
{{p2.full}}   0:12
Sure. We have {{qty}} open tickets, the oldest is {{ticket}} from {{date}}.
{{p3.full}}   0:31
The {{o1}} escalation is the big one; their CFO called me directly.
""",
    # 15
    """
Bot: Hi, I'm the virtual assistant. Which device needs help?
User: my {{device}}
Bot: Please share the device's IP address or serial number.
User: serial {{serial}}, ip {{ipsix}}
Bot: Thanks! Firmware {{version}} is available for your device.
""",
    # 16
    """
Agent: For verification, what's your mother's maiden name?
Caller: {{p3.last}}
Agent: And the first line of your address?
Caller: {{p1.street}}
Agent: Thank you, Mr {{p1.last}}. How can I help?
Caller: the last bill was {{amount}}, that's way too high
""",
    # 17
    """
[{{clk1}}] dev_ops: our webhook calls fail with 401
[{{clk2}}] Support ({{p2.first}}): Which key are you using? Please only share the last 4 characters.
[{{clk3}}] dev_ops: oops here is the whole thing {{sk}}
[{{clk4}}] Support: Please roll that key immediately in the dashboard - it is now exposed.
""",
    # 18
    """
SMS thread with {{p1.mobile}}
> {{o1}}: Your technician {{p2.first}} will arrive between {{time}} and {{time2}}. Reply STOP to opt out.
< ok pls use the side entrance
< running late?
> {{o1}}: {{p2.first}} is 15 minutes away.
""",
    # 19
    """
[{{clk1}}] Agent: Welcome to {{o1}} billing, how can I help?
[{{clk2}}] Customer: why was i charged {{amount}} twice
[{{clk3}}] Agent: I can see two authorisations on the card ending {{cardend}}; one will drop off.
[{{clk4}}] Customer: ok. order was {{order}} btw
""",
    # 20
    """
Caller: Yes hello, my name is {{p1.full}}, I'm eighty-one and I don't understand computers.
Agent: No problem at all. Can I have your postcode?
Caller: It's {{p1.postcode}}.
Agent: And the house number and street?
Caller: {{p1.street}}
Agent: Lovely. I'll send an engineer, he's called {{p2.first}}.
""",
    # 21
    """
visitor: helo my name is {{p1.full_lower}}
visitor: i orderd the {{product}} but got wrong colour
agent: Hi! Sorry about that. Could you give me the order number?
visitor: {{order}}
agent: Thanks. I've arranged an exchange - you'll get a label at {{p1.email}}.
""",
    # 22
    """
Call summary (auto)
Caller: {{p1.full}} ({{o1}})
Topic: invoice {{invoice}} disputed
Outcome: {{p2.first}} to send a credit note by {{date}}
Callback number: {{p1.phone}}
""",
    # 23
    """
Internal chat
{{p2.first}}: can you take over the chat with {{p1.first}}? she's asking about the {{plan}} plan
{{p3.first}}: sure. what's the account?
{{p2.first}}: {{cust}}, she's on {{p1.work}}
""",
    # 24
    """
{{logts}} IVR call from {{p1.intl}} menu=2 (billing)
{{logts2}} IVR transfer to agent {{p2.full}} queue=billing wait={{qty}}s
{{logts3}} IVR call ended duration=00:06:41
""",
    # 25
    """
[{{clk1}}] {{p1.first}}: hi, does anyone know when the {{product}} will be back in stock?
[{{clk2}}] Moderator: Hi, restock is planned for {{date}}.
[{{clk3}}] {{p3.first}}: same question, pre-ordered with order {{order}}
""",
    # 26
    """
Agent: I'll need the delivery address, please.
Customer: It's {{p1.block}}
Agent: Thanks, and a contact number?
Customer: {{p1.mobile}}
""",
    # 27
    """
Reservation call - {{datetime}}
Agent: Under what name should I book the room?
Guest: {{p1.full}}
Agent: And the card to guarantee the booking?
Guest: {{cc}}
Agent: Thank you. Confirmation number {{order}}, arrival {{date}}, departure {{date2}}.
""",
    # 28
    """
[{{clk1}}] Customer: our server at {{ip}} can't reach your SFTP anymore
[{{clk2}}] Agent: We rotated host keys. Which user are you connecting with?
[{{clk3}}] Customer: sftp_{{qty}} with password {{pw}}
[{{clk4}}] Agent: Please don't post passwords in chat. I've forced a reset.
""",
    # 29
    """
Agent: Thanks for calling the clinic. Can I take your full name and date of birth?
Patient: {{p1.full}}, {{p1.dob}}
Agent: Thanks. I have an appointment on {{date}} at {{time}} with {{p2.full}}. Does that suit?
Patient: yes, and can you text the reminder to {{p1.mobile}}?
""",
    # 30
    """
Caller: hi I'm calling about order {{order}}, the tracking {{tracking}} hasn't updated.
Agent: Let me check... it's at the depot in {{city}}. Can I confirm your phone number?
Caller: {{p1.phone}}
Agent: Thanks. It'll go out for delivery with reference {{caseno}}.
""",
    # 31
    """
[{{clk1}}] Customer: hi, it's {{p1.first}} again
[{{clk2}}] Agent: Hi {{p1.first}}, welcome back! Is this about ticket {{ticket}}?
[{{clk3}}] Customer: yes. still error {{err}} on version {{version}}
""",
    # 32
    """
agent_417 ({{iso}}): Hello, you're chatting with {{o1}} support.
customer ({{iso2}}): hi, i need to update the email on my account to {{p1.email}}
agent_417 ({{iso3}}): Sure. Can you confirm the phone number on file?
customer ({{iso4}}): {{p1.phone}}
""",
    # 33
    """
Voicemail transcription: "Hello, this is {{p1.full}}, that's {{p1.last_upper}}, calling about my pension statement.
My number is {{p1.phone}}. Thank you."
""",
    # 34
    """
Agent: For security, can you confirm the last four digits of your Social Security number?
Caller: {{cardend}}
Agent: And your date of birth?
Caller: {{u1.dob}}
Agent: Thank you, {{u1.first}}. Your balance is {{amount}}.
""",
    # 35
    """
Call with {{p1.full}} (ext. user, {{o1}}):
- room {{room}} projector not working since {{reldate}}
- {{p1.first}} tried another HDMI cable, no change
- dispatched {{p2.first}} from facilities
""",
    # 36
    """
Handover note ({{time}}):
Chat with {{p1.full}} still open - waiting for proof of purchase for {{serial}}.
Customer prefers contact via {{p1.email}}, not phone. Next agent: {{p3.first}}.
""",
    # 37
    """
[{{clk1}}] Customer: Hello, I'd like to cancel my {{plan}} subscription
[{{clk2}}] Agent: I'm sorry to hear that! May I ask why?
[{{clk3}}] Customer: too expensive since the price went up to {{amount}}
[{{clk4}}] Agent: I can offer {{pct}} off for 3 months. Shall I apply it to account {{cust}}?
[{{clk5}}] Customer: ok fine
""",
    # 38
    """
Call transcript
Agent ({{p2.first}}): Service desk, {{p2.first}} speaking.
Caller: Hi {{p2.first}}, it's {{p1.full}} from accounts. My laptop {{asset}} won't boot, it just shows {{err}}.
Agent: OK, I'll get a loaner ready. You're in building {{room}}?
Caller: Yes. My mobile is {{p1.mobile}}.
""",
    """
User: how do i reset the router
Bot: Hold the reset button for 10 seconds. Which model do you have?
User: {{device}}
Bot: For firmware {{version}} see article {{kb}}.
User: thx
""",
    """
[{{clk1}}] Customer: where is my parcel, tracking {{tracking}}
[{{clk2}}] Agent: It is in transit, expected on {{date}}. Order {{order}} has {{qty}} items.
[{{clk3}}] Customer: ok ty
""",
    """
Call summary: customer reported error {{err}} after updating to {{version}}. Workaround from {{kb}} applied,
resolved in {{dur}}. Case {{caseno}} closed.
""",
]

SHORT_MESSY: list[str | tuple[str, str]] = [
    "{{p1.full_lower}} here cant login again pls call {{p1.mobile}}",
    "{{p1.email}} - reset my pw to {{pw}} thx",
    "plz send the refund to {{iban}}",
    "hi its {{p1.first_lower}} from {{o1}}, printer jammed again lol",
    "{{p1.mobile}} call me back asap re order {{order}}",
    "order {{order}} still not here!!! {{p1.full}}",
    "my new adress is {{p1.line}} pls update",
    "ssn {{u1.ssn}} dob {{u1.dob}} need my tax form",
    "card {{cc}} charged twice wtf",
    "ip {{ip}} blocked again?? ticket {{ticket}}",
    "version {{version}} crashes on startup, build {{build}}, err {{err}}",
    "tell {{p2.first}} i called. {{p1.first}}",
    "{{p1.full_upper}} ACCOUNT LOCKED",
    "need invoice {{invoice}} resent to {{p1.work}}",
    "license {{u1.dl}} expired can i still rent",
    "fw: {{p1.full}} called about the {{product}}, wants callback",
    "rose gold one pls not the midnight one. order {{order}}",
    "{{p1.first}} said the {{city}} office is closed {{reldate}}",
    "delivery for {{p1.full}} at {{p1.street}} left at door",
    "key leaked {{akia}} rotate asap",
    "pls update phone to {{p1.phone}} (old one {{p1.mobile}})",
    "qty {{qty}} sku {{sku}} amt {{amount}} inv {{invoice}}",
    "can u ship to my work instead: {{o1}}, {{o1.line}}",
    "name {{p1.full_lower}} email {{p1.email}} tel {{p1.phone}}",
    "thx {{p2.first}}!! {{p1.first}} :)",
    "tracking {{tracking}} says delivered but nothing here",
    "urgent!! {{p1.full}} ({{o1}}) cannot access {{software}} since {{reldate}}",
    "my ssn is {{ssn}}, do u need anything else",
    "call {{p1.first}} on {{p1.mobile}} asap",
    "{{p1.email}} unsubscribe",
    "card ending {{cardend}} declined, order {{order}}, pls advise",
    "moving to {{country}}, pls close my account {{cust}}",
    "re: {{ticket}} - spoke w/ {{p2.full}}, she said refund of {{amount}} approved",
    "{{p1.last}} / {{o1}} / {{p1.phone}}",
    "rma {{caseno}} pickup at {{p1.line}} around {{time}}",
    "Hi, the Summer Sale code didnt work on {{product}}, order {{order}}",
    "my iban changed: {{iban}} - {{p1.full_lower}}",
    "server {{lan}} down again, kb {{kb}} didnt help",
    "laptop {{asset}} for {{p1.first_lower}} needs reimage, shes at {{p1.ext}}",
    "Outlook {{version}} keeps crashing since the update, err {{err}}",
    "pls cancel order {{order}} - wrong colour (Forest Green not Midnight)",
    "invoice {{invoice}} amount {{amount}} due {{date}}, PO {{order}}",
]


if __name__ == "__main__":
    main()
