package sandbox

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"

	"github.com/etl-dev/etl/internal/apikit"
	"github.com/etl-dev/etl/internal/emulator"
)

func init() {
	emulator.Register(emulator.Spec{
		Name:  "inventora",
		Title: "Inventora API",
		Help: `Serves an in-memory emulator of the Inventora API: products, materials,
locations and tasks of a small candle maker, limit/offset paging,
PATCH updates and their refusals, stock-level updates (audit, restock, loss,
custom), tasks and production batches. --seed takes a JSON file such as
{"products": 2500, "materials": 20, "tasks": 5, "unstable_order": 10}
(unstable_order moves that many records between list requests).`,
		Env: apikit.EnvNames{Key: "INVENTORA_API_KEY", BaseURL: "INVENTORA_BASE_URL", RatePerMinute: "INVENTORA_RATE_PER_MINUTE"},
		New: func(c emulator.Config) (emulator.Instance, error) {
			opts := Options{APIKey: c.Key, Faults: c.Faults, RatePerMinute: c.RatePerMinute, Clock: c.Clock}
			if c.SeedPath != "" {
				f, err := os.Open(c.SeedPath)
				if err != nil {
					return nil, err
				}
				defer f.Close()
				sf, err := LoadSeedFile(f)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", c.SeedPath, err)
				}
				opts.Seed, opts.UnstableOrder = &sf.Seed, sf.UnstableOrder
			}
			return New(opts)
		},
	})
}

// Account is empty: Inventora keys name the account.
func (s *Server) Account() string { return "" }

// Key is the API key clients must send.
func (s *Server) Key() string { return s.apiKey }

// SeedFile is the JSON form of a seed for `etl sandbox inventora --seed`.
type SeedFile struct {
	Seed
	// UnstableOrder switches the unstable-order fault on (see
	// Options.UnstableOrder).
	UnstableOrder int `json:"unstable_order"`
}

// UnmarshalJSON reads {"products", "materials", "tasks", "unstable_order"},
// refusing unknown keys.
func (f *SeedFile) UnmarshalJSON(b []byte) error {
	var raw struct {
		Products      *int `json:"products"`
		Materials     *int `json:"materials"`
		Tasks         *int `json:"tasks"`
		UnstableOrder int  `json:"unstable_order"`
	}
	dec := json.NewDecoder(bytesReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return fmt.Errorf("seed: %w (keys: products, materials, tasks, unstable_order)", err)
	}
	f.Seed = *DefaultSeed()
	for _, v := range []struct {
		src *int
		dst *int
	}{{raw.Products, &f.Products}, {raw.Materials, &f.Materials}, {raw.Tasks, &f.Tasks}} {
		if v.src != nil {
			*v.dst = *v.src
		}
	}
	f.UnstableOrder = raw.UnstableOrder
	return nil
}

// LoadSeedFile reads a SeedFile.
func LoadSeedFile(r io.Reader) (*SeedFile, error) {
	var f SeedFile
	if err := json.NewDecoder(r).Decode(&f); err != nil {
		return nil, err
	}
	return &f, nil
}

// Running is an emulator served on a loopback port.
type Running struct {
	*Server
	serve *emulator.Serve
}

// Start builds an emulator and serves it on a free loopback port.
func Start(opts Options) (*Running, error) {
	s, err := New(opts)
	if err != nil {
		return nil, err
	}
	sv, err := emulator.Listen(s.Handler())
	if err != nil {
		return nil, err
	}
	return &Running{Server: s, serve: sv}, nil
}

// URL is the base URL to point a client at.
func (r *Running) URL() string { return r.serve.URL }

// Close stops serving.
func (r *Running) Close() { r.serve.Close() }

// WithFaults returns another handler over the same account with other
// faults injected, for tests that switch faults on and off between runs.
func (s *Server) WithFaults(f emulator.Faults) (http.Handler, error) {
	h, err := s.newHarness(f)
	if err != nil {
		return nil, err
	}
	return h, nil
}
