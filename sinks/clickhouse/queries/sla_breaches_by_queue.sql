-- title: SLA breaches by queue and priority, against the prediction
-- description: Solved tickets per queue and priority (sla_outcomes, FINAL: one row per solving event),
--   how many breached the resolution target, the first-response hit rate, and how well the model
--   predicted it: the average predicted breach probability at creation and the Brier score of the
--   last prediction (lower is better; 0.25 is a coin toss).
-- params: start, end (UTC, on solved_at, end exclusive); tenant ('' for all tenants)
-- columns: queue, priority, solved, breached, breach_rate, first_response_met_rate, avg_predicted_at_creation, brier_last
SELECT
    ifNull(queue, '') AS queue,
    priority,
    count() AS solved,
    countIf(NOT met_resolution) AS breached,
    round(breached / solved, 4) AS breach_rate,
    round(avgIf(toFloat64(met_first_response), met_first_response IS NOT NULL), 4) AS first_response_met_rate,
    round(avg(predicted_breach_at_creation), 4) AS avg_predicted_at_creation,
    round(avgIf(pow(assumeNotNull(predicted_breach_last) - toFloat64(NOT met_resolution), 2),
                predicted_breach_last IS NOT NULL), 4) AS brier_last
FROM {db}.sla_outcomes FINAL
WHERE solved_at >= toDateTime({start:String}, 'UTC') AND solved_at < toDateTime({end:String}, 'UTC')
  AND ({tenant:String} = '' OR tenant_id = {tenant:String})
GROUP BY queue, priority
ORDER BY breach_rate DESC, solved DESC, queue, priority
