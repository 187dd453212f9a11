package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// tc is a test client for one emulator.
type tc struct {
	t   *testing.T
	s   *Server
	hc  *http.Client
	hdr http.Header // extra headers for the next requests
}

func start(t *testing.T, opts Options) *tc {
	t.Helper()
	s, err := Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return &tc{t: t, s: s, hc: &http.Client{Timeout: 10 * time.Second}}
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r resp) obj(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("decode object: %v: %s", err, r.body)
	}
	return m
}

func (r resp) list(t *testing.T) []map[string]any {
	t.Helper()
	var m []map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("decode list: %v: %s", err, r.body)
	}
	return m
}

// raw sends a request with explicit headers (no defaults).
func (c *tc) raw(method, path string, body []byte, hdr http.Header) (resp, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, c.s.URL()+path, rd)
	if err != nil {
		return resp{}, err
	}
	req.Header = hdr
	res, err := c.hc.Do(req)
	if err != nil {
		return resp{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, header: res.Header, body: b}, err
}

func (c *tc) headers() http.Header {
	h := http.Header{}
	h.Set("Authorization", "Bearer "+c.s.APIKey())
	h.Set("Accept", "application/json;version="+APIVersion)
	h.Set("Content-Type", "application/json")
	for k, v := range c.hdr {
		h[k] = v
	}
	return h
}

// do sends an authorised request to /{companyId}{path}.
func (c *tc) do(method, path string, body any) resp {
	c.t.Helper()
	var b []byte
	if body != nil {
		var err error
		if b, err = json.Marshal(body); err != nil {
			c.t.Fatal(err)
		}
	}
	r, err := c.raw(method, "/"+c.s.CompanyID()+path, b, c.headers())
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	return r
}

func (c *tc) get(path string) resp { c.t.Helper(); return c.do("GET", path, nil) }

func (c *tc) put(kind string, body any) resp { c.t.Helper(); return c.do("PUT", "/"+kind, body) }

// must checks the status of a response.
func must(t *testing.T, r resp, status int) resp {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	return r
}

func q(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return "?" + v.Encode()
}

// seedIDs are well-known records of the bundled seed, found by name.
type seedIDs struct {
	main, showroom, overflow string
	tshirts, clothing        string
	retail, wholesale        string
	speaker, teeBlack, tote  string
	blueHarbor, northwind    string
}

func ids(t *testing.T, s *Server) seedIDs {
	t.Helper()
	find := func(kind, name string) string {
		for _, o := range s.All(kind) {
			if o["name"] == name {
				return fmt.Sprint(o[kinds[kind].idProp])
			}
		}
		t.Fatalf("seed has no %s %q", kind, name)
		return ""
	}
	return seedIDs{
		main: find("locations", "Main Warehouse"), showroom: find("locations", "Showroom"), overflow: find("locations", "Overflow Storage"),
		tshirts: find("categories", "Tshirts"), clothing: find("categories", "Clothing"),
		retail: find("pricing-schemes", "Retail Price"), wholesale: find("pricing-schemes", "Wholesale Price"),
		speaker: find("products", "Bluetooth Speaker BT-200"), teeBlack: find("products", "Classic Crew Tee - Black - M"),
		tote:       find("products", "Canvas Tote Bag"),
		blueHarbor: find("customers", "Blue Harbor Boutique"), northwind: find("vendors", "Northwind Apparel Co."),
	}
}
