"""SLA stage: per-tenant policies, due times and a breach-probability model."""
