-- ticketstream ClickHouse schema, version 3: results per pipeline version, side by side.
-- `{db}` is replaced with the quoted database name; every statement is idempotent (IF NOT EXISTS, and the
-- backfill below collapses on the table's key), so a migration cut off half-way is simply applied again.

-- One row per (event, pipeline_version). `ticket_events` keeps one row per event, so a replay through a new
-- model would overwrite the live result there; here the old and the new result of the same event stay next
-- to each other, for BI to compare (query pack: version_comparison). Same columns as `ticket_events`.
-- Fed two ways: every insert into `ticket_events` (the live results, and replays run with `--live`) by the
-- materialized view below, so no writer can forget it; replayed results that must not touch the live
-- tables are written here directly by the sink. Re-running one version replaces its rows (latest write).
CREATE TABLE IF NOT EXISTS {db}.ticket_event_versions
(
    tenant_id                LowCardinality(String),
    source                   LowCardinality(String),
    ticket_id                String,
    event_id                 String,
    event_type               LowCardinality(String),
    occurred_at              DateTime64(3, 'UTC'),
    ticket_created_at        Nullable(DateTime64(3, 'UTC')),
    subject                  String,
    body                     String,
    channel                  LowCardinality(String),
    priority                 LowCardinality(Nullable(String)),
    status                   LowCardinality(Nullable(String)),
    queue                    Nullable(String),
    tags                     Array(String),
    language                 LowCardinality(String),
    language_confidence      Float64,
    category                 LowCardinality(String),
    category_confidence      Float64,
    category_backend         LowCardinality(String),
    intent                   LowCardinality(String),
    intent_confidence        Float64,
    intent_backend           LowCardinality(String),
    priority_pred            LowCardinality(Nullable(String)),
    priority_pred_confidence Nullable(Float64),
    sentiment                LowCardinality(Nullable(String)),
    sentiment_confidence     Nullable(Float64),
    summary                  Nullable(String),
    sla_policy               LowCardinality(String),
    sla_priority             LowCardinality(String),
    first_response_due       DateTime64(3, 'UTC'),
    resolution_due           DateTime64(3, 'UTC'),
    breach_probability       Float64,
    risk_level               LowCardinality(String),
    classifier_version       LowCardinality(String),
    sla_model_version        LowCardinality(String),
    pipeline_version         LowCardinality(String),
    pii_span_count           UInt32,
    pii_types                Array(LowCardinality(String)),
    inserted_at              DateTime64(3, 'UTC') DEFAULT now64(3, 'UTC'),
    version                  UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (tenant_id, ticket_id, event_id, pipeline_version)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.ticket_event_versions_mv TO {db}.ticket_event_versions AS
SELECT
    tenant_id, source, ticket_id, event_id, event_type, occurred_at, ticket_created_at, subject, body, channel,
    priority, status, queue, tags, language, language_confidence,
    category, category_confidence, category_backend, intent, intent_confidence, intent_backend,
    priority_pred, priority_pred_confidence, sentiment, sentiment_confidence, summary,
    sla_policy, sla_priority, first_response_due, resolution_due, breach_probability, risk_level,
    classifier_version, sla_model_version, pipeline_version, pii_span_count, pii_types, inserted_at, version
FROM {db}.ticket_events;

-- The results stored before this migration. After the view exists, so nothing written meanwhile is missed;
-- rows that arrive both ways (or from a re-run of this statement) collapse on the key.
INSERT INTO {db}.ticket_event_versions
SELECT
    tenant_id, source, ticket_id, event_id, event_type, occurred_at, ticket_created_at, subject, body, channel,
    priority, status, queue, tags, language, language_confidence,
    category, category_confidence, category_backend, intent, intent_confidence, intent_backend,
    priority_pred, priority_pred_confidence, sentiment, sentiment_confidence, summary,
    sla_policy, sla_priority, first_response_due, resolution_due, breach_probability, risk_level,
    classifier_version, sla_model_version, pipeline_version, pii_span_count, pii_types, inserted_at, version
FROM {db}.ticket_events;
