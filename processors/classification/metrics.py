"""Prometheus metrics of classification: LLM calls by outcome, cost, and which backend decided each field.

Registered on the default registry, which the worker's metrics endpoint exposes; a fallback to the local
model shows as `ticketstream_llm_calls_total{outcome!="ok"}` and in `..._field_decisions_total{backend="local"}`.
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

LLM_CALLS = Counter(
    "ticketstream_llm_calls_total", "LLM calls (and calls not made) by backend and outcome", ["backend", "outcome"]
)
LLM_TOKENS = Counter("ticketstream_llm_tokens_total", "LLM tokens by backend and kind", ["backend", "kind"])
LLM_COST = Counter("ticketstream_llm_cost_usd_total", "LLM cost in USD from the configured price table", ["backend"])
LLM_LATENCY = Histogram(
    "ticketstream_llm_latency_seconds", "Latency of LLM calls that reached the server", ["backend"],
    buckets=(0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32),
)
LLM_CACHE_HITS = Counter("ticketstream_llm_dedup_hits_total", "LLM requests answered from the dedup cache")
FIELD_DECISIONS = Counter(
    "ticketstream_classification_field_decisions_total", "Which backend decided each field", ["field", "backend"]
)
LLM_FALLBACKS = Counter(
    "ticketstream_classification_fallbacks_total", "Tickets routed to an LLM that kept the local result",
    ["reason"],
)
