-- title: Dead letters by stage and reason
-- description: Messages that failed a stage (dead_letters, FINAL: a redelivered letter counts once), by
--   stage, error type and reason, with when it last happened. Reasons name the field, never the data.
--   With a tenant given, letters without a readable tenant are left out.
-- params: start, end (UTC, on failed_at, end exclusive); tenant ('' for all tenants)
-- columns: stage, error_type, reason, letters, last_failed_at
SELECT
    stage,
    error_type,
    substring(reason, 1, 200) AS reason,
    count() AS letters,
    max(failed_at) AS last_failed_at
FROM {db}.dead_letters FINAL
WHERE failed_at >= toDateTime({start:String}, 'UTC') AND failed_at < toDateTime({end:String}, 'UTC')
  AND ({tenant:String} = '' OR tenant_id = {tenant:String})
GROUP BY stage, error_type, reason
ORDER BY letters DESC, stage, error_type, reason
LIMIT 100
