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

	"github.com/etl-dev/etl/internal/apikit"
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
	clock *apikit.VirtualClock // stamps the requests; shared with the test's clients
	mu    sync.Mutex
	reqs  []seen
}

// scriptClocks maps a script server's URL to its virtual clock, so
// fastConfig gives a client of the server the same clock.
var scriptClocks sync.Map // string → *apikit.VirtualClock

// clockFor returns the virtual clock of the script server at baseURL, or a
// new one.
func clockFor(baseURL string) *apikit.VirtualClock {
	if c, ok := scriptClocks.Load(baseURL); ok {
		return c.(*apikit.VirtualClock)
	}
	return apikit.NewVirtualClock(time.Time{})
}

// newScript starts a server calling h with the 0-based index of each request.
func newScript(t *testing.T, h func(w http.ResponseWriter, r *http.Request, n int)) *script {
	t.Helper()
	s := &script{clock: apikit.NewVirtualClock(time.Time{})}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		n := len(s.reqs)
		s.reqs = append(s.reqs, seen{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), body, s.clock.Now()})
		s.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		h(w, r, n)
	}))
	scriptClocks.Store(s.URL, s.clock)
	t.Cleanup(func() { s.Close(); scriptClocks.Delete(s.URL) })
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

// fastConfig is a Config for tests: a generous rate and short backoffs,
// on the virtual clock of the script server at baseURL (if any).
func fastConfig(baseURL string) Config {
	return Config{
		Registry:      apikit.NewRegistry(apikit.RegistryOptions{Clock: clockFor(baseURL)}),
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
