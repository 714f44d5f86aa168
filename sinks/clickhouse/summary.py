"""The short report `ticketstream demo` prints after a run: what landed, by language, category and risk."""

from __future__ import annotations


def summary_queries(db: str) -> list[tuple[str, str]]:
    return [
        ("Enriched events in ClickHouse (FINAL: one row per tenant, ticket and event)",
         f"SELECT count() AS events, uniqExact(tenant_id, ticket_id) AS tickets, "
         f"round(avg(pii_span_count), 2) AS pii_spans_per_event FROM {db}.ticket_events FINAL"),
        ("Tickets by language and category",
         f"SELECT language, category, count() AS events, round(avg(category_confidence), 3) AS confidence "
         f"FROM {db}.ticket_events FINAL GROUP BY language, category ORDER BY language, events DESC"),
        ("SLA risk by priority",
         f"SELECT sla_priority, risk_level, count() AS events, round(avg(breach_probability), 3) AS p_breach "
         f"FROM {db}.ticket_events FINAL GROUP BY sla_priority, risk_level ORDER BY sla_priority, risk_level"),
        ("Latest events (redacted text)",
         f"SELECT tenant_id, ticket_id, language, intent, risk_level, substring(replaceAll(body, '\\n', ' '), 1, 70) "
         f"AS body FROM {db}.ticket_events FINAL ORDER BY occurred_at DESC LIMIT 5"),
        ("Dead letters by stage and reason",
         f"SELECT stage, substring(reason, 1, 80) AS reason, count() AS n FROM {db}.dead_letters FINAL "
         f"GROUP BY stage, reason ORDER BY n DESC LIMIT 10"),
    ]
