"""Generate the helpdesk-ticket PII corpus: a fourth, blind evaluation set for the PII-redaction stage.

Why it exists: the other PII sets are short, plain sentences, and the redaction code was developed while looking at
them. Real traffic on the ticket stream looks different: e-mails with greetings, signature blocks, quoted reply
chains and forwarded headers; chat and messenger transcripts; terse agent call notes; web-form, CSV, JSON, log and
Jira/ServiceNow/Zendesk field dumps; postal addresses written the way each country writes them; cards and IBANs pasted
into billing requests; typos, non-native English, all-lowercase and ALL-CAPS text. This set measures how well the
redaction generalises to such text, which its authors never saw.

How it was written (blind): the 262 templates below were written by hand, one by one (none are produced by
combining fragments). Their author did not open, grep or run anything under processors/, tests/, streams/ or docs/,
nor any benchmarks/pii_*.py script, benchmarks/data/*.json or benchmarks/results/; did not run the PII stage or any
eval script on this data; and tuned nothing to detector output. Only records with an even template_id in the shared
presidio-research style set (generated_large.json) were looked at, to copy the record format and slot style.
Phone numbers, cards, IBANs, SSNs, addresses etc. are built from per-country numbering plans and formats written
from general knowledge, not checked against any detection library.

Split rule: template_id even = development split, odd = held-out split. Developers may read only the even texts and
compute scores only on the odd ones; a template's texts never cross splits, and every genre has templates in both.

Labels. Sensitive: PERSON (first, last or full names; titles such as Mr./Dr. and a possessive 's are outside the
span), PHONE_NUMBER (an attached extension is part of the span), STREET_ADDRESS (a street line; a full postal address
block, postcode and city included, is one span; a country printed on a separate line after the block is a LOCATION),
EMAIL_ADDRESS, CREDIT_CARD (Luhn-valid, usual groupings), IBAN_CODE (valid mod-97 checksum, grouped or not), US_SSN,
IP_ADDRESS (v4 and v6), US_DRIVER_LICENSE (made-up state-like formats, always after a licence word). Non-sensitive
but labelled, so that redacting them is not counted as a false positive: LOCATION (city, country, state),
ORGANIZATION (company, carrier, bank), DATE_TIME (dates and date-times written for people, e.g. in prose or mail
headers). Distractors get no span: order, ticket, invoice and tracking numbers, amounts, versions and builds, machine
timestamps (log and ISO times, chat clock times), error codes, SKUs, rooms, counts, card last-4 digits, MAC
addresses, job titles and product names. About 10% of templates contain no sensitive value at all (for precision);
no template has more than 4 sensitive spans.

Record format (a JSON list, one record per text):
    {"full_text": str, "masked": str, "spans": [{"entity_type": str, "entity_value": str, "start_position": int,
     "end_position": int}], "template_id": int, "metadata": {"locale": str}}
"masked" is the template with its placeholders left in place: {{slot}} is a fresh value, {{slot@tag}} shares one
person (or one value) with every other slot carrying the same tag (a tag starting with f / m fixes the person's
gender, one starting with x gives them their own employer), {{slot|lower}} / {{slot|upper}} changes the case of the
value. Spans are sorted by start, never overlap, and full_text[start:end] == entity_value. template_ids are 0..N-1
in the order of the TEMPLATES list (genres are interleaved across the two splits; a few neighbours were swapped so
that the rarer labels are split about evenly). The locale (Faker locale name) is picked per text: ~38 Latin-script
locales, plus el_GR / ru_RU / uk_UA for about 5% of texts, only on postal-address and signature templates.

Regenerate from the repository root (deterministic for a given seed and Faker version, 40.63.0 here; --out defaults
to benchmarks/data/pii_helpdesk_corpus.json):
    .venv/bin/python benchmarks/pii_helpdesk_corpus.py --per-template 8 --seed 41
"""

from __future__ import annotations

import argparse
import json
import random
import re
import string
import textwrap
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from faker import Faker
from faker.decode import unidecode

SENSITIVE = (
    "PERSON",
    "PHONE_NUMBER",
    "STREET_ADDRESS",
    "EMAIL_ADDRESS",
    "CREDIT_CARD",
    "IBAN_CODE",
    "US_SSN",
    "IP_ADDRESS",
    "US_DRIVER_LICENSE",
)
MAX_SENSITIVE_SLOTS = 4
WORLD_SHARE = 0.05  # share of all texts rendered with a non-Latin locale (postal and signature templates only)

# ---------------------------------------------------------------------------------------------------------------
# Countries. Everything a text needs to look local: phones (national formats with the trunk prefix), cities with
# region and postcode pattern, e-mail domains, currency, date order. Digits in patterns: '#' = 0-9, 'N' = 2-9.
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class City:
    local: str
    english: str
    region: str
    postcode: str  # '#' digit, '?' letter, '*' either, else literal; "" = Faker's postcode for the locale


@dataclass(frozen=True)
class Country:
    cc: str
    name: str
    tld: str
    mail: tuple[str, ...]
    calling: str
    trunk: str
    land: tuple[str, ...]
    mobile: tuple[str, ...]
    cities: tuple[City, ...]
    iban: str | None
    dates: str  # numeric date style: mdy, dmy, dmy., dmy-, ymd, ymd.
    money: str  # e.g. "€{}" or "{} zł"
    decimal: str  # "." or ","
    legal: tuple[str, ...]
    mobile_intl: tuple[str, ...] = ()


def _cities(spec: str) -> tuple[City, ...]:
    """Parse 'local|english|region|postcode; ...' (english defaults to local)."""
    out = []
    for item in spec.split(";"):
        local, english, region, postcode = (part.strip() for part in item.split("|"))
        out.append(City(local, english or local, region, postcode))
    return tuple(out)


COUNTRIES: dict[str, Country] = {
    "US": Country(
        "US", "United States", "com", ("gmail.com", "yahoo.com", "outlook.com", "aol.com", "comcast.net", "icloud.com"),
        "1", "",
        ("(212) N##-####", "(415) N##-####", "312-N##-####", "617.N##.####", "(206) N##-####", "512-N##-####",
         "(303) N##-####", "404-N##-####", "(718) N##-####", "919-N##-####", "(702) N##-####", "614.N##.####"),
        ("(646) N##-####", "(310) N##-####", "773-N##-####", "(347) N##-####", "(469) N##-####", "786-N##-####",
         "(929) N##-####", "720-N##-####"),
        _cities(
            "New York||NY|; Brooklyn||NY|; Los Angeles||CA|; San Francisco||CA|; San Diego||CA|; Chicago||IL|;"
            "Houston||TX|; Austin||TX|; Dallas||TX|; Phoenix||AZ|; Philadelphia||PA|; Pittsburgh||PA|; Seattle||WA|;"
            "Portland||OR|; Denver||CO|; Boston||MA|; Atlanta||GA|; Miami||FL|; Orlando||FL|; Minneapolis||MN|;"
            "Columbus||OH|; Charlotte||NC|; Raleigh||NC|; Nashville||TN|; Salt Lake City||UT|; Kansas City||MO|;"
            "Detroit||MI|; Baltimore||MD|; Madison||WI|; Albuquerque||NM|; Boise||ID|; Richmond||VA|; Omaha||NE|"
        ),
        None, "mdy", "${}", ".", ("Inc.", "LLC", "Corp.", "Co."),
    ),
    "GB": Country(
        "GB", "United Kingdom", "co.uk", ("gmail.com", "hotmail.co.uk", "btinternet.com", "yahoo.co.uk", "sky.com"),
        "44", "0",
        ("020 7N## ####", "020 8N## ####", "020 3N## ####", "0161 N## ####", "0113 N## ####", "0131 N## ####",
         "0141 N## ####", "0117 N## ####", "029 20## ####", "0114 N## ####", "01223 N#####", "01865 N#####"),
        ("07700 9#####", "07712 ######", "07825 ######", "07931 ######", "07456 ######", "07588 ######",
         "07984 ######", "07403 ######", "07766 ######"),
        _cities(
            "London||England|; Manchester||England|; Birmingham||England|; Leeds||England|; Glasgow||Scotland|;"
            "Edinburgh||Scotland|; Bristol||England|; Cardiff||Wales|; Liverpool||England|; Sheffield||England|;"
            "Nottingham||England|; Leicester||England|; Newcastle upon Tyne||England|; Brighton||England|;"
            "Reading||England|; Belfast||Northern Ireland|; Aberdeen||Scotland|; York||England|; Oxford||England|;"
            "Cambridge||England|; Swansea||Wales|"
        ),
        "GB", "dmy", "£{}", ".", ("Ltd", "Limited", "plc", "LLP"),
    ),
    "IE": Country(
        "IE", "Ireland", "ie", ("gmail.com", "eircom.net", "hotmail.com", "outlook.ie", "yahoo.ie"),
        "353", "0",
        ("01 N## ####", "021 4## ####", "091 5#####", "061 N#####", "051 N#####"),
        ("083 ### ####", "085 ### ####", "086 ### ####", "087 ### ####", "089 ### ####"),
        _cities(
            "Dublin 2||Dublin|D02 ****; Dublin 8||Dublin|D08 ****; Dublin 6W||Dublin|D6W ****; Cork||Cork|T12 ****;"
            "Galway||Galway|H91 ****; Limerick||Limerick|V94 ****; Waterford||Waterford|X91 ****;"
            "Kilkenny||Kilkenny|R95 ****; Sligo||Sligo|F91 ****; Athlone||Westmeath|N37 ****;"
            "Drogheda||Louth|A92 ****; Bray||Wicklow|A98 ****"
        ),
        "IE", "dmy", "€{}", ".", ("Ltd", "Limited", "DAC", "Teoranta"),
    ),
    "AU": Country(
        "AU", "Australia", "com.au", ("gmail.com", "bigpond.com", "outlook.com.au", "optusnet.com.au", "icloud.com"),
        "61", "0",
        ("(02) 9N## ####", "(03) 9N## ####", "(07) 3N## ####", "(08) 9N## ####", "(08) 8N## ####", "(02) 6N## ####"),
        ("0412 ### ###", "0423 ### ###", "0438 ### ###", "0455 ### ###", "0401 ### ###", "0468 ### ###"),
        _cities(
            "Sydney||NSW|2000; Surry Hills||NSW|2010; Parramatta||NSW|2150; Newcastle||NSW|2300; Melbourne||VIC|3000;"
            "Fitzroy||VIC|3065; Geelong||VIC|3220; Brisbane||QLD|4000; Toowoomba||QLD|4350; Perth||WA|6000;"
            "Fremantle||WA|6160; Adelaide||SA|5000; Hobart||TAS|7000; Canberra||ACT|2600; Darwin||NT|0800"
        ),
        None, "dmy", "${}", ".", ("Pty Ltd", "Pty. Ltd.", "Ltd"),
    ),
    "NZ": Country(
        "NZ", "New Zealand", "co.nz", ("gmail.com", "xtra.co.nz", "outlook.co.nz", "hotmail.com"),
        "64", "0",
        ("(09) 3N# ####", "(04) 4N# ####", "(03) 3N# ####", "(07) 8N# ####", "(06) 3N# ####"),
        ("021 ### ####", "022 ### ####", "027 ### ####", "021 ### ###", "027 ### ###"),
        _cities(
            "Auckland|Auckland|Ponsonby|1011; Auckland|Auckland|Mount Eden|1024; Wellington|Wellington|Te Aro|6011;"
            "Christchurch|Christchurch|Riccarton|8011; Hamilton|Hamilton|Hillcrest|3216; Tauranga|Tauranga|"
            "Mount Maunganui|3116; Dunedin|Dunedin|North East Valley|9010; Palmerston North|Palmerston North|"
            "Hokowhitu|4410; Napier|Napier|Ahuriri|4110; Nelson|Nelson|Stoke|7011"
        ),
        None, "dmy", "${}", ".", ("Ltd", "Limited"),
    ),
    "CA": Country(
        "CA", "Canada", "ca", ("gmail.com", "rogers.com", "shaw.ca", "videotron.ca", "outlook.com", "bell.net"),
        "1", "",
        ("(416) N##-####", "(514) N##-####", "604-N##-####", "(403) N##-####", "780-N##-####", "(613) N##-####",
         "(204) N##-####", "902-N##-####"),
        ("(647) N##-####", "(438) N##-####", "778-N##-####", "(587) N##-####", "(437) N##-####"),
        _cities(
            "Toronto||ON|; Ottawa||ON|; Hamilton||ON|; Montréal|Montreal|QC|; Québec|Quebec City|QC|;"
            "Vancouver||BC|; Victoria||BC|; Calgary||AB|; Edmonton||AB|; Winnipeg||MB|; Halifax||NS|;"
            "Saskatoon||SK|"
        ),
        None, "ymd", "${}", ".", ("Inc.", "Ltd.", "Corp."),
    ),
    "IN": Country(
        "IN", "India", "co.in", ("gmail.com", "rediffmail.com", "yahoo.co.in", "outlook.com"),
        "91", "0",
        ("080 2N## ####", "022 2N## ####", "011 2N## ####", "044 2N## ####", "040 2N## ####", "020 2N## ####"),
        ("98### #####", "97### #####", "99### #####", "96### #####", "88### #####", "70### #####", "63### #####",
         "98########", "91### #####"),
        _cities(
            "Mumbai|Mumbai|Maharashtra|400###; Pune|Pune|Maharashtra|411###; Bengaluru|Bangalore|Karnataka|560###;"
            "Chennai|Chennai|Tamil Nadu|600###; Hyderabad|Hyderabad|Telangana|500###; Kolkata|Kolkata|West Bengal|"
            "700###; New Delhi|New Delhi|Delhi|110###; Ahmedabad|Ahmedabad|Gujarat|380###; Jaipur|Jaipur|"
            "Rajasthan|302###; Kochi|Kochi|Kerala|682###; Lucknow|Lucknow|Uttar Pradesh|226###"
        ),
        None, "dmy", "₹{}", ".", ("Pvt Ltd", "Private Limited", "LLP"),
    ),
    "PH": Country(
        "PH", "the Philippines", "com.ph", ("gmail.com", "yahoo.com", "yahoo.com.ph"),
        "63", "0",
        ("(02) 8N## ####", "(032) 2N# ####", "(082) 2N# ####"),
        ("0917 ### ####", "0918 ### ####", "0928 ### ####", "0945 ### ####", "0995 ### ####", "0917-###-####"),
        _cities(
            "Makati City|Makati|Metro Manila|12##; Quezon City||Metro Manila|11##; Pasig City|Pasig|"
            "Metro Manila|16##; Taguig City|Taguig|Metro Manila|16##; Mandaluyong City|Mandaluyong|Metro Manila|"
            "15##; Cebu City||Cebu|6000; Davao City||Davao del Sur|8000; Iloilo City||Iloilo|5000"
        ),
        None, "mdy", "₱{}", ".", ("Inc.", "Corporation", "Corp."),
    ),
    "NG": Country(
        "NG", "Nigeria", "com.ng", ("gmail.com", "yahoo.com", "outlook.com"),
        "234", "0",
        ("01 N## ####", "09 N## ####"),
        ("0803 ### ####", "0805 ### ####", "0806 ### ####", "0813 ### ####", "0703 ### ####", "0816 ### ####",
         "0909 ### ####", "08031234###"),
        _cities(
            "Ikeja||Lagos|100###; Lekki||Lagos|105###; Victoria Island||Lagos|101###; Yaba||Lagos|101###;"
            "Abuja|Abuja|FCT|900###; Ibadan||Oyo|200###; Port Harcourt||Rivers|500###; Enugu||Enugu|400###;"
            "Kano||Kano|700###; Benin City||Edo|300###"
        ),
        None, "dmy", "₦{}", ".", ("Ltd", "Limited", "Nig. Ltd"),
    ),
    "DE": Country(
        "DE", "Germany", "de", ("gmx.de", "web.de", "t-online.de", "gmail.com", "posteo.de", "outlook.de"),
        "49", "0",
        ("030 N#######", "030 / N## ## ##", "(030) N######", "089 N#######", "089 / N### ####", "040 N######",
         "0221 N######", "069 N#######", "0711 N######", "0211 N#####", "0341 N######", "0351 N#######"),
        ("0151 ########", "0160 #######", "0170 #######", "0171 #######", "0172 #######", "0176 ########",
         "0157 ########", "0162 #######", "0152 ########", "0175 #######"),
        _cities(
            "Berlin|||10###; Hamburg|||20###; München|Munich||80###; Köln|Cologne||50###; Frankfurt am Main|"
            "Frankfurt||60###; Stuttgart|||70###; Düsseldorf|Dusseldorf||40###; Leipzig|||04###; Dresden|||01###;"
            "Hannover|Hanover||30###; Nürnberg|Nuremberg||90###; Bremen|||28###; Essen|||45###; Freiburg im Breisgau|"
            "Freiburg||79###; Münster|Munster||48###; Mainz|||55###; Bonn|||53###; Augsburg|||86###"
        ),
        "DE", "dmy.", "{} €", ",", ("GmbH", "GmbH & Co. KG", "AG", "e.K.", "UG (haftungsbeschränkt)"),
    ),
    "AT": Country(
        "AT", "Austria", "at", ("gmx.at", "aon.at", "gmail.com", "chello.at", "a1.net"),
        "43", "0",
        ("01 N## ## ##", "01 N######", "0316 N#####", "0732 N#####", "0662 N#####", "0512 N#####"),
        ("0664 #######", "0676 #######", "0650 #######", "0699 ########", "0660 #######", "0664 ### ####"),
        _cities(
            "Wien|Vienna||1###; Graz|||80##; Linz|||40##; Salzburg|||50##; Innsbruck|||60##; Klagenfurt|||90##;"
            "Villach|||95##; Wels|||46##; St. Pölten|St. Polten||31##; Dornbirn|||6850"
        ),
        "AT", "dmy.", "€ {}", ",", ("GmbH", "AG", "KG", "OG", "e.U."),
    ),
    "CH": Country(
        "CH", "Switzerland", "ch", ("bluewin.ch", "gmail.com", "gmx.ch", "hispeed.ch", "sunrise.ch"),
        "41", "0",
        ("044 N## ## ##", "043 N## ## ##", "022 N## ## ##", "031 N## ## ##", "061 N## ## ##", "021 N## ## ##"),
        ("079 ### ## ##", "078 ### ## ##", "076 ### ## ##", "077 ### ## ##"),
        _cities(
            "Zürich|Zurich||80##; Genève|Geneva||12##; Basel|||40##; Bern|||30##; Lausanne|||10##; Luzern|Lucerne||"
            "60##; St. Gallen|||90##; Winterthur|||84##; Lugano|||69##; Biel/Bienne|Biel||25##"
        ),
        "CH", "dmy.", "CHF {}", ".", ("AG", "GmbH", "SA", "Sàrl"),
    ),
    "FR": Country(
        "FR", "France", "fr", ("orange.fr", "free.fr", "laposte.net", "sfr.fr", "gmail.com", "wanadoo.fr"),
        "33", "0",
        ("01 ## ## ## ##", "02 ## ## ## ##", "03 ## ## ## ##", "04 ## ## ## ##", "05 ## ## ## ##",
         "01.##.##.##.##", "04.##.##.##.##"),
        ("06 ## ## ## ##", "07 8# ## ## ##", "06.##.##.##.##", "06########", "07 6# ## ## ##"),
        _cities(
            "Paris|||750##; Marseille|||130##; Lyon|||6900#; Toulouse|||310##; Nice|||060##; Nantes|||440##;"
            "Strasbourg|||670##; Montpellier|||340##; Bordeaux|||330##; Lille|||590##; Rennes|||350##;"
            "Reims|||51100; Grenoble|||380##; Dijon|||21000; Angers|||49000; Clermont-Ferrand|||63000"
        ),
        "FR", "dmy", "{} €", ",", ("SAS", "SARL", "SA", "EURL"),
    ),
    "BE": Country(
        "BE", "Belgium", "be", ("skynet.be", "telenet.be", "proximus.be", "gmail.com", "hotmail.be"),
        "32", "0",
        ("02 N## ## ##", "03 N## ## ##", "09 N## ## ##", "04 N## ## ##", "010 ## ## ##"),
        ("0470 ## ## ##", "0475 ## ## ##", "0486 ## ## ##", "0495 ## ## ##", "0498 ## ## ##", "0478/##.##.##"),
        _cities(
            "Bruxelles|Brussels||1000; Liège|Liege||4000; Namur|||5000; Charleroi|||6000; Mons|||7000;"
            "Louvain-la-Neuve|||1348; Wavre|||1300; Tournai|||7500"
        ),
        "BE", "dmy", "€ {}", ",", ("SA", "SRL", "SPRL", "SC"),
    ),
    "NL": Country(
        "NL", "the Netherlands", "nl", ("ziggo.nl", "kpnmail.nl", "hotmail.nl", "gmail.com", "xs4all.nl", "live.nl"),
        "31", "0",
        ("020 N## ####", "010 N## ####", "030 N## ####", "070 N## ####", "040 N## ####", "050 N## ####",
         "020-N######"),
        ("06 1#######", "06-2#######", "06 3# ## ## ##", "06 4#######", "06-5#######", "06 2#######"),
        _cities(
            "Amsterdam|||10## ??; Rotterdam|||30## ??; Den Haag|The Hague||25## ??; Utrecht|||35## ??;"
            "Eindhoven|||56## ??; Groningen|||97## ??; Tilburg|||50## ??; Breda|||48## ??; Nijmegen|||65## ??;"
            "Haarlem|||20## ??; Arnhem|||68## ??; Zwolle|||80## ??; Leiden|||23## ??; Maastricht|||62## ??;"
            "Delft|||26## ??"
        ),
        "NL", "dmy-", "€ {}", ",", ("B.V.", "BV", "N.V.", "V.O.F."),
    ),
    "BE_NL": Country(
        "BE", "Belgium", "be", ("telenet.be", "skynet.be", "proximus.be", "gmail.com", "hotmail.com"),
        "32", "0",
        ("03 N## ## ##", "09 N## ## ##", "016 ## ## ##", "050 ## ## ##", "011 ## ## ##"),
        ("0472 ## ## ##", "0476 ## ## ##", "0485 ## ## ##", "0494 ## ## ##", "0499/## ## ##"),
        _cities(
            "Brussel|Brussels||1000; Antwerpen|Antwerp||2000; Gent|Ghent||9000; Brugge|Bruges||8000;"
            "Leuven|||3000; Mechelen|||2800; Hasselt|||3500; Kortrijk|||8500; Aalst|||9300"
        ),
        "BE", "dmy", "€ {}", ",", ("BV", "NV", "CommV", "VOF"),
    ),
    "IT": Country(
        "IT", "Italy", "it", ("libero.it", "virgilio.it", "tiscali.it", "gmail.com", "alice.it", "hotmail.it"),
        "39", "",
        ("06 N### ####", "02 N### ####", "011 ### ####", "055 ### ####", "081 ### ####", "051 ### ####",
         "06 N#######"),
        ("320 ### ####", "328 ### ####", "333 ### ####", "335 ### ####", "338 ### ####", "340 ### ####",
         "347 ### ####", "349 #######", "366 ### ####", "392 ### ####"),
        _cities(
            "Roma|Rome|RM|001##; Milano|Milan|MI|201##; Napoli|Naples|NA|801##; Torino|Turin|TO|101##;"
            "Palermo||PA|901##; Genova|Genoa|GE|161##; Bologna||BO|401##; Firenze|Florence|FI|501##;"
            "Bari||BA|701##; Catania||CT|951##; Venezia|Venice|VE|301##; Verona||VR|371##; Padova|Padua|PD|351##;"
            "Trieste||TS|341##; Brescia||BS|251##"
        ),
        "IT", "dmy", "€ {}", ",", ("S.r.l.", "S.p.A.", "S.n.c.", "S.a.s."),
    ),
    "ES": Country(
        "ES", "Spain", "es", ("gmail.com", "hotmail.es", "yahoo.es", "telefonica.net", "outlook.es"),
        "34", "",
        ("91N ## ## ##", "93N ## ## ##", "96N ## ## ##", "95N ## ## ##", "94N ## ## ##", "91N######"),
        ("6## ## ## ##", "6## ### ###", "71# ### ###", "6########", "72# ## ## ##"),
        _cities(
            "Madrid||Madrid|280##; Barcelona||Barcelona|080##; Valencia||Valencia|460##; Sevilla|Seville|Sevilla|"
            "410##; Zaragoza||Zaragoza|500##; Málaga|Malaga|Málaga|290##; Murcia||Murcia|300##; Palma|Palma|"
            "Illes Balears|070##; Bilbao||Bizkaia|480##; Alicante||Alicante|030##; Valladolid||Valladolid|470##;"
            "Vigo||Pontevedra|362##; Granada||Granada|180##; A Coruña|A Coruna|A Coruña|150##;"
            "Getafe||Madrid|289##"
        ),
        "ES", "dmy", "{} €", ",", ("S.L.", "S.A.", "S.L.U."),
    ),
    "MX": Country(
        "MX", "Mexico", "com.mx", ("gmail.com", "hotmail.com", "prodigy.net.mx", "yahoo.com.mx", "outlook.com"),
        "52", "",
        ("55 N### ####", "(55) N###-####", "33 N### ####", "81 N### ####", "222 N## ####", "(442) N## ####"),
        ("55 N### ####", "55-N###-####", "33 N### ####", "81 N###-####", "998 N## ####"),
        _cities(
            "Ciudad de México|Mexico City|CDMX|06###; Guadalajara||Jal.|44###; Zapopan||Jal.|45###;"
            "Monterrey||N.L.|64###; Puebla||Pue.|72###; Tijuana||B.C.|22###; León|Leon|Gto.|37###;"
            "Querétaro|Queretaro|Qro.|76###; Mérida|Merida|Yuc.|97###; Cancún|Cancun|Q.R.|77###"
        ),
        None, "dmy", "${} MXN", ".", ("S.A. de C.V.", "S. de R.L. de C.V.", "S.A.P.I. de C.V."),
        ("+52 1 55 N### ####", "+52 55 N### ####", "+52 33 N### ####", "+52 1 81 N### ####"),
    ),
    "AR": Country(
        "AR", "Argentina", "com.ar", ("gmail.com", "hotmail.com.ar", "yahoo.com.ar", "fibertel.com.ar"),
        "54", "0",
        ("011 4###-####", "011 5###-####", "0351 4##-####", "0341 4##-####", "0261 4##-####"),
        ("011 15-N###-####", "011 15 N### ####", "15-N###-####", "0351 15-5##-####"),
        _cities(
            "CABA|Buenos Aires|Ciudad Autónoma de Buenos Aires|C1###???; Córdoba|Cordoba|Córdoba|X5000;"
            "Rosario||Santa Fe|S2000; Mendoza||Mendoza|M5500; La Plata||Buenos Aires|B1900;"
            "Mar del Plata||Buenos Aires|B7600; San Miguel de Tucumán|Tucuman|Tucumán|T4000; Salta||Salta|A4400;"
            "Neuquén|Neuquen|Neuquén|Q8300"
        ),
        None, "dmy", "${}", ",", ("S.A.", "S.R.L.", "S.A.S."),
        ("+54 9 11 N###-####", "+54 9 11 N### ####", "+54 9 351 5##-####", "+5491155######"),
    ),
    "CO": Country(
        "CO", "Colombia", "com.co", ("gmail.com", "hotmail.com", "une.net.co", "yahoo.com", "outlook.com"),
        "57", "",
        ("(601) N## ####", "(604) N## ####", "(602) N## ####", "601 N######"),
        ("300 ### ####", "310 ### ####", "311 ### ####", "313 ### ####", "315 ### ####", "317 ### ####",
         "320 ### ####", "321#######"),
        _cities(
            "Bogotá|Bogota|Bogotá D.C.|1100##; Medellín|Medellin|Antioquia|0500##; Cali||Valle del Cauca|7600##;"
            "Barranquilla||Atlántico|0800##; Cartagena||Bolívar|1300##; Bucaramanga||Santander|6800##;"
            "Pereira||Risaralda|6600##; Manizales||Caldas|1700##"
        ),
        None, "dmy", "${}", ",", ("S.A.S.", "S.A.", "Ltda."),
    ),
    "PT": Country(
        "PT", "Portugal", "pt", ("sapo.pt", "gmail.com", "clix.pt", "hotmail.com", "netcabo.pt"),
        "351", "",
        ("21# ### ###", "22# ### ###", "239 ### ###", "289 ### ###", "253 ### ###"),
        ("91# ### ###", "92# ### ###", "93# ### ###", "96# ### ###", "912######"),
        _cities(
            "Lisboa|Lisbon||1###-###; Porto|||4###-###; Braga|||47##-###; Coimbra|||30##-###; Faro|||80##-###;"
            "Aveiro|||38##-###; Setúbal|Setubal||29##-###; Funchal|||90##-###; Viseu|||35##-###; Évora|Evora||70##-###"
        ),
        "PT", "dmy", "{} €", ",", ("Lda.", "S.A.", "Unipessoal Lda."),
    ),
    "BR": Country(
        "BR", "Brazil", "com.br", ("gmail.com", "uol.com.br", "bol.com.br", "terra.com.br", "hotmail.com"),
        "55", "0",
        ("(11) 3###-####", "(21) 2###-####", "(31) 3###-####", "(41) 3###-####", "(51) 3###-####"),
        ("(11) 9####-####", "(21) 9####-####", "(31) 9####-####", "(41) 9####-####", "11 9####-####",
         "(51) 9 ####-####", "(71) 9####-####"),
        _cities(
            "São Paulo|Sao Paulo|SP|0####-###; Rio de Janeiro||RJ|2####-###; Belo Horizonte||MG|3####-###;"
            "Curitiba||PR|8####-###; Porto Alegre||RS|9####-###; Salvador||BA|4####-###; Recife||PE|5####-###;"
            "Fortaleza||CE|6####-###; Brasília|Brasilia|DF|7####-###; Campinas||SP|13###-###;"
            "Florianópolis|Florianopolis|SC|88###-###; Goiânia|Goiania|GO|74###-###"
        ),
        "BR", "dmy", "R$ {}", ",", ("Ltda.", "S.A.", "ME", "EIRELI"),
    ),
    "PL": Country(
        "PL", "Poland", "pl", ("wp.pl", "onet.pl", "o2.pl", "interia.pl", "gmail.com"),
        "48", "",
        ("22 N## ## ##", "12 N## ## ##", "61 N## ## ##", "71 N## ## ##", "58 N## ## ##", "(22) N## ## ##"),
        ("501 ### ###", "512 ### ###", "533 ### ###", "600 ### ###", "661 ### ###", "697 ### ###",
         "721 ### ###", "784 ### ###", "798 ### ###", "885 ### ###", "604-###-###", "510######"),
        _cities(
            "Warszawa|Warsaw||0#-###; Kraków|Krakow||3#-###; Łódź|Lodz||9#-###; Wrocław|Wroclaw||5#-###;"
            "Poznań|Poznan||6#-###; Gdańsk|Gdansk||80-###; Szczecin|||70-###; Bydgoszcz|||85-###;"
            "Lublin|||20-###; Katowice|||40-###; Białystok|Bialystok||15-###; Gdynia|||81-###; Rzeszów|Rzeszow||35-###"
        ),
        "PL", "dmy.", "{} zł", ",", ("Sp. z o.o.", "S.A.", "sp.j.", "Sp. k."),
    ),
    "CZ": Country(
        "CZ", "Czechia", "cz", ("seznam.cz", "email.cz", "centrum.cz", "gmail.com", "volny.cz"),
        "420", "",
        ("2## ### ###", "541 ### ###", "59# ### ###", "377 ### ###"),
        ("602 ### ###", "603 ### ###", "605 ### ###", "608 ### ###", "720 ### ###", "724 ### ###",
         "731 ### ###", "736 ### ###", "777 ### ###", "603######"),
        _cities(
            "Praha 2|Prague||120 00; Praha 5|Prague||150 00; Praha 7|Prague||170 00; Brno|||602 00; Ostrava|||702 00;"
            "Plzeň|Plzen||301 00; Liberec|||460 01; Olomouc|||779 00; České Budějovice|Ceske Budejovice||370 01;"
            "Hradec Králové|Hradec Kralove||500 02"
        ),
        "CZ", "dmy.", "{} Kč", ",", ("s.r.o.", "a.s.", "spol. s r.o."),
    ),
    "SK": Country(
        "SK", "Slovakia", "sk", ("azet.sk", "centrum.sk", "gmail.com", "zoznam.sk", "post.sk"),
        "421", "0",
        ("02/N### ####", "02 N### ####", "055/### ## ##", "041/### ## ##"),
        ("0902 ### ###", "0903 ### ###", "0905 ### ###", "0908 ### ###", "0911 ### ###", "0915 ### ###",
         "0940 ### ###", "0949 ### ###"),
        _cities(
            "Bratislava|||811 0#; Košice|Kosice||040 01; Prešov|Presov||080 01; Žilina|Zilina||010 01;"
            "Nitra|||949 01; Banská Bystrica|Banska Bystrica||974 01; Trnava|||917 01; Trenčín|Trencin||911 01"
        ),
        "SK", "dmy.", "{} €", ",", ("s.r.o.", "a.s."),
    ),
    "SE": Country(
        "SE", "Sweden", "se", ("telia.com", "gmail.com", "hotmail.se", "bredband.net", "outlook.com"),
        "46", "0",
        ("08-N## ## ##", "08-N## ###", "031-N## ## ##", "040-N## ## ##", "018-N# ## ##", "08 N## ## ##"),
        ("070-### ## ##", "072-### ## ##", "073-### ## ##", "076-### ## ##", "079-### ## ##", "070 ### ## ##",
         "0701234###"),
        _cities(
            "Stockholm|||1## ##; Göteborg|Gothenburg||4## ##; Malmö|Malmo||2## ##; Uppsala|||75# ##;"
            "Västerås|Vasteras||72# ##; Örebro|Orebro||70# ##; Linköping|Linkoping||58# ##; Lund|||22# ##;"
            "Umeå|Umea||90# ##; Jönköping|Jonkoping||55# ##"
        ),
        "SE", "ymd", "{} kr", ",", ("AB", "HB", "Aktiebolag"),
    ),
    "DK": Country(
        "DK", "Denmark", "dk", ("gmail.com", "hotmail.dk", "mail.dk", "jubii.dk", "outlook.dk"),
        "45", "",
        ("33 ## ## ##", "35 ## ## ##", "86 ## ## ##", "98 ## ## ##", "66 ## ## ##", "33######"),
        ("2# ## ## ##", "30 ## ## ##", "31 ## ## ##", "40 ## ## ##", "50 ## ## ##", "60 ## ## ##", "61 ## ## ##",
         "71 ## ## ##", "2#######", "91 ## ## ##"),
        _cities(
            "København K|Copenhagen||1###; København Ø|Copenhagen||2100; Frederiksberg|||2000; Aarhus C|Aarhus||8000;"
            "Odense C|Odense||5000; Aalborg|||9000; Esbjerg|||6700; Kolding|||6000; Vejle|||7100; Roskilde|||4000"
        ),
        "DK", "dmy.", "{} kr.", ",", ("ApS", "A/S", "I/S", "IVS"),
    ),
    "NO": Country(
        "NO", "Norway", "no", ("online.no", "gmail.com", "hotmail.no", "outlook.com", "getmail.no"),
        "47", "",
        ("22 ## ## ##", "55 ## ## ##", "73 ## ## ##", "51 ## ## ##", "22######"),
        ("4## ## ###", "9## ## ###", "4#######", "9## ## ###", "48 ## ## ##"),
        _cities(
            "Oslo|||0###; Bergen|||50##; Trondheim|||70##; Stavanger|||40##; Drammen|||30##; Fredrikstad|||16##;"
            "Kristiansand|||46##; Tromsø|Tromso||90##; Ålesund|Alesund||60##; Bodø|Bodo||80##"
        ),
        "NO", "dmy.", "kr {}", ",", ("AS", "ASA", "ANS"),
    ),
    "FI": Country(
        "FI", "Finland", "fi", ("gmail.com", "luukku.com", "elisanet.fi", "hotmail.fi", "outlook.com"),
        "358", "0",
        ("09 N### ###", "09 N## ####", "02 N## ####", "03 N## ####", "014 ### ####"),
        ("040 ### ####", "044 ### ####", "045 ### ####", "050 ### ####", "041 ### ####", "046 ### ####",
         "040#######", "050 ### ###"),
        _cities(
            "Helsinki|||00###; Espoo|||02###; Vantaa|||01###; Tampere|||33###; Turku|||20###; Oulu|||90###;"
            "Jyväskylä|Jyvaskyla||40###; Lahti|||15###; Kuopio|||70###; Pori|||28###"
        ),
        "FI", "dmy.", "{} €", ",", ("Oy", "Oyj", "Ky", "Tmi"),
    ),
    "HU": Country(
        "HU", "Hungary", "hu", ("freemail.hu", "citromail.hu", "gmail.com", "t-online.hu", "outlook.hu"),
        "36", "06",
        ("06 1 N## ####", "06-1-N##-####", "06 52 ### ###", "06 62 ### ###", "06 96 ### ###", "(06 1) N## ####"),
        ("06 20 ### ####", "06 30 ### ####", "06 70 ### ####", "06-30/###-####", "06 20 ### ## ##",
         "06-70-###-####"),
        _cities(
            "Budapest|||1###; Debrecen|||40##; Szeged|||67##; Miskolc|||35##; Pécs|Pecs||76##; Győr|Gyor||90##;"
            "Nyíregyháza|Nyiregyhaza||44##; Kecskemét|Kecskemet||60##; Székesfehérvár|Szekesfehervar||80##"
        ),
        None, "ymd.", "{} Ft", ",", ("Kft.", "Zrt.", "Bt.", "Nyrt."),
    ),
    "RO": Country(
        "RO", "Romania", "ro", ("yahoo.com", "gmail.com", "yahoo.ro", "outlook.com"),
        "40", "0",
        ("021 N## ####", "021 N## ## ##", "0264 ### ###", "0256 ### ###", "0232 ### ###", "0268 ### ###"),
        ("0721 ### ###", "0722 ### ###", "0723 ### ###", "0740 ### ###", "0745 ### ###", "0751 ### ###",
         "0766 ### ###", "0770 ### ###", "0786 ### ###", "0722######"),
        _cities(
            "București|Bucharest|Sector 1|01####; București|Bucharest|Sector 3|03####; Cluj-Napoca||Cluj|400###;"
            "Timișoara|Timisoara|Timiș|300###; Iași|Iasi|Iași|700###; Constanța|Constanta|Constanța|900###;"
            "Craiova||Dolj|200###; Brașov|Brasov|Brașov|500###; Oradea||Bihor|410###; Sibiu||Sibiu|550###"
        ),
        "RO", "dmy.", "{} lei", ",", ("S.R.L.", "S.A.", "SRL"),
    ),
    "HR": Country(
        "HR", "Croatia", "hr", ("gmail.com", "net.hr", "t-com.hr", "yahoo.com"),
        "385", "0",
        ("01 N## ####", "01 N### ###", "021 ### ###", "051 ### ###", "031 ### ###"),
        ("091 ### ####", "092 ### ####", "095 ### ####", "097 ### ####", "098 ### ####", "099 ### ####",
         "098 ### ###"),
        _cities(
            "Zagreb|||10 000; Split|||21 000; Rijeka|||51 000; Osijek|||31 000; Zadar|||23 000; Pula|||52 100;"
            "Varaždin|Varazdin||42 000; Dubrovnik|||20 000; Šibenik|Sibenik||22 000"
        ),
        "HR", "dmy.", "{} €", ",", ("d.o.o.", "d.d.", "j.d.o.o."),
    ),
    "TR": Country(
        "TR", "Turkey", "com.tr", ("gmail.com", "hotmail.com", "yandex.com.tr", "outlook.com"),
        "90", "0",
        ("0212 N## ## ##", "0216 N## ## ##", "0312 N## ## ##", "0232 N## ## ##", "(0212) N## ## ##"),
        ("0532 ### ## ##", "0533 ### ## ##", "0535 ### ## ##", "0505 ### ## ##", "0542 ### ## ##",
         "0 (544) ### ## ##", "0555 ### ####", "0553#######"),
        _cities(
            "İstanbul|Istanbul|Kadıköy|347##; İstanbul|Istanbul|Beşiktaş|343##; İstanbul|Istanbul|Şişli|343##;"
            "İstanbul|Istanbul|Üsküdar|346##; Ankara||Çankaya|06###; İzmir|Izmir|Karşıyaka|355##;"
            "İzmir|Izmir|Bornova|350##; Bursa||Nilüfer|16###; Antalya||Muratpaşa|07###; Eskişehir|Eskisehir|"
            "Tepebaşı|26###"
        ),
        "TR", "dmy.", "{} TL", ",", ("A.Ş.", "Ltd. Şti.", "San. ve Tic. A.Ş."),
    ),
    "ID": Country(
        "ID", "Indonesia", "co.id", ("gmail.com", "yahoo.co.id", "yahoo.com", "outlook.com"),
        "62", "0",
        ("(021) N### ####", "(021) N#######", "(022) N### ####", "(031) N### ####", "021-N###-####"),
        ("0812-####-####", "0813-####-####", "0811 #### ####", "0821-####-####", "0852 #### ####",
         "0857-####-####", "0878########", "0896-####-####"),
        _cities(
            "Jakarta Selatan|South Jakarta|DKI Jakarta|12###; Jakarta Pusat|Central Jakarta|DKI Jakarta|10###;"
            "Bandung||Jawa Barat|40###; Surabaya||Jawa Timur|60###; Medan||Sumatera Utara|20###;"
            "Semarang||Jawa Tengah|50###; Yogyakarta||DI Yogyakarta|55###; Denpasar||Bali|80###;"
            "Makassar||Sulawesi Selatan|90###; Malang||Jawa Timur|65###; Tangerang||Banten|15###"
        ),
        None, "dmy", "Rp {}", ",", ("PT", "CV", "Tbk"),
    ),
    "VN": Country(
        "VN", "Vietnam", "vn", ("gmail.com", "yahoo.com.vn", "yahoo.com", "outlook.com"),
        "84", "0",
        ("024 3### ####", "028 3### ####", "0236 3## ####", "024 6### ####"),
        ("090 ### ####", "091 ### ####", "093 ### ####", "098 ### ####", "097 ### ####", "086 ### ####",
         "035 ### ####", "077 ### ####", "0903######", "0912.###.###"),
        _cities(
            "Hà Nội|Hanoi|Quận Ba Đình|100000; Hà Nội|Hanoi|Quận Cầu Giấy|100000; TP. Hồ Chí Minh|Ho Chi Minh City|"
            "Quận 1|700000; TP. Hồ Chí Minh|Ho Chi Minh City|Quận Bình Thạnh|700000; Đà Nẵng|Da Nang|"
            "Quận Hải Châu|550000; Hải Phòng|Hai Phong|Quận Lê Chân|180000; Cần Thơ|Can Tho|Quận Ninh Kiều|900000"
        ),
        None, "dmy", "{} ₫", ".", ("Công ty TNHH", "Công ty Cổ phần"),
    ),
    "EE": Country(
        "EE", "Estonia", "ee", ("gmail.com", "hot.ee", "mail.ee", "online.ee"),
        "372", "",
        ("6## ####", "7## ####", "6######", "64# ####"),
        ("5### ####", "5## ####", "5#######", "53## ####", "56## ####"),
        _cities(
            "Tallinn|||10###; Tartu|||50###; Narva|||20###; Pärnu|Parnu||80###; Viljandi|||71###;"
            "Rakvere|||44###; Kuressaare|||93###"
        ),
        "EE", "dmy.", "{} €", ",", ("OÜ", "AS", "MTÜ"),
    ),
    "LT": Country(
        "LT", "Lithuania", "lt", ("gmail.com", "one.lt", "inbox.lt", "yahoo.com"),
        "370", "8",
        ("8 5 ### ####", "8 37 ### ###", "(8 5) ### ####", "8 46 ### ###"),
        ("8 6## #####", "8 61# #####", "8 65# #####", "86#######", "8 (6##) #####"),
        _cities(
            "Vilnius|||LT-0####; Kaunas|||LT-4####; Klaipėda|Klaipeda||LT-9####; Šiauliai|Siauliai||LT-7####;"
            "Panevėžys|Panevezys||LT-3####; Alytus|||LT-6####"
        ),
        "LT", "ymd", "{} €", ",", ("UAB", "AB", "MB"),
    ),
    "GR": Country(
        "GR", "Greece", "gr", ("gmail.com", "yahoo.gr", "otenet.gr", "hotmail.com"),
        "30", "",
        ("210 N## ####", "210 N######", "2310 ######", "2610 ######", "2810 ######"),
        ("694 ### ####", "697 ### ####", "698 ### ####", "693 ### ####", "695#######", "690 ### ####"),
        _cities(
            "Αθήνα|Athens||1## ##; Θεσσαλονίκη|Thessaloniki||5## ##; Πάτρα|Patras||26# ##; Ηράκλειο|Heraklion||71# ##;"
            "Λάρισα|Larissa||41# ##; Βόλος|Volos||38# ##; Ιωάννινα|Ioannina||45# ##; Χανιά|Chania||73# ##"
        ),
        "GR", "dmy", "{} €", ",", ("Α.Ε.", "Ε.Π.Ε.", "Ι.Κ.Ε."),
    ),
    "RU": Country(
        "RU", "Russia", "ru", ("mail.ru", "yandex.ru", "gmail.com", "bk.ru", "rambler.ru"),
        "7", "8",
        ("8 (495) ###-##-##", "8 (499) ###-##-##", "8 (812) ###-##-##", "8 (383) ###-##-##", "8 (343) ###-##-##"),
        ("8 (903) ###-##-##", "8 (916) ###-##-##", "8 (925) ###-##-##", "8 (921) ###-##-##", "8 (999) ###-##-##",
         "8 912 ### ## ##", "8-926-###-##-##", "89#########"),
        _cities(
            "Москва|Moscow||1#####; Санкт-Петербург|Saint Petersburg||19####; Новосибирск|Novosibirsk||630###;"
            "Екатеринбург|Yekaterinburg||620###; Казань|Kazan||420###; Нижний Новгород|Nizhny Novgorod||603###;"
            "Самара|Samara||443###; Краснодар|Krasnodar||350###; Воронеж|Voronezh||394###"
        ),
        None, "dmy.", "{} ₽", ",", ("ООО", "АО", "ПАО"),
    ),
    "UA": Country(
        "UA", "Ukraine", "ua", ("ukr.net", "gmail.com", "i.ua", "meta.ua"),
        "380", "0",
        ("(044) N##-##-##", "044 N## ## ##", "(032) 2##-##-##", "(057) 7##-##-##", "(048) 7##-##-##"),
        ("050 ### ## ##", "063 ### ## ##", "066 ### ## ##", "067 ### ## ##", "068 ### ## ##", "073 ### ## ##",
         "093 ### ## ##", "095 ### ## ##", "097 ### ## ##", "099#######"),
        _cities(
            "Київ|Kyiv||0####; Харків|Kharkiv||61###; Одеса|Odesa||65###; Дніпро|Dnipro||49###; Львів|Lviv||79###;"
            "Вінниця|Vinnytsia||21###; Полтава|Poltava||36###; Чернігів|Chernihiv||14###"
        ),
        "UA", "dmy.", "{} грн", ",", ("ТОВ", "ПрАТ", "ТДВ"),
    ),
}

# Faker locale -> country key. Weights: more English and German-speaking traffic, like an international helpdesk.
LOCALES: dict[str, tuple[str, int]] = {
    "en_US": ("US", 6), "en_GB": ("GB", 4), "en_IE": ("IE", 2), "en_AU": ("AU", 2), "en_NZ": ("NZ", 1),
    "en_CA": ("CA", 2), "en_IN": ("IN", 2), "en_PH": ("PH", 1), "en_NG": ("NG", 1), "de_DE": ("DE", 4),
    "de_AT": ("AT", 2), "de_CH": ("CH", 2), "fr_FR": ("FR", 3), "fr_BE": ("BE", 1), "nl_NL": ("NL", 2),
    "nl_BE": ("BE_NL", 1), "it_IT": ("IT", 2), "es_ES": ("ES", 2), "es_MX": ("MX", 2), "es_AR": ("AR", 1),
    "es_CO": ("CO", 1), "pt_PT": ("PT", 1), "pt_BR": ("BR", 2), "pl_PL": ("PL", 2), "cs_CZ": ("CZ", 1),
    "sk_SK": ("SK", 1), "sv_SE": ("SE", 1), "da_DK": ("DK", 1), "no_NO": ("NO", 1), "fi_FI": ("FI", 1),
    "hu_HU": ("HU", 1), "ro_RO": ("RO", 1), "hr_HR": ("HR", 1), "tr_TR": ("TR", 1), "id_ID": ("ID", 1),
    "vi_VN": ("VN", 1), "et_EE": ("EE", 1), "lt_LT": ("LT", 1),
}
WORLD_LOCALES: dict[str, str] = {"el_GR": "GR", "ru_RU": "RU", "uk_UA": "UA"}
LOCALE_POOLS: dict[str, tuple[str, ...]] = {
    "any": tuple(LOCALES),
    "us": ("en_US",),
    "en": ("en_US", "en_GB", "en_IE", "en_AU", "en_NZ", "en_CA", "en_IN", "en_PH", "en_NG"),
    "sepa": tuple(loc for loc, (key, _) in LOCALES.items() if COUNTRIES[key].iban),
    "de": ("de_DE", "de_AT", "de_CH"),
    "fr": ("fr_FR", "fr_BE"),
    "nl": ("nl_NL", "nl_BE"),
    "es": ("es_ES", "es_MX", "es_AR", "es_CO"),
    "nordic": ("sv_SE", "da_DK", "no_NO", "fi_FI"),
    "anz": ("en_AU", "en_NZ"),
    "gb": ("en_GB", "en_IE"),
    "latam": ("es_MX", "es_AR", "es_CO", "pt_BR"),
    "it": ("it_IT",), "br": ("pt_BR",), "pl": ("pl_PL",), "in": ("en_IN",), "ng": ("en_NG",), "ca": ("en_CA",),
    "nz": ("en_NZ",), "se": ("sv_SE",),
}

# ---------------------------------------------------------------------------------------------------------------
# Word lists written for this corpus.
# ---------------------------------------------------------------------------------------------------------------

WORLD_NAMES_F = (
    "Li Na|Zhang", "Xiaoling|Chen", "Jing|Liu", "Yui|Tanaka", "Aoi|Takahashi", "Seo-yeon|Park", "Ha-eun|Choi",
    "Fatima|Haddad", "Layla|Mansour", "Noura|Al-Qahtani", "Maryam|Hosseini", "Ayesha|Siddiqui", "Dilani|Perera",
    "Selam|Tesfaye", "Hodan|Farah", "Kanokwan|Chaiyaporn", "Aroha|Ngata", "Noa|Levi", "Anahit|Sargsyan",
    "Nino|Kapanadze", "Siobhán|Ní Bhriain", "Oksana|Kovalenko", "Eleni|Papadopoulou", "Nomvula|Dlamini",
    "Amina|Diallo", "Thi Mai|Nguyen", "Priya|Raghunathan", "Mei Ling|Tan", "Keala|Kahananui", "Aigerim|Nurlanovna",
)
WORLD_NAMES_M = (
    "Wei|Zhang", "Hao|Lin", "Haruto|Sato", "Sota|Suzuki", "Ren|Watanabe", "Min-jun|Kim", "Ji-ho|Lee",
    "Mohammed|Al-Sayed", "Omar|Khalil", "Youssef|El Amrani", "Reza|Ahmadi", "Dariush|Karimi", "Bilal|Qureshi",
    "Tanvir|Rahman", "Abebe|Bekele", "Abdirahman|Warsame", "Somchai|Srisuk", "Tane|Parata", "Yosef|Cohen",
    "Armen|Petrosyan", "Giorgi|Beridze", "Ciarán|Ó Súilleabháin", "Dmitri|Ivanov", "Kwame|Mensah",
    "Chukwuemeka|Okafor", "Van Duc|Tran", "Arjun|Venkataraman", "Keoni|Kahale", "Mamadou|Ndiaye", "Rhys|ap Gwilym",
)
WORLD_FAKER_LOCALES = ("yo_NG", "ig_NG", "ha_NG", "en_KE", "tw_GH", "zu_ZA", "en_IN", "ga_IE")
# First names and surnames that are also ordinary words.
WORD_FIRST_F = ("May", "June", "Grace", "Hope", "Joy", "Rose", "Summer", "Dawn", "Faith", "Amber", "Ruby", "Penny",
                "Holly", "Iris", "Autumn", "Olive", "Eve", "Lily", "Sky", "Crystal", "Ivy", "Pearl", "Star")
WORD_FIRST_M = ("Will", "Mark", "Bill", "Frank", "Jack", "Chase", "Hunter", "Miles", "Ray", "Guy", "Art", "Rich",
                "Pat", "Don", "Sonny", "Drew", "Bob", "Rob", "Wade", "Jay", "Cliff", "Dale", "Lance", "Grant")
WORD_LAST = ("Baker", "Cook", "Brown", "Green", "White", "Young", "King", "Hill", "Wood", "Price", "Bird", "Fox",
             "Stone", "Banks", "Bell", "Hope", "Love", "Best", "Sharp", "Little", "Long", "Short", "Page", "Rice",
             "Field", "Day", "Winter", "Frost", "March", "Hunt", "Mason", "Fisher", "Church", "Hall", "Lamb", "Moss",
             "Knight", "Cash", "Major", "Wise", "Gold", "Sweet", "Koch", "Wolf", "Sommer", "Vogel", "Fuchs", "Klein",
             "Street", "Rivers", "Lake", "Marsh", "Bush", "Money", "Power", "Swift", "Noble", "Hardy", "Snow")

JOBS = ("Office Manager", "IT Administrator", "Accounts Payable Specialist", "Head of Operations", "Team Lead",
        "Purchasing Manager", "Customer Service Lead", "Finance Director", "Practice Manager", "Logistics Coordinator",
        "Senior Developer", "HR Business Partner", "Facility Manager", "Sales Executive", "Project Manager",
        "Managing Director", "Store Manager", "Payroll Administrator", "Systems Engineer", "Executive Assistant",
        "Procurement Officer", "Warehouse Supervisor", "Marketing Coordinator", "Chief Financial Officer")
DEPTS = ("Finance", "Accounts Receivable", "Customer Care", "Logistics", "Procurement", "HR", "Sales Ops",
         "Facilities", "Legal", "Marketing", "Engineering", "Warehouse", "Payroll", "Front Desk")
PRODUCTS = ("Pro plan", "Analytics Suite", "Team workspace", "Cloud Backup", "Office 365", "Helpdesk Plus",
            "Premium support", "Route Planner", "Starter bundle", "Business Fibre 500", "Payroll module")
DEVICES = ("Mesh Router X2", "SmartThermo 3", "Label Printer LP-40", "Docking Station D6", "Headset H7",
           "Espresso One", "Tablet T10", "Robot Vacuum R5", "Dashcam Mini")
BRANDS = ("Nordwind", "Bluefin", "Kestrel", "Alder", "Lumen", "Vantage", "Polaris", "Brightwater", "Ironbridge",
          "Silverline", "Greenleaf", "Orbis", "Castellan", "Tidewater", "Redpine", "Helix", "Meridian", "Northgate",
          "Westbrook", "Solara", "Quartzite", "Larkspur", "Copperfield", "Amberline", "Blackthorn", "Seaforth")
INDUSTRIES = ("Logistics", "Consulting", "Systems", "Dental", "Engineering", "Foods", "Media", "Software", "Print",
              "Trading", "Energy", "Health", "Architects", "Textiles", "Hotels", "Motors", "Pharma", "Solar",
              "Interiors", "Freight", "Analytics", "Bakery", "Optics", "Robotics")
CARRIERS = ("DHL", "UPS", "FedEx", "DPD", "GLS", "Royal Mail", "PostNL", "La Poste", "Correos", "InPost",
            "Australia Post", "Canada Post", "USPS", "Evri", "Posti", "PostNord", "Bring", "Colissimo", "bpost",
            "Poste Italiane", "CTT", "Swiss Post", "Österreichische Post", "SEUR", "Chronopost", "Aramex")
BANKS = {  # banks a customer in the country would name; the online banks anywhere
    "DE": ("Deutsche Bank", "Sparkasse", "Commerzbank", "Volksbank", "ING"), "AT": ("Erste Bank", "Raiffeisen",
    "Bank Austria"), "CH": ("UBS", "PostFinance", "Raiffeisen", "Zürcher Kantonalbank"), "FR": ("BNP Paribas",
    "Crédit Agricole", "Société Générale", "La Banque Postale"), "BE": ("KBC", "Belfius", "BNP Paribas Fortis", "ING"),
    "NL": ("ING", "Rabobank", "ABN AMRO", "bunq", "Triodos Bank"), "IT": ("Intesa Sanpaolo", "UniCredit", "BPER"),
    "ES": ("CaixaBank", "BBVA", "Santander", "Sabadell"), "PT": ("Millennium bcp", "Caixa Geral de Depósitos",
    "Novo Banco"), "GB": ("Barclays", "HSBC", "Lloyds Bank", "NatWest", "Monzo"), "IE": ("AIB", "Bank of Ireland",
    "PTSB"), "PL": ("PKO Bank Polski", "mBank", "Santander Bank Polska", "ING"), "CZ": ("Česká spořitelna", "ČSOB",
    "Komerční banka"), "SK": ("Slovenská sporiteľňa", "Tatra banka", "VÚB"), "SE": ("Swedbank", "SEB",
    "Handelsbanken", "Nordea"), "DK": ("Danske Bank", "Nordea", "Jyske Bank"), "NO": ("DNB", "Nordea",
    "SpareBank 1"), "FI": ("Nordea", "OP", "Danske Bank"), "HU": ("OTP Bank", "K&H Bank"), "RO": ("Banca Transilvania",
    "BCR", "BRD"), "HR": ("Zagrebačka banka", "PBZ", "Erste Bank"), "TR": ("Garanti BBVA", "Akbank", "İş Bankası"),
    "EE": ("Swedbank", "SEB", "LHV"), "LT": ("Swedbank", "SEB", "Luminor"), "BR": ("Itaú", "Bradesco", "Nubank",
    "Banco do Brasil"), "GR": ("Piraeus Bank", "Alpha Bank", "Eurobank"), "UA": ("ПриватБанк", "Монобанк"),
}
ONLINE_BANKS = ("Revolut", "Wise", "N26")
RELATIONS = ("my wife", "my husband", "my partner", "my sister", "my brother", "my mother", "my father", "my son",
             "my daughter", "a friend", "my neighbour")
REGIONS = ("eu-west-1", "eu-central-1", "us-east-1", "ap-southeast-2", "EU-2", "US-East", "APAC")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# Street names for countries where Faker has none, or none that look local. Faker supplies the rest.
STREETS: dict[str, tuple[str, ...]] = {
    "US": ("Maple Ave", "Oak Street", "Pine St", "Cedar Lane", "Elm St", "Washington Blvd", "Lincoln Ave",
           "Park Avenue", "Lake Shore Dr", "Main Street", "2nd Ave", "W 3rd St", "Sunset Blvd", "Highland Ave",
           "Jefferson St", "Madison Ave", "Franklin Rd", "Hillcrest Dr", "Lakeview Ct", "Willow Way", "N Broadway",
           "E 14th St", "Riverside Dr", "Magnolia Blvd", "Peachtree St NE", "Ridge Rd", "Cherry Ln", "S Congress Ave"),
    "GB": ("High Street", "Station Road", "Church Lane", "Victoria Road", "Park Road", "Mill Lane", "King's Road",
           "Queen Street", "Albert Road", "Manor Close", "Grange Road", "Springfield Avenue", "Meadow Way",
           "Orchard Close", "Chapel Street", "The Crescent", "Windsor Gardens", "Kingsway", "Elm Grove",
           "St John's Terrace", "Hawthorn Drive", "Beech Mews", "Castle Hill", "Market Place", "Oxford Road"),
    "IE": ("Main Street", "Patrick Street", "Church Road", "Green Road", "Strand Road", "Abbey Street",
           "O'Connell Avenue", "Grattan Crescent", "Ashfield Park", "Castle View", "Oaklands Drive", "Mill Road",
           "Bóthar na Trá", "Seafield Road", "Dominick Street"),
    "AU": ("George St", "Crown Street", "Smith St", "King William Rd", "Brunswick St", "Oxford St", "Hay St",
           "Beaufort Parade", "Darling St", "Station St", "Victoria Rd", "Queen St", "Marine Pde", "Wattle Ave",
           "Banksia Cres", "Bourke St", "Elizabeth St", "Pacific Hwy"),
    "NZ": ("Queen Street", "Ponsonby Road", "Cuba Street", "Karangahape Road", "Riccarton Road", "Dominion Road",
           "Tinakori Road", "Colombo Street", "Great North Road", "Kauri Place", "Pohutukawa Drive",
           "Marine Parade", "Victoria Avenue", "Hillsborough Road"),
    "CA": ("Yonge St", "Queen St W", "Bloor St E", "Rue Sainte-Catherine O", "Boulevard Saint-Laurent",
           "Robson St", "Granville St", "17 Ave SW", "Jasper Ave", "Portage Ave", "Spring Garden Rd", "Maple Dr",
           "Lakeshore Blvd W", "Dundas St E", "Main St"),
    "IN": ("MG Road", "Linking Road", "Brigade Road", "Anna Salai", "Park Street", "Residency Road", "FC Road",
           "SV Road", "Banjara Hills Road No. 12", "Hill Road", "Nehru Place", "Sector 15 Main Road",
           "100 Feet Road", "Lajpat Nagar Ring Road", "Marine Drive"),
    "NG": ("Adeola Odeku Street", "Allen Avenue", "Awolowo Road", "Herbert Macaulay Way", "Admiralty Way",
           "Ademola Adetokunbo Crescent", "Aminu Kano Crescent", "Ogui Road", "Ring Road", "Bode Thomas Street",
           "Ozumba Mbadiwe Avenue", "Isaac John Street", "Opebi Road"),
    "IT": ("Via Roma", "Via Giuseppe Garibaldi", "Corso Vittorio Emanuele II", "Via Dante Alighieri", "Viale Monza",
           "Via Nazionale", "Via del Corso", "Via Giuseppe Mazzini", "Via Cavour", "Piazza della Repubblica",
           "Via Toledo", "Via XX Settembre", "Via Po", "Corso Buenos Aires", "Viale dei Mille", "Via Marconi"),
    "ES": ("Calle Mayor", "Calle de Alcalá", "Gran Vía", "Carrer de Mallorca", "Avenida de la Constitución",
           "Calle Larios", "Paseo de la Castellana", "Calle Sierpes", "Avinguda Diagonal", "Calle San Fernando",
           "Calle Real", "Calle de Serrano", "Carrer de Provença", "Avenida de América", "Calle Colón",
           "Rúa do Franco"),
    "MX": ("Av. Insurgentes Sur", "Calle Durango", "Paseo de la Reforma", "Calle Colima", "Av. Vallarta",
           "Calle Morelos", "Av. Juárez", "Calle Hidalgo", "Av. Constitución", "Calle Tonalá", "Av. Chapultepec",
           "Calle Madero", "Av. Revolución", "Calle Zaragoza"),
    "AR": ("Av. Corrientes", "Av. Santa Fe", "Av. Rivadavia", "Calle Florida", "Av. Cabildo", "Gurruchaga",
           "Av. Colón", "Bv. Oroño", "Calle San Martín", "Av. Belgrano", "Thames", "Av. Callao", "Calle 7"),
    "BR": ("Rua Augusta", "Avenida Paulista", "Rua da Consolação", "Rua das Laranjeiras", "Av. Afonso Pena",
           "Rua XV de Novembro", "Rua Padre Chagas", "Av. Boa Viagem", "Rua Oscar Freire", "Rua Voluntários da Pátria",
           "Rua Haddock Lobo", "Av. Sete de Setembro", "Rua dos Andradas", "Rua Barão de Jaguara"),
    "TR": ("Moda Cad.", "Bağdat Cad.", "Atatürk Blv.", "Cumhuriyet Cad.", "İnönü Sok.", "Gazi Mustafa Kemal Blv.",
           "Kıbrıs Şehitleri Cad.", "Halaskargazi Cad.", "Tunalı Hilmi Cad.", "Nispetiye Cad.", "Bahariye Cad.",
           "Mithatpaşa Cad.", "Şair Eşref Blv."),
    "EE": ("Narva mnt", "Pärnu mnt", "Tartu mnt", "Viru", "Pikk", "Lai", "Kaupmehe", "Tammsaare tee", "Sõpruse pst",
           "Rüütli", "Ülikooli", "Riia", "Mustamäe tee", "Paldiski mnt", "Vabaduse pst"),
    "LT": ("Gedimino pr.", "Konstitucijos pr.", "Laisvės al.", "Vilniaus g.", "Pilies g.", "Savanorių pr.",
           "Taikos pr.", "Žalgirio g.", "Ukmergės g.", "Didžioji g.", "H. Manto g.", "Kalvarijų g."),
    "BE": ("Rue de la Loi", "Avenue Louise", "Chaussée de Waterloo", "Rue Neuve", "Boulevard d'Avroy",
           "Rue des Guillemins", "Place Saint-Lambert", "Rue de Fer", "Avenue de Tervueren", "Rue du Marché",
           "Rue Haute", "Chaussée de Bruxelles", "Rue de l'Ange"),
    "PH": ("Ayala Avenue", "Rizal Street", "Shaw Boulevard", "Katipunan Avenue", "Timog Avenue", "Osmeña Boulevard",
           "Mabini Street", "Bonifacio Street", "Quirino Highway", "C. Raymundo Avenue", "J.P. Laurel Avenue"),
}
CYRILLIC_BRANDS = {
    "RU": ("Альфа-Сервис", "Техносфера", "Северный ветер", "Вектор", "Горизонт", "Меридиан", "СтройМонтаж"),
    "UA": ("Світанок", "Техносервіс", "Вектор", "Горизонт", "Меридіан", "Карпати Логістик", "Дніпро-Агро"),
}
COLONIAS = ("Roma Norte", "Condesa", "Del Valle", "Polanco", "Centro", "Americana", "Providencia", "Narvarte",
            "Juárez", "San Pedro Garza García", "Chapultepec", "Obispado")
BAIRROS = ("Centro", "Jardim Paulista", "Copacabana", "Savassi", "Batel", "Moinhos de Vento", "Pinheiros",
           "Boa Viagem", "Botafogo", "Vila Madalena", "Barra", "Meireles", "Asa Sul")
BARANGAYS = ("San Antonio", "Poblacion", "Bel-Air", "Kapitolyo", "Fort Bonifacio", "Lahug", "Loyola Heights",
             "Malate", "Addition Hills", "Ugong")
MAHALLE = ("Caferağa", "Kızılay", "Alsancak", "Bahçelievler", "Osmanağa", "Levent", "Moda", "Suadiye", "Teşvikiye",
           "Kavaklıdere", "Göztepe", "Cihangir")
VN_WARDS = ("Bến Nghé", "Bến Thành", "Hàng Bạc", "Dịch Vọng", "Thảo Điền", "Phúc Xá", "Thạch Thang", "Cống Vị")
IN_AREAS = ("Indiranagar", "Koramangala", "Bandra West", "Andheri East", "T. Nagar", "Jubilee Hills", "Salt Lake",
            "Vasant Kunj", "Kothrud", "Navrangpura", "Malviya Nagar", "Edappally", "Gomti Nagar")
IN_BUILDINGS = ("Sai Residency", "Prestige Shantiniketan", "Lodha Park", "Green Glen Layout", "Sobha Dream Acres",
                "Shanti Apartments", "Kalpataru Towers", "Orchid Enclave")

# ---------------------------------------------------------------------------------------------------------------
# Small value generators.
# ---------------------------------------------------------------------------------------------------------------


def digits(rng: random.Random, pattern: str) -> str:
    """Fill '#' with 0-9, 'N' with 2-9 and '?' with A-Z; other characters are kept."""
    out = []
    for ch in pattern:
        if ch == "#":
            out.append(str(rng.randrange(10)))
        elif ch == "N":
            out.append(str(rng.randrange(2, 10)))
        elif ch == "?":
            out.append(rng.choice(string.ascii_uppercase))
        else:
            out.append(ch)
    return "".join(out)


def fill_postcode(rng: random.Random, pattern: str) -> str:
    """Fill '#' with a digit, '?' with a letter, '*' with either; everything else (N included) is literal."""
    out = []
    for ch in pattern:
        if ch == "#":
            out.append(str(rng.randrange(10)))
        elif ch == "?":
            out.append(rng.choice(string.ascii_uppercase))
        elif ch == "*":
            out.append(rng.choice("ACDEFHKNPRTVWXY0123456789"))
        else:
            out.append(ch)
    return "".join(out)


def luhn_digit(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_ok(number: str) -> bool:
    return luhn_digit(number[:-1]) == number[-1]


CARD_BRANDS = (  # (prefixes, length, grouping)
    (("4",), 16, (4, 4, 4, 4)),
    (("51", "52", "53", "54", "55", "2221", "2410", "2720"), 16, (4, 4, 4, 4)),
    (("34", "37"), 15, (4, 6, 5)),
    (("6011", "644", "65"), 16, (4, 4, 4, 4)),
    (("36", "38"), 14, (4, 6, 4)),
    (("3528", "3566", "3589"), 16, (4, 4, 4, 4)),
)


def credit_card(rng: random.Random, brand: int | None = None, sep: str | None = None) -> str:
    prefixes, length, groups = CARD_BRANDS[rng.choices(range(6), (40, 28, 12, 8, 4, 8))[0] if brand is None else brand]
    body = digits(rng, rng.choice(prefixes) + "#" * length)[: length - 1]
    number = body + luhn_digit(body)
    if sep is None:
        sep = rng.choices((" ", "-", ""), (55, 20, 25))[0]
    if not sep:
        return number
    parts, pos = [], 0
    for g in groups:
        parts.append(number[pos : pos + g])
        pos += g
    return sep.join(parts)


IBAN_BBAN = {  # 'n' digit, 'a' letter, 'c' digit or letter; lengths from the ISO 13616 registry
    "AT": "16n", "BE": "12n", "CH": "5n12c", "CZ": "20n", "DE": "18n", "DK": "14n", "EE": "16n", "ES": "20n",
    "FI": "14n", "FR": "10n11c2n", "GB": "4a14n", "GR": "7n16c", "HR": "17n", "IE": "4a14n", "IT": "1a10n12c",
    "LT": "16n", "NL": "4a10n", "NO": "11n", "PL": "24n", "PT": "21n", "RO": "4a16c", "SE": "20n", "SK": "20n",
    "TR": "6n16c", "BR": "23n1a1c", "UA": "6n19c", "LU": "3n13c", "SI": "15n",
}
BANK_CODES = {
    "GB": ("NWBK", "BARC", "LOYD", "HBUK", "MIDL", "MONZ", "SRLG"), "IE": ("AIBK", "BOFI", "IPBS", "ULSB"),
    "NL": ("ABNA", "RABO", "INGB", "TRIO", "SNSB", "ASNB", "KNAB", "BUNQ"), "RO": ("BTRL", "RNCB", "INGB", "BRDE"),
}
SEPA_FALLBACK = ("DE", "GB", "NL", "FR", "ES", "IE", "LU", "BE")


def iban(rng: random.Random, cc: str, grouped: bool | None = None) -> str:
    bban = []
    for count, kind in re.findall(r"(\d+)([nac])", IBAN_BBAN[cc]):
        for _ in range(int(count)):
            if kind == "n" or (kind == "c" and rng.random() < 0.8):
                bban.append(str(rng.randrange(10)))
            else:
                bban.append(rng.choice(string.ascii_uppercase))
    text = "".join(bban)
    if cc in BANK_CODES:
        text = rng.choice(BANK_CODES[cc]) + text[4:]
    if cc == "BE":  # the Belgian account number carries its own mod-97 check
        check = int(text[:10]) % 97 or 97
        text = text[:10] + f"{check:02d}"
    numeric = "".join(str(int(ch, 36)) for ch in text + cc + "00")
    code = f"{cc}{98 - int(numeric) % 97:02d}{text}"
    if grouped is None:
        grouped = rng.random() < 0.6
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4)) if grouped else code


def iban_ok(code: str) -> bool:
    compact = code.replace(" ", "")
    moved = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1


def ipv4(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.2:
        return f"192.168.{rng.randrange(0, 255)}.{rng.randrange(2, 254)}"
    if kind < 0.3:
        return f"10.{rng.randrange(0, 255)}.{rng.randrange(0, 255)}.{rng.randrange(2, 254)}"
    if kind < 0.35:
        return f"172.{rng.randrange(16, 32)}.{rng.randrange(0, 255)}.{rng.randrange(2, 254)}"
    first = rng.choice((31, 37, 46, 62, 77, 78, 79, 80, 81, 82, 84, 85, 86, 88, 89, 91, 93, 94, 95, 109, 176, 178,
                        185, 188, 193, 194, 203, 212, 213, 217, 24, 45, 64, 66, 67, 68, 69, 71, 73, 74, 98, 99, 104))
    return f"{first}.{rng.randrange(0, 256)}.{rng.randrange(0, 256)}.{rng.randrange(1, 255)}"


IPV6_PREFIXES = ("2a02:8108", "2001:16b8", "2a01:cb00", "2600:1700", "2a00:23c5", "2001:1c00", "2a02:a45f",
                 "2607:fb90", "2003:e5", "2a0a:a541", "2a01:4f8", "2604:3d08")


def ipv6(rng: random.Random) -> str:
    """Full, '::'-compressed and link-local forms, with prefixes of real access networks."""
    groups = rng.choice(IPV6_PREFIXES).split(":") + [f"{rng.randrange(0x10000):x}" for _ in range(6)]
    style = rng.random()
    if style < 0.1:
        return "fe80::" + ":".join(groups[4:])
    if style < 0.6:
        return ":".join(groups[:4]) + "::" + ":".join(groups[6 : rng.choice((7, 8))])
    return ":".join(groups)


def driver_license(rng: random.Random) -> str:
    return digits(rng, rng.choice(("?#######", "?############", "?###-####-####", "??######", "### ### ###",
                                   "?##-##-####", "#########", "########", "?###-###-##-###-#", "?## ### ### ###")))


def mac(rng: random.Random) -> str:
    octets = [f"{rng.randrange(256):02X}" for _ in range(6)]
    return rng.choice((":", "-")).join(octets) if rng.random() < 0.7 else ":".join(octets).lower()


# ---------------------------------------------------------------------------------------------------------------
# Rendering context, personas and slot values.
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class Persona:
    first: str
    last: str
    gender: str
    family_first: bool
    org: str | None = None
    emails: list[str] = field(default_factory=list)

    @property
    def full(self) -> str:
        return f"{self.last} {self.first}" if self.family_first else f"{self.first} {self.last}"


def ascii_slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", unidecode(text).lower())


class Ctx:
    """Everything one text needs: its locale and country, the RNG, and the personas / values shared by tags."""

    def __init__(self, rng: random.Random, fakers: Fakers, locale: str) -> None:
        self.rng = rng
        self.fakers = fakers
        self.locale = locale
        self.country = COUNTRIES[LOCALES[locale][0] if locale in LOCALES else WORLD_LOCALES[locale]]
        self.fake = fakers.get(locale)
        self.personas: dict[str, Persona] = {}
        self.values: dict[tuple[str, str], str] = {}
        self.default_org: str | None = None
        self.now = datetime(2024, 1, 8) + timedelta(days=rng.randrange(0, 600), minutes=rng.randrange(7 * 60, 20 * 60))
        self.clock = self.now

    # people -------------------------------------------------------------------------------------------------
    def persona(self, tag: str, kind: str = "") -> Persona:
        if tag and tag in self.personas:
            return self.personas[tag]
        rng = self.rng
        bare = tag.lstrip("x")
        gender = bare[:1] if bare[:1] in ("f", "m") else rng.choice("fm")
        roll = rng.random()
        family_first = False
        if kind == "word" or roll < 0.05:
            first = rng.choice(WORD_FIRST_F if gender == "f" else WORD_FIRST_M)
            last = rng.choice(WORD_LAST)
        elif roll < 0.10:
            first, last = rng.choice(WORLD_NAMES_F if gender == "f" else WORLD_NAMES_M).split("|")
        elif roll < 0.15:
            fake = self.fakers.get(rng.choice(WORLD_FAKER_LOCALES))
            first = fake.first_name_female() if gender == "f" else fake.first_name_male()
            last = fake.last_name()
        else:
            fake = self.fake
            first = fake.first_name_female() if gender == "f" else fake.first_name_male()
            last = fake.last_name_female() if gender == "f" else fake.last_name_male()
            if self.country.cc in ("ES", "MX", "AR", "CO") and rng.random() < 0.5:
                last = f"{last} {fake.last_name()}"
            family_first = self.country.cc in ("HU", "VN") and rng.random() < 0.8
        person = Persona(first.strip(), last.strip(), gender, family_first)
        if tag.startswith("x"):
            person.org = self.company()
        if tag:
            self.personas[tag] = person
        return person

    def org_of(self, person: Persona) -> str:
        if person.org is None:
            if self.default_org is None:
                self.default_org = self.company()
            person.org = self.default_org
        return person.org

    def company(self) -> str:
        rng, c = self.rng, self.country
        roll = rng.random()
        last = self.fake.last_name()
        if c.cc == "ID":
            return f"PT {rng.choice(BRANDS)} {rng.choice(INDUSTRIES)}" if roll < 0.5 else f"PT {last} Sejahtera"
        if c.cc == "VN":
            return f"{rng.choice(c.legal)} {rng.choice(BRANDS)} {last}"
        if c.cc in ("RU", "UA"):
            return f"{rng.choice(c.legal)} «{rng.choice(CYRILLIC_BRANDS[c.cc])}»"
        if c.cc == "GR":
            return f"{last} {rng.choice(c.legal)}" if roll < 0.6 else f"{rng.choice(BRANDS)} {rng.choice(c.legal)}"
        if roll < 0.3:
            return f"{last} {rng.choice(INDUSTRIES)} {rng.choice(c.legal)}"
        if roll < 0.55:
            return f"{rng.choice(BRANDS)} {rng.choice(INDUSTRIES)} {rng.choice(c.legal)}"
        if roll < 0.7:
            return f"{last} & {self.fake.last_name()} {rng.choice(c.legal)}"
        if roll < 0.85:
            return f"{rng.choice(BRANDS)} {rng.choice(INDUSTRIES)}"
        return f"{rng.choice(BRANDS)}{rng.choice(('', ' Group', ' Solutions', ' Partners', ' Labs'))}"

    def domain(self, org: str) -> str:
        """The employer's mail domain: its name without the legal form, plus the country's TLD (or .com)."""
        for legal in sorted(self.country.legal, key=len, reverse=True):
            org = org.replace(legal, " ")
        words = [ascii_slug(w) for w in re.split(r"[\s&,.«»]+", org)]
        noise = {"pt", "sejahtera", "group", "gmbh", "co", "kg", "and", "e", "et", "und", "y", "i"}
        words = [w for w in words if w and w not in noise] or ["mail"]
        name = words[0] if len(words) == 1 or self.rng.random() < 0.6 else "-".join(words[:2])
        return f"{name}.{self.country.tld if self.rng.random() < 0.75 else 'com'}"

    def email(self, person: Persona, work: bool = False) -> str:
        """An address built from the person's name, at a free-mail domain of the country or at their employer."""
        rng = self.rng
        fn, ln = ascii_slug(person.first) or "info", ascii_slug(person.last) or "mail"
        if work:
            local = rng.choice((f"{fn}.{ln}", f"{fn[0]}{ln}", fn, f"{fn[0]}.{ln}", f"{fn}.{ln}", ln))
            return f"{local}@{self.domain(self.org_of(person))}"
        year = rng.randrange(1960, 2006)
        local = rng.choice((f"{fn}.{ln}", f"{fn}{ln}{rng.randrange(1, 99)}", f"{fn}_{ln}", f"{fn[0]}{ln}",
                            f"{fn}{year}", f"{fn}.{ln}{year % 100:02d}", f"{ln}.{fn}", f"{fn}.{ln[0]}",
                            f"{fn}{rng.randrange(100, 999)}"))
        domain = rng.choice((*self.country.mail, "gmail.com", "outlook.com"))
        return f"{local}@{domain}"

    # numbers ------------------------------------------------------------------------------------------------
    def phone(self, kind: str = "any") -> str:
        rng, c = self.rng, self.country
        mobile = kind.startswith("mobile") or (kind in ("any", "intl") and rng.random() < 0.55)
        intl = kind.endswith("intl") or (kind in ("any", "mobile") and rng.random() < 0.35)
        if kind == "ext":
            mobile, intl = False, rng.random() < 0.3
        if mobile and intl and c.mobile_intl:
            number = digits(rng, rng.choice(c.mobile_intl))
        else:
            number = digits(rng, rng.choice(c.mobile if mobile else c.land))
            if intl:
                number = self.international(number)
        if kind == "ext":
            ext = digits(rng, rng.choice(("###", "####", "##")))
            if c.cc in ("DE", "AT", "CH") and rng.random() < 0.5 and not intl:
                number = f"{number.rstrip()}-{ext}"
            else:
                number += rng.choice((f" ext. {ext}", f" x{ext}", f" ext {ext}", f", ext. {ext}", f" (ext. {ext})"))
        return number

    def international(self, national: str) -> str:
        rng, c = self.rng, self.country
        rest = national.replace("(", "").replace(")", "").replace(" / ", " ").replace("/", " ").strip()
        if c.trunk and rest.startswith(c.trunk):
            rest = rest[len(c.trunk) :].lstrip(" -")
        style = rng.random()
        if style < 0.12:
            return f"+{c.calling}{re.sub(r'[^0-9]', '', rest)}"
        if style < 0.25:
            return f"00{c.calling} {rest}"
        if style < 0.35 and c.trunk == "0" and c.cc in ("DE", "AT", "CH", "GB", "NL", "BE"):
            return f"+{c.calling} (0){rest}"
        return f"+{c.calling} {rest}"

    # places -------------------------------------------------------------------------------------------------
    def city(self) -> City:
        return self.rng.choice(self.country.cities)

    def postcode(self, city: City) -> str:
        if city.postcode:
            return fill_postcode(self.rng, city.postcode)
        cc = self.country.cc
        if cc == "US":
            return self.fake.zipcode_in_state(city.region)
        if cc == "CA":
            code = self.fake.postalcode_in_province(city.region)
            return f"{code[:3]} {code[3:]}" if " " not in code else code
        return self.fake.postcode()

    def street_name(self) -> str:
        key = "BE" if self.locale == "fr_BE" else self.country.cc
        if key in STREETS:
            return self.rng.choice(STREETS[key])
        return self.fake.street_name()

    def house(self, letters: str = "") -> str:
        """A house number: mostly small, sometimes with a letter suffix where the country uses them."""
        rng = self.rng
        n = str(rng.randrange(1, rng.choice((30, 80, 80, 200, 400))))
        if letters and rng.random() < 0.15:
            n += rng.choice(letters)
        return n

    def address_lines(self) -> list[str]:
        """A postal address as the country writes it (no recipient line), one string per line."""
        rng, c = self.rng, self.country
        city = self.city()
        pc = self.postcode(city)
        st = self.street_name()
        cc = c.cc
        if cc == "US":
            unit = rng.choice(("", "", "", " Apt 4B", f" Apt. {rng.randrange(1, 40)}", f" #{rng.randrange(100, 999)}",
                               f" Suite {rng.randrange(100, 900)}", f" Unit {rng.randrange(1, 30)}"))
            return [f"{rng.randrange(10, 9999)} {st}{unit}", f"{city.local}, {city.region} {pc}"]
        if cc == "CA":
            line = f"{rng.randrange(10, 3999)} {st}"
            if rng.random() < 0.3:
                line = f"{rng.randrange(101, 2500)}-{line}"
            sep = rng.choice(("  ", " ", ", "))
            return [line, f"{city.local}{', ' if sep == ', ' else ' '}{city.region}{'  ' if sep == '  ' else ' '}{pc}"]
        if cc == "GB":
            lines = [f"{self.house('AB')} {st}"]
            if rng.random() < 0.3:
                flat = f"Flat {rng.randrange(1, 9)}{rng.choice('ABC')}"
                lines.insert(0, rng.choice((f"Flat {rng.randrange(1, 30)}", flat,
                                            f"{rng.choice(('Rose', 'Ivy', 'Oak', 'Mill'))} Cottage")))
            town = city.local.upper() if rng.random() < 0.35 else city.local
            return [*lines, town, pc]
        if cc == "IE":
            lines = [f"{self.house()} {st}"]
            if city.region == "Dublin":
                return [*lines, city.local, pc]
            return [*lines, city.local, f"Co. {city.region}", pc]
        if cc in ("AU", "NZ"):
            num = self.house("AB")
            if rng.random() < 0.3:
                num = f"{rng.randrange(1, 40)}/{num}"
            if cc == "AU":
                suburb = city.local.upper() if rng.random() < 0.5 else city.local
                return [f"{num} {st}", f"{suburb} {city.region} {pc}"]
            return [f"{num} {st}", city.region, f"{city.local} {pc}"]
        if cc == "IN":
            return [f"Flat No. {rng.randrange(1, 20)}0{rng.randrange(1, 9)}, {rng.choice(IN_BUILDINGS)}",
                    f"{rng.randrange(1, 200)}, {st}", rng.choice(IN_AREAS), f"{city.local} - {pc}", city.region]
        if cc == "PH":
            unit = rng.choice(("", f"Unit {rng.randrange(2, 40)}{rng.choice('ABCDEF')}, ", ""))
            return [f"{unit}{rng.randrange(1, 3000)} {st}", f"Brgy. {rng.choice(BARANGAYS)}",
                    f"{city.local} {pc}", city.region]
        if cc == "NG":
            return [f"{self.house()} {st}", city.local, f"{city.region} State" if city.region != "FCT" else "FCT"]
        if cc in ("DE", "CH", "HR", "SK"):
            return [f"{st} {self.house('abc' if cc == 'DE' else '')}", f"{pc} {city.local}"]
        if cc == "AT":
            num = self.house()
            if rng.random() < 0.6:
                num += rng.choice((f"/{rng.randrange(1, 30)}", f"/{rng.randrange(1, 5)}/{rng.randrange(1, 30)}",
                                   f"/Top {rng.randrange(1, 20)}"))
            return [f"{st} {num}", f"{pc} {city.local}"]
        if cc == "FR":
            num = self.house() + rng.choice(("", "", "", " bis", " ter"))
            lines = [f"{num} {st}", f"{pc} {city.local.upper() if rng.random() < 0.6 else city.local}"]
            if rng.random() < 0.25:
                lines.insert(0, f"Bât. {rng.choice('ABCD')}, Apt {rng.randrange(1, 80)}")
            return lines
        if cc == "BE":
            box = rng.choice(("", "", f" bte {rng.randrange(1, 20)}" if self.locale == "fr_BE" else
                              f" bus {rng.randrange(1, 20)}"))
            return [f"{st} {self.house()}{box}", f"{pc} {city.local}"]
        if cc == "NL":
            num = self.house() + rng.choice(("", "", "", "A", "-2", " hs", "-III"))
            town = city.local.upper() if rng.random() < 0.3 else city.local
            return [f"{st} {num}", f"{pc}{'  ' if town.isupper() else ' '}{town}"]
        if cc == "IT":
            lines = [f"{st}, {self.house()}", f"{pc} {city.local} ({city.region})"]
            if rng.random() < 0.2:
                lines[0] += f", scala {rng.choice('ABC')}, int. {rng.randrange(1, 30)}"
            return lines
        if cc == "ES":
            floor = rng.choice((f", {rng.randrange(1, 9)}º {rng.choice('ABCD')}", f", {rng.randrange(1, 9)}º",
                                ", bajo", f", {rng.randrange(1, 6)}º {rng.choice(('izq.', 'dcha.'))}", ""))
            prov = f" ({city.region})" if city.region != city.local else ""
            return [f"{st}, {self.house()}{floor}", f"{pc} {city.local}{prov}"]
        if cc == "PT":
            floor = rng.choice((f", {rng.randrange(1, 9)}º Esq.", f", {rng.randrange(1, 9)}º Dto.", "", ", r/c"))
            return [f"{st}, {self.house()}{floor}", f"{pc} {city.local}"]
        if cc == "BR":
            line = f"{st}, {rng.randrange(10, 3000)}" + rng.choice(("", f", Apto {rng.randrange(11, 200)}",
                                                                     f" - Bloco {rng.choice('ABC')}", ""))
            cep = pc if rng.random() < 0.6 else f"CEP {pc}"
            return [line, rng.choice(BAIRROS), f"{city.local} - {city.region}", cep]
        if cc == "MX":
            line = f"{st} {rng.randrange(10, 2000)}" + rng.choice(("", f" Int. {rng.randrange(1, 20)}",
                                                                   f" Depto. {rng.randrange(101, 904)}"))
            return [line, f"Col. {rng.choice(COLONIAS)}", f"C.P. {pc} {city.local}, {city.region}"]
        if cc == "AR":
            line = f"{st} {rng.randrange(100, 5000)}" + rng.choice(("", f", Piso {rng.randrange(1, 15)} "
                                                                        f"Dto. {rng.choice('ABCD')}", ""))
            return [line, f"{pc} {city.local}", city.region]
        if cc == "CO":
            unit = rng.choice(("", f", Apto {rng.randrange(101, 1804)}",
                               f", Torre {rng.randrange(1, 5)} Apto {rng.randrange(101, 904)}"))
            line = self.fake.street_address() + unit
            return [line, f"{city.local}, {city.region}"]
        if cc == "PL":
            num = self.house() + rng.choice(("", f"/{rng.randrange(1, 80)}", f" m. {rng.randrange(1, 60)}", ""))
            return [f"ul. {st} {num}", f"{pc} {city.local}"]
        if cc == "CZ":
            return [f"{st} {rng.randrange(100, 3000)}/{self.house()}", f"{pc} {city.local}"]
        if cc == "SE":
            extra = rng.choice(("", "", f", lgh {rng.randrange(1001, 1704)}", f" {rng.randrange(1, 5)} tr"))
            town = city.local.upper() if rng.random() < 0.4 else city.local
            return [f"{st} {self.house('AB')}{extra}", f"{pc} {town}"]
        if cc == "DK":
            extra = rng.choice(("", f", {rng.randrange(1, 6)}. tv", f", {rng.randrange(1, 6)}. th", ", st."))
            return [f"{st} {self.house('ABC')}{extra}", f"{pc} {city.local}"]
        if cc == "NO":
            town = city.local.upper() if rng.random() < 0.6 else city.local
            return [f"{st} {self.house('ABC')}", f"{pc} {town}"]
        if cc == "FI":
            extra = rng.choice(("", f" {rng.choice('ABC')} {rng.randrange(1, 40)}", f" as. {rng.randrange(1, 60)}"))
            town = city.local.upper() if rng.random() < 0.6 else city.local
            return [f"{st} {self.house()}{extra}", f"{pc} {town}"]
        if cc == "HU":
            extra = rng.choice(("", f" {rng.randrange(1, 8)}. em. {rng.randrange(1, 20)}.", ""))
            line = f"{st} {self.house()}.{extra}"
            if rng.random() < 0.5:
                return [city.local, line, pc]
            return [f"{pc} {city.local}, {line}"]
        if cc == "RO":
            extra = rng.choice(("", f", bl. {rng.choice('ABCDM')}{rng.randrange(1, 30)}, sc. {rng.randrange(1, 4)}, "
                                    f"et. {rng.randrange(1, 10)}, ap. {rng.randrange(1, 90)}"))
            county = city.region if city.region.startswith("Sector") else f"jud. {city.region}"
            where = f"{city.local}, {county}"
            return [f"{st} nr. {self.house()}{extra}", f"{pc} {where}"]
        if cc == "TR":
            return [f"{rng.choice(MAHALLE)} Mah. {st} No: {self.house()} D: {rng.randrange(1, 30)}",
                    f"{pc} {city.region}/{city.local}"]
        if cc == "ID":
            rt = f", RT {rng.randrange(1, 15):02d}/RW {rng.randrange(1, 12):02d}" if rng.random() < 0.5 else ""
            return [f"{st} No. {self.house()}{rt}", f"{city.local} {pc}", city.region]
        if cc == "VN":
            return [f"{self.house()} {st}, Phường {rng.choice(VN_WARDS)}, {city.region}", city.local]
        if cc == "EE":
            return [f"{st} {self.house()}-{rng.randrange(1, 80)}", f"{pc} {city.local}"]
        if cc == "LT":
            return [f"{st} {self.house()}-{rng.randrange(1, 80)}", f"{pc} {city.local}"]
        if cc == "GR":
            return [f"{st} {self.house()}", f"{pc} {city.local}"]
        if cc == "RU":
            return [f"{st}, д. {self.house()}, кв. {rng.randrange(1, 200)}", f"г. {city.local}", pc]
        if cc == "UA":
            return [f"вул. {st}, {self.house()}, кв. {rng.randrange(1, 150)}", f"м. {city.local}", pc]
        raise ValueError(f"no address format for {cc}")

    def street_line(self) -> str:
        """The first line of an address only (street, number, unit)."""
        lines = self.address_lines()
        if self.country.cc in ("GB",) and lines[0].startswith(("Flat", "Rose", "Ivy", "Oak", "Mill")):
            return f"{lines[0]}, {lines[1]}"
        if self.country.cc == "FR" and lines[0].startswith("Bât."):
            return lines[1]
        if self.country.cc == "IN":
            return f"{lines[0]}, {lines[1]}"
        if self.country.cc == "HU" and len(lines) == 1:
            return lines[0].split(", ", 1)[1]
        if self.country.cc == "HU":
            return lines[1]
        return lines[0]

    # dates ---------------------------------------------------------------------------------------------------
    def when(self, past_days: int = 120, future_days: int = 30) -> datetime:
        shift = timedelta(days=self.rng.randrange(-past_days, future_days), seconds=self.rng.randrange(-18000, 18000))
        return self.now + shift

    def tick(self) -> datetime:
        """Clock times in one text (chat lines, log lines) move forward by a few seconds to minutes."""
        self.clock += timedelta(seconds=self.rng.randrange(5, 240))
        return self.clock

    def numeric_date(self, d: datetime) -> str:
        style = self.country.dates
        if style == "mdy":
            return f"{d.month}/{d.day}/{d.year}" if self.rng.random() < 0.6 else f"{d:%m/%d/%Y}"
        if style == "dmy":
            return f"{d:%d/%m/%Y}" if self.rng.random() < 0.7 else f"{d.day}/{d.month}/{d:%y}"
        if style == "dmy.":
            return f"{d:%d.%m.%Y}" if self.rng.random() < 0.8 else f"{d.day}.{d.month}.{d.year}"
        if style == "dmy-":
            return f"{d:%d-%m-%Y}"
        if style == "ymd.":
            return f"{d:%Y. %m. %d.}"
        return f"{d:%Y-%m-%d}"

    def date(self, d: datetime | None = None) -> str:
        d = d or self.when()
        us = self.country.dates == "mdy"
        month, mon, day = MONTHS[d.month - 1], MONTHS[d.month - 1][:3], DAYS[d.weekday()]
        return self.rng.choice((
            f"{month} {d.day}, {d.year}" if us else f"{d.day} {month} {d.year}",
            f"{mon} {d.day}" if us else f"{d.day} {mon}",
            self.numeric_date(d),
            self.numeric_date(d),
            f"{day}, {month} {d.day}" if us else f"{day} {d.day} {month}",
            f"{month} {d.day}" if us else f"{d.day}{ordinal(d.day)} {month}",
        ))

    def date_time(self, lang: str = "en") -> str:
        d = self.when()
        hm = f"{d:%H:%M}"
        if lang == "de":
            return self.rng.choice((f"{d:%d.%m.%Y} um {hm}", f"{DE_DAYS[d.weekday()]}., {d.day}. "
                                    f"{DE_MONTHS[d.month - 1]} {d.year} um {hm}"))
        if lang == "fr":
            return f"{FR_DAYS[d.weekday()]} {d.day} {FR_MONTHS[d.month - 1]} {d.year} à {hm}"
        if lang == "es":
            return f"{ES_DAYS[d.weekday()]}, {d.day} {ES_MONTHS[d.month - 1]} {d.year}, {hm}"
        if lang == "nl":
            return f"{NL_DAYS[d.weekday()]} {d.day} {NL_MONTHS[d.month - 1]} {d.year} om {hm}"
        if lang == "it":
            return f"{IT_DAYS[d.weekday()]} {d.day} {IT_MONTHS[d.month - 1]} {d.year} alle ore {hm}"
        us = self.country.dates == "mdy"
        ampm = f"{d.hour % 12 or 12}:{d:%M} {'AM' if d.hour < 12 else 'PM'}"
        day, mon = DAYS[d.weekday()], MONTHS[d.month - 1]
        return self.rng.choice((
            f"{day[:3]}, {mon[:3]} {d.day}, {d.year} at {ampm}" if us
            else f"{day[:3]}, {d.day} {mon[:3]} {d.year} at {hm}",
            f"{self.numeric_date(d)} {hm}",
            f"{day}, {mon} {d.day}, {d.year} {ampm}" if us else f"{day}, {d.day} {mon} {d.year} {hm}",
            f"{d.day} {mon} {d.year}, at {hm}",
        ))

    def amount(self, plain: bool = False) -> str:
        """A price in the country's currency and number format (thousands grouping is optional, as in real text)."""
        rng, c = self.rng, self.country
        value = rng.choice((rng.uniform(5, 120), rng.uniform(20, 900), rng.uniform(100, 4000)))
        if plain:
            return f"{value:.2f}"
        if c.cc in WHOLE_UNITS:
            whole, cents = int(round(value * WHOLE_UNITS[c.cc], -2)), ""
        else:
            whole, cents = int(value), f"{c.decimal}{round(value * 100) % 100:02d}"
        text = str(whole)
        if whole >= 1000 and rng.random() < 0.7:
            sep = "'" if c.cc == "CH" else "," if c.decimal == "." else "." if c.cc in DOT_THOUSANDS else "\u00a0"
            text = f"{whole:,}".replace(",", sep)
        return c.money.format(text + cents)


WHOLE_UNITS = {"HU": 390, "ID": 16000, "VN": 25000, "CO": 4200}  # currencies written without decimals
DOT_THOUSANDS = {"DE", "AT", "IT", "ES", "BR", "NL", "TR", "ID", "VN", "CO", "AR", "BE", "PT", "DK", "HR", "RO", "GR"}
DE_DAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
DE_MONTHS = ("Jan", "Feb", "März", "Apr", "Mai", "Juni", "Juli", "Aug", "Sept", "Okt", "Nov", "Dez")
FR_DAYS = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")
FR_MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")
ES_DAYS = ("lun", "mar", "mié", "jue", "vie", "sáb", "dom")
ES_MONTHS = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic")
NL_DAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")
NL_MONTHS = ("jan.", "feb.", "mrt.", "apr.", "mei", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec.")
IT_DAYS = ("lun", "mar", "mer", "gio", "ven", "sab", "dom")
IT_MONTHS = ("gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic")


def ordinal(n: int) -> str:
    return "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


class Fakers:
    """One seeded Faker per locale, created on first use; seeds derive from the corpus seed and the locale name."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.cache: dict[str, Faker] = {}

    def get(self, locale: str) -> Faker:
        if locale not in self.cache:
            fake = Faker(locale)
            fake.seed_instance(self.seed * 1_000_003 + zlib.crc32(locale.encode()))
            self.cache[locale] = fake
        return self.cache[locale]


# ---------------------------------------------------------------------------------------------------------------
# Slots: name -> (label or None, value function). Person slots take the persona for their tag.
# ---------------------------------------------------------------------------------------------------------------

PersonFn = Callable[[Ctx, Persona], str]
ValueFn = Callable[[Ctx], str]


def _prefix(ctx: Ctx, p: Persona) -> str:
    rng = ctx.rng
    if rng.random() < 0.1:
        return rng.choice(("Dr.", "Dr"))
    dot = "" if ctx.country.cc in ("GB", "IE", "AU", "NZ") else "."
    return f"Mr{dot}" if p.gender == "m" else rng.choice((f"Ms{dot}", f"Mrs{dot}", f"Ms{dot}"))


def _alt_email(ctx: Ctx, p: Persona) -> str:
    first = p.emails[0] if p.emails else ctx.email(p)
    for _ in range(10):
        other = ctx.email(p)
        if other != first:
            return other
    return "x" + first


def _same_first(ctx: Ctx, p: Persona) -> str:
    new_last = ctx.fake.last_name_female() if p.gender == "f" else ctx.fake.last_name_male()
    return f"{new_last} {p.first}" if p.family_first else f"{p.first} {new_last}"


ROLE_MAILBOXES = ("support", "billing", "info", "accounts", "help", "service", "orders", "invoices", "hello")

PERSON_SLOTS: dict[str, tuple[str | None, PersonFn]] = {
    "name": ("PERSON", lambda ctx, p: p.full),
    "first_name": ("PERSON", lambda ctx, p: p.first),
    "last_name": ("PERSON", lambda ctx, p: p.last),
    "name_initial": ("PERSON", lambda ctx, p: f"{p.first[0]}.{ctx.rng.choice(('', ' '))}{p.last}"),
    "name_reversed": ("PERSON", lambda ctx, p: f"{p.last}, {p.first}"),
    "name_upper_last": ("PERSON", lambda ctx, p: f"{p.first} {p.last.upper()}"),
    "name_same_first": ("PERSON", _same_first),
    "word_name": ("PERSON", lambda ctx, p: p.full),
    "word_first": ("PERSON", lambda ctx, p: p.first),
    "email": ("EMAIL_ADDRESS", lambda ctx, p: ctx.email(p)),
    "alt_email": ("EMAIL_ADDRESS", _alt_email),
    "work_email": ("EMAIL_ADDRESS", lambda ctx, p: ctx.email(p, work=True)),
    "generic_email": ("EMAIL_ADDRESS", lambda ctx, p: f"{ctx.rng.choice(ROLE_MAILBOXES)}@{ctx.domain(ctx.org_of(p))}"),
    "company": ("ORGANIZATION", lambda ctx, p: ctx.org_of(p)),
    "prefix": (None, _prefix),
}


def _city_any(ctx: Ctx) -> str:
    key = ctx.rng.choice(sorted(COUNTRIES))
    return ctx.rng.choice(COUNTRIES[key].cities).english


def _state(ctx: Ctx) -> str:
    return US_STATES.get(ctx.city().region, "California") if ctx.country.cc == "US" else ctx.city().region


US_STATES = {"NY": "New York", "CA": "California", "IL": "Illinois", "TX": "Texas", "AZ": "Arizona",
             "PA": "Pennsylvania", "WA": "Washington", "OR": "Oregon", "CO": "Colorado", "MA": "Massachusetts",
             "GA": "Georgia", "FL": "Florida", "MN": "Minnesota", "OH": "Ohio", "NC": "North Carolina",
             "TN": "Tennessee", "UT": "Utah", "MO": "Missouri", "MI": "Michigan", "MD": "Maryland", "WI": "Wisconsin",
             "NM": "New Mexico", "ID": "Idaho", "VA": "Virginia", "NE": "Nebraska"}


def _ssn(ctx: Ctx) -> str:
    number = ctx.fakers.get("en_US").ssn()
    roll = ctx.rng.random()
    return number if roll < 0.75 else number.replace("-", " ") if roll < 0.92 else number.replace("-", "")


def _iban_for(ctx: Ctx, grouped: bool | None) -> str:
    cc = ctx.country.iban or ctx.rng.choice(SEPA_FALLBACK)
    return iban(ctx.rng, cc, grouped)


def _time(ctx: Ctx) -> str:
    d = ctx.tick()
    style = ctx.values.setdefault(("_clock_style", ""), ctx.rng.choice(("%H:%M", "%H:%M", "%H:%M:%S")))
    return f"{d:{style}}"


def _time12(ctx: Ctx) -> str:
    d = ctx.tick()
    return f"{d.hour % 12 or 12}:{d:%M} {'AM' if d.hour < 12 else 'PM'}"


def _pick(*patterns: str) -> ValueFn:
    return lambda ctx: fill_postcode(ctx.rng, ctx.rng.choice(patterns))


def _choice(options: tuple[str, ...]) -> ValueFn:
    return lambda ctx: ctx.rng.choice(options)


def _int(lo: int, hi: int) -> ValueFn:
    return lambda ctx: str(ctx.rng.randrange(lo, hi + 1))


VALUE_SLOTS: dict[str, tuple[str | None, ValueFn]] = {
    # sensitive
    "phone": ("PHONE_NUMBER", lambda ctx: ctx.phone("any")),
    "phone_intl": ("PHONE_NUMBER", lambda ctx: ctx.phone("intl")),
    "mobile": ("PHONE_NUMBER", lambda ctx: ctx.phone("mobile")),
    "mobile_intl": ("PHONE_NUMBER", lambda ctx: ctx.phone("mobile_intl")),
    "phone_ext": ("PHONE_NUMBER", lambda ctx: ctx.phone("ext")),
    "street": ("STREET_ADDRESS", lambda ctx: ctx.street_line()),
    "address": ("STREET_ADDRESS", lambda ctx: "\n".join(ctx.address_lines())),
    "address_line": ("STREET_ADDRESS", lambda ctx: ", ".join(ctx.address_lines())),
    "card": ("CREDIT_CARD", lambda ctx: credit_card(ctx.rng)),
    "card_plain": ("CREDIT_CARD", lambda ctx: credit_card(ctx.rng, sep="")),
    "card_amex": ("CREDIT_CARD", lambda ctx: credit_card(ctx.rng, brand=2, sep=ctx.rng.choice((" ", "-", "")))),
    "iban": ("IBAN_CODE", lambda ctx: _iban_for(ctx, None)),
    "iban_grouped": ("IBAN_CODE", lambda ctx: _iban_for(ctx, True)),
    "iban_compact": ("IBAN_CODE", lambda ctx: _iban_for(ctx, False)),
    "ssn": ("US_SSN", _ssn),
    "ip": ("IP_ADDRESS", lambda ctx: ipv6(ctx.rng) if ctx.rng.random() < 0.2 else ipv4(ctx.rng)),
    "ipv4": ("IP_ADDRESS", lambda ctx: ipv4(ctx.rng)),
    "ipv6": ("IP_ADDRESS", lambda ctx: ipv6(ctx.rng)),
    "dl": ("US_DRIVER_LICENSE", lambda ctx: driver_license(ctx.rng)),
    # labelled, not sensitive
    "city": ("LOCATION", lambda ctx: ctx.city().english),
    "city_any": ("LOCATION", _city_any),
    "country": ("LOCATION", lambda ctx: ctx.country.name.removeprefix("the ")),
    "country_any": ("LOCATION", lambda ctx: COUNTRIES[ctx.rng.choice(sorted(COUNTRIES))].name.removeprefix("the ")),
    "state": ("LOCATION", _state),
    "carrier": ("ORGANIZATION", _choice(CARRIERS)),
    "bank": ("ORGANIZATION", lambda ctx: ctx.rng.choice(BANKS.get(ctx.country.iban or "", ()) + ONLINE_BANKS)),
    "date": ("DATE_TIME", lambda ctx: ctx.date()),
    "date_num": ("DATE_TIME", lambda ctx: ctx.numeric_date(ctx.when())),
    "dob": ("DATE_TIME", lambda ctx: ctx.date(datetime(1950, 1, 1) + timedelta(days=ctx.rng.randrange(0, 20000)))),
    "date_time": ("DATE_TIME", lambda ctx: ctx.date_time()),
    "date_time_de": ("DATE_TIME", lambda ctx: ctx.date_time("de")),
    "date_time_fr": ("DATE_TIME", lambda ctx: ctx.date_time("fr")),
    "date_time_es": ("DATE_TIME", lambda ctx: ctx.date_time("es")),
    "date_time_nl": ("DATE_TIME", lambda ctx: ctx.date_time("nl")),
    "date_time_it": ("DATE_TIME", lambda ctx: ctx.date_time("it")),
    "weekday": ("DATE_TIME", _choice(DAYS[:5])),
    "month": ("DATE_TIME", lambda ctx: ctx.rng.choice((MONTHS[ctx.when().month - 1], f"{ctx.when():%B %Y}"))),
    "year": ("DATE_TIME", _int(2009, 2022)),
    # distractors (no span)
    "order_no": (None, _pick("#########", "ORD-2024-######", "???-######", "100######", "W#########", "#######")),
    "ticket_no": (None, _pick("#####", "######", "INC#######", "TCK-#####", "SR-######", "#4####")),
    "case_no": (None, _pick("########", "CS#######", "00######", "C-#####")),
    "inc_no": (None, _pick("INC00#####", "INC#######", "RITM00#####")),
    "invoice_no": (None, _pick("INV-2024-#####", "RE########", "2024/####", "F######", "INV#######")),
    "tracking_no": (None, _pick("1Z###??#########", "JJD####################", "############", "??#########DE",
                                "??#########GB", "00340434#############", "CP#########FR", "TBA############")),
    "amount": (None, lambda ctx: ctx.amount()),
    "amount_plain": (None, lambda ctx: ctx.amount(plain=True)),
    "version": (None, _pick("#.#.#", "##.#.#", "v#.##", "2024.#.#", "#.##.#", "v##.#.##")),
    "build": (None, _pick("#####", "b####", "2024####.#", "######")),
    "winbuild": (None, _pick("10.0.19045.####", "10.0.22631.####", "10.0.2262#.####", "6.3.96##.####")),
    "timestamp": (None, lambda ctx: f"{ctx.when():%Y-%m-%dT%H:%M:%S}{ctx.rng.choice(('Z', '.123Z', '+01:00', ''))}"),
    "log_ts": (None, lambda ctx: f"{ctx.when():%d/%b/%Y:%H:%M:%S} +0000"),
    "syslog_ts": (None, lambda ctx: f"{ctx.when():%b %d %H:%M:%S}"),
    "apache_ts": (None, lambda ctx: f"{ctx.when():%a %b %d %H:%M:%S}.{ctx.rng.randrange(10**5, 10**6)} {ctx.now.year}"),
    "time": (None, _time),
    "time12": (None, _time12),
    "error_code": (None, _pick("E####", "0x8007####", "ERR_5##", "###", "AUTH-###", "E-##", "0x800C####", "SYNC-##")),
    "sku": (None, _pick("???-####-??", "SKU ######", "??-#####", "#####-??", "???####")),
    "room": (None, _pick("#.##", "B###", "###", "#.##a", "R###")),
    "count": (None, _int(2, 40)),
    "small_num": (None, _int(1, 60)),
    "percent": (None, _pick("1#%", "2#%", "#%", "1#.5%")),
    "duration": (None, _pick("# min", "1# min", "#h 2#m", "00:0#:##", "00:1#:3#", "# days", "4# seconds")),
    "card_last4": (None, _pick("####")),
    "card_exp": (None, _pick("0#/2#", "1#/2#", "0#/##")),
    "po_no": (None, _pick("PO-######", "PO######", "4500######")),
    "asset_tag": (None, _pick("IT-#####", "LT######", "A-#####", "NB-####")),
    "serial": (None, _pick("SN##########", "??########", "C02??####??", "S/N ###-###-###", "SN-****-****")),
    "rma": (None, _pick("RMA-######", "RMA######", "R-#####")),
    "kb": (None, _pick("KB#######", "KB-####", "KB00####")),
    "employee_id": (None, _pick("E#####", "######", "EMP-####", "P#######")),
    "customer_id": (None, _pick("C-######", "CU#######", "#########", "K-#####")),
    "account_id": (None, _pick("ACC-#######", "AC########", "############", "A-#####-##")),
    "hostname": (None, _pick("WS-#####", "LAPTOP-???####", "srv-app-0#", "PC-###-??")),
    "mac": (None, lambda ctx: mac(ctx.rng)),
    "pid": (None, _int(300, 65000)),
    "port": (None, _int(1024, 65535)),
    "port_name": (None, _pick("Gi1/0/##", "Gi2/0/#", "Fa0/##", "port ##")),
    "ref": (None, _pick("REF-########", "??########", "RF######", "#######-??")),
    "access_code": (None, _pick("####", "####B", "A###", "#####")),
    "weight": (None, _pick("#.# kg", "##.# kg", "# lb")),
    "cost_centre": (None, _pick("CC-####", "####-###", "KST ####")),
    "job_no": (None, _pick("J######", "WO-#####", "JOB ######")),
    "job_id": (None, lambda ctx: f"{ctx.rng.getrandbits(32):08x}"),
    "session": (None, lambda ctx: f"{ctx.rng.getrandbits(128):032x}"),
    "workspace_id": (None, _pick("ws_##??##??##", "ws-######")),
    "building": (None, _pick("Building ?", "HQ Tower ?", "Block ?", "Site ##")),
    "bic": (None, lambda ctx: digits(ctx.rng, "????") + ctx.country.cc[:2] + digits(ctx.rng, "??") +
            ctx.rng.choice(("", "XXX", "###"))),
    "tz": (None, _choice(("UTC", "UTC+1", "UTC+2", "UTC-5", "CET", "UTC+5:30", "UTC+10", "EST", "GMT"))),
    "last_seen": (None, _choice(("· 2m ago", "· just now", "· 5m ago", "· 1h ago"))),
    "region": (None, _choice(REGIONS)),
    "job": (None, _choice(JOBS)),
    "dept": (None, _choice(DEPTS)),
    "product": (None, _choice(PRODUCTS)),
    "device": (None, _choice(DEVICES)),
    "relationship": (None, _choice(RELATIONS)),
    "ext": (None, _pick("###", "####")),
}

Span = dict[str, Any]
Record = dict[str, Any]
SLOT_RE = re.compile(r"\{\{([a-z0-9_]+)(?:@([a-z0-9]+))?(?:\|(lower|upper))?\}\}")


def slot_label(name: str) -> str | None:
    if name in PERSON_SLOTS:
        return PERSON_SLOTS[name][0]
    if name in VALUE_SLOTS:
        return VALUE_SLOTS[name][0]
    raise KeyError(f"unknown slot {name!r}")


# ---------------------------------------------------------------------------------------------------------------
# Templates.
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    text: str
    pool: str = "any"
    case: str | None = None  # "upper" / "lower": applied to the whole rendered text
    world: bool = False  # postal-address or signature template: may be rendered with a non-Latin locale


def t(text: str, pool: str = "any", case: str | None = None, world: bool = False) -> Template:
    """A template; multi-line text is dedented and stripped of the surrounding blank lines."""
    return Template(textwrap.dedent(text).strip("\n"), pool, case, world)


TEMPLATES: list[Template] = []  # filled below, in a fixed order: template_id is the index


# --- Inbound e-mails: greeting, body, signature blocks -------------------------------------------------------------
TEMPLATES += [
    t("""\
        Hi team,

        Since the update to {{version}} last night none of us can log in to the portal, error {{error_code}} every time.
        Could someone call me back? Best on my mobile {{mobile}}.

        Thanks,
        {{name@a}}
        {{job}} | {{company@a}}
        """, world=True),
    t("""\
        Hello,

        please cancel order {{order_no}}, we ordered the wrong size by mistake. According to the portal nothing has
        shipped yet.

        Kind regards

        {{name@a}}
        {{job}}
        {{company@a}}
        T: {{phone}}
        M: {{mobile}}
        E: {{work_email@a}}
        """, world=True),
    t("""\
        Dear Sir or Madam,

        I am writing to complain about invoice {{invoice_no}}. I was charged {{amount}} twice on {{date}}.
        I have attached my bank statement. Please refund the second payment to the account it came from.

        Yours faithfully,
        {{prefix@a}} {{name@a}}
        """, world=True),
    t("""\
        Hello together,

        since monday we have problems with the label printer in room {{room}}. It prints only empty pages.
        We have already restarted it 2 times. Can you please send a technician?

        With best regards / Mit freundlichen Grüßen

        {{name@a}}
        {{company@a}}
        {{address}}
        Tel.: {{phone}}
        Fax: {{phone}}
        """, pool="de"),
    t("""\
        Still not working. Tried on two laptops and on my phone.

        {{first_name}}

        Sent from my iPhone
        """),
    t("""\
        Good morning {{first_name@ag}},

        thanks for your help yesterday. Unfortunately the issue came back this morning at around {{time}}.
        The VPN drops every few minutes when I'm on the hotel wifi in {{city_any}}.

        My public IP right now is {{ip}} if that helps.

        Cheers,
        {{first_name@c}}
        """),
    t("""\
        Bonjour,

        Sorry for my english. I order the {{sku}} on your website the {{date}} and I still did not receive nothing.
        My adress is {{address_line}}. Can you check please?

        Cordialement,
        {{name_upper_last}}
        """, pool="fr"),
    t("""\
        Hi,

        I can't remember which email I used to sign up. It's either {{email@a}} or {{alt_email@a}}.
        Could you check which one has the account? The order number is {{order_no}}.

        {{name@a}}
        """),
    t("""\
        Hiya,

        Parcel was left with a neighbour at no. {{small_num}} instead of my place at {{street}}. Neighbour says they
        never got it. Tracking {{tracking_no}}. Can ye sort it out?

        Ta,
        {{first_name}}
        """, pool="gb"),
    t("""\
        Hi HR,

        Please update my emergency contact to {{name}} ({{relationship}}), phone {{phone}}.
        My employee ID is {{employee_id}}.

        Thank you,
        {{name@a}}
        """, world=True),
    t("""\
        Hello,

        I'm leaving {{company@a}} at the end of the month. From {{date}} please send all invoices to my colleague
        {{name@b}} ({{work_email@b}}) instead of me.

        Best,
        {{name@a}}
        """, world=True),
    t("""\
        Hello good afternoon,

        I write you because my card was charged but the order dont appear in my account. The card is the one that
        finish in {{card_last4}}. Please can you verify? My telephone is {{phone}} and I am available after 5pm.

        Thank you very much
        {{name}}
        {{city}}, {{country}}
        """, pool="latam"),
    t("""\
        G'day,

        Just moved house - new address is:
        {{address}}

        Can you update it on account {{customer_id}} before the next delivery on {{weekday}}? Cheers

        {{first_name}}
        {{mobile}}
        """, pool="anz"),
    t("""\
        Hi,

        The shared mailbox for {{dept}} is full again and new mails are bouncing. Can you increase the quota or archive
        older items?

        Regards,

        {{name@a}} | {{job}}
        {{company@a}}
        Direct: {{phone_ext}} | Mobile: {{mobile}}

        This e-mail and any attachments are confidential and intended solely for the addressee. If you have received
        it in error, please notify the sender and delete it.
        """, world=True),
    t("""\
        Hi there,

        Our new colleague {{name@fb}} starts on {{date}} and needs a laptop, a {{product}} licence and access to the
        finance share. Her manager is {{name@c}}. Please set up the account as {{work_email@fb}}.

        Thanks in advance,
        {{first_name@a}}
        Office Manager
        """),
    t("hi, can u reset my password pls. user is {{email}}. thx"),
    t("""\
        I HAVE BEEN WAITING 3 WEEKS FOR MY REFUND OF {{amount}}!!! ORDER {{order_no}}. CALL ME ON {{phone}} TODAY OR I
        WILL DISPUTE THE CHARGE WITH MY BANK. {{name}}
        """, case="upper"),
    t("""\
        Hello,

        To verify my identity for the rental account I'm sending my driver's license number: {{dl}}, issued in
        {{state}}. Current address: {{address_line}}.

        Please confirm once it's verified.
        {{name}}
        """, pool="us"),
    t("""\
        Respected Sir/Madam,

        Kindly do the needful and update my registered mobile number from {{mobile}} to {{mobile}} for the account
        linked to {{email@c}}. The old SIM is lost.

        Thanking you,
        {{name@c}}
        """, pool="in"),
    t("""\
        Dear Accounts Payable,

        Please note that our bank details have changed with immediate effect. Kindly update your records:

        Account holder: {{company@a}}
        IBAN: {{iban_grouped}}
        BIC: {{bic}}

        All payments for invoice {{invoice_no}} and onwards should be made to the new account.

        Regards,
        {{name@a}}
        Finance Department
        """, pool="sepa"),
    t("""\
        Hi,

        {{name@mb}} from our warehouse in {{city}} will be the contact for the pickup. You can reach him on {{phone}}
        between 7 and 3. Pallets are ready at gate {{small_num}}.

        Thanks
        {{first_name@a}}
        """),
    t("""\
        Hej!

        Sorry to bother you again. The replacement headset you sent (case {{case_no}}) has the same crackling noise.
        Could you send a prepaid return label to {{email@c}}?

        Tack,
        {{first_name@c}}
        """, pool="se"),
    t("""\
        Hello,

        My daughter {{first_name@fd}} is enrolled in your online course but her login doesn't work. Her username
        is her school email, {{email@fd}}. Can you have a look?

        Many thanks,
        {{name@a}}
        """),
    t("""\
        Dear {{prefix@ag}} {{last_name@ag}},

        Further to our telephone conversation on {{date}}, please find enclosed the signed cancellation form. Please
        send the final statement to my new address:

        {{address}}

        Yours sincerely,
        {{name@c}}
        """, world=True),
    t("hola, i changed my phone and now i dont receive the sms code. new number is {{mobile}}. my email is {{email}}",
      pool="es"),
    t("""\
        Hi,

        Could you please add our new office IP {{ipv4}} to the allowlist for the admin panel? The old one ({{ipv4}})
        can be removed after {{date}}.

        Br,
        {{name}}
        {{company}}
        """, world=True),
    t("""\
        To whom it may concern,

        Under Article 15 GDPR I request a copy of all personal data you hold about me. For identification:

        Name: {{name@c}}
        Date of birth: {{dob}}
        Email used: {{email@c}}
        Customer number: {{customer_id}}

        Please respond within one month.
        """, pool="sepa"),
    t("""\
        Good morning,

        i write for the contract {{ref}}. We moved the office to {{address_line}} since {{date}} and the invoices
        still arrive to the old address. Please correct.

        Best regards
        {{name_upper_last}}
        {{company}}
        """, pool="it"),
    t("""\
        Hello,

        I'm writing on behalf of my father, {{name@m}}, who passed away on {{date}}. I would like to close his account
        and stop the monthly direct debit from {{iban}}. I can send a copy of the death certificate.

        You can reach me at {{phone}}.

        Regards,
        {{name@b}}
        """, pool="sepa"),
    t("""\
        Thank you for your email. I am out of the office until {{date}} with limited access to email.
        For urgent matters please contact {{name@b}} at {{work_email@b}} or call {{phone_ext}}.

        {{name@a}}
        """, world=True),
    t("""\
        Danke und Gruß
        {{first_name@a}}

        --
        {{name@a}}
        {{job}}

        {{company@a}}
        {{address}}
        {{phone_intl}}
        """, pool="de"),
    t("""\
        Hi!! I bought 2 units of {{sku}} and only 1 arrived :( the box was open. My CPF is registered in the order,
        the delivery adress was {{address_line}}. please help me, tel {{mobile}}

        {{first_name}}
        """, pool="br"),
    t("""\
        Hi,

        I tried the steps in article {{kb}} but it still says the license is invalid.
        Easiest is if you ring me, {{phone}}, I'm at my desk until 4.

        {{first_name}}
        """),
    t("""\
        Hello,

        I spoke with one of your agents, {{first_name}}, on {{date}} and was promised a callback within 24 hours.
        Nobody called. This is my third ticket about the same problem ({{ticket_no}}). I expect a call from a manager
        at {{phone}}.

        {{prefix@a}} {{name@a}}
        """),
    t("""\
        Hello / Bonjour,

        Please update the delivery address for our standing order to:

        {{company@a}}
        Attn: {{name@b}}
        {{address}}

        Merci,
        {{first_name@c}}
        """, pool="ca"),
    t("""\
        Kia ora,

        The invoice we received lists the wrong contact. Please change it to {{name@b}}, {{work_email@b}}. Everything
        else is correct.

        Ngā mihi,
        {{first_name}}
        """, pool="nz"),
    t("""\
        Hello,

        our CI builds ({{build}}) are failing since today with "{{error_code}}: connection refused". The runner is
        behind NAT, outgoing address {{ipv4}}. Did you change the firewall rules?

        Regards,
        {{name}}
        """),
    t("""\
        Good day,

        Please I paid for the premium plan since {{date}} but my account is still showing basic. The payment was made
        with my card {{card}}. Kindly look into it urgently.

        My number is {{mobile}}.

        Regards
        {{name}}
        """, pool="ng"),
    t("""\
        Hi Support,

        we are a small {{dept}} team at {{company@a}} and would like to upgrade to the {{product}}. Who can send us a
        quote? I'm reachable on {{phone}} most mornings.

        {{first_name@a}}

        --
        {{name@a}}, {{job}}
        {{company@a}} · {{address_line}}
        """, world=True),
    t("""\
        Hi {{first_name@ag}},

        Quick one - {{first_name@fb}}'s laptop was stolen from her car last night ({{asset_tag}}). Police report
        number {{ref}}. Can you wipe it remotely and block her account until she gets a new one?

        {{name@a}}
        {{job}}
        """),
]
# --- Quoted reply chains and forwarded headers ---------------------------------------------------------------------
TEMPLATES += [
    t("""\
        Thanks, that worked!

        On {{date_time}}, {{name@ag}} <{{work_email@ag}}> wrote:
        > Hi {{first_name@c}},
        >
        > I've reset the MFA on your account. Please sign in again and scan the new QR code.
        >
        > Best regards
        > IT Service Desk
        """),
    t("""\
        Hi, forwarding this as requested. The customer never got the refund.

        ---------- Forwarded message ---------
        From: {{name@c}} <{{email@c}}>
        Date: {{date_time}}
        Subject: Refund for order {{order_no}}
        To: {{generic_email}}

        I returned the jacket on {{date}} and still have no refund. Please help.
        """),
    t("""\
        Please see below, can someone pick this up?

        From: {{name@a}} <{{work_email@a}}>
        Sent: {{date_time}}
        To: Service Desk
        Subject: Printer on 3rd floor

        Hi, the printer near room {{room}} shows error {{error_code}} again. Could someone look at it today?
        Thanks, {{first_name@a}}
        """),
    t("""\
        Still waiting for an answer on this...

        > On {{date}}, {{first_name@a}} wrote:
        > Any update? The customer is calling every day.
        > {{name@a}} | {{mobile}}
        >
        >> On {{date}}, Support wrote:
        >> We have escalated ticket {{ticket_no}} to the carrier and will update you shortly.
        """),
    t("""\
        Hi {{first_name@ag}},

        answers inline below.

        > 1. What is the serial number of the device?
        {{serial}}
        > 2. What is the delivery address?
        {{address_line}}
        > 3. Best number to reach you?
        {{phone}}, afternoons only

        Thanks
        {{name}}
        """),
    t("""\
        Hi, sorry for the late answer. Yes please go ahead and replace it.

        Am {{date_time_de}} schrieb {{name@ag}} <{{work_email@ag}}>:
        > Dear customer,
        > we can offer a replacement device ({{sku}}) or a refund of {{amount}}. Please let us know.
        """, pool="de"),
    t("""\
        OK merci, I will wait for the technician.

        Le {{date_time_fr}}, {{name@ag}} a écrit :
        > Bonjour {{first_name@c}},
        > le technicien passera demain entre 8h et 12h à l'adresse {{address_line}}.
        > Cordialement
        """, pool="fr"),
    t("""\
        Re: Re: Callback request

        Hi, the number in my first mail had a typo. Correct one is {{phone}} (not the one ending {{card_last4}}).

        -----Original Message-----
        From: {{name@a}}
        Sent: {{date_time}}
        Subject: Callback request

        Please call me back about the contract renewal.
        """),
    t("""\
        FYI - customer escalated via social media. Details below.

        -------- Original Message --------
        Subject: Complaint
        From: {{email@c}}
        Date: {{date}}

        My name is {{name@c}}, I have been a customer for {{count}} years and this is the worst service ever. Three
        technicians, three different answers.
        """),
    t("""\
        Hi,

        that's correct, we don't use a proxy.

        On {{date_time}} {{company}} Support wrote:
        > Could you confirm that {{ip}} is the only address connecting to the API? We also see requests from
        > {{ip}}, which are getting blocked.
        """),
    t("""\
        ##- Please type your reply above this line -##

        {{first_name@ag}} ({{company}})

        {{date_time}}

        Hello {{first_name@c}},

        Your request ({{ticket_no}}) has been updated. We have changed the billing contact to {{work_email@c}} as
        requested.
        """),
    t("""\
        Gracias!

        El {{date_time_es}}, {{name@c}} <{{email@c}}> escribió:
        > Hi, my order {{order_no}} is stuck in customs in {{city_any}}, what documents do you need?
        """, pool="es"),
    t("""\
        Please use this address instead, the other one is my old flat:

        {{address}}

        On {{date}}, at {{time}}, Customer Care wrote:
        > Please confirm the delivery address for your replacement order.
        """, world=True),
    t("""\
        Hi {{first_name@ag}}, can we move our call to {{weekday}}? Same time works for me.

        > Kind regards,
        > {{name@ag}}
        > Customer Success Manager, {{company}}
        > {{phone_ext}}
        """),
    t("""\
        Dat klopt, thanks!

        Op {{date_time_nl}} schreef {{name@ag}} <{{work_email@ag}}>:
        > Hi, just to confirm: the refund of {{amount}} will go back to IBAN {{iban}}?
        """, pool="nl"),
    t("""\
        Forwarded voicemail

        From: {{phone}}
        Received: {{date_time}}
        Duration: {{duration}}

        Transcript: "hi it's {{first_name|lower}} calling about my internet connection, it's been down since friday,
        can someone call me back on this number please, thanks"
        """),
    t("""\
        Fwd from Teams:

        {{name@a}} {{time}}
        can you check why {{name@fb}} still can't access the shared drive? her account is {{work_email@fb}}
        """),
    t("""\
        Thank you. You can call me tomorrow morning: {{mobile}}

        Il {{date_time_it}}, {{name@ag}} ha scritto:
        > Gentile cliente, we need to speak with you to complete the verification.
        """, pool="it"),
    t("""\
        Escalating to L2 - customer says the card was charged twice. Amounts: {{amount}} and {{amount}}.

        > From: {{name@c}} <{{email@c}}>
        > Card used: {{card}}
        > Please refund one of these asap.
        """),
    t("""\
        Looping in {{first_name@b}} who handles our invoices now.

        {{name@a}}

        From: {{company}} Billing
        Sent: {{date_time}}
        To: {{name@a}}
        Subject: Payment reminder {{invoice_no}}

        Dear customer, our records show an open balance of {{amount}}.
        """),
]
# --- Live-chat and messenger transcripts ---------------------------------------------------------------------------
TEMPLATES += [
    t("""\
        [{{time}}] Visitor: hi
        [{{time}}] {{first_name@ag}} (Support): Hello! How can I help you today?
        [{{time}}] Visitor: my package hasn't arrived, order {{order_no}}
        [{{time}}] {{first_name@ag}} (Support): Sorry to hear that. Can you confirm the delivery address?
        [{{time}}] Visitor: {{address_line}}
        """),
    t("""\
        {{time}} customer: hey its {{first_name@c|lower}} again, the app still crashes when i log in
        {{time}} agent: hi {{first_name@c|lower}}, sorry about that. which version are you on?
        {{time}} customer: {{version}}
        {{time}} agent: thanks, and the email on the account?
        {{time}} customer: {{email@c}}
        """),
    t("""\
        [{{date_num@d}}, {{time}}] {{name@c}}: Good morning, I need to change the delivery address for tomorrow
        [{{date_num@d}}, {{time}}] {{name@c}}: New one is {{address_line}}
        [{{date_num@d}}, {{time}}] Support: Noted! Order {{order_no}} updated 👍
        """),
    t("""\
        Chat started: {{timestamp}}
        Visitor name: {{name@c}}
        Visitor email: {{email@c}}

        ({{time}}) {{first_name@c}}: why was i charged {{amount}}??
        ({{time}}) {{first_name@ag}}: Hi there, let me check that for you.
        """),
    t("""\
        {{first_name@c}}: can someone just call me
        {{first_name@c}}: {{mobile}}
        Bot: I've passed your request to an agent. Expected wait time: {{duration}}.
        """),
    t("""\
        [{{time}}] Agent {{first_name@ag}}: To verify, can you give me the last 4 digits of the card?
        [{{time}}] Customer: {{card_last4}}. i just moved btw
        [{{time}}] Agent {{first_name@ag}}: No problem. What's the street address on the account?
        [{{time}}] Customer: {{street}}
        """),
    t("""\
        {{first_name@a|lower}} [{{time}}]
        anyone know why {{ipv4}} keeps hitting the login endpoint? ~{{count}} req/min
        {{first_name@b|lower}} [{{time}}]
        that's the office NAT in {{city}}, {{name}} is running a load test. ignore
        """),
    t("""\
        visitor: helo i cant acces my acount
        agent: Hi there! I can help with that. What email did you register with?
        visitor: {{email@c}} or mayb {{alt_email@c}}
        agent: I found an account under the second one. I've sent a reset link.
        visitor: thx
        """),
    t("""\
        CUSTOMER: MY NAME IS {{name|upper}} AND I WANT TO CANCEL MY SUBSCRIPTION NOW
        AGENT: I understand. Could you confirm the phone number on the account?
        CUSTOMER: {{phone}}
        AGENT: Thank you, one moment please.
        """),
    t("""\
        [{{time}}] Customer: here is my card so you can charge it {{card}} exp {{card_exp}}
        [{{time}}] {{first_name@ag}}: Please don't share card details in chat! I've hidden the message. I'll send you
        our secure payment link instead.
        """),
    t("""\
        {{time}} | Agent: The refund can only go to a bank account. Could you send the IBAN?
        {{time}} | {{first_name@fc}}: {{iban_compact}}
        {{time}} | {{first_name@fc}}: account holder is my husband {{name@m}}
        {{time}} | Agent: Thank you, the refund of {{amount}} will arrive in 3-5 working days.
        """, pool="sepa"),
    t("""\
        Conversation with {{name@c}}
        Started on {{date_time}}

        Bot: Hi! What can I help you with?
        {{first_name@c}}: Billing
        Bot: Please enter the email address of your account.
        {{first_name@c}}: {{email@c}}
        """),
    t("""\
        [{{time}}] Agent: Who am I speaking with?
        [{{time}}] Customer: {{word_first@c}}
        [{{time}}] Agent: Thanks {{word_first@c}}! And the phone number on the order?
        [{{time}}] Customer: {{phone}}
        """),
    t("""\
        {{time12}}  you: hello, i need help with my invoice
        {{time12}}  {{name@ag}}: Hi, happy to help! Can I have your invoice number?
        {{time12}}  you: {{invoice_no}}
        {{time12}}  {{first_name@ag}}: I see it's issued to {{company}} - should it be under your personal name?
        {{time12}}  you: yes, to {{name|lower}} please
        """),
    t("""\
        SMS from {{mobile}}:
        "Hi its {{first_name}}, the driver couldnt find the house. Im at {{street}}, blue door next to the bakery"
        """),
    t("""\
        [{{time}}] customer: my acount was blocked because of "suspicious login"
        [{{time}}] customer: but is me, i am travelling in {{country_any}}
        [{{time}}] agent: I see a login from {{ip}} on {{date}}. Was that you?
        [{{time}}] customer: yes yes is me
        """),
    t("""\
        {{first_name@c}} {{last_seen}}
        Hey, I want to add a second card to the account. Can I just send it here? {{card}}

        Operator
        We've received your message. A team member will reply in under {{duration}}.
        """),
    t("""\
        {{time}} - Transfer: chat transferred from {{first_name@a}} to {{first_name@b}} (Billing)
        {{time}} - {{first_name@b}}: Hi, I'm taking over from my colleague. I can see the disputed charge from {{date}}.
        {{time}} - Customer: ok. the card ending {{card_last4}} is expired anyway, please use the new one
        """),
    t("""\
        [{{time}}] Cliente: buenas tardes, I need the invoice (factura) with my company data
        [{{time}}] Cliente: {{company}}, please send it to {{email}}
        [{{time}}] Agent: Of course. Which order is it for?
        [{{time}}] Cliente: {{order_no}}
        """, pool="es"),
    t("""\
        Agent: May I have your full name please?
        Customer: its mrs {{name@f|lower}}
        Agent: Thank you. And the first line of your address?
        Customer: {{street|lower}}
        """),
    t("""\
        {{first_name@c}} 🙂: thank you soooo much {{first_name@ag}}!! you saved my day
        {{first_name@ag}}: You're welcome! Anything else I can do for you?
        {{first_name@c}} 🙂: no thats all, bye
        """),
    t("""\
        @{{first_name|lower}} the client at {{company}} says their VPN gateway {{ipv4}} is unreachable since {{time}}
        can you ping it from the jump host?
        """),
    t("""\
        Agent: What address should we send the replacement to?
        Customer: {{address_line|upper}}
        Agent: Thanks! And a phone number for the courier?
        Customer: {{mobile}}
        """),
    t("""\
        [{{time}}] Kunde: hallo, my order is not coming. Bestellnummer {{order_no}}
        [{{time}}] Agent {{first_name@ag}}: Hi! I see it was returned to us, the address could not be found.
        [{{time}}] Kunde: but the address is correct: {{address_line}}
        """, pool="de"),
    t("""\
        WhatsApp chat export

        [{{time}}] +Support: Hi! Please send your order number and postcode.
        [{{time}}] {{phone_intl@c}}: {{order_no}}
        [{{time}}] {{phone_intl@c}}: sorry i dont know the postcode, i just moved, the street is {{street}}
        """),
    t("""\
        [{{time}}] Agent: Can I have the name of the account holder?
        [{{time}}] Customer: {{word_name}}
        [{{time}}] Agent: Thanks, I found the booking. The flight leaves {{city_any}} at {{time}}.
        """),
    t("""\
        Chat transcript - rating: 1/5
        Customer comment: "{{first_name@ag}} was not helpful at all, I asked 3 times for a callback on {{mobile}}"
        Agent: {{name@ag}} | Queue: {{dept}} | Duration: {{duration}}
        """),
]
# --- Agent internal notes and call notes ---------------------------------------------------------------------------
TEMPLATES += [
    t("""\
        Spoke to caller, cb {{phone}} after 2pm. Cust says router reboots every hour, fw {{version}}. Advised factory
        reset, no joy. Escalated to L2.
        """),
    t("""\
        INTERNAL NOTE: cust {{name}} called re duplicate charge {{amount}} on {{date}}. Verified via DOB + last 4
        ({{card_last4}}). Refund raised, ref {{ref}}. - {{first_name@ag}}
        """),
    t("""\
        Call notes {{date}}:
        - caller: {{name@mc}} (account holder's son)
        - wants to add himself as authorised user
        - no POA on file -> declined, sent form to {{email@mc}}
        - cb req'd on {{mobile}}
        """),
    t("VM left for cust @ {{phone}}, no answer x2. Will try again tmrw. If no response close as per policy."),
    t("""\
        cust rang from a different no. ({{phone}}) - identity confirmed by security question. updated primary email
        to {{email}}. old one bounced.
        """),
    t("""\
        Tech visit booked {{weekday}} AM. Address confirmed: {{address_line}}. Door code {{access_code}}.
        Contact on site: {{first_name}} {{mobile}}
        """, world=True),
    t("""\
        Fraud check: login from {{ip}} ({{country_any}}) at {{time}} while cust was on the phone with us from
        {{city}}. Locked account, forced pw reset. Cust informed via {{phone}}.
        """),
    t("""\
        CX unhappy w/ delivery delay (3rd time). Offered {{percent}} voucher, declined. Wants to speak to mgr.
        Mgr {{first_name@m}} to call back on {{phone}} b4 EOD. Order {{order_no}}.
        """),
    t("Called {{name}} to confirm the new shipping address ({{address_line}}) - confirmed, rebooked with {{carrier}}."),
    t("""\
        CUST ADVISED NOT TO SHARE PIN. CARD {{card}} BLOCKED AT CUST REQUEST, REPLACEMENT TO HOME ADDRESS ON FILE.
        NEXT CALL FROM CUST ON {{phone}} TO BE TRANSFERRED TO FRAUD TEAM.
        """, case="upper"),
    t("""\
        note to self: {{first_name@m|lower}} from {{company}} asked for our API egress IPs again. told him {{ipv4}}
        and {{ipv4}}. should really go in the KB
        """),
    t("""\
        CALL SUMMARY
        Caller: {{name}}
        Callback: {{phone_ext}}
        Issue: laptop {{asset_tag}} won't boot after BIOS update {{version}}
        Action: remote session booked {{date_time}}
        """),
    t("""\
        Caller verified: {{name}}, SSN {{ssn}}, DOB {{dob}}. Requested W-2 reissue, mailing to
        {{address_line}}.
        """, pool="us"),
    t("""\
        Handover {{date}} night shift:
        1) {{ticket_no}} - waiting for {{name}} to send logs
        2) {{ticket_no}} - {{company}} outage, next update {{time}}
        3) {{ticket_no}} - cust at {{phone}} wants call back before 9
        """),
    t("""\
        ID check done for vehicle pickup: DL {{dl}} ({{state}}), name matches booking ({{name}}). Keys handed over
        at {{time12}}.
        """, pool="us"),
    t("cb to mrs {{last_name@f|lower}} re: broken dishwasher, she wasnt home. left msg on {{phone}}. parts "
      "on order ({{sku}})"),
    t("""\
        Account holder: {{name_reversed}}
        Auth. contact: {{name_reversed}}
        Note: auth. contact may discuss billing only, not technical changes. Set {{date}}.
        """),
    t("""\
        Cust's CPE shows WAN {{ipv6}} but no IPv4 lease. Known issue with fw {{version}}. Scheduled firmware push
        {{weekday}}. Contact: {{first_name}} on {{mobile}}.
        """),
    t("""\
        Anruf / call {{date}}: {{prefix@a}} {{last_name@a}} ({{company}}) asks for a copy of invoice {{invoice_no}}
        by post to {{address_line}}. Done.
        """, pool="de"),
    t("""\
        Outbound call attempt #{{small_num}} to {{name@c}} - number {{phone}} not in service. Sent email to
        {{email@c}} instead. SLA paused.
        """),
    t("""\
        Escalation note: {{first_name@fa}} (Tier 1) promised cust a full refund which is above her limit. Spoke to
        {{name@b}} (Team Lead) - approved this once. Order {{order_no}}, {{amount}}.
        """),
]
# --- Web forms, key/value dumps, CSV, JSON, XML, logs, ticket-system field dumps ---------------------------------
TEMPLATES += [
    t("""\
        New contact form submission

        Name: {{name@c}}
        Email: {{email@c}}
        Phone: {{phone}}
        Topic: Billing
        Message: I was billed for {{count}} extra seats that we never added.
        """),
    t("""\
        --- Return request form ---
        Order number: {{order_no}}
        Full name: {{name}}
        Pickup address: {{address_line}}
        Preferred pickup date: {{date}}
        Reason: Wrong size
        Items: {{sku}} x1
        """, world=True),
    t("{{timestamp}} INFO auth.login user_email={{email}} src_ip={{ipv4}} result=FAILED "
      "reason=bad_password attempt={{count}}"),
    t("""\
        {
          "ticket_id": "{{ticket_no}}",
          "requester": {"name": "{{name@c}}", "email": "{{email@c}}", "phone": "{{phone}}"},
          "subject": "Cannot update payment method",
          "priority": "high",
          "created_at": "{{timestamp}}"
        }
        """),
    t("""\
        customer_id,full_name,email,phone,city,country
        {{customer_id}},{{name@c}},{{email@c}},{{phone}},{{city}},{{country}}
        """),
    t("""\
        date;agent;customer_phone;duration;outcome
        {{date_num}};{{first_name}};{{phone}};{{duration}};resolved
        {{date_num}};{{first_name}};{{phone}};{{duration}};callback
        """),
    t("""\
        Summary: Password reset emails not arriving
        Reporter: {{name@a}}
        Assignee: Unassigned
        Priority: P2
        Components: Identity
        Description:
        User reports that reset mails to {{email@a}} never arrive. Checked mail logs - last delivery attempt from
        {{ipv4}} got a 550. See {{kb}}.
        """),
    t("""\
        Number: {{inc_no}}
        Caller: {{name_reversed}}
        Location: {{city}} - {{building}}
        Category: Hardware
        Short description: Docking station not detecting second monitor
        Contact number: {{phone_ext}}
        Assignment group: EUC Desktop Support
        """),
    t("""\
        Requester: {{name@c}} <{{email@c}}>
        Organization: {{company}}
        Tags: billing, refund, vip
        Via: Web form
        Custom field "Order #": {{order_no}}
        Custom field "Shipping address": {{address_line}}
        """, world=True),
    t("{{timestamp}} WARN  [mailer] bounce for {{email}}: 550 5.1.1 user unknown (remote {{ipv6}})"),
    t('{{ipv4}} - - [{{log_ts}}] "POST /api/v2/accounts/{{account_id}}/password HTTP/1.1" 429 {{count}} "-" '
      '"Mozilla/5.0"'),
    t("""\
        contact:
          name: {{name@a}}
          role: {{job}}
          phone: "{{phone_intl}}"
          email: {{work_email@a}}
        site:
          city: {{city}}
          country: {{country}}
        """),
    t("""\
        Checkout error report
        ----------------------
        Customer: {{name}}
        Card: {{card}}
        Expiry: {{card_exp}}
        Amount: {{amount}}
        Gateway response: {{error_code}} DO_NOT_HONOR
        Order: {{order_no}}
        """),
    t("""\
        SEPA Direct Debit Mandate - update request
        Account holder: {{name}}
        IBAN: {{iban}}
        BIC: {{bic}}
        Mandate reference: {{ref}}
        Date of signature: {{date}}
        Place: {{city}}
        """, pool="sepa"),
    t("""\
        name: {{name@c|lower}}
        email: {{email@c}}
        ip: {{ip}}
        browser: Chrome {{version}} / Windows
        page: /checkout/payment
        message: the pay button does nothing
        """),
    t("""\
        FIRST NAME: {{first_name@a|upper}}
        LAST NAME: {{last_name@a|upper}}
        ADDRESS: {{street|upper}}
        CITY: {{city|upper}}
        COUNTRY: {{country|upper}}
        REASON FOR CONTACT: DAMAGED ITEM
        """),
    t("{{syslog_ts}} fw01 dhcpd[{{pid}}]: DHCPACK on {{ipv4}} to {{mac}} ({{hostname}}) via eth1"),
    t("""\
        {{name}} added a comment - {{date_time}}
        Repro'd on staging. Stack:
          at PaymentService.charge(PaymentService.java:{{count}})
          at CheckoutController.submit(CheckoutController.java:{{count}})
        Customer in question: {{email}} (card ending {{card_last4}}).
        """),
    t("""\
        {"event": "order.address_changed", "order": "{{order_no}}", "old": "{{address_line}}",
         "new": "{{address_line}}", "changed_by": "{{email}}", "at": "{{timestamp}}"}
        """),
    t("""\
        Employee Information Change Form
        Employee name: {{name}}
        Employee ID: {{employee_id}}
        SSN: {{ssn}}
        New home address: {{address_line}}
        Effective date: {{date}}
        """, pool="us"),
    t("""\
        Warranty claim #{{ticket_no}}
        Product: {{device}} (SN {{serial}})
        Purchase date: {{date}}
        Retailer: {{company}}
        Customer: {{name@c}}, {{email@c}}
        Fault description: screen flickers when brightness is below 30%
        """),
    t("""\
        refund_id,order,amount,iban,holder
        {{ref}},{{order_no}},{{amount_plain}},{{iban_compact}},{{name}}
        {{ref}},{{order_no}},{{amount_plain}},{{iban_compact}},{{name}}
        """, pool="sepa"),
    t("[{{apache_ts}}] [auth_basic:error] [pid {{pid}}] [client {{ipv4}}:{{port}}] AH01618: user {{email}} "
      "not found: /admin"),
    t("""\
        Ticket #{{ticket_no}} | Status: Pending | Group: Tier 1
        Requester: {{name@c}}
        ---
        Hi {{first_name@c}},

        We've issued a refund of {{amount}} to your card ending in {{card_last4}}. It may take up to {{count}}
        business days to appear.
        """),
    t("""\
        Case Number: {{case_no}}
        Contact Name: {{name@a}}
        Account Name: {{company@a}}
        Contact Phone: {{phone}}
        Contact Email: {{work_email@a}}
        Subject: Renewal quote
        Status: New
        """),
    t("""\
        {"alert": "impossible_travel", "user": "{{email}}", "logins": [{"ip": "{{ip}}", "country": "{{country_any}}"},
         {"ip": "{{ip}}", "country": "{{country_any}}"}], "window_minutes": {{count}}}
        """),
    t("RMA|{{rma}}|{{name}}|{{address_line}}|{{phone}}|{{sku}}|DOA", world=True),
    t("""\
        ran: SELECT id, email, last_ip FROM users WHERE email = '{{email@a}}';
        result: {{account_id}} | {{email@a}} | {{ipv4}}
        -> account exists, last login from {{city}}. Sending reset.
        """),
    t("""\
        Change of name on account
        Previous name: {{name@a}}
        New name: {{name_same_first@a}}
        Reason: marriage
        Supporting document: certificate uploaded {{date}}
        """),
    t("""\
        <contact>
          <name>{{name@c}}</name>
          <phone type="mobile">{{mobile}}</phone>
          <email>{{email@c}}</email>
          <address>{{address_line}}</address>
        </contact>
        """, world=True),
    t("""\
        POST /support/tickets HTTP/1.1
        Host: api.helpdesk.example
        X-Forwarded-For: {{ipv4}}, {{ipv4}}
        Content-Type: application/json

        {"from": "{{email}}", "subject": "cant login", "body": "error {{error_code}}"}
        """),
    t("""\
        | Field            | Value                     |
        |------------------|---------------------------|
        | Customer         | {{name}}                  |
        | Phone            | {{phone}}                 |
        | Device           | {{device}}                |
        | Firmware         | {{version}}               |
        """),
]
# --- Delivery and shipping problems, postal addresses --------------------------------------------------------------
TEMPLATES += [
    t("""\
        Hello, my parcel ({{tracking_no}}) was sent to my old address. Please redirect it to:

        {{name}}
        {{address}}

        Thank you!
        """, world=True),
    t("Deliver to {{name}}, {{address_line}} - leave with reception if no answer.", world=True),
    t("""\
        The {{carrier}} driver marked my parcel as delivered on {{date}} at {{time}} but nothing arrived. I live at
        {{address_line}} and was home all day. The photo proof shows a different door.
        """, world=True),
    t("""\
        Please ship the replacement monitors to our new office:

        {{company}}
        c/o {{name}}
        {{address}}

        Loading dock closes at 4pm. Contact on arrival: {{phone}}
        """, world=True),
    t("""\
        SHIP TO:
        {{name|upper}}
        {{address|upper}}
        TEL {{phone}}

        REF {{order_no}}   WEIGHT {{weight}}
        """, world=True),
    t("""\
        Can you send it to the parcel locker at {{street}} instead of home? Locker code is {{access_code}}.
        Thanks, {{first_name}}
        """),
    t("""\
        This order is a gift for my mum. Please deliver to her:
        {{name@f}}
        {{address}}
        Don't include the invoice in the box please! Bill me at {{email}}.
        """, world=True),
    t("""\
        Your system keeps rejecting my address: "{{address_line}}". It says postcode invalid but it is definitely
        correct, I have lived here for {{count}} years.
        """, world=True),
    t("""\
        My package from {{country_any}} is held at customs. They need the recipient's phone and address:
        {{name}}, {{address_line}}, tel. {{phone_intl}}
        Tracking: {{tracking_no}}
        """),
    t("""\
        Delivery instructions: ring the bell for {{last_name}} (3rd floor), if nobody answers call {{mobile}}.
        Address: {{street}}
        """, world=True),
    t("""\
        Return from:
        {{name}}
        {{address}}

        Return to:
        {{company}} Returns Centre
        {{address}}
        """, world=True),
    t("pls deliver to {{address_line|lower}} not to my work, thx {{first_name|lower}}"),
    t("""\
        Package says delivered but the mailroom doesn't have it. My address: {{address_line}}.
        Can you contact {{carrier}}? Best to reach me at {{phone}}.
        """, pool="us"),
    t("""\
        Hi, the courier left a card saying they'll try again tomorrow but I'm at work. Can you hold it at the depot in
        {{city}} or deliver to my work address instead: {{address_line}}?

        {{name}}
        """, pool="gb"),
    t("""\
        Billing address: {{address_line}}
        Shipping address: {{address_line}}
        The shipping one is wrong on the confirmation e-mail, please fix before dispatch. Order {{order_no}}.
        """, world=True),
    t("""\
        Bonjour, the delivery man could not find my building. The address is:
        {{address}}
        Code porte: {{access_code}}, 2ème étage. Merci! {{first_name}}
        """, pool="fr"),
    t("""\
        Hello, please note our company moved. New delivery address:

        {{company}}
        Wareneingang / Goods receiving
        {{address}}

        The old address ({{street}}) is no longer valid from {{date}}.
        """, pool="de"),
    t("""\
        Hi, the courier says that my address not exist. Is this one: {{address_line}}. Please call me before
        deliver {{mobile}}. Gracias
        """, pool="es"),
    t("""\
        Sir, the delivery boy is asking extra money and not delivering to my address {{address_line}}. Complaint
        against {{carrier}}. My contact {{mobile}}.
        """, pool="in"),
    t("""\
        Hi, the tracking shows my parcel went to {{city_any}} instead of my place. I'm at:
        {{address}}
        Can you get it rerouted? Order {{order_no}}.
        """, pool="anz"),
    t("""\
        Good afternoon. My order {{order_no}} was returned to sender. The address is correct:
        {{address}}
        Please resend. Whatsapp {{mobile}}
        """, pool="br"),
    t("""\
        Hello, delivery to Paczkomat is not possible so please deliver to home address: {{address_line}}.
        Phone for courier {{mobile}}
        """, pool="pl"),
    t("""\
        Hi! The parcel was delivered to the wrong pickup point. I asked for the one at {{street}} in {{city}}.
        Tracking {{tracking_no}}.
        """, pool="nordic"),
    t("""\
        Please quote shipping for {{count}} pallets to:

        {{company}}
        Attn. {{name}}
        {{address}}
        {{country}}

        Pickup from our warehouse in {{city_any}}.
        """, world=True),
    t("""\
        Hello, I am moving on {{date}}. Please send the remaining {{count}} boxes of my subscription to my new
        home:

        {{address}}

        From then my landline will be {{phone}}.
        {{name}}
        """, world=True),
    t("""\
        Hi, the label you sent has my name spelled wrong ({{name_same_first@a}} instead of {{name@a}}) and the
        driver refused the parcel. Address is fine: {{street}}.
        """),
    t("""\
        Hi,
        Our hospital ward needs the replacement pump today. Deliver to:
        {{company}}, Ward {{room}}, for the attention of {{prefix@a}} {{last_name@a}}
        {{address}}
        Switchboard: {{phone}}
        """, world=True),
]
# --- Billing changes: cards and IBANs ------------------------------------------------------------------------------
TEMPLATES += [
    t("Hi, please update the card on file to {{card}} (exp {{card_exp}}). The old one was stolen. Account "
      "{{account_id}}."),
    t("Hello, I'd like to switch from card payments to direct debit. My IBAN is {{iban}}, account holder {{name}}.",
      pool="sepa"),
    t("Please charge the renewal to the company Amex: {{card_amex}}. Cardholder: {{name}}. Invoice to {{work_email}}."),
    t("I was charged twice for the same order! Card: {{card}}. Both charges {{amount}} on {{date}}. Please "
      "refund one."),
    t("refund please to {{iban_compact}} (bank: {{bank}}) name on account {{name|lower}}", pool="sepa"),
    t("""\
        Invoice {{invoice_no}} - payment details
        Beneficiary: {{company}}
        IBAN: {{iban_grouped}}
        BIC/SWIFT: {{bic}}
        Amount due: {{amount}}
        Due date: {{date}}
        """, pool="sepa"),
    t("""\
        Your checkout keeps saying "card declined" for {{card_plain}} but my bank says there is no problem. I tried
        {{count}} times.
        """),
    t("Please remove the old card {{card}} and keep only {{card}} as the default. Thanks, {{first_name}}"),
    t("""\
        Hi Billing team,

        From next month please invoice {{company@a}} instead of me personally. VAT ID will follow. Payments will
        come from {{iban}}. Contact for invoices: {{work_email@b}}.

        {{name@a}}
        """, pool="sepa"),
    t("""\
        Hello, i want pay the bill of {{month}} but the IBAN in the invoice is not working in my bank app. It says
        {{iban_grouped}} is invalid. Can you send other?
        """, pool="sepa"),
    t("""\
        We received a chargeback for order {{order_no}} ({{amount}}). Cardholder: {{name}}, card {{card}}.
        Reason code {{error_code}}. Customer claims non-receipt, but tracking shows delivered to {{address_line}}.
        """),
    t("PLEASE USE THIS CARD FOR MY NEXT ORDER {{card}} NAME ON CARD {{name|upper}}", case="upper"),
    t("""\
        The statement shows **** **** **** {{card_last4}} but I never had that card. My only card is {{card}}.
        Is this fraud??
        """),
    t("""\
        Hi, for the financing application I need to correct my SSN, I typed {{ssn}} but it should be {{ssn}}.
        Name: {{name}}.
        """, pool="us"),
    t("""\
        I can't pay the full {{amount}} now. Could I split it into {{count}} payments from my card {{card}}? Salary
        comes at the end of the month.
        """),
    t("""\
        The refund went to my old account {{iban}} which is closed. New IBAN: {{iban}}. Please resend.
        {{name}}
        """, pool="sepa"),
    t("""\
        Expense claim {{ref}}: I paid the hotel in {{city_any}} with my personal card ({{card}}) because the
        corporate card ending {{card_last4}} was blocked. Please reimburse {{amount}} to {{iban}}.
        """, pool="sepa"),
    t("""\
        Billing contact change for {{company}}:
        old: {{name@a}} / {{work_email@a}}
        new: {{name@b}} / {{work_email@b}}
        """),
    t("""\
        Card holder name: {{name}}
        Card number: {{card}}
        Valid thru: {{card_exp}}
        Billing zip: see profile
        -- customer typed this into the 'notes' field of order {{order_no}} --
        """),
    t("""\
        Good morning, the payment for invoice {{invoice_no}} was sent on {{date}} from our account at {{bank}}
        ({{iban_grouped}}). Please check again, the amount was {{amount}}.
        """, pool="sepa"),
]
# --- Account recovery and security ---------------------------------------------------------------------------------
TEMPLATES += [
    t("""\
        I'm locked out of my account. I no longer have access to the email {{email@a}} (old job). Can you change it
        to {{alt_email@a}}? I can verify with my phone number {{phone}}.
        """),
    t("""\
        Someone changed my password and the recovery email to {{email}}, which is not mine! My real email is
        {{email}}. Last time I logged in was from {{city}}. Please lock the account.
        """),
    t("""\
        Hi, I got a new phone and lost my authenticator. Phone number on the account is {{mobile}}. Can you reset 2FA?
        Username: {{email}}
        """),
    t("I got an email saying there was a sign-in from {{ip}} in {{city_any}}, {{country_any}} on {{date}}. "
      "That was NOT me."),
    t("""\
        Account recovery form
        Full name: {{name@c}}
        Date of birth: {{dob}}
        Email on account: {{email@c}}
        Last known address: {{address_line}}
        """, world=True),
    t("""\
        my son {{first_name@m}} forgot his password for the school tablet. his login is {{email@m}}. can you reset it?
        im his mum, {{name@f}}
        """),
    t("Your firewall blocked me after 3 wrong passwords. My IPv6 is {{ipv6}}, IPv4 {{ipv4}}. Please "
      "unblock. User {{email}}"),
    t("""\
        My phone number {{phone}} used to belong to someone else and I keep getting their login codes. Please remove
        it from their account. I don't know their name.
        """),
    t("""\
        I don't remember the answer to my security question. Can I verify another way? Name {{name}}, phone {{phone}},
        last order {{order_no}} delivered to {{street}}.
        """),
    t("""\
        Please transfer the admin rights of our workspace from {{name@a}} ({{work_email@a}}), who has left the
        company, to me: {{work_email@b}}.
        """),
    t("""\
        hello i lost my phone and cant enter to my account, the code goes to the number {{mobile}} but i dont have it
        anymore. my new number is {{mobile}}. email {{email}}
        """),
    t("We're being blocked by your rate limiter. Our outbound IPs are {{ipv4}}, {{ipv4}} and {{ipv6}}. Can "
      "these be whitelisted?"),
    t("I CANNOT LOGIN!!! MY EMAIL IS {{email|upper}} AND MY PHONE IS {{phone}}. FIX THIS NOW", case="upper"),
    t("""\
        Security alert for {{name@c}}:
        New device signed in - {{product}} app on Android
        Location (approx.): {{city_any}}
        IP address: {{ip}}
        If this wasn't you, reply to this ticket. Forwarded by customer from {{email@c}}.
        """),
]
# --- HR and IT requests ---------------------------------------------------------------------------------------------
TEMPLATES += [
    t("""\
        New starter request
        Name: {{name@a}}
        Start date: {{date}}
        Job title: {{job}}
        Department: {{dept}}
        Manager: {{name}}
        Equipment: laptop, headset, {{count}} monitors
        Personal email (for day-1 instructions): {{email@a}}
        """),
    t("""\
        Hi IT, {{name@a}} leaves us on {{date}}. Please disable the account after 6pm and forward mail to
        {{work_email@b}}. The laptop (asset {{asset_tag}}) will be returned to room {{room}}.
        """),
    t("""\
        Hi Payroll, I've moved. My new address is {{address_line}} and my new bank account is {{iban}}. Please update
        before the {{month}} payroll. Employee no. {{employee_id}}.
        """, pool="sepa"),
    t("""\
        HR ticket: employee {{name}} (ID {{employee_id}}) reports wrong SSN on pay stub. On file: {{ssn}}. Correct per
        card: {{ssn}}.
        """, pool="us"),
    t("""\
        Please assign a static IP to the new printer in the {{city}} office, MAC {{mac}}. Suggested {{ipv4}}.
        Contact on site {{first_name}}.
        """),
    t("""\
        Requesting admin access to the billing portal for {{name@a}} ({{work_email@a}}). Approved by {{name}},
        cost centre {{cost_centre}}.
        """),
    t("""\
        Please update the phone list:
        {{name}} - {{phone_ext}}
        {{name}} - {{phone_ext}}
        """),
    t("""\
        Hello HR, I need an employment confirmation letter for my visa appointment at the {{country_any}} embassy on
        {{date}}. Please write my name exactly as in my passport: {{name_upper_last}}. Thank you!
        """),
    t("""\
        Fleet request: please add me as a driver for the pool car. Driver's license no. {{dl}}, expires {{date}}.
        Name: {{name}}.
        """, pool="us"),
    t("""\
        Security request: provide VPN logs for user {{work_email}} between {{date}} and {{date}}. Source IPs seen so
        far: {{ip}}, {{ip}}.
        """),
    t("please give {{name@a}} full access to the mailbox of {{name@fb}} while she is on leave (from {{date}})"),
    t("""\
        [{{time}}] Agent: For the rental pickup I need your driver's license number and the issuing state.
        [{{time}}] {{first_name@c}}: sure, license no. {{dl}}, {{state}}
        [{{time}}] Agent: Thanks {{first_name@c}}, you're all set for {{date}}.
        """, pool="us"),
    t("""\
        Onboarding checklist - {{name@a}}
        [x] AD account {{work_email@a}}
        [x] Laptop {{asset_tag}}
        [ ] Desk phone - extension pending
        [ ] Badge photo
        Start date {{date}}, buddy: {{first_name}}
        """),
    t("""\
        Vehicle return inspection
        Renter: {{name_reversed}}
        Driver license #: {{dl}}
        License state: {{state}}
        Phone: {{phone}}
        Damage noted: scratch on rear bumper, photos attached
        """, pool="us"),
    t("""\
        Hi, the 1099 you mailed me has the wrong SSN. It shows {{ssn}}, mine is {{ssn}}. Please send a corrected form
        to {{address_line}}.
        {{name}}
        """, pool="us"),
    t("""\
        IT, the new hire's home address for shipping the laptop:
        {{name}}
        {{address}}
        Mobile (for the courier): {{mobile}}
        """, world=True),
]
# --- Complaints and refund requests --------------------------------------------------------------------------------
TEMPLATES += [
    t("""\
        This is unacceptable. I ordered a sofa on {{date}}, paid {{amount}}, and after {{count}} weeks nothing. Your
        hotline never answers. If I don't get a refund by {{date}} I will go to the consumer protection office.
        {{name}}, {{address_line}}
        """),
    t("""\
        Refund request: order {{order_no}}, returned via {{carrier}} ({{tracking_no}}) on {{date}}. Please refund to
        the original card ({{card}}). {{first_name}}
        """),
    t("""\
        I want to complain about your technician {{first_name@m}} who came to my house on {{date}}. He was rude and
        left mud everywhere. Job number {{job_no}}. Please call me on {{phone}}.
        """),
    t("""\
        1 star. Ordered for my wife's birthday, arrived broken. Customer service ({{first_name}}) promised a
        replacement, never came. - {{name_initial}}, {{city}}
        """),
    t("""\
        The refund should go to my partner {{name@m}} since it was paid from his account: {{iban}}. We both live at
        {{street}}.
        """, pool="sepa"),
    t("you keep charging my card {{card}} even though i cancelled on {{date}}!!! refund all of it. {{email}}"),
    t("YOUR DRIVER DAMAGED MY GATE AT {{address_line}}. I HAVE PHOTOS. I EXPECT COMPENSATION.", case="upper"),
    t("""\
        Formal complaint - account {{account_id}}

        I am {{name@c}}, a customer since {{year}}. On {{date}} my service was disconnected without notice. I work from
        home and lost {{count}} days of income. Please contact me at {{email@c}} or {{phone}}.
        """),
    t("""\
        I'd like to make a complaint about the way {{first_name@fa}} at your {{city}} branch treated my elderly
        father, {{name@m}}, on {{date}}. She refused to help him with the online form.
        """),
    t("""\
        Complaint ref {{ref}} - still no reply after {{count}} days!!
        I was promised a callback to {{phone}} by {{first_name}} from your team. Nothing. I will post this online.
        """),
]
# --- Non-native English, typos, case variants, names that are ordinary words ---------------------------------------
TEMPLATES += [
    t("""\
        helo, i am {{name}} from {{city}}. my internet not working since 2 days. i call many time to {{phone}} but
        nobody answer. please help me
        """),
    t("""\
        Dear Team, I have a problem with my bill. You have taken 2 times the money from my account {{iban}}. Please
        give back. Best greetings, {{name}}
        """, pool="de"),
    t("""\
        Hello, I am {{first_name}} and i have buyed a coffee machine who doesnt work. I have send a mail to
        {{generic_email}} but no response. My phone it is {{mobile}}.
        """, pool="fr"),
    t("HELLO I AM {{name}}, I ORDERED FROM {{city}} AND THE PRODUCT NOT ARRIVE. ORDER NO {{order_no}}. TEL {{mobile}}",
      case="upper"),
    t("""\
        Hoi, sorry my English is not so good. Mijn telefoon ({{mobile}}) does not get the SMS code anymore since
        {{weekday}}. Groetjes {{first_name}}
        """, pool="nl"),
    t("""\
        Dear sir, I want to ask about my order {{order_no}}. Until now not yet receive. I stay in {{address_line}}.
        Thank you so much. {{name}}
        """),
    t("""\
        This is {{word_name@a}} from {{company}}. Please call me back at {{phone}}, I'll be in the office till 5.
        Ask for {{word_first@a}}.
        """),
    t("""\
        Please add {{word_name@a}} and {{word_name@b}} to the distribution list for {{dept}}. {{word_first@b}} starts
        on {{date}}.
        """),
    t("""\
        Sehr geehrte Damen und Herren, sorry I write in english. Our customer number is {{customer_id}}. Please send
        the technician to {{address_line}}, contact person {{prefix@a}} {{last_name@a}}, {{phone}}.
        """, pool="de"),
]
# --- No sensitive value: only distractor numbers and non-sensitive entities (for precision) -------------------------
TEMPLATES += [
    t("""\
        Hi, the export to CSV fails with error {{error_code}} on version {{version}} (build {{build}}). Steps: open any
        report, click Export. Happens for {{count}} users so far.
        """),
    t("Order {{order_no}} arrived today but {{count}} items are missing. Invoice {{invoice_no}} lists all of them."),
    t("{{timestamp}} ERROR [worker-{{small_num}}] job {{job_id}} failed after {{duration}}: timeout "
      "contacting payment-gateway (retry 3/5)"),
    t("""\
        Our office in {{city}} will be closed on {{date}}. Tickets raised on that day will be handled on the next
        working day.
        """),
    t("The {{company}} integration stopped syncing after the {{version}} upgrade. Last successful sync "
      "{{timestamp}}. P2."),
    t("""\
        Summary: Dark mode toggle resets after logout
        Priority: Low
        Affects version: {{version}}
        Fix version: {{version}}
        Steps: enable dark mode, log out, log in again
        """),
    t("Please quote for {{count}} licences of {{product}} for our team in {{country}}. Budget code {{cost_centre}}."),
    t("Room {{room}} projector bulb needs replacing again. Asset {{asset_tag}}. Not urgent."),
    t("""\
        sku,qty,price
        {{sku}},{{count}},{{amount_plain}}
        {{sku}},{{count}},{{amount_plain}}
        {{sku}},{{count}},{{amount_plain}}
        """),
    t("Tracking {{tracking_no}} has shown 'in transit' since {{date}}. Can you check with {{carrier}}?"),
    t("Windows build {{winbuild}} breaks the VPN client {{version}}. Rolled back on {{count}} machines, see {{kb}}."),
    t("Is the {{device}} compatible with firmware {{version}}? We run {{count}} units at our {{city}} warehouse."),
    t("""\
        [{{time}}] Visitor: do you ship to {{country_any}}?
        [{{time}}] Bot: Yes! Standard delivery takes {{count}} business days. Express is available at checkout.
        """),
    t("Invoice {{invoice_no}} total {{amount}} does not match PO {{po_no}} ({{amount}}). Please reissue."),
    t("MAC {{mac}} keeps getting quarantined by NAC with error {{error_code}}. Switch port {{port_name}}."),
    t("""\
        Weekly report: {{count}} tickets opened, {{count}} closed, median first response {{duration}}, CSAT
        {{percent}}. Backlog in {{city}} is growing.
        """),
    t("""\
        {"event": "order.shipped", "order": "{{order_no}}", "carrier": "{{carrier}}", "tracking": "{{tracking_no}}",
         "items": {{count}}, "ts": "{{timestamp}}"}
        """),
    t("Hi, which plan includes SSO? We are {{count}} people at {{company}}, based in {{city}}, {{country}}."),
    t("""\
        RMA {{rma}} received at warehouse on {{date}}; unit {{serial}} tested OK, no fault found. Returning to the
        customer with {{carrier}}.
        """),
    t("Please update the VAT rate for {{country}} from {{percent}} to {{percent}} as of {{date}}."),
    t("""\
        BOT: Please say or enter your account number.
        CALLER: {{account_id}}
        BOT: Thank you. Please say your date of birth.
        CALLER: {{dob}}
        BOT: I'm sorry, those details don't match. Transferring you to an agent.
        """),
    t("ERROR {{error_code}}: sync failed for workspace {{workspace_id}} at {{timestamp}}; {{count}} records skipped."),
    t("""\
        Can we move our quarterly review from {{date}} to {{date}}? The {{city}} team is at a trade fair that week.
        """),
    t("""\
        Order {{order_no}}: customer asked to change the colour to black, price difference {{amount}}. Updated,
        new invoice {{invoice_no}} sent.
        """),
    t("""\
        ticket,created,priority,queue
        {{ticket_no}},{{timestamp}},P3,{{dept}}
        {{ticket_no}},{{timestamp}},P1,{{dept}}
        """),
    t("HI, WE STILL HAVE NOT RECEIVED THE CREDIT NOTE FOR INVOICE {{invoice_no}} ({{amount}}). PLEASE CHECK.",
      case="upper"),
]


# ---------------------------------------------------------------------------------------------------------------
# Rendering and checks.
# ---------------------------------------------------------------------------------------------------------------


def render(template: Template, ctx: Ctx) -> tuple[str, list[Span]]:
    """Fill the slots. Case changes are applied piece by piece, so offsets stay right when they change a length."""
    parts: list[str] = []
    spans: list[Span] = []
    pos = last = 0

    def emit(text: str) -> str:
        if template.case == "upper":
            return text.upper()
        if template.case == "lower":
            return text.lower()
        return text

    for m in SLOT_RE.finditer(template.text):
        literal = emit(template.text[last : m.start()])
        parts.append(literal)
        pos += len(literal)
        name, tag, case = m.group(1), m.group(2) or "", m.group(3)
        if name in PERSON_SLOTS:
            person = ctx.persona(tag, "word" if name.startswith("word_") else "")
            key = (name, tag)
            if tag and key in ctx.values:
                value = ctx.values[key]
            else:
                value = PERSON_SLOTS[name][1](ctx, person)
                if name == "email":
                    person.emails.append(value)
                if tag:
                    ctx.values[key] = value
        else:
            key = (name, tag)
            if tag and key in ctx.values:
                value = ctx.values[key]
            else:
                value = VALUE_SLOTS[name][1](ctx)
                if tag:
                    ctx.values[key] = value
        if case == "lower":
            value = value.lower()
        elif case == "upper":
            value = value.upper()
        value = emit(value)
        label = slot_label(name)
        if label:
            spans.append({"entity_type": label, "entity_value": value, "start_position": pos,
                          "end_position": pos + len(value)})
        parts.append(value)
        pos += len(value)
        last = m.end()
    parts.append(emit(template.text[last:]))
    return "".join(parts), spans


def check_template(template_id: int, template: Template) -> None:
    """Enforce the authoring rules: at most 4 sensitive slots, no malformed or unknown slots, a known locale pool."""
    names = [m.group(1) for m in SLOT_RE.finditer(template.text)]
    sensitive = [n for n in names if slot_label(n) in SENSITIVE]
    if len(sensitive) > MAX_SENSITIVE_SLOTS:
        raise ValueError(f"template {template_id}: {len(sensitive)} sensitive slots")
    leftover = SLOT_RE.sub("", template.text)
    if "{{" in leftover or "}}" in leftover:
        raise ValueError(f"template {template_id}: malformed slot")
    if template.pool not in LOCALE_POOLS:
        raise ValueError(f"template {template_id}: unknown pool {template.pool}")


def check_record(record: Record) -> None:
    """Every span must point at its value, not overlap the previous one, and cards / IBANs must pass their checksums."""
    text = record["full_text"]
    assert isinstance(text, str)
    end = -1
    for span in record["spans"]:
        value, start, stop = span["entity_value"], span["start_position"], span["end_position"]
        assert text[start:stop] == value, (value, text)
        assert value and value == value.strip(), repr(value)
        assert start >= end, f"overlapping spans in {text!r}"
        end = stop
        if span["entity_type"] == "CREDIT_CARD":
            assert luhn_ok(re.sub(r"\D", "", value)), value
        if span["entity_type"] == "IBAN_CODE":
            assert iban_ok(value.upper()), value


def pick_locale(rng: random.Random, template: Template, world_p: float) -> str:
    """Non-Latin locales only on postal / signature templates open to any country; others by weighted pool."""
    if template.world and template.pool == "any" and rng.random() < world_p:
        return rng.choice(sorted(WORLD_LOCALES))
    pool = LOCALE_POOLS[template.pool]
    return rng.choices(pool, [LOCALES[loc][1] for loc in pool])[0]


def generate(per_template: int, seed: int) -> list[Record]:
    """Render every template per_template times, in order, from one RNG: the output depends on seed and Faker only."""
    rng = random.Random(seed)
    fakers = Fakers(seed)
    world_templates = sum(1 for tpl in TEMPLATES if tpl.world and tpl.pool == "any")
    world_p = min(0.6, WORLD_SHARE * len(TEMPLATES) / max(world_templates, 1))
    records = []
    for template_id, template in enumerate(TEMPLATES):
        check_template(template_id, template)
        for _ in range(per_template):
            locale = pick_locale(rng, template, world_p)
            ctx = Ctx(rng, fakers, locale)
            text, spans = render(template, ctx)
            spans.sort(key=lambda s: s["start_position"])
            record = {"full_text": text, "masked": template.text, "spans": spans, "template_id": template_id,
                      "metadata": {"locale": locale}}
            check_record(record)
            records.append(record)
    return records


def summary(records: list[Record]) -> str:
    lines = [f"{len(TEMPLATES)} templates, {len(records)} texts"]
    for split, parity in (("development (even)", 0), ("held-out (odd)", 1)):
        part = [r for r in records if r["template_id"] % 2 == parity]
        counts = Counter(s["entity_type"] for r in part for s in r["spans"])
        clean = sum(1 for r in part if not any(s["entity_type"] in SENSITIVE for s in r["spans"]))
        lines.append(f"{split}: {len(part)} texts, {clean} without sensitive spans")
        lines.extend(f"  {label:<18} {counts[label]}" for label in (*SENSITIVE, "LOCATION", "ORGANIZATION",
                                                                   "DATE_TIME"))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-template", type=int, default=8, help="texts rendered per template")
    parser.add_argument("--seed", type=int, default=41)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/data/pii_helpdesk_corpus.json"))
    args = parser.parse_args()
    records = generate(args.per_template, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(records, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(summary(records))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
