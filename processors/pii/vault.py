"""The encrypted PII vault: a redacted value kept as AES-GCM ciphertext for operators who must recover it.

Off by default. When a tenant turns it on, a redacted span becomes `<PERSON_1 vault=k2:...>`: the
placeholder, the id of the key that encrypted it and the nonce + ciphertext (base64url). Only that
ciphertext travels on (topics, ClickHouse); the clear value is never written anywhere. The key for each
tenant is derived with HKDF-SHA256 from the configured secret and the tenant id, and the ciphertext is
bound to the tenant and ticket (associated data), so a token moved to another ticket or tenant does not
decrypt. Key rotation: add a new key, make it active, keep the old ones for reading, and re-encrypt
stored text with `rotate` before removing an old key.
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Callable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from processors.pii.config import VaultConfig

__all__ = ["VAULT_TOKEN", "PiiVault", "VaultError"]

VAULT_TOKEN = re.compile(
    r"<(?P<placeholder>[A-Z][A-Z0-9_]*) vault=(?P<key>[A-Za-z0-9_-]{1,16}):(?P<data>[A-Za-z0-9_-]+)>"
)
"""A vault token in redacted text."""

_NONCE_BYTES = 12


class VaultError(ValueError):
    """A token cannot be decrypted: unknown key id, wrong tenant/ticket, or tampered ciphertext."""


class PiiVault:
    """Encrypts and decrypts the PII values of one tenant."""

    def __init__(self, tenant_id: str, config: VaultConfig) -> None:
        if not config.keys:
            raise ValueError("vault.keys: the vault needs at least one key")
        self.tenant_id = tenant_id
        self._keys = {k.id: AESGCM(self._derive(k.secret.get_secret_value(), tenant_id)) for k in config.keys}
        self.active_key = config.active_key or config.keys[0].id

    @staticmethod
    def _derive(secret: str, tenant_id: str) -> bytes:
        hkdf = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"ticketstream-pii-vault:" + tenant_id.encode()
        )
        return hkdf.derive(secret.encode("utf-8"))

    def _aad(self, ticket_id: str) -> bytes:
        return f"{self.tenant_id}\x1f{ticket_id}".encode()

    def encrypt(self, value: str, ticket_id: str) -> tuple[str, str]:
        """(key id, base64url of nonce + ciphertext) of `value`, bound to this tenant and ticket."""
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._keys[self.active_key].encrypt(nonce, value.encode("utf-8"), self._aad(ticket_id))
        return self.active_key, base64.urlsafe_b64encode(nonce + sealed).decode("ascii").rstrip("=")

    def decrypt(self, key_id: str, data: str, ticket_id: str) -> str:
        aead = self._keys.get(key_id)
        if aead is None:
            raise VaultError(f"vault key {key_id!r} is not configured for tenant {self.tenant_id!r}")
        try:
            raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
            return aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], self._aad(ticket_id)).decode("utf-8")
        except (InvalidTag, ValueError) as exc:
            raise VaultError("vault token does not decrypt for this tenant, ticket and key") from exc

    def token(self, placeholder: str, value: str, ticket_id: str) -> str:
        """`<PERSON_1 vault=k1:...>` for a placeholder such as `<PERSON_1>`."""
        key_id, data = self.encrypt(value, ticket_id)
        return f"<{placeholder.strip('<>')} vault={key_id}:{data}>"

    def reveal(self, text: str, ticket_id: str) -> str:
        """The text with every vault token replaced by its clear value (for an authorised operator)."""
        return self._sub(text, lambda m: self.decrypt(m["key"], m["data"], ticket_id))

    def rotate(self, text: str, ticket_id: str) -> str:
        """The text with every token re-encrypted under the active key; other text unchanged."""

        def again(m: re.Match[str]) -> str:
            if m["key"] == self.active_key:
                return m.group()
            return self.token(m["placeholder"], self.decrypt(m["key"], m["data"], ticket_id), ticket_id)

        return self._sub(text, again)

    @staticmethod
    def _sub(text: str, fn: Callable[[re.Match[str]], str]) -> str:
        return VAULT_TOKEN.sub(fn, text)
