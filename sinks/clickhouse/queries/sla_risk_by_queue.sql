-- title: SLA breach risk by queue
-- description: Predicted SLA risk per queue from the hourly_sla_risk rollup: events, the average
--   predicted breach probability and the share of events predicted at high risk. Queue '' = none set.
-- params: start, end (UTC, end exclusive); tenant ('' for all tenants)
-- columns: queue, events, avg_breach_probability, high_risk, high_risk_share
SELECT
    queue,
    sum(events) AS events,
    round(sum(breach_probability_sum) / events, 4) AS avg_breach_probability,
    sum(high_risk) AS high_risk,
    round(high_risk / events, 4) AS high_risk_share
FROM {db}.hourly_sla_risk
WHERE hour >= toDateTime({start:String}, 'UTC') AND hour < toDateTime({end:String}, 'UTC')
  AND ({tenant:String} = '' OR tenant_id = {tenant:String})
GROUP BY queue
ORDER BY avg_breach_probability DESC, queue
