-- title: Open tickets at high SLA risk
-- description: The latest state of each ticket (tickets, FINAL) that is not solved or closed and whose
--   last prediction is high risk, most at risk first: the work list for a team lead.
-- params: start, end (UTC, on the last event, end exclusive); tenant ('' for all tenants)
-- columns: tenant_id, ticket_id, queue, sla_priority, category, language, breach_probability, resolution_due, last_event_at
SELECT
    tenant_id,
    ticket_id,
    ifNull(queue, '') AS queue,
    sla_priority,
    category,
    language,
    round(breach_probability, 4) AS breach_probability,
    resolution_due,
    last_event_at
FROM {db}.tickets FINAL
WHERE last_event_at >= toDateTime({start:String}, 'UTC') AND last_event_at < toDateTime({end:String}, 'UTC')
  AND ({tenant:String} = '' OR tenant_id = {tenant:String})
  AND ifNull(status, '') NOT IN ('solved', 'closed')
  AND risk_level = 'high'
ORDER BY breach_probability DESC, resolution_due, tenant_id, ticket_id
LIMIT 100
