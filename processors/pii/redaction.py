"""How a detected span is replaced, per tenant mode: placeholder, mask, salted hash or vault token.

One `TicketRedactor` serves one ticket event, so numbered placeholders are consistent within it (the
same person is `<PERSON_1>` in the subject, the body and every custom field).
"""

from __future__ import annotations

import hashlib
import hmac
import re

from processors.pii.config import TenantPiiConfig
from processors.pii.vault import PiiVault

__all__ = ["Placeholders", "TicketRedactor"]


class Placeholders:
    """Numbered placeholders per ticket event: the same value gets the same number in every field."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.keys: dict[str, str] = {}
        self.counts: dict[str, int] = {}
        self.person_tokens: list[tuple[frozenset[str], str]] = []

    def get(self, entity: str, text: str, alias: str | None) -> str:
        key = alias or self.key(entity, text)
        if self.mode == "type":
            return f"<{entity}>"
        if key not in self.keys:
            self.counts[entity] = self.counts.get(entity, 0) + 1
            self.keys[key] = f"<{entity}_{self.counts[entity]}>"
        return self.keys[key]

    def alias_person(self, alias: str, text: str) -> None:
        self.person_tokens.append((frozenset(re.findall(r"\w+", text.casefold())), alias))

    def key(self, entity: str, text: str) -> str:
        """A normalised identity of a value: phone digits, compact card/IBAN, a person's name tokens."""
        norm = " ".join(text.casefold().split())
        if entity == "PHONE_NUMBER":
            return entity + ":" + re.sub(r"\D", "", norm)[-9:]
        if entity in ("CREDIT_CARD", "IBAN_CODE"):
            return entity + ":" + re.sub(r"[^0-9a-z]", "", norm)
        if entity == "PERSON":
            tokens = frozenset(re.findall(r"\w+", norm))
            for known, alias in self.person_tokens:
                if tokens and (tokens <= known or known <= tokens):
                    return alias
            alias = f"{entity}:{norm}"
            self.person_tokens.append((tokens, alias))
            return alias
        return f"{entity}:{norm}"


class TicketRedactor:
    """Replacement text and audit placeholder for each span of one ticket event."""

    def __init__(self, ticket_id: str, config: TenantPiiConfig, vault: PiiVault | None) -> None:
        self.ticket_id = ticket_id
        self.config = config
        self.vault = vault
        self.placeholders = Placeholders(config.placeholder_mode)
        secret = config.hash_secret.get_secret_value() if config.hash_secret else ""
        self._hash_key = secret.encode("utf-8")

    def replace(self, entity: str, value: str, alias: str | None) -> tuple[str, str]:
        """(text that replaces the value, placeholder recorded in the span); neither holds the value."""
        placeholder = self.placeholders.get(entity, value, alias)
        mode = self.config.mode
        if mode == "mask":
            masked = "".join(ch if ch.isspace() else self.config.mask_char for ch in value)
            return masked, placeholder
        if mode == "hash":
            # Keyed with the tenant's secret: an unsalted hash of an email or phone is trivially reversed
            # by hashing candidates; without the secret the token says nothing about the value.
            identity = (alias or self.placeholders.key(entity, value)).encode("utf-8")
            digest = hmac.new(self._hash_key, identity, hashlib.sha256).hexdigest()[:16]
            token = f"<{entity}:{digest}>"
            return token, token
        if mode == "vault" and self.vault is not None:
            return self.vault.token(placeholder, value, self.ticket_id), placeholder
        return placeholder, placeholder
