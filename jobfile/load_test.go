package jobfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/etl-dev/etl/sinks"
	_ "github.com/etl-dev/etl/sources"
)

const goodJob = `name: t
source:
  type: csv
  path: in.csv
mapping:
  sku: SKU
  price: {from: Price, type: decimal, scale: 2}
validate:
  - field: sku
    required: true
sink:
  type: parquet
  path: ${OUT_DIR:-out}/t.parquet
options:
  batch_size: ${BATCH:-10}
  concurrency: 2
`

func TestParseGoodJob(t *testing.T) {
	t.Parallel()
	job, err := Parse("jobs/t.yaml", []byte(goodJob), env(map[string]string{"BATCH": "7"}))
	if err != nil {
		t.Fatal(err)
	}
	if job.SourceType != "csv" || job.SinkType != "parquet" || job.Name != "t" {
		t.Fatalf("job = %+v", job)
	}
	if job.Options.BatchSize != 7 || job.Options.Concurrency != 2 || job.Options.OnError != "skip" {
		t.Fatalf("options = %+v", job.Options)
	}
	if len(job.Mapping.Fields) != 2 || job.Mapping.Fields[0].Name != "sku" || job.Mapping.Fields[0].From != "SKU" ||
		job.Mapping.Fields[1].Name != "price" || job.Mapping.Fields[1].From != "Price" {
		t.Fatalf("fields = %+v", job.Mapping.Fields)
	}
	if len(job.Mapping.Rules) != 1 {
		t.Fatalf("rules = %+v", job.Mapping.Rules)
	}
	abs, _ := filepath.Abs("jobs")
	if job.Env.BaseDir != abs {
		t.Fatalf("base dir %q, want %q", job.Env.BaseDir, abs)
	}
}

func TestParseReportsEveryMistakeWithPosition(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, yaml string
		want       []string
	}{
		{"unknown top-level key", "sourc:\n  type: csv\n  path: a.csv\nmapping: {a: A}\nsink: {type: jsonl, path: o.jsonl}\n",
			[]string{`t.yaml:1:1: unknown key "sourc" in job (did you mean "source"?)`, `t.yaml: the job has no source section`}},
		{"unknown setting", "source:\n  type: csv\n  paht: a.csv\nmapping: {a: A}\nsink: {type: jsonl, path: o.jsonl}\n",
			[]string{`t.yaml:3:3: unknown key "paht" in source (csv) (did you mean "path"?)`}},
		{"unknown type", "source:\n  type: cvs\n  path: a.csv\nmapping: {a: A}\nsink: {type: jsonl, path: o.jsonl}\n",
			[]string{`t.yaml:2:9: unknown source type "cvs" (did you mean "csv"?)`}},
		{"wrong type", "source: {type: csv, path: a.csv}\nmapping: {a: A}\nsink: {type: jsonl, path: o.jsonl}\noptions:\n  batch_size: lots\n",
			[]string{`t.yaml:5:15: options: "lots" is not a whole number`}},
		{"unset variable", "source: {type: csv, path: \"${NOPE}\"}\nmapping: {a: A}\nsink: {type: jsonl, path: o.jsonl}\n",
			[]string{`t.yaml:1:27: environment variable NOPE is not set: set it, or write ${NOPE:-default}`}},
		{"bad on_error", "source: {type: csv, path: a.csv}\nmapping: {a: A}\nsink: {type: jsonl, path: o.jsonl}\noptions: {on_error: skp}\n",
			[]string{`options.on_error must be skip or abort, not "skp" (did you mean "skip"?)`}},
		{"unknown field setting", "source: {type: csv, path: a.csv}\nmapping:\n  a: {from: A, tyep: integer}\nsink: {type: jsonl, path: o.jsonl}\n",
			[]string{`t.yaml:3:16: unknown key "tyep" in mapping.a (did you mean "type"?)`}},
		{"syntax", "source: {type: csv\n", []string{"t.yaml:1:"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(tc.yaml), env(nil))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\ndoes not contain\n%s", err, w)
				}
			}
		})
	}
}

func TestPrepareReportsMappingMistakesAtTheirPosition(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "in.csv"), []byte("SKU,Product Name,Price\nA-1,Tee,12.50\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	job := "source: {type: csv, path: in.csv}\nmapping:\n  sku: SKU\n  name: Name\n  price: {from: Prise, type: decimal}\nvalidate:\n  - field: skuu\n    required: true\nsink: {type: jsonl, path: o.jsonl}\n"
	path := filepath.Join(dir, "job.yaml")
	j, err := Parse(path, []byte(job), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	_, err = j.Prepare(t.Context())
	if err == nil {
		t.Fatal("no error")
	}
	for _, w := range []string{
		path + `:4:9: mapping.name.from: `, `"Product Name"`,
		path + `:5:17: mapping.price.from: `, `"Price"`,
		path + `:7:12: validate[0].field: `, `"sku"`,
	} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error\n%v\ndoes not contain %s", err, w)
		}
	}
}

func TestSchemaListsComponentsAndSettings(t *testing.T) {
	t.Parallel()
	b, err := Schema()
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, w := range []string{`"const": "csv"`, `"const": "parquet"`, `"delimiter"`, `"batch_size"`, `"on_error"`, `"scale"`, `"max_length"`} {
		if !strings.Contains(s, w) {
			t.Errorf("schema lacks %s", w)
		}
	}
}
