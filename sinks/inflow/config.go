package inflowsink

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/etl-dev/etl/pipeline"
)

func init() {
	pipeline.RegisterSink(pipeline.SinkType{
		Name:      "inflow",
		Doc:       "Upsert products, customers or vendors into inFlow Inventory (or its embedded emulator), with opening stock.",
		NewConfig: func() pipeline.SinkConfig { return NewConfig() },
	})
}

// Config is the `sink:` section of a job that writes to inFlow. The API key
// and company come from the environment (INFLOW_API_KEY,
// INFLOW_COMPANY_ID, optional INFLOW_BASE_URL), never from the job file.
type Config struct {
	Entity string   `yaml:"entity" jsonschema:"description=What the rows are,enum=products,enum=customers,enum=vendors"`
	Mode   string   `yaml:"mode" jsonschema:"description=upsert (default): update matches and create the rest; insert: create only (existing records are skipped); update: update only (rows without a match are rejected),enum=upsert,enum=insert,enum=update"`
	Match  []string `yaml:"match" jsonschema:"description=Keys that find the existing record\\, tried in order: products sku\\, name\\, barcode (default [sku\\, name]); customers and vendors name (default); or custom:customN"`
	// Prices maps extra price fields of the mapping to pricing scheme names.
	Prices map[string]string `yaml:"prices" jsonschema:"description=Price fields of the mapping and the pricing scheme each sets\\, e.g. {wholesale: Wholesale Price}; price_<scheme> fields need no entry"`
	// Ignore lists mapped fields the sink leaves alone (used only by
	// validation rules, say).
	Ignore      []string `yaml:"ignore" jsonschema:"description=Mapped fields the sink does not write (e.g. fields only validation uses)"`
	Concurrency int      `yaml:"concurrency" jsonschema:"description=Writes in flight at once (default 4); all share the account's rate limit,minimum=1,maximum=64"`
	// RatePerMinute is the account's limit; INFLOW_RATE_PER_MINUTE wins.
	RatePerMinute int `yaml:"rate_per_minute" jsonschema:"description=Requests a minute the account allows (default 60; 6000 for the embedded emulator). INFLOW_RATE_PER_MINUTE overrides it,minimum=1"`
	RatePerHour   int `yaml:"rate_per_hour" jsonschema:"description=A second limit of requests an hour (default none). INFLOW_RATE_PER_HOUR overrides it,minimum=0"`
	// Reads chooses how existing records are found.
	Reads                  string      `yaml:"reads" jsonschema:"description=How existing records are found: auto (default: whichever costs fewer requests)\\, index (list them all\\, 100 a request) or lookup (query the input's keys),enum=auto,enum=index,enum=lookup"`
	AllowNegativeInventory bool        `yaml:"allow_negative_inventory" jsonschema:"description=Let stock adjustments take a location below zero (X-OverrideAllowNegativeInventory)"`
	Stock                  StockConfig `yaml:"stock" jsonschema:"description=Opening stock from the quantity (and serials) fields"`
	Sandbox                string      `yaml:"sandbox" jsonschema:"description=auto (default): use the embedded emulator when INFLOW_API_KEY is not set; never: require an account; always: always the emulator,enum=auto,enum=never,enum=always"`

	matchDefaulted bool // Match was not given: use the default keys the mapping has
}

// StockConfig configures opening stock.
type StockConfig struct {
	Mode               string `yaml:"mode" jsonschema:"description=set (default): adjust each location to the sheet's quantity; add: add the quantity to what is on hand; off: ignore quantities,enum=set,enum=add,enum=off"`
	Location           string `yaml:"location" jsonschema:"description=Location for rows without a location field (default: the company's default location)"`
	AdjustmentReason   string `yaml:"adjustment_reason" jsonschema:"description=Adjustment reason name for the stock adjustments (default: none)"`
	Remarks            string `yaml:"remarks" jsonschema:"description=Remarks on the stock adjustments (default: etl job <name>)"`
	LinesPerAdjustment int    `yaml:"lines_per_adjustment" jsonschema:"description=Most lines in one stock adjustment (default 250),minimum=1,maximum=5000"`
}

// NewConfig returns a Config with its defaults.
func NewConfig() *Config { return &Config{} }

// Defaults.
const (
	DefaultConcurrency        = 4
	DefaultRatePerMinute      = 60
	DefaultSandboxRate        = 6000
	DefaultLinesPerAdjustment = 250
)

// Describe names the destination for reports.
func (c *Config) Describe() string {
	where := "account " + strings.TrimSpace(os.Getenv("INFLOW_COMPANY_ID"))
	if c.useSandbox() {
		where = "embedded emulator"
	}
	return fmt.Sprintf("%s (%s, %s)", c.Entity, c.Mode, where)
}

func (c *Config) useSandbox() bool {
	switch c.Sandbox {
	case "always":
		return true
	case "never":
		return false
	}
	return strings.TrimSpace(os.Getenv("INFLOW_API_KEY")) == ""
}

// check validates the settings and fills the defaults.
func (c *Config) check() (*entityKind, error) {
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	e := entities[c.Entity]
	if e == nil {
		bad("entity must be products, customers or vendors, not %q", c.Entity)
	}
	oneOf := func(name string, v *string, def string, allowed ...string) {
		if *v == "" {
			*v = def
		}
		for _, a := range allowed {
			if *v == a {
				return
			}
		}
		bad("%s must be one of %s, not %q", name, strings.Join(allowed, ", "), *v)
	}
	oneOf("mode", &c.Mode, "upsert", "upsert", "insert", "update")
	oneOf("reads", &c.Reads, "auto", "auto", "index", "lookup")
	oneOf("sandbox", &c.Sandbox, "auto", "auto", "never", "always")
	oneOf("stock.mode", &c.Stock.Mode, "set", "set", "add", "off")
	if c.Concurrency == 0 {
		c.Concurrency = DefaultConcurrency
	}
	if c.Concurrency < 1 || c.Concurrency > 64 {
		bad("concurrency must be between 1 and 64, not %d", c.Concurrency)
	}
	if c.RatePerMinute < 0 || c.RatePerHour < 0 {
		bad("rate_per_minute and rate_per_hour must not be negative")
	}
	if c.Stock.LinesPerAdjustment == 0 {
		c.Stock.LinesPerAdjustment = DefaultLinesPerAdjustment
	}
	if c.Stock.LinesPerAdjustment < 1 || c.Stock.LinesPerAdjustment > 5000 {
		bad("stock.lines_per_adjustment must be between 1 and 5000")
	}
	if e != nil {
		if len(c.Match) == 0 {
			c.Match = append([]string(nil), e.defaultMatch...)
			c.matchDefaulted = true
		}
		seen := map[string]bool{}
		for _, m := range c.Match {
			if seen[m] {
				bad("match lists %q twice", m)
			}
			seen[m] = true
			if name, ok := strings.CutPrefix(m, "custom:"); ok {
				if f := e.fields[name]; f == nil || f.apply != aCustom {
					bad("match %q: custom keys are custom:custom1 … custom:custom10", m)
				}
				continue
			}
			if !contains(e.matchKeys, m) {
				hint := ""
				if cl := closest(m, e.matchKeys, 1); len(cl) > 0 {
					hint = fmt.Sprintf(" (did you mean %q?)", cl[0])
				}
				bad("match %q: %s are matched by %s or custom:customN%s", m, e.name, strings.Join(e.matchKeys, ", "), hint)
			}
		}
		if len(c.Prices) > 0 && e != products {
			bad("prices applies to products only")
		}
	}
	if len(errs) > 0 {
		return nil, errors.New(strings.Join(errs, "; "))
	}
	return e, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// matchField is the mapping field a match key reads.
func matchField(key string) string {
	if name, ok := strings.CutPrefix(key, "custom:"); ok {
		return name
	}
	return key
}

var _ pipeline.DryRunner = (*Config)(nil)

// Open connects to inFlow (or starts the embedded emulator), checks the
// mapped fields against the entity and reads the reference data they need.
func (c *Config) Open(ctx context.Context, env pipeline.Env, schema pipeline.Schema) (pipeline.Sink, error) {
	return open(ctx, c, env, schema, false)
}

// OpenDryRun opens the same sink with its writes recorded, not sent: only
// read requests reach inFlow, and Report returns the plan.
func (c *Config) OpenDryRun(ctx context.Context, env pipeline.Env, schema pipeline.Schema) (pipeline.Sink, error) {
	return open(ctx, c, env, schema, true)
}
