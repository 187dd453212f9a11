// Package catalog writes the synthetic product catalog of the benchmarks
// (bench/gencatalog, bench/convertbench): sku, name, description,
// category, price, cost, barcode, quantity, active, updated. The output is
// deterministic for a given number of rows.
package catalog

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"time"
)

var (
	categories = []string{"Clothing > Tshirts", "Clothing > Jackets", "Footwear > Boots", "Footwear > Sandals", "Accessories", "Camping > Tents"}
	adjectives = []string{"Classic", "Trail", "Urban", "Alpine", "Coastal", "Everyday", "Summit", "Lightweight"}
	nouns      = []string{"Tee", "Jacket", "Boot", "Sandal", "Cap", "Tent", "Backpack", "Fleece"}
)

// Write writes the header and n data rows of the catalog CSV to out.
func Write(out io.Writer, n int) error {
	w := bufio.NewWriterSize(out, 1<<20)
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
	return w.Flush()
}
