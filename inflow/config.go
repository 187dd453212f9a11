package inflow

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
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

// Environment variables read by ConfigFromEnv.
const (
	EnvAPIKey        = "INFLOW_API_KEY"
	EnvCompanyID     = "INFLOW_COMPANY_ID"
	EnvBaseURL       = "INFLOW_BASE_URL"
	EnvRatePerMinute = "INFLOW_RATE_PER_MINUTE"
	EnvRatePerHour   = "INFLOW_RATE_PER_HOUR"
)

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
	// Limiter, when set, is used instead of a new one; share it between the
	// Clients of one account.
	Limiter *Limiter
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

const redacted = "[REDACTED]"

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

// ConfigFromEnv reads INFLOW_API_KEY, INFLOW_COMPANY_ID, INFLOW_BASE_URL,
// INFLOW_RATE_PER_MINUTE and INFLOW_RATE_PER_HOUR. Unset variables leave
// the defaults; a malformed rate is an error. It does not check that the key
// and company are present: New does.
func ConfigFromEnv() (Config, error) {
	cfg := Config{
		APIKey:    strings.TrimSpace(os.Getenv(EnvAPIKey)),
		CompanyID: strings.TrimSpace(os.Getenv(EnvCompanyID)),
		BaseURL:   strings.TrimSpace(os.Getenv(EnvBaseURL)),
	}
	for _, v := range []struct {
		name string
		dst  *int
	}{{EnvRatePerMinute, &cfg.RatePerMinute}, {EnvRatePerHour, &cfg.RatePerHour}} {
		s := strings.TrimSpace(os.Getenv(v.name))
		if s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return Config{}, fmt.Errorf("inflow: %s=%q is not a non-negative integer", v.name, s)
		}
		*v.dst = n
	}
	return cfg, nil
}

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
	u, err := url.Parse(strings.TrimRight(c.BaseURL, "/"))
	if err != nil {
		return c, nil, fmt.Errorf("inflow: invalid base URL: %v", err)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Host == "" {
		return c, nil, errors.New("inflow: base URL must be scheme://host[/path] without credentials, query or fragment")
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return c, nil, fmt.Errorf("inflow: refusing plain http to %s: the API key would travel unencrypted (use https; http is allowed only for loopback)", u.Hostname())
		}
	default:
		return c, nil, fmt.Errorf("inflow: unsupported base URL scheme %q", u.Scheme)
	}
	return c, u, nil
}

// isLoopback reports whether host is localhost or a loopback IP address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
