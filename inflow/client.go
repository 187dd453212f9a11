package inflow

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"time"
)

// Client talks to one inFlow account. It is safe for concurrent use; share
// one Client (or its Limiter) between all goroutines using the account.
type Client struct {
	cfg   Config
	base  string // base URL + "/" + company ID, no trailing slash
	hc    *http.Client
	lim   *Limiter
	log   *slog.Logger
	stats statsCounter
}

// New checks cfg, fills its defaults and returns a Client. It refuses a
// missing key or company ID, and plain http:// to anything but a loopback
// address. It sends no request.
func New(cfg Config) (*Client, error) {
	cfg, u, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	c := &Client{
		cfg:  cfg,
		base: strings.TrimRight(u.String(), "/") + "/" + url.PathEscape(cfg.CompanyID),
		hc:   cfg.HTTPClient,
		lim:  cfg.Limiter,
		log:  cfg.Logger,
	}
	if c.hc == nil {
		c.hc = &http.Client{Timeout: 2 * time.Minute}
	}
	if c.lim == nil {
		c.lim = NewLimiter(cfg.RatePerMinute, cfg.RatePerHour)
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	return c, nil
}

// Config returns the effective configuration (defaults filled in). It
// prints with the key redacted.
func (c *Client) Config() Config { return c.cfg }

// CompanyID returns the account's company ID.
func (c *Client) CompanyID() string { return c.cfg.CompanyID }

// Limiter returns the limiter every request of c waits on.
func (c *Client) Limiter() *Limiter { return c.lim }

// Stats returns a snapshot of c's counters.
func (c *Client) Stats() Stats { return c.stats.snapshot() }

// ResetStats zeroes c's counters.
func (c *Client) ResetStats() { c.stats.reset() }

// Request is one API call for Client.Do.
type Request struct {
	// Method is the HTTP method: GET, PUT, POST or DELETE.
	Method string
	// Path is the escaped path below the company root, starting with "/",
	// e.g. "/products" or "/products/<id>/summary".
	Path string
	// Query holds the query parameters (filters, include, paging).
	Query url.Values
	// Body, when non-nil, is sent as JSON (a []byte or json.RawMessage is
	// sent as it is).
	Body any
	// Header holds extra headers, e.g. X-OverrideAllowNegativeInventory.
	Header http.Header
	// Idempotent allows retries on 5xx, timeouts and dropped connections.
	// GET and HEAD are always idempotent. 429s are retried for every
	// method, since inFlow did not process the request.
	Idempotent bool
}

// Do sends r (waiting on the limiter, retrying as its contract allows),
// decodes a 2xx JSON body into out when out is non-nil, and returns the
// response headers. A non-2xx answer is an *APIError; a transport failure
// after the last try wraps the underlying error; a canceled ctx returns
// ctx.Err() (wrapped).
func (c *Client) Do(ctx context.Context, r Request, out any) (http.Header, error) {
	h, err := c.do(ctx, r, out)
	if err != nil {
		c.stats.update(func(s *Stats) { s.Failed++ })
	}
	return h, err
}

const (
	headerNegative = "X-OverrideAllowNegativeInventory"
	maxErrorBody   = 64 << 10
	maxOKBody      = 512 << 20
)

func (c *Client) do(ctx context.Context, r Request, out any) (http.Header, error) {
	if r.Method == "" {
		r.Method = http.MethodGet
	}
	if !strings.HasPrefix(r.Path, "/") {
		r.Path = "/" + r.Path
	}
	var body []byte
	switch b := r.Body.(type) {
	case nil:
	case []byte:
		body = b
	case json.RawMessage:
		body = b
	default:
		var err error
		if body, err = json.Marshal(b); err != nil {
			return nil, fmt.Errorf("inflow: %s %s: encoding body: %w", r.Method, r.Path, err)
		}
	}
	idempotent := r.Idempotent || r.Method == http.MethodGet || r.Method == http.MethodHead
	target := c.base + r.Path
	if len(r.Query) > 0 {
		target += "?" + r.Query.Encode()
	}

	for attempt := 1; ; attempt++ {
		waited, err := c.lim.Wait(ctx)
		c.stats.update(func(s *Stats) { s.Waited += waited })
		if err != nil {
			return nil, fmt.Errorf("inflow: %s %s: waiting for the rate limiter: %w", r.Method, r.Path, err)
		}
		var rd io.Reader
		if body != nil {
			rd = bytes.NewReader(body)
		}
		// Go's Transport silently resends an idempotent request when a reused
		// keep-alive connection is closed before the answer. Each send asks
		// for a connection (GetConn): pace and count the resends like ours.
		sends := 0
		trace := &httptrace.ClientTrace{GetConn: func(string) {
			if sends++; sends == 1 {
				return
			}
			w, _ := c.lim.Wait(ctx)
			c.stats.update(func(s *Stats) {
				s.Waited += w
				s.Requests++
				s.Retries++
				s.ByMethod[r.Method]++
			})
		}}
		req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), r.Method, target, rd)
		if err != nil {
			return nil, fmt.Errorf("inflow: %s %s: %w", r.Method, r.Path, stripURLError(err))
		}
		for k, vs := range r.Header {
			for _, v := range vs {
				req.Header.Add(k, v)
			}
		}
		req.Header.Set("Authorization", "Bearer "+c.cfg.APIKey)
		req.Header.Set("Accept", "application/json;version="+c.cfg.APIVersion)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", c.cfg.UserAgent)

		start := time.Now()
		resp, err := c.hc.Do(req)
		c.stats.update(func(s *Stats) {
			s.Requests++
			s.ByMethod[r.Method]++
			if attempt > 1 {
				s.Retries++
			}
		})
		if err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("inflow: %s %s: %w", r.Method, r.Path, ctx.Err())
			}
			err = stripURLError(err)
			if idempotent && attempt <= c.cfg.MaxRetries && retryableTransport(err) {
				if werr := c.backoffWait(ctx, r, attempt, c.backoff(attempt), err.Error()); werr != nil {
					return nil, werr
				}
				continue
			}
			return nil, fmt.Errorf("inflow: %s %s: %w%s", r.Method, r.Path, err, attemptsSuffix(attempt))
		}

		limit := int64(maxOKBody)
		if resp.StatusCode/100 != 2 {
			limit = maxErrorBody
		}
		data, rerr := io.ReadAll(io.LimitReader(resp.Body, limit))
		resp.Body.Close()
		c.lim.Observe(resp.Header)
		c.log.LogAttrs(ctx, slog.LevelDebug, "inflow request",
			slog.String("method", r.Method), slog.String("path", r.Path), slog.Int("status", resp.StatusCode),
			slog.Int("attempt", attempt), slog.Duration("elapsed", time.Since(start)))

		status := resp.StatusCode
		switch {
		case status/100 == 2:
			if rerr != nil {
				if ctx.Err() != nil {
					return nil, fmt.Errorf("inflow: %s %s: %w", r.Method, r.Path, ctx.Err())
				}
				if idempotent && attempt <= c.cfg.MaxRetries {
					if werr := c.backoffWait(ctx, r, attempt, c.backoff(attempt), "reading body: "+rerr.Error()); werr != nil {
						return nil, werr
					}
					continue
				}
				return nil, fmt.Errorf("inflow: %s %s: reading response: %w%s", r.Method, r.Path, rerr, attemptsSuffix(attempt))
			}
			if out != nil && len(bytes.TrimSpace(data)) > 0 {
				if err := json.Unmarshal(data, out); err != nil {
					return resp.Header, fmt.Errorf("inflow: %s %s: decoding response: %w", r.Method, r.Path, err)
				}
			}
			return resp.Header, nil

		case status == http.StatusTooManyRequests:
			c.stats.update(func(s *Stats) { s.TooMany++ })
			ra, hasRA := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
			apiErr := c.apiError(r, status, data, attempt, ra)
			if hasRA && ra > c.cfg.MaxRetryAfter {
				return nil, apiErr
			}
			floor := max(c.cfg.MinRetryDelay, c.lim.Interval())
			wait := max(c.backoff(attempt), floor)
			if hasRA {
				wait = max(ra, floor)
			}
			// Everyone on this account waits, retrying or not: the limit is shared.
			c.lim.Pause(wait)
			if attempt > c.cfg.MaxRetries {
				return nil, apiErr
			}
			c.log.LogAttrs(ctx, slog.LevelWarn, "inflow rate limited; pausing the account's requests",
				slog.String("method", r.Method), slog.String("path", r.Path), slog.Int("attempt", attempt),
				slog.Duration("wait", wait), slog.Bool("retryAfter", hasRA))
			continue

		case idempotent && retryableStatus(status) && attempt <= c.cfg.MaxRetries:
			wait := c.backoff(attempt)
			if ra, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok && status == http.StatusServiceUnavailable {
				if ra > c.cfg.MaxRetryAfter {
					return nil, c.apiError(r, status, data, attempt, ra)
				}
				wait = max(ra, c.cfg.MinRetryDelay)
			}
			if werr := c.backoffWait(ctx, r, attempt, wait, fmt.Sprintf("status %d", status)); werr != nil {
				return nil, werr
			}
			continue

		default:
			ra, _ := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
			return nil, c.apiError(r, status, data, attempt, ra)
		}
	}
}

// backoffWait logs a retry and sleeps for wait (counted in Stats.Waited).
func (c *Client) backoffWait(ctx context.Context, r Request, attempt int, wait time.Duration, reason string) error {
	c.log.LogAttrs(ctx, slog.LevelWarn, "inflow request failed; retrying",
		slog.String("method", r.Method), slog.String("path", r.Path), slog.Int("attempt", attempt),
		slog.String("reason", c.redact(reason)), slog.Duration("wait", wait))
	start := time.Now()
	err := sleepCtx(ctx, wait)
	c.stats.update(func(s *Stats) { s.Waited += time.Since(start) })
	if err != nil {
		return fmt.Errorf("inflow: %s %s: %w", r.Method, r.Path, err)
	}
	return nil
}

// backoff is the capped exponential delay before retry number attempt,
// with equal jitter: a value in [d/2, d] for d = min(max, min·2^(attempt-1)).
func (c *Client) backoff(attempt int) time.Duration {
	d := c.cfg.MaxRetryDelay
	if attempt < 31 {
		if e := c.cfg.MinRetryDelay << (attempt - 1); e > 0 && e < d {
			d = e
		}
	}
	half := d / 2
	return half + rand.N(d-half+1)
}

func (c *Client) apiError(r Request, status int, body []byte, attempt int, ra time.Duration) *APIError {
	return &APIError{
		Status:     status,
		Message:    c.redact(serverMessage(body)),
		Body:       c.redact(truncate(string(body), maxBody)),
		Method:     r.Method,
		Path:       r.Path,
		Attempts:   attempt,
		RetryAfter: ra,
	}
}

// redact removes the API key from s, should a server ever echo it.
func (c *Client) redact(s string) string {
	if c.cfg.APIKey == "" || !strings.Contains(s, c.cfg.APIKey) {
		return s
	}
	return strings.ReplaceAll(s, c.cfg.APIKey, redacted)
}

func attemptsSuffix(attempt int) string {
	if attempt > 1 {
		return fmt.Sprintf(" (after %d attempts)", attempt)
	}
	return ""
}

// retryableStatus: server-side failures worth another try.
func retryableStatus(status int) bool {
	return status >= 500 && status != http.StatusNotImplemented && status != http.StatusHTTPVersionNotSupported
}

// retryableTransport: timeouts, resets, drops and refusals are worth another
// try; certificate and name-resolution failures are not.
func retryableTransport(err error) bool {
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	if errors.As(err, &certErr) || errors.As(err, &unknownAuth) || errors.As(err, &hostErr) || errors.As(err, &invalid) {
		return false
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
		return false
	}
	return true
}

// stripURLError drops the URL (company ID, query) from a *url.Error,
// keeping its cause.
func stripURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
