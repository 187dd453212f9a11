// Command genxlsx writes the workbooks of bench/rss.sh: a synthetic
// product catalog of any size (the columns of bench/gencatalog), written
// with excelize's stream writer, or with -bomb the shared-string bomb of
// issue 11: a workbook of a few KB whose one 1 MiB shared string is used by
// every row.
package main

import (
	"archive/zip"
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

func main() {
	rows := flag.Int("rows", 200_000, "data rows to write")
	out := flag.String("o", "catalog.xlsx", "output file")
	bomb := flag.Bool("bomb", false, "write the shared-string bomb instead of a catalog")
	flag.Parse()
	var err error
	if *bomb {
		err = writeBomb(*out, *rows, 1<<20)
	} else {
		err = writeCatalog(*out, *rows)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genxlsx:", err)
		os.Exit(1)
	}
}

func writeCatalog(path string, n int) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	header := []any{"sku", "name", "description", "category", "price", "cost", "barcode", "quantity", "active", "updated"}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	categories := []string{"Clothing > Tshirts", "Clothing > Jackets", "Footwear > Boots", "Accessories"}
	for i := range n {
		price := 5 + rng.IntN(50000)
		cost := price * (40 + rng.IntN(40)) / 100
		row := []any{
			fmt.Sprintf("SKU-%07d", i), fmt.Sprintf("Trail Boot %d", i), "Made to last", categories[i%len(categories)],
			float64(price) / 100, float64(cost) / 100, fmt.Sprintf("%013d", 4000000000000+int64(i)), rng.IntN(500),
			rng.IntN(10) > 0, base.Add(time.Duration(rng.IntN(300*24*3600)) * time.Second).Format(time.RFC3339),
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(path)
}

// writeBomb writes a workbook whose rows each use one shared string of
// size characters.
func writeBomb(path string, rows, size int) error {
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(out)
	put := func(name, body string) error {
		w, err := zw.Create(name)
		if err != nil {
			return err
		}
		_, err = w.Write([]byte(body))
		return err
	}
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`},
		{"xl/sharedStrings.xml", `<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>sku</t></si><si><t>` + strings.Repeat("x", size) + `</t></si><si><t>name</t></si></sst>`},
	}
	for _, p := range parts {
		if err := put(p.name, p.body); err != nil {
			return err
		}
	}
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	fmt.Fprint(bw, `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>2</v></c></row>`)
	for r := 2; r <= rows+1; r++ {
		fmt.Fprintf(bw, `<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d" t="s"><v>1</v></c></row>`, r, r, r, r)
	}
	fmt.Fprint(bw, `</sheetData></worksheet>`)
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return out.Close()
}
