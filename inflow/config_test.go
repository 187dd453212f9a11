package inflow

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/etl-dev/etl/internal/apikit"
)

func TestNewRefusesPlainHTTPExceptLoopback(t *testing.T) {
	for _, tc := range []struct {
		url string
		ok  bool
	}{
		{"https://cloudapi.inflowinventory.com", true},
		{"", true},
		{"http://127.0.0.1:8080", true},
		{"http://127.5.6.7", true},
		{"http://[::1]:9000/", true},
		{"http://localhost:1234", true},
		{"http://cloudapi.inflowinventory.com", false},
		{"http://10.0.0.5:8080", false},
		{"http://localhost.evil.example", false},
		{"http://127.0.0.1.nip.io", false},
		{"ftp://127.0.0.1", false},
		{"https://user:pass@example.com", false},
		{"https://example.com/?key=x", false},
	} {
		cfg := Config{BaseURL: tc.url, CompanyID: testCompany, APIKey: testKey}
		_, err := New(cfg)
		if (err == nil) != tc.ok {
			t.Errorf("%q: err = %v, want ok=%v", tc.url, err, tc.ok)
		}
		if err != nil && strings.Contains(err.Error(), testKey) {
			t.Errorf("%q: key in error", tc.url)
		}
	}
}

func TestNewRequiresKeyAndCompany(t *testing.T) {
	if _, err := New(Config{CompanyID: testCompany}); err == nil || !strings.Contains(err.Error(), "API key") {
		t.Errorf("missing key: %v", err)
	}
	if _, err := New(Config{APIKey: testKey}); err == nil || !strings.Contains(err.Error(), "company") {
		t.Errorf("missing company: %v", err)
	}
	if _, err := New(Config{APIKey: testKey, CompanyID: "a/b"}); err == nil {
		t.Error("company with a slash accepted")
	}
}

func TestDefaults(t *testing.T) {
	c, err := New(Config{CompanyID: testCompany, APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	cfg := c.Config()
	if cfg.BaseURL != DefaultBaseURL || cfg.APIVersion != "2025-06-24" || cfg.RatePerMinute != 60 ||
		cfg.MaxRetries != DefaultMaxRetries || c.Limiter().PerMinute() != 60 || c.Limiter().PerHour() != 0 {
		t.Fatalf("defaults: %v", cfg)
	}
	c, _ = New(Config{CompanyID: testCompany, APIKey: testKey, MaxRetries: -1, RatePerHour: 1000})
	if c.Config().MaxRetries != 0 || c.Limiter().PerHour() != 1000 {
		t.Fatalf("no retries / hourly: %v", c.Config())
	}
}

func TestConnectFromEnv(t *testing.T) {
	t.Parallel()
	env := map[string]string{EnvAPIKey: testKey, EnvCompanyID: testCompany, EnvBaseURL: "http://127.0.0.1:9999", EnvRatePerMinute: "120"}
	conn, err := Connect("", apikit.Limits{PerMinute: 30}, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if conn.Sandbox || conn.Key.Reveal() != testKey || conn.Account != testCompany || conn.BaseURL != "http://127.0.0.1:9999" ||
		conn.Rate.PerMinute != 120 || len(conn.Notes) != 1 || !strings.Contains(conn.Notes[0], "INFLOW_RATE_PER_MINUTE=120 overrides the job's rate_per_minute 30") {
		t.Fatalf("got %+v", conn)
	}
	env[EnvRatePerMinute] = "fast"
	if _, err := Connect("", apikit.Limits{}, func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), EnvRatePerMinute) {
		t.Fatalf("bad rate: %v", err)
	}
	conn, err = Connect("auto", apikit.Limits{}, func(string) string { return "" })
	if err != nil || !conn.Sandbox || conn.Rate.PerMinute != DefaultSandboxRatePerMinute {
		t.Fatalf("sandbox: %+v %v", conn, err)
	}
}

func TestConfigNeverPrintsTheKey(t *testing.T) {
	cfg := Config{BaseURL: "https://x.example", CompanyID: testCompany, APIKey: testKey}
	var outs []string
	for _, f := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		outs = append(outs, fmt.Sprintf(f, cfg), fmt.Sprintf(f, &cfg))
	}
	outs = append(outs, fmt.Sprint(cfg), fmt.Sprint([]Config{cfg}), fmt.Sprintf("%v", struct{ C Config }{cfg}))
	b, _ := json.Marshal(cfg)
	outs = append(outs, string(b))
	var buf logBuffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("config", "cfg", cfg)
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("config", "cfg", cfg, "ptr", &cfg)
	outs = append(outs, buf.String())
	for _, s := range outs {
		if strings.Contains(s, testKey) || strings.Contains(s, "TOPSECRET") {
			t.Fatalf("key leaked: %s", s)
		}
	}
	if !strings.Contains(fmt.Sprint(cfg), "[REDACTED]") || !strings.Contains(buf.String(), testCompany) {
		t.Fatalf("redacted form lacks fields: %v / %s", cfg, buf.String())
	}
}
