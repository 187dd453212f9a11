package jobfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestJobFileShape: a job file over 1 MiB or nested more than 100 levels
// is refused before it is parsed, with a clear error (a 200 KB file of
// nested [ took 14.7 GB to parse).
func TestJobFileShape(t *testing.T) {
	t.Parallel()
	ok := "name: x\nsource: {type: csv, path: a.csv}\nmapping:\n  sku: {from: SKU, type: string}\nskip_if: 'src[\"A\"] == \"[\"'\nvalidate:\n  - field: sku\n    required: true\nsink: {type: csv, path: b.csv}\n"
	deepFlow := "name: x\nsource: " + strings.Repeat("[", 100_000) + "\n"
	var deepBlock strings.Builder
	deepBlock.WriteString("name: x\nsource:\n")
	for i := 1; i <= 120; i++ {
		deepBlock.WriteString(strings.Repeat(" ", i) + "k:\n")
	}
	big := ok + "description: |\n" + strings.Repeat("  "+strings.Repeat("x", 78)+"\n", 14000)
	for _, tt := range []struct {
		name, data, want string
	}{
		{"flow", deepFlow, "job.yaml:2:108: the job file is nested more than 100 levels deep here"},
		{"block", deepBlock.String(), "job.yaml:102:101: the job file is nested more than 100 levels deep here"},
		{"size", big, "the job file is larger than 1024 KiB, the most a job file may be"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("job.yaml", []byte(tt.data), func(string) (string, bool) { return "", false })
			var errs Errors
			if !errors.As(err, &errs) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
	if err := checkShape("job.yaml", []byte(ok)); err != nil {
		t.Errorf("a small job: %v", err)
	}
	// Load reads no more than the cap.
	path := filepath.Join(t.TempDir(), "job.yaml")
	if err := os.WriteFile(path, []byte(big+big), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path, nil); err == nil || !strings.Contains(err.Error(), "larger than 1024 KiB") {
		t.Errorf("Load: %v", err)
	}
}

// TestReplaceOrderAndSourceNumbers: replace applies in the order written,
// and a source's locale reaches the numeric fields.
func TestReplaceOrderAndSourceNumbers(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	csv := "Artikel;Preis;Menge;Datum\nA-1;1.299,50;1.000;31.12.2025\nA-2;24,99;3;01.02.2026\nA-3;12.99;1;01.02.2026\n"
	if err := os.WriteFile(filepath.Join(dir, "export.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	job := `name: de
source: {type: csv, path: export.csv, locale: de-DE}
mapping:
  sku: Artikel
  price: {from: Preis, type: decimal}
  qty: {from: Menge, type: integer}
  day: {from: Datum, type: date, formats: ["02.01.2006"]}
  price_text: {from: Preis, replace: {".": "", ",": "."}}
sink: {type: csv, path: out.csv}
`
	path := filepath.Join(dir, "de.yaml")
	if err := os.WriteFile(path, []byte(job), 0o644); err != nil {
		t.Fatal(err)
	}
	j, err := Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r := j.Mapping.Fields[4].Replace; len(r) != 2 || r[0].Old != "." || r[1].Old != "," {
		t.Fatalf("replace %+v", r)
	}
	p, err := j.Prepare(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Source.Close()
	var got []string
	for {
		rec, err := p.Source.Next(t.Context())
		if err != nil {
			break
		}
		row, probs, _ := p.Mapping.Map(rec)
		if len(probs) > 0 {
			got = append(got, probs[0].Cell+": "+probs[0].Message)
			continue
		}
		got = append(got, fmtValues(row.Values))
	}
	want := []string{
		"A-1 1299.5 1000 2025-12-31 1299.50",
		"A-2 24.99 3 2026-02-01 24.99",
		`B4: "12.99" is not a decimal written as 1.234.567,89 (decimal_separator ",", thousands_separator "."): a thousands separator must be followed by exactly three digits`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func fmtValues(vs []any) string {
	var b strings.Builder
	for i, v := range vs {
		if i > 0 {
			b.WriteByte(' ')
		}
		switch v := v.(type) {
		case interface{ Format(string) string }:
			b.WriteString(v.Format("2006-01-02"))
		case interface{ String() string }:
			b.WriteString(v.String())
		default:
			b.WriteString(strings.TrimSpace(strings.ReplaceAll(fmt.Sprint(v), "\n", " ")))
		}
	}
	return b.String()
}
