package inflow

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

const (
	testKey     = "sk-live-TOPSECRET-0123456789abcdef"
	testCompany = "0f8fad5b-d9cb-469f-a165-70867728950e"
)

// seen is one request as a scripted server received it.
type seen struct {
	Method, Path, RawQuery string
	Header                 http.Header
	Body                   []byte
	At                     time.Time
}

// script is an httptest server whose answers a test scripts; it records
// every request.
type script struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []seen
}

// newScript starts a server calling h with the 0-based index of each request.
func newScript(t *testing.T, h func(w http.ResponseWriter, r *http.Request, n int)) *script {
	t.Helper()
	s := &script{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		n := len(s.reqs)
		s.reqs = append(s.reqs, seen{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), body, time.Now()})
		s.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		h(w, r, n)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *script) requests() []seen {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seen(nil), s.reqs...)
}

func (s *script) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.reqs)
}

// fastConfig is a Config for tests: a generous rate and short backoffs.
func fastConfig(baseURL string) Config {
	return Config{
		BaseURL:       baseURL,
		CompanyID:     testCompany,
		APIKey:        testKey,
		RatePerMinute: 600000,
		MinRetryDelay: 5 * time.Millisecond,
		MaxRetryDelay: 40 * time.Millisecond,
	}
}

func newTestClient(t *testing.T, baseURL string, mod func(*Config)) *Client {
	t.Helper()
	cfg := fastConfig(baseURL)
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// logBuffer is a goroutine-safe buffer for a captured slog handler.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func debugLogger(buf *logBuffer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}
