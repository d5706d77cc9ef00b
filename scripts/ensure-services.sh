#!/usr/bin/env bash
# Start PostgreSQL and Redis on localhost if they are not running; fail with one line if we can't.
set -u
pg_ok() { pg_isready -q -h localhost -p 5432 2>/dev/null; }
redis_ok() { redis-cli -h localhost -p 6379 ping 2>/dev/null | grep -q PONG; }

if ! pg_ok; then
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start >/dev/null 2>&1 || true
  fi
  for _ in $(seq 1 30); do pg_ok && break; sleep 1; done
  pg_ok || { echo "PostgreSQL is not reachable on localhost:5432 and could not be started." >&2; exit 1; }
fi
if ! redis_ok; then
  if command -v redis-server >/dev/null 2>&1; then
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log >/dev/null 2>&1 || true
  fi
  for _ in $(seq 1 30); do redis_ok && break; sleep 1; done
  redis_ok || { echo "Redis is not reachable on localhost:6379 and could not be started." >&2; exit 1; }
fi
echo "PostgreSQL and Redis are up."
