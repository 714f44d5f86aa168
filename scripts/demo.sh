#!/usr/bin/env bash
# Install, start the local Kafka broker, run the worker on a generated feed, show what landed in ClickHouse.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh
exec .venv/bin/ticketstream demo --count "${DEMO_COUNT:-200}" "$@"
