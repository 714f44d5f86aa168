"""Labelled synthetic helpdesk tickets for the PII-redaction stage, written apart from the recognizers.

Why this set exists: it is a second labelled set for measuring how well the PII stage generalises. Its
146 ticket templates (customer e-mails, chat messages, forwarded mail with signatures, web-form dumps,
agent notes, IT requests, billing disputes; a few in German, French and Spanish) were written without
looking at the recognizers or at the templates of the existing evaluation set, so scores on it are not
inflated by rules that were tuned to the phrasing of those templates.

Split rule: texts from templates with an even `template_id` are the development split; texts from odd
template ids are held out. Do not read held-out texts while developing or tuning rules; only look at their
aggregate scores. Every entity type occurs in both splits (checked on every run).

Values come from Faker, with one locale per generated text so that names, phone numbers, addresses and
IBANs fit one country. Labelled entity types:

    PERSON          first name, last name or full name (first_name() + last_name(), gender-consistent;
                    Faker's name() is not used because it adds titles such as "Dr." or "MD" that are
                    not part of a name span); courtesy titles ("Mr.", "Frau") stay outside the span
    EMAIL_ADDRESS   email(), free_email(), or built from the person's name with free_email_domain()
    PHONE_NUMBER    phone_number()
    STREET_ADDRESS  a full postal address from address() (street + number, optional flat, postcode,
                    city, optionally the country), multi-line or joined with ", " on one line
    CREDIT_CARD     credit_card_number(), compact or grouped with spaces/dashes
    IBAN_CODE       iban(), compact or in groups of four
    US_SSN          ssn() (en_US), with dashes or as nine digits
    IP_ADDRESS      ipv4() / ipv4_private()

Not labelled (distractors on purpose): order, invoice, ticket, tracking, PO and customer numbers, dates,
times, amounts, product, company and carrier names, city names and postcodes on their own, version and
build strings, card last-four digits, extensions, serial numbers and error codes.

Output is a JSON list in presidio-research's format:
{"full_text", "spans": [{"entity_type", "entity_value", "start_position", "end_position"}], "template_id"}.

    .venv/bin/python benchmarks/pii_ticket_corpus.py [--per-template 8] [--seed 13] \
        [--out benchmarks/data/pii_ticket_corpus.json]
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
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TypedDict

from faker import Faker

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "benchmarks" / "data" / "pii_ticket_corpus.json"

ENTITY_TYPES = (
    "PERSON",
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "STREET_ADDRESS",
    "CREDIT_CARD",
    "IBAN_CODE",
    "US_SSN",
    "IP_ADDRESS",
)


class Span(TypedDict):
    entity_type: str
    entity_value: str
    start_position: int
    end_position: int


class Sample(TypedDict):
    full_text: str
    spans: list[Span]
    template_id: int


# --------------------------------------------------------------------------------------------------------
# Locales
# --------------------------------------------------------------------------------------------------------

EN_LOCALES = ("en_US", "en_GB", "en_CA", "en_AU", "en_IN", "en_NZ")
DE_LOCALES = ("de_DE", "de_AT", "de_CH")
FR_LOCALES = ("fr_FR", "fr_CH")
ES_LOCALES = ("es_ES",)
OTHER_EU_LOCALES = ("it_IT", "nl_NL", "nl_BE", "pt_PT", "pl_PL", "sv_SE", "da_DK", "no_NO", "fi_FI")
ALL_LOCALES = EN_LOCALES + DE_LOCALES + FR_LOCALES + ES_LOCALES + OTHER_EU_LOCALES
# Locales whose Faker iban() gives an IBAN of that country (others fall back to a GB IBAN, or have none).
IBAN_LOCALES = frozenset(
    {"en_GB", "de_DE", "de_AT", "de_CH", "fr_FR", "fr_CH", "es_ES", "it_IT", "nl_NL", "nl_BE", "pt_PT", "pl_PL",
     "da_DK", "no_NO", "fi_FI"}
)

# (English name, name in the locale's own language)
COUNTRY_NAMES: dict[str, tuple[str, str]] = {
    "en_US": ("United States", "United States"),
    "en_GB": ("United Kingdom", "United Kingdom"),
    "en_CA": ("Canada", "Canada"),
    "en_AU": ("Australia", "Australia"),
    "en_IN": ("India", "India"),
    "en_NZ": ("New Zealand", "New Zealand"),
    "de_DE": ("Germany", "Deutschland"),
    "de_AT": ("Austria", "Österreich"),
    "de_CH": ("Switzerland", "Schweiz"),
    "fr_FR": ("France", "France"),
    "fr_CH": ("Switzerland", "Suisse"),
    "es_ES": ("Spain", "España"),
    "it_IT": ("Italy", "Italia"),
    "nl_NL": ("Netherlands", "Nederland"),
    "nl_BE": ("Belgium", "België"),
    "pt_PT": ("Portugal", "Portugal"),
    "pl_PL": ("Poland", "Polska"),
    "sv_SE": ("Sweden", "Sverige"),
    "da_DK": ("Denmark", "Danmark"),
    "no_NO": ("Norway", "Norge"),
    "fi_FI": ("Finland", "Suomi"),
}

CURRENCY: dict[str, str] = {
    "en_US": "USD", "en_GB": "GBP", "en_CA": "CAD", "en_AU": "AUD", "en_IN": "INR", "en_NZ": "NZD",
    "de_CH": "CHF", "fr_CH": "CHF", "sv_SE": "SEK", "da_DK": "DKK", "no_NO": "NOK", "pl_PL": "PLN",
}

CARRIERS: dict[str, tuple[str, ...]] = {
    "en_US": ("UPS", "FedEx", "USPS"), "en_GB": ("Royal Mail", "Evri", "DPD"), "en_CA": ("Canada Post", "Purolator"),
    "en_AU": ("Australia Post", "StarTrack"), "en_IN": ("Delhivery", "Blue Dart"), "en_NZ": ("NZ Post", "CourierPost"),
    "de_DE": ("DHL", "Hermes", "DPD"), "de_AT": ("Post AG", "DPD"), "de_CH": ("Die Post", "DPD"),
    "fr_FR": ("Colissimo", "Chronopost"), "fr_CH": ("La Poste", "DPD"), "es_ES": ("Correos", "SEUR", "MRW"),
    "it_IT": ("BRT", "Poste Italiane"), "nl_NL": ("PostNL", "DHL"), "nl_BE": ("bpost", "PostNL"),
    "pt_PT": ("CTT", "DPD"), "pl_PL": ("InPost", "DPD"), "sv_SE": ("PostNord", "DHL"), "da_DK": ("PostNord", "GLS"),
    "no_NO": ("Posten", "Bring"), "fi_FI": ("Posti", "Matkahuolto"),
}

# --------------------------------------------------------------------------------------------------------
# Distractor vocabularies (never labelled)
# --------------------------------------------------------------------------------------------------------

SHOPS = ("Brightcart", "Nordvik Outdoor", "Lumora Home", "Pixelhaus", "Velora Fashion", "Kitchenly",
         "Bluefin Electronics", "Greenleaf Garden", "Casa Clara", "Stellar Mobile")
COMPANIES = ("Harbour & Pine Logistics", "Meridian Facility Services", "Corvex Engineering GmbH", "Atlas Pharma Ltd",
             "Quorum Analytics", "Ostara Foods BV", "Bravura Consulting", "Tessel Systems AB", "Polaris Retail Oy",
             "Verdant Energy A/S", "Ironbridge Manufacturing", "Alpenglow Hotels AG", "Mistral Software SARL",
             "Castellana Seguros S.L.", "Bluewater Dental Group")
PRODUCTS = ("AeroBrew 2 coffee grinder", "Lumio LED desk lamp", "TrailPro 45L backpack", "SmartThermo 3 thermostat",
            "Vela standing desk", "QuietAir 500 air purifier", "Nimbus 14 laptop", "K200 electric kettle",
            "FitBand Pro", "Aurora smart bulb 4-pack", "Orbit X2 mesh router", "Sony WH-1000XM5 headphones",
            "Nespresso Vertuo Pop", "Kindle Paperwhite", "Garmin Forerunner 265", "Bosch GSR 18V-55 drill",
            "Philips Hue starter kit", "Samsung Galaxy Tab S9")
ROUTERS = ("FRITZ!Box 7590", "TP-Link Archer AX55", "Livebox 6", "Freebox Pop", "Vodafone Station",
           "Speedport Smart 4", "Sagemcom F@st 5670")
LAPTOPS = ("ThinkPad T14 Gen 4", "Dell Latitude 5440", "MacBook Pro 14-inch", "HP EliteBook 840 G10",
           "Surface Laptop 5")
PRINTERS = ("HP LaserJet M404dn", "Canon imageRUNNER C3226i", "Brother HL-L5100DN", "Kyocera ECOSYS M2540dn")
APPS = ("SAP GUI", "Outlook", "Teams", "Salesforce", "Jira", "Workday", "SharePoint", "Citrix Workspace", "Zoom",
        "DATEV", "Navision")
OSES = ("Windows 11 23H2", "Windows 10 22H2", "macOS 14.4 Sonoma", "iOS 17.4", "Android 14")
BROWSERS = ("Chrome", "Firefox", "Safari")
PLANS = ("Premium", "Family", "Unlimited 50GB", "Basic", "Pro Annual", "Fibre 500")
TEAMS = ("Finance", "Sales EMEA", "Customer Care", "Logistics", "HR", "Marketing", "IT Operations", "Procurement")
JOB_TITLES = ("Office Manager", "Head of Operations", "Facilities Coordinator", "Senior Buyer", "Project Manager",
              "IT Administrator", "Accounts Payable Specialist")
FOREIGN_COUNTRIES = ("Croatia", "Greece", "Turkey", "Morocco", "Thailand", "Mexico", "Japan", "Iceland")
HOST_ROLES = ("erp", "fs", "mail", "db", "web", "backup", "print")

MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"),
}
WEEKDAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "de": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
}

# Words that follow a person's gender: key -> (female, male). Never labelled.
GENDER_WORDS: dict[str, tuple[str, str]] = {
    "he": ("she", "he"),
    "him": ("her", "him"),
    "his": ("her", "his"),
    "parent": ("mother", "father"),
    "relative": ("sister", "brother"),
    "spouse": ("wife", "husband"),
    "herr": ("Frau", "Herr"),
    "dear_de": ("Sehr geehrte Frau", "Sehr geehrter Herr"),
    "kollege": ("Kollegin", "Kollege"),
    "m_fr": ("Mme", "M."),
    "soeur": ("sœur", "frère"),
    "elle": ("elle", "lui"),
    "sr": ("Sra.", "Sr."),
}

PII_TYPE: dict[str, str] = {
    "first": "PERSON",
    "last": "PERSON",
    "person": "PERSON",
    "person_initial": "PERSON",
    "email": "EMAIL_ADDRESS",
    "phone": "PHONE_NUMBER",
    "address": "STREET_ADDRESS",
    "address_line": "STREET_ADDRESS",
    "address_c": "STREET_ADDRESS",
    "address_line_c": "STREET_ADDRESS",
    "card": "CREDIT_CARD",
    "iban": "IBAN_CODE",
    "ssn": "US_SSN",
    "ip": "IP_ADDRESS",
    "ip_private": "IP_ADDRESS",
}


# --------------------------------------------------------------------------------------------------------
# Templates
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    text: str
    lang: str
    locales: tuple[str, ...]


def _template(text: str, lang: str, locales: tuple[str, ...]) -> Template:
    if "{ssn" in text:
        locales = tuple(loc for loc in locales if loc == "en_US")
    if "{iban" in text:
        locales = tuple(loc for loc in locales if loc in IBAN_LOCALES)
    if not locales:
        raise ValueError(f"no locale left for template: {text[:60]!r}")
    return Template(text, lang, locales)


def en(text: str) -> Template:
    return _template(text, "en", ALL_LOCALES)


def us(text: str) -> Template:
    return _template(text, "en", ("en_US",))


def de(text: str) -> Template:
    return _template(text, "de", DE_LOCALES)


def fr(text: str) -> Template:
    return _template(text, "fr", FR_LOCALES)


def es(text: str) -> Template:
    return _template(text, "es", ES_LOCALES)


TEMPLATES: list[Template] = [
    # 0
    en("Hi,\n\nI ordered the {product} on {date} (order {order}) and it still hasn't arrived. {carrier} tracking says "
       "it was delivered but there was nothing at my door.\n\nDelivery address:\n{address}\n\nYou can call me on "
       "{phone} if the driver needs directions.\n\nThanks,\n{person}"),
    en("hey its {first_lc} again lol. still no refund for order {order}?? u said 5-7 days and its been {days} days "
       "now. my email is {email} if u need to look it up"),
    en("=== Contact form ===\nName: {person}\nEmail: {email}\nPhone: {phone}\nAddress: {address_line}\n"
       "Order number: {order}\nTopic: Damaged item\nMessage: The {product} arrived with a cracked lid, photos "
       "attached. Would like a replacement not a refund.\nSubmitted: {date} {time}"),
    en("Hello billing team,\n\nI was charged {amount} twice on {date} for invoice {invoice}. The card I used is "
       "{card}. Please refund the duplicate payment to the same card.\n\nRegards,\n{person}\n{phone}"),
    en("Dear {shop} team,\n\nplease update the bank details for my direct debit. New IBAN: {iban}\nThe old account "
       "will be closed on {date}.\n\nCustomer number: {customer_id}\n\nKind regards\n{person}"),
    # 5
    en("User {person} reports that the VPN client {version} disconnects every few minutes. Laptop {asset} gets {ip} "
       "from the hotel wifi, tunnel comes up and drops after ~{minutes} min. User reachable at ext. {ext} or mobile "
       "{phone}.\n-- logged by {first2}"),
    us("Hi HR Support,\n\nMy W-2 for {year} has the wrong Social Security number on it. The correct one is {ssn}. "
       "Could you reissue the form? My employee ID is {employee_id}.\n\nThanks,\n{person}\n{phone}"),
    en("---------- Forwarded message ---------\nFrom: {person} <{email}>\nDate: {date_long}\nSubject: Re: "
       "Replacement for order {order}\nTo: support@{shop_domain}\n\nHi {first2},\n\nthanks for the quick reply. Yes, "
       "please send the replacement to my office instead:\n\n{address_c}\n\nBest,\n{first}\n\n--\n{person}\n"
       "{job_title} | {company}\nMobile: {phone}"),
    en("Called back at {time}, spoke to {mr} {last}. Confirmed new delivery address {address_line}. Reshipped via "
       "{carrier}, tracking {tracking}. Customer OK with {days} day delay. - {first2}"),
    en("Please add the following people to the {team} distribution list and give them read access to the {app} "
       "workspace: {person2}, {person3}, {person4} and {person5}. They all start on {date}.\n\nApproved by {person}"),
    # 10
    en("ok so the courier didnt show up AGAIN. im home all day tomorrow, just ring {phone} when ur outside, the "
       "buzzer for flat {flat} is broken"),
    en("I'm writing on behalf of my {parent}, {person}. {first}'s account was locked after the password reset and "
       "{he} can't get back in. The email on the account is {email} and the phone number is {phone}. I'm "
       "{person2}, you can reach me at {email2}."),
    en("Printer on the 3rd floor ({printer}) is not reachable. Static IP {ip_private}, pings time out since this "
       "morning. Affected users: {person}, {person2}. Please call {first} on {phone} when someone is on site. "
       "Room {room}."),
    en("Hello,\nI would like to change the e-mail address on my account from {email} to {email2}. My name is "
       "{person}, customer since {year}, and my last order was {order}.\nThanks"),
    en("Hi {first}, thanks for getting back to me so fast! The parcel finally showed up today. Only thing is the "
       "invoice still shows my old address ({address_line}), could you correct it? cheers"),
    # 15
    en("Your driver left my parcel with a neighbour called {person2} at number {house_no} without asking me. I don't "
       "know {him2}. Order {order}, my address is {address_line}. Please tell me how to get it back.\n{person}"),
    en("Hi there, my card ending {card_end} expired so I added a new one but the renewal still failed on {date}. New "
       "card number is {card}, exp {exp}. Can you retry the payment? Thanks, {first}"),
    en("Good morning,\n\nplease find attached our PO {po} for {qty} units of the {product}. Delivery to:\n\n"
       "{company}\nAttn: {person2}\n{address_c}\n\nBest regards\n\n{person}\nSenior Buyer\n{company}\n"
       "T {phone} | {email}"),
    en("need a password reset for {person_lc}, locked out after the {os} update. pls call {phone} not email, i cant "
       "get into outlook lol"),
    en("cust rang re: missing refund {amount}, invoice {invoice}. says they spoke to {first2_lc} last week who "
       "promised a callback. called back on {phone}, no answer, left vm. {first3}"),
    # 20
    en("Name: {person}\nCompany: {company}\nStreet address:\n{address}\nPhone: {phone}\nE-mail: {email}\n"
       "VAT ID: {vat}\nMessage: Please send the invoice for order {order} to this address instead of the one on "
       "file."),
    us("Re: Identity verification\n\nFull name: {person}\nSSN: {ssn}\nPhone on file: {phone}\nMailing address: "
       "{address_line}\n\nI hope this is enough, I really need the account unlocked before {date}."),
    en("[{time}] {person}: hi my router keeps rebooting, model {router}, firmware {version}\n[{time2}] Agent "
       "{first2}: Hi {first}, sorry about that. Can you confirm the address of the connection?\n[{time3}] {person}: "
       "{address_line}\n[{time4}] Agent {first2}: Thanks. I can see your public IP is {ip}, I'll run a line test "
       "now."),
    en("Hello, I returned the {product} on {date} (RMA {rma}) and was told the refund would go to my bank account "
       "since I paid by invoice. IBAN {iban}, account holder {person}. Thanks!"),
    en("me and my flatmates {first2_lc}, {first3_lc} and {first4_lc} all got charged for the same {plan} plan, only "
       "one of us signed up. account is under my name {person_lc}, {email}"),
    # 25
    en("Handover: {mr} {last} (acct {customer_id}) - disputing roaming charges of {amount} from a trip to "
       "{abroad}. Asked for itemised bill. Prefers contact by email {email}. Escalate to {person2} if {he} calls "
       "again."),
    en("Subject: Request to delete my data\n\nTo whom it may concern,\n\nunder the GDPR I request that you erase all "
       "personal data you hold about me. For identification: {person}, {address_line}, e-mail {email}, phone "
       "{phone}.\n\nPlease confirm in writing within 30 days.\n\n{person}"),
    en("Firewall change request {change_id}: allow TCP 443 from {ip} to {ip2} for the {app} integration, requested "
       "by {person} ({email}). Needed before go-live on {date}."),
    en("URGENT - there are 3 transactions on my statement I didn't make, total {amount}, all on {date}. Card number "
       "{card}. I still have the card with me. Please block it and call me on {phone}. {person}"),
    en("Customer: can u deliver on saturday instead\nAgent: Sure! Can you confirm the postcode?\nCustomer: "
       "{postcode}\nAgent: Thanks, and the full address?\nCustomer: {address_line}\nAgent: Perfect, booked for "
       "{date}, {carrier} will text {phone} in the morning."),
    # 30
    en("Hi,\n\nthe replacement {product} you sent is also faulty (same error {error_code}). This is the second one. "
       "I would like my money back.\n\n{person}\n{address}\nTel. {phone}"),
    us("Direct deposit form attached for {person}. SSN {ssn}, employee #{employee_id}, first pay date {date}. "
       "Please confirm once payroll has it on file."),
    en("helo, i recieved the wrong colour of {product}, orderd black got white. order no {order}. plese send the "
       "right one to {address_line} , my numbr is {phone}. thx {first}"),
    en("Note: during the call on {date} {mr} {last} read out the full card number ({card}) before I could stop "
       "{him}. Flagged recording {recording_id} for PCI redaction. - {person2}"),
    en("my ip is {ip} if that helps? your site keeps saying access denied ({error_code}) since yesterday, tried "
       "{browser} and edge"),
    # 35
    en("New starter: {person}\nStart date: {date}\nDepartment: {team}\nLine manager: {person2}\nLaptop: {laptop}\n"
       "Mobile: {phone}\nHome address for equipment delivery:\n{address}\nPlease create the AD account and mailbox."),
    en("Please cancel my subscription ({plan}) effective immediately. Account email {email}. I don't want to be "
       "called, so please remove {phone} from your list as well. - {person}"),
    en("Dear Sir or Madam,\n\nI bought a {product} in your {city} store on {date} (receipt {receipt}). It stopped "
       "working after {months} months. Serial number {serial}. Please let me know how to proceed with the warranty."
       "\n\nYours faithfully,\n{person}\n{address}\n{phone}"),
    en("Hi, I've moved house. Please change my address from\n{address}\nto\n{address2}\nfor all future deliveries "
       "and invoices. Thanks, {person}"),
    en("yeah the tracking says it was signed for by '{last2_uc}' but nobody here has that name lol. we're at "
       "{address_line}. order {order}"),
    # 40
    en("Best to reach me on {phone} during the day or {phone2} after 6pm. My order is {order}, {qty} items, total "
       "{amount}. {first}"),
    en("SEPA Direct Debit Mandate\nMandate reference: {mandate}\nCreditor: {company}\nDebtor name: {person}\n"
       "Debtor address: {address_line}\nIBAN: {iban}\nBIC: {bic}\nDate: {date}\nPlace: {city}"),
    en("My laptop ({laptop}, asset {asset}) was stolen from my car in {city} last night. Police report {police_ref}. "
       "The last login would have been from {ip}. Please wipe it remotely.\n{person}, {team}, {phone}"),
    en("thx {first_lc}!! u were super helpful. ill tell {first2_lc} to sign up too"),
    en("Hi, we share the family plan. Members: {person} (owner), {person2}, {person3}. {first3} is moving out so "
       "please remove {him3} and transfer {his3} number {phone3} to a new contract in {his3} own name. Owner "
       "contact: {email}"),
    # 45
    en("I spoke to someone called {first2} on {date} at around {time} who was incredibly rude and hung up on me. I "
       "want this looked into. My account is under {person}, {email}."),
    us("Hi, I'm filling out the 1099 setup in your vendor portal. Name: {person}, SSN: {ssn}, address: "
       "{address_line}. Invoice {invoice} for {amount} is attached."),
    en("Alert from {hostname}: disk 95% full. Logged in from jump host {ip_private} as admin, cleared {size} of old "
       "logs. Notifying service owner {person} ({email})."),
    en("Could you please email me a return label? I'd like to return the {product} (order {order}). The pickup "
       "address is the same as the delivery address: {address_line}. Thank you! {person}"),
    en("Dear {first},\n\nthank you for your patience. I have reviewed invoice {invoice} and can confirm that the "
       "charge of {amount} was applied in error. A credit note will be issued within {days} working days.\n\n"
       "Kind regards\n{person2}\nBilling Support, {shop}"),
    # 50
    en("hi my name is {person_lc} and i cant log in to my account. tried resetting pw but the email never comes, "
       "its {email}. pls help"),
    en("This is a gift for my {relative2}, {person2}. Please ship to\n\n{person2}\n{address2}\n\nand send the invoice "
       "to me, {person}, at {email}. Please don't include the price in the parcel!"),
    en("Our branch in {city} can't reach the ERP since {time}. Site router WAN IP is {ip}, internal gateway "
       "{ip_private}. Traceroute attached. Contact on site: {person}, {phone}."),
    us("Verified caller {person} via SSN {ssn} and ZIP {postcode}. Caller wants to add {his} {spouse2} {person2} as "
       "an authorized user. Sent forms to {email}."),
    en("payment keeps failing?? tried {card} three times, bank says nothing is blocked. order {order}. {first}"),
    # 55
    en("Please call me back on {phone}. {person}"),
    en("The parcel was delivered to {address_line2}, which is not my address! My address is {address_line}. Order "
       "{order}, {carrier} tracking {tracking}.\n{person}"),
    en("From: {email}\nSent: {date_long} {time}\nTo: helpdesk@{shop_domain}\nSubject: laptop screen flickering\n\n"
       "hi, screen on my {laptop} flickers since driver update {version}. desk {room}. {first}"),
    en("Someone changed the email on my account to {email2} without my permission! My real email is {email}. I "
       "think they logged in from {ip}, that's not me (I'm in {city}). Please lock the account. {person}, {phone}"),
    en("Hi, I have two cards registered, {card} and {card2}. Please remove the first one, it was cancelled by the "
       "bank. Thanks, {person}"),
    # 60
    us("New hire paperwork for {person}: SSN {ssn}, start date {date}, manager {person2}. I-9 documents received. "
       "Please set up payroll before the {date2} cutoff."),
    en("Hello, do you ship to {country}? I'd like to order {qty}x {product}. Shipping address would be:\n\n"
       "{person}\n{address_c}\n\nPhone for the courier: {phone}"),
    en("{mr} {last}'s complaint about the late delivery (order {order}) has been resolved with a {amount} voucher. "
       "Closing ticket {ticket}."),
    en("{person} called about invoice {invoice}. {he_cap} says the VAT was calculated twice. Please check and "
       "reply to {email}."),
    en("ok thanks {first2}, ill wait for the email then. btw can you also update my number to {phone}? old one was "
       "{phone2}"),
    # 65
    en("Hi IT, please give {person2} access to the {team} shared drive (read/write). {first2} joined from "
       "{company} last week. I'm {his2} manager.\nThanks, {person}"),
    en("On {date} your colleague {person2} promised me a refund of {amount}. Nothing has happened since. I'm "
       "attaching the email from {first2}. Order {order}.\n{person}\n{phone}"),
    en('{{"form": "callback_request", "name": "{person}", "phone": "{phone}", "email": "{email}", '
       '"preferred_time": "{time}", "topic": "billing", "order_id": "{order}"}}'),
    en("pasted from the checkout log:\n[{date_iso} {time}] checkout_error user={email} ip={ip} card={card} "
       "amount={amount_plain} code={error_code}"),
    en("I live at {address_line} and for the third time the parcel went to a different street. Please tell "
       "{carrier} to actually read the label."),
    # 70
    en("Our employee {person2} will collect order {order} on {date}. Please release it to {him2} on presentation "
       "of ID.\n\n{person}\n{job_title}, {company}\n{phone}"),
    en("{first_lc} here from the {city} store, customer at the till says their card {card} was charged but the "
       "terminal printed declined. can someone check txn {txn}"),
    en("Hi, the refund went to the wrong account! I gave you {iban} but you used an old IBAN from {year}. Please "
       "check and call me at {phone}. {person}"),
    en("Dear colleagues,\n\nwe still have {qty} pallets of your returns ({rma}) in our warehouse in {city}. Please "
       "arrange collection by {date}.\n\nKind regards,\n\n{person}\nCustomer Service Team Lead\n{company}\n"
       "Phone: {phone}\nEmail: {email}\nWeb: www.{shop_domain}"),
    en("{phone} - pls call back asap re order {order}, wrong item"),
    # 75
    en("attendees: {email}, {email2}, {email3}\nplease join the bridge at {time}, {app} outage"),
    en("Incident {incident}: user {person} ({email}) clicked a phishing link at {time}. Workstation {asset} / "
       "{ip_private} isolated. Credentials reset, {first} informed by phone ({phone})."),
    en("ORDER FORM\nCustomer: {person_uc}\nDelivery: {address_line_c}\nCard: {card}  Exp: {exp}\nItems: {qty} x "
       "{product}\nTotal: {amount}"),
    en("The following residents in our building are all missing parcels from this week: {person}, {person2}, "
       "{person3}. Building: {address_line}. Can {carrier} please look into it?"),
    en("Could you update my mobile to {phone}? The old number stopped working when I changed provider. Thanks, "
       "{first}"),
    # 80
    us("hey so the tax form u sent has my ssn wrong, its {ssn} not whatever that is. also my address changed to "
       "{address_line}"),
    en("I'd like to refer my friend {person2}. {first2}'s email is {email2}. My referral code is {promo}. - {first}"),
    en("I have two accounts by mistake, one under {email} and one under {email2}. Both are in my name ({person}). "
       "Could you merge them and keep the order history from {year}?"),
    en("Hi {first2},\n\nstill can't print from {app} after the update to {version}. Same as last week, error "
       "{error_code}. Could you remote in? I'm at my desk until {time}.\n\nThanks\n{first}"),
    en("AVS mismatch on order {order}: billing address given was {address_line}, the card issuer has a different "
       "postcode. Called {mr} {last} on {phone}, {he} confirmed {he} moved recently. Released order."),
    # 85
    en("Delivery instructions:\n{address}\nGate code {gate_code}, leave it at the back door if nobody answers. "
       "Contact: {first} {phone}"),
    en("I cancelled within the 14-day period (order {order}, cancelled on {date}). Please refund {amount} to the "
       "card I paid with, {card}.\nRegards, {person}"),
    en("Thanks {first}, that fixed it. For the record, the static IP we ended up with is {ip} and the old one "
       "({ip2}) can be released. Regards, {person2}"),
    en("{person_initial}\n{job_title}\n{company}\n{address}\nDirect: {phone}\n\nThis e-mail and any attachments "
       "are confidential. If you received it in error please notify the sender."),
    en("The invoice {invoice} is addressed to {person2}, who left the company in {year}. Please reissue it to "
       "{person} ({email}) at {address_line_c}."),
    # 90
    en("Hi support\nMy {spouse2}'s card was used on our shared account. Card: {card}. {he2_cap}'s {person2}, I'm "
       "{person}. Please remove the card, we only want mine on file. Thx"),
    en("anyway thats the story. if anyone from your team wants to talk to me properly, {last} is the surname, "
       "number {phone}. ticket {ticket}"),
    en("{person2} from your {city} office told me to email this address. Our accounts team wants to pay invoice "
       "{invoice} by bank transfer but needs confirmation of your details. Please reply to {email}.\n{person}"),
    en("Support chat transcript {date}\n{person}: Hi, my internet has been down since {time}.\nBot: Please enter "
       "your account email.\n{person}: {email}\nBot: Thanks! Please enter the phone number on the account.\n"
       "{person}: {phone}\nBot: Connecting you to an agent."),
    en("Please send the replacement to my parents' house, I'm staying there until {date}:\n{person3}\n"
       "{address}\nThe {carrier} driver can call me on {phone}. Thanks! {first}"),
    # 95
    en("Re: Ticket {ticket}\n\n> Could you confirm your billing address?\n\n{address_line}\n\n> And the last four "
       "digits of the card?\n\n{card_end}\n\n{first}"),
    us("Please update my W-4 and direct deposit. My name is {person}, SSN {ssn}. New address is\n{address}\n"
       "Call me at {phone} with questions."),
    en("Our IP {ip} seems to be blocked by your API (HTTP 429 since {time}). Account owner is {person}, "
       "{email}. We're on the {plan} plan, about {qty}k requests per day."),
    en("please remove {person2_lc} from our account, {he2} doesnt work here anymore. admin is me, "
       "{person}"),
    en("Hello {mr2} {last2},\n\nI'm following up on my complaint from {date}. Your colleague {first3} said the "
       "refund of {amount} would be processed in {days} days. Please advise.\n\n{person}\nAccount {customer_id}"),
    # 100
    en("Paid invoice {invoice} twice by mistake, once by card ({card}) and once by bank transfer from {iban}. "
       "Please refund the transfer. Thanks, {person}"),
    en("New phone, same person :) {phone}\nold: {phone2}\n- {first}"),
    # ---- German ----
    de("Sehr geehrte Damen und Herren,\n\nmeine Bestellung {order} vom {date} ist bis heute nicht angekommen. Laut "
       "Sendungsverfolgung ({carrier}, {tracking}) wurde das Paket zugestellt, ich habe aber nichts erhalten.\n\n"
       "Lieferadresse:\n{address}\n\nSie erreichen mich unter {phone}.\n\nMit freundlichen Grüßen\n{person}"),
    de("Hallo,\nbitte erstatten Sie den Betrag von {amount} für die Rücksendung {rma} auf mein Konto.\nIBAN: {iban}\n"
       "Kontoinhaber: {person}\nDanke und viele Grüße\n{first}"),
    de("hi, hier ist {first_lc}. mein router ({router}) geht seit gestern abend nicht mehr, alle lampen blinken rot. "
       "bin unter {phone} erreichbar, am besten nach {time}"),
    # 105
    de("Rückruf bei {herr} {last} um {time}: möchte die Rechnung {invoice} auf die neue Anschrift {address_line} "
       "ausgestellt haben. Erledigt, neue Rechnung per Mail an {email}. – {first2}"),
    de("Kontaktformular\nVorname: {first}\nNachname: {last}\nE-Mail: {email}\nTelefon: {phone}\nAnschrift: "
       "{address_line}\nKundennummer: {customer_id}\nNachricht: Ich möchte meinen Vertrag zum {date} kündigen. "
       "Bitte bestätigen Sie die Kündigung schriftlich."),
    de("Guten Tag,\n\nauf meiner Kreditkartenabrechnung erscheint eine Abbuchung über {amount}, die ich nicht "
       "zuordnen kann. Kartennummer: {card}. Bitte prüfen Sie das und buchen Sie den Betrag zurück.\n\n"
       "Freundliche Grüße\n{person}\n{address}"),
    de("Hallo IT,\n\nmein Rechner {asset} kommt nicht mehr auf das Netzlaufwerk. IP laut ipconfig: {ip_private}. "
       "{kollege2_cap} {person2} hat das gleiche Problem. Ich sitze in Raum {room}, Durchwahl {ext}.\n\nGruß\n"
       "{person}"),
    de("Hallo zusammen, ich bin umgezogen. Meine neue Adresse lautet {address_line}. Die alte Adresse "
       "({address_line2}) bitte löschen. Telefonnummer bleibt {phone}. LG {first}"),
    # 110
    de("Das Paket wurde laut {carrier} bei {person2} im Nachbarhaus abgegeben, dort ist aber niemand zu Hause. "
       "Bestellung {order}. Bitte um Rückruf unter {phone}.\nGruß, {person}"),
    de("Betreff: Auskunft nach Art. 15 DSGVO\n\nSehr geehrte Damen und Herren,\n\nhiermit bitte ich um Auskunft über "
       "alle zu meiner Person gespeicherten Daten. Name: {person}, E-Mail: {email}, Anschrift: {address_line}.\n\n"
       "Mit freundlichen Grüßen\n{person}"),
    de("-----Ursprüngliche Nachricht-----\nVon: {person} <{email}>\nGesendet: {date_long} {time}\nAn: "
       "service@{shop_domain}\nBetreff: AW: Reklamation {rma}\n\nHallo {first2},\n\ndanke, die Abholung am {date2} "
       "passt. Bitte bei \"{last}\" klingeln.\n\nBeste Grüße\n{first}\n\n{person}\n{company}\n{address}\n"
       "Tel.: {phone}"),
    de("servus, hab die falsche grösse bekommen ({product}), bestellnr {order}. kann ich das im laden in {city} "
       "umtauschen? sonst schickt mir bitte nen retourenschein an {email}. danke, {first_lc}"),
    de("Störung: Seit {time} erreichen wir den Webshop nicht mehr. Unsere externe IP ist {ip}. Ansprechpartner: "
       "{person}, Tel. {phone}"),
    # 115
    de("Moin, meine Zahlung mit der Karte {card} wurde abgelehnt, obwohl genug Deckung da ist. Bestellung {order} "
       "über {amount}. Könnt ihr mal schauen? Danke, {person}"),
    de("{dear_de} {last},\n\nvielen Dank für Ihre Geduld. Wir haben die Gutschrift über {amount} zur Rechnung "
       "{invoice} veranlasst.\n\nMit freundlichen Grüßen\n{person2}\nKundenservice {shop}"),
    # ---- French ----
    fr("Bonjour,\n\nJ'ai commandé un {product} le {date} (commande {order}) et je n'ai toujours rien reçu. Mon "
       "adresse de livraison :\n{address}\n\nMerci de me rappeler au {phone}.\n\nCordialement,\n{person}"),
    fr("Bonjour, suite au retour {rma}, pouvez-vous effectuer le remboursement de {amount} sur mon compte ? "
       "IBAN : {iban}. Titulaire : {person}. Merci d'avance."),
    fr("slt c'est {first_lc}, ma box ({router}) marche plus depuis ce matin, tout clignote. vous pouvez m'appeler au "
       "{phone} ? merci"),
    # 120
    fr("Appel de {m_fr} {last} à {time} : souhaite modifier l'adresse de facturation pour {address_line}. Fait. "
       "Confirmation envoyée à {email}. – {first2}"),
    fr("Formulaire de contact\nNom : {last_uc}\nPrénom : {first}\nCourriel : {email}\nTéléphone : {phone}\n"
       "Adresse : {address_line}\nMessage : Je souhaite résilier mon abonnement {plan} à compter du {date}."),
    fr("Cher service client,\n\nje constate un double prélèvement de {amount} sur ma carte {card} le {date}. Merci "
       "de rembourser le second débit.\n\nBien à vous,\n{person}"),
    fr("Bonjour {first2},\n\nimpossible de me connecter au VPN depuis la mise à jour {version}. Mon adresse IP : "
       "{ip}. Je suis joignable au {phone} jusqu'à {time}.\n\nMerci,\n{person}"),
    fr("Bonjour, j'ai déménagé. Ancienne adresse : {address_line}. Nouvelle adresse :\n{address2}\nMerci de mettre "
       "à jour mon dossier {customer_id}. {person}"),
    # 125
    fr("Bonjour, la commande {order} est un cadeau pour {person2}. Pouvez-vous la livrer directement chez "
       "{elle2} : {address_line2} ? Son numéro : {phone2}. Merci ! {first}"),
    fr("Votre conseiller {first2} m'a raccroché au nez le {date}. Je suis client depuis {year}, numéro client "
       "{customer_id}. {person}, {email}"),
    fr("Bonjour,\n\nVeuillez trouver ci-joint notre bon de commande {po}.\n\nBien cordialement,\n\n{person}\n"
       "Responsable achats\n{company}\n{address}\nTél. : {phone}\n{email}"),
    fr("-------- Message transféré --------\nDe : {person} <{email}>\nDate : {date_long}\nObjet : Colis endommagé, "
       "commande {order}\n\nLe colis est arrivé abîmé, le {product} est cassé. Photos jointes.\n{first}"),
    # ---- Spanish ----
    es("Hola,\n\nhice el pedido {order} el {date} y todavía no ha llegado. Mi dirección es:\n{address}\n\nMi "
       "teléfono es {phone}.\n\nUn saludo,\n{person}"),
    # 130
    es("Buenas tardes, les escribo para solicitar el reembolso de {amount} del pedido {order}. Mi IBAN es {iban}, a "
       "nombre de {person}. Gracias."),
    es("hola soy {first_lc}!! el router {router} no funciona desde ayer, llamadme al {phone} porfa"),
    es("Llamada de {sr} {last} a las {time}: quiere cambiar la dirección de envío a {address_line}. Hecho. "
       "Confirmación enviada a {email}. – {first2}"),
    es("Formulario de contacto\nNombre: {person}\nCorreo electrónico: {email}\nTeléfono: {phone}\nDirección: "
       "{address_line}\nMensaje: Quiero darme de baja del plan {plan} a partir del {date}."),
    es("Estimados señores:\n\nhe detectado un cargo de {amount} en mi tarjeta {card} que no reconozco. Fecha: "
       "{date}. Por favor, anulen el cargo.\n\nAtentamente,\n{person}\n{phone}"),
    # 135
    es("Hola {first2}, no puedo acceder al correo desde las {time}. Mi IP es {ip}, estoy en la oficina de {city}. "
       "{person}, ext. {ext}"),
    es("Buenos días, me he mudado. La dirección antigua era {address_line} y la nueva es\n{address2}\nPor favor "
       "actualicen mis datos. {person}"),
    es("El pedido {order} es un regalo para {person2}. ¿Pueden enviarlo a {address_line2}? Su móvil es {phone2}. "
       "Gracias, {first}"),
    es("Quiero poner una reclamación. El repartidor de {carrier} dejó el paquete en la calle. Pedido {order}.\n"
       "{person}, {address_line}, tel. {phone}"),
    es("Adjunto el pedido {po} para {qty} unidades de {product}.\n\nUn saludo,\n\n{person}\nDepartamento de Compras\n"
       "{company}\n{address}\nTel.: {phone}\n{email}"),
    # 140
    es("oye, me habeis cobrado dos veces {amount}!! la tarjeta es {card}, arreglarlo ya porfa. {first_lc}"),
    us("Spouse {person2} is listed as beneficiary. Customer {person} confirmed SSN {ssn} on the call, mailing "
       "address {address_line}. Documents to follow by mail."),
    en("Could you send all receipts for {year} to my accountant {person2} ({email2})? Please copy me in at {email}. "
       "Thanks, {first}"),
    en("Hi,\n\nplease refund the deposit of {amount} for booking {order} to:\nAccount holder: {person}\nIBAN: {iban}\n"
       "BIC: {bic}\n\nBest\n{first}"),
    de("guten morgen, hab die lastschrift zurückgehen lassen weil falsches konto. richtig ist {iban} (bank in "
       "{city}). rechnung {invoice}. lg {first_lc}"),
    es("Hola, para el pago de la factura {invoice} os paso la cuenta de la empresa: {iban}. Titular: {company}. "
       "Cualquier duda, {person}, {phone}."),
]


# --------------------------------------------------------------------------------------------------------
# Value generation
# --------------------------------------------------------------------------------------------------------

KEY_RE = re.compile(r"([a-z_]+?)(\d?)(_lc|_uc|_cap)?")
TOKEN_RE = re.compile(r"\{\{|\}\}|\{([a-z0-9_]+)\}")
MILITARY_RE = re.compile(r"\b(?:FPO|APO|DPO)\b")
ASCII_MAP = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ß": "ss", "đ": "d"})
CARD_TYPES = ("visa16", "mastercard", "amex", "discover", "jcb16", "diners")
CARD_WEIGHTS = (42, 32, 12, 6, 4, 4)


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    female: bool


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(ASCII_MAP))
    return "".join(c for c in text if c.isascii() and (c.isalnum() or c in ".-_")).lower()


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def _upper_alnum(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(n))


def _group(text: str, sizes: tuple[int, ...], sep: str) -> str:
    parts, i = [], 0
    for size in sizes:
        if i >= len(text):
            break
        parts.append(text[i:i + size])
        i += size
    if i < len(text):
        parts.append(text[i:])
    return sep.join(parts)


class FakerPool:
    def __init__(self) -> None:
        self._fakers: dict[str, Faker] = {}

    def get(self, locale: str, seed: int) -> Faker:
        if locale not in self._fakers:
            fake = Faker(locale)
            for provider in fake.get_providers():
                # it_IT builds its city list from a set, so its order (and city()) would follow PYTHONHASHSEED
                cities = getattr(provider, "cities", None)
                if isinstance(cities, list):
                    provider.cities = sorted(cities)
            self._fakers[locale] = fake
        fake = self._fakers[locale]
        fake.seed_instance(seed)
        return fake


class Context:
    """Values for one generated text: one locale, cached per placeholder so repeats agree."""

    def __init__(self, fake: Faker, rng: random.Random, locale: str, lang: str) -> None:
        self.fake = fake
        self.rng = rng
        self.locale = locale
        self.lang = lang
        self.people: dict[int, Person] = {}
        self.addresses: dict[int, list[str]] = {}
        self.cache: dict[str, str] = {}
        self.day = date(2023, 1, 1) + timedelta(days=rng.randrange(0, 900))
        self.clock = rng.randrange(8 * 12, 18 * 12) * 5  # minutes after midnight; {time2} etc. come later
        self.twelve_hour = locale == "en_US" and lang == "en" and rng.random() < 0.6
        self.generators: dict[str, Callable[[int], str]] = {
            "first": lambda i: self.person(i).first,
            "last": lambda i: self.person(i).last,
            "person": lambda i: f"{self.person(i).first} {self.person(i).last}",
            "person_initial": lambda i: f"{self.person(i).first[0]}. {self.person(i).last}",
            "email": self.email,
            "phone": lambda i: self.fake.phone_number().strip(),
            "address": lambda i: "\n".join(self.address_lines(i)),
            "address_line": lambda i: ", ".join(self.address_lines(i)),
            "address_c": lambda i: "\n".join([*self.address_lines(i), self.country_for_address()]),
            "address_line_c": lambda i: ", ".join([*self.address_lines(i), self.country_for_address()]),
            "card": self.card,
            "iban": self.iban,
            "ssn": self.ssn,
            "ip": lambda i: self.fake.ipv4(),
            "ip_private": lambda i: self.fake.ipv4_private(),
            # distractors
            "order": self.order,
            "invoice": self.invoice,
            "ticket": lambda i: self.pick("#" + _digits(rng, 6), "TCK-" + _digits(rng, 6), "INC" + _digits(rng, 7)),
            "incident": lambda i: "INC" + _digits(rng, 7),
            "change_id": lambda i: "CHG" + _digits(rng, 7),
            "tracking": self.tracking,
            "rma": lambda i: self.pick("RMA-" + _digits(rng, 6), "R" + _digits(rng, 8)),
            "po": lambda i: self.pick("4500" + _digits(rng, 6), f"PO-{self.day.year}-{_digits(rng, 4)}"),
            "customer_id": lambda i: self.pick(_digits(rng, 8), "KD-" + _digits(rng, 6), "C" + _digits(rng, 7),
                                               f"{_digits(rng, 3)} {_digits(rng, 3)} {_digits(rng, 3)}"),
            "employee_id": lambda i: self.pick("E" + _digits(rng, 5), _digits(rng, 6)),
            "asset": lambda i: self.pick("LT-" + _digits(rng, 4), "NB" + _digits(rng, 5), "WS-" + _digits(rng, 3)),
            "ext": lambda i: _digits(rng, rng.choice((3, 4))),
            "version": self.version,
            "serial": lambda i: _upper_alnum(rng, rng.choice((10, 12))),
            "error_code": lambda i: self.pick("0x8007" + "".join(rng.choice("0123456789ABCDEF") for _ in range(4)),
                                              "E-" + _digits(rng, 3), "ERR_CONNECTION_RESET", "AADSTS50076",
                                              "HTTP 503"),
            "card_end": lambda i: _digits(rng, 4),
            "exp": lambda i: f"{rng.randint(1, 12):02d}/{rng.randint(25, 30)}",
            "date": self.date,
            "date_long": self.date_long,
            "date_iso": lambda i: (self.day + timedelta(days=7 * i)).isoformat(),
            "time": self.time,
            "amount": self.amount,
            "amount_plain": lambda i: f"{rng.randint(5, 900)}.{rng.randint(0, 99):02d}",
            "qty": lambda i: str(rng.randint(2, 12)),
            "days": lambda i: str(rng.randint(8, 30)),
            "minutes": lambda i: str(rng.randint(2, 15)),
            "months": lambda i: str(rng.randint(2, 23)),
            "year": lambda i: str(rng.randint(2018, 2023)),
            "flat": lambda i: str(rng.randint(1, 60)) + rng.choice(("", "", "B")),
            "house_no": lambda i: str(rng.randint(2, 180)),
            "room": lambda i: self.pick(f"{rng.randint(1, 5)}.{rng.randint(1, 40):02d}", "B" + _digits(rng, 3)),
            "postcode": lambda i: self.fake.postcode(),
            "city": lambda i: self.fake.city(),
            "country": lambda i: COUNTRY_NAMES[locale][0 if lang == "en" else 1],
            "abroad": lambda i: rng.choice(FOREIGN_COUNTRIES),
            "vat": lambda i: locale[-2:] + _digits(rng, 9),
            "bic": lambda i: self.fake.swift(),
            "mandate": lambda i: f"MD-{self.day.year}-{_digits(rng, 6)}",
            "recording_id": lambda i: "REC-" + _digits(rng, 8),
            "police_ref": lambda i: f"{self.day.year}/{_digits(rng, 6)}",
            "txn": lambda i: "TXN" + _digits(rng, 10),
            "promo": lambda i: "FRIEND-" + _upper_alnum(rng, 4),
            "gate_code": lambda i: _digits(rng, 4) + "#",
            "size": lambda i: f"{rng.randint(3, 60)} GB",
            "hostname": lambda i: f"srv-{rng.choice(HOST_ROLES)}-{rng.randint(1, 12):02d}.corp.local",
            "receipt": lambda i: f"{_digits(rng, 4)}-{_digits(rng, 3)}-{_digits(rng, 6)}",
            "shop": lambda i: rng.choice(SHOPS),
            "shop_domain": self.shop_domain,
            "company": lambda i: rng.choice(COMPANIES),
            "carrier": lambda i: rng.choice(CARRIERS[locale]),
            "product": lambda i: rng.choice(PRODUCTS),
            "router": lambda i: rng.choice(ROUTERS),
            "laptop": lambda i: rng.choice(LAPTOPS),
            "printer": lambda i: rng.choice(PRINTERS),
            "app": lambda i: rng.choice(APPS),
            "os": lambda i: rng.choice(OSES),
            "browser": lambda i: rng.choice(BROWSERS),
            "plan": lambda i: rng.choice(PLANS),
            "team": lambda i: rng.choice(TEAMS),
            "job_title": lambda i: rng.choice(JOB_TITLES),
            "mr": lambda i: rng.choice(("Ms.", "Ms.", "Mrs.")) if self.person(i).female else "Mr.",
        }
        for word, forms in GENDER_WORDS.items():
            self.generators[word] = self._gendered(forms)
        for name in self.generators:  # a name like "last4" would be read as {last} of person 4
            parsed = KEY_RE.fullmatch(name)
            assert parsed is not None and parsed.groups() == (name, "", None), name

    # -- helpers ------------------------------------------------------------------------------------------

    def _gendered(self, forms: tuple[str, str]) -> Callable[[int], str]:
        def word(idx: int) -> str:
            return forms[0] if self.person(idx).female else forms[1]

        return word

    def pick(self, *options: str) -> str:
        return self.rng.choice(options)

    def fill(self, key: str) -> tuple[str, str | None]:
        """The value for a placeholder and its entity type (None for distractors)."""
        match = KEY_RE.fullmatch(key)
        if match is None or match.group(1) not in self.generators:
            raise KeyError(f"unknown placeholder {{{key}}}")
        base, idx_text, modifier = match.groups()
        idx = int(idx_text or 1)
        cache_key = f"{base}{idx}"
        if cache_key not in self.cache:
            self.cache[cache_key] = self.generators[base](idx)
        value = self.cache[cache_key]
        if modifier == "_lc":
            value = value.lower()
        elif modifier == "_uc":
            value = value.upper()
        elif modifier == "_cap":
            value = value[:1].upper() + value[1:]
        return value, PII_TYPE.get(base)

    # -- PII ----------------------------------------------------------------------------------------------

    def person(self, idx: int) -> Person:
        if idx not in self.people:
            fake, female = self.fake, self.rng.random() < 0.5
            first = (fake.first_name_female() if female else fake.first_name_male()).strip()
            last = (fake.last_name_female() if female else fake.last_name_male()).strip()
            if self.locale == "es_ES" and self.rng.random() < 0.6:
                last = f"{last} {fake.last_name().strip()}"
            self.people[idx] = Person(first, last, female)
        return self.people[idx]

    def email(self, idx: int) -> str:
        roll = self.rng.random()
        if roll < 0.45:
            person = self.person(idx)
            first, last = _ascii(person.first), _ascii(person.last).replace("-", "")
            user = self.pick(f"{first}.{last}", f"{first[:1]}{last}", f"{first}{last}{self.rng.randint(1, 99)}",
                             f"{first}_{last}", f"{last}.{first}")
            return f"{user}@{self.fake.free_email_domain()}"
        if roll < 0.75:
            return self.fake.free_email()
        return self.fake.email()

    def address_lines(self, idx: int) -> list[str]:
        if idx not in self.addresses:
            while True:
                raw = self.fake.address()
                if not MILITARY_RE.search(raw):
                    break
            self.addresses[idx] = [line.strip() for line in raw.split("\n") if line.strip()]
        return self.addresses[idx]

    def country_for_address(self) -> str:
        name = COUNTRY_NAMES[self.locale][0 if self.lang == "en" else 1]
        return name.upper() if self.rng.random() < 0.3 else name

    def card(self, idx: int) -> str:
        card_type = self.rng.choices(CARD_TYPES, weights=CARD_WEIGHTS)[0]
        try:
            number = self.fake.credit_card_number(card_type=card_type)
        except KeyError:  # pt_PT knows only visa, mastercard and maestro
            card_type = self.pick("visa", "mastercard")
            number = self.fake.credit_card_number(card_type=card_type)
        style = self.rng.random()
        if style < 0.45:
            return number
        sep = " " if style < 0.85 else "-"
        sizes = (4, 6, 5) if card_type == "amex" else (4, 4, 4, 4)
        return _group(number, sizes, sep)

    def iban(self, idx: int) -> str:
        value = self.fake.iban()
        if value[:2] != self.locale[-2:]:
            raise ValueError(f"{self.locale} gave a foreign IBAN {value}")
        return _group(value, (4,) * 9, " ") if self.rng.random() < 0.55 else value

    def ssn(self, idx: int) -> str:
        value = self.fake.ssn()
        return value.replace("-", "") if self.rng.random() < 0.15 else value

    # -- distractors --------------------------------------------------------------------------------------

    def order(self, idx: int) -> str:
        rng = self.rng
        return self.pick("#" + _digits(rng, 6), f"ORD-{self.day.year}-{_digits(rng, 5)}",
                         rng.choice("3456789") + _digits(rng, 9),
                         rng.choice(string.ascii_uppercase) * 2 + _digits(rng, 7),
                         f"{_digits(rng, 3)}-{_digits(rng, 7)}-{_digits(rng, 7)}")

    def invoice(self, idx: int) -> str:
        rng = self.rng
        return self.pick("INV-" + _digits(rng, 6), f"{self.day.year}-{_digits(rng, 5)}", "RE" + _digits(rng, 8),
                         f"FAC-{self.day.year}-{_digits(rng, 4)}", "F" + _digits(rng, 7))

    def tracking(self, idx: int) -> str:
        rng = self.rng
        return self.pick("1Z" + _upper_alnum(rng, 6) + _digits(rng, 10), "JJD" + _digits(rng, 18), _digits(rng, 14),
                         rng.choice(("RR", "LX", "CP")) + _digits(rng, 9) + self.locale[-2:], _digits(rng, 11))

    def version(self, idx: int) -> str:
        rng = self.rng
        return self.pick(f"{rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 30)}",
                         f"v{rng.randint(1, 12)}.{rng.randint(0, 9)}",
                         f"10.0.{rng.choice((19045, 22621, 22631))}.{rng.randint(1000, 4000)}",
                         f"{rng.randint(1, 6)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}.{rng.randint(10, 999)}",
                         f"build {_digits(rng, 5)}")

    def shop_domain(self, idx: int) -> str:
        tld = {"de": ".de", "fr": ".fr", "es": ".es"}.get(self.lang, self.pick(".com", ".eu", ".co.uk"))
        return self.rng.choice(SHOPS).lower().replace(" ", "") + tld

    def _day(self, idx: int) -> date:
        return self.day + timedelta(days=9 * (idx - 1))

    def date(self, idx: int) -> str:
        d = self._day(idx)
        if self.lang == "de":
            return self.pick(f"{d.day:02d}.{d.month:02d}.{d.year}", f"{d.day}. {MONTHS['de'][d.month - 1]}")
        if self.lang in ("fr", "es"):
            month = MONTHS[self.lang][d.month - 1]
            spelled = f"{d.day} de {month}" if self.lang == "es" else f"{d.day} {month}"
            return self.pick(f"{d.day:02d}/{d.month:02d}/{d.year}", spelled)
        month = MONTHS["en"][d.month - 1]
        if self.locale == "en_US":
            return self.pick(f"{d.month:02d}/{d.day:02d}/{d.year}", f"{month} {d.day}",
                             f"{month[:3]} {d.day}, {d.year}")
        sep = "." if self.locale in DE_LOCALES else "/"
        numeric = f"{d.day:02d}{sep}{d.month:02d}{sep}{d.year}"
        return self.pick(numeric, f"{d.day} {month}", f"{d.day} {month[:3]} {d.year}", d.isoformat())

    def date_long(self, idx: int) -> str:
        d = self._day(idx)
        weekday, month = WEEKDAYS[self.lang][d.weekday()], MONTHS[self.lang][d.month - 1]
        if self.lang == "de":
            return f"{weekday}, {d.day}. {month} {d.year}"
        if self.lang == "fr":
            return f"{weekday} {d.day} {month} {d.year}"
        if self.lang == "es":
            return f"{weekday}, {d.day} de {month} de {d.year}"
        if self.locale == "en_US":
            return f"{weekday}, {month} {d.day}, {d.year}"
        return f"{weekday}, {d.day} {month} {d.year}"

    def time(self, idx: int) -> str:
        if idx > 1:
            self.clock += self.rng.randint(1, 6)
        hour, minute = divmod(self.clock, 60)
        if self.twelve_hour:
            return f"{(hour - 1) % 12 + 1}:{minute:02d} {'pm' if hour >= 12 else 'am'}"
        return f"{hour:02d}:{minute:02d}"

    def amount(self, idx: int) -> str:
        rng = self.rng
        currency = CURRENCY.get(self.locale, "EUR")
        units, cents = rng.randint(5, 900), rng.choice((0, 99, 50, 95, rng.randint(1, 98)))
        if currency in ("SEK", "DKK", "NOK"):
            return f"{units * 10} {self.pick('kr', currency)}"
        if self.lang in ("de", "fr", "es") or (currency in ("EUR", "PLN") and rng.random() < 0.4):
            if currency == "CHF":
                return f"CHF {units}.{cents:02d}"
            return f"{units},{cents:02d} {'zł' if currency == 'PLN' else '€'}"
        prefixes = {"USD": "$", "GBP": "£", "CAD": "$", "AUD": "A$", "NZD": "NZ$", "INR": "₹", "EUR": "€"}
        if currency not in prefixes:
            return f"{currency} {units}.{cents:02d}"
        return f"{prefixes[currency]}{units}.{cents:02d}"


# --------------------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------------------


def render(template: str, ctx: Context) -> tuple[str, list[Span]]:
    """Fill placeholders left to right, recording the character offsets of every PII value."""
    parts: list[str] = []
    spans: list[Span] = []
    pos = cursor = 0
    for match in TOKEN_RE.finditer(template):
        literal = template[cursor:match.start()]
        if "{" in literal or "}" in literal:
            raise ValueError(f"stray brace in template near {literal!r}")
        parts.append(literal)
        pos += len(literal)
        if match.group(0) in ("{{", "}}"):
            value, entity_type = match.group(0)[0], None
        else:
            value, entity_type = ctx.fill(match.group(1))
        if entity_type is not None:
            if not value or value != value.strip():
                raise ValueError(f"bad {entity_type} value {value!r}")
            spans.append({"entity_type": entity_type, "entity_value": value, "start_position": pos,
                          "end_position": pos + len(value)})
        parts.append(value)
        pos += len(value)
        cursor = match.end()
    tail = template[cursor:]
    if "{" in tail or "}" in tail:
        raise ValueError(f"stray brace in template near {tail!r}")
    parts.append(tail)
    text = "".join(parts)
    for span in spans:
        assert text[span["start_position"]:span["end_position"]] == span["entity_value"], span
    return text, spans


def generate(per_template: int, seed: int) -> list[Sample]:
    rng = random.Random(seed)
    pool = FakerPool()
    samples: list[Sample] = []
    for template_id, template in enumerate(TEMPLATES):
        for _ in range(per_template):
            locale = rng.choice(template.locales)
            fake = pool.get(locale, rng.getrandbits(32))
            ctx = Context(fake, random.Random(rng.getrandbits(32)), locale, template.lang)
            text, spans = render(template.text, ctx)
            samples.append({"full_text": text, "spans": spans, "template_id": template_id})
    return samples


def split_of(template_id: int) -> str:
    return "dev" if template_id % 2 == 0 else "heldout"


def check_split_coverage() -> None:
    """Every entity type must occur in templates of both splits."""
    placeholder_types: dict[str, set[str]] = {"dev": set(), "heldout": set()}
    for template_id, template in enumerate(TEMPLATES):
        for match in TOKEN_RE.finditer(template.text):
            key = KEY_RE.fullmatch(match.group(1) or "")
            if key is not None and key.group(1) in PII_TYPE:
                placeholder_types[split_of(template_id)].add(PII_TYPE[key.group(1)])
    for split, types in placeholder_types.items():
        missing = set(ENTITY_TYPES) - types
        if missing:
            raise AssertionError(f"{split} split has no template for {sorted(missing)}")


def summarize(samples: list[Sample]) -> str:
    counts: dict[str, Counter[str]] = {"dev": Counter(), "heldout": Counter()}
    texts: Counter[str] = Counter()
    templates: dict[str, set[int]] = {"dev": set(), "heldout": set()}
    for sample in samples:
        split = split_of(sample["template_id"])
        texts[split] += 1
        templates[split].add(sample["template_id"])
        counts[split].update(span["entity_type"] for span in sample["spans"])
    lines = [f"{'entity_type':<16}{'dev':>8}{'heldout':>9}{'total':>8}"]
    for entity_type in ENTITY_TYPES:
        dev, held = counts["dev"][entity_type], counts["heldout"][entity_type]
        lines.append(f"{entity_type:<16}{dev:>8}{held:>9}{dev + held:>8}")
    dev_total, held_total = sum(counts["dev"].values()), sum(counts["heldout"].values())
    lines.append(f"{'all spans':<16}{dev_total:>8}{held_total:>9}{dev_total + held_total:>8}")
    lines.append(f"{'texts':<16}{texts['dev']:>8}{texts['heldout']:>9}{texts['dev'] + texts['heldout']:>8}")
    lines.append(f"{'templates':<16}{len(templates['dev']):>8}{len(templates['heldout']):>9}{len(TEMPLATES):>8}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--per-template", type=int, default=8, help="texts generated per template")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()

    check_split_coverage()
    samples = generate(args.per_template, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(samples, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(samples)} texts from {len(TEMPLATES)} templates to {args.out}")
    print("split: even template_id = dev, odd template_id = heldout (do not read heldout texts)")
    print(summarize(samples))


if __name__ == "__main__":
    main()
