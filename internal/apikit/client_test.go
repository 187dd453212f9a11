package apikit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const testKey = "sk-test-0123456789"

// testClient builds a client of srv on a virtual clock.
func testClient(t *testing.T, base string, edit func(*ClientConfig)) (*Client, *VirtualClock) {
	t.Helper()
	clk := NewVirtualClock(time.Time{})
	cfg := ClientConfig{
		API:      "test",
		BaseURL:  base,
		Account:  "acct",
		Registry: NewRegistry(RegistryOptions{Clock: clk, Rand: rand.New(rand.NewPCG(1, 2))}),
		Limits:   func(string) Limits { return Limits{PerMinute: 600} },
		Auth:     func(h http.Header) { h.Set("Authorization", "Bearer "+testKey) },
		Secrets:  []Secret{NewSecret(testKey)},
	}
	if edit != nil {
		edit(&cfg)
	}
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, clk
}

// script answers the i-th request with answers[i] (the last repeats).
func script(t *testing.T, answers ...func(w http.ResponseWriter)) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		answers[min(i, len(answers)-1)](w)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func status(code int, hdr ...string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for i := 0; i+1 < len(hdr); i += 2 {
			w.Header().Set(hdr[i], hdr[i+1])
		}
		w.WriteHeader(code)
		fmt.Fprintf(w, `{"message":"status %d"}`, code)
	}
}

func TestRetryAfterForms(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"7":                             7 * time.Second,
		"0":                             0,
		"1.5":                           1500 * time.Millisecond,
		"Mon, 05 Jan 2026 09:00:30 GMT": 30 * time.Second,
		"Mon, 05 Jan 2026 08:00:00 GMT": 0, // in the past
	} {
		if got, ok := ParseRetryAfter(in, now); !ok || got != want {
			t.Errorf("ParseRetryAfter(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "soon", "-1", "NaN"} {
		if _, ok := ParseRetryAfter(bad, now); ok {
			t.Errorf("ParseRetryAfter(%q) accepted", bad)
		}
	}
	h := http.Header{"Retry-After": {"3"}}
	if d, ok := RetryHint(h, []byte(`{"retry_after_seconds": 7.8832487}`), now, "retry_after_seconds"); !ok || d != 8*time.Second {
		t.Errorf("body hint: %v %v, want 8s (the larger, rounded up)", d, ok)
	}
	if d, ok := RetryHint(http.Header{}, []byte(`{"retry_after_seconds": "2"}`), now, "retry_after_seconds"); !ok || d != 2*time.Second {
		t.Errorf("string body hint: %v %v", d, ok)
	}
}

// Retry-After: 0 waits MinDelay (and one limiter interval), never a hot loop.
func TestRetryAfterZeroIsNoHotLoop(t *testing.T) {
	t.Parallel()
	srv, n := script(t, status(429, "Retry-After", "0"), status(429, "Retry-After", "0"), status(200))
	c, clk := testClient(t, srv.URL, nil)
	t0 := clk.Now()
	if _, err := c.Do(context.Background(), Request{Method: "POST", Path: "/x"}); err != nil {
		t.Fatal(err)
	}
	if n.Load() != 3 {
		t.Fatalf("%d requests", n.Load())
	}
	if d := clk.Now().Sub(t0); d < 2*DefaultMinDelay {
		t.Fatalf("two 429s with Retry-After: 0 waited %v in all, want at least 2×MinDelay", d)
	}
	st := c.Stats()
	if st.TooMany != 2 || st.Retries != 2 || st.Requests != 3 || st.Waited < 2*time.Second {
		t.Fatalf("stats %+v", st)
	}
}

func TestTooManyPausesTheSharedLimiter(t *testing.T) {
	t.Parallel()
	srv, _ := script(t, status(429, "Retry-After", "20"), status(200))
	c, clk := testClient(t, srv.URL, nil)
	t0 := clk.Now()
	if _, err := c.Do(context.Background(), Request{Path: "/a"}); err != nil {
		t.Fatal(err)
	}
	if d := clk.Now().Sub(t0); d < 20*time.Second {
		t.Fatalf("retried after %v, want the 20s of Retry-After", d)
	}
	lim := c.Limiter("")
	// Another client of the same account and registry shares the limiter.
	other, err := NewClient(ClientConfig{API: "test", BaseURL: srv.URL, Account: "ACCT", Registry: c.Registry()})
	if err != nil || other.Limiter("") != lim {
		t.Fatalf("a second client of the account has its own limiter (%v)", err)
	}
}

func TestMaxRetryAfterFailsAtOnce(t *testing.T) {
	t.Parallel()
	srv, n := script(t, status(429, "Retry-After", "7200"))
	c, _ := testClient(t, srv.URL, nil)
	_, err := c.Do(context.Background(), Request{Path: "/a"})
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 429 || ae.RetryAfter != 2*time.Hour || n.Load() != 1 {
		t.Fatalf("err %v, %d requests", err, n.Load())
	}
}

func TestIdempotencyRules(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		req    Request
		answer func(http.ResponseWriter)
		sends  int32
	}{
		{"GET retried on 503", Request{Method: "GET"}, status(503), 1 + DefaultMaxRetries},
		{"POST not retried on 503", Request{Method: "POST"}, status(503), 1},
		{"POST marked safe is retried on 500", Request{Method: "POST", Idempotent: true}, status(500), 1 + DefaultMaxRetries},
		{"POST retried on 429 (not processed)", Request{Method: "POST"}, status(429), 1 + DefaultMaxRetries},
		{"404 never retried", Request{Method: "GET"}, status(404), 1},
		{"501 never retried", Request{Method: "GET"}, status(501), 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, n := script(t, tc.answer)
			c, _ := testClient(t, srv.URL, nil)
			tc.req.Path = "/r"
			_, err := c.Do(context.Background(), tc.req)
			if err == nil || n.Load() != tc.sends {
				t.Fatalf("%d sends (want %d), err %v", n.Load(), tc.sends, err)
			}
			if StatusOf(err) == 0 {
				t.Fatalf("no APIError in %v", err)
			}
		})
	}
}

func TestTransportErrorsRetriedForIdempotentOnly(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) <= 2 {
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		}
		w.WriteHeader(200)
	}))
	t.Cleanup(srv.Close)
	c, _ := testClient(t, srv.URL, nil)
	if _, err := c.Do(context.Background(), Request{Method: "PUT", Path: "/p", Idempotent: true, Body: []byte("{}")}); err != nil {
		t.Fatal(err)
	}
	if st := c.Stats(); st.Requests != int(n.Load()) {
		t.Fatalf("client counted %d requests, server saw %d (silent resends must count)", st.Requests, n.Load())
	}
	n.Store(0)
	if _, err := c.Do(context.Background(), Request{Method: "POST", Path: "/p", Body: []byte("{}")}); err == nil {
		t.Fatal("a dropped POST was retried to success")
	}
}

func TestObserverSeesEveryRequest(t *testing.T) {
	t.Parallel()
	srv, n := script(t, status(503), status(429, "Retry-After", "1"), status(200))
	var (
		mu      sync.Mutex
		reqs    []RequestEvent
		retries []RetryEvent
	)
	obs := ObserverFuncs{
		Request: func(e RequestEvent) { mu.Lock(); reqs = append(reqs, e); mu.Unlock() },
		Retry:   func(e RetryEvent) { mu.Lock(); retries = append(retries, e); mu.Unlock() },
	}
	c, _ := testClient(t, srv.URL, func(cfg *ClientConfig) { cfg.Observer = obs })
	if _, err := c.Do(context.Background(), Request{Path: "/items/42", Route: "/items/{id}"}); err != nil {
		t.Fatal(err)
	}
	if len(reqs) != int(n.Load()) || len(reqs) != 3 {
		t.Fatalf("observer saw %d requests, server %d", len(reqs), n.Load())
	}
	for i, e := range reqs {
		if e.Method != "GET" || e.Path != "/items/42" || e.Route != "/items/{id}" || e.Attempt != i+1 || e.API != "test" {
			t.Errorf("event %d: %+v", i, e)
		}
	}
	if reqs[0].Status != 503 || reqs[1].Status != 429 || reqs[2].Status != 200 {
		t.Errorf("statuses %d %d %d", reqs[0].Status, reqs[1].Status, reqs[2].Status)
	}
	if len(retries) != 2 || retries[0].Paused || !retries[1].Paused || retries[1].Wait < time.Second {
		t.Errorf("retries %+v", retries)
	}
}

func TestSecretsAreRedacted(t *testing.T) {
	t.Parallel()
	s := NewSecret(testKey)
	for _, got := range []string{
		fmt.Sprint(s), fmt.Sprintf("%v %s %q %#v %+v %x", s, s, s, s, s, s),
		fmt.Sprintf("%v", struct{ K Secret }{s}),
	} {
		if strings.Contains(got, testKey) {
			t.Errorf("secret printed: %s", got)
		}
	}
	if b, _ := s.MarshalJSON(); strings.Contains(string(b), testKey) {
		t.Error("JSON leaks")
	}
	if s.LogValue().String() != Redacted || s.Reveal() != testKey || NewSecret("").String() != "" {
		t.Error("LogValue/Reveal/empty")
	}
	// A server echoing the key: the error's message and body are redacted.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(401)
		fmt.Fprintf(w, `{"message":"bad key %s"}`, strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
	}))
	t.Cleanup(srv.Close)
	c, _ := testClient(t, srv.URL, nil)
	_, err := c.Do(context.Background(), Request{Path: "/x"})
	var ae *APIError
	if !errors.As(err, &ae) || strings.Contains(err.Error(), testKey) || strings.Contains(ae.Body, testKey) || !strings.Contains(ae.Message, Redacted) {
		t.Fatalf("err %v body %q", err, ae.Body)
	}
}

func TestRedirectPolicy(t *testing.T) {
	t.Parallel()
	var gotAuth atomic.Value
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAuth.Store(r.Header.Get("Authorization") + "|" + r.Header.Get("X-Api-Key"))
		w.WriteHeader(200)
	}))
	t.Cleanup(other.Close)
	// other is on 127.0.0.1; the API on "localhost": another host.
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/cdn":
			http.Redirect(w, r, other.URL+"/file", http.StatusFound)
		case "/same":
			if r.Header.Get("Authorization") == "" {
				w.WriteHeader(401)
				return
			}
			if r.URL.Query().Get("hop") == "" {
				http.Redirect(w, r, "/same?hop=1", http.StatusTemporaryRedirect)
				return
			}
			w.WriteHeader(200)
		}
	}))
	t.Cleanup(api.Close)
	base := strings.Replace(api.URL, "127.0.0.1", "localhost", 1)
	c, _ := testClient(t, base, func(cfg *ClientConfig) {
		cfg.Auth = func(h http.Header) { h.Set("Authorization", "Bearer "+testKey); h.Set("X-Api-Key", testKey) }
		cfg.SecretHeaders = []string{"X-Api-Key"}
	})
	if _, err := c.Do(context.Background(), Request{Path: "/cdn"}); err != nil {
		t.Fatal(err)
	}
	if got := gotAuth.Load(); got != "|" {
		t.Fatalf("the download host got credentials %q", got)
	}
	if _, err := c.Do(context.Background(), Request{Path: "/same"}); err != nil {
		t.Fatalf("same-host redirect lost the credentials: %v", err)
	}
	// An absolute URL on another host is fetched without credentials.
	gotAuth.Store("unset")
	if _, err := c.Do(context.Background(), Request{URL: other.URL + "/direct"}); err != nil || gotAuth.Load() != "|" {
		t.Fatalf("direct download: %v, credentials %q", err, gotAuth.Load())
	}

	policy := RedirectPolicy()
	mk := func(u string) *http.Request {
		r, _ := http.NewRequest("GET", u, nil)
		r.Header.Set("Authorization", "x")
		return r
	}
	if err := policy(mk("http://api.example.com/x"), []*http.Request{mk("https://api.example.com/")}); !errors.Is(err, ErrRedirectRefused) {
		t.Errorf("https→http allowed: %v", err)
	}
	if err := policy(mk("http://127.0.0.1:9/x"), []*http.Request{mk("https://api.example.com/")}); !errors.Is(err, ErrRedirectRefused) {
		t.Errorf("https (remote) → http loopback allowed: %v", err)
	}
	if err := policy(mk("http://127.0.0.1:9/x"), []*http.Request{mk("http://localhost:8/")}); err != nil {
		t.Errorf("loopback→loopback refused: %v", err)
	}
	cross := mk("https://cdn.example.net/f")
	if err := policy(cross, []*http.Request{mk("https://api.example.com/")}); err != nil || cross.Header.Get("Authorization") != "" {
		t.Errorf("cross-host: %v, Authorization %q", err, cross.Header.Get("Authorization"))
	}
	// A refused redirect is not retried.
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://example.com/steal", http.StatusTemporaryRedirect)
	}))
	t.Cleanup(down.Close)
	c2, _ := testClient(t, down.URL, nil)
	if _, err := c2.Do(context.Background(), Request{Path: "/"}); !errors.Is(err, ErrRedirectRefused) || c2.Stats().Requests != 1 {
		t.Fatalf("redirect to plain http on another host: %v (%d requests)", err, c2.Stats().Requests)
	}
}

func TestBaseURLMustBeHTTPSUnlessLoopback(t *testing.T) {
	t.Parallel()
	for raw, ok := range map[string]bool{
		"https://api.example.com":      true,
		"http://127.0.0.1:8080":        true,
		"http://localhost:1/v1":        true,
		"http://api.example.com":       false,
		"ftp://x":                      false,
		"https://u:p@api.example.com":  false,
		"https://api.example.com/?q=1": false,
	} {
		if _, err := CheckBaseURL("t", raw); (err == nil) != ok {
			t.Errorf("CheckBaseURL(%q): %v", raw, err)
		}
	}
}

// A server that echoes the key in an error body: neither the log lines nor
// the retry events nor the final error carry it.
func TestSecretNeverInLogsOrEvents(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(503)
		fmt.Fprintf(w, `{"message":"down, your key %s"}`, strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
	}))
	t.Cleanup(srv.Close)
	var logs strings.Builder
	var mu sync.Mutex
	var reasons []string
	c, _ := testClient(t, srv.URL, func(cfg *ClientConfig) {
		cfg.Logger = slog.New(slog.NewJSONHandler(&lockedWriter{w: &logs, mu: &mu}, &slog.HandlerOptions{Level: slog.LevelDebug}))
		cfg.Observer = ObserverFuncs{Retry: func(e RetryEvent) { mu.Lock(); reasons = append(reasons, e.Reason); mu.Unlock() }}
		cfg.Retry = RetryPolicy{MaxRetries: 2}
	})
	_, err := c.Do(context.Background(), Request{Path: "/x"})
	mu.Lock()
	defer mu.Unlock()
	if err == nil || len(reasons) != 2 || !strings.Contains(logs.String(), "test request failed; retrying") {
		t.Fatalf("err %v, reasons %v, logs %s", err, reasons, logs.String())
	}
	for _, s := range append(reasons, logs.String(), err.Error(), fmt.Sprintf("%+v", err)) {
		if strings.Contains(s, testKey) {
			t.Fatalf("key leaked: %s", s)
		}
	}
}

type lockedWriter struct {
	w  *strings.Builder
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
