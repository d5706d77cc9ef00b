#!/usr/bin/env bash
# Create (once) the two login roles the app is run with, as the administrator of ADMIN_URL:
#   OWNER  owns the schema and runs migrations; may create databases (pytest creates its own),
#   APP    what the web app and workers connect as; no superuser, no CREATEDB, owns nothing.
# Both are made without passwords: this is for a local cluster with trust authentication (tests,
# CI). In production create them with passwords by the same statements.
# A test database an earlier run left behind under another owner is handed to OWNER, so that
# pytest (connecting as OWNER) may drop and recreate it.
# Usage: ensure-db-roles.sh ADMIN_URL OWNER APP
set -euo pipefail
admin_url=$1 owner=$2 app=$3
database_url=${admin_url%%\?*}
test_db="test_${database_url##*/}"

psql "${database_url%/*}/postgres" -v ON_ERROR_STOP=1 -q -X \
  -v owner="$owner" -v app="$app" -v test_db="$test_db" <<'SQL'
SELECT format('CREATE ROLE %I', :'owner')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('CREATE ROLE %I', :'app')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app') \gexec
ALTER ROLE :"owner" LOGIN CREATEDB NOSUPERUSER NOCREATEROLE NOREPLICATION NOBYPASSRLS;
ALTER ROLE :"app" LOGIN NOCREATEDB NOSUPERUSER NOCREATEROLE NOREPLICATION NOBYPASSRLS;
SELECT format('ALTER DATABASE %I OWNER TO %I', datname, :'owner') FROM pg_database
  WHERE datname = :'test_db' AND datdba <> (SELECT oid FROM pg_roles WHERE rolname = :'owner')
\gexec
SQL
echo "Database roles $owner (owner) and $app (app) are ready."
