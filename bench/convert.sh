#!/usr/bin/env bash
# Converts a generated 1,000,000-row product CSV to Parquet with etl and
# reports rows per second and peak RSS; with --duckdb, also times DuckDB's
# COPY ... TO 'x.parquet' on the same file for comparison.
#   bash bench/convert.sh [ROWS] [--duckdb]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
export BENCH_DIR=${BENCH_DIR:-$(mktemp -d)}
trap 'rm -rf "$BENCH_DIR"' EXIT

go build -o "$BENCH_DIR/etl" ./cmd/etl
go run ./bench/gencatalog -rows "$rows" -o "$BENCH_DIR/catalog.csv"
echo "input: $rows rows, $(du -h "$BENCH_DIR/catalog.csv" | cut -f1)"

start=$(date +%s.%N)
/usr/bin/time -f '%M' -o "$BENCH_DIR/rss" "$BENCH_DIR/etl" run bench/convert.yaml --quiet
end=$(date +%s.%N)
secs=$(echo "$end - $start" | bc -l)
printf 'etl:    %.2f s, %.0f rows/s, peak RSS %d MB, output %s\n' \
  "$secs" "$(echo "$rows / $secs" | bc -l)" "$(( $(cat "$BENCH_DIR/rss") / 1024 ))" \
  "$(du -h "$BENCH_DIR/catalog.parquet" | cut -f1)"

if [[ "${2:-}" == "--duckdb" ]]; then
  (cd "$BENCH_DIR" && npm install --silent --no-save @duckdb/node-api >/dev/null)
  cat > "$BENCH_DIR/duck.mjs" <<'JS'
import { DuckDBInstance } from '@duckdb/node-api';
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
const t = performance.now();
await c.run(`COPY (SELECT * FROM read_csv('${process.argv[2]}')) TO '${process.argv[3]}' (FORMAT parquet)`);
console.log(((performance.now() - t) / 1000).toFixed(2));
JS
  d=$(cd "$BENCH_DIR" && /usr/bin/time -f '%M' -o rss.duck node duck.mjs "$BENCH_DIR/catalog.csv" "$BENCH_DIR/duck.parquet")
  printf 'duckdb: %.2f s, %.0f rows/s, peak RSS %d MB\n' "$d" "$(echo "$rows / $d" | bc -l)" "$(( $(cat "$BENCH_DIR/rss.duck") / 1024 ))"
fi
