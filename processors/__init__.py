"""Pure stage logic: no Kafka, no ClickHouse, no HTTP. Batch in, batch out."""
