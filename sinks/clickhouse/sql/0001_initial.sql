-- ticketstream ClickHouse schema, version 1.
-- `{db}` is replaced with the quoted database name. Every statement is idempotent (IF NOT EXISTS), so a
-- migration interrupted half-way is simply applied again. Rows hold only fields of EnrichedTicket, whose
-- text is already redacted: no requester name, email or phone, no original text, no dead-letter payload.

-- One row per enriched event. A redelivered event (at-least-once) collapses to one row under FINAL or
-- after a merge; `version` is the write time, so a replay through a newer model wins over the old row.
CREATE TABLE IF NOT EXISTS {db}.ticket_events
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
ORDER BY (tenant_id, ticket_id, event_id)
SETTINGS non_replicated_deduplication_window = 1000;

-- Latest state per ticket, fed by the materialized view below: the sink writes events once and
-- ClickHouse keeps this table in step. version = occurred_at in ms, so the newest event wins and a late
-- older event does not overwrite it; among equal versions the last inserted row wins.
CREATE TABLE IF NOT EXISTS {db}.tickets
(
    tenant_id                LowCardinality(String),
    source                   LowCardinality(String),
    ticket_id                String,
    last_event_id            String,
    last_event_type          LowCardinality(String),
    last_event_at            DateTime64(3, 'UTC'),
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
    updated_at               DateTime64(3, 'UTC'),
    version                  UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (tenant_id, ticket_id)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.tickets_mv TO {db}.tickets AS
SELECT
    tenant_id, source, ticket_id,
    event_id AS last_event_id,
    event_type AS last_event_type,
    occurred_at AS last_event_at,
    ticket_created_at, subject, body, channel, priority, status, queue, tags,
    language, language_confidence,
    category, category_confidence, category_backend,
    intent, intent_confidence, intent_backend,
    priority_pred, priority_pred_confidence, sentiment, sentiment_confidence, summary,
    sla_policy, sla_priority, first_response_due, resolution_due, breach_probability, risk_level,
    classifier_version, sla_model_version, pipeline_version, pii_span_count, pii_types,
    inserted_at AS updated_at,
    toUInt64(toUnixTimestamp64Milli(occurred_at)) AS version
FROM {db}.ticket_events;

-- Messages that failed a stage. No payload: it may hold the original, unredacted text. The payload stays
-- on the dead-letter topic for replay. A redelivered dead letter collapses on its source position.
CREATE TABLE IF NOT EXISTS {db}.dead_letters
(
    stage        LowCardinality(String),
    reason       String,
    error_type   LowCardinality(String),
    attempt      UInt32,
    topic        LowCardinality(String),
    partition    Int32,
    offset       Int64,
    tenant_id    Nullable(String),
    ticket_id    Nullable(String),
    event_id     Nullable(String),
    failed_at    DateTime64(3, 'UTC'),
    inserted_at  DateTime64(3, 'UTC') DEFAULT now64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(inserted_at)
PARTITION BY toYYYYMM(failed_at)
ORDER BY (topic, partition, offset, stage, attempt)
SETTINGS non_replicated_deduplication_window = 1000;
