#!/usr/bin/env bash
# Run once by the postgres image on an empty data directory
# (/docker-entrypoint-initdb.d): the role Grafana's business dashboard reads
# the KPI tables with. pg_read_all_data (Postgres 14+) lets it SELECT every
# table the migrations create later, and the role's transactions are read-only,
# so a dashboard query can never change what the fold wrote.
set -euo pipefail

if [[ -z "${GRAFANA_DB_PASSWORD:-}" ]]; then
  echo "GRAFANA_DB_PASSWORD is empty: no role for Grafana; the business dashboard will not connect" >&2
  exit 0
fi

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v reader="${GRAFANA_DB_USER:-grafana_reader}" -v password="$GRAFANA_DB_PASSWORD" <<'SQL'
CREATE ROLE :"reader" LOGIN PASSWORD :'password';
GRANT pg_read_all_data TO :"reader";
ALTER ROLE :"reader" SET default_transaction_read_only = on;
ALTER ROLE :"reader" SET statement_timeout = '30s';
SQL
