#!/usr/bin/env bash
# Onboards a generated catalog (5,000 products by default: sku, name,
# description, category, price, cost, barcode, quantity, active) into a fresh
# embedded inFlow emulator with the inflow sink, at a scaled-up rate limit
# (6000 a minute, 100 times inFlow's), then runs the same import again, and
# reports: requests per created product, requests per unchanged product on
# the re-run, the achieved request rate as a fraction of the limit, and 429s.
# Extra arguments go to bench/onboard (e.g. -cost=false, -concurrency 8).
#   bash bench/onboard.sh [ROWS] [RATE_PER_MINUTE] [FLAGS...]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-5000}
rate=${2:-6000}
shift $(( $# > 2 ? 2 : $# ))
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

go run ./bench/gencatalog -rows "$rows" -o "$dir/catalog.csv"
go run ./bench/onboard -csv "$dir/catalog.csv" -rate "$rate" "$@"
