package inspect

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/etl-dev/etl/jobfile"
	"github.com/etl-dev/etl/pipeline"
)

// runStarter saves the starter job next to the file, loads it with the job
// loader and maps every row: it returns the rows' values as text and the
// problems.
func runStarter(t *testing.T, r *Report, o StarterOptions) (job string, rows [][]string, problems []string) {
	t.Helper()
	jobPath := filepath.Join(filepath.Dir(r.Path), "job.yaml")
	b, err := StarterJobFor(r, jobPath, o)
	if err != nil {
		t.Fatal(err)
	}
	must(t, os.WriteFile(jobPath, b, 0o644))
	if o.Sink == "inflow" {
		// The inflow sink is not linked into this test: the job must
		// still be YAML.
		var m map[string]any
		must(t, yaml.Unmarshal(b, &m))
		return string(b), nil, nil
	}
	j, err := jobfile.Load(jobPath, nil)
	if err != nil {
		t.Fatalf("the job loader rejects the starter job: %v\n%s", err, b)
	}

	p, err := j.Prepare(context.Background())
	if err != nil {
		t.Fatalf("prepare: %v\n%s", err, b)
	}
	defer p.Source.Close()
	for {
		rec, err := p.Source.Next(context.Background())
		if errors.Is(err, io.EOF) {
			break
		}
		must(t, err)
		row, probs, _ := p.Mapping.Map(rec)
		for _, pr := range probs {
			problems = append(problems, pr.Error())
		}
		var texts []string
		schema := p.Mapping.Schema()
		for i, v := range row.Values {
			texts = append(texts, format(v, schema[i].Type))
		}
		rows = append(rows, texts)
	}
	return string(b), rows, problems
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestGermanExcelCSV: a German Excel "CSV (Trennzeichen-getrennt)" export
// in windows-1252, with a title row above the header: inspect finds the
// header, the decimal commas and the day-first dates and says which
// settings read them; the starter job reads every row exactly.
func TestGermanExcelCSV(t *testing.T) {
	t.Parallel()
	text := "Lagerliste Filiale Köln;;;;\r\n;;;;\r\n" +
		"Artikelnummer;Bezeichnung;Preis;Bestand;Letzte Lieferung\r\n" +
		"4711-A;Größe M Jacke;1.299,50;1.000;31.12.2025\r\n" +
		"4711-B;Mütze;24,99;12;01.02.2026\r\n" +
		"4711-C;Schal;9,5;3;15.01.2026\r\n"
	enc, err := charmap.Windows1252.NewEncoder().String(text)
	must(t, err)
	path := filepath.Join(t.TempDir(), "lager.csv")
	must(t, os.WriteFile(path, []byte(enc), 0o644))

	r, err := Options{Encoding: "windows-1252"}.Inspect(context.Background(), path)
	must(t, err)
	if r.HeaderRow != 3 || len(r.Columns) != 5 || r.Rows != 3 {
		t.Fatalf("header row %d, %d columns, %d rows", r.HeaderRow, len(r.Columns), r.Rows)
	}
	price, date := r.Columns[2], r.Columns[4]
	if !price.DecimalComma || price.ThousandsSeparator != "." || price.Suggested != pipeline.TypeDecimal || price.MaxScale != 2 {
		t.Errorf("Preis: %+v", price)
	}
	if date.DateLayout != "2.1.2006" || date.Suggested != pipeline.TypeDate {
		t.Errorf("Letzte Lieferung: %+v", date)
	}
	var out strings.Builder
	must(t, r.WriteText(&out))
	for _, want := range []string{
		"the column names are in row 3; the rows above look like a title: the job reads them with header_row: 3",
		`C Preis: numbers written with a decimal comma (1.299,50, 24,99): read them with locale: de-DE (decimal_separator: ",", thousands_separator: ".")`,
		`E Letzte Lieferung: dates written day first (31.12.2025, 01.02.2026): read them with formats: ["2.1.2006"]`,
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("inspect lacks %q:\n%s", want, out.String())
		}
	}

	job, rows, problems := runStarter(t, r, StarterOptions{})
	if len(problems) > 0 {
		t.Fatalf("problems %v\n%s", problems, job)
	}
	for _, want := range []string{"header_row: 3", `encoding: windows-1252`, "locale: de-DE", `formats: ["2.1.2006"]`} {
		if !strings.Contains(job, want) {
			t.Errorf("job lacks %q:\n%s", want, job)
		}
	}
	got := make([]string, len(rows))
	for i, r := range rows {
		got[i] = strings.Join(r, "|")
	}
	want := "4711-A|Größe M Jacke|1299.5|1000|2025-12-31\n4711-B|Mütze|24.99|12|2026-02-01\n4711-C|Schal|9.5|3|2026-01-15"
	if strings.Join(got, "\n") != want {
		t.Errorf("rows\n%s\nwant\n%s", strings.Join(got, "\n"), want)
	}
}

// writeLines writes a CSV file of lines.
func writeLines(t *testing.T, name string, lines ...string) string {
	path := filepath.Join(t.TempDir(), name)
	must(t, os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644))
	return path
}

// TestWooCommerceExport: the headers of WooCommerce's product exporter
// (Products > Export): the price is "Regular price", not "Sale price", the
// quantity "Stock", not the "In stock?" flag, and the barcode is text.
func TestWooCommerceExport(t *testing.T) {
	t.Parallel()
	path := writeLines(t, "wc-product-export-1-12-2026.csv",
		`ID,Type,SKU,"GTIN, UPC, EAN, or ISBN",Name,Published,"Is featured?","Visibility in catalog","Short description",Description,"Date sale price starts","Date sale price ends","Tax status","Tax class","In stock?",Stock,"Low stock amount","Backorders allowed?","Sold individually?","Weight (kg)","Length (cm)","Width (cm)","Height (cm)","Allow customer reviews?","Purchase note","Sale price","Regular price",Categories,Tags,"Shipping class",Images`,
		`101,simple,WOO-1,0036000291452,"Hoodie with Logo",1,0,visible,"A hoodie","<p>Warm.</p>",,,taxable,,1,25,2,0,0,0.5,30,20,3,1,,39.00,45.00,"Clothing > Hoodies",,,https://example.com/h.jpg`,
		`102,simple,WOO-2,0036000291469,"Beanie",1,0,visible,"A beanie","<p>Soft.</p>",,,taxable,,0,0,,0,0,0.1,10,10,2,1,,,18.00,"Accessories",,,`,
	)
	r, err := Inspect(context.Background(), path, 0)
	must(t, err)
	job, rows, problems := runStarter(t, r, StarterOptions{})
	for _, want := range []string{
		"The headers are those of a WooCommerce product export",
		"price: {from: Regular price, type: decimal",
		"quantity: {from: Stock, type: integer}",
		`barcode: {from: "GTIN, UPC, EAN, or ISBN", type: string}`,
		`"Sale price" also looks like price, which "Regular price" fills better.`,
		"category: {from: Categories, type: string}",
		"reorder_point: {from: Low stock amount, type: integer}",
		"description: {from: Description, type: string}",
	} {
		if !strings.Contains(job, want) {
			t.Errorf("job lacks %q:\n%s", want, job)
		}
	}
	if strings.Contains(job, "from: In stock?, type: integer") || strings.Contains(job, "quantity: {from: \"In stock?\"") {
		t.Errorf("the In stock? flag became the quantity:\n%s", job)
	}
	if len(problems) > 0 || len(rows) != 2 || !strings.Contains(strings.Join(rows[0], "|"), "|0036000291452|") {
		t.Errorf("rows %v problems %v", rows, problems)
	}
}

// TestShopifyExport: Shopify's product CSV: the key is Variant SKU (or
// the Handle), Variant Price, Variant Inventory Qty, and Variant Barcode
// as text.
func TestShopifyExport(t *testing.T) {
	t.Parallel()
	path := writeLines(t, "products_export_1.csv",
		`Handle,Title,Body (HTML),Vendor,Product Category,Type,Tags,Published,Option1 Name,Option1 Value,Variant SKU,Variant Grams,Variant Inventory Tracker,Variant Inventory Qty,Variant Inventory Policy,Variant Fulfillment Service,Variant Price,Variant Compare At Price,Variant Requires Shipping,Variant Taxable,Variant Barcode,Image Src,Cost per item,Status`,
		`classic-tee,Classic Tee,<p>Cotton</p>,Acme,Apparel & Accessories > Clothing,Shirts,cotton,true,Size,S,TEE-S,200,shopify,12,deny,manual,19.99,24.99,true,true,012345678905,https://cdn.example.com/tee.jpg,7.50,active`,
		`classic-tee,,,,,,,,,M,TEE-M,210,shopify,8,deny,manual,19.99,24.99,true,true,012345678912,,7.50,`,
		`gift-card,Gift Card,,Acme,,Gift,,true,Title,Default Title,,0,,0,deny,manual,25.00,,false,false,,,,active`,
	)
	r, err := Inspect(context.Background(), path, 0)
	must(t, err)
	job, rows, problems := runStarter(t, r, StarterOptions{})
	for _, want := range []string{
		"The headers are those of a Shopify product export",
		`sku: {expr: "src[\"Variant SKU\"] != \"\" ? src[\"Variant SKU\"] : src[\"Handle\"]", type: string}`,
		"price: {from: Variant Price, type: decimal",
		"quantity: {from: Variant Inventory Qty, type: integer}",
		"barcode: {from: Variant Barcode, type: string}",
		"cost: {from: Cost per item, type: decimal",
		"name: {from: Title, type: string}",
		"vendor: {from: Vendor, type: string}",
		`"Handle" also looks like sku, which "Variant SKU" fills better.`,
	} {
		if !strings.Contains(job, want) {
			t.Errorf("job lacks %q:\n%s", want, job)
		}
	}
	var all []string
	for _, r := range rows {
		all = append(all, "|"+strings.Join(r, "|")+"|")
	}
	if len(problems) > 0 || len(rows) != 3 || !strings.Contains(all[0], "|TEE-S|") || !strings.Contains(all[1], "|TEE-M|") ||
		!strings.Contains(all[2], "|gift-card|") || !strings.Contains(all[1], "|012345678912|") {
		t.Errorf("rows %v problems %v\n%s", all, problems, job)
	}
}

// TestStarterForInflow: --sink inflow --entity products writes an
// onboarding job: only inFlow fields are mapped, the rest commented out.
func TestStarterForInflow(t *testing.T) {
	t.Parallel()
	path := writeLines(t, "items.csv",
		"Item Name,SKU,Unit Price,Qty on hand,UPC,Vendor,Colour",
		"Widget,W-1,9.99,5,012345678905,Acme,red",
	)
	r, err := Inspect(context.Background(), path, 0)
	must(t, err)
	job, _, _ := runStarter(t, r, StarterOptions{Sink: "inflow", Entity: "products"})
	for _, want := range []string{
		"upserts the rows as inFlow products (matched by SKU, then name)",
		"sink: {type: inflow, entity: products, match: [sku, name]}",
		"name: {from: Item Name, type: string}",
		"price: {from: Unit Price, type: decimal, scale: 4",
		"quantity: {from: Qty on hand, type: integer}",
		"barcode: {from: UPC, type: string}",
		"vendor: {from: Vendor, type: string}",
		"# colour: {from: Colour, type: string}",
		"# TODO: not an inFlow products field",
		"stock: {mode: set, adjustment_reason: Opening balance}",
	} {
		if !strings.Contains(job, want) {
			t.Errorf("job lacks %q:\n%s", want, job)
		}
	}
	job, _, _ = runStarter(t, r, StarterOptions{Sink: "inflow", Entity: "vendors"})
	if !strings.Contains(job, "sink: {type: inflow, entity: vendors, match: [name]}") {
		t.Errorf("vendors job:\n%s", job)
	}
	if _, err := StarterJobFor(r, "", StarterOptions{Sink: "inflow", Entity: "orders"}); err == nil {
		t.Error("no error for an entity the inflow sink does not write")
	}
}

// TestInspectHiddenSheetAndOptions: a hidden first sheet is passed over
// and the choice is said; --sheet picks a sheet; CSV-only options are
// refused for a workbook.
func TestInspectHiddenSheetAndOptions(t *testing.T) {
	t.Parallel()
	f := excelize.NewFile()
	must(t, f.SetSheetName("Sheet1", "Lists"))
	must(t, f.SetSheetRow("Lists", "A1", &[]any{"code"}))
	_, err := f.NewSheet("Items")
	must(t, err)
	must(t, f.SetSheetRow("Items", "A1", &[]any{"Inventory report"}))
	must(t, f.SetSheetRow("Items", "A3", &[]any{"SKU", "Name", "Price"}))
	must(t, f.SetSheetRow("Items", "A4", &[]any{"A-1", "Widget", 9.5}))
	f.SetActiveSheet(1)
	must(t, f.SetSheetVisible("Lists", false))
	path := filepath.Join(t.TempDir(), "items.xlsx")
	must(t, f.SaveAs(path))

	r, err := Options{}.Inspect(context.Background(), path)
	must(t, err)
	if r.Sheet != "Items" || r.HeaderRow != 3 || len(r.Notes) != 2 || !strings.Contains(strings.Join(r.Notes, "\n"), `reading sheet "Items", the first visible sheet with data; skipped "Lists" (hidden)`) {
		t.Errorf("sheet %q header %d notes %q", r.Sheet, r.HeaderRow, r.Notes)
	}
	r, err = Options{Sheet: "Lists", HeaderRow: 1}.Inspect(context.Background(), path)
	must(t, err)
	if r.Sheet != "Lists" || len(r.Columns) != 1 || len(r.Notes) != 0 {
		t.Errorf("--sheet Lists: %q %v %q", r.Sheet, r.Columns, r.Notes)
	}
	if _, err := (Options{Delimiter: ";"}).Inspect(context.Background(), path); err == nil || !strings.Contains(err.Error(), "apply to CSV files") {
		t.Errorf("--delimiter on a workbook: %v", err)
	}
}

// TestInflowExport: the product columns of an inFlow export are all
// inFlow fields, so the onboarding job has no TODO.
func TestInflowExport(t *testing.T) {
	t.Parallel()
	path := writeLines(t, "ProductDetails.csv",
		"Name,Category,ItemType,Description,SKU,BarCode,IsActive,ReorderPoint,ReorderQuantity,DefaultLocation,DefaultSublocation,LastVendor,StandardUom,UnitPrice,Cost,Remarks",
		"Widget,Parts,Stocked,A widget,W-1,0614141000012,True,5,10,Main,A-1,Acme,ea,9.99,4.25,",
	)
	r, err := Inspect(context.Background(), path, 0)
	must(t, err)
	job, _, _ := runStarter(t, r, StarterOptions{Sink: "inflow"})
	if strings.Contains(job, "# TODO:") || !strings.Contains(job, "The headers are those of an inFlow product export") {
		t.Errorf("job:\n%s", job)
	}
	for _, want := range []string{"item_type: {from: ItemType, type: string}", "barcode: {from: BarCode, type: string}",
		"sublocation: {from: DefaultSublocation", "vendor: {from: LastVendor", "uom: {from: StandardUom", "price: {from: UnitPrice"} {
		if !strings.Contains(job, want) {
			t.Errorf("job lacks %q:\n%s", want, job)
		}
	}
}

// TestStarterScaleIsGenerous: the file: .5 and 1.5 in the first
// rows, 0.25 later. The starter job's scale holds every value, and none is
// rounded.
func TestStarterScaleIsGenerous(t *testing.T) {
	t.Parallel()
	lines := []string{"SKU,Weight"}
	for i := range 300 {
		lines = append(lines, fmt.Sprintf("S-%03d,%s", i, []string{".5", "1.5"}[i%2]))
	}
	lines = append(lines, "S-999,0.25")
	r, err := Inspect(context.Background(), writeLines(t, "weights.csv", lines...), 0)
	must(t, err)
	job, rows, problems := runStarter(t, r, StarterOptions{})
	if !strings.Contains(job, "weight: {from: Weight, type: decimal, scale: 4}") {
		t.Errorf("job:\n%s", job)
	}
	if len(problems) > 0 || len(rows) != 301 || rows[300][1] != "0.25" {
		t.Errorf("last row %v, problems %v", rows[len(rows)-1], problems)
	}
}
