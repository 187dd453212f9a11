package inflow

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/etl-dev/etl/internal/apikit"
)

// Defaults used when a Config field is left zero.
const (
	DefaultBaseURL       = "https://cloudapi.inflowinventory.com"
	DefaultAPIVersion    = "2025-06-24"
	DefaultRatePerMinute = 60
	DefaultMaxRetries    = 5
	DefaultMinRetryDelay = time.Second
	DefaultMaxRetryDelay = time.Minute
	DefaultMaxRetryAfter = time.Hour
	DefaultUserAgent     = "etl-inflow/1 (+https://github.com/etl-dev/etl)"
	// MaxPageSize is inFlow's largest count per list request.
	MaxPageSize = 100
	// MaxSummaryBatch is the most (product, location) pairs per
	// POST /products/summary.
	MaxSummaryBatch = 100
)

// Environment variables of an inFlow account, read by Connect.
const (
	EnvAPIKey        = "INFLOW_API_KEY"
	EnvCompanyID     = "INFLOW_COMPANY_ID"
	EnvBaseURL       = "INFLOW_BASE_URL"
	EnvRatePerMinute = "INFLOW_RATE_PER_MINUTE"
	EnvRatePerHour   = "INFLOW_RATE_PER_HOUR"
)

// DefaultSandboxRatePerMinute is the rate of a component using the
// embedded emulator when neither the environment nor the job sets one (100
// times inFlow's, so trying a job is quick).
const DefaultSandboxRatePerMinute = 6000

// EnvNames are the environment variables of an inFlow account.
func EnvNames() apikit.EnvNames {
	return apikit.EnvNames{Key: EnvAPIKey, Account: EnvCompanyID, BaseURL: EnvBaseURL,
		RatePerMinute: EnvRatePerMinute, RatePerHour: EnvRatePerHour}
}

// Connect resolves an inflow source's or sink's connection (see
// apikit.Resolve for the one precedence every connector follows): sandbox
// is the job's sandbox setting and job its rate_per_minute and
// rate_per_hour. INFLOW_RATE_PER_MINUTE and INFLOW_RATE_PER_HOUR beat the
// job's settings (the limit belongs to the account); the default is
// DefaultRatePerMinute for an account, DefaultSandboxRatePerMinute for the
// embedded emulator.
func Connect(sandbox string, job apikit.Limits, getenv func(string) string) (apikit.Connection, error) {
	return apikit.Resolve(apikit.ConnectSpec{
		Title: "inFlow", AccountLabel: "company id", Env: EnvNames(),
		Sandbox: sandbox, Job: job,
		Default:        apikit.Limits{PerMinute: DefaultRatePerMinute},
		SandboxDefault: apikit.Limits{PerMinute: DefaultSandboxRatePerMinute},
		Getenv:         getenv,
	})
}

// Config configures a Client. Only CompanyID and APIKey are required.
//
// The API key is a secret: Config's String, GoString, LogValue and
// MarshalJSON print "[REDACTED]" in its place, so a Config can be logged or
// written to a report as it is.
type Config struct {
	// BaseURL is the API root; DefaultBaseURL when empty. It must be https,
	// or http to a loopback address (an emulator or test server).
	BaseURL string
	// CompanyID identifies the inFlow account; it is the first path segment.
	CompanyID string
	// APIKey is sent as "Authorization: Bearer <key>" and nowhere else.
	APIKey string
	// APIVersion goes in "Accept: application/json;version=<v>";
	// DefaultAPIVersion when empty.
	APIVersion string
	// RatePerMinute is the request rate (DefaultRatePerMinute when <= 0) and
	// RatePerHour an optional second limit (0 is off). Both are ignored when
	// Limiter is set.
	RatePerMinute, RatePerHour int
	// Limiter, when set, is used instead of the registry's; share it
	// between the Clients of one account.
	Limiter *Limiter
	// Registry is the process's API registry (pipeline.Env.APIs): the
	// clock every wait uses, and one limiter per account shared by every
	// Client built with it. A private one (real clock) when nil.
	Registry *apikit.Registry
	// Observer receives every request and retry (journal, progress).
	Observer apikit.Observer
	// MaxRetries bounds the retries of one request after its first attempt:
	// DefaultMaxRetries when 0, no retries when negative.
	MaxRetries int
	// MinRetryDelay and MaxRetryDelay bound the exponential backoff between
	// retries (defaults 1s and 1m). MinRetryDelay is also the least wait
	// after a 429, so "Retry-After: 0" never causes a hot loop.
	MinRetryDelay, MaxRetryDelay time.Duration
	// MaxRetryAfter is the longest Retry-After the client waits out (default
	// 1h); a longer one fails the request with the 429 at once.
	MaxRetryAfter time.Duration
	// HTTPClient sends the requests; a client with a 2-minute timeout when nil.
	HTTPClient *http.Client
	// Logger receives request diagnostics (never the key); discarded when nil.
	Logger *slog.Logger
	// UserAgent is sent as User-Agent; DefaultUserAgent when empty.
	UserAgent string
}

const redacted = apikit.Redacted

// redactedCopy is Config without its secret, for printing.
type redactedCopy struct {
	BaseURL, CompanyID, APIKey, APIVersion string
	RatePerMinute, RatePerHour, MaxRetries int
	MinRetryDelay, MaxRetryDelay           string
	MaxRetryAfter                          string
	UserAgent                              string
	SharedLimiter                          bool
}

func (c Config) redacted() redactedCopy {
	key := ""
	if c.APIKey != "" {
		key = redacted
	}
	return redactedCopy{
		BaseURL: c.BaseURL, CompanyID: c.CompanyID, APIKey: key, APIVersion: c.APIVersion,
		RatePerMinute: c.RatePerMinute, RatePerHour: c.RatePerHour, MaxRetries: c.MaxRetries,
		MinRetryDelay: c.MinRetryDelay.String(), MaxRetryDelay: c.MaxRetryDelay.String(),
		MaxRetryAfter: c.MaxRetryAfter.String(), UserAgent: c.UserAgent, SharedLimiter: c.Limiter != nil,
	}
}

// String prints the configuration with the API key redacted.
func (c Config) String() string {
	r := c.redacted()
	return fmt.Sprintf("inflow.Config{BaseURL:%q CompanyID:%q APIKey:%q APIVersion:%q RatePerMinute:%d RatePerHour:%d MaxRetries:%d}",
		r.BaseURL, r.CompanyID, r.APIKey, r.APIVersion, r.RatePerMinute, r.RatePerHour, r.MaxRetries)
}

// GoString is String, so %#v redacts too.
func (c Config) GoString() string { return c.String() }

// Format makes every fmt verb print the redacted form.
func (c Config) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", c.String())
		return
	}
	_, _ = f.Write([]byte(c.String()))
}

// LogValue is for log/slog: the fields without the key.
func (c Config) LogValue() slog.Value {
	r := c.redacted()
	return slog.GroupValue(
		slog.String("baseURL", r.BaseURL),
		slog.String("companyID", r.CompanyID),
		slog.String("apiKey", r.APIKey),
		slog.String("apiVersion", r.APIVersion),
		slog.Int("ratePerMinute", r.RatePerMinute),
		slog.Int("ratePerHour", r.RatePerHour),
		slog.Int("maxRetries", r.MaxRetries),
	)
}

// MarshalJSON writes the fields without the key.
func (c Config) MarshalJSON() ([]byte, error) { return json.Marshal(c.redacted()) }

// withDefaults fills zero fields and checks the configuration.
func (c Config) withDefaults() (Config, *url.URL, error) {
	if c.BaseURL == "" {
		c.BaseURL = DefaultBaseURL
	}
	if c.APIVersion == "" {
		c.APIVersion = DefaultAPIVersion
	}
	if c.RatePerMinute <= 0 {
		c.RatePerMinute = DefaultRatePerMinute
	}
	if c.MaxRetries == 0 {
		c.MaxRetries = DefaultMaxRetries
	} else if c.MaxRetries < 0 {
		c.MaxRetries = 0
	}
	if c.MinRetryDelay <= 0 {
		c.MinRetryDelay = DefaultMinRetryDelay
	}
	if c.MaxRetryDelay <= 0 {
		c.MaxRetryDelay = DefaultMaxRetryDelay
	}
	if c.MaxRetryDelay < c.MinRetryDelay {
		c.MaxRetryDelay = c.MinRetryDelay
	}
	if c.MaxRetryAfter <= 0 {
		c.MaxRetryAfter = DefaultMaxRetryAfter
	}
	if c.UserAgent == "" {
		c.UserAgent = DefaultUserAgent
	}
	if strings.TrimSpace(c.APIKey) == "" {
		return c, nil, errors.New("inflow: missing API key (set " + EnvAPIKey + ")")
	}
	if strings.ContainsAny(c.APIKey, "\r\n") {
		return c, nil, errors.New("inflow: API key contains a line break")
	}
	c.CompanyID = strings.TrimSpace(c.CompanyID)
	if c.CompanyID == "" {
		return c, nil, errors.New("inflow: missing company ID (set " + EnvCompanyID + ")")
	}
	if strings.ContainsAny(c.CompanyID, "/?#% \t\r\n") {
		return c, nil, fmt.Errorf("inflow: invalid company ID %q", c.CompanyID)
	}
	u, err := apikit.CheckBaseURL("inflow", c.BaseURL)
	if err != nil {
		return c, nil, err
	}
	return c, u, nil
}

// DescribeAccount names an account as a person recognises it, for
// reports: "inFlow company 1b2c3d4e at https://cloudapi.inflowinventory.com",
// or "the embedded inFlow emulator (sample company, in memory)". It never
// holds the key.
func DescribeAccount(embedded bool, baseURL, companyID string) string {
	if embedded {
		return "the embedded inFlow emulator (sample company, in memory)"
	}
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	short := companyID
	if len(short) > 8 {
		short = short[:8]
	}
	return fmt.Sprintf("inFlow company %s at %s", short, strings.TrimRight(baseURL, "/"))
}
