#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis answer before the demo or the tests run. In order:
#   1. already reachable (DATABASE_URL / REDIS_URL, defaults 127.0.0.1:5432 and :6379): done;
#   2. a Docker engine is available: `docker compose up -d postgres redis` from this project;
#   3. the services are installed locally (Debian packages): start them;
#   4. otherwise say exactly what is missing and how to provide it, and fail.
set -euo pipefail
cd "$(dirname "$0")/.."

url_host_port() { # url default_port -> "host port"
  local rest=${1#*://}; rest=${rest#*@}; rest=${rest%%/*}; rest=${rest%%\?*}
  local host=${rest%%:*} port=$2
  [[ $rest == *:* ]] && port=${rest##*:}
  echo "$host $port"
}
reachable() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
wait_for() { # host port name
  for _ in $(seq 1 60); do reachable "$1" "$2" && return 0; sleep 1; done
  return 1
}

read -r PG_HOST PG_PORT < <(url_host_port "${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/partnerwatch}" 5432)
read -r REDIS_HOST REDIS_PORT < <(url_host_port "${REDIS_URL:-redis://127.0.0.1:6379}" 6379)

missing=()
reachable "$PG_HOST" "$PG_PORT" || missing+=(postgres)
reachable "$REDIS_HOST" "$REDIS_PORT" || missing+=(redis)
[ ${#missing[@]} -eq 0 ] && exit 0

if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
  echo "Starting ${missing[*]} with docker compose..."
  docker compose up -d "${missing[@]}"
else
  for service in "${missing[@]}"; do
    case $service in
      postgres)
        if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
          echo "Starting the local PostgreSQL cluster..."
          pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
        fi ;;
      redis)
        if command -v redis-server >/dev/null 2>&1; then
          echo "Starting a local Redis..."
          redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no >/dev/null || true
        fi ;;
    esac
  done
fi

status=0
if ! wait_for "$PG_HOST" "$PG_PORT"; then
  status=1
  cat >&2 <<MSG
PostgreSQL is not reachable at $PG_HOST:$PG_PORT and could not be started.
  - With Docker: docker compose up -d postgres
  - Or install PostgreSQL 15+ and start it, or point DATABASE_URL at one
    (e.g. DATABASE_URL=postgresql://postgres@db.example:5432/partnerwatch).
MSG
fi
if ! wait_for "$REDIS_HOST" "$REDIS_PORT"; then
  status=1
  cat >&2 <<MSG
Redis is not reachable at $REDIS_HOST:$REDIS_PORT and could not be started.
  - With Docker: docker compose up -d redis
  - Or install Redis 7 and run: redis-server --port $REDIS_PORT, or point REDIS_URL at one.
MSG
fi
exit $status
