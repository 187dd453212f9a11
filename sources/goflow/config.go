// Package goflowsrc is the `type: goflow` source: exports of Goflow
// orders (headers, lines, line charges; incremental by
// status_updated_at), purchase orders, receipts, adjustments, transfers
// (headers and lines), products, warehouses, vendors, stores, listings,
// and the inventory snapshot from the inventory counts report. See
// docs/goflow.md.
package goflowsrc

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/invopop/jsonschema"

	"github.com/etl-dev/etl/goflow"
	"github.com/etl-dev/etl/goflow/connect"
	"github.com/etl-dev/etl/pipeline"
)

func init() {
	pipeline.RegisterSource(pipeline.SourceType{
		Name:      "goflow",
		Doc:       "Goflow API: orders with lines and line charges (incremental), purchase orders, receipts, adjustments, transfers, products, inventory snapshots, reference data",
		NewConfig: func() pipeline.SourceConfig { return NewConfig() },
	})
}

// Duration is a setting such as "5m" or "90s".
type Duration struct{ time.Duration }

// UnmarshalText reads a Go duration.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(strings.TrimSpace(string(b)))
	if err != nil {
		return fmt.Errorf("%q is not a duration such as 5m or 90s", b)
	}
	d.Duration = v
	return nil
}

// JSONSchema describes a Duration as a string.
func (Duration) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Pattern: `^[0-9.]+(ns|us|µs|ms|s|m|h)([0-9.]+(ns|us|µs|ms|s|m|h))*$`}
}

// DefaultOverlap is how far before the bookmark an incremental export
// starts again.
const DefaultOverlap = 5 * time.Minute

// Config is the `source:` section of a job that exports from Goflow. The
// token, subdomain and beta contact come only from the environment
// (GOFLOW_API_TOKEN, GOFLOW_SUBDOMAIN, GOFLOW_BETA_CONTACT, optional
// GOFLOW_BASE_URL and GOFLOW_RATE_MULTIPLIER).
type Config struct {
	Entity  string         `yaml:"entity" jsonschema:"required,description=What to export: orders\\, purchase-orders\\, receipts\\, adjustments\\, transfers\\, products\\, inventory\\, warehouses\\, vendors\\, stores or listings"`
	Table   string         `yaml:"table" jsonschema:"description=Which table: headers (default) or lines for documents; line_charges or boxes for orders"`
	Filters map[string]any `yaml:"filters" jsonschema:"description=Goflow list filters in its own syntax: {status: shipped\\, \"date:gte\": \"2025-01-01T00:00:00Z\"}; a list of values ORs them. Checked against the endpoint's fields and operators before any request"`
	// HeaderColumns appends the document's columns to a line table.
	HeaderColumns bool      `yaml:"header_columns" jsonschema:"description=Line tables: also give each line its document's columns (those of the headers table\\, named header_date\\, header_status\\, header_store_name\\, ...) from the same listing\\, for sinks that want a document's fields on every line. The table's own columns stay as they are"`
	Incremental   bool      `yaml:"incremental" jsonschema:"description=Orders only: export the orders whose status changed since the last successful run (bookmark on status_updated_at\\, kept in the run journal)"`
	Overlap       *Duration `yaml:"overlap" jsonschema:"description=Incremental: how far before the bookmark to start again (default 5m)"`
	Warehouses    []string  `yaml:"warehouses" jsonschema:"description=Inventory: warehouse names to report on (default all)"`
	// Limit caps the report's records (Goflow's limit field, for trials
	// that spare the daily quota).
	Limit         int       `yaml:"limit" jsonschema:"description=Inventory: the most records the report generates (1 to 1000000; default all) to spare the daily quota,minimum=0,maximum=1000000"`
	ReportTimeout *Duration `yaml:"report_timeout" jsonschema:"description=Inventory: fail when the report is still queued after this long (default 30m; the daily quota may not replenish until tomorrow)"`
	Sandbox       string    `yaml:"sandbox" jsonschema:"description=auto: use the built-in emulator when GOFLOW_API_TOKEN is unset; never: always the real API; always: always the emulator,enum=auto,enum=never,enum=always,default=auto"`

	// getenv reads the account's environment (os.Getenv when nil); tests
	// set it to run in parallel.
	getenv func(string) string
}

// NewConfig returns a Config with its defaults.
func NewConfig() *Config { return &Config{Sandbox: "auto"} }

var _ pipeline.Validator = (*Config)(nil)

// Validate checks every setting before data moves: entity and table,
// filters against the endpoint's fields and operators, incremental.
func (c *Config) Validate() error {
	var errs pipeline.SettingErrors
	t, err := lookupTable(c.Entity, c.Table)
	if err != nil {
		setting := "entity"
		if _, ok := tables[strings.TrimSpace(c.Entity)]; ok {
			setting = "table"
		}
		errs = append(errs, &pipeline.SettingError{Setting: setting, Message: err.Error()})
		return errs.Err()
	}
	if c.HeaderColumns && t.withHeader == nil {
		errs = append(errs, &pipeline.SettingError{Setting: "header_columns", Message: fmt.Sprintf("header_columns applies to line tables (%s/%s has no document to join): leave it out or choose table: lines", t.entity, t.name)})
	}
	if e := pipeline.Enum("sandbox", c.Sandbox, "auto", "never", "always"); e != nil && c.Sandbox != "" {
		errs = append(errs, e)
	}
	filters, ferrs := c.filters()
	for _, fe := range ferrs {
		errs = append(errs, &pipeline.SettingError{Setting: "filters", Message: fe})
	}
	if len(c.Filters) > 0 && t.entity == "inventory" {
		errs = append(errs, &pipeline.SettingError{Setting: "filters", Message: "the inventory snapshot takes no list filters: name warehouses with warehouses:"})
	} else if err := t.ep.CheckFilters(filters); err != nil {
		errs = append(errs, &pipeline.SettingError{Setting: "filters", Message: err.Error()})
	}
	if c.Incremental {
		switch {
		case !t.incremental:
			errs = append(errs, &pipeline.SettingError{Setting: "incremental", Message: fmt.Sprintf("incremental applies to orders only (Goflow has no change time for %s): export it in full", t.entity)})
		default:
			for k := range filters {
				if strings.HasPrefix(k, "status_updated_at") {
					errs = append(errs, &pipeline.SettingError{Setting: "filters", Message: fmt.Sprintf("filter %q: incremental sets status_updated_at itself; leave it out", k)})
				}
			}
		}
	}
	if c.Overlap != nil && (c.Overlap.Duration < 0 || !c.Incremental) {
		errs = append(errs, &pipeline.SettingError{Setting: "overlap", Message: "overlap applies to incremental exports and must not be negative"})
	}
	if t.entity != "inventory" && (len(c.Warehouses) > 0 || c.Limit != 0 || c.ReportTimeout != nil) {
		errs = append(errs, &pipeline.SettingError{Setting: "warehouses", Message: "warehouses, limit and report_timeout apply to the inventory snapshot only"})
	}
	if c.Limit < 0 || c.Limit > 1_000_000 {
		errs = append(errs, &pipeline.SettingError{Setting: "limit", Message: fmt.Sprintf("limit %d is not between 1 and 1000000", c.Limit)})
	}
	return errs.Err()
}

// filters converts the filters setting to Goflow's: each value as text
// (times in UTC RFC 3339), a list as several values.
func (c *Config) filters() (goflow.Filters, []string) {
	out := goflow.Filters{}
	var errs []string
	for _, k := range slices.Sorted(maps.Keys(c.Filters)) {
		v := c.Filters[k]
		list, ok := v.([]any)
		if !ok {
			list = []any{v}
		}
		for _, x := range list {
			s, err := filterText(x)
			if err != nil {
				errs = append(errs, fmt.Sprintf("filter %q: %v", k, err))
				continue
			}
			out[k] = append(out[k], s)
		}
	}
	return out, errs
}

func filterText(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", fmt.Errorf("has no value")
	case string:
		return strings.TrimSpace(x), nil
	case time.Time:
		return goflow.FormatTime(x), nil
	case bool:
		return fmt.Sprint(x), nil
	case int, int64, uint64, float64:
		return fmt.Sprint(x), nil
	case map[string]any:
		return "", fmt.Errorf("takes a value or a list of values, not a mapping (put the operator in the key: \"date:gte\")")
	}
	return fmt.Sprint(v), nil
}

// Open checks the settings and connects (or starts the emulator). No
// request is sent before the first Next.
func (c *Config) Open(ctx context.Context, env pipeline.Env) (pipeline.Source, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	t, _ := lookupTable(c.Entity, c.Table)
	if c.HeaderColumns {
		t = t.withHeader
	}
	filters, _ := c.filters()
	conn, err := connect.Open(connect.Options{Mode: c.Sandbox, Env: env, Getenv: c.getenv})
	if err != nil {
		return nil, err
	}
	s := &source{cfg: c, table: t, env: env, conn: conn}
	s.run = &run{client: conn.Client, cfg: c, filters: filters, notef: s.notef}
	for _, n := range conn.Notes {
		s.notef("%s", n)
	}
	if c.Incremental {
		if err := s.run.loadBookmark(ctx, env); err != nil {
			conn.Close()
			return nil, err
		}
	}
	return s, nil
}

// JSONSchemaExtend lists the entities in the job-file schema.
func (Config) JSONSchemaExtend(s *jsonschema.Schema) {
	if p, ok := s.Properties.Get("entity"); ok {
		for _, e := range Entities() {
			p.Enum = append(p.Enum, e)
		}
	}
}
