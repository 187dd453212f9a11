package inflowsink

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/etl-dev/etl/internal/suggest"
	"github.com/etl-dev/etl/pipeline"
	"github.com/etl-dev/etl/sinks/apisink"
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
	Entity string   `yaml:"entity" jsonschema:"description=What the rows are: records (products\\, customers\\, vendors) or document lines (sales-orders\\, purchase-orders\\, stock-adjustments\\, stock-transfers),enum=products,enum=customers,enum=vendors,enum=sales-orders,enum=purchase-orders,enum=stock-adjustments,enum=stock-transfers"`
	Mode   string   `yaml:"mode" jsonschema:"description=upsert (default): update matches and create the rest; insert: create only (existing records are skipped); update: update only (rows without a match are rejected),enum=upsert,enum=insert,enum=update"`
	Match  []string `yaml:"match" jsonschema:"description=Keys that find the existing record\\, tried in order: products sku\\, name\\, barcode (default [sku\\, name]); customers and vendors name (default); or custom:customN or custom:<the custom field's label in inFlow>"`
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
	// Documents (sales-orders, purchase-orders, stock-adjustments,
	// stock-transfers).
	Fulfill           bool   `yaml:"fulfill" jsonschema:"description=sales-orders: pick (and so fulfill) every order's lines unless its fulfill field says otherwise (default false: orders stay open)"`
	Receive           bool   `yaml:"receive" jsonschema:"description=purchase-orders: receive every order's lines unless its receive field says otherwise (default false)"`
	Status            string `yaml:"status" jsonschema:"description=stock-transfers: open (default) or completed (moves the stock)\\, unless the status field says otherwise,enum=open,enum=completed"`
	KeepUnlistedLines bool   `yaml:"keep_unlisted_lines" jsonschema:"description=Documents: keep lines of an existing document that the file does not list (default false: the file holds a document's complete lines and the others are removed)"`
	MaxDocuments      int    `yaml:"max_documents" jsonschema:"description=Documents: the most documents held until the input ends (default 20000),minimum=0"`
	Sandbox           string `yaml:"sandbox" jsonschema:"description=auto (default): use the embedded emulator when INFLOW_API_KEY is not set; never: require an account; always: always the emulator,enum=auto,enum=never,enum=always"`

	matchDefaulted bool // Match was not given: use the default keys the mapping has
	// getenv, when set, is where connect reads INFLOW_* (tests that run
	// in parallel, each against its own emulator); nil is os.Getenv.
	getenv func(string) string
	// statusSet: the job gave status (else "open" applies to new
	// transfers only).
	statusSet bool
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
	DefaultLinesPerAdjustment = 250
)

var _ pipeline.Validator = (*Config)(nil)

// Validate checks every setting without opening anything, and reports
// each bad one at its place in the job file.
func (c *Config) Validate() error {
	var errs pipeline.SettingErrors
	bad := func(setting, format string, args ...any) {
		errs = append(errs, &pipeline.SettingError{Setting: setting, Message: fmt.Sprintf(format, args...)})
	}
	enum := func(setting, v string, allowed ...string) {
		if v != "" {
			errs.Add(pipeline.Enum(setting, v, allowed...))
		}
	}
	e := entities[c.Entity]
	if c.Entity == "" {
		bad("entity", "entity is required: one of %s", strings.Join(entityNames(), ", "))
	} else {
		errs.Add(pipeline.Enum("entity", c.Entity, entityNames()...))
	}
	enum("mode", c.Mode, "upsert", "insert", "update")
	enum("reads", c.Reads, "auto", "index", "lookup")
	enum("sandbox", c.Sandbox, "auto", "never", "always")
	enum("stock.mode", c.Stock.Mode, "set", "add", "off")
	enum("status", c.Status, "open", "completed")
	if c.MaxDocuments < 0 {
		bad("max_documents", "max_documents must not be negative, not %d", c.MaxDocuments)
	}
	if k := docKinds[c.Entity]; k != nil {
		if len(c.Match) > 0 {
			bad("match", "%ss are matched by their %s: drop match", k.singular, k.numberField)
		}
		if len(c.Prices) > 0 {
			bad("prices", "prices applies to products only, not %s", c.Entity)
		}
	}
	only := func(setting string, set bool, k *docKind) {
		known := e != nil || docKinds[c.Entity] != nil
		if set && known && docKinds[c.Entity] != k {
			bad(setting, "%s applies to entity %s only", setting, k.name)
		}
	}
	only("fulfill", c.Fulfill, salesOrders)
	only("receive", c.Receive, purchaseOrders)
	only("status", c.Status != "", stockTransfers)
	if c.Concurrency != 0 && (c.Concurrency < 1 || c.Concurrency > 64) {
		bad("concurrency", "concurrency must be between 1 and 64, not %d", c.Concurrency)
	}
	if c.RatePerMinute < 0 {
		bad("rate_per_minute", "rate_per_minute must not be negative, not %d", c.RatePerMinute)
	}
	if c.RatePerHour < 0 {
		bad("rate_per_hour", "rate_per_hour must not be negative, not %d", c.RatePerHour)
	}
	if n := c.Stock.LinesPerAdjustment; n != 0 && (n < 1 || n > 5000) {
		bad("stock.lines_per_adjustment", "stock.lines_per_adjustment must be between 1 and 5000, not %d", n)
	}
	if e != nil {
		seen := map[string]bool{}
		for i, m := range c.Match {
			setting := fmt.Sprintf("match[%d]", i)
			if seen[m] {
				bad(setting, "match lists %q twice", m)
			}
			seen[m] = true
			if name, ok := strings.CutPrefix(m, "custom:"); ok {
				// custom:customN, or custom:<label> (the field's label in
				// inFlow, resolved when the sink opens).
				if f := e.fields[name]; strings.TrimSpace(name) == "" || customNumberRE.MatchString(name) && (f == nil || f.apply != aCustom) {
					bad(setting, "match %q: custom keys are custom:custom1 … custom:custom10, or custom:<the custom field's label in inFlow>", m)
				}
				continue
			}
			if !contains(e.matchKeys, m) {
				errs = append(errs, &pipeline.SettingError{Setting: setting,
					Message: fmt.Sprintf("match %q: %s are matched by %s or custom:customN", m, e.name, strings.Join(e.matchKeys, ", ")),
					Hint:    suggest.Hint(m, e.matchKeys)})
			}
		}
		if len(c.Prices) > 0 && e != products {
			bad("prices", "prices applies to products only, not %s", e.name)
		}
	}
	return errs.Err()
}

// entityNames lists the entities the sink writes.
// customNumberRE is how custom fields are numbered (custom1 … custom10).
var customNumberRE = regexp.MustCompile(`^custom[0-9]+$`)

func entityNames() []string {
	return []string{"products", "customers", "vendors", "sales-orders", "purchase-orders", "stock-adjustments", "stock-transfers"}
}

// check validates the settings and fills the defaults.
func (c *Config) check() (*entityKind, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	def := func(v *string, d string) {
		if *v == "" {
			*v = d
		}
	}
	def(&c.Mode, "upsert")
	def(&c.Reads, "auto")
	def(&c.Sandbox, "auto")
	def(&c.Stock.Mode, "set")
	if c.Concurrency == 0 {
		c.Concurrency = DefaultConcurrency
	}
	if c.Stock.LinesPerAdjustment == 0 {
		c.Stock.LinesPerAdjustment = DefaultLinesPerAdjustment
	}
	c.statusSet = c.Status != ""
	def(&c.Status, "open")
	e := entities[c.Entity]
	if e == nil {
		return nil, nil // a document kind
	}
	if len(c.Match) == 0 {
		c.Match = append([]string(nil), e.defaultMatch...)
		c.matchDefaulted = true
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

var (
	_ apisink.Opener     = (*Config)(nil)
	_ pipeline.DryRunner = (*Config)(nil)
)

// Open connects to inFlow (or starts the embedded emulator), checks the
// mapped fields against the entity and reads the reference data they need.
func (c *Config) Open(ctx context.Context, env pipeline.Env, schema pipeline.Schema) (pipeline.Sink, error) {
	return open(ctx, c, env, schema, apisink.Direct)
}

// OpenWith opens the sink with its writes going through layer: Direct
// sends them, apisink.DryRun records them in the plan Report returns.
func (c *Config) OpenWith(ctx context.Context, env pipeline.Env, schema pipeline.Schema, layer apisink.Layer) (pipeline.Sink, error) {
	return open(ctx, c, env, schema, layer)
}

// OpenDryRun is OpenWith(apisink.DryRun), for the runner until it opens
// API sinks through apisink.Opener.
func (c *Config) OpenDryRun(ctx context.Context, env pipeline.Env, schema pipeline.Schema) (pipeline.Sink, error) {
	return open(ctx, c, env, schema, apisink.DryRun)
}
