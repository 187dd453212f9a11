package jobfile

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/etl-dev/etl/pipeline"
)

// checked is a sink config with nested settings and its own Validate.
type checked struct {
	Mode  string `yaml:"mode"`
	Stock struct {
		Mode string `yaml:"mode"`
	} `yaml:"stock"`
	Whole bool `yaml:"whole"`
}

func (c *checked) Validate() error {
	if c.Whole {
		return errors.New("this section is wrong as a whole")
	}
	var errs pipeline.SettingErrors
	errs.Add(pipeline.Enum("mode", c.Mode, "create", "update", "upsert"))
	errs.Add(pipeline.Enum("stock.mode", c.Stock.Mode, "off", "set", "add"))
	return errs.Err()
}

func (c *checked) Open(context.Context, pipeline.Env, pipeline.Schema) (pipeline.Sink, error) {
	return nil, errors.New("not for opening")
}

func init() {
	pipeline.RegisterSink(pipeline.SinkType{Name: "checked-test", Doc: "test", NewConfig: func() pipeline.SinkConfig {
		c := &checked{Mode: "upsert"}
		c.Stock.Mode = "off"
		return c
	}})
}

func TestSettingsAreValidatedAtTheirPosition(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, sink string
		want       []string
	}{
		{"enum", "sink:\n  type: checked-test\n  mode: upsrt\n",
			[]string{`t.yaml:3:9: sink (checked-test): mode "upsrt" is not one of create, update, upsert (did you mean "upsert"?)`}},
		{"nested, and every one", "sink:\n  type: checked-test\n  mode: creat\n  stock:\n    mode: sett\n",
			[]string{`t.yaml:3:9: sink (checked-test): mode "creat"`, `(did you mean "create"?)`,
				`t.yaml:5:11: sink (checked-test): stock.mode "sett" is not one of off, set, add (did you mean "set"?)`}},
		{"flow style", "sink: {type: checked-test, mode: upsrt}\n",
			[]string{`t.yaml:1:34: sink (checked-test): mode "upsrt"`}},
		{"not one setting", "sink: {type: checked-test, whole: true}\n",
			[]string{`t.yaml:1:14: sink (checked-test): this section is wrong as a whole`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			job := tc.sink + "source: {type: csv, path: a.csv}\nmapping: {a: A}\n"
			_, err := Parse("t.yaml", []byte(job), env(nil))
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("error %v, want Errors", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\ndoes not contain\n%s", err, w)
				}
			}
		})
	}
}

func TestValidSettingsPass(t *testing.T) {
	t.Parallel()
	job := "source: {type: csv, path: a.csv}\nmapping: {a: A}\nsink: {type: checked-test, mode: create, stock: {mode: add}}\n"
	if _, err := Parse("t.yaml", []byte(job), env(nil)); err != nil {
		t.Fatal(err)
	}
}

// TestDiagnoseReportsEveryIndependentMistake: a mistake in the sink or the
// options does not hide the mapping's column and expression mistakes; one
// in the source does, as they depend on it.
func TestDiagnoseReportsEveryIndependentMistake(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "in.csv"), []byte("SKU,Price\nA-1,1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mapping := "mapping:\n  sku: SKUU\n  m: {expr: \"price * 2\", type: decimal}\n"
	for _, tc := range []struct {
		name, job string
		want      []string
		not       []string
	}{
		{"sink and options mistakes", "source: {type: csv, path: in.csv}\n" + mapping +
			"sink: {type: csv, path: o.csv, delimiter: ab}\noptions: {on_error: skp}\n",
			[]string{`:3:8: mapping.sku.from: no column "SKUU"`, `:4:13: mapping.m.expr: bad expression: unknown name price`,
				`:5:43: sink (csv): delimiter "ab"`, `:6:21: options.on_error`}, nil},
		{"unknown sink key", "source: {type: csv, path: in.csv}\n" + mapping + "sink: {type: csv, paht: o.csv, delimiter: ab}\n",
			[]string{`no column "SKUU"`, `unknown key "paht" in sink (csv)`, `:5:43: sink (csv): delimiter "ab"`}, []string{"path is not set"}},
		{"unknown source key", "source: {type: csv, path: in.csv, delimter: x, encoding: latin9}\n" + mapping + "sink: {type: csv, path: o.csv}\n",
			[]string{`unknown key "delimter" in source (csv)`, `:1:58: source (csv): `}, []string{"SKUU"}},
		{"broken source", "source: {type: csv, paht: in.csv}\n" + mapping + "sink: {type: csv, path: o.csv}\n",
			[]string{`unknown key "paht" in source (csv)`}, []string{"SKUU"}},
		{"missing input file", "source: {type: csv, path: nope.csv}\n" + mapping + "sink: {type: csv, path: o.csv, delimiter: ab}\n",
			[]string{`:1:9: source: `, `nope.csv`, `delimiter "ab"`}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".yaml")
			if err := os.WriteFile(path, []byte(tc.job), 0o644); err != nil {
				t.Fatal(err)
			}
			job, err := Load(path, env(nil))
			if err == nil {
				t.Fatal("Load found no mistake")
			}
			err = Diagnose(t.Context(), job, err)
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("Diagnose: %v, want Errors", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("errors\n%v\ndo not contain %s", err, w)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(err.Error(), n) {
					t.Errorf("errors\n%v\ncontain %s, which depends on another mistake", err, n)
				}
			}
			for i := 1; i < len(errs); i++ {
				if errs[i].before(errs[i-1]) {
					t.Errorf("errors out of order: %v before %v", errs[i-1], errs[i])
				}
			}
		})
	}
}
