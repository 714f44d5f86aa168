-- title: Two pipeline versions compared on the same events
-- description: For the events of the period that both pipeline versions processed (ticket_event_versions,
--   FINAL), how often the candidate agrees with the baseline on category, intent, predicted priority and
--   language, and how its SLA prediction moved: the average breach probability under each version and how
--   many events it puts at a higher or a lower risk level. One row per baseline category, after a first row
--   with baseline_category '' that totals all of them. Priority agreement counts only the events where
--   both versions predicted a priority (NULL when there are none). The candidate's rows come from a replay:
--   `ticketstream replay ... --pipeline-version <candidate>` (docs/replay.md).
-- params: start, end (UTC, on the event's occurred_at, end exclusive); tenant ('' for all tenants);
--   baseline, candidate (the two pipeline_version values, e.g. 0.1.0 and v2)
-- columns: baseline_category, events, category_agreement, intent_agreement, priority_agreement,
--   language_agreement, avg_breach_baseline, avg_breach_candidate, risk_raised, risk_lowered
SELECT
    b.category AS baseline_category,
    count() AS events,
    round(countIf(b.category = c.category) / events, 4) AS category_agreement,
    round(countIf(b.intent = c.intent) / events, 4) AS intent_agreement,
    round(countIf(b.priority_pred = c.priority_pred)
          / nullIf(countIf(b.priority_pred IS NOT NULL AND c.priority_pred IS NOT NULL), 0), 4) AS priority_agreement,
    round(countIf(b.language = c.language) / events, 4) AS language_agreement,
    round(avg(b.breach_probability), 4) AS avg_breach_baseline,
    round(avg(c.breach_probability), 4) AS avg_breach_candidate,
    countIf(indexOf(['low', 'medium', 'high'], c.risk_level) > indexOf(['low', 'medium', 'high'], b.risk_level))
        AS risk_raised,
    countIf(indexOf(['low', 'medium', 'high'], c.risk_level) < indexOf(['low', 'medium', 'high'], b.risk_level))
        AS risk_lowered
FROM
(
    SELECT tenant_id, ticket_id, event_id, category, intent, priority_pred, language, breach_probability, risk_level
    FROM {db}.ticket_event_versions FINAL
    WHERE pipeline_version = {baseline:String}
      AND occurred_at >= toDateTime({start:String}, 'UTC') AND occurred_at < toDateTime({end:String}, 'UTC')
      AND ({tenant:String} = '' OR tenant_id = {tenant:String})
) AS b
INNER JOIN
(
    SELECT tenant_id, ticket_id, event_id, category, intent, priority_pred, language, breach_probability, risk_level
    FROM {db}.ticket_event_versions FINAL
    WHERE pipeline_version = {candidate:String}
      AND occurred_at >= toDateTime({start:String}, 'UTC') AND occurred_at < toDateTime({end:String}, 'UTC')
      AND ({tenant:String} = '' OR tenant_id = {tenant:String})
) AS c
ON b.tenant_id = c.tenant_id AND b.ticket_id = c.ticket_id AND b.event_id = c.event_id
GROUP BY ROLLUP(baseline_category)
ORDER BY baseline_category != '', events DESC, baseline_category
