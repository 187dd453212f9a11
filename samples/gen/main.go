// Command gen writes the sample inputs in samples/: catalog.csv and
// catalog.xlsx (the same product catalog), customers.csv, vendors.csv and
// the README.md that lists their deliberately bad rows.
//
// Run it from the repository root (`go run ./samples/gen`) or from samples/
// (`go generate`). The output is deterministic: a fixed seed, fixed dates,
// no clock, so running it again changes nothing.
package main

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("samples/gen: ")
	dir := flag.String("dir", "", "directory to write into (default: samples/ from the repository root, else the current directory)")
	flag.Parse()
	if *dir == "" {
		*dir = "."
		if st, err := os.Stat(filepath.Join("samples", "gen")); err == nil && st.IsDir() {
			*dir = "samples"
		}
	}

	cat := catalog()
	cust := customers()
	vend := vendors()

	files := []struct {
		name string
		data func() ([]byte, error)
	}{
		{"catalog.csv", func() ([]byte, error) { return catalogCSV(cat) }},
		{"catalog.xlsx", func() ([]byte, error) { return catalogXLSX(cat) }},
		{"customers.csv", func() ([]byte, error) { return tableCSV(cust.header, cust.rows) }},
		{"vendors.csv", func() ([]byte, error) { return tableCSV(vend.header, vend.rows) }},
		{"inventora-stock-count.csv", func() ([]byte, error) { t := inventoraStockCount(); return tableCSV(t.header, t.rows) }},
		{"open-sales-orders.csv", func() ([]byte, error) { t := openSalesOrders(); return tableCSV(t.header, t.rows) }},
		{"purchase-orders.xlsx", func() ([]byte, error) { return purchaseOrdersXLSX(purchaseOrderSheet()) }},
		{"stock-count-adjustments.csv", func() ([]byte, error) { t := stockCountAdjustments(); return tableCSV(t.header, t.rows) }},
		{"stock-transfer.csv", func() ([]byte, error) { t := stockTransferSheet(); return tableCSV(t.header, t.rows) }},
		{"goflow-stock.xlsx", func() ([]byte, error) { return goflowStockXLSX(goflowStock()) }},
		{"README.md", func() ([]byte, error) {
			docs := inflowDocsReadme(openSalesOrders(), purchaseOrderSheet(), stockCountAdjustments(), stockTransferSheet())
			return append(append(readme(cat, cust, vend), docs...), goflowReadme(goflowStock())...), nil
		}},
	}
	for _, f := range files {
		b, err := f.data()
		if err != nil {
			log.Fatalf("%s: %v", f.name, err)
		}
		p := filepath.Join(*dir, f.name)
		if old, err := os.ReadFile(p); err == nil && bytes.Equal(old, b) {
			continue
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			log.Fatal(err)
		}
		fmt.Println("wrote", p)
	}
}

// rng is splitmix64: tiny, and its output never changes with the Go
// version, unlike math/rand's helpers.
type rng struct{ s uint64 }

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// intn returns a number in [0, n).
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// chance is true pct percent of the time.
func (r *rng) chance(pct int) bool { return r.intn(100) < pct }

// ---------------------------------------------------------------- catalog

// Money is held in ten-thousandths of a dollar, so that prices (2 decimals)
// and costs (up to 4) are exact.
type money int64

func (m money) float() float64 { return float64(m) / 10000 }

// text formats m with at least 2 and at most 4 decimals.
func (m money) text() string {
	s := strconv.FormatFloat(m.float(), 'f', 4, 64)
	for strings.HasSuffix(s, "0") && len(s)-strings.IndexByte(s, '.') > 3 {
		s = s[:len(s)-1]
	}
	return s
}

func dollars(d float64) money { return money(d*10000 + 0.5) }

type opt struct{ label, code string }

// opts makes options whose SKU code is the label in capitals without
// punctuation.
func opts(labels ...string) []opt {
	out := make([]opt, len(labels))
	for i, l := range labels {
		code := strings.Map(func(r rune) rune {
			switch {
			case r >= 'a' && r <= 'z':
				return r - 'a' + 'A'
			case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
				return r
			}
			return -1
		}, l)
		out[i] = opt{l, code}
	}
	return out
}

var colorCodes = map[string]string{
	"Black": "BLK", "Navy": "NVY", "Heather Grey": "HGR", "Forest": "FOR", "Slate": "SLT",
	"Rust": "RST", "White": "WHT", "Sand": "SND", "Charcoal": "CHR", "Olive": "OLV",
	"Red": "RED", "Teal": "TEL", "Cobalt": "COB", "Grey": "GRY", "Moss": "MOS",
	"Khaki": "KHK", "Plum": "PLM", "Brown": "BRN", "Blue/Lime": "BLM", "Black/Orange": "BOR",
	"Tan": "TAN", "Mustard": "MUS", "Stone": "STN", "Yellow": "YEL", "Blue": "BLU",
	"Coral": "CRL", "Steel": "STL", "Sage": "SGE", "Sky": "SKY", "Orange": "ORG",
	"Green": "GRN", "Purple/Mint": "PMT", "Black/Coral": "BCR", "Red Plaid": "RPL",
	"Green Plaid": "GPL",
}

func colors(names ...string) []opt {
	out := make([]opt, len(names))
	for i, n := range names {
		c, ok := colorCodes[n]
		if !ok {
			panic("no code for colour " + n)
		}
		out[i] = opt{n, c}
	}
	return out
}

type family struct {
	code, name, category, desc string
	price                      float64
	costDecimals               int    // 2, or 4 for items bought in bulk
	barcodePrefix              string // GS1 company prefix, 7 digits
	dims                       [][]opt
}

const (
	ownPrefix      = "0614141" // the retailer's own label (UPC-A, as EAN-13)
	footwearPrefix = "4006381" // a German footwear maker
	campPrefix     = "7612345" // a Swiss camping brand
)

var (
	tops    = opts("S", "M", "L", "XL")
	womens  = opts("XS", "S", "M", "L")
	mensFit = opts("7", "8", "9", "10", "11", "12")
	wFit    = opts("6", "7", "8", "9", "10")
)

var families = []family{
	{"TEE-TRL", "Trailhead Cotton Tee", "Clothing > Tshirts", "Soft organic cotton tee with a relaxed fit.", 24.99, 2, ownPrefix,
		[][]opt{colors("Black", "Navy", "Heather Grey", "Forest"), tops}},
	{"TEE-MER", "Summit Merino Tee", "Clothing > Tshirts", "Lightweight 150 g/m2 merino wool tee; odour resistant.", 64.00, 2, ownPrefix,
		[][]opt{colors("Black", "Slate", "Rust"), tops}},
	{"TEE-GRP", "Basecamp Graphic Tee", "Clothing > Tshirts", "Cotton tee with a screen-printed mountain graphic.", 29.99, 2, ownPrefix,
		[][]opt{colors("White", "Sand"), tops}},
	{"WTE-TRL", "Women's Trailhead Cotton Tee", "Clothing > Tshirts", "Soft organic cotton tee, women's cut.", 24.99, 2, ownPrefix,
		[][]opt{colors("Black", "Plum", "Sky", "White"), womens}},
	{"SHR-VEN", "Ventura Flannel Shirt", "Clothing > Shirts", "Brushed cotton flannel shirt with two chest pockets.", 54.99, 2, ownPrefix,
		[][]opt{colors("Red Plaid", "Green Plaid"), tops}},
	{"SHR-SUN", "Sun Hoodie UPF 50", "Clothing > Shirts", "Quick-dry hooded sun shirt, UPF 50 rated.", 49.00, 2, ownPrefix,
		[][]opt{colors("Sky", "Sand"), tops}},
	{"HOD-RDG", "Ridge Pullover Hoodie", "Clothing > Hoodies", "Heavyweight brushed-back fleece hoodie with kangaroo pocket.", 59.99, 2, ownPrefix,
		[][]opt{colors("Charcoal", "Olive", "Navy"), tops}},
	{"BSL-MER", "Merino Base Layer Top", "Clothing > Base Layers", "200 g/m2 merino crew for cold days.", 89.00, 2, ownPrefix,
		[][]opt{colors("Black", "Plum"), opts("XS", "S", "M", "L", "XL")}},
	{"JKT-STM", "Stormline Rain Jacket", "Clothing > Jackets", "2.5-layer waterproof, breathable shell with pit zips.", 129.00, 2, ownPrefix,
		[][]opt{colors("Black", "Red", "Teal"), tops}},
	{"WJK-STM", "Women's Stormline Rain Jacket", "Clothing > Jackets", "2.5-layer waterproof shell, women's cut.", 129.00, 2, ownPrefix,
		[][]opt{colors("Black", "Coral", "Teal"), womens}},
	{"JKT-ALP", "Alpine Down Jacket", "Clothing > Jackets", "800-fill responsibly sourced down; packs into its own pocket.", 219.00, 2, ownPrefix,
		[][]opt{colors("Black", "Cobalt"), tops}},
	{"JKT-FLC", "Fleece Zip Jacket", "Clothing > Jackets", "Recycled polyester fleece, full zip.", 79.50, 2, ownPrefix,
		[][]opt{colors("Grey", "Navy", "Moss"), tops}},
	{"PNT-CYN", "Canyon Hiking Pants", "Clothing > Pants", "Stretch nylon hiking pants with articulated knees.", 74.99, 2, ownPrefix,
		[][]opt{colors("Khaki", "Charcoal"), opts("30", "32", "34", "36")}},
	{"WPN-CYN", "Women's Canyon Hiking Pants", "Clothing > Pants", "Stretch nylon hiking pants, women's fit.", 74.99, 2, ownPrefix,
		[][]opt{colors("Khaki", "Black"), opts("4", "6", "8", "10", "12")}},
	{"SHT-TRL", "Trail Shorts", "Clothing > Shorts", "Quick-dry shorts with a 7\" inseam.", 44.99, 2, ownPrefix,
		[][]opt{colors("Khaki", "Black", "Olive"), tops}},
	{"KID-TEE", "Kids Trail Tee", "Clothing > Kids", "Cotton tee for young hikers.", 16.99, 2, ownPrefix,
		[][]opt{colors("Red", "Blue", "Green"), opts("4", "6", "8", "10", "12")}},
	{"SCK-MER", "Merino Hiking Socks", "Clothing > Socks", "Cushioned merino blend crew socks.", 18.99, 4, ownPrefix,
		[][]opt{colors("Grey", "Charcoal"), opts("S", "M", "L")}},
	{"BOT-RDG", "Ridgeback Hiking Boot", "Footwear > Boots", "Waterproof leather mid boot with a lugged sole.", 169.00, 2, footwearPrefix,
		[][]opt{colors("Brown", "Slate"), mensFit}},
	{"WBT-RDG", "Women's Ridgeback Hiking Boot", "Footwear > Boots", "Waterproof leather mid boot, women's last.", 169.00, 2, footwearPrefix,
		[][]opt{colors("Brown", "Grey"), wFit}},
	{"BOT-TMB", "Timberline Winter Boot", "Footwear > Boots", "Insulated winter boot rated to -30 C.", 189.00, 2, footwearPrefix,
		[][]opt{colors("Black"), mensFit}},
	{"SHO-SWB", "Switchback Trail Runner", "Footwear > Trail Runners", "Light trail running shoe with a rock plate.", 139.95, 2, footwearPrefix,
		[][]opt{colors("Blue/Lime", "Black/Orange"), mensFit}},
	{"WSH-SWB", "Women's Switchback Trail Runner", "Footwear > Trail Runners", "Light trail running shoe, women's last.", 139.95, 2, footwearPrefix,
		[][]opt{colors("Purple/Mint", "Black/Coral"), wFit}},
	{"SND-RVR", "River Sandal", "Footwear > Sandals", "Adjustable webbing sandal for river crossings.", 54.00, 2, footwearPrefix,
		[][]opt{colors("Black", "Tan"), opts("6", "7", "8", "9", "10", "11")}},
	{"ACC-BNE", "Wool Beanie", "Accessories", "Rib-knit wool beanie.", 22.00, 2, ownPrefix,
		[][]opt{colors("Black", "Mustard", "Forest", "Grey")}},
	{"ACC-SUN", "Wide Brim Sun Hat", "Accessories", "Packable sun hat with a chin cord.", 34.99, 2, ownPrefix,
		[][]opt{colors("Khaki", "Stone"), opts("S/M", "L/XL")}},
	{"ACC-GLV", "Trekking Gloves", "Accessories", "Windproof softshell gloves with touchscreen tips.", 29.00, 2, ownPrefix,
		[][]opt{colors("Black"), tops}},
	{"ACC-GAI", "Trail Gaiters", "Accessories", "Water-resistant 16\" gaiters with a hook and instep strap.", 39.00, 2, ownPrefix,
		[][]opt{colors("Black", "Grey"), opts("S/M", "L/XL")}},
	{"BAG-DAY", "Daypack 22L", "Accessories > Bags", "22-litre daypack with a hydration sleeve.", 89.99, 2, ownPrefix,
		[][]opt{colors("Black", "Teal", "Rust")}},
	{"BAG-DRY", "Roll-Top Dry Bag", "Accessories > Bags", "Welded-seam roll-top dry bag.", 19.99, 4, campPrefix,
		[][]opt{opts("5L", "10L", "20L"), colors("Yellow", "Blue")}},
	{"BAG-HIP", "Hip Pack", "Accessories > Bags", "Two-litre hip pack with a bottle pocket.", 34.00, 2, ownPrefix,
		[][]opt{colors("Black", "Olive", "Coral")}},
	{"BTL-INS", "Insulated Bottle 750ml", "Accessories > Bottles", "Double-wall steel bottle; cold 24 h, hot 12 h.", 32.00, 4, campPrefix,
		[][]opt{colors("Steel", "Black", "Sage", "Sky")}},
	{"POL-CRB", "Carbon Trekking Poles", "Accessories > Trekking Poles", "Three-section carbon poles, sold as a pair.", 149.00, 2, campPrefix, nil},
	{"TNT-ULT", "Ultralight Tent", "Camping > Tents", "Freestanding double-wall tent.", 349.00, 2, campPrefix,
		[][]opt{opts("1P", "2P", "3P")}},
	{"SLP-DWN", "Down Sleeping Bag", "Camping > Sleeping Bags", "650-fill down mummy bag.", 279.00, 2, campPrefix,
		[][]opt{{{"-5 C", "M5"}, {"0 C", "0"}, {"5 C", "5"}}, opts("Regular", "Long")}},
	{"PAD-INF", "Inflatable Sleeping Pad", "Camping > Sleeping Pads", "Insulated air pad, R-value 4.2.", 129.00, 2, campPrefix,
		[][]opt{opts("Regular", "Wide")}},
	{"CK-MUG", "Titanium Mug 450ml", "Camping > Cookware", "Single-wall titanium mug with folding handles.", 27.50, 4, campPrefix, nil},
	{"CK-STV", "Canister Camp Stove", "Camping > Cookware", "Compact canister stove with piezo igniter.", 64.95, 4, campPrefix, nil},
	{"CK-POT", "Nesting Pot Set", "Camping > Cookware", "Two hard-anodised pots and a lid that nest.", 49.95, 4, campPrefix, nil},
	{"CK-SPK", "Long Spork", "Camping > Cookware", "Long-handled spork for freeze-dried meals.", 6.95, 4, campPrefix,
		[][]opt{colors("Orange", "Green", "Blue")}},
	{"LGT-HDL", "Headlamp 350 Lumen", "Camping > Lighting", "Rechargeable headlamp with a red night mode.", 44.95, 4, campPrefix,
		[][]opt{colors("Black", "Red")}},
	{"LGT-LNT", "Camp Lantern", "Camping > Lighting", "Collapsible LED lantern, USB-C charging.", 39.95, 4, campPrefix, nil},
}

type product struct {
	sku, name, desc, category string
	price, cost               money
	priceText                 string // when set: the price cell as typed, a text cell
	barcode                   string
	qty                       int
	qtyText                   string // when set: the quantity as typed, a text cell
	location, active          string
	launch, updated           time.Time
	launchText                string // when set: the launch date as typed, a text cell
}

// margin is nil when the price is text (the spreadsheet formula then shows
// an empty cell).
func (p *product) margin() *money {
	if p.priceText != "" {
		return nil
	}
	m := p.price - p.cost
	return &m
}

// ean13 appends the check digit to 12 digits.
func ean13(d12 string) string {
	sum := 0
	for i, c := range d12 {
		n := int(c - '0')
		if i%2 == 1 {
			n *= 3
		}
		sum += n
	}
	return d12 + strconv.Itoa((10-sum%10)%10)
}

// badRow is a deliberately bad (or deliberately odd) row of a sample file.
type badRow struct {
	row    int    // spreadsheet row, header = 1
	column string // column header
	value  string // the value as it appears in the file
	why    string
	bad    bool // false: odd but valid once the sample job cleans it
}

type catalogData struct {
	products []product
	bad      []badRow
}

var catalogHeader = []string{"SKU", "Name", "Description", "Category", "Price", "Cost", "Margin",
	"Barcode", "Quantity", "Location", "Active", "Launch Date", "Updated"}

func catalog() catalogData {
	r := &rng{s: 20260115}
	var ps []product
	item := 10001
	day0 := time.Date(2019, 3, 1, 0, 0, 0, 0, time.UTC)
	upd0 := time.Date(2025, 6, 2, 8, 0, 0, 0, time.UTC)
	for _, f := range families {
		launch := day0.AddDate(0, 0, r.intn(6*365))
		variants := [][]opt{{}}
		for _, dim := range f.dims {
			var next [][]opt
			for _, v := range variants {
				for _, o := range dim {
					next = append(next, append(append([]opt(nil), v...), o))
				}
			}
			variants = next
		}
		for _, v := range variants {
			sku, name := f.code, f.name
			var labels []string
			for _, o := range v {
				sku += "-" + o.code
				labels = append(labels, o.label)
			}
			if len(labels) > 0 {
				name += " - " + strings.Join(labels, ", ")
			}
			price := dollars(f.price)
			ratio := 0.40 + float64(r.intn(160))/1000 // 40%–55.9% of price
			cost := money(float64(price) * ratio)
			if f.costDecimals == 2 {
				cost = (cost + 50) / 100 * 100
			}
			qty := r.intn(240)
			if r.chance(8) {
				qty = 0
			}
			loc := "Main Warehouse"
			if r.chance(22) {
				loc = "Showroom"
			}
			active := "Yes"
			if r.chance(7) {
				active = "No"
			}
			ps = append(ps, product{
				sku: sku, name: name, desc: f.desc, category: f.category,
				price: price, cost: cost,
				barcode:  ean13(f.barcodePrefix + strconv.Itoa(item)),
				qty:      qty,
				location: loc, active: active,
				launch:  launch,
				updated: upd0.Add(time.Duration(r.intn(240*24*60)) * time.Minute),
			})
			item++
		}
	}

	var bad []badRow
	at := func(row int) *product { return &ps[row-2] }
	{
		p := at(9)
		p.priceText = strings.Replace(p.price.text(), ".", ",", 1)
		bad = append(bad, badRow{9, "Price", p.priceText, "comma as the decimal separator", true})
	}
	{
		p := at(17)
		bad = append(bad, badRow{17, "SKU", "", "missing SKU (the product " + strconv.Quote(p.name) + " has none)", true})
		p.sku = ""
	}
	{
		p, prev := at(34), at(33)
		p.sku = prev.sku
		bad = append(bad, badRow{34, "SKU", p.sku, "duplicate SKU: row 33 has the same one (copy-paste slip)", true})
	}
	{
		p := at(52)
		p.qty = -3
		bad = append(bad, badRow{52, "Quantity", "-3", "negative quantity", true})
	}
	{
		p := at(71)
		p.qtyText = "ten"
		bad = append(bad, badRow{71, "Quantity", "ten", "quantity in words, not a number", true})
	}
	{
		p := at(88)
		p.launchText = "2026-02-30"
		bad = append(bad, badRow{88, "Launch Date", p.launchText, "impossible date (February has no 30th); a text cell in the xlsx", true})
	}
	{
		p := at(105)
		p.name += " - organic cotton, relaxed fit, pre-shrunk, tagless neck label, reinforced shoulder seams, made for the trail and the town"
		bad = append(bad, badRow{105, "Name", p.name[:40] + "...", fmt.Sprintf("name of %d characters, longer than 120", len([]rune(p.name))), true})
	}
	{
		p := at(127)
		d := p.barcode[12] - '0'
		p.barcode = p.barcode[:12] + strconv.Itoa(int((d+3)%10))
		bad = append(bad, badRow{127, "Barcode", p.barcode, "wrong EAN-13 check digit", true})
	}
	{
		p := at(149)
		i := strings.IndexByte(p.barcode[1:], '0') + 1
		p.barcode = p.barcode[:i] + "O" + p.barcode[i+1:]
		bad = append(bad, badRow{149, "Barcode", p.barcode, "letter O typed for a zero", true})
	}
	{
		p := at(176)
		p.cost = money(float64(p.price)*1.6+50) / 100 * 100
		bad = append(bad, badRow{176, "Cost", p.cost.text(), "cost above the price (" + p.price.text() + "); the margin is negative", true})
	}
	{
		p := at(203)
		p.active = "maybe"
		bad = append(bad, badRow{203, "Active", "maybe", "neither Yes nor No", true})
	}
	{
		p := at(241)
		p.priceText = "$" + p.price.text()
		bad = append(bad, badRow{241, "Price", p.priceText, "currency symbol typed into the cell (a text cell in the xlsx); valid once the job strips \"$\"", false})
	}
	return catalogData{ps, bad}
}

func catalogCSV(c catalogData) ([]byte, error) {
	rows := make([][]string, len(c.products))
	for i := range c.products {
		p := &c.products[i]
		price := p.price.text()
		if p.priceText != "" {
			price = p.priceText
		}
		margin := ""
		if m := p.margin(); m != nil {
			margin = m.text()
		}
		qty := strconv.Itoa(p.qty)
		if p.qtyText != "" {
			qty = p.qtyText
		}
		launch := p.launch.Format(time.DateOnly)
		if p.launchText != "" {
			launch = p.launchText
		}
		rows[i] = []string{p.sku, p.name, p.desc, p.category, price, p.cost.text(), margin,
			p.barcode, qty, p.location, p.active, launch, p.updated.Format("2006-01-02T15:04:05")}
	}
	return tableCSV(catalogHeader, rows)
}

func tableCSV(header []string, rows [][]string) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.Write(header); err != nil {
		return nil, err
	}
	if err := w.WriteAll(rows); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func catalogXLSX(c catalogData) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Products"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	if err := f.SetDocProps(&excelize.DocProperties{
		Creator:  "etl samples",
		Title:    "Product catalog",
		Created:  "2026-01-15T09:00:00Z",
		Modified: "2026-01-15T09:00:00Z",
	}); err != nil {
		return nil, err
	}
	style := func(s *excelize.Style) int {
		id, err := f.NewStyle(s)
		if err != nil {
			panic(err)
		}
		return id
	}
	priceFmt, costFmt := `"$"#,##0.00`, `"$"#,##0.00##`
	var (
		head   = style(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
		price  = style(&excelize.Style{CustomNumFmt: &priceFmt})
		cost   = style(&excelize.Style{CustomNumFmt: &costFmt})
		date   = style(&excelize.Style{NumFmt: 14}) // m/d/yyyy in en-US
		stamp  = style(&excelize.Style{NumFmt: 22}) // m/d/yyyy h:mm
		number = style(&excelize.Style{NumFmt: 1})  // 0
	)
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	widths := []float64{22, 44, 48, 26, 10, 10, 10, 16, 10, 16, 8, 12, 16}
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return nil, err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	hdr := make([]any, len(catalogHeader))
	for i, h := range catalogHeader {
		hdr[i] = excelize.Cell{StyleID: head, Value: h}
	}
	if err := sw.SetRow("A1", hdr); err != nil {
		return nil, err
	}
	for i := range c.products {
		p := &c.products[i]
		row := i + 2
		var priceCell, qtyCell, launchCell any
		if p.priceText != "" {
			priceCell = p.priceText
		} else {
			priceCell = excelize.Cell{StyleID: price, Value: p.price.float()}
		}
		if p.qtyText != "" {
			qtyCell = p.qtyText
		} else {
			qtyCell = excelize.Cell{StyleID: number, Value: p.qty}
		}
		if p.launchText != "" {
			launchCell = p.launchText
		} else {
			launchCell = excelize.Cell{StyleID: date, Value: p.launch}
		}
		// Margin is a formula; its cached value is what readers that do not
		// calculate (excelize, every ETL tool) see.
		marginCell := excelize.Cell{StyleID: cost, Formula: fmt.Sprintf(`IF(ISNUMBER(E%d),E%d-F%d,"")`, row, row, row), Value: ""}
		if m := p.margin(); m != nil {
			marginCell.Value = m.float()
		}
		var sku any
		if p.sku != "" {
			sku = p.sku
		}
		vals := []any{sku, p.name, p.desc, p.category, priceCell,
			excelize.Cell{StyleID: cost, Value: p.cost.float()}, marginCell,
			p.barcode, qtyCell, p.location, p.active, launchCell,
			excelize.Cell{StyleID: stamp, Value: p.updated}}
		if err := sw.SetRow("A"+strconv.Itoa(row), vals); err != nil {
			return nil, err
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// ------------------------------------------------------- customers, vendors

type table struct {
	header []string
	rows   [][]string
	bad    []badRow
}

type place struct{ city, region, postal, country, area string }

var places = []place{
	{"Portland", "OR", "97209", "United States", "503"},
	{"Seattle", "WA", "98104", "United States", "206"},
	{"Bend", "OR", "97701", "United States", "541"},
	{"Boise", "ID", "83702", "United States", "208"},
	{"Denver", "CO", "80202", "United States", "303"},
	{"Boulder", "CO", "80302", "United States", "303"},
	{"Missoula", "MT", "59802", "United States", "406"},
	{"Bozeman", "MT", "59715", "United States", "406"},
	{"Salt Lake City", "UT", "84111", "United States", "801"},
	{"Flagstaff", "AZ", "86001", "United States", "928"},
	{"Burlington", "VT", "05401", "United States", "802"},
	{"Portland", "ME", "04101", "United States", "207"},
	{"Boston", "MA", "02110", "United States", "617"},
	{"North Conway", "NH", "03860", "United States", "603"},
	{"Asheville", "NC", "28801", "United States", "828"},
	{"Duluth", "MN", "55802", "United States", "218"},
	{"Jackson", "WY", "83001", "United States", "307"},
	{"Anchorage", "AK", "99501", "United States", "907"},
	{"Vancouver", "BC", "V6B 1A1", "Canada", "604"},
	{"Squamish", "BC", "V8B 0A5", "Canada", "604"},
	{"Calgary", "AB", "T2P 1J9", "Canada", "403"},
	{"Canmore", "AB", "T1W 1P1", "Canada", "403"},
}

var (
	firstNames = []string{"Maya", "Liam", "Priya", "Jonas", "Keiko", "Diego", "Hannah", "Omar", "Grace", "Tomás",
		"Aisha", "Ben", "Chloe", "Dmitri", "Elena", "Finn", "Ines", "Jamal", "Kira", "Lucas"}
	lastNames = []string{"Okafor", "Lindqvist", "Reyes", "Chen", "Whitfield", "Novak", "Haddad", "Park", "Moreau",
		"Sullivan", "Kaur", "Andersen", "Ortega", "Brennan", "Yamamoto", "Fischer", "Mensah", "Rossi", "Dubois", "Walsh"}
	streets = []string{"Main St", "Pine Ave", "Front St", "River Rd", "Canyon Blvd", "2nd Ave", "Mill St",
		"Lakeshore Dr", "Summit Way", "Elm St", "Railroad Ave", "Alder St"}
	storePrefixes = []string{"Pinecrest", "Ridgeline", "Blue Heron", "Cedar Hollow", "Granite Peak", "Timberline",
		"Switchback", "Lost Creek", "Silver Fir", "Bear Paw", "Redtail", "Kettle River", "High Desert", "Cascade",
		"Trailhead", "Basin & Range", "North Fork", "Wild Iris", "Copper Canyon", "Spruce Grove", "Old Mill",
		"Tamarack", "Sawtooth", "Little Pine", "Three Rivers"}
	storeSuffixes = []string{"Outfitters", "Mountain Shop", "Trading Co.", "Adventure Supply", "Sports",
		"General Store", "Gear Exchange", "Ski & Hike", "Outdoor Co.", "Provisions"}
)

// slug makes a domain label of a business name.
func slug(s string) string {
	s = strings.ToLower(s)
	s = strings.TrimSuffix(s, " co.")
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

func ascii(s string) string { return strings.NewReplacer("á", "a", "é", "e").Replace(s) }

var customerHeader = []string{"Name", "Contact", "Email", "Phone", "Address", "City", "State/Region",
	"Postal Code", "Country", "Pricing Scheme", "Payment Terms"}

func customers() table {
	r := &rng{s: 4242}
	t := table{header: customerHeader}
	for i := range 50 {
		name := storePrefixes[i%25] + " " + storeSuffixes[(i+i/25*3)%10]
		first, last := firstNames[r.intn(len(firstNames))], lastNames[r.intn(len(lastNames))]
		domain := slug(name) + ".example"
		email := strings.ToLower(ascii(first)) + "." + strings.ToLower(last) + "@" + domain
		if r.chance(30) {
			email = "orders@" + domain
		}
		pl := places[r.intn(len(places))]
		addr := strconv.Itoa(10+r.intn(2990)) + " " + streets[r.intn(len(streets))]
		if r.chance(20) {
			addr += ", Suite " + strconv.Itoa(100+r.intn(4)*100)
		}
		scheme := "Wholesale"
		switch n := r.intn(10); {
		case n < 2:
			scheme = "Retail"
		case n < 3:
			scheme = "Distributor"
		}
		terms := []string{"Net 30", "Net 30", "Net 30", "Net 15", "Net 45", "Due on receipt"}[r.intn(6)]
		t.rows = append(t.rows, []string{name, first + " " + last, email,
			fmt.Sprintf("(%s) 555-01%02d", pl.area, i), addr, pl.city, pl.region, pl.postal, pl.country, scheme, terms})
	}
	// Bad rows (row = index + 2).
	row := 14
	e := t.rows[row-2]
	e[2] = strings.Replace(e[2], "@", ".", 1)
	t.bad = append(t.bad, badRow{row, "Email", e[2], "no @ in the email address", true})
	row = 37
	t.bad = append(t.bad, badRow{row, "Name", "", "missing name (the contact " + t.rows[row-2][1] + " is there)", true})
	t.rows[row-2][0] = ""
	return t
}

var vendorHeader = []string{"Name", "Contact", "Email", "Phone", "Website", "Address", "City", "State/Region",
	"Postal Code", "Country", "Payment Terms", "Currency", "Lead Time (days)"}

func vendors() table {
	r := &rng{s: 777}
	type v struct{ name, addr, city, region, postal, country, phone, currency string }
	list := []v{
		{"Northwind Textiles", "1410 NW Johnson St", "Portland", "OR", "97209", "United States", "(503) 555-0142", "USD"},
		{"Alpine Thread Co.", "220 W 300 S", "Salt Lake City", "UT", "84101", "United States", "(801) 555-0117", "USD"},
		{"Cascade Knitting Mills", "88 Harbor Ave SW", "Seattle", "WA", "98126", "United States", "(206) 555-0193", "USD"},
		{"Summit Footwear GmbH", "Landsberger Str. 155", "Munich", "Bavaria", "80687", "Germany", "+49 89 5550 1720", "EUR"},
		{"Kestrel Packs Ltd", "Unit 4, Mintsfeet Rd", "Kendal", "Cumbria", "LA9 6ND", "United Kingdom", "+44 1539 555010", "GBP"},
		{"Fjordline Outdoor AS", "Strandkaien 12", "Bergen", "Vestland", "5013", "Norway", "+47 55 55 01 23", "NOK"},
		{"Maple Leaf Outerwear Inc.", "1200 Powell St", "Vancouver", "BC", "V6A 1H6", "Canada", "(604) 555-0166", "CAD"},
		{"Red Rock Leather Works", "910 E Route 66", "Flagstaff", "AZ", "86001", "United States", "(928) 555-0108", "USD"},
		{"Evergreen Merino Ltd", "45 Moorhouse Ave", "Christchurch", "Canterbury", "8011", "New Zealand", "+64 3 555 0190", "NZD"},
		{"Highland Wool Co.", "7 Harbour Rd", "Inverness", "Highland", "IV1 1SY", "United Kingdom", "+44 1463 555021", "GBP"},
		{"Pacific Dry Goods", "2500 Embarcadero", "Oakland", "CA", "94606", "United States", "(510) 555-0131", "USD"},
		{"Titan Camp Gear Co., Ltd.", "No. 88, Gongyequ 38th Rd", "Taichung", "Taichung City", "407", "Taiwan", "+886 4 5550 1234", "USD"},
		{"Lumen Outdoor Lighting", "3100 Pearl St", "Boulder", "CO", "80301", "United States", "(303) 555-0175", "USD"},
		{"Trail Sole Manufacturing", "60 Thames St", "Portland", "ME", "04101", "United States", "(207) 555-0129", "USD"},
		{"Hydra Bottle Works", "650 SW Bond St", "Bend", "OR", "97702", "United States", "(541) 555-0184", "USD"},
		{"Granite Label & Tag", "4800 Dahlia St", "Denver", "CO", "80216", "United States", "(303) 555-0151", "USD"},
		{"Bluebird Packaging Supply", "1 E Liberty St", "Reno", "NV", "89501", "United States", "(775) 555-0112", "USD"},
		{"Stone Creek Sandals", "31 Riverside Dr", "Asheville", "NC", "28801", "United States", "(828) 555-0147", "USD"},
		{"Borealis Down Co.", "815 10 Ave SW", "Calgary", "AB", "T2R 0B4", "Canada", "(403) 555-0158", "CAD"},
		{"Coastline Logistics", "1102 Port of Tacoma Rd", "Tacoma", "WA", "98421", "United States", "(253) 555-0103", "USD"},
	}
	t := table{header: vendorHeader}
	for _, x := range list {
		first, last := firstNames[r.intn(len(firstNames))], lastNames[r.intn(len(lastNames))]
		domain := slug(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(x.name, " GmbH"), " Ltd"), " AS")) + ".example"
		email := "orders@" + domain
		if r.chance(50) {
			email = strings.ToLower(ascii(first)) + "@" + domain
		}
		terms := []string{"Net 30", "Net 30", "Net 45", "Net 60", "Prepaid", "Due on receipt"}[r.intn(6)]
		lead := 5 + r.intn(18)*5
		t.rows = append(t.rows, []string{x.name, first + " " + last, email, x.phone, "https://www." + domain,
			x.addr, x.city, x.region, x.postal, x.country, terms, x.currency, strconv.Itoa(lead)})
	}
	row := 9
	e := t.rows[row-2]
	e[2] = strings.Replace(e[2], "redrock", "red rock", 1)
	t.bad = append(t.bad, badRow{row, "Email", e[2], "space inside the email address", true})
	row = 15
	t.bad = append(t.bad, badRow{row, "Name", "", "missing name (the contact " + t.rows[row-2][1] + " is there)", true})
	t.rows[row-2][0] = ""
	return t
}

// ------------------------------------------------------------------ README

func readme(c catalogData, cust, vend table) []byte {
	var b bytes.Buffer
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	p("# Sample inputs\n\n")
	p("Written by `samples/gen` (run `go run ./samples/gen` from the repository root, or\n")
	p("`go generate ./samples`); edit the generator, not these files. The output is\n")
	p("deterministic, so regenerating changes nothing unless the generator changed.\n\n")
	p("Row numbers below are spreadsheet rows: the header is row 1, the first product row 2.\n")
	p("In the CSV files the row number is also the line number (no field spans lines).\n\n")

	p("## catalog.csv, catalog.xlsx\n\n")
	p("The same %d products of a small apparel and outdoor retailer, in the same order, in both\n", len(c.products))
	p("files (sheet `Products` in the xlsx). Columns: %s.\n\n", strings.Join(catalogHeader, ", "))
	p("- **Category** is an inFlow category path (`Clothing > Tshirts`, `Footwear > Boots`, `Accessories`).\n")
	p("- **Price** and **Cost** are numbers; in the xlsx they are numeric cells with a currency\n")
	p("  format (`\"$\"#,##0.00`, and `\"$\"#,##0.00##` for costs, some of which have 4 decimals).\n")
	p("- **Margin** is computed: in the xlsx the formula `=IF(ISNUMBER(E2),E2-F2,\"\")` with its\n")
	p("  cached value stored, so readers that do not calculate see the number; in the CSV the\n")
	var textPrices []string
	for _, r := range c.bad {
		if r.column == "Price" {
			textPrices = append(textPrices, strconv.Itoa(r.row))
		}
	}
	p("  value itself. It is empty where the price is text (rows %s).\n", strings.Join(textPrices, " and "))
	p("- **Barcode** is an EAN-13 with a valid check digit (bad rows aside), a text cell in the\n")
	p("  xlsx: many start with 0, which a number cell would lose.\n")
	p("- **Quantity** is a whole number; **Location** is `Main Warehouse` or `Showroom`; **Active** is `Yes` or `No`.\n")
	p("- **Launch Date**: xlsx date cells (number format 14, m/d/yyyy); CSV `yyyy-mm-dd`.\n")
	p("- **Updated**: xlsx date-time cells (number format 22, m/d/yyyy h:mm); CSV `yyyy-mm-ddThh:mm:ss`.\n\n")
	p("Deliberately bad rows, the same in both files, one kind each:\n\n")
	badTable(&b, c.bad)
	p("\nThe stripping caveat: a job that strips `,` from prices (to accept thousands separators)\n")
	p("turns row 9's `%s` into a valid but wrong price; the catalog has no thousands separators,\n", c.bad[0].value)
	p("so jobs for it should strip only currency symbols and spaces.\n\n")

	p("## customers.csv\n\n")
	p("%d wholesale and retail customers. Columns: %s.\n", len(cust.rows), strings.Join(cust.header, ", "))
	p("Postal codes keep their leading zeros (`02110`); Canadian ones have a space (`V6B 1A1`).\n\n")
	badTable(&b, cust.bad)
	p("\n## vendors.csv\n\n")
	p("%d suppliers, several abroad (currencies USD, CAD, EUR, GBP, NOK, NZD). Columns: %s.\n\n",
		len(vend.rows), strings.Join(vend.header, ", "))
	badTable(&b, vend.bad)
	return b.Bytes()
}

func badTable(b *bytes.Buffer, rows []badRow) {
	fmt.Fprintf(b, "| row | column | value | what is wrong |\n|---:|---|---|---|\n")
	for _, r := range rows {
		v := "(empty)"
		if r.value != "" {
			v = "`" + r.value + "`"
		}
		why := r.why
		if !r.bad {
			why = "not bad: " + why
		}
		fmt.Fprintf(b, "| %d | %s | %s | %s |\n", r.row, r.column, v, why)
	}
}
