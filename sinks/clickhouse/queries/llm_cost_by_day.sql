-- title: LLM cost per day, backend and model
-- description: Calls, cost and average latency per UTC day, backend and model from the hourly_llm_cost
--   rollup; the error share counts every outcome other than ok (timeouts, rate limits, invalid answers).
-- params: start, end (UTC, end exclusive); tenant ('' for all tenants)
-- columns: day, backend, model, call_count, cost_usd, avg_latency_ms, error_share
SELECT
    toDate(hour) AS day,
    backend,
    model,
    sum(calls) AS call_count,
    round(sum(cost_usd), 6) AS cost_usd,
    round(sum(latency_ms_sum) / call_count, 1) AS avg_latency_ms,
    round(sumIf(calls, outcome != 'ok') / call_count, 4) AS error_share
FROM {db}.hourly_llm_cost
WHERE hour >= toDateTime({start:String}, 'UTC') AND hour < toDateTime({end:String}, 'UTC')
  AND ({tenant:String} = '' OR tenant_id = {tenant:String})
GROUP BY day, backend, model
ORDER BY day, cost_usd DESC, backend, model
