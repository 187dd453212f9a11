package sandbox

import (
	"fmt"
	"os"

	"github.com/etl-dev/etl/internal/apikit"
	"github.com/etl-dev/etl/internal/emulator"
)

// Env names the variables the inflow client reads, for `etl sandbox`.
var env = apikit.EnvNames{
	Key:           "INFLOW_API_KEY",
	Account:       "INFLOW_COMPANY_ID",
	BaseURL:       "INFLOW_BASE_URL",
	RatePerMinute: "INFLOW_RATE_PER_MINUTE",
	RatePerHour:   "INFLOW_RATE_PER_HOUR",
}

func init() {
	emulator.Register(emulator.Spec{
		Name:  "inflow",
		Title: "inFlow Cloud API",
		Help: `Serves an in-memory emulator of the inFlow Cloud API (version ` + APIVersion + `)
seeded with a small sample company (or --seed FILE), answering 429 with
Retry-After above --rate requests a minute.`,
		Env:                  env,
		DefaultRatePerMinute: DefaultRatePerMinute,
		New:                  newInstance,
	})
}

// instance adapts a Server to emulator.Instance.
type instance struct{ *Server }

func (i instance) Account() string { return i.CompanyID() }
func (i instance) Key() string     { return i.APIKey() }

func newInstance(c emulator.Config) (emulator.Instance, error) {
	opts := Options{CompanyID: c.Account, APIKey: c.Key, RatePerMinute: c.RatePerMinute, RatePerHour: c.RatePerHour,
		Faults: c.Faults, Clock: c.Clock}
	if c.SeedPath != "" {
		f, err := os.Open(c.SeedPath)
		if err != nil {
			return nil, err
		}
		seed, err := LoadSeed(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.SeedPath, err)
		}
		opts.Seed = seed
	}
	s, err := New(opts)
	if err != nil {
		return nil, err
	}
	return instance{s}, nil
}
