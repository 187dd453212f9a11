// Command gencatalog writes a synthetic product catalog CSV of any size for
// benchmarks: sku, name, description, category, price, cost, barcode,
// quantity, active, updated. Output is deterministic for a given -rows.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"time"
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

var (
	categories = []string{"Clothing > Tshirts", "Clothing > Jackets", "Footwear > Boots", "Footwear > Sandals", "Accessories", "Camping > Tents"}
	adjectives = []string{"Classic", "Trail", "Urban", "Alpine", "Coastal", "Everyday", "Summit", "Lightweight"}
	nouns      = []string{"Tee", "Jacket", "Boot", "Sandal", "Cap", "Tent", "Backpack", "Fleece"}
)

func write(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	rng := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	fmt.Fprintln(w, "sku,name,description,category,price,cost,barcode,quantity,active,updated")
	for i := range n {
		price := 5 + rng.IntN(50000)
		cost := price * (40 + rng.IntN(40)) / 100
		fmt.Fprintf(w, "SKU-%07d,%s %s %d,\"%s %s, size %d, \"\"made to last\"\"\",%s,%d.%02d,%d.%02d,%013d,%d,%t,%s\n",
			i, adjectives[i%len(adjectives)], nouns[(i/8)%len(nouns)], i,
			adjectives[rng.IntN(len(adjectives))], nouns[rng.IntN(len(nouns))], 1+rng.IntN(12),
			categories[rng.IntN(len(categories))],
			price/100, price%100, cost/100, cost%100,
			4000000000000+int64(i), rng.IntN(500), rng.IntN(10) > 0,
			base.Add(time.Duration(rng.IntN(300*24*3600))*time.Second).Format(time.RFC3339))
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
