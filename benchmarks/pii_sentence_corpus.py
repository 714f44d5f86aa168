"""Generate the PII *sentence* corpus: a third, independently written labelled evaluation set.

Why this set exists
-------------------
The PII-redaction stage is scored for recall and precision on labelled synthetic text. Two labelled sets already
exist, but the recognizers were developed while looking at them, so a good score there may only show that the
recognizers fit those sets. This third set was written blind to the recognizers and to the other sets, so its scores
show how well the stage generalises to text it was not tuned on.

How it was written
------------------
* The author did not open ``processors/``, the ticket corpus (``benchmarks/pii_ticket_corpus.py`` and its JSON),
  the other ``benchmarks/pii_*.py`` scripts or any test, did not run the PII stage or the eval scripts on this data,
  and did not tune the templates to any detector output.
* Only the records with an EVEN ``template_id`` in ``/work/shared/data/pii/generated_large.json`` were looked at,
  and only to copy the JSON record format and the presidio-research style of slot templates.
* 263 English templates were written by hand. They cover many genres (chat lines, support requests, social
  posts, reviews, letters and e-mail signatures, dialogue, form dumps, CSV / key=value / JSON / log lines, contact
  cards, shipping labels, meeting notes, HR, medical, bank, insurance, real estate, delivery and school texts, lists
  of people) and include lower-case and ALL-CAPS variants. Some templates hold no sensitive value at all, only
  distractor numbers (order, invoice, tracking, room, version numbers, amounts, codes) and non-sensitive entities.
* Slots are filled with Faker values. Each text picks its own Faker locale (about 35 Latin-script locales; locales
  whose names or addresses use another script, such as el_GR, are not used; ja_JP only gives romanised names, and
  any value that would not be in Latin script is taken from en_US instead). US_SSN values always come from the
  en_US provider. Driver's licence numbers use made-up US-state-like formats and are always preceded by a licence
  word. Dates and times are written by this script.

Split rule
----------
``template_id`` even = development split, ``template_id`` odd = held-out split. While developing the PII stage,
only look at even-id texts; never read held-out texts, only compute scores on them.

Labels
------
Sensitive: PERSON, PHONE_NUMBER, STREET_ADDRESS, EMAIL_ADDRESS, CREDIT_CARD, IBAN_CODE, US_SSN, IP_ADDRESS,
US_DRIVER_LICENSE. Non-sensitive but labelled (so that redacting them is not counted as a false positive):
LOCATION (city, country, state), ORGANIZATION (company), DATE_TIME. Titles (Mr., Dr., ...) stay outside the PERSON
span; possessive "'s" stays outside. Distractor slots (order numbers, amounts, codes, ...) get no span.

Each record is ``{"full_text", "masked", "spans", "template_id", "metadata": {"locale"}}``; ``masked`` is the raw
template with every ``{{slot}}`` (labelled or distractor) left in place, in the template's own casing. Every span
satisfies ``full_text[start_position:end_position] == entity_value``; spans never overlap.

Regenerate from the repository root (deterministic; about 2,100 texts)::

    .venv/bin/python benchmarks/pii_sentence_corpus.py --per-template 8 --seed 29 \
        --out benchmarks/data/pii_sentence_corpus.json
"""

from __future__ import annotations

import argparse
import json
import random
import re
import string
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

from faker import Faker

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = "benchmarks/data/pii_sentence_corpus.json"

LOCALES: tuple[str, ...] = (
    "en_US", "en_US", "en_US", "en_GB", "en_GB", "en_AU", "en_CA", "en_IN", "en_NZ", "en_IE",
    "de_DE", "de_AT", "de_CH", "fr_FR", "fr_CA", "fr_CH", "es_ES", "es_MX", "es_AR", "es_CO", "it_IT",
    "nl_NL", "nl_BE", "pt_BR", "pt_PT", "pl_PL", "sv_SE", "da_DK", "no_NO", "fi_FI", "cs_CZ", "sk_SK",
    "hu_HU", "ro_RO", "hr_HR", "sl_SI", "tr_TR", "ja_JP",
)  # fmt: skip
US: tuple[str, ...] = ("en_US",)
CITY_FIRST = frozenset({"en_US", "en_GB", "en_AU", "en_CA", "en_IN", "en_NZ", "en_IE", "fr_CA", "ja_JP", "tr_TR"})

SLOT_RE = re.compile(r"\{\{([a-z_]+)(?::(\d))?\}\}")
MAX_LABELLED_PER_TEMPLATE = 4
MIN_TEMPLATES = 220

SLOT_TYPES: dict[str, str] = {
    "first_name": "PERSON",
    "last_name": "PERSON",
    "full_name": "PERSON",
    "phone": "PHONE_NUMBER",
    "street": "STREET_ADDRESS",
    "address": "STREET_ADDRESS",
    "address_line": "STREET_ADDRESS",
    "address_composed": "STREET_ADDRESS",
    "address_block": "STREET_ADDRESS",
    "email": "EMAIL_ADDRESS",
    "card": "CREDIT_CARD",
    "iban": "IBAN_CODE",
    "ssn": "US_SSN",
    "ip": "IP_ADDRESS",
    "licence": "US_DRIVER_LICENSE",
    "city": "LOCATION",
    "country": "LOCATION",
    "state": "LOCATION",
    "company": "ORGANIZATION",
    "date": "DATE_TIME",
    "time": "DATE_TIME",
    "weekday": "DATE_TIME",
    "datetime": "DATE_TIME",
}
ENTITY_TYPES: tuple[str, ...] = tuple(dict.fromkeys(SLOT_TYPES.values()))

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ASCII_FOLD = str.maketrans({"ø": "o", "ł": "l", "ß": "ss", "æ": "ae", "đ": "d", "ı": "i", "œ": "oe", "þ": "th"})
CARD_TYPES = ("visa16", "visa16", "mastercard", "mastercard", "amex", "discover", "jcb16", "diners")
CARD_GROUPS: dict[int, tuple[int, ...]] = {16: (4, 4, 4, 4), 15: (4, 6, 5), 14: (4, 6, 4)}
TITLES = {"m": ("Mr.", "Mr", "Dr.", "Prof."), "f": ("Ms.", "Mrs.", "Ms", "Dr.", "Miss")}


# --------------------------------------------------------------------------------------------------------------------
# Templates
# --------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    text: str
    case: str = "keep"  # keep | lower | upper | any (chosen per text)
    locales: tuple[str, ...] = LOCALES


def t(text: str, case: str = "keep", locales: tuple[str, ...] = LOCALES) -> Template:
    return Template(text, case, locales)


CHAT = [
    t("hey it's {{first_name}}, call me back on {{phone}} when u get a sec", "lower"),
    t("can u text me at {{phone}}? battery about to die"),
    t("{{phone}} is my new number btw, save it"),
    t("Just landed in {{city}}! Drinks at {{first_name}}'s place later?"),
    t("omw!! {{first_name}} says hi. we're at {{street}} if you get lost"),
    t("lol {{first_name}} still owes me {{amount}} from the trip to {{country}}"),
    t("Is this still {{first_name}}'s number? It's {{first_name:2}} from {{company}}."),
    t("WhatsApp me: {{phone}}"),
    t("new email is {{email}} – the old one got hacked, ignore anything from it", "any"),
    t("my cell died, try {{phone}} (that's {{first_name}}'s)"),
    t("Who is {{full_name}}?? They keep messaging me from {{phone}}"),
    t("did anyone else get a weird mail from {{email}} asking for card details??"),
    t("ask {{last_name}} in accounts, {{phone}}"),
    t("thx {{first_name}}!! see u {{weekday}} at {{time}}"),
    t("the wifi box is at {{ip}}, password is on the fridge"),
    t("{{first_name}}: running late, stuck on {{flight}} out of {{city}}"),
    t("{{first_name}} answer your phone!!! it's about {{first_name:2}}", "upper"),
    t("dial {{phone}} and ask for {{first_name}}, tell them I sent you"),
    t("k. ring me on {{phone}} after {{time}}", "lower"),
    t("pls send the pics to {{email}} not my work one"),
]

SUPPORT = [
    t("Hello, I ordered the Aurora desk lamp (order {{order}}) on {{date}} and it still hasn't arrived at "
      "{{address_composed}}. Please advise."),
    t("Hi, I need to change the phone number on my account from {{phone}} to {{phone:2}}. "
      "Account holder: {{full_name}}."),
    t("My card {{card}} was charged twice for order {{order}}. Can you refund {{amount}}?"),
    t("Please change my delivery address to {{address_line}}. Thanks!"),
    t("I can't log in. My username is {{email}} and the reset link never arrives."),
    t("The transfer to {{iban}} bounced, can you check why?"),
    t("Hi support, our VPN gateway {{ip}} rejects every connection since the {{version}} update."),
    t("Could someone from the {{city}} branch call me back? Best number is {{phone}}, any time after {{time}}."),
    t("Ticket {{ticket}}: customer {{full_name}} reports the X200 router reboots every {{count}} minutes."),
    t("The technician ({{first_name}}) never showed up at {{street}} on {{weekday}}. Very disappointed."),
    t("I'm writing on behalf of my elderly neighbour, {{full_name}}, who can't use the phone. "
      "Please reply to {{email}} instead."),
    t("My driver's license number {{licence}} was rejected during ID verification. What format do you need?", "keep",
      US),
    t("For the rental I gave licence no. {{licence}} and paid with {{card}}. The deposit was never released."),
    t("My SSN is {{ssn}}, please correct the tax form for {{full_name}}.", "keep", US),
    t("Can you send invoice {{invoice}} to {{email}} instead of {{email:2}}?"),
    t("The parcel {{tracking}} was left at {{address_line}} but nobody there ordered it."),
    t("Please stop calling {{phone}}, that's my work line. Use {{phone:2}} instead."),
    t("I need a copy of my contract. Name: {{full_name}}, customer no. {{order}}, date of birth {{date}}."),
    t("Our office moved to\n{{address}}\nPlease update the billing address for {{company}}."),
    t("where is my refund?? it's been {{count}} days since I returned order {{order}}", "lower"),
    t("I want to dispute a payment of {{amount}} on card {{card}}, made in {{city}}, {{country}}."),
    t("Please wire the deposit to {{iban}} (account holder {{full_name}}) and quote invoice {{invoice}}."),
    t("Someone used my social security number {{ssn}} to open an account at {{company}}. What do I do?", "keep", US),
    t("urgent: account locked after a login from {{ip}}. my email is {{email}}.", "upper"),
]

SOCIAL = [
    t("Huge thanks to {{full_name}} and the whole team at {{company}} for an amazing {{weekday}}! #grateful"),
    t("LOST DOG near {{street}}! Brown lab, very friendly. Please call {{phone}}"),
    t("Just moved to {{city}} – anyone know good coffee spots? DM me or text {{phone}}"),
    t("Congrats {{full_name}} on the new role as head of design at {{company}}!"),
    t("Selling my old bike, {{amount}}, pickup from {{address_composed}}. Serious offers only: {{phone}}"),
    t("Throwback to {{date}} when {{first_name}}, {{first_name:2}} and I got lost somewhere in {{country}}"),
    t("Garage sale this {{weekday}}, {{time}} onwards, {{street}}. Everything must go!"),
    t("Found a wallet near {{city}} station – it belongs to {{full_name}}. Contact {{email}} to get it back"),
    t("Reminder: the {{company}} meetup is on {{date}}, venue {{address_line}}."),
    t("{{first_name}}'s first day at big school ❤️"),
    t("RIP my phone. new number {{phone}}, the old one was {{phone:2}} so delete it", "lower"),
    t("free kittens to a good home – call {{phone}} – {{city}} area", "upper"),
    t("Lost keys at {{street}}, {{city}}. If found please ring {{first_name}} {{phone}}"),
    t("Our shop opens {{date}} at {{address_composed}} – come say hi to {{first_name}} and {{first_name:2}}!"),
    t("Does anyone have a number for {{last_name}} the plumber? The old one, {{phone}}, is dead."),
    t("Voting for {{full_name}} in the {{state}} council election. Door-knocking on {{street}} this {{weekday}}!"),
]

REVIEWS = [
    t("★★★★☆ The Aurora desk lamp is lovely, but delivery to {{city}} took {{count}} days."),
    t("Bought the X200 router (firmware {{version}}). The setup page at {{ip}} never loaded. 2/5"),
    t("Great service from {{first_name}} at the {{city}} store – fixed my laptop in under an hour!"),
    t("Terrible. Called {{phone}} six times and nobody picked up. Order {{order}} still missing."),
    t("Dr. {{last_name}} was very patient with my son. The clinic is on {{street}}, easy parking."),
    t("Would not recommend {{company}}. They charged {{amount}} and the manager, {{full_name}}, was rude."),
    t("The hotel on {{street}} was spotless; ask for room {{room}}, it has the best view of {{city}}."),
    t("The box came with someone else's invoice inside – {{full_name}}, {{address_line}}, {{phone}}. "
      "Not great for privacy!"),
    t("Avoid seller {{company}}; {{first_name}} promised a callback on {{weekday}} and never rang."),
    t("honestly the best pizza in {{city}}, ask {{first_name}} at the counter for the off-menu one", "lower"),
    t("update {{date}}: {{company}} finally replaced the unit. thanks {{first_name}}!", "any"),
    t("Rented a van from {{company}}; they photocopied my licence ({{licence}}) and my card {{card}}. "
      "Hope they store that safely."),
    t("Lovely B&B, {{first_name}} made us breakfast every morning. Book direct on {{phone}}, it's cheaper."),
]

LETTERS = [
    t("Dear {{title}} {{last_name}},\n\nThank you for your letter of {{date}}. We have updated your address to:\n"
      "{{address}}\n\nKind regards,\n{{full_name:2}}"),
    t("Hi {{first_name}},\n\nplease find attached the signed lease for {{street}}. Let me know if anything is "
      "missing.\n\nBest,\n{{first_name:2}}"),
    t("Dear Sir or Madam,\nI am writing to complain about invoice {{invoice}}. My card {{card}} was billed "
      "{{amount}} twice.\nYours faithfully,\n{{full_name}}"),
    t("Hello {{first_name}} – quick one: do you have {{first_name:2}}'s mobile? I only have {{phone}} and it goes "
      "straight to voicemail."),
    t("Good morning,\n\nthe new starter, {{full_name}}, will need a laptop and access to {{ip}} from {{date}}.\n\n"
      "Thanks,\n{{first_name:2}}"),
    t("Dear {{first_name}},\nYour appointment with Dr. {{last_name:2}} is confirmed for {{datetime}}.\n"
      "To reschedule, ring {{phone}}."),
    t("Hi all,\n\nI'm out of the office until {{date}}. For anything urgent contact {{full_name:2}} ({{email}}).\n\n"
      "{{first_name}}"),
    t("{{first_name}},\n\nthe bank details for the deposit are:\nIBAN: {{iban}}\nAccount holder: {{full_name:2}}\n\n"
      "Cheers"),
    t("Dear {{title}} {{last_name}}, we regret to inform you that your application (ref. {{order}}) was "
      "unsuccessful. Yours sincerely, {{company}}"),
    t("Subject: Change of bank details\n\nPlease pay all future invoices to {{iban}}.\n\nRegards,\n{{full_name}}\n"
      "Finance, {{company}}"),
    t("Best regards,\n{{full_name}}\nSenior Account Manager | {{company}}\n{{phone}} | {{email}}"),
    t("Kind regards\n\n{{full_name}}\n{{company}}\nT {{phone}}\nM {{phone:2}}"),
    t("Dear {{first_name}} and {{first_name:2}},\n\ncongratulations on the new house at {{address_line}}! "
      "We can't wait to visit.\n\nLove,\n{{first_name:3}}"),
    t("To whom it may concern,\n\nI confirm that {{full_name}} has been employed by {{company}} since {{date}}.\n\n"
      "{{full_name:2}}\nHR Manager"),
    t("Hi {{first_name}}, the password reset for {{email}} went through. The request came from {{ip}} – "
      "let us know if that wasn't you."),
    t("--\n{{full_name}}\n{{address_block}}\n{{phone}}"),
    t("P.S. {{first_name}}'s new number is {{phone}} – the old one no longer works."),
    t("Dear Dr. {{last_name}},\n\nplease find enclosed the results for your patient {{full_name:2}}, "
      "received {{date}}.\n\nYours,\n{{company}}"),
]

DIALOGUE = [
    t("A: What's your number?\nB: It's {{phone}}.\nA: And your name?\nB: {{first_name}}."),
    t('"Is {{first_name}} there?" "No, try the office – {{phone}}."'),
    t("Operator: Can I have your full name?\nCaller: {{full_name}}.\nOperator: And the address?\n"
      "Caller: {{address_line}}."),
    t("Agent: For security, which card did you last use?\nCustomer: {{card}}."),
    t("Nurse: Who is your emergency contact?\nPatient: My partner, {{full_name}}, {{phone}}."),
    t("Q: who handles payroll now? A: {{full_name}}, room {{room}}", "lower"),
    t("Me: can I speak to {{title}} {{last_name}}?\nThem: wrong number, this is {{phone}}"),
    t("Caller quoted SSN {{ssn}} and asked for {{first_name}} in billing.", "keep", US),
    t("Officer: License, please.\nDriver: Here. {{licence}}, issued in {{state}}.", "keep", US),
    t("- what's the IP of the printer?\n- {{ip}}\n- thanks {{first_name}}"),
    t("Receptionist: And how would you like to pay?\nGuest: Card, {{card}}. The name on it is {{full_name}}."),
    t("{{first_name}}: did you get my mail?\n{{first_name:2}}: which address did you use?\n{{first_name}}: {{email}}"),
]

FORMS = [
    t("Name: {{full_name}}\nPhone: {{phone}}\nEmail: {{email}}"),
    t("Full name: {{full_name}}\nDate of birth: {{date}}\nSSN: {{ssn}}\nAddress: {{address_line}}", "keep", US),
    t("name={{full_name}} phone={{phone}} city={{city}}"),
    t("first_name,last_name,phone\n{{first_name}},{{last_name}},{{phone}}"),
    t("{{last_name}};{{first_name}};{{email}};{{country}}"),
    t("id,name,email,ip\n{{order}},{{full_name}},{{email}},{{ip}}"),
    t("user={{email}} src_ip={{ip}} action=login status=FAILED ts={{datetime}}"),
    t("applicant: {{full_name}}\nlicense no: {{licence}}\nissuing state: {{state}}", "upper", US),
    t("Customer record\n---------------\nSurname: {{last_name}}\nGiven name: {{first_name}}\nMobile: {{phone}}\n"
      "Street: {{street}}"),
    t("Beneficiary: {{company}}\nIBAN: {{iban}}\nAmount: {{amount}}\nReference: {{invoice}}"),
    t("contact:\n  name: {{full_name}}\n  tel: {{phone}}\n  addr: {{street}}"),
    t('{"name": "{{full_name}}", "email": "{{email}}", "phone": "{{phone}}"}'),
    t("| Name | Phone |\n|---|---|\n| {{full_name}} | {{phone}} |\n| {{full_name:2}} | {{phone:2}} |"),
    t("REF {{order}} | {{full_name}} | {{card}} | {{amount}}"),
    t("{{datetime}} INFO session opened for {{email}} from {{ip}}"),
    t("tel:{{phone}}"),
    t("Patient: {{last_name}}, {{first_name}}\nDOB: {{date}}\nWard: {{room}}\nGP: Dr. {{last_name:2}}"),
    t("Employee ID {{order}} | {{full_name}} | start {{date}} | IBAN {{iban}}"),
    t("Policy holder - {{full_name}} - SSN {{ssn}} - driver's license {{licence}}", "keep", US),
    t("Guest list: {{full_name}} (+1), {{full_name:2}}, {{full_name:3}}"),
    t("payee_name: {{full_name}}; payee_iban: {{iban}}; memo: rent {{date}}"),
    t("ip_address,last_seen\n{{ip}},{{datetime}}\n{{ip:2}},{{datetime:2}}"),
]

LABELS = [
    t("ship to:\n{{full_name}}\n{{address}}", "upper"),
    t("FROM: {{company}}\nTO: {{full_name}}\n{{address_block}}\nTRACKING: {{tracking}}"),
    t("{{full_name}}\n{{company}}\n{{phone}}\n{{email}}"),
    t("BEGIN:VCARD\nFN:{{full_name}}\nTEL;TYPE=cell:{{phone}}\nEMAIL:{{email}}\nEND:VCARD"),
    t("Deliver to: {{full_name}} c/o {{company}}, {{address_line}}. Tracking {{tracking}}."),
    t("Return address: {{address_composed}}"),
    t("Attn: {{title}} {{last_name}}\n{{address_block}}\n{{country}}"),
    t("{{full_name}}, Director, {{company}} – {{phone}} – {{email}}"),
    t("priority\n{{full_name}}\n{{street}}\n{{city}}\nref {{order}}", "upper"),
    t("Label {{tracking}}\nc/o {{last_name}}\n{{address_composed}}\nfragile – {{qty}} boxes"),
]

MEETINGS = [
    t("Meeting notes {{date}}\nAttendees: {{full_name}}, {{full_name:2}}\nAction: {{first_name}} to call the "
      "landlord about the leak."),
    t("Notes: {{first_name}} presented Q3 numbers ({{amount}}, up {{percent}}). Next sync {{weekday}} {{time}}."),
    t("Action items:\n- {{first_name}}: send the contract to {{email}}\n- {{first_name:2}}: book room {{room}} "
      "for {{date}}"),
    t("Standup: {{first_name}} is blocked on access to {{ip}}; {{first_name:2}} is reviewing release {{version}}."),
    t("Minutes – board of {{company}}, {{date}}. Present: {{title}} {{last_name}}, {{title:2}} {{last_name:2}}."),
    t("Call with {{company}} ({{full_name}}): they want {{count}} software licences by {{date}}."),
    t("Retro: the outage on {{date}} started when {{ip}} ran out of disk. Owner: {{last_name}}."),
    t("TODO ring {{first_name}} re: invoice {{invoice}} – {{phone}}"),
]

HR_MEDICAL = [
    t("New hire: {{full_name}}, starts {{date}}, salary to {{iban}}. Please set up payroll."),
    t("Payroll: please update the SSN for {{full_name}} to {{ssn}} – the old one had a typo.", "keep", US),
    t("Reference: {{full_name}} worked with us at {{company}} from {{date}} to {{date:2}}."),
    t("Leave request – {{full_name}} – {{date}} to {{date:2}} – cover: {{first_name:2}}"),
    t("Background check consent: I, {{full_name}}, SSN {{ssn}}, driver's license {{licence}}, authorize "
      "{{company}} to verify my records.", "keep", US),
    t("{{full_name}}'s probation ends {{date}}; manager sign-off still missing."),
    t("Please send {{last_name}}'s P45 to {{address_line}}."),
    t("Patient {{full_name}} (DOB {{date}}) seen for follow-up. Referred to Dr. {{last_name:2}}."),
    t("Your prescription is ready for collection at the {{street}} pharmacy, under the name {{last_name}}."),
    t("We still have your driver's license on file as {{licence}}. Is it still valid, {{title}} {{last_name}}?",
      "keep", US),
    t("Emergency contact for {{first_name}}: {{full_name:2}}, {{phone}}"),
    t("Ward {{room}}: {{title}} {{last_name}} discharged {{datetime}}; GP informed by fax {{phone}}."),
    t("Dental reminder: {{first_name}}, your check-up is due. Reply YES or ring the practice at {{phone}}."),
]

MONEY = [
    t("Transfer {{amount}} from {{iban}} to {{iban:2}} on {{date}}."),
    t("Standing order: {{amount}} monthly to {{full_name}}, IBAN {{iban}}, reference RENT."),
    t("We noticed a sign-in from {{ip}} ({{city}}, {{country}}) at {{time}}. Not you? Change your password."),
    t("Card {{card}} has been blocked after {{count}} failed PIN attempts."),
    t("I'd like to close the joint account {{iban}} that I hold with {{full_name}}."),
    t("Chargeback filed for {{card}} – merchant {{company}}, {{amount}}, {{date}}."),
    t("Loan application: {{full_name}}, SSN {{ssn}}, employer {{company}}, monthly income {{amount}}.", "keep", US),
    t("pay {{first_name}} back: {{iban}} – {{amount}}", "lower"),
    t("Claim {{order}}: vehicle owner {{full_name}}, licence {{licence}}, accident on {{date}} at {{street}}."),
    t("Policy {{order}} renewed. The premium of {{amount}} will be charged to card {{card}}."),
    t("The other driver was {{full_name}} (license {{licence}}, tel. {{phone}}), insured with {{company}}.", "keep",
      US),
    t("Insured: {{full_name}}, SSN {{ssn}}, address {{address_line}}", "keep", US),
    t("Home insurance quote for {{address_composed}}: {{amount}} per year, excess {{amount:2}}."),
]

PROPERTY_DELIVERY_SCHOOL = [
    t("Viewing at {{address_composed}} on {{weekday}}, agent {{first_name}} {{phone}}"),
    t("Tenant {{full_name}} has given notice on flat {{room}}, {{street}}, effective {{date}}."),
    t("Landlord: {{full_name}} | Deposit account: {{iban}} | Property: {{address_line}}"),
    t("open house {{weekday}} {{time}} – {{street}} – ask for {{first_name}}", "upper"),
    t("Rent is {{amount}} per month, bills included. Contact the owner, {{title}} {{last_name}}, on {{phone}}."),
    t("Your courier {{first_name}} is {{count}} stops away. Track parcel {{tracking}}."),
    t("Delivery attempt failed at {{address_line}}. Call {{phone}} to rebook."),
    t("pickup {{date}} {{time}} – {{address_composed}} – contact {{phone}}", "upper"),
    t("Package {{tracking}} signed for by {{last_name}} at {{time}}."),
    t("Driver note: gate code {{code}}, leave the boxes with {{full_name}} next door."),
    t("Parcel for {{full_name}} left in the safe place at {{street}}. Photo attached."),
    t("Dear parents, {{first_name}}'s class trip to {{city}} is on {{date}}. Please return the form to "
      "{{title:2}} {{last_name:2}}."),
    t("Pickup authorisation: {{full_name}} may collect {{first_name:2}} from school. Contact {{phone}}."),
    t("Enrolment form\nStudent: {{full_name}}\nGuardian: {{full_name:2}}\nHome address:\n{{address}}"),
    t("School nurse: please call {{first_name}}'s parent on {{phone}} if the fever comes back."),
]

LISTS = [
    t("Team:\n1. {{full_name}} – {{phone}}\n2. {{full_name:2}} – {{phone:2}}"),
    t("Invited: {{first_name}}, {{first_name:2}}, {{first_name:3}} and {{first_name:4}}"),
    t("Volunteers: {{full_name}} (kitchen), {{full_name:2}} (driving), {{full_name:3}} (reception)"),
    t("On-call rota: {{last_name}} / {{last_name:2}} / {{last_name:3}}"),
    t("{{full_name}}, {{full_name:2}} and {{full_name:3}} have been shortlisted for the {{company}} award."),
    t("carpool: {{first_name}}, {{first_name:2}}, {{first_name:3}} – meet at {{street}}", "lower"),
    t("Speakers: {{title}} {{last_name}}, {{title:2}} {{last_name:2}} and {{full_name:3}}"),
]

PHONES = [
    t("You can reach me at {{phone}}."),
    t("Mobile {{phone}}"),
    t("Fax: {{phone}}"),
    t("For bookings dial {{phone}}."),
    t("Try {{phone}} or {{phone:2}}."),
    t("my number is {{phone}}", "lower"),
    t("The office number has changed to {{phone}}."),
    t("Emergency contact {{phone}}"),
    t("{{full_name}} {{phone}}"),
    t("{{full_name}} – {{phone}}"),
    t("Call {{first_name}} on {{phone}} or email {{email}}."),
    t("I'm on {{phone}} all weekend if anything comes up."),
    t("Cell: {{phone}} / Work: {{phone:2}}"),
    t("Someone left a voicemail from {{phone}} asking for {{first_name}}."),
    t("Reception ({{phone}}) opens at {{time}}."),
    t("Please phone back on {{phone}}, quoting {{ticket}}."),
    t("{{phone}} – that's the number to ring if the alarm goes off."),
    t("Book via {{phone}}, {{email}} or in person at {{street}}."),
    t("If I'm not at my desk, my colleague {{first_name}} is on {{phone}}."),
    t("Numbers: home {{phone}}, work {{phone:2}}, {{first_name}}'s {{phone:3}}"),
    t("ring {{phone}} for a free quote", "upper"),
    t("the number on the van was {{phone}}, {{company}} I think", "lower"),
    t("Still no answer on {{phone}} – is there another way to get hold of {{last_name}}?"),
    t("whatsapp only: {{phone}}", "any"),
]

ADDRESSES = [
    t("I live at {{street}}."),
    t("{{street}} is where the party is, bring snacks"),
    t("Our new address (valid from {{date}}):\n{{address}}"),
    t("The meeting has moved to {{address_line}}."),
    t("Send the cheque to {{address_composed}}, attention {{first_name}}."),
    t("Property at {{street}}, {{city}}, {{state}} sold for {{amount}}."),
    t("{{address}}"),
    t("Head office: {{address_block}}, {{country}}"),
    t("key's under the mat at {{street}} – don't tell anyone", "lower"),
    t("the event will take place at {{address_line}} on {{date}}", "upper"),
    t("Postal address\n{{full_name}}\n{{address_block}}"),
]

NUMBERS = [
    t("Blocked {{ip}} after {{count}} failed SSH logins."),
    t("Can you whitelist {{ip}} and {{ip:2}} for the {{company}} integration?"),
    t("my home ip is {{ip}}, the port forward isn't working", "lower"),
    t("Firewall log: DENY tcp {{ip}}:{{port}} -> {{ip:2}}:443"),
    t("The printer on the third floor is {{ip}} – ask {{first_name}} if it jams."),
    t("Please charge the balance to {{card}}, same expiry as before."),
    t("cc: {{card}}  name: {{full_name}}", "lower"),
    t("I paid with card {{card}} at the {{city}} branch of {{company}}."),
    t("Refunds go to {{iban}}, not to the card."),
    t("IBAN {{iban}} – BIC on request – account name {{company}}"),
    t("Can you double-check this IBAN for me? {{iban}}"),
    t("The applicant's social security number is {{ssn}}.", "keep", US),
    t("ssn {{ssn}} / dob {{date}}", "lower", US),
    t("Form W-4 for {{full_name}}: SSN {{ssn}}, filing in {{state}}.", "keep", US),
    t("Please remove my SSN ({{ssn}}) from your records, {{company}}.", "keep", US),
    t("Driver's license: {{licence}} (expires {{date}})", "keep", US),
    t("Renting requires a valid licence – we have yours as {{licence}}, {{first_name}}."),
    t("driver license #{{licence}}  class c  {{state}}", "upper", US),
    t("Could you re-enter the license number? {{licence}} doesn't match the name {{full_name}}.", "keep", US),
]

DISTRACTORS = [
    t("Order {{order}} shipped on {{date}}: {{qty}} items, total {{amount}}."),
    t("Release {{version}} fixes {{count}} bugs, including the crash in the export dialog."),
    t("Meeting room {{room}} is booked from {{time}} to {{time:2}}."),
    t("Tracking number {{tracking}}: parcel in transit."),
    t("Invoice {{invoice}} is overdue by {{count}} days; amount due {{amount}}."),
    t("Flight {{flight}}, seat {{seat}}, gate {{gate}}, boarding {{time}}."),
    t("Your verification code is {{code}}. Do not share it."),
    t("We shipped {{qty}} units to {{country}} and {{count}} units to {{country:2}}."),
    t("Temperatures in {{city}} reached {{count}} degrees on {{date}}."),
    t("{{company}} reported revenue of {{amount}}, up {{percent}} year on year."),
    t("Stock check: {{sku}} – {{qty}} left in the {{city}} warehouse."),
    t("Table for {{qty}} at {{time}}, booking ref {{ticket}}."),
    t("Bus {{count}} to {{city}} leaves from stop {{room}} every {{count:2}} minutes."),
    t("Call volume hit {{count}} on {{weekday}}; average wait {{count:2}} minutes."),
    t("Dial-in code {{code}}, then press # to join."),
    t("order {{order}} – {{qty}} x item {{sku}} – paid {{amount}}", "upper"),
    t("Your parcel ({{tracking}}) will arrive between {{time}} and {{time:2}}."),
    t("Error {{code}} on node-{{count}}: disk usage at {{percent}}."),
]

TEMPLATES: list[Template] = [
    *CHAT, *SUPPORT, *SOCIAL, *REVIEWS, *LETTERS, *DIALOGUE, *FORMS, *LABELS, *MEETINGS, *HR_MEDICAL, *MONEY,
    *PROPERTY_DELIVERY_SCHOOL, *LISTS, *PHONES, *ADDRESSES, *NUMBERS, *DISTRACTORS,
]  # fmt: skip


# --------------------------------------------------------------------------------------------------------------------
# Value generation
# --------------------------------------------------------------------------------------------------------------------


def is_latin(text: str) -> bool:
    return all(not ch.isalpha() or "LATIN" in unicodedata.name(ch, "") for ch in text)


def tidy(value: str) -> str:
    """Collapse runs of spaces inside each line and drop empty lines / stray trailing commas."""
    lines = (" ".join(line.split()).strip(" ,") for line in value.splitlines())
    return "\n".join(line for line in lines if line)


def ascii_slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.lower().translate(ASCII_FOLD))
    return "".join(ch for ch in folded if ch in string.ascii_lowercase + string.digits)


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    gender: str

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"


@dataclass
class Filler:
    """Slot values for one text; the same (slot, index) always gives the same value within the text."""

    locale: str
    fake: Faker
    backup: Faker
    rng: random.Random
    values: dict[tuple[str, str], str] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)

    def latin(self, *methods: str) -> str:
        """First Latin-script value from the locale's providers, else from the en_US backup."""
        for source in (self.fake, self.backup):
            for method in methods:
                value = tidy(str(getattr(source, method)())) if hasattr(source, method) else ""
                if value and is_latin(value):
                    return value
        raise ValueError(f"no Latin value for {methods}")

    def person(self, idx: str) -> Person:
        if idx not in self.people:
            taken = {name for p in self.people.values() for name in (p.first, p.last)}
            person = self._new_person()
            while person.first in taken or person.last in taken:
                person = self._new_person()
            self.people[idx] = person
        return self.people[idx]

    def _new_person(self) -> Person:
        gender = self.rng.choice("mf")
        suffix = "male" if gender == "m" else "female"
        if self.locale == "ja_JP":
            first = self.latin(f"first_romanized_name_{suffix}")
            return Person(first, self.latin("last_romanized_name"), gender)
        return Person(self.latin(f"first_name_{suffix}"), self.latin(f"last_name_{suffix}", "last_name"), gender)

    def value(self, slot: str, idx: str) -> str:
        key = (slot, idx)
        if key not in self.values:
            others = {v for (s, _), v in self.values.items() if s == slot}
            value = MAKERS[slot](self, idx)
            for _ in range(20):
                if value not in others:
                    break
                value = MAKERS[slot](self, idx)
            self.values[key] = value
        return self.values[key]


def make_email(f: Filler, idx: str) -> str:
    style = f.rng.random()
    if style < 0.4:
        return f.latin("email", "free_email", "company_email")
    person = f.person(idx)
    first, last = ascii_slug(person.first), ascii_slug(person.last)
    domain = f.latin("free_email_domain") if f.rng.random() < 0.6 else f.latin("domain_name")
    local = f.rng.choice([f"{first}.{last}", f"{first[:1]}{last}", f"{first}{f.rng.randint(1, 99)}",
                          f"{last}.{first}", f"{first}_{last}"])  # fmt: skip
    return f"{local}@{domain}"


def make_card(f: Filler, _idx: str) -> str:
    number = f.backup.credit_card_number(card_type=f.rng.choice(CARD_TYPES))
    groups = CARD_GROUPS.get(len(number))
    style = f.rng.random()
    if groups is None or style < 0.4:
        return number
    parts, start = [], 0
    for size in groups:
        parts.append(number[start : start + size])
        start += size
    return (" " if style < 0.8 else "-").join(parts)


def make_iban(f: Filler, _idx: str) -> str:
    iban = f.fake.iban()
    if f.rng.random() < 0.5:
        return iban
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def make_ssn(f: Filler, _idx: str) -> str:
    ssn = f.backup.ssn()
    return ssn if f.rng.random() < 0.7 else ssn.replace("-", "")


def make_ip(f: Filler, _idx: str) -> str:
    roll = f.rng.random()
    if roll < 0.5:
        return f.fake.ipv4()
    return f.fake.ipv4_private() if roll < 0.8 else f.fake.ipv6()


def make_licence(f: Filler, _idx: str) -> str:
    rng = f.rng

    def digits(n: int) -> str:
        return "".join(rng.choice(string.digits) for _ in range(n))

    letter = rng.choice(string.ascii_uppercase)
    formats = [
        f"{letter}{digits(7)}",
        f"{letter}{digits(8)}",
        f"{letter}{digits(3)}-{digits(4)}-{digits(4)}",
        f"{letter}{digits(3)}-{digits(3)}-{digits(2)}-{digits(3)}-{digits(1)}",
        f"{letter}{rng.choice(string.ascii_uppercase)}{digits(6)}",
        f"{digits(3)} {digits(3)} {digits(3)}",
        f"{letter}{digits(4)} {digits(5)} {digits(5)}",
    ]
    return rng.choice(formats)


def make_street(f: Filler, _idx: str) -> str:
    return ", ".join(f.latin("street_address").splitlines())


def make_address(f: Filler, _idx: str) -> str:
    return f.latin("address")


def make_address_line(f: Filler, idx: str) -> str:
    return ", ".join(make_address(f, idx).splitlines())


def postcode_city(f: Filler) -> str:
    postcode, city = f.latin("postcode"), f.latin("city")
    return f"{city} {postcode}" if f.locale in CITY_FIRST else f"{postcode} {city}"


def make_address_composed(f: Filler, idx: str) -> str:
    return f"{make_street(f, idx)}, {postcode_city(f)}"


def make_address_block(f: Filler, idx: str) -> str:
    return f"{make_street(f, idx)}\n{postcode_city(f)}"


def random_year(rng: random.Random) -> int:
    return rng.randint(2018, 2027) if rng.random() < 0.75 else rng.randint(1950, 2017)


def make_date(f: Filler, _idx: str) -> str:
    rng = f.rng
    year, month, day = random_year(rng), rng.randint(1, 12), rng.randint(1, 28)
    name = MONTHS[month - 1]
    formats = [
        f"{day} {name} {year}", f"{name} {day}, {year}", f"{year}-{month:02d}-{day:02d}",
        f"{day:02d}/{month:02d}/{year}", f"{month}/{day}/{year}", f"{day:02d}.{month:02d}.{year}",
        f"{name[:3]} {day}", f"{day} {name}", f"{rng.choice(WEEKDAYS)} {day} {name}",
    ]  # fmt: skip
    return rng.choice(formats)


def make_time(f: Filler, _idx: str) -> str:
    rng = f.rng
    hour, minute = rng.randint(0, 23), rng.choice([0, 0, 15, 30, 45, rng.randint(1, 59)])
    twelve = hour % 12 or 12
    suffix = "am" if hour < 12 else "pm"
    formats = [f"{hour:02d}:{minute:02d}", f"{hour}:{minute:02d}", f"{twelve}:{minute:02d} {suffix}",
               f"{twelve}{suffix}", f"{twelve} {suffix.upper()}", f"{hour}h{minute:02d}"]  # fmt: skip
    return rng.choice(formats)


def make_datetime(f: Filler, idx: str) -> str:
    rng = f.rng
    if rng.random() < 0.4:
        year, month, day = random_year(rng), rng.randint(1, 12), rng.randint(1, 28)
        return f"{year}-{month:02d}-{day:02d}{rng.choice(' T')}{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"
    return f"{make_date(f, idx)}{rng.choice([' at ', ', ', ' '])}{make_time(f, idx)}"


def make_title(f: Filler, idx: str) -> str:
    return f.rng.choice(TITLES[f.person(idx).gender])


def make_state(f: Filler, _idx: str) -> str:
    return f.latin("state", "administrative_unit", "city")


def rand_digits(rng: random.Random, low: int, high: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(rng.randint(low, high)))


def make_order(f: Filler, _idx: str) -> str:
    rng = f.rng
    return rng.choice([
        f"#{rand_digits(rng, 5, 8)}", f"ORD-{random_year(rng)}-{rand_digits(rng, 5, 6)}",
        f"{rng.choice(string.ascii_uppercase)}{rand_digits(rng, 2, 3)}-{rand_digits(rng, 4, 6)}",
        rand_digits(rng, 7, 10),
        f"{rand_digits(rng, 3, 3)}-{rand_digits(rng, 7, 7)}-{rand_digits(rng, 7, 7)}",
    ])  # fmt: skip


def make_amount(f: Filler, _idx: str) -> str:
    rng = f.rng
    whole, cents = rng.randint(1, 4999), rng.randint(0, 99)
    return rng.choice([f"${whole:,}.{cents:02d}", f"€{whole}.{cents:02d}", f"£{whole}", f"{whole},{cents:02d} EUR",
                       f"{whole} CHF", f"USD {whole:,}.{cents:02d}", f"{whole:,} kr"])  # fmt: skip


def make_tracking(f: Filler, _idx: str) -> str:
    rng = f.rng
    alnum = string.ascii_uppercase + string.digits
    return rng.choice([
        "1Z" + "".join(rng.choice(alnum) for _ in range(6)) + rand_digits(rng, 10, 10),
        "JJD" + rand_digits(rng, 18, 18), rand_digits(rng, 12, 22),
        "".join(rng.choice(string.ascii_uppercase) for _ in range(2)) + rand_digits(rng, 9, 9) + "GB",
    ])  # fmt: skip


def make_version(f: Filler, _idx: str) -> str:
    rng = f.rng
    core = f"{rng.randint(0, 14)}.{rng.randint(0, 30)}.{rng.randint(0, 99)}"
    short = f"{rng.randint(1, 9)}.{rng.randint(0, 9)}"
    return rng.choice([core, f"v{core}", f"{core}-beta.{rng.randint(1, 9)}", short])


def make_code(f: Filler, _idx: str) -> str:
    code = rand_digits(f.rng, 6, 6)
    return f.rng.choice([code, f"{code[:3]} {code[3:]}", code[:4]])


def simple_maker(build: Callable[[random.Random], str]) -> Callable[[Filler, str], str]:
    def maker(f: Filler, _idx: str) -> str:
        return build(f.rng)

    return maker


def faker_maker(*methods: str) -> Callable[[Filler, str], str]:
    def maker(f: Filler, _idx: str) -> str:
        return f.latin(*methods)

    return maker


def person_maker(part: str) -> Callable[[Filler, str], str]:
    def maker(f: Filler, idx: str) -> str:
        person = f.person(idx)
        return {"first_name": person.first, "last_name": person.last, "full_name": person.full}[part]

    return maker


UPPER = string.ascii_uppercase
MAKERS: dict[str, Callable[[Filler, str], str]] = {
    "first_name": person_maker("first_name"),
    "last_name": person_maker("last_name"),
    "full_name": person_maker("full_name"),
    "phone": faker_maker("phone_number"),
    "street": make_street,
    "address": make_address,
    "address_line": make_address_line,
    "address_composed": make_address_composed,
    "address_block": make_address_block,
    "email": make_email,
    "card": make_card,
    "iban": make_iban,
    "ssn": make_ssn,
    "ip": make_ip,
    "licence": make_licence,
    "city": faker_maker("city"),
    "country": faker_maker("country"),
    "state": make_state,
    "company": faker_maker("company"),
    "date": make_date,
    "time": make_time,
    "weekday": simple_maker(lambda r: r.choice(WEEKDAYS)),
    "datetime": make_datetime,
    # distractors: generated but never labelled
    "title": make_title,
    "order": make_order,
    "invoice": simple_maker(lambda r: r.choice([f"INV-{random_year(r)}-{rand_digits(r, 5, 5)}",
                                                f"{random_year(r)}/{rand_digits(r, 4, 4)}", rand_digits(r, 6, 8)])),
    "amount": make_amount,
    "tracking": make_tracking,
    "room": simple_maker(lambda r: r.choice([str(r.randint(1, 999)), f"{r.choice('ABC')}-{r.randint(100, 499)}",
                                             f"{r.randint(1, 5)}.{r.randint(1, 30):02d}"])),
    "version": make_version,
    "count": simple_maker(lambda r: str(r.randint(2, 120))),
    "qty": simple_maker(lambda r: str(r.randint(1, 40))),
    "ticket": simple_maker(lambda r: r.choice([f"INC{rand_digits(r, 7, 7)}", f"#{rand_digits(r, 5, 6)}",
                                               f"TCK-{random_year(r)}-{r.randint(1, 9999)}"])),
    "sku": simple_maker(lambda r: f"{r.choice(UPPER)}{r.choice(UPPER)}-{rand_digits(r, 4, 4)}-{r.choice(UPPER)}"),
    "flight": simple_maker(lambda r: f"{r.choice(UPPER)}{r.choice(UPPER)}{r.choice(['', ' '])}{r.randint(10, 2999)}"),
    "percent": simple_maker(lambda r: r.choice([f"{r.randint(1, 99)}%", f"{r.randint(1, 40)}.{r.randint(0, 9)}%"])),
    "serial": simple_maker(lambda r: "SN-" + "".join(r.choice(UPPER + string.digits) for _ in range(8))),
    "seat": simple_maker(lambda r: f"{r.randint(1, 45)}{r.choice('ABCDEF')}"),
    "gate": simple_maker(lambda r: f"{r.choice('ABCDE')}{r.randint(1, 60)}"),
    "port": simple_maker(lambda r: str(r.randint(1024, 65535))),
    "code": make_code,
}


# --------------------------------------------------------------------------------------------------------------------
# Rendering and checks
# --------------------------------------------------------------------------------------------------------------------

CASES: dict[str, Callable[[str], str]] = {"keep": lambda s: s, "lower": str.lower, "upper": str.upper}


class Span(TypedDict):
    entity_type: str
    entity_value: str
    start_position: int
    end_position: int


class Record(TypedDict):
    full_text: str
    masked: str
    spans: list[Span]
    template_id: int
    metadata: dict[str, str]


def require(condition: bool, message: object) -> None:
    """Like ``assert`` but also active under ``python -O``."""
    if not condition:
        raise AssertionError(message)


def pick_case(template: Template, rng: random.Random) -> str:
    if template.case != "any":
        return template.case
    return rng.choices(["keep", "lower", "upper"], weights=[6, 3, 1])[0]


def render(template: Template, filler: Filler, case: str) -> tuple[str, list[Span]]:
    """Fill the slots; the case change is applied per piece so that span offsets stay exact."""
    convert = CASES[case]
    pieces: list[str] = []
    spans: list[Span] = []
    length, cursor = 0, 0
    for match in SLOT_RE.finditer(template.text):
        literal = convert(template.text[cursor : match.start()])
        value = convert(filler.value(match[1], match[2] or "1"))
        start = length + len(literal)
        if match[1] in SLOT_TYPES:
            spans.append(Span(entity_type=SLOT_TYPES[match[1]], entity_value=value, start_position=start,
                              end_position=start + len(value)))  # fmt: skip
        pieces += [literal, value]
        length = start + len(value)
        cursor = match.end()
    pieces.append(convert(template.text[cursor:]))
    return "".join(pieces), spans


def check_record(record: Record) -> None:
    text = record["full_text"]
    require(is_latin(text), f"non-Latin letters in {text!r}")
    previous_end = 0
    for span in record["spans"]:
        start, end, value = span["start_position"], span["end_position"], span["entity_value"]
        require(text[start:end] == value, (text, span))
        require(bool(value) and value == value.strip(), (text, span))
        require(start >= previous_end, f"overlapping spans in {text!r}")
        previous_end = end


def check_templates(templates: list[Template]) -> None:
    require(len(templates) >= MIN_TEMPLATES, f"only {len(templates)} templates")
    require(len({tpl.text for tpl in templates}) == len(templates), "duplicate template")
    for tpl in templates:
        slots = [m[1] for m in SLOT_RE.finditer(tpl.text)]
        require(all(slot in MAKERS for slot in slots), f"unknown slot in {tpl.text!r}")
        require("{{" not in SLOT_RE.sub("", tpl.text), f"malformed slot in {tpl.text!r}")
        labelled = sum(slot in SLOT_TYPES for slot in slots)
        require(labelled <= MAX_LABELLED_PER_TEMPLATE, f"{labelled} labelled slots in {tpl.text!r}")


def split_of(record: Record) -> str:
    return "even" if record["template_id"] % 2 == 0 else "odd"


def check_split_coverage(records: list[Record]) -> None:
    for split in ("even", "odd"):
        seen = {span["entity_type"] for r in records if split_of(r) == split for span in r["spans"]}
        missing = set(ENTITY_TYPES) - seen
        require(not missing, f"{split} template ids lack {sorted(missing)}")


# --------------------------------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------------------------------


class FakerPool:
    def __init__(self) -> None:
        self._fakers: dict[str, Faker] = {}
        self.backup = Faker("en_US")

    def get(self, locale: str) -> Faker:
        if locale not in self._fakers:
            self._fakers[locale] = stable(Faker(locale))
        return self._fakers[locale]


def stable(fake: Faker) -> Faker:
    """Sort word lists that a provider builds from a set (it_IT cities), so output does not depend on hash seeds."""
    for provider in fake.providers:
        cities = getattr(provider, "cities", None)
        if isinstance(cities, list):
            provider.cities = sorted(cities)
    return fake


def build_record(template_id: int, template: Template, pool: FakerPool, rng: random.Random) -> Record:
    locale = rng.choice(template.locales)
    fake = pool.get(locale)
    fake.seed_instance(rng.getrandbits(32))
    pool.backup.seed_instance(rng.getrandbits(32))
    filler = Filler(locale, fake, pool.backup, random.Random(rng.getrandbits(32)))
    text, spans = render(template, filler, pick_case(template, rng))
    record = Record(full_text=text, masked=template.text, spans=spans, template_id=template_id,
                    metadata={"locale": locale})  # fmt: skip
    check_record(record)
    return record


def generate(per_template: int, seed: int) -> list[Record]:
    check_templates(TEMPLATES)
    rng = random.Random(seed)
    pool = FakerPool()
    records = [build_record(tid, tpl, pool, rng) for tid, tpl in enumerate(TEMPLATES) for _ in range(per_template)]
    check_split_coverage(records)
    return records


def print_summary(records: list[Record]) -> None:
    counts = Counter((span["entity_type"], split_of(r)) for r in records for span in r["spans"])
    texts = Counter(split_of(r) for r in records)
    print(f"templates={len(TEMPLATES)} texts={len(records)} (even={texts['even']}, odd={texts['odd']})")
    print(f"{'entity_type':<20}{'even':>7}{'odd':>7}{'total':>7}")
    for entity in ENTITY_TYPES:
        even, odd = counts[(entity, "even")], counts[(entity, "odd")]
        print(f"{entity:<20}{even:>7}{odd:>7}{even + odd:>7}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--per-template", type=int, default=8, help="texts generated per template")
    parser.add_argument("--seed", type=int, default=29, help="random seed (output is deterministic)")
    parser.add_argument("--out", default=DEFAULT_OUT, help="output JSON path (relative paths are from the repo root)")
    args = parser.parse_args()
    records = generate(args.per_template, args.seed)
    out = Path(args.out)
    out = out if out.is_absolute() else ROOT / out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(records, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print_summary(records)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
