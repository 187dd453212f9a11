#!/usr/bin/env bash
# Times etl against DuckDB on a generated product catalog (issue 15).
#
# Each case runs RUNS times, the tools IN TURN (etl, [the baseline etl],
# DuckDB, etl, ...), so that a machine shared with other work slows them
# alike; the table gives the medians of wall time, CPU (user+sys) and peak
# RSS, and the wall-time ratio etl/DuckDB (below 1.0: etl is faster).
# DuckDB (@duckdb/node-api, from scripts/: `cd scripts && npm install`) is
# timed as a whole node process, like etl; "duckdb query" is the time of
# the COPY statement alone, measured inside node. ratio is etl's wall time
# over DuckDB's process wall time, ratio_q over its query time.
#
#   bash bench/convert.sh [ROWS] [--duckdb] [--runs N] [--cases LIST] [--baseline ETL_BINARY]
#
# Cases (comma-separated, default csv-parquet):
#   csv-parquet     bench/convert.yaml: CSV to Parquet with 3 validation rules
#   rules8, rules16 the same job with 8 and 16 validation rules
#   nomap           CSV to Parquet without mapping or rules
#   parquet-csv     the Parquet file etl wrote back to CSV
#   csv-jsonl       bench/convert.yaml into JSON lines
#   xlsx-parquet    a generated workbook (XLSX_ROWS, default 200000) to Parquet
#                   (DuckDB is not timed: its excel extension is a download)
# --baseline runs an older etl binary in turn with the current one (both
# get the same jobs), e.g. one built from the last commit.
# Needs GNU time (/usr/bin/time) and bc.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

rows=1000000 duck=0 runs=5 cases=csv-parquet baseline=""
while (($#)); do
  case $1 in
  --duckdb) duck=1 ;;
  --runs) runs=$2; shift ;;
  --cases) cases=$2; shift ;;
  --baseline) baseline=$(realpath "$2"); shift ;;
  [0-9]*) rows=$1 ;;
  *) echo "convert.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
xlsx_rows=${XLSX_ROWS:-200000}

export BENCH_DIR=${BENCH_DIR:-$(mktemp -d)}
trap 'rm -rf "$BENCH_DIR"' EXIT
go build -o "$BENCH_DIR/etl" ./cmd/etl
go run ./bench/gencatalog -rows "$rows" -o "$BENCH_DIR/catalog.csv"
echo "input: $rows rows, $(du -h "$BENCH_DIR/catalog.csv" | cut -f1); $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $runs runs in turn"

# Job variants, written next to the data.
extra8='  - field: name
    required: true
    max_length: 200
  - field: category
    required: true
  - field: cost
    min: 0
  - field: barcode
    pattern: '"'"'^[0-9]{13}$'"'"'
  - field: description
    max_length: 500
'
extra16="$extra8"'  - field: quantity
    max: 1000000
  - field: price
    max: 1000000
  - field: cost
    max: 1000000
  - field: updated
    min: 2020-01-01T00:00:00Z
  - field: active
    required: true
  - field: barcode
    required: true
  - field: name
    min_length: 1
  - field: category
    pattern: '"'"'^[A-Z]'"'"'
'
withRules() { # EXTRA_RULES
  awk -v extra="$1" '/^sink:/ { printf "%s", extra } { print }' bench/convert.yaml
}
cp bench/convert.yaml "$BENCH_DIR/csv-parquet.yaml"
withRules "$extra8" >"$BENCH_DIR/rules8.yaml"
withRules "$extra16" >"$BENCH_DIR/rules16.yaml"
sed 's#catalog.parquet#catalog.jsonl#; s#type: parquet#type: jsonl#' bench/convert.yaml >"$BENCH_DIR/csv-jsonl.yaml"
cat >"$BENCH_DIR/nomap.yaml" <<'EOF'
name: bench-nomap
source: {type: csv, path: "${BENCH_DIR}/catalog.csv"}
sink: {type: parquet, path: "${BENCH_DIR}/nomap.parquet"}
EOF
cat >"$BENCH_DIR/parquet-csv.yaml" <<'EOF'
name: bench-parquet-csv
source: {type: parquet, path: "${BENCH_DIR}/input.parquet"}
sink: {type: csv, path: "${BENCH_DIR}/back.csv"}
EOF
sed 's#catalog.xlsx#catalog.xlsx#; s#out-xlsx.parquet#xlsx.parquet#' bench/rss-xlsx.yaml >"$BENCH_DIR/xlsx-parquet.yaml"

if [[ ,$cases, == *,parquet-csv,* ]]; then
  "$BENCH_DIR/etl" run "$BENCH_DIR/csv-parquet.yaml" --quiet >/dev/null
  cp "$BENCH_DIR/catalog.parquet" "$BENCH_DIR/input.parquet"
fi
if [[ ,$cases, == *,xlsx-parquet,* ]]; then
  go run ./bench/genxlsx -rows "$xlsx_rows" -o "$BENCH_DIR/catalog.xlsx"
fi

if ((duck)); then
  if [[ ! -d scripts/node_modules/@duckdb/node-api ]]; then
    (cd scripts && npm install --silent >/dev/null)
  fi
fi
duckSQL() { # CASE
  local csv="read_csv('$BENCH_DIR/catalog.csv')"
  case $1 in
  csv-parquet | rules8 | rules16 | nomap) echo "COPY (SELECT * FROM $csv) TO '$BENCH_DIR/duck.parquet' (FORMAT parquet)" ;;
  parquet-csv) echo "COPY (SELECT * FROM read_parquet('$BENCH_DIR/input.parquet')) TO '$BENCH_DIR/duck.csv' (FORMAT csv)" ;;
  csv-jsonl) echo "COPY (SELECT * FROM $csv) TO '$BENCH_DIR/duck.jsonl' (FORMAT json)" ;;
  esac
}

# measure NAME CMD...: one timed run, appended to $BENCH_DIR/NAME.times as
# "wall cpu rss_mb [query]".
measure() {
  local name=$1; shift
  local out=""
  if [[ $name == duck ]]; then
    out=$(/usr/bin/time -f '%e %U %S %M' -o "$BENCH_DIR/time" "$@")
  else
    /usr/bin/time -f '%e %U %S %M' -o "$BENCH_DIR/time" "$@" >"$BENCH_DIR/$name.log" 2>&1 ||
      { echo "convert.sh: $name failed:"; tail -5 "$BENCH_DIR/$name.log"; exit 1; } >&2
  fi
  read -r e u s m <"$BENCH_DIR/time"
  echo "$e $(echo "$u + $s" | bc -l) $((m / 1024)) $out" >>"$BENCH_DIR/$name.times"
  printf '  run %d %-5s wall %6.2f s  cpu %6.2f s  rss %4d MB%s\n' "$((i + 1))" "$name" "$e" "$(echo "$u + $s" | bc -l)" "$((m / 1024))" "${out:+  query $out s}"
}
median() { # FILE FIELD
  awk -v f="$2" '{ print $f }' "$1" | sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

IFS=, read -ra list <<<"$cases"
summary=$BENCH_DIR/summary
for c in "${list[@]}"; do
  job=$BENCH_DIR/$c.yaml
  [[ -f $job ]] || { echo "convert.sh: unknown case $c" >&2; exit 2; }
  rm -f "$BENCH_DIR"/*.times
  sql=$(duckSQL "$c")
  echo "$c:"
  for ((i = 0; i < runs; i++)); do
    measure etl "$BENCH_DIR/etl" run "$job" --quiet
    if [[ -n $baseline ]]; then measure base "$baseline" run "$job" --quiet; fi
    if ((duck)) && [[ -n $sql ]]; then measure duck node "$root/scripts/duckdb-time.mjs" "$sql"; fi
  done
  dwall="" dquery=""
  if [[ -f $BENCH_DIR/duck.times ]]; then
    dwall=$(median "$BENCH_DIR/duck.times" 1) dquery=$(median "$BENCH_DIR/duck.times" 4)
  fi
  for tool in base etl duck; do
    f=$BENCH_DIR/$tool.times
    [[ -f $f ]] || continue
    w=$(median "$f" 1) ratio="" ratioq=""
    if [[ -n $dwall && $tool != duck ]]; then
      ratio=$(printf '%.2f' "$(echo "$w / $dwall" | bc -l)") ratioq=$(printf '%.2f' "$(echo "$w / $dquery" | bc -l)")
    fi
    label=$tool
    [[ $tool == base ]] && label=etl-baseline
    [[ $tool == duck ]] && label=duckdb
    printf '%-14s %-13s %8.2f %8.2f %9.0f %8s %8s\n' "$c" "$label" "$w" "$(median "$f" 2)" "$(median "$f" 3)" "$ratio" "$ratioq" >>"$summary"
    if [[ $tool == duck ]]; then
      printf '%-14s %-13s %8.2f\n' "$c" "duckdb query" "$(median "$f" 4)" >>"$summary"
    fi
  done
done
printf '\nmedians of %d runs in turn (load average now %s)\n' "$runs" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-14s %-13s %8s %8s %9s %8s %8s\n' case tool wall_s cpu_s rss_MB ratio ratio_q
cat "$summary"
