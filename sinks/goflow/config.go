// Package goflowsink is the `type: goflow` sink: stock (absolute or
// relative inventory adjustments), products (create, pricing updates) and
// purchase orders (create) in Goflow, planned before any write, with a
// journal for creates Goflow cannot make idempotent. See docs/goflow.md.
package goflowsink

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/etl-dev/etl/internal/suggest"
	"github.com/etl-dev/etl/pipeline"
	"github.com/etl-dev/etl/sinks/apisink"
)

func init() {
	pipeline.RegisterSink(pipeline.SinkType{
		Name:      "goflow",
		Doc:       "Write stock (absolute or relative adjustments), products (create, pricing) or purchase orders into Goflow (or its embedded emulator).",
		NewConfig: func() pipeline.SinkConfig { return NewConfig() },
	})
}

// Entities the sink writes.
const (
	EntityInventory      = "inventory"
	EntityProducts       = "products"
	EntityPurchaseOrders = "purchase-orders"
)

// Config is the `sink:` section of a job that writes to Goflow. The token,
// subdomain and beta contact come only from the environment.
type Config struct {
	Entity string `yaml:"entity" jsonschema:"required,description=What the rows are: inventory (item_number\\, warehouse\\, quantity)\\, products or purchase-orders,enum=inventory,enum=products,enum=purchase-orders"`
	Mode   string `yaml:"mode" jsonschema:"description=inventory only: set (default: the quantity is what is on hand; absolute adjustments) or add (the quantity is added; relative adjustments\\, applied once per reference),enum=set,enum=add"`
	// Reason is written on every adjustment line.
	Reason string `yaml:"reason" jsonschema:"description=inventory: the reason on each adjustment line (default: none)"`
	// Reference names relative adjustments: with the rows' content it
	// makes each adjustment's reference number, so the same rows are
	// applied once.
	Reference string `yaml:"reference" jsonschema:"description=inventory add: a word that, with the rows' content, names each adjustment (default: the job's name); change it to apply the same rows again on purpose"`
	Sandbox   string `yaml:"sandbox" jsonschema:"description=auto (default): the embedded emulator when GOFLOW_API_TOKEN is not set; never: require an account; always: always the emulator,enum=auto,enum=never,enum=always"`

	getenv func(string) string // the environment (os.Getenv when nil); tests set it
}

// NewConfig returns a Config with its defaults.
func NewConfig() *Config { return &Config{} }

var (
	_ pipeline.Validator = (*Config)(nil)
	_ apisink.Opener     = (*Config)(nil)
	_ pipeline.DryRunner = (*Config)(nil)
)

// Describe names the destination for reports.
func (c *Config) Describe() string {
	if c.Entity == EntityInventory {
		return fmt.Sprintf("goflow inventory (%s)", c.mode())
	}
	return "goflow " + c.Entity
}

func (c *Config) mode() string {
	if c.Mode == "" {
		return "set"
	}
	return c.Mode
}

// Validate checks the settings before data moves.
func (c *Config) Validate() error {
	var errs pipeline.SettingErrors
	if e := pipeline.Enum("entity", c.Entity, EntityInventory, EntityProducts, EntityPurchaseOrders); e != nil {
		errs = append(errs, e)
	}
	if c.Mode != "" {
		if c.Entity != EntityInventory {
			errs = append(errs, &pipeline.SettingError{Setting: "mode", Message: "mode applies to entity inventory (set or add)"})
		} else if e := pipeline.Enum("mode", c.Mode, "set", "add"); e != nil {
			errs = append(errs, e)
		}
	}
	if c.Reference != "" && (c.Entity != EntityInventory || c.mode() != "add") {
		errs = append(errs, &pipeline.SettingError{Setting: "reference", Message: "reference applies to inventory with mode: add"})
	}
	if c.Reason != "" && c.Entity != EntityInventory {
		errs = append(errs, &pipeline.SettingError{Setting: "reason", Message: "reason applies to entity inventory"})
	}
	if c.Sandbox != "" {
		if e := pipeline.Enum("sandbox", c.Sandbox, "auto", "never", "always"); e != nil {
			errs = append(errs, e)
		}
	}
	return errs.Err()
}

// fieldSpec is a field the sink reads: its name and whether rows need it.
type fieldSpec struct {
	name     string
	required bool
	types    []pipeline.Type
}

var (
	textT = []pipeline.Type{pipeline.TypeString}
	numT  = []pipeline.Type{pipeline.TypeDecimal, pipeline.TypeInteger, pipeline.TypeFloat, pipeline.TypeString}
	timeT = []pipeline.Type{pipeline.TypeTimestamp, pipeline.TypeDate, pipeline.TypeString}
)

// IdentifierFields are the product identifier fields, each sent as an
// identifier of that type.
var IdentifierFields = []string{"upc", "ean", "gtin", "isbn", "mpn", "asin"}

func fieldsOf(entity string) []fieldSpec {
	switch entity {
	case EntityInventory:
		return []fieldSpec{{"item_number", true, textT}, {"warehouse", true, textT}, {"quantity", true, numT}, {"cost", false, numT}, {"reason", false, textT}}
	case EntityProducts:
		fs := []fieldSpec{{"item_number", true, textT}, {"name", false, textT}, {"description", false, textT}, {"brand", false, textT},
			{"manufacturer", false, textT}, {"category", false, textT}, {"condition", false, textT},
			{"default_cost", false, numT}, {"default_price", false, numT}, {"msrp", false, numT}, {"map", false, numT}}
		for _, f := range IdentifierFields {
			fs = append(fs, fieldSpec{f, false, textT})
		}
		return fs
	case EntityPurchaseOrders:
		return []fieldSpec{{"purchase_order_number", true, textT}, {"vendor", true, textT}, {"warehouse", true, textT},
			{"item_number", true, textT}, {"quantity", true, numT}, {"price", false, numT}, {"date", false, timeT}}
	}
	return nil
}

// bind checks the mapping's schema against the entity's fields: every
// field known, the required ones present, types that convert.
func bind(entity string, schema pipeline.Schema) (map[string]int, error) {
	specs := fieldsOf(entity)
	var names []string
	for _, f := range specs {
		names = append(names, f.name)
	}
	idx := map[string]int{}
	var errs []string
	for i, f := range schema {
		var spec *fieldSpec
		for j := range specs {
			if specs[j].name == f.Name {
				spec = &specs[j]
			}
		}
		if spec == nil {
			h := suggest.Hint(f.Name, names)
			if h != "" {
				h = " (" + h + ")"
			}
			errs = append(errs, fmt.Sprintf("field %q is not a goflow %s field%s; the fields are %s", f.Name, entity, h, strings.Join(names, ", ")))
			continue
		}
		if !slices.Contains(spec.types, f.Type) {
			errs = append(errs, fmt.Sprintf("field %s is %s: map it as %s", f.Name, f.Type, spec.types[0]))
		}
		idx[f.Name] = i
	}
	for _, s := range specs {
		if _, ok := idx[s.name]; s.required && !ok {
			errs = append(errs, fmt.Sprintf("the mapping has no field %s, which goflow %s needs", s.name, entity))
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("goflow sink: %s", strings.Join(errs, "; "))
	}
	return idx, nil
}

// Open opens the sink for a real run.
func (c *Config) Open(ctx context.Context, env pipeline.Env, schema pipeline.Schema) (pipeline.Sink, error) {
	return c.OpenWith(ctx, env, schema, apisink.Direct)
}

// OpenDryRun opens the sink for a dry run: reads go through, writes are
// planned and not sent.
func (c *Config) OpenDryRun(ctx context.Context, env pipeline.Env, schema pipeline.Schema) (pipeline.Sink, error) {
	return c.OpenWith(ctx, env, schema, apisink.DryRun)
}
