"""Per-tenant SLA policies from the tenants YAML (`tenants: {acme: {sla_policy: {...}}}`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from processors.sla.policy import SlaPolicy
from schemas import format_validation_error


def policies_from_tenants(tenants: Mapping[str, Any]) -> dict[str, SlaPolicy]:
    """Validate each tenant's `sla_policy`; a bad one raises ValueError naming the tenant and the field."""
    policies: dict[str, SlaPolicy] = {}
    for tenant, cfg in tenants.items():
        if not isinstance(cfg, dict) or "sla_policy" not in cfg:
            continue
        raw = cfg["sla_policy"]
        if isinstance(raw, dict) and "name" not in raw:
            raw = {"name": str(tenant), **raw}
        try:
            policies[str(tenant)] = SlaPolicy.model_validate(raw)
        except ValidationError as exc:
            raise ValueError(f"tenants.{tenant}.sla_policy: {format_validation_error(exc)}") from exc
    return policies
