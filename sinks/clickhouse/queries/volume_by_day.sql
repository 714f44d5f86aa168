-- title: Ticket volume per day by category, language and channel
-- description: Events per UTC day from the hourly_volume rollup, with how many of them opened a new ticket
--   (event_type = created). Use for volume trends and staffing.
-- params: start, end (UTC, 'YYYY-MM-DD hh:mm:ss', end exclusive); tenant ('' for all tenants)
-- columns: day, category, language, channel, events, created
SELECT
    toDate(hour) AS day,
    category,
    language,
    channel,
    sum(events) AS events,
    sum(created) AS created
FROM {db}.hourly_volume
WHERE hour >= toDateTime({start:String}, 'UTC') AND hour < toDateTime({end:String}, 'UTC')
  AND ({tenant:String} = '' OR tenant_id = {tenant:String})
GROUP BY day, category, language, channel
ORDER BY day, events DESC, category, language, channel
