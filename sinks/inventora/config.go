package inventorasink

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/etl-dev/etl/internal/apikit"
	"github.com/etl-dev/etl/internal/suggest"
	"github.com/etl-dev/etl/pipeline"
	"github.com/etl-dev/etl/sinks/apisink"
)

func init() {
	pipeline.RegisterSink(pipeline.SinkType{
		Name:      "inventora",
		Doc:       "Inventora API: update products and materials (matched by SKU, then name), their stock per location, and create production tasks",
		NewConfig: func() pipeline.SinkConfig { return NewConfig() },
	})
}

// Stock modes.
const (
	StockSet = "set" // the row's quantity is the level: audit where it differs
	StockAdd = "add" // add the row's quantity: restock (or loss when negative), once
	StockOff = "off" // leave stock alone even when quantity is mapped
)

// Config is the `sink:` section of a job that writes to Inventora. The API
// key and base URL come only from the environment.
type Config struct {
	Entity string `yaml:"entity" jsonschema:"required,enum=products,enum=materials,enum=tasks,description=What to write: products or materials (updates and stock) or tasks (creates production tasks)"`
	// Match lists the keys that find the record, in order.
	Match []string    `yaml:"match" jsonschema:"description=Keys that find the existing record\\, in order (default [sku\\, name]); id is also allowed"`
	Stock StockConfig `yaml:"stock" jsonschema:"description=Stock levels of rows with location and quantity"`
	// Sandbox and RatePerMinute as for the source.
	Sandbox       string `yaml:"sandbox" jsonschema:"description=auto: use the built-in emulator when INVENTORA_API_KEY is unset; never: always the real API; always: always the emulator,enum=auto,enum=never,enum=always,default=auto"`
	RatePerMinute int    `yaml:"rate_per_minute" jsonschema:"description=Requests a minute (default INVENTORA_RATE_PER_MINUTE or 60); the environment wins,minimum=0"`

	// Getenv reads the environment (os.Getenv when nil): for tests that
	// point a sink at their own emulator without touching the process's
	// environment.
	Getenv func(string) string `yaml:"-" json:"-"`
}

// StockConfig is the `stock:` setting.
type StockConfig struct {
	Mode     string `yaml:"mode" jsonschema:"enum=set,enum=add,enum=off,default=set,description=set: the quantity is the location's level (an audit where it differs; safe to repeat); add: add the quantity (restock\\, or loss when negative)\\, exactly once per row even across --resume and repeated runs; off: leave stock alone"`
	Location string `yaml:"location" jsonschema:"description=Location of rows whose location cell is empty or unmapped (default: the account's default location)"`
	Notes    string `yaml:"notes" jsonschema:"description=Notes on every stock-level update (default: etl job NAME)"`
}

// NewConfig returns a Config with its defaults.
func NewConfig() *Config { return &Config{Sandbox: apikit.SandboxAuto} }

var (
	_ pipeline.Validator = (*Config)(nil)
	_ apisink.Opener     = (*Config)(nil)
)

// matchKeys are the keys match may name.
var matchKeys = []string{"sku", "name", "id"}

// Validate checks the settings without any request.
func (c *Config) Validate() error {
	var errs pipeline.SettingErrors
	errs.Add(pipeline.Enum("entity", c.Entity, "products", "materials", "tasks"))
	if c.Entity == "tasks" && len(c.Match) > 0 {
		errs = append(errs, &pipeline.SettingError{Setting: "match", Message: "match applies to products and materials: tasks are grouped by their task name"})
	}
	seen := map[string]bool{}
	for i, k := range c.Match {
		setting := fmt.Sprintf("match[%d]", i)
		switch {
		case !slices.Contains(matchKeys, k):
			errs = append(errs, &pipeline.SettingError{Setting: setting, Message: fmt.Sprintf("match key %q is not one of %s", k, strings.Join(matchKeys, ", ")), Hint: suggest.Hint(k, matchKeys)})
		case seen[k]:
			errs = append(errs, &pipeline.SettingError{Setting: setting, Message: fmt.Sprintf("match key %q is given twice", k)})
		}
		seen[k] = true
	}
	if c.Stock.Mode != "" {
		errs.Add(pipeline.Enum("stock.mode", c.Stock.Mode, StockSet, StockAdd, StockOff))
	}
	if c.Entity == "tasks" && (c.Stock != StockConfig{}) {
		errs = append(errs, &pipeline.SettingError{Setting: "stock", Message: "stock applies to products and materials"})
	}
	if c.Sandbox != "" {
		errs.Add(pipeline.Enum("sandbox", c.Sandbox, apikit.SandboxAuto, apikit.SandboxNever, apikit.SandboxAlways))
	}
	if c.RatePerMinute < 0 {
		errs = append(errs, &pipeline.SettingError{Setting: "rate_per_minute", Message: fmt.Sprintf("rate_per_minute %d must not be negative", c.RatePerMinute)})
	}
	return errs.Err()
}

func (c *Config) match() []string {
	if len(c.Match) > 0 {
		return c.Match
	}
	return []string{"sku", "name"}
}

func (c *Config) stockMode() string {
	if c.Stock.Mode == "" {
		return StockSet
	}
	return c.Stock.Mode
}

// Open opens the sink for a real run.
func (c *Config) Open(ctx context.Context, env pipeline.Env, schema pipeline.Schema) (pipeline.Sink, error) {
	return c.OpenWith(ctx, env, schema, apisink.Direct)
}

// OpenDryRun opens the sink for a dry run (pipeline.DryRunner): reads go
// out, writes are recorded in the plan and not sent.
func (c *Config) OpenDryRun(ctx context.Context, env pipeline.Env, schema pipeline.Schema) (pipeline.Sink, error) {
	return c.OpenWith(ctx, env, schema, apisink.DryRun)
}

// SetGetenv sets how the sink reads the environment (tests point it at
// their own emulator).
func (c *Config) SetGetenv(f func(string) string) { c.Getenv = f }
