#!/usr/bin/env bash
# Peak memory of etl on big inputs (issue 11): a 1,000,000-row CSV, a
# 200,000-row XLSX and the shared-string bomb (a 1 MiB shared string used
# by 100,000 rows), each generated here and run through bench/rss-*.yaml
# into Parquet. Prints each run's peak RSS and fails when one is 150 MB or
# more, or a run ends with another exit code than expected (the bomb's rows
# are all rejected: exit 3). Needs GNU time (/usr/bin/time).
#   bash bench/rss.sh [CSV_ROWS] [XLSX_ROWS] [BOMB_ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
csv_rows=${1:-1000000}
xlsx_rows=${2:-200000}
bomb_rows=${3:-100000}
limit_mb=150
export BENCH_DIR=${BENCH_DIR:-$(mktemp -d)}
trap 'rm -rf "$BENCH_DIR"' EXIT

go build -o "$BENCH_DIR/etl" ./cmd/etl
go run ./bench/gencatalog -rows "$csv_rows" -o "$BENCH_DIR/catalog.csv"
go run ./bench/genxlsx -rows "$xlsx_rows" -o "$BENCH_DIR/catalog.xlsx"
go run ./bench/genxlsx -bomb -rows "$bomb_rows" -o "$BENCH_DIR/bomb.xlsx"

failed=0
run() { # NAME JOB EXPECTED_EXIT
  local name=$1 job=$2 want=$3
  local start end code=0
  start=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$BENCH_DIR/rss" "$BENCH_DIR/etl" run "$job" --quiet >"$BENCH_DIR/out.log" 2>&1 || code=$?
  end=$(date +%s.%N)
  local mb=$(( $(tail -1 "$BENCH_DIR/rss") / 1024 ))
  local verdict=ok
  if (( mb >= limit_mb )); then verdict="OVER ${limit_mb} MB"; failed=1; fi
  if (( code != want )); then verdict="exit $code, want $want: $(tail -3 "$BENCH_DIR/out.log")"; failed=1; fi
  grep -E '^(wrote|[0-9]+ rows|done|run)' "$BENCH_DIR/out.log" | head -2 | sed 's/^/    /' || true
  printf '%-28s %6.1f s  peak RSS %4d MB  exit %d  %s\n' "$name" "$(echo "$end - $start" | bc -l)" "$mb" "$code" "$verdict"
}
printf 'inputs: csv %s, xlsx %s, bomb %s\n' "$(du -h "$BENCH_DIR/catalog.csv" | cut -f1)" \
  "$(du -h "$BENCH_DIR/catalog.xlsx" | cut -f1)" "$(du -h "$BENCH_DIR/bomb.xlsx" | cut -f1)"
run "csv $csv_rows rows" bench/rss-csv.yaml 0
run "xlsx $xlsx_rows rows" bench/rss-xlsx.yaml 0
run "shared-string bomb $bomb_rows" bench/rss-bomb.yaml 3
exit $failed
