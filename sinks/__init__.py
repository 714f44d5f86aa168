"""Where enriched tickets land: ClickHouse (embedded chDB by default, a server through clickhouse-connect)."""
