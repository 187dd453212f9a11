package inflowsrc

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/invopop/jsonschema"

	"github.com/etl-dev/etl/inflow"
	"github.com/etl-dev/etl/inflow/sandbox"
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
	SandboxAuto   = "auto"
	SandboxNever  = "never"
	SandboxAlways = "always"
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
	// RatePerMinute and RatePerHour override INFLOW_RATE_PER_MINUTE and
	// INFLOW_RATE_PER_HOUR.
	RatePerMinute int `yaml:"rate_per_minute" jsonschema:"description=Requests a minute (default INFLOW_RATE_PER_MINUTE or 60),minimum=0"`
	RatePerHour   int `yaml:"rate_per_hour" jsonschema:"description=Optional second limit in requests an hour (default INFLOW_RATE_PER_HOUR or off),minimum=0"`
}

// NewConfig returns a Config with its defaults.
func NewConfig() *Config { return &Config{Sandbox: SandboxAuto} }

// Describe names what the source reads, for reports: "products/inventory".
func (c *Config) Describe() string {
	t, err := lookupTable(c.Entity, c.Table)
	if err != nil {
		return c.Entity
	}
	return t.entity + "/" + t.name
}

// check validates the settings against the table.
func (c *Config) check() (*table, error) {
	t, err := lookupTable(c.Entity, c.Table)
	if err != nil {
		return nil, err
	}
	var errs []error
	switch c.Sandbox {
	case "", SandboxAuto, SandboxNever, SandboxAlways:
	default:
		errs = append(errs, fmt.Errorf("sandbox %q is not known: use auto, never or always", c.Sandbox))
	}
	if c.RatePerMinute < 0 || c.RatePerHour < 0 {
		errs = append(errs, errors.New("rate_per_minute and rate_per_hour must not be negative"))
	}
	if len(c.Filters) > 0 {
		if t.filters == nil {
			errs = append(errs, fmt.Errorf("filters: the %s table takes no filters", t.name))
		}
		for _, name := range slices.Sorted(maps.Keys(c.Filters)) {
			if t.filters != nil && !slices.Contains(t.filters, name) {
				known := "none"
				if len(t.filters) > 0 {
					known = strings.Join(t.filters, ", ")
				}
				errs = append(errs, fmt.Errorf("filters: %s takes no filter %q%s; its filters are %s", t.entity, name, hint(name, t.filters), known))
			}
		}
	}
	if t.name == "serials" {
		if _, ok := c.Filters["trackSerials"]; ok {
			errs = append(errs, errors.New("filters: the serials table sets trackSerials itself"))
		}
	}
	if len(c.Locations) > 0 && !t.locations {
		errs = append(errs, fmt.Errorf("locations applies to the inventory and serials tables; for %s/%s use a filter such as locationId where the entity has one", t.entity, t.name))
	}
	if c.Incremental {
		switch {
		case !t.incremental:
			errs = append(errs, fmt.Errorf("incremental applies to the products table only: inFlow has a modification-date filter for products alone, so %s/%s is exported in full", t.entity, t.name))
		case c.Filters["lastModifiedDateTime"] != nil:
			errs = append(errs, errors.New("filters: lastModifiedDateTime is set by incremental: leave it out"))
		}
	}
	return t, errors.Join(errs...)
}

// Open checks the settings, connects (or starts the emulator) and, for the
// tables that need them, reads the locations. No row is read before the
// first Next.
func (c *Config) Open(ctx context.Context, env pipeline.Env) (pipeline.Source, error) {
	t, err := c.check()
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
// an in-process emulator seeded with the bundled sample company.
func (s *source) connect() error {
	c := s.cfg
	mode := c.Sandbox
	if mode == "" {
		mode = SandboxAuto
	}
	cfg, err := inflow.ConfigFromEnv()
	if err != nil {
		return err
	}
	useSandbox := mode == SandboxAlways || (mode == SandboxAuto && cfg.APIKey == "")
	if c.RatePerMinute > 0 {
		cfg.RatePerMinute = c.RatePerMinute
	}
	if c.RatePerHour > 0 {
		cfg.RatePerHour = c.RatePerHour
	}
	cfg.Logger = s.env.Logger
	if useSandbox {
		srv, err := sandbox.Start(sandbox.Options{})
		if err != nil {
			return fmt.Errorf("starting the inFlow emulator: %w", err)
		}
		s.srv = srv
		cfg.BaseURL, cfg.CompanyID, cfg.APIKey = srv.URL(), srv.CompanyID(), srv.APIKey()
		why := "sandbox: always"
		if mode == SandboxAuto {
			why = inflow.EnvAPIKey + " is not set"
		}
		msg := fmt.Sprintf("inflow source: %s, so the data comes from the built-in emulator with its sample company, not from an inFlow account (set sandbox: never to forbid this)", why)
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
