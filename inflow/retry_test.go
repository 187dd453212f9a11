package inflow

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/etl-dev/etl/internal/apikit"
)

func TestRetryAfterIsHonoured(t *testing.T) {
	srv := newScript(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 0 {
			w.Header().Set("Retry-After", "1")
			writeJSON(w, 429, `{"message":"Too many requests"}`)
			return
		}
		writeJSON(w, 200, `[]`)
	})
	c := newTestClient(t, srv.URL, nil)
	if _, err := c.Currencies().All(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests", len(reqs))
	}
	if gap := reqs[1].At.Sub(reqs[0].At); gap < 950*time.Millisecond {
		t.Fatalf("retried after %v, want >= 1s", gap)
	}
	st := c.Stats()
	if st.TooMany != 1 || st.Retries != 1 || st.Waited < 900*time.Millisecond {
		t.Fatalf("stats %+v", st)
	}
}

func TestRetryAfterZeroIsNotAHotLoop(t *testing.T) {
	srv := newScript(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Retry-After", "0")
		writeJSON(w, 429, `{}`)
	})
	c := newTestClient(t, srv.URL, func(cfg *Config) {
		cfg.MinRetryDelay = 50 * time.Millisecond
		cfg.MaxRetries = 3
	})
	start := srv.clock.Now()
	_, err := c.Currencies().All(context.Background(), nil)
	if StatusOf(err) != http.StatusTooManyRequests {
		t.Fatalf("err %v", err)
	}
	reqs := srv.requests()
	if len(reqs) != 4 {
		t.Fatalf("%d requests, want 4 (bounded)", len(reqs))
	}
	for i := 1; i < len(reqs); i++ {
		if gap := reqs[i].At.Sub(reqs[i-1].At); gap < 45*time.Millisecond {
			t.Fatalf("gap %d = %v: Retry-After: 0 caused a hot retry", i, gap)
		}
	}
	var ae *APIError
	if !errors.As(err, &ae) || ae.Attempts != 4 || srv.clock.Now().Sub(start) < 150*time.Millisecond {
		t.Fatalf("%#v", ae)
	}
}

func TestTooManyWithoutRetryAfterBacksOff(t *testing.T) {
	srv := newScript(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n < 3 {
			writeJSON(w, 429, `too many`)
			return
		}
		writeJSON(w, 200, `[]`)
	})
	c := newTestClient(t, srv.URL, func(cfg *Config) {
		cfg.MinRetryDelay = 20 * time.Millisecond
		cfg.MaxRetryDelay = time.Second
	})
	if _, err := c.Currencies().All(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	// Backoff with equal jitter: attempt k waits within [d/2, d], d = 20ms·2^(k-1).
	for i, min := range []time.Duration{10, 20, 40} {
		if gap := reqs[i+1].At.Sub(reqs[i].At); gap < min*time.Millisecond {
			t.Errorf("gap %d = %v, want >= %vms", i, gap, min)
		}
	}
	if st := c.Stats(); st.TooMany != 3 || st.Requests != 4 {
		t.Fatalf("stats %+v", st)
	}
}

func TestTooManyPausesTheSharedLimiter(t *testing.T) {
	var hits atomic.Int32
	srv := newScript(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if hits.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			writeJSON(w, 429, `{}`)
			return
		}
		writeJSON(w, 200, `[]`)
	})
	lim := apikit.NewLimiter(srv.clock, apikit.Limits{PerMinute: 600000})
	a := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Limiter = lim })
	b := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Limiter = lim })
	if _, err := a.Currencies().All(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	// The 429 seen by a also paused b (same account, same limiter): a waited
	// for the pause, and a request from b right after goes through at once.
	if _, err := b.Currencies().All(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	if len(reqs) != 3 || reqs[1].At.Sub(reqs[0].At) < 950*time.Millisecond {
		t.Fatalf("%d requests", len(reqs))
	}
}

func TestServerErrorsRetriedThenSuccess(t *testing.T) {
	srv := newScript(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch n {
		case 0:
			writeJSON(w, 500, `{"message":"boom"}`)
		case 1:
			writeJSON(w, 502, `<html>bad gateway</html>`)
		case 2:
			writeJSON(w, 503, ``)
		default:
			writeJSON(w, 200, `{"productId":"a0000000-0000-0000-0000-000000000001"}`)
		}
	})
	c := newTestClient(t, srv.URL, nil)
	p, err := c.Products().Put(context.Background(), &Product{ProductID: "a0000000-0000-0000-0000-000000000001", Name: new("x")})
	if err != nil || p.ProductID == "" {
		t.Fatalf("%v %v", p, err)
	}
	if st := c.Stats(); st.Requests != 4 || st.Retries != 3 || st.ByMethod["PUT"] != 4 {
		t.Fatalf("stats %+v", st)
	}
}

func TestRetriesAreBounded(t *testing.T) {
	srv := newScript(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, 503, `{"message":"maintenance"}`)
	})
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxRetries = 2 })
	_, err := c.Locations().Get(context.Background(), "x", nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 503 || ae.Attempts != 3 || ae.Message != "maintenance" || srv.count() != 3 {
		t.Fatalf("%d requests, err %v", srv.count(), err)
	}
	c2 := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxRetries = -1 })
	_, _ = c2.Locations().Get(context.Background(), "x", nil)
	if srv.count() != 4 {
		t.Fatalf("MaxRetries -1 sent %d", srv.count()-3)
	}
}

func TestClientErrorsAreTypedAndNotRetried(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
		check  func(error) bool // besides the status and message; nil: none
		msg    string
	}{
		{400, `{"message":"Invalid include: stock"}`, nil, "Invalid include: stock"},
		{401, `Unauthorized`, IsUnauthorized, "Unauthorized"},
		{404, ``, nil, ""},
		{409, `{"errors":[{"title":"Conflict","detail":"timestamp is out of date"}]}`, IsConflict, "Conflict: timestamp is out of date"},
		{422, `{"message":"Negative Inventory"}`, IsRowError, "Negative Inventory"},
		{422, `{"errors":{"name":["must be unique"]}}`, IsRowError, "name: must be unique"},
		{400, `{"title":"Bad Request","message":"The timestamp is stale"}`, IsConflict, "The timestamp is stale: Bad Request"},
	} {
		srv := newScript(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, tc.status, tc.body) })
		c := newTestClient(t, srv.URL, nil)
		_, err := c.Products().Put(context.Background(), &Product{ProductID: "a0000000-0000-0000-0000-000000000001"})
		var ae *APIError
		if !errors.As(err, &ae) {
			t.Fatalf("%d: %T %v", tc.status, err, err)
		}
		if srv.count() != 1 || (tc.check != nil && !tc.check(err)) || ae.Status != tc.status || ae.Message != tc.msg ||
			ae.Method != "PUT" || ae.Path != "/products" || ae.Attempts != 1 {
			t.Errorf("%d: %d requests, %#v", tc.status, srv.count(), ae)
		}
		if strings.Contains(err.Error(), testCompany) {
			t.Errorf("error names the full URL: %v", err)
		}
	}
	if IsConflict(&APIError{Status: 422, Message: "bad"}) {
		t.Fatal("helpers too broad")
	}
}

func TestLongErrorMessagesAreTruncated(t *testing.T) {
	long := strings.Repeat("é", 2000)
	srv := newScript(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 400, long) })
	c := newTestClient(t, srv.URL, nil)
	_, err := c.Vendors().Get(context.Background(), "v", nil)
	var ae *APIError
	if !errors.As(err, &ae) || len(ae.Message) > apikit.MaxMessage+4 || len(ae.Body) > apikit.MaxBody+4 || !strings.HasSuffix(ae.Message, "…") {
		t.Fatalf("len %d", len(ae.Message))
	}
}

// dropFirst closes the connection without an answer on the first n requests.
func dropFirst(n int32) func(w http.ResponseWriter, r *http.Request, i int) {
	return func(w http.ResponseWriter, r *http.Request, i int) {
		if int32(i) < n {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		writeJSON(w, 200, `[]`)
	}
}

func TestDroppedConnectionRetriedForGET(t *testing.T) {
	srv := newScript(t, dropFirst(2))
	c := newTestClient(t, srv.URL, nil)
	if _, err := c.Categories().All(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if srv.count() != 3 {
		t.Fatalf("%d requests", srv.count())
	}
}

func TestDroppedConnectionNotRetriedForNonIdempotentPOST(t *testing.T) {
	srv := newScript(t, dropFirst(5))
	c := newTestClient(t, srv.URL, nil)
	_, err := c.Do(context.Background(), Request{Method: "POST", Path: "/webhooks", Body: map[string]string{"url": "x"}}, nil)
	if err == nil || srv.count() != 1 {
		t.Fatalf("%d requests, err %v", srv.count(), err)
	}
	if !errors.Is(err, io.EOF) && !strings.Contains(err.Error(), "EOF") && !strings.Contains(err.Error(), "reset") {
		t.Fatalf("err %v", err)
	}
	if strings.Contains(err.Error(), testCompany) || strings.Contains(err.Error(), "127.0.0.1") {
		t.Fatalf("error names the URL: %v", err)
	}
}

func TestTimeoutRetried(t *testing.T) {
	srv := newScript(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 0 { // never answer the first request
			<-r.Context().Done()
			return
		}
		writeJSON(w, 200, `[]`)
	})
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.HTTPClient = &http.Client{Timeout: 100 * time.Millisecond} })
	if _, err := c.TaxCodes().All(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if srv.count() != 2 {
		t.Fatalf("%d requests", srv.count())
	}
}

// fakeClockClient is a client of srv on a manual clock, so a test can
// cancel while the client waits.
func fakeClockClient(t *testing.T, srv *script, mod func(*Config)) (*Client, *apikit.FakeClock) {
	t.Helper()
	clk := apikit.NewFakeClock(time.Time{})
	return newTestClient(t, srv.URL, func(cfg *Config) {
		cfg.Registry = apikit.NewRegistry(apikit.RegistryOptions{Clock: clk})
		if mod != nil {
			mod(cfg)
		}
	}), clk
}

// cancelWhenWaiting cancels once the client sleeps on clk.
func cancelWhenWaiting(t *testing.T, clk *apikit.FakeClock, cancel context.CancelFunc) {
	go func() {
		if err := clk.WaitForSleepers(context.Background(), 1); err != nil {
			t.Error(err)
		}
		cancel()
	}()
}

func TestContextCancelDuringRetryAfterWait(t *testing.T) {
	srv := newScript(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Retry-After", "30")
		writeJSON(w, 429, `{}`)
	})
	c, clk := fakeClockClient(t, srv, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cancelWhenWaiting(t, clk, cancel)
	_, err := c.PaymentTerms().All(ctx, nil)
	if !errors.Is(err, context.Canceled) || srv.count() != 1 {
		t.Fatalf("err %v, %d requests", err, srv.count())
	}
}

func TestContextCancelDuringBackoff(t *testing.T) {
	srv := newScript(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 500, `{}`) })
	c, clk := fakeClockClient(t, srv, func(cfg *Config) {
		cfg.MinRetryDelay = 10 * time.Second
		cfg.MaxRetryDelay = 10 * time.Second
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cancelWhenWaiting(t, clk, cancel)
	_, err := c.Products().Get(ctx, "p", nil)
	if !errors.Is(err, context.Canceled) || srv.count() != 1 {
		t.Fatalf("err %v, %d requests", err, srv.count())
	}
}

func TestRetryAfterBeyondMaxFailsAtOnce(t *testing.T) {
	srv := newScript(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Retry-After", "7200")
		writeJSON(w, 429, `{"message":"hourly limit"}`)
	})
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxRetryAfter = time.Minute })
	_, err := c.Products().Get(context.Background(), "p", nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.RetryAfter != 2*time.Hour || srv.count() != 1 {
		t.Fatalf("%v", err)
	}
}

func TestKeyNeverInErrorsOrLogs(t *testing.T) {
	// A hostile server echoes the Authorization header everywhere.
	srv := newScript(t, func(w http.ResponseWriter, r *http.Request, n int) {
		auth := r.Header.Get("Authorization")
		switch n % 3 {
		case 0:
			w.Header().Set("Retry-After", "0")
			writeJSON(w, 429, `{"message":"slow down `+auth+`"}`)
		case 1:
			writeJSON(w, 500, `{"message":"`+auth+`"}`)
		default:
			writeJSON(w, 400, `{"message":"bad key `+auth+`"}`)
		}
	})
	var buf logBuffer
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Logger = debugLogger(&buf) })
	_, err := c.Products().Get(context.Background(), "p", nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 400 {
		t.Fatalf("%v", err)
	}
	dropSrv := newScript(t, dropFirst(100))
	c2 := newTestClient(t, dropSrv.URL, func(cfg *Config) { cfg.Logger = debugLogger(&buf); cfg.MaxRetries = 1 })
	_, err2 := c2.Products().Get(context.Background(), "p", nil)
	c2.cfg.Logger.Info("config", "cfg", c2.Config())
	for _, s := range []string{err.Error(), ae.Message, ae.Body, err2.Error(), buf.String(), c.Config().String()} {
		if strings.Contains(s, testKey) || strings.Contains(s, "TOPSECRET") {
			t.Fatalf("key leaked: %s", s)
		}
	}
	if !strings.Contains(buf.String(), "inflow request") || !strings.Contains(ae.Message, "[REDACTED]") {
		t.Fatalf("logs: %s", buf.String())
	}
}

func TestTransportResendsAreCountedAndPaced(t *testing.T) {
	// The second request goes over the kept-alive connection of the first,
	// and the server drops it: Go's Transport resends it on its own. The
	// client must still see, count and pace that send.
	srv := newScript(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		writeJSON(w, 200, `[]`)
	})
	// MaxRetries -1: only the Transport can resend.
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.RatePerMinute = 1200; cfg.MaxRetries = -1 }) // 50ms apart
	for range 2 {
		if _, err := c.Currencies().All(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
	}
	reqs := srv.requests()
	st := c.Stats()
	if len(reqs) != 3 || st.Requests != 3 || st.Retries != 1 || st.ByMethod["GET"] != 3 {
		t.Fatalf("server saw %d, client counted %+v", len(reqs), st)
	}
	if gap := reqs[2].At.Sub(reqs[1].At); gap < 40*time.Millisecond {
		t.Fatalf("resend not paced: %v", gap)
	}
}
