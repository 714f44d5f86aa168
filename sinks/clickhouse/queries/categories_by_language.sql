-- title: Categories by language
-- description: Events per category and detected language in the period (hourly_volume rollup), with
--   each category's share within its language. Shows where a language's queue differs from the rest.
-- params: start, end (UTC, end exclusive); tenant ('' for all tenants)
-- columns: language, category, events, share_in_language
SELECT
    language,
    category,
    sum(events) AS events,
    round(events / sum(events) OVER (PARTITION BY language), 4) AS share_in_language
FROM {db}.hourly_volume
WHERE hour >= toDateTime({start:String}, 'UTC') AND hour < toDateTime({end:String}, 'UTC')
  AND ({tenant:String} = '' OR tenant_id = {tenant:String})
GROUP BY language, category
ORDER BY language, events DESC, category
