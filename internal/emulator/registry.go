package emulator

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"sync"

	"github.com/etl-dev/etl/internal/apikit"
)

// Config is what `etl sandbox NAME` gives an emulator.
type Config struct {
	// Faults to inject (--faults).
	Faults Faults
	// RatePerMinute and RatePerHour are the limits (--rate, --rate-hour);
	// 0 is unlimited.
	RatePerMinute, RatePerHour int
	// SeedPath is a seed file (--seed), "" for the bundled sample data.
	SeedPath string
	// Account and Key are the account id and API key clients must use
	// (--account, --key); "" keeps the emulator's defaults.
	Account, Key string
	// Clock is the emulator's clock; the real clock when nil.
	Clock apikit.Clock
}

// Instance is a built emulator.
type Instance interface {
	// Handler serves the API (the harness included).
	Handler() http.Handler
	// Account is the value of Spec.Env.Account ("" when the API has none).
	Account() string
	// Key is the API key clients must send.
	Key() string
}

// Spec describes an emulator for the registry.
type Spec struct {
	// Name is what `etl sandbox NAME` takes: "inflow".
	Name string
	// Title names the API: "inFlow Cloud API".
	Title string
	// Help is a paragraph on what is emulated, for `etl sandbox --help`.
	Help string
	// Env names the client's variables; `etl sandbox` prints them.
	Env apikit.EnvNames
	// BasePath is appended to "http://ADDR" in the printed base URL ("" or
	// "/v1").
	BasePath string
	// DefaultRatePerMinute is --rate's default: the API's documented limit.
	DefaultRatePerMinute int
	// New builds an emulator.
	New func(Config) (Instance, error)
}

// Emulators are registered from the emulator packages' init functions and
// looked up by `etl sandbox`; this is the package's only state.
var registry = struct {
	sync.Mutex
	m map[string]Spec
}{m: map[string]Spec{}}

// Register adds an emulator. It panics on an empty or duplicate name or a
// nil New (a programming error).
func Register(s Spec) {
	registry.Lock()
	defer registry.Unlock()
	if s.Name == "" || s.New == nil {
		panic("emulator: Register needs a Name and a New")
	}
	if _, dup := registry.m[s.Name]; dup {
		panic(fmt.Sprintf("emulator: %q registered twice", s.Name))
	}
	registry.m[s.Name] = s
}

// Lookup returns the emulator registered as name.
func Lookup(name string) (Spec, bool) {
	registry.Lock()
	defer registry.Unlock()
	s, ok := registry.m[name]
	return s, ok
}

// Names lists the registered emulators, sorted.
func Names() []string {
	registry.Lock()
	defer registry.Unlock()
	names := make([]string, 0, len(registry.m))
	for n := range registry.m {
		names = append(names, n)
	}
	sort.Strings(names)
	return slices.Clip(names)
}
