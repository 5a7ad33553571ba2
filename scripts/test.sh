#!/usr/bin/env bash
# npm test: install if needed, make sure PostgreSQL and Redis answer, then run unit and integration
# tests. The test run creates its own database (migrated from prisma/migrations) and drops it after.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-install.sh
bash scripts/ensure-services.sh
exec npx vitest run "$@"
