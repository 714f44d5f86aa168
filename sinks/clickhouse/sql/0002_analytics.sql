-- ticketstream ClickHouse schema, version 2: the BI tables and hourly rollups.
-- `{db}` is replaced with the quoted database name; every statement is idempotent (IF NOT EXISTS).
-- Retention (TTL) is not part of the DDL: it is configuration, applied after the migrations by
-- sinks/clickhouse/retention.py, so changing it never changes a migration's checksum.

-- One row per LLM call (schemas.LlmCall): tokens, cost and latency for cost analytics. A redelivered
-- call collapses on (tenant_id, started_at, call_id).
CREATE TABLE IF NOT EXISTS {db}.llm_calls
(
    call_id            String,
    tenant_id          LowCardinality(String),
    ticket_id          Nullable(String),
    event_id           Nullable(String),
    backend            LowCardinality(String),
    model              LowCardinality(String),
    started_at         DateTime64(3, 'UTC'),
    latency_ms         Float64,
    input_tokens       UInt64,
    output_tokens      UInt64,
    cache_read_tokens  UInt64,
    cache_write_tokens UInt64,
    cost_usd           Float64,
    outcome            LowCardinality(String),
    error_type         LowCardinality(Nullable(String)),
    attempt            UInt32,
    fields             Array(LowCardinality(String)),
    inserted_at        DateTime64(3, 'UTC') DEFAULT now64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(inserted_at)
PARTITION BY toYYYYMM(started_at)
ORDER BY (tenant_id, started_at, call_id)
SETTINGS non_replicated_deduplication_window = 1000;

-- One row per solved ticket (sinks.clickhouse.rows.SlaOutcome): whether the SLA was met, and what the
-- model predicted at creation and at the last event before solving, to measure the model.
CREATE TABLE IF NOT EXISTS {db}.sla_outcomes
(
    tenant_id                     LowCardinality(String),
    ticket_id                     String,
    event_id                      String,
    solved_at                     DateTime64(3, 'UTC'),
    priority                      LowCardinality(String),
    policy                        LowCardinality(String),
    queue                         Nullable(String),
    met_first_response            Nullable(Bool),
    met_resolution                Bool,
    predicted_breach_at_creation  Nullable(Float64),
    predicted_breach_last         Nullable(Float64),
    inserted_at                   DateTime64(3, 'UTC') DEFAULT now64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(inserted_at)
PARTITION BY toYYYYMM(solved_at)
ORDER BY (tenant_id, ticket_id, event_id)
SETTINGS non_replicated_deduplication_window = 1000;

-- Hourly rollups. SummingMergeTree adds up the measures of rows with the same key on merge; always
-- read them with sum(...) GROUP BY, since unmerged parts still hold several rows per key. Each insert
-- into the source table carries a deduplication token that also guards these views
-- (deduplicate_blocks_in_dependent_materialized_views), so a retried batch is not counted twice.

-- Volume by category, language, channel and source.
CREATE TABLE IF NOT EXISTS {db}.hourly_volume
(
    tenant_id  LowCardinality(String),
    hour       DateTime('UTC'),
    source     LowCardinality(String),
    channel    LowCardinality(String),
    language   LowCardinality(String),
    category   LowCardinality(String),
    events     UInt64,
    created    UInt64
)
ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (tenant_id, hour, category, language, channel, source)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.hourly_volume_mv TO {db}.hourly_volume AS
SELECT tenant_id, toStartOfHour(occurred_at, 'UTC') AS hour, source, channel, language, category,
       count() AS events, countIf(event_type = 'created') AS created
FROM {db}.ticket_events
GROUP BY tenant_id, hour, source, channel, language, category;

-- SLA risk by queue: events, how many predicted at medium/high risk, and the summed breach probability
-- (average = breach_probability_sum / events).
CREATE TABLE IF NOT EXISTS {db}.hourly_sla_risk
(
    tenant_id               LowCardinality(String),
    hour                    DateTime('UTC'),
    queue                   String,
    sla_policy              LowCardinality(String),
    sla_priority            LowCardinality(String),
    events                  UInt64,
    medium_risk             UInt64,
    high_risk               UInt64,
    breach_probability_sum  Float64
)
ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (tenant_id, hour, queue, sla_policy, sla_priority)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.hourly_sla_risk_mv TO {db}.hourly_sla_risk AS
SELECT tenant_id, toStartOfHour(occurred_at, 'UTC') AS hour, ifNull(queue, '') AS queue, sla_policy, sla_priority,
       count() AS events, countIf(risk_level = 'medium') AS medium_risk, countIf(risk_level = 'high') AS high_risk,
       sum(breach_probability) AS breach_probability_sum
FROM {db}.ticket_events
GROUP BY tenant_id, hour, queue, sla_policy, sla_priority;

-- Sentiment by language and category ('' when the classifier gave none).
CREATE TABLE IF NOT EXISTS {db}.hourly_sentiment
(
    tenant_id       LowCardinality(String),
    hour            DateTime('UTC'),
    language        LowCardinality(String),
    category        LowCardinality(String),
    sentiment       LowCardinality(String),
    events          UInt64,
    confidence_sum  Float64
)
ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (tenant_id, hour, sentiment, language, category)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.hourly_sentiment_mv TO {db}.hourly_sentiment AS
SELECT tenant_id, toStartOfHour(occurred_at, 'UTC') AS hour, language, category,
       ifNull(sentiment, '') AS sentiment, count() AS events, sum(ifNull(sentiment_confidence, 0)) AS confidence_sum
FROM {db}.ticket_events
GROUP BY tenant_id, hour, language, category, sentiment;

-- Which backend decided the category and intent (local model or an LLM), per classifier version.
CREATE TABLE IF NOT EXISTS {db}.hourly_classifier
(
    tenant_id                LowCardinality(String),
    hour                     DateTime('UTC'),
    category_backend         LowCardinality(String),
    intent_backend           LowCardinality(String),
    classifier_version       LowCardinality(String),
    events                   UInt64,
    category_confidence_sum  Float64
)
ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (tenant_id, hour, category_backend, intent_backend, classifier_version)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.hourly_classifier_mv TO {db}.hourly_classifier AS
SELECT tenant_id, toStartOfHour(occurred_at, 'UTC') AS hour, category_backend, intent_backend, classifier_version,
       count() AS events, sum(category_confidence) AS category_confidence_sum
FROM {db}.ticket_events
GROUP BY tenant_id, hour, category_backend, intent_backend, classifier_version;

-- LLM calls, tokens, cost and latency per tenant, backend, model and outcome.
CREATE TABLE IF NOT EXISTS {db}.hourly_llm_cost
(
    tenant_id           LowCardinality(String),
    hour                DateTime('UTC'),
    backend             LowCardinality(String),
    model               LowCardinality(String),
    outcome             LowCardinality(String),
    calls               UInt64,
    input_tokens        UInt64,
    output_tokens       UInt64,
    cache_read_tokens   UInt64,
    cache_write_tokens  UInt64,
    cost_usd            Float64,
    latency_ms_sum      Float64
)
ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (tenant_id, hour, backend, model, outcome)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.hourly_llm_cost_mv TO {db}.hourly_llm_cost AS
SELECT tenant_id, toStartOfHour(started_at, 'UTC') AS hour, backend, model, outcome,
       count() AS calls, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
       sum(cache_read_tokens) AS cache_read_tokens, sum(cache_write_tokens) AS cache_write_tokens,
       sum(cost_usd) AS cost_usd, sum(latency_ms) AS latency_ms_sum
FROM {db}.llm_calls
GROUP BY tenant_id, hour, backend, model, outcome;

-- Dead letters by stage and error type; tenant_id is '' when the message was too broken to tell.
CREATE TABLE IF NOT EXISTS {db}.hourly_dead_letters
(
    tenant_id   LowCardinality(String),
    hour        DateTime('UTC'),
    stage       LowCardinality(String),
    error_type  LowCardinality(String),
    letters     UInt64
)
ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (tenant_id, hour, stage, error_type)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.hourly_dead_letters_mv TO {db}.hourly_dead_letters AS
SELECT ifNull(tenant_id, '') AS tenant_id, toStartOfHour(failed_at, 'UTC') AS hour, stage, error_type,
       count() AS letters
FROM {db}.dead_letters
GROUP BY tenant_id, hour, stage, error_type;
