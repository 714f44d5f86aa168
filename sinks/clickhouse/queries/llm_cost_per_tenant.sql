-- title: LLM cost per tenant and per ticket
-- description: LLM calls, tokens and cost in USD per tenant (llm_calls, FINAL: a redelivered call counts
--   once), the number of tickets that needed an LLM, the cost per such ticket, and the failure share.
-- params: start, end (UTC, on started_at, end exclusive); tenant ('' for all tenants)
-- columns: tenant_id, calls, tickets, input_tokens, output_tokens, cache_read_tokens, cost_usd, cost_per_ticket_usd, failed_share
SELECT
    tenant_id,
    count() AS calls,
    uniqExactIf(ticket_id, ticket_id IS NOT NULL) AS tickets,
    sum(input_tokens) AS input_tokens,
    sum(output_tokens) AS output_tokens,
    sum(cache_read_tokens) AS cache_read_tokens,
    round(sum(cost_usd), 6) AS cost_usd,
    round(if(tickets = 0, 0, cost_usd / tickets), 6) AS cost_per_ticket_usd,
    round(countIf(outcome != 'ok') / calls, 4) AS failed_share
FROM {db}.llm_calls FINAL
WHERE started_at >= toDateTime({start:String}, 'UTC') AND started_at < toDateTime({end:String}, 'UTC')
  AND ({tenant:String} = '' OR tenant_id = {tenant:String})
GROUP BY tenant_id
ORDER BY cost_usd DESC, tenant_id
