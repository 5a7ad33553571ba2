#!/usr/bin/env bash
# Installs dependencies from the lockfile when node_modules is missing or older than the lockfile,
# and generates the Prisma client when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v node >/dev/null 2>&1; then
  echo "Node.js 20.19 or newer is required (https://nodejs.org); it is not on PATH." >&2
  exit 1
fi
node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error(`Node.js ${process.versions.node} is too old: partnerwatch needs 20.19 or newer`); process.exit(1) }'
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing dependencies (npm ci)..."
  npm ci --no-audit --no-fund
fi
if [ ! -f generated/prisma/client.ts ] || [ prisma/schema.prisma -nt generated/prisma/client.ts ]; then
  node scripts/prisma-generate.js >/dev/null
fi
