// Command gencatalog writes a synthetic product catalog CSV of any size for
// benchmarks (see package bench/catalog): sku, name, description,
// category, price, cost, barcode, quantity, active, updated. Output is
// deterministic for a given -rows.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/etl-dev/etl/bench/catalog"
)

func main() {
	rows := flag.Int("rows", 1_000_000, "data rows to write")
	out := flag.String("o", "catalog.csv", "output file")
	flag.Parse()
	if err := write(*out, *rows); err != nil {
		fmt.Fprintln(os.Stderr, "gencatalog:", err)
		os.Exit(1)
	}
}

func write(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := catalog.Write(f, n); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
