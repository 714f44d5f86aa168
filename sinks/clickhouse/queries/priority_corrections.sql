-- title: Priority model accuracy from agent corrections
-- description: For tickets created in the period, the priority the classifier predicted on the creation
--   event against the priority the ticket has now (tickets, FINAL), which agents set or corrected.
--   Rows are (predicted, actual) pairs; `agreed` says whether they match. Tickets without a
--   predicted or an actual priority are left out.
-- params: start, end (UTC, on the creation event, end exclusive); tenant ('' for all tenants)
-- columns: predicted, actual, tickets, agreed, share_of_predicted
SELECT
    created.predicted AS predicted,
    latest.actual AS actual,
    count() AS tickets,
    predicted = actual AS agreed,
    round(tickets / sum(tickets) OVER (PARTITION BY predicted), 4) AS share_of_predicted
FROM
(
    SELECT tenant_id, ticket_id, assumeNotNull(priority_pred) AS predicted
    FROM {db}.ticket_events FINAL
    WHERE event_type = 'created' AND priority_pred IS NOT NULL
      AND occurred_at >= toDateTime({start:String}, 'UTC') AND occurred_at < toDateTime({end:String}, 'UTC')
      AND ({tenant:String} = '' OR tenant_id = {tenant:String})
) AS created
INNER JOIN
(
    SELECT tenant_id, ticket_id, assumeNotNull(priority) AS actual
    FROM {db}.tickets FINAL
    WHERE priority IS NOT NULL AND ({tenant:String} = '' OR tenant_id = {tenant:String})
) AS latest
ON created.tenant_id = latest.tenant_id AND created.ticket_id = latest.ticket_id
GROUP BY predicted, actual
ORDER BY predicted, tickets DESC, actual
