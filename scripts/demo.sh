#!/usr/bin/env bash
# npm run demo: install if needed, make sure PostgreSQL and Redis answer, build, give the demo a
# fresh database (DATABASE_URL, default partnerwatch_demo) and run the whole pipeline.
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL=${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/partnerwatch_demo}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
export QUEUE_PREFIX=${QUEUE_PREFIX:-pwdemo}
export API_PORT=${API_PORT:-3000}
bash scripts/ensure-install.sh
bash scripts/ensure-services.sh
echo "Building..."
npm run --silent build
if [ "${DEMO_KEEP_DATA:-0}" != "1" ]; then node scripts/reset-demo-state.js; fi
node scripts/migrate.js >/dev/null
exec node dist/apps/demo/src/main.js
