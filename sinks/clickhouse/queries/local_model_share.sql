-- title: Share of tickets decided by the local model
-- description: Per UTC day, the events whose category came from the local model (no LLM call) and
--   their share of all events (hourly_classifier rollup). A falling share means rising LLM cost.
-- params: start, end (UTC, end exclusive); tenant ('' for all tenants)
-- columns: day, total_events, local_events, local_share, avg_category_confidence
SELECT
    toDate(hour) AS day,
    sum(events) AS total_events,
    sumIf(events, category_backend = 'local') AS local_events,
    round(local_events / total_events, 4) AS local_share,
    round(sum(category_confidence_sum) / total_events, 4) AS avg_category_confidence
FROM {db}.hourly_classifier
WHERE hour >= toDateTime({start:String}, 'UTC') AND hour < toDateTime({end:String}, 'UTC')
  AND ({tenant:String} = '' OR tenant_id = {tenant:String})
GROUP BY day
ORDER BY day
