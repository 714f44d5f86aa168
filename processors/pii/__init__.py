"""PII redaction stage: the first stage; nothing after it sees the original text of a PII span."""

from processors.pii.config import (
    DEFAULT_ENTITIES,
    PiiConfig,
    TenantPattern,
    TenantPiiConfig,
    VaultConfig,
    VaultKey,
    load_tenant_configs,
)
from processors.pii.stage import PiiStage, build_analyzer
from processors.pii.vault import PiiVault, VaultError

__all__ = [
    "DEFAULT_ENTITIES",
    "PiiConfig",
    "PiiStage",
    "PiiVault",
    "TenantPattern",
    "TenantPiiConfig",
    "VaultConfig",
    "VaultError",
    "VaultKey",
    "build_analyzer",
    "load_tenant_configs",
]
