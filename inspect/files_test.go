package inspect

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/etl-dev/etl/pipeline"
	_ "github.com/etl-dev/etl/sources"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// writeCSV writes a one-column CSV file and returns its path.
func writeCSV(t *testing.T, header string, values []string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "in.csv")
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{header, "other"})
	for _, v := range values {
		w.Write([]string{v, "x"})
	}
	w.Flush()
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func rep(v string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = v
	}
	return out
}

func TestInferCSV(t *testing.T) {
	S, I, D, F, B, A, T := pipeline.TypeString, pipeline.TypeInteger, pipeline.TypeDecimal,
		pipeline.TypeFloat, pipeline.TypeBool, pipeline.TypeDate, pipeline.TypeTimestamp
	tests := []struct {
		name      string
		values    []string
		typ, sugg pipeline.Type
		nullable  bool
		scale     int
		outliers  []string
	}{
		{"integers", []string{"1", "-2", "300", "+4"}, I, I, false, 0, nil},
		{"ones and zeros are integers", []string{"1", "0", "0", "1"}, I, I, false, 0, nil},
		{"decimals", []string{"1", "2.5", "-3.125", "4"}, D, D, false, 3, nil},
		{"exponent makes float", []string{"1.5", "2e3"}, F, F, false, 0, nil},
		{"yes no", []string{"Yes", "no", "YES", "n"}, B, B, false, 0, nil},
		{"yes no and 1 0", []string{"yes", "1", "0", "false"}, B, B, false, 0, nil},
		{"dates", []string{"2024-01-31", "2023-12-01"}, A, A, false, 0, nil},
		{"dates and times", []string{"2024-01-31", "2024-02-01T10:00:00", "2024-02-02 11:30"}, T, T, false, 0, nil},
		{"impossible date", []string{"2024-01-31", "2026-02-30"}, S, S, false, 0, nil},
		{"leading zeros", []string{"0614141100019", "4006381102407"}, S, S, false, 0, nil},
		{"zip codes", []string{"02110", "97209", "05401"}, S, S, false, 0, nil},
		{"comma decimals", []string{"12,50", "3,99"}, D, D, false, 2, nil},
		{"german prices", []string{"1.299,50", "24,99", "3", "-0,5"}, D, D, false, 2, nil},
		{"french prices", []string{"1 299,5", "24,99"}, D, D, false, 2, nil},
		{"dots are no decimal comma", []string{"1.000", "2.500"}, D, D, false, 3, nil},
		{"mixed separators", []string{"1,299.50", "24,99"}, S, S, false, 0, nil},
		{"day-first dates", []string{"31.12.2025", "01.02.2026", "1.3.2026"}, A, A, false, 0, nil},
		{"day-first slashes", []string{"31/12/2025", "01/02/2026"}, A, A, false, 0, nil},
		{"month-first slashes", []string{"12/31/2025", "01/02/2026"}, A, A, false, 0, nil},
		{"ambiguous slashes", []string{"01/02/2026", "03/04/2026"}, S, S, false, 0, nil},
		{"day-first times", []string{"31.12.2025 14:30", "01.02.2026 08:05"}, T, T, false, 0, nil},
		{"empties", []string{"", "1", "  ", "2"}, I, I, true, 0, nil},
		{"all empty", []string{"", ""}, S, S, true, 0, nil},
		{"text", []string{"Black", "Navy"}, S, S, false, 0, nil},
		{"mostly integers", append(rep("7", 30), "ten"), S, I, false, 0, []string{"ten"}},
		{"mostly decimals", append(rep("7.25", 40), "12,50", "$4.99"), S, D, false, 2, []string{"12,50", "$4.99"}},
		{"mostly bools", append(rep("Yes", 19), "maybe"), S, B, false, 0, []string{"maybe"}},
		{"too few to suggest", append(rep("1", 8), "ten"), S, S, false, 0, nil},
		{"too many outliers", append(rep("1", 20), "a", "b"), S, S, false, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Inspect(context.Background(), writeCSV(t, "Col", tt.values), 3)
			if err != nil {
				t.Fatal(err)
			}
			if r.Rows != len(tt.values) {
				t.Errorf("rows = %d, want %d", r.Rows, len(tt.values))
			}
			c := r.Columns[0]
			if c.Name != "Col" || c.Ref != "A" {
				t.Errorf("column %q %q", c.Name, c.Ref)
			}
			if c.Type != tt.typ || c.Suggested != tt.sugg || c.Nullable != tt.nullable || c.MaxScale != tt.scale {
				t.Errorf("got type %v, suggested %v, nullable %v, scale %d; want %v %v %v %d",
					c.Type, c.Suggested, c.Nullable, c.MaxScale, tt.typ, tt.sugg, tt.nullable, tt.scale)
			}
			if !slices.Equal(c.Outliers, tt.outliers) {
				t.Errorf("outliers %q, want %q", c.Outliers, tt.outliers)
			}
		})
	}
}

// colByName finds a column of a report.
func colByName(t *testing.T, r *Report, name string) ColumnInfo {
	t.Helper()
	for _, c := range r.Columns {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no column %q", name)
	return ColumnInfo{}
}

// checkCatalog asserts what inspecting the sample catalog (either file)
// must find; samples/README.md lists the bad rows that explain it.
func checkCatalog(t *testing.T, r *Report) {
	t.Helper()
	if r.Rows != 300 || r.ProblemRows != 0 {
		t.Errorf("rows %d, problem rows %d", r.Rows, r.ProblemRows)
	}
	if len(r.Columns) != 13 {
		t.Fatalf("%d columns", len(r.Columns))
	}
	S, I, D, B, A, T := pipeline.TypeString, pipeline.TypeInteger, pipeline.TypeDecimal,
		pipeline.TypeBool, pipeline.TypeDate, pipeline.TypeTimestamp
	tests := []struct {
		name, ref string
		typ, sugg pipeline.Type
		nulls     int
		outliers  []string
	}{
		{"SKU", "A", S, S, 1, nil},                           // row 17 has none
		{"Name", "B", S, S, 0, nil},                          // row 105 is 162 characters long
		{"Category", "D", S, S, 0, nil},                      //
		{"Price", "E", S, D, 0, []string{"24,99", "$54.00"}}, // rows 9, 241
		{"Cost", "F", D, D, 0, nil},                          // some costs have 4 decimals
		{"Margin", "G", D, D, 2, nil},                        // empty where the price is text
		{"Barcode", "H", S, S, 0, nil},                       // leading zeros; row 149 has a letter
		{"Quantity", "I", S, I, 0, []string{"ten"}},          // row 71
		{"Location", "J", S, S, 0, nil},
		{"Active", "K", S, B, 0, []string{"maybe"}},           // row 203
		{"Launch Date", "L", S, A, 0, []string{"2026-02-30"}}, // row 88
		{"Updated", "M", T, T, 0, nil},
	}
	for _, tt := range tests {
		c := colByName(t, r, tt.name)
		if c.Ref != tt.ref || c.Type != tt.typ || c.Suggested != tt.sugg || c.Nulls != tt.nulls || !slices.Equal(c.Outliers, tt.outliers) {
			t.Errorf("%s: ref %s type %v suggested %v nulls %d outliers %q; want %s %v %v %d %q",
				tt.name, c.Ref, c.Type, c.Suggested, c.Nulls, c.Outliers, tt.ref, tt.typ, tt.sugg, tt.nulls, tt.outliers)
		}
	}
	if c := colByName(t, r, "Name"); c.MaxLen != 162 {
		t.Errorf("Name max length %d, want 162", c.MaxLen)
	}
	if c := colByName(t, r, "Cost"); c.MaxScale != 4 {
		t.Errorf("Cost scale %d, want 4", c.MaxScale)
	}
	if c := colByName(t, r, "Price"); c.MaxScale != 2 || c.OutlierCount != 2 {
		t.Errorf("Price scale %d outliers %d, want 2, 2", c.MaxScale, c.OutlierCount)
	}
	if c := colByName(t, r, "SKU"); c.Distinct != 298 {
		t.Errorf("SKU: %d distinct, want 298 (299 values, one repeated)", c.Distinct)
	}
	if len(r.Sample) != 5 || r.SampleRows[0] != 2 || r.Sample[0][0] != "TEE-TRL-BLK-S" {
		t.Errorf("sample: %d rows, first row %d %q", len(r.Sample), r.SampleRows[0], r.Sample[0])
	}
}

func TestInspectCatalogCSV(t *testing.T) {
	r, err := Inspect(context.Background(), "../samples/catalog.csv", 5)
	if err != nil {
		t.Fatal(err)
	}
	if r.Format != "csv" || r.SourceType != "csv" || r.Sheet != "" {
		t.Errorf("format %q, type %q, sheet %q", r.Format, r.SourceType, r.Sheet)
	}
	checkCatalog(t, r)
	if got := r.Sample[0][12]; got != "2025-12-04T10:35:00" {
		t.Errorf("first Updated = %q", got)
	}
}

func TestInspectCatalogXLSX(t *testing.T) {
	r, err := Inspect(context.Background(), "../samples/catalog.xlsx", 5)
	if err != nil {
		t.Fatal(err)
	}
	if r.Format != "xlsx" || r.Sheet != "Products" {
		t.Errorf("format %q, sheet %q", r.Format, r.Sheet)
	}
	checkCatalog(t, r)
}

func TestInspectContacts(t *testing.T) {
	for file, rows := range map[string]int{"customers.csv": 50, "vendors.csv": 20} {
		r, err := Inspect(context.Background(), "../samples/"+file, 0)
		if err != nil {
			t.Fatal(err)
		}
		if r.Rows != rows || len(r.Sample) != DefaultSampleRows {
			t.Errorf("%s: %d rows, %d sampled", file, r.Rows, len(r.Sample))
		}
		if c := colByName(t, r, "Name"); c.Nulls != 1 {
			t.Errorf("%s: Name has %d empty cells, want 1", file, c.Nulls)
		}
		if c := colByName(t, r, "Postal Code"); c.Type != pipeline.TypeString {
			t.Errorf("%s: Postal Code is %v, want string (leading zeros, Canadian codes)", file, c.Type)
		}
	}
}

func TestWriteText(t *testing.T) {
	r, err := Inspect(context.Background(), "../samples/catalog.csv", 3)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, s := range []string{
		"../samples/catalog.csv: csv, 13 columns, 300 rows",
		"COL  NAME",
		"E    Price        string (decimal(2)?)",
		"M    Updated      timestamp",
		`E Price: decimal numbers but for 2 values: "24,99", "$54.00"`,
		`L Launch Date: dates but for 1 value: "2026-02-30"`,
		"A SKU: nearly unique, but 1 row repeats a value of another row",
		"A SKU: empty in 1 row",
		"First 3 rows:",
		"TEE-TRL-BLK-S",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("text report lacks %q:\n%s", s, out)
		}
	}
	if testing.Verbose() {
		t.Log("\n" + out)
	}
	j, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(j, &back); err != nil {
		t.Fatal(err)
	}
	if back.Rows != r.Rows || len(back.Columns) != 13 || back.Columns[4].Suggested != pipeline.TypeDecimal {
		t.Errorf("JSON round trip lost data: %s", j)
	}
}

// goldenBase names the golden starter job of a sample file:
// catalog.xlsx → catalog-xlsx.
func goldenBase(file string) string { return strings.ReplaceAll(file, ".", "-") }

// TestStarterJobGolden writes starter jobs for the sample files as if to
// jobs/, and compares them with testdata/*.golden (go test -update
// rewrites them).
func TestStarterJobGolden(t *testing.T) {
	for _, file := range []string{"catalog.csv", "catalog.xlsx", "customers.csv", "vendors.csv"} {
		t.Run(file, func(t *testing.T) {
			r, err := Inspect(context.Background(), "../samples/"+file, 0)
			if err != nil {
				t.Fatal(err)
			}
			base := goldenBase(file)
			got, err := StarterJob(r, "../jobs/"+base+".yaml")
			if err != nil {
				t.Fatal(err)
			}
			parseJob(t, got)
			golden := filepath.Join("testdata", base+".yaml.golden")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("starter job differs from %s (go test -update rewrites it):\n%s", golden, got)
			}
			again, _ := StarterJob(r, "../jobs/"+base+".yaml")
			if !bytes.Equal(got, again) {
				t.Error("StarterJob is not deterministic")
			}
		})
	}
}
