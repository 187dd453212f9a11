package apikit

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Sandbox modes of a connector's `sandbox:` setting.
const (
	SandboxAuto   = "auto"   // the embedded emulator when the key variable is unset
	SandboxNever  = "never"  // always the real API: the key must be set
	SandboxAlways = "always" // always the embedded emulator
)

// EnvNames are the environment variables of a connector's account.
type EnvNames struct {
	Key           string // the API key or token: "INFLOW_API_KEY"
	Account       string // the account id, "" when the API has none: "INFLOW_COMPANY_ID"
	BaseURL       string // optional base URL override: "INFLOW_BASE_URL"
	RatePerMinute string // "INFLOW_RATE_PER_MINUTE"
	RatePerHour   string // "INFLOW_RATE_PER_HOUR", "" when the API has no hourly setting
}

// ConnectSpec is what Resolve needs from a connector and its job settings.
type ConnectSpec struct {
	// Title names the API in messages: "inFlow".
	Title string
	// Env names the account's variables.
	Env EnvNames
	// AccountLabel names the account id in messages: "company id".
	AccountLabel string
	// Sandbox is the job's sandbox setting: auto (also ""), never, always.
	Sandbox string
	// Job is the job file's rate (rate_per_minute, rate_per_hour); 0 is unset.
	Job Limits
	// Default is the rate of a real account when neither the environment
	// nor the job sets one; SandboxDefault that of the embedded emulator.
	Default, SandboxDefault Limits
	// Getenv reads the environment; os.Getenv when nil.
	Getenv func(string) string
}

// Connection is what Resolve decided.
type Connection struct {
	// Sandbox says to use the embedded emulator; Why says why, for the
	// notes ("INFLOW_API_KEY is not set", "the job says sandbox: always").
	Sandbox bool
	Why     string
	// Mode is the sandbox mode in force (auto, never or always).
	Mode string
	// BaseURL, Account and Key come from the environment (empty in
	// sandbox mode: the connector fills them from its emulator). BaseURL
	// is "" when unset (the connector's default).
	BaseURL, Account string
	Key              Secret
	// Rate is the rate in force, by the precedence documented on Resolve.
	Rate Limits
	// Notes are for the run report: an environment rate that overrides
	// the job's.
	Notes []string
}

// Resolve decides a connector's credentials, base URL, sandbox mode and
// rate, the same way for every connector:
//
//   - sandbox: "always" uses the emulator; "never" requires the key
//     variable (and the account variable, when the API has one); "auto"
//     (the default) uses the emulator exactly when the key variable is
//     unset or blank.
//   - credentials and base URL come only from the environment, never from
//     the job file.
//   - rate, each window on its own: the environment variable, else the
//     job file's setting, else the default (SandboxDefault for the
//     emulator). The account's environment beats the job file because the
//     limit belongs to the account; when both are set and differ, a note
//     says so.
//
// Errors name the variable or setting to fix.
func Resolve(spec ConnectSpec) (Connection, error) {
	getenv := spec.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	get := func(name string) string {
		if name == "" {
			return ""
		}
		return strings.TrimSpace(getenv(name))
	}
	var c Connection
	switch m := strings.TrimSpace(spec.Sandbox); m {
	case "", SandboxAuto:
		c.Mode = SandboxAuto
	case SandboxNever, SandboxAlways:
		c.Mode = m
	default:
		return c, fmt.Errorf("sandbox %q is not known: use auto, never or always", spec.Sandbox)
	}
	key := get(spec.Env.Key)
	switch {
	case c.Mode == SandboxAlways:
		c.Sandbox, c.Why = true, "the job says sandbox: always"
	case c.Mode == SandboxAuto && key == "":
		c.Sandbox, c.Why = true, spec.Env.Key+" is not set"
	}
	if !c.Sandbox {
		if key == "" {
			return c, fmt.Errorf("%s is not set (the job says sandbox: never)", spec.Env.Key)
		}
		c.Key = NewSecret(key)
		c.BaseURL = get(spec.Env.BaseURL)
		if spec.Env.Account != "" {
			c.Account = get(spec.Env.Account)
			if c.Account == "" {
				label := spec.AccountLabel
				if label == "" {
					label = "account id"
				}
				return c, fmt.Errorf("%s is set but %s is not: set it to your %s %s", spec.Env.Key, spec.Env.Account, spec.Title, label)
			}
		}
	}
	def := spec.Default
	if c.Sandbox {
		def = spec.SandboxDefault
	}
	var err error
	if c.Rate.PerMinute, err = pickRate(get, spec.Env.RatePerMinute, "rate_per_minute", spec.Job.PerMinute, def.PerMinute, &c.Notes); err != nil {
		return c, err
	}
	if c.Rate.PerHour, err = pickRate(get, spec.Env.RatePerHour, "rate_per_hour", spec.Job.PerHour, def.PerHour, &c.Notes); err != nil {
		return c, err
	}
	return c, nil
}

// pickRate applies the precedence environment > job > default to one
// window.
func pickRate(get func(string) string, envName, setting string, job, def int, notes *[]string) (int, error) {
	if job < 0 {
		return 0, fmt.Errorf("%s must not be negative", setting)
	}
	if s := get(envName); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("%s=%q is not a non-negative integer", envName, s)
		}
		if n > 0 {
			if job > 0 && job != n {
				*notes = append(*notes, fmt.Sprintf("%s=%d overrides the job's %s %d (the account's environment wins)", envName, n, setting, job))
			}
			return n, nil
		}
	}
	if job > 0 {
		return job, nil
	}
	return def, nil
}
