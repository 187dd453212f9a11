package inspect

import (
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/etl-dev/etl/pipeline"
)

// col makes a ColumnInfo as Inspect would for a column of one type.
func col(name string, t pipeline.Type) ColumnInfo {
	return ColumnInfo{Name: name, Type: t, Suggested: t}
}

// parseJob decodes a starter job, failing the test when it is not YAML.
func parseJob(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := yaml.Unmarshal(b, &m); err != nil {
		t.Fatalf("starter job is not valid YAML: %v\n%s", err, b)
	}
	return m
}

// mappingOf returns field → settings of a decoded job.
func mappingOf(t *testing.T, job map[string]any) map[string]map[string]any {
	t.Helper()
	raw, ok := job["mapping"].(map[string]any)
	if !ok {
		t.Fatalf("mapping is %T", job["mapping"])
	}
	out := map[string]map[string]any{}
	for k, v := range raw {
		s, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("mapping.%s is %T", k, v)
		}
		out[k] = s
	}
	return out
}

func TestStarterJobProducts(t *testing.T) {
	qty := col("Qty", pipeline.TypeString)
	qty.Suggested = pipeline.TypeInteger
	qty.miss[kInteger] = misfits{n: 1, some: []string{"ten"}}
	price := col("Unit Price", pipeline.TypeString)
	price.Suggested = pipeline.TypeDecimal
	price.MaxScale = 2
	price.miss[kDecimal] = misfits{n: 2, some: []string{"$5.00", "12,50"}}
	launch := col("Launch Date", pipeline.TypeString)
	launch.Suggested = pipeline.TypeDate
	launch.miss[kDate] = misfits{n: 1, some: []string{"2026-02-30"}}
	r := &Report{
		Path: "data/in/products.xlsx", Format: "xlsx", SourceType: "xlsx", Sheet: "My Sheet: 2024",
		Columns: []ColumnInfo{
			col("Item Code", pipeline.TypeString),
			col("Product Name", pipeline.TypeString),
			price,
			col("Unit Cost", pipeline.TypeDecimal),
			col("UPC", pipeline.TypeInteger), // barcodes stay text
			qty,
			col("Is Active", pipeline.TypeBool),
			col("Supplier", pipeline.TypeString),
			col("Reorder Point", pipeline.TypeDecimal),
			launch,
			col("Weight: kg", pipeline.TypeDecimal),
			col(`Size "EU"`, pipeline.TypeString),
			col("Price", pipeline.TypeDecimal), // a second price
			col("Größe", pipeline.TypeString),
			{Name: "", Ref: "P"},
		},
	}
	r.Columns[8].MaxScale = 1
	r.Columns[10].MaxScale = 3
	b, err := StarterJob(r, "data/jobs/products.yaml")
	if err != nil {
		t.Fatal(err)
	}
	job := parseJob(t, b)
	if job["name"] != "products" {
		t.Errorf("name = %v", job["name"])
	}
	src := job["source"].(map[string]any)
	if src["type"] != "xlsx" || src["path"] != "../in/products.xlsx" || src["sheet"] != "My Sheet: 2024" {
		t.Errorf("source = %v", src)
	}
	if sink := job["sink"].(map[string]any); sink["type"] != "parquet" || sink["path"] != "out/products.parquet" {
		t.Errorf("sink = %v", sink)
	}
	if opts := job["options"].(map[string]any); opts["on_error"] != "skip" {
		t.Errorf("options = %v", opts)
	}
	m := mappingOf(t, job)
	want := map[string]map[string]any{
		"sku":           {"from": "Item Code", "type": "string"},
		"name":          {"from": "Product Name", "type": "string"},
		"price":         {"from": "Unit Price", "type": "decimal", "scale": uint64(4), "strip": currencyStrip},
		"cost":          {"from": "Unit Cost", "type": "decimal", "scale": uint64(6), "strip": currencyStrip},
		"barcode":       {"from": "UPC", "type": "string"},
		"quantity":      {"from": "Qty", "type": "integer"},
		"is_active":     {"from": "Is Active", "type": "bool"},
		"vendor":        {"from": "Supplier", "type": "string"},
		"reorder_point": {"from": "Reorder Point", "type": "decimal", "scale": uint64(3)},
		"launch_date":   {"from": "Launch Date", "type": "date"},
		"weight":        {"from": "Weight: kg", "type": "decimal", "scale": uint64(5)},
		"size_eu":       {"from": `Size "EU"`, "type": "string"},
		"price_2":       {"from": "Price", "type": "decimal", "scale": uint64(2)},
		"grosse":        {"from": "Größe", "type": "string"},
	}
	if len(m) != len(want) {
		t.Errorf("mapping has %d fields, want %d:\n%s", len(m), len(want), b)
	}
	for f, w := range want {
		got, ok := m[f]
		if !ok {
			t.Errorf("no field %s", f)
			continue
		}
		for k, v := range w {
			if got[k] != v {
				t.Errorf("%s.%s = %#v, want %#v", f, k, got[k], v)
			}
		}
		if len(got) != len(w) {
			t.Errorf("%s = %v, want %v", f, got, w)
		}
	}
	text := string(b)
	for _, s := range []string{
		"launch_date: {from: Launch Date, type: date}",
		"# TODO: not recognised",
		`1 value of "Qty" does not read as a whole number ("ten")`,
		`1 value of "Unit Price" does not read as a decimal number ("12,50")`, // "$5.00" is stripped
		`1 value of "Launch Date" does not read as a date (yyyy-mm-dd) ("2026-02-30")`,
		`"Price" also looks like price`,
		"Column P has no header",
		"# report: {html: out/report.html",
	} {
		if !strings.Contains(text, s) {
			t.Errorf("job lacks %q:\n%s", s, text)
		}
	}
	for _, line := range strings.Split(text, "\n") {
		if strings.Contains(line, "TODO") && !strings.HasPrefix(strings.TrimSpace(line), "#") {
			if f := strings.Fields(line)[0]; f == "sku:" || f == "name:" || f == "price:" {
				t.Errorf("recognised field marked TODO: %s", line)
			}
		}
	}
	v := job["validate"].([]any)[0].(map[string]any)
	if v["field"] != "sku" || v["required"] != true || v["unique"] != true {
		t.Errorf("validate = %v", v)
	}
	// Order follows the file.
	if i, j := strings.Index(text, "\n  sku:"), strings.Index(text, "\n  grosse:"); i < 0 || j < i {
		t.Errorf("fields out of order:\n%s", text)
	}
}

func TestStarterJobContacts(t *testing.T) {
	var cols []ColumnInfo
	for _, h := range []string{"Customer Name", "Contact", "E-mail", "Phone", "Address", "City",
		"State/Region", "ZIP", "Country", "Pricing Scheme", "Payment Terms", "Loyalty Tier"} {
		cols = append(cols, col(h, pipeline.TypeString))
	}
	cols[3].Type, cols[3].Suggested = pipeline.TypeInteger, pipeline.TypeInteger // phones look like numbers
	r := &Report{Path: "customers.csv", Format: "csv", SourceType: "csv", Columns: cols}
	b, err := StarterJob(r, "")
	if err != nil {
		t.Fatal(err)
	}
	job := parseJob(t, b)
	if job["name"] != "customers-to-parquet" {
		t.Errorf("name = %v", job["name"])
	}
	if src := job["source"].(map[string]any); src["path"] != "customers.csv" || src["sheet"] != nil {
		t.Errorf("source = %v", src)
	}
	m := mappingOf(t, job)
	for field, from := range map[string]string{
		"name": "Customer Name", "contact_name": "Contact", "email": "E-mail", "phone": "Phone",
		"address1": "Address", "city": "City", "state": "State/Region", "postal_code": "ZIP",
		"country": "Country", "pricing_scheme": "Pricing Scheme", "payment_terms": "Payment Terms",
		"loyalty_tier": "Loyalty Tier",
	} {
		if m[field]["from"] != from || m[field]["type"] != "string" {
			t.Errorf("%s = %v, want from %s, type string", field, m[field], from)
		}
	}
	if v := job["validate"].([]any)[0].(map[string]any); v["field"] != "name" {
		t.Errorf("key = %v, want name", v["field"])
	}
	if !strings.Contains(string(b), "loyalty_tier: {from: Loyalty Tier, type: string}  # TODO: not recognised") {
		t.Errorf("unrecognised column not marked:\n%s", b)
	}
	// The suggested email rule works once uncommented.
	uncommented := strings.NewReplacer("  # - field: email", "  - field: email", "  #   pattern:", "    pattern:").Replace(string(b))
	rules := parseJob(t, []byte(uncommented))["validate"].([]any)
	if len(rules) != 2 || rules[1].(map[string]any)["pattern"] != `^[^@\s]+@[^@\s]+\.[^@\s]+$` {
		t.Errorf("email rule = %v", rules)
	}
}

func TestStarterJobNoKey(t *testing.T) {
	r := &Report{Path: "x.csv", SourceType: "csv", Columns: []ColumnInfo{col("yes", pipeline.TypeBool), col("2024", pipeline.TypeInteger)}}
	b, err := StarterJob(r, "x.yaml")
	if err != nil {
		t.Fatal(err)
	}
	job := parseJob(t, b)
	if _, ok := job["validate"]; ok {
		t.Errorf("validate without a key:\n%s", b)
	}
	m := mappingOf(t, job)
	if m["yes"]["from"] != "yes" || m["col_2024"]["from"] != "2024" || m["col_2024"]["type"] != "integer" {
		t.Errorf("mapping = %v", m)
	}
	if _, err := StarterJob(&Report{Path: "x.csv", SourceType: "csv"}, ""); err == nil {
		t.Error("no error for a file without columns")
	}
}
