package inflowsrc

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/invopop/jsonschema"

	"github.com/etl-dev/etl/inflow"
	"github.com/etl-dev/etl/inflow/sandbox"
	"github.com/etl-dev/etl/internal/apikit"
	"github.com/etl-dev/etl/pipeline"
)

func init() {
	pipeline.RegisterSource(pipeline.SourceType{
		Name:      "inflow",
		Doc:       "inFlow Inventory Cloud API: products with inventory summaries, orders with lines, serials, reference data",
		NewConfig: func() pipeline.SourceConfig { return NewConfig() },
	})
}

// Sandbox modes.
const (
	SandboxAuto   = apikit.SandboxAuto
	SandboxNever  = apikit.SandboxNever
	SandboxAlways = apikit.SandboxAlways
)

// Config is the `source:` section of a job that exports from inFlow. The
// API key and company come only from the environment (INFLOW_API_KEY,
// INFLOW_COMPANY_ID, INFLOW_BASE_URL), never from the job file.
type Config struct {
	Entity      string         `yaml:"entity" jsonschema:"required,description=What to export: an inFlow entity such as products or sales-orders"`
	Table       string         `yaml:"table" jsonschema:"description=Which table of the entity: for orders and movements headers (default) or lines (and pick_lines and the like); for products products (default) or inventory or serials or serial_history or prices or barcodes or vendor_items or reorder_settings"`
	Filters     map[string]any `yaml:"filters" jsonschema:"description=inFlow list filters sent as filter[NAME]=VALUE; a mapping such as {fromDate: 2026-01-01} is sent as JSON"`
	Include     []string       `yaml:"include" jsonschema:"description=Extra relationships to embed (include=) on top of those the table needs; e.g. inventoryLines fills total_quantity_on_hand of products"`
	Locations   []string       `yaml:"locations" jsonschema:"description=Location names for the inventory and serials tables; all locations when empty"`
	Incremental bool           `yaml:"incremental" jsonschema:"description=Products table only: export the products modified since the last successful run (bookmark kept in the run journal)"`
	Sandbox     string         `yaml:"sandbox" jsonschema:"description=auto: use the built-in emulator when INFLOW_API_KEY is unset; never: always the real API; always: always the emulator,enum=auto,enum=never,enum=always,default=auto"`
	// RatePerMinute and RatePerHour are the account's limits when
	// INFLOW_RATE_PER_MINUTE and INFLOW_RATE_PER_HOUR are unset: the
	// account's environment wins (the limit belongs to the account).
	RatePerMinute int `yaml:"rate_per_minute" jsonschema:"description=Requests a minute the account allows (default 60; 6000 for the built-in emulator). INFLOW_RATE_PER_MINUTE overrides it,minimum=0"`
	RatePerHour   int `yaml:"rate_per_hour" jsonschema:"description=A second limit of requests an hour (default none). INFLOW_RATE_PER_HOUR overrides it,minimum=0"`

	// getenv, when set, is where connect reads INFLOW_* (tests that run
	// in parallel against their own emulator); nil is os.Getenv.
	getenv func(string) string
}

// NewConfig returns a Config with its defaults.
func NewConfig() *Config { return &Config{Sandbox: SandboxAuto} }

var _ pipeline.Validator = (*Config)(nil)

// Validate checks every setting that needs no request, before data moves:
// entity and table, sandbox, rates, filters, locations, incremental. The
// location names are checked against the account when the source opens.
func (c *Config) Validate() error {
	var errs pipeline.SettingErrors
	t, err := lookupTable(c.Entity, c.Table)
	if err != nil {
		setting := "entity"
		if _, ok := tables[strings.TrimSpace(c.Entity)]; ok {
			setting = "table"
		}
		errs = append(errs, &pipeline.SettingError{Setting: setting, Message: err.Error()})
	}
	if c.Sandbox != "" {
		errs.Add(pipeline.Enum("sandbox", c.Sandbox, SandboxAuto, SandboxNever, SandboxAlways))
	}
	if c.RatePerMinute < 0 {
		errs = append(errs, &pipeline.SettingError{Setting: "rate_per_minute", Message: fmt.Sprintf("rate_per_minute %d must not be negative", c.RatePerMinute)})
	}
	if c.RatePerHour < 0 {
		errs = append(errs, &pipeline.SettingError{Setting: "rate_per_hour", Message: fmt.Sprintf("rate_per_hour %d must not be negative", c.RatePerHour)})
	}
	if t == nil {
		return errs.Err()
	}
	filter := func(msg string) { errs = append(errs, &pipeline.SettingError{Setting: "filters", Message: msg}) }
	if len(c.Filters) > 0 {
		if t.filters == nil {
			filter(fmt.Sprintf("filters: the %s table takes no filters", t.name))
		}
		for _, name := range slices.Sorted(maps.Keys(c.Filters)) {
			if t.filters != nil && !slices.Contains(t.filters, name) {
				known := "none"
				if len(t.filters) > 0 {
					known = strings.Join(t.filters, ", ")
				}
				filter(fmt.Sprintf("filters: %s takes no filter %q%s; its filters are %s", t.entity, name, hint(name, t.filters), known))
			}
		}
	}
	if t.name == "serials" {
		if _, ok := c.Filters["trackSerials"]; ok {
			filter("filters: the serials table sets trackSerials itself")
		}
	}
	if len(c.Locations) > 0 && !t.locations {
		errs = append(errs, &pipeline.SettingError{Setting: "locations",
			Message: fmt.Sprintf("locations applies to the inventory and serials tables; for %s/%s use a filter such as locationId where the entity has one", t.entity, t.name)})
	}
	if c.Incremental {
		switch {
		case !t.incremental:
			errs = append(errs, &pipeline.SettingError{Setting: "incremental",
				Message: fmt.Sprintf("incremental applies to the products table only: inFlow has a modification-date filter for products alone, so %s/%s is exported in full", t.entity, t.name)})
		case c.Filters["lastModifiedDateTime"] != nil:
			filter("filters: lastModifiedDateTime is set by incremental: leave it out")
		}
	}
	return errs.Err()
}

// Open checks the settings, connects (or starts the emulator) and, for the
// tables that need them, reads the locations. No row is read before the
// first Next.
func (c *Config) Open(ctx context.Context, env pipeline.Env) (pipeline.Source, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	t, err := lookupTable(c.Entity, c.Table)
	if err != nil {
		return nil, err
	}
	s := &source{cfg: c, table: t, env: env}
	if err := s.connect(); err != nil {
		return nil, err
	}
	r := &run{client: s.client, cfg: c, notef: s.notef}
	s.run = r
	if t.locations {
		if err := r.resolveLocations(ctx); err != nil {
			s.Close()
			return nil, err
		}
	}
	if c.Incremental {
		incr, err := loadBookmark(ctx, env, s.notef)
		if err != nil {
			s.Close()
			return nil, err
		}
		r.incr = incr
	}
	return s, nil
}

// connect makes the client: to the real API from the environment, or to
// an in-process emulator seeded with the bundled sample company. The
// credentials, sandbox mode and rate are decided by inflow.Connect (the
// kit's one precedence: the environment beats the job); the limiter is the
// registry's for the account (Env.APIs), shared with every other inflow
// source and sink of the run.
func (s *source) connect() error {
	c := s.cfg
	res, err := inflow.Connect(c.Sandbox, apikit.Limits{PerMinute: c.RatePerMinute, PerHour: c.RatePerHour}, c.getenv)
	if err != nil {
		return err
	}
	for _, n := range res.Notes {
		s.notef("%s", n)
	}
	reg := s.env.APIs.Or()
	cfg := inflow.Config{
		BaseURL: res.BaseURL, CompanyID: res.Account, APIKey: res.Key.Reveal(),
		RatePerMinute: res.Rate.PerMinute, RatePerHour: res.Rate.PerHour,
		Registry: reg, Logger: s.env.Logger,
	}
	if res.Sandbox {
		srv, err := sandbox.Start(sandbox.Options{Clock: reg.Clock()})
		if err != nil {
			return fmt.Errorf("starting the inFlow emulator: %w", err)
		}
		s.srv = srv
		cfg.BaseURL, cfg.CompanyID, cfg.APIKey = srv.URL(), srv.CompanyID(), srv.APIKey()
		msg := fmt.Sprintf("inflow source: %s, so the data comes from the built-in emulator with its sample company, not from an inFlow account (set sandbox: never to forbid this)", res.Why)
		s.env.Log().Warn(msg)
		s.notef("%s", msg)
	}
	client, err := inflow.New(cfg)
	if err != nil {
		if s.srv != nil {
			s.srv.Close()
		}
		return err
	}
	s.client = client
	s.account = inflow.DescribeAccount(res.Sandbox, cfg.BaseURL, cfg.CompanyID)
	return nil
}

// JSONSchemaExtend lists the entities in the job-file schema, for editors.
func (Config) JSONSchemaExtend(s *jsonschema.Schema) {
	if p, ok := s.Properties.Get("entity"); ok {
		for _, e := range Entities() {
			p.Enum = append(p.Enum, e)
		}
	}
}
