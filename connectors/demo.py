"""A generated, multilingual feed of realistic helpdesk tickets with PII in them.

Used by `ticketstream demo`, the tests and the benchmarks. Each generated ticket carries the PII values
it contains, so a test can check that none of them survives the pipeline. Deterministic per seed.
"""

from __future__ import annotations

import random
import string
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from schemas import Channel, EventType, Priority, Requester, Source, Status, TicketEvent

NAMES: dict[str, tuple[list[str], list[str]]] = {
    "en": (["James", "Olivia", "Michael", "Emily", "Daniel", "Sophia", "Robert", "Grace"],
           ["Thompson", "Harrison", "Mitchell", "Carter", "Bennett", "Sullivan", "Foster", "Reynolds"]),
    "de": (["Jürgen", "Katrin", "Matthias", "Sabine", "Stefan", "Ulrike", "Tobias", "Anja"],
           ["Weber", "Schneider", "Hoffmann", "Becker", "Schäfer", "Koch", "Richter", "Wagner"]),
    "fr": (["Camille", "Julien", "Élodie", "Mathieu", "Margaux", "Antoine", "Océane", "Nicolas"],
           ["Dubois", "Lefebvre", "Moreau", "Fournier", "Girard", "Mercier", "Lambert", "Rousseau"]),
    "es": (["Alejandro", "Lucía", "Javier", "Carmen", "Sergio", "Marta", "Pablo", "Elena"],
           ["García", "Fernández", "Martínez", "Rodríguez", "Sánchez", "Romero", "Navarro", "Torres"]),
}

# (intent, category) -> language -> (subject, body) templates. Slots: {order} {card} {iban} {phone}
# {email} {address} {colleague} and the signature added at the end.
TEMPLATES: dict[tuple[str, str], dict[str, list[tuple[str, str]]]] = {
    ("cancel_order", "ORDER"): {
        "en": [("Cancel my order", "Hi, I want to cancel order {order} that I placed yesterday. "
                "Please call me back on {phone} if anything is unclear."),
               ("Order cancellation", "Please cancel purchase {order}, I ordered the wrong size. "
                "My colleague {colleague} placed it by mistake.")],
        "de": [("Bestellung stornieren", "Hallo, ich möchte meine Bestellung {order} stornieren. "
                "Bitte rufen Sie mich unter {phone} zurück.")],
        "fr": [("Annuler ma commande", "Bonjour, je voudrais annuler ma commande {order}. "
                "Vous pouvez me joindre au {phone}.")],
        "es": [("Cancelar pedido", "Hola, quiero cancelar mi pedido {order}, me equivoqué de talla. "
                "Mi teléfono es {phone}.")],
    },
    ("get_refund", "REFUND"): {
        "en": [("Refund request", "I returned the item two weeks ago and still have no refund. "
                "Please refund it to my card {card}. Order {order}.")],
        "de": [("Rückerstattung", "Ich habe die Ware vor zwei Wochen zurückgeschickt und noch kein Geld "
                "erhalten. Bitte überweisen Sie den Betrag auf mein Konto {iban}.")],
        "fr": [("Remboursement", "J'ai renvoyé l'article il y a deux semaines et je n'ai toujours pas été "
                "remboursé. Merci de rembourser sur mon compte {iban}.")],
        "es": [("Reembolso", "Devolví el artículo hace dos semanas y todavía no tengo el reembolso. "
                "Por favor, devuelvan el dinero a mi cuenta {iban}.")],
    },
    ("payment_issue", "PAYMENT"): {
        "en": [("Payment failed", "My payment with card {card} was declined twice although the card is "
                "valid. Can you check what is wrong? You can reach me at {email}.")],
        "de": [("Zahlung fehlgeschlagen", "Meine Zahlung mit der Karte {card} wurde abgelehnt. "
                "Was ist da los? Erreichbar unter {email}.")],
        "fr": [("Problème de paiement", "Mon paiement avec la carte {card} a été refusé. "
                "Pouvez-vous vérifier ? Mon adresse e-mail : {email}.")],
        "es": [("Problema con el pago", "Mi pago con la tarjeta {card} fue rechazado dos veces. "
                "¿Pueden revisarlo? Mi correo es {email}.")],
    },
    ("change_shipping_address", "SHIPPING"): {
        "en": [("Change delivery address", "I moved. Please ship order {order} to {address} instead "
                "of my old address.")],
        "de": [("Lieferadresse ändern", "Ich bin umgezogen. Bitte liefern Sie die Bestellung {order} an "
                "{address}.")],
        "fr": [("Changer l'adresse de livraison", "J'ai déménagé. Merci d'envoyer la commande {order} "
                "au {address}.")],
        "es": [("Cambiar dirección de envío", "Me he mudado. Por favor envíen el pedido {order} a "
                "{address}.")],
    },
    ("recover_password", "ACCOUNT"): {
        "en": [("Can't log in", "I forgot my password and the reset e-mail never arrives at {email}. "
                "Please help me get back into my account.")],
        "de": [("Passwort vergessen", "Ich habe mein Passwort vergessen und die E-Mail zum Zurücksetzen "
                "kommt nicht an {email} an.")],
        "fr": [("Mot de passe oublié", "J'ai oublié mon mot de passe et l'e-mail de réinitialisation "
                "n'arrive pas sur {email}.")],
        "es": [("Olvidé mi contraseña", "Olvidé mi contraseña y el correo para restablecerla no llega "
                "a {email}.")],
    },
    ("delivery_period", "DELIVERY"): {
        "en": [("Where is my parcel?", "Order {order} was supposed to arrive last Friday. When will it be "
                "delivered? Call me on {phone}.")],
        "de": [("Wo bleibt mein Paket?", "Die Bestellung {order} sollte letzten Freitag ankommen. "
                "Wann wird sie geliefert? Telefon: {phone}")],
        "fr": [("Où est mon colis ?", "La commande {order} devait arriver vendredi dernier. Quand "
                "sera-t-elle livrée ? Téléphone : {phone}")],
        "es": [("¿Dónde está mi paquete?", "El pedido {order} tenía que llegar el viernes pasado. "
                "¿Cuándo lo entregarán? Teléfono: {phone}")],
    },
}

SIGNATURES = {"en": "Thanks,\n{name}", "de": "Viele Grüße\n{name}", "fr": "Cordialement,\n{name}",
              "es": "Saludos,\n{name}"}
PHONE_FORMATS = {"en": ["+1 415 555 {a:04d}", "(212) 555-{a:04d}", "+44 20 7946 {b:04d}"],
                 "de": ["+49 30 {a:04d}{b:04d}", "030 {a:04d} {b:04d}"],
                 "fr": ["+33 1 42 {a2} {b2} {c2}", "01 42 {a2} {b2} {c2}"],
                 "es": ["+34 91 {a3} {b2} {c2}", "912 {a3} {b3}"]}
ADDRESSES = {"en": ["{n} Maple Avenue, Springfield, IL 62704", "{n} Baker Street, London NW1 6XE"],
             "de": ["Hauptstraße {n}, 10115 Berlin", "Lindenweg {n}, 80331 München"],
             "fr": ["{n} rue de la République, 69002 Lyon", "{n} avenue Victor Hugo, 75016 Paris"],
             "es": ["Calle Mayor {n}, 28013 Madrid", "Avenida de la Constitución {n}, 41001 Sevilla"]}
IBAN_COUNTRIES = {"en": ("GB", 18), "de": ("DE", 18), "fr": ("FR", 23), "es": ("ES", 20)}
DOMAINS = ["example.com", "mail.example.org", "example.net"]
LANG_WEIGHTS = {"en": 0.45, "de": 0.2, "fr": 0.2, "es": 0.15}
TENANTS = ["acme", "globex"]
SOURCES = [Source.zendesk, Source.freshdesk, Source.intercom, Source.servicenow, Source.jira, Source.email]


@dataclass(frozen=True)
class DemoTicket:
    event: TicketEvent
    language: str
    intent: str
    category: str
    pii_values: list[str] = field(default_factory=list)


def luhn_complete(digits: str) -> str:
    """Append the Luhn check digit, so generated card numbers are valid ones."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return digits + str((10 - total % 10) % 10)


def iban(country: str, bban: str) -> str:
    """A checksum-valid IBAN for the given BBAN (ISO 13616 mod-97)."""
    rearranged = bban + country + "00"
    numeric = "".join(str(int(c, 36)) for c in rearranged)
    check = 98 - int(numeric) % 97
    return f"{country}{check:02d}{bban}"


def _group(value: str, size: int = 4) -> str:
    return " ".join(value[i : i + size] for i in range(0, len(value), size))


class DemoFeed:
    """Generates ticket events; about one in five is a follow-up comment on an earlier ticket."""

    def __init__(self, seed: int = 7, start: datetime | None = None) -> None:
        self._rng = random.Random(seed)
        # Recent by default, so the feed stays inside ClickHouse's retention window whenever it runs.
        recent = (datetime.now(UTC) - timedelta(days=3)).replace(hour=8, minute=0, second=0, microsecond=0)
        self._clock = start or recent
        self._open: list[DemoTicket] = []
        self._counter = 0

    def __iter__(self) -> Iterator[DemoTicket]:
        while True:
            yield self.next()

    def take(self, n: int) -> list[DemoTicket]:
        return [self.next() for _ in range(n)]

    def next(self) -> DemoTicket:
        self._counter += 1
        self._clock += timedelta(seconds=self._rng.randint(5, 120))
        if self._open and self._rng.random() < 0.2:
            return self._follow_up(self._rng.choice(self._open))
        ticket = self._new_ticket()
        self._open.append(ticket)
        if len(self._open) > 200:
            self._open.pop(0)
        return ticket

    def _pii(self, lang: str) -> dict[str, str]:
        rng = self._rng
        first, last = rng.choice(NAMES[lang][0]), rng.choice(NAMES[lang][1])
        local = unicodedata.normalize("NFKD", f"{first}.{last}".lower()).encode("ascii", "ignore").decode()
        a, b = rng.randint(100, 9999), rng.randint(1000, 9999)
        phone = rng.choice(PHONE_FORMATS[lang]).format(
            a=a, b=b, a2=f"{rng.randint(10, 99)}", b2=f"{rng.randint(10, 99)}", c2=f"{rng.randint(10, 99)}",
            a3=f"{rng.randint(100, 999)}", b3=f"{rng.randint(100, 999)}")
        prefix = rng.choice(["4", "51", "55"])
        card = luhn_complete(prefix + "".join(rng.choices(string.digits, k=15 - len(prefix))))
        country, length = IBAN_COUNTRIES[lang]
        bban = "".join(rng.choices(string.digits, k=length))
        if country == "GB":
            bban = "NWBK" + bban[4:]
        colleague = f"{rng.choice(NAMES['en'][0])} {rng.choice(NAMES['en'][1])}"
        return {
            "name": f"{first} {last}",
            "email": f"{local}{rng.randint(1, 99)}@{rng.choice(DOMAINS)}",
            "phone": phone,
            "card": _group(card) if rng.random() < 0.7 else card,
            "iban": _group(iban(country, bban)),
            "address": rng.choice(ADDRESSES[lang]).format(n=rng.randint(2, 180)),
            "colleague": colleague,
        }

    def _new_ticket(self) -> DemoTicket:
        rng = self._rng
        lang = rng.choices(list(LANG_WEIGHTS), weights=list(LANG_WEIGHTS.values()))[0]
        (intent, category), by_lang = rng.choice(list(TEMPLATES.items()))
        subject_t, body_t = rng.choice(by_lang[lang])
        pii = self._pii(lang)
        order = f"{rng.randint(10_000_000, 99_999_999)}"
        body = body_t.format(order=order, **{k: v for k, v in pii.items() if k != "name"})
        body = f"{body}\n\n{SIGNATURES[lang].format(name=pii['name'])}"
        used = [pii["name"]] + [v for k, v in pii.items() if k != "name" and "{" + k + "}" in body_t]
        tenant = rng.choice(TENANTS)
        ticket_id = f"T{self._counter:07d}"
        event = TicketEvent(
            tenant_id=tenant,
            source=rng.choice(SOURCES),
            ticket_id=ticket_id,
            event_id=f"{ticket_id}-e1",
            event_type=EventType.created,
            occurred_at=self._clock,
            ticket_created_at=self._clock,
            subject=subject_t,
            body=body,
            requester=Requester(id=f"U{rng.randint(1000, 99999)}", name=pii["name"], email=pii["email"]),
            channel=rng.choice([Channel.email, Channel.web, Channel.chat, Channel.phone]),
            priority=rng.choice([Priority.low, Priority.normal, Priority.normal, Priority.high, Priority.urgent]),
            status=Status.new,
            queue=rng.choice(["billing", "logistics", "accounts", "general"]),
            tags=["demo"],
        )
        return DemoTicket(event, lang, intent, category, list(dict.fromkeys([*used, pii["email"]])))

    def _follow_up(self, ticket: DemoTicket) -> DemoTicket:
        original = ticket.event
        n = int(original.event_id.rsplit("-e", 1)[1]) + 1
        follow_ups = {"en": "Any update on this? It is getting urgent.", "de": "Gibt es hierzu Neuigkeiten? "
                      "Es wird langsam dringend.", "fr": "Avez-vous des nouvelles ? Cela devient urgent.",
                      "es": "¿Hay novedades? Empieza a ser urgente."}
        name = original.requester.name if original.requester and original.requester.name else ""
        event = original.model_copy(update={
            "event_id": f"{original.ticket_id}-e{n}",
            "event_type": EventType.comment_added,
            "occurred_at": self._clock,
            "subject": original.subject,
            "body": f"{follow_ups[ticket.language]}\n\n{SIGNATURES[ticket.language].format(name=name)}",
            "status": Status.open,
        })
        updated = DemoTicket(event, ticket.language, ticket.intent, ticket.category, ticket.pii_values)
        self._open[self._open.index(ticket)] = updated
        return updated
