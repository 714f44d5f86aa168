#!/usr/bin/env bash
# Install, lint, type-check and run the whole test suite (unit, integration and end-to-end on a real broker).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh
.venv/bin/ruff check .
.venv/bin/mypy
exec .venv/bin/python -m pytest "$@"
