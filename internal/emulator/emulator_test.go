package emulator

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/etl-dev/etl/internal/apikit"
)

func TestParseFaults(t *testing.T) {
	t.Parallel()
	f, err := ParseFaults("error=0.05, drop=0.05,latency=50ms,429=0.05,lost=0.05,retry-after=0,seed=7")
	if err != nil || f.ErrorRate != 0.05 || f.DropRate != 0.05 || f.Latency != 50*time.Millisecond ||
		f.TooManyRate != 0.05 || f.LostReplyRate != 0.05 || f.RetryAfter != "0" || f.Seed != 7 {
		t.Fatalf("got %+v, %v", f, err)
	}
	if f, err := ParseFaults(""); err != nil || f.Any() {
		t.Fatalf("empty: %+v, %v", f, err)
	}
	for in, want := range map[string]string{
		"error=2":         "between 0 and 1",
		"error":           "not key=value",
		"boom=0.1":        `unknown fault "boom"`,
		"latency=fast":    "--faults latency",
		"latency=-1s":     "negative",
		"429=x":           "--faults 429",
		"seed=0":          "must not be 0",
		"drop=0.1,drop=0": "given twice",
	} {
		if _, err := ParseFaults(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseFaults(%q) = %v, want an error containing %q", in, err, want)
		}
	}
}

// echo is an emulator handler that counts what reached it.
type echo struct{ reached int }

func (e *echo) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e.reached++
	WriteJSON(w, http.StatusOK, map[string]string{"path": r.URL.Path})
}

func start(t *testing.T, opts Options) (*Harness, *Serve, *echo) {
	t.Helper()
	e := &echo{}
	h, err := New(opts, e)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Listen(h)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return h, s, e
}

func send(t *testing.T, method, url string) (int, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	// No keep-alive: the transport would resend a GET on a dropped reused
	// connection, and the test counts sends.
	resp, err := (&http.Transport{DisableKeepAlives: true}).RoundTrip(req)
	if err != nil {
		return 0, nil
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, resp.Header
}

func TestHarnessRateLimitOnTheClock(t *testing.T) {
	t.Parallel()
	clk := apikit.NewVirtualClock(time.Time{})
	h, s, _ := start(t, Options{Clock: clk,
		Group: func(method, route string) string { return strings.SplitN(strings.TrimPrefix(route, "/"), "/", 2)[0] },
		Rates: func(g string) Rate {
			if g == "orders" {
				return Rate{PerMinute: 30, Burst: 2}
			}
			return Rate{}
		},
		RateHeaders: func(hd http.Header, st RateState) { hd.Set("X-Used", strings.Repeat("x", st.MinuteUsed)) },
	})
	for i := range 2 {
		if code, hd := send(t, "GET", s.URL+"/orders"); code != 200 || len(hd.Get("X-Used")) != i {
			t.Fatalf("request %d: %d %q", i, code, hd.Get("X-Used"))
		}
	}
	code, hd := send(t, "GET", s.URL+"/orders")
	if code != 429 || hd.Get("Retry-After") != "2" {
		t.Fatalf("third: %d Retry-After %q, want 429 and 2 (a token every 2s)", code, hd.Get("Retry-After"))
	}
	// Another group is not limited.
	if code, _ := send(t, "GET", s.URL+"/products"); code != 200 {
		t.Fatalf("products %d", code)
	}
	clk.Advance(2 * time.Second)
	if code, _ := send(t, "GET", s.URL+"/orders"); code != 200 {
		t.Fatalf("after the wait: %d", code)
	}
	st := h.Stats()
	if st.Total != 5 || st.TooMany != 1 || st.ByRoute["GET /orders"] != 4 || st.Writes != 0 || st.Faulted != 0 {
		t.Fatalf("stats %+v", st)
	}
}

func TestHarnessFaultsAreDeterministic(t *testing.T) {
	t.Parallel()
	run := func() []int {
		h, s, _ := start(t, Options{Faults: Faults{ErrorRate: 0.3, DropRate: 0.2, TooManyRate: 0.1, Seed: 42}})
		var codes []int
		for range 40 {
			code, _ := send(t, "GET", s.URL+"/x")
			codes = append(codes, code)
		}
		if st := h.Stats(); st.Total != 40 || st.Faulted == 0 {
			t.Fatalf("stats %+v", st)
		}
		return codes
	}
	a, b := run(), run()
	if len(a) != len(b) {
		t.Fatal("lengths differ")
	}
	seen := map[int]bool{}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("run 1 and 2 differ at %d: %v vs %v", i, a, b)
		}
		seen[a[i]] = true
	}
	for _, code := range []int{0, 200, 429} {
		if !seen[code] {
			t.Errorf("no %d in %v", code, a)
		}
	}
}

func TestHarnessLostReplyAppliesTheWrite(t *testing.T) {
	t.Parallel()
	h, s, e := start(t, Options{Faults: Faults{LostReplyRate: 1}})
	if code, _ := send(t, "PUT", s.URL+"/products"); code != 0 {
		t.Fatalf("got an answer %d", code)
	}
	if st := h.Stats(); e.reached != 1 || st.Writes != 1 || st.Faulted != 1 {
		t.Fatalf("reached %d, stats %+v", e.reached, st)
	}
	h2, s2, e2 := start(t, Options{Faults: Faults{ErrorRate: 1}})
	if code, _ := send(t, "PUT", s2.URL+"/products"); code != 500 && code != 503 {
		t.Fatalf("code %d", code)
	}
	if st := h2.Stats(); e2.reached != 0 || st.Writes != 0 {
		t.Fatalf("an injected error reached the handler: %d %+v", e2.reached, st)
	}
}

func TestHarnessLatencyUsesTheClock(t *testing.T) {
	t.Parallel()
	clk := apikit.NewVirtualClock(time.Time{})
	_, s, _ := start(t, Options{Clock: clk, Faults: Faults{Latency: time.Hour}})
	t0 := clk.Now()
	if code, _ := send(t, "GET", s.URL+"/x"); code != 200 || clk.Now().Sub(t0) != time.Hour {
		t.Fatalf("%d after %v", code, clk.Now().Sub(t0))
	}
}

func TestRegistry(t *testing.T) {
	t.Parallel()
	if _, ok := Lookup("zz-test"); !ok { // -count=N runs it again
		Register(Spec{Name: "zz-test", New: func(Config) (Instance, error) { return nil, nil }})
	}
	if _, ok := Lookup("zz-test"); !ok {
		t.Fatal("not found")
	}
	found := false
	for _, n := range Names() {
		found = found || n == "zz-test"
	}
	if !found {
		t.Fatal("not listed")
	}
	defer func() {
		if recover() == nil {
			t.Fatal("a duplicate registered")
		}
	}()
	Register(Spec{Name: "zz-test", New: func(Config) (Instance, error) { return nil, nil }})
}
