-- title: Sentiment per day
-- description: Events per UTC day and sentiment label (hourly_sentiment rollup) and each label's share
--   of the day. '' = no sentiment was classified for the event.
-- params: start, end (UTC, end exclusive); tenant ('' for all tenants)
-- columns: day, sentiment, events, share
SELECT
    toDate(hour) AS day,
    sentiment,
    sum(events) AS events,
    round(events / sum(events) OVER (PARTITION BY day), 4) AS share
FROM {db}.hourly_sentiment
WHERE hour >= toDateTime({start:String}, 'UTC') AND hour < toDateTime({end:String}, 'UTC')
  AND ({tenant:String} = '' OR tenant_id = {tenant:String})
GROUP BY day, sentiment
ORDER BY day, sentiment
