package apikit

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync"
	"time"
)

// ClientConfig configures a Client: what a connector declares once.
type ClientConfig struct {
	// API is the connector's name: the prefix of errors and log messages
	// ("inflow: GET /products: ...") and LimiterKey.API.
	API string
	// BaseURL is the root every Request.Path is appended to. It must be
	// https, or http to a loopback host (CheckBaseURL).
	BaseURL string
	// Account identifies the account at BaseURL for the limiter key
	// (company id, tenant); it is not sent.
	Account string
	// Registry is the process's registry (pipeline.Env.APIs): the clock,
	// the shared limiters, test options. A private one when nil.
	Registry *Registry
	// Limiter, when set, is the limiter of every request instead of the
	// registry's.
	Limiter *Limiter
	// Limits returns the limits of an endpoint group's limiter on its first
	// use (group "" is the account); nil is Limits{} for every group.
	Limits func(group string) Limits
	// Auth sets the credentials on a request to BaseURL's host (e.g.
	// Authorization: Bearer <key>). It is never called for another host,
	// and the redirect policy strips credentials on a cross-host redirect.
	Auth func(h http.Header)
	// Secrets are redacted from every error message, error body and log
	// line of the client (the API key, a token).
	Secrets []Secret
	// SecretHeaders are request headers carrying credentials besides
	// Authorization (e.g. "X-Api-Key"): dropped on cross-host redirects.
	SecretHeaders []string
	// Header is sent on every request (Accept, Content-Type, User-Agent);
	// Request.Header adds to it.
	Header http.Header
	// Classify maps an answer that is not 2xx onto an error: a
	// *BackOffError to retry after a wait (see TooManyRequests, RetryLater),
	// any other error to fail at once (build it with Response.APIError), or
	// nil to treat the answer as a success. DefaultClassify when nil.
	Classify func(*Response) error
	// ObserveHeaders learns from every answer's headers (lower limits,
	// pause on "remaining: 0"); (*Limiter).ObserveRemaining when nil.
	ObserveHeaders func(l *Limiter, h http.Header)
	// Retry bounds retries; zero fields take the defaults. The registry's
	// RetryPolicy overrides its non-zero fields.
	Retry RetryPolicy
	// HTTPClient sends the requests (the registry's, else one with a
	// 2-minute timeout). Its CheckRedirect is replaced by RedirectPolicy.
	HTTPClient *http.Client
	// Logger receives diagnostics (never a secret); discarded when nil.
	Logger *slog.Logger
	// Observer sees every request and retry (with the registry's).
	Observer Observer
	// MaxBody bounds a 2xx body read into memory (default 512 MiB);
	// MaxErrorBody an error body (default 64 KiB).
	MaxBody, MaxErrorBody int64
}

// Request is one API call.
type Request struct {
	// Method is the HTTP method; GET when empty.
	Method string
	// Path is the escaped path below BaseURL, starting with "/".
	Path string
	// Route is Path's template for observers and errors
	// ("/products/{id}"); Path when empty.
	Route string
	// URL, when set, is an absolute URL used instead of BaseURL+Path (a
	// report's file_url). Credentials go only to BaseURL's host.
	URL string
	// Query holds the query parameters.
	Query url.Values
	// Body is sent as it is; nil sends none.
	Body []byte
	// Header holds extra headers.
	Header http.Header
	// Group is the endpoint group whose limiter the request waits on (""
	// for the account's).
	Group string
	// Idempotent says the request is safe to repeat: retries after 5xx,
	// timeouts and dropped connections. GET, HEAD and OPTIONS always are. A
	// NotProcessed back-off (429) is retried for every method.
	Idempotent bool
}

// Response is an answer, given to Classify and returned by Do.
type Response struct {
	Request *Request
	Status  int
	Header  http.Header
	// Body is the body read (bounded by MaxBody or MaxErrorBody).
	Body []byte
	// Attempt is which send of the request this answers (1 = the first).
	Attempt int
	// Now is when the answer arrived, on the client's clock (for
	// Retry-After dates).
	Now time.Time

	c *Client
}

// APIError builds the *APIError of r: status, redacted message and body,
// method, path, route, attempts, and the Retry-After header if any.
func (r *Response) APIError() *APIError {
	ra, _ := ParseRetryAfter(r.Header.Get("Retry-After"), r.Now)
	red := Redactor{}
	api := ""
	if r.c != nil {
		red, api = r.c.red, r.c.cfg.API
	}
	return &APIError{
		API:        api,
		Status:     r.Status,
		Message:    red.Redact(ServerMessage(r.Body)),
		Body:       red.Redact(Truncate(string(r.Body), MaxBody)),
		Method:     r.Request.Method,
		Path:       r.Request.Path,
		Route:      r.Request.route(),
		Attempts:   r.Attempt,
		RetryAfter: ra,
	}
}

// DefaultClassify is the common mapping: 429 is TooManyRequests (with
// Retry-After), 503 is RetryLater with Retry-After, other 5xx but 501 and
// 505 RetryLater without a wait, everything else an *APIError.
func DefaultClassify(r *Response) error {
	apiErr := r.APIError()
	switch {
	case r.Status == http.StatusTooManyRequests:
		ra, ok := ParseRetryAfter(r.Header.Get("Retry-After"), r.Now)
		return TooManyRequests(apiErr, ra, ok)
	case r.Status == http.StatusServiceUnavailable:
		ra, ok := ParseRetryAfter(r.Header.Get("Retry-After"), r.Now)
		return RetryLater(apiErr, ra, ok)
	case RetryableStatus(r.Status):
		return RetryLater(apiErr, 0, false)
	}
	return apiErr
}

// Stats count a Client's traffic since NewClient or ResetStats.
type Stats struct {
	// Requests is the number of HTTP requests sent, retries and the
	// transport's own resends included.
	Requests int
	// Retries is how many of those repeated an earlier attempt.
	Retries int
	// TooMany is the number of 429 answers.
	TooMany int
	// Failed is the number of calls that returned an error to the caller.
	Failed int
	// Waited is the time spent on the limiter and in back-off, on the
	// clock, summed over goroutines (so it can exceed the wall time).
	Waited time.Duration
	// ByMethod counts Requests by HTTP method.
	ByMethod map[string]int
}

// Client sends a connector's requests through the kit's layers: limiter,
// retry, redirect policy, redaction, observer, stats. Safe for concurrent
// use; build one per account and share it.
type Client struct {
	cfg   ClientConfig
	base  *url.URL
	reg   *Registry
	clock Clock
	hc    *http.Client
	retry RetryPolicy
	red   Redactor
	log   *slog.Logger
	obs   Observer
	limMu sync.Mutex
	lims  map[string]*Limiter
	stMu  sync.Mutex
	stats Stats
}

// NewClient checks cfg (CheckBaseURL) and returns a Client. It sends no
// request.
func NewClient(cfg ClientConfig) (*Client, error) {
	if cfg.API == "" {
		return nil, errors.New("apikit: ClientConfig.API is empty")
	}
	base, err := CheckBaseURL(cfg.API, cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	reg := cfg.Registry.Or()
	c := &Client{
		cfg:   cfg,
		base:  base,
		reg:   reg,
		clock: reg.Clock(),
		retry: cfg.Retry.override(reg.opts.Retry).WithDefaults(),
		red:   NewRedactor(cfg.Secrets...),
		log:   cfg.Logger,
		obs:   Observers(cfg.Observer, reg.opts.Observer),
		lims:  map[string]*Limiter{},
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.cfg.MaxBody <= 0 {
		c.cfg.MaxBody = 512 << 20
	}
	if c.cfg.MaxErrorBody <= 0 {
		c.cfg.MaxErrorBody = 64 << 10
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = reg.opts.HTTPClient
	}
	var copied http.Client
	if hc != nil {
		copied = *hc
	} else {
		copied = http.Client{Timeout: 2 * time.Minute}
	}
	copied.CheckRedirect = RedirectPolicy(cfg.SecretHeaders...)
	c.hc = &copied
	return c, nil
}

// BaseURL returns the checked base URL, without a trailing slash.
func (c *Client) BaseURL() string { return c.base.String() }

// Clock returns the clock the client waits on.
func (c *Client) Clock() Clock { return c.clock }

// Registry returns the registry the client takes its limiters from.
func (c *Client) Registry() *Registry { return c.reg }

// RetryPolicy returns the policy in force (defaults filled).
func (c *Client) RetryPolicy() RetryPolicy { return c.retry }

// Limiter returns the limiter requests of group wait on.
func (c *Client) Limiter(group string) *Limiter {
	if c.cfg.Limiter != nil {
		return c.cfg.Limiter
	}
	c.limMu.Lock()
	defer c.limMu.Unlock()
	if l, ok := c.lims[group]; ok {
		return l
	}
	var limits Limits
	if c.cfg.Limits != nil {
		limits = c.cfg.Limits(group)
	}
	l := c.reg.Limiter(LimiterKey{API: c.cfg.API, Account: AccountKey(c.base.String(), c.cfg.Account), Group: group}, limits)
	c.lims[group] = l
	return l
}

// Redact removes the client's secrets from s.
func (c *Client) Redact(s string) string { return c.red.Redact(s) }

// Stats returns a snapshot of the counters.
func (c *Client) Stats() Stats {
	c.stMu.Lock()
	defer c.stMu.Unlock()
	s := c.stats
	s.ByMethod = maps.Clone(c.stats.ByMethod)
	if s.ByMethod == nil {
		s.ByMethod = map[string]int{}
	}
	return s
}

// ResetStats zeroes the counters.
func (c *Client) ResetStats() {
	c.stMu.Lock()
	defer c.stMu.Unlock()
	c.stats = Stats{}
}

func (c *Client) count(f func(*Stats)) {
	c.stMu.Lock()
	defer c.stMu.Unlock()
	if c.stats.ByMethod == nil {
		c.stats.ByMethod = map[string]int{}
	}
	f(&c.stats)
}

func (r *Request) route() string {
	if r.Route != "" {
		return r.Route
	}
	return r.Path
}

// Do sends r: it waits on the limiter, sends, reads the body, learns from
// the headers, and on a non-2xx answer asks Classify; a *BackOffError is
// retried as its doc says, any other error returned. It returns the
// response of a success (2xx, or an answer Classify accepted). A transport
// failure after the last try wraps the underlying error; a canceled ctx
// returns ctx.Err() (wrapped). Errors carry no secret and no query string.
func (c *Client) Do(ctx context.Context, r Request) (*Response, error) {
	resp, err := c.do(ctx, &r)
	if err != nil {
		c.count(func(s *Stats) { s.Failed++ })
	}
	return resp, err
}

func (c *Client) errorf(r *Request, format string, args ...any) error {
	return fmt.Errorf("%s: %s %s: "+format, append([]any{c.cfg.API, r.Method, r.Path}, args...)...)
}

func (c *Client) do(ctx context.Context, r *Request) (*Response, error) {
	if r.Method == "" {
		r.Method = http.MethodGet
	}
	target, sameHost, err := c.target(r)
	if err != nil {
		return nil, err
	}
	idempotent := r.Idempotent || r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodOptions
	lim := c.Limiter(r.Group)
	for attempt := 1; ; attempt++ {
		released, waited, err := lim.Acquire(ctx)
		c.count(func(s *Stats) { s.Waited += waited })
		if err != nil {
			return nil, c.errorf(r, "waiting for the rate limiter: %w", err)
		}
		var rd io.Reader
		if r.Body != nil {
			rd = bytes.NewReader(r.Body)
		}
		// Go's Transport silently resends an idempotent request when a reused
		// keep-alive connection is closed before the answer. Each send asks
		// for a connection (GetConn): pace and count the resends like ours.
		sends := 0
		trace := &httptrace.ClientTrace{GetConn: func(string) {
			if sends++; sends == 1 {
				return
			}
			at, w, _ := lim.Acquire(ctx)
			c.count(func(s *Stats) {
				s.Waited += w
				s.Requests++
				s.Retries++
				s.ByMethod[r.Method]++
			})
			c.obs.ObserveRequest(RequestEvent{API: c.cfg.API, Time: at, Method: r.Method, Path: r.Path,
				Route: r.route(), Waited: w, Attempt: attempt, Resend: true})
		}}
		req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), r.Method, target, rd)
		if err != nil {
			return nil, c.errorf(r, "%w", stripURLError(err))
		}
		for k, vs := range c.cfg.Header {
			for _, v := range vs {
				req.Header.Add(k, v)
			}
		}
		for k, vs := range r.Header {
			for _, v := range vs {
				req.Header.Add(k, v)
			}
		}
		if sameHost && c.cfg.Auth != nil {
			c.cfg.Auth(req.Header)
		}

		start := released // the limiter's release: exact on any clock
		resp, err := c.hc.Do(req)
		c.count(func(s *Stats) {
			s.Requests++
			s.ByMethod[r.Method]++
			if attempt > 1 {
				s.Retries++
			}
		})
		if err != nil {
			if ctx.Err() != nil {
				return nil, c.errorf(r, "%w", ctx.Err())
			}
			err = c.redactErr(stripURLError(err))
			c.obs.ObserveRequest(RequestEvent{API: c.cfg.API, Time: start, Method: r.Method, Path: r.Path, Route: r.route(),
				Duration: c.clock.Now().Sub(start), Waited: waited, Attempt: attempt, Err: err})
			if idempotent && attempt <= c.retry.MaxRetries && retryableTransport(err) {
				if werr := c.backoffWait(ctx, r, attempt, c.backoff(attempt), err.Error()); werr != nil {
					return nil, werr
				}
				continue
			}
			return nil, c.errorf(r, "%w%s", err, attemptsSuffix(attempt))
		}

		limit := c.cfg.MaxBody
		if resp.StatusCode/100 != 2 {
			limit = c.cfg.MaxErrorBody
		}
		data, rerr := io.ReadAll(io.LimitReader(resp.Body, limit))
		resp.Body.Close()
		if c.cfg.ObserveHeaders != nil {
			c.cfg.ObserveHeaders(lim, resp.Header)
		} else {
			lim.ObserveRemaining(resp.Header)
		}
		now := c.clock.Now()
		c.log.LogAttrs(ctx, slog.LevelDebug, c.cfg.API+" request",
			slog.String("method", r.Method), slog.String("path", r.Path), slog.Int("status", resp.StatusCode),
			slog.Int("attempt", attempt), slog.Duration("elapsed", now.Sub(start)))
		c.obs.ObserveRequest(RequestEvent{API: c.cfg.API, Time: start, Method: r.Method, Path: r.Path, Route: r.route(),
			Status: resp.StatusCode, Duration: now.Sub(start), Waited: waited, Attempt: attempt})
		out := &Response{Request: r, Status: resp.StatusCode, Header: resp.Header, Body: data, Attempt: attempt, Now: now, c: c}

		if resp.StatusCode/100 == 2 {
			if rerr != nil {
				if ctx.Err() != nil {
					return nil, c.errorf(r, "%w", ctx.Err())
				}
				if idempotent && attempt <= c.retry.MaxRetries {
					if werr := c.backoffWait(ctx, r, attempt, c.backoff(attempt), "reading body: "+rerr.Error()); werr != nil {
						return nil, werr
					}
					continue
				}
				return nil, c.errorf(r, "reading response: %w%s", rerr, attemptsSuffix(attempt))
			}
			return out, nil
		}
		if resp.StatusCode == http.StatusTooManyRequests {
			c.count(func(s *Stats) { s.TooMany++ })
		}
		classify := c.cfg.Classify
		if classify == nil {
			classify = DefaultClassify
		}
		cerr := classify(out)
		if cerr == nil {
			return out, nil
		}
		bo, ok := IsBackOff(cerr)
		if !ok {
			return nil, cerr
		}
		if bo.HasWait && bo.Wait > c.retry.MaxRetryAfter {
			c.retryEvent(r, attempt, bo.Wait, false, true, "server wait above the longest waited out")
			return nil, bo.Err
		}
		floor := c.retry.MinDelay
		if bo.Shared {
			floor = max(floor, lim.Interval())
		}
		var wait time.Duration
		if bo.HasWait {
			wait = max(bo.Wait, floor)
		} else {
			wait = c.backoff(attempt)
			if bo.Shared {
				wait = max(wait, floor)
			}
		}
		retry := (idempotent || bo.NotProcessed) && attempt <= c.retry.MaxRetries
		reason := fmt.Sprintf("status %d", resp.StatusCode)
		if bo.Shared {
			// Everyone on this limiter waits, retrying or not: the limit is shared.
			lim.Pause(wait)
			c.retryEvent(r, attempt, wait, true, !retry, reason)
			if !retry {
				return nil, bo.Err
			}
			c.log.LogAttrs(ctx, slog.LevelWarn, c.cfg.API+" rate limited; pausing the account's requests",
				slog.String("method", r.Method), slog.String("path", r.Path), slog.Int("attempt", attempt),
				slog.Duration("wait", wait), slog.Bool("retryAfter", bo.HasWait))
			continue
		}
		if !retry {
			return nil, bo.Err
		}
		if werr := c.backoffWait(ctx, r, attempt, wait, reason); werr != nil {
			return nil, werr
		}
	}
}

// target builds the URL of r and says whether it is on BaseURL's host.
func (c *Client) target(r *Request) (string, bool, error) {
	if r.URL != "" {
		u, err := url.Parse(r.URL)
		if err != nil || u.Host == "" {
			return "", false, fmt.Errorf("%s: %s: not an absolute URL", c.cfg.API, r.Method)
		}
		if !strings.EqualFold(u.Scheme, "https") && !(strings.EqualFold(u.Scheme, "http") && IsLoopback(u.Hostname())) {
			return "", false, fmt.Errorf("%s: %s %s: refusing a URL that is not https", c.cfg.API, r.Method, u.Hostname())
		}
		if r.Path == "" {
			r.Path = u.EscapedPath()
		}
		return u.String(), SameHost(u, c.base), nil
	}
	if !strings.HasPrefix(r.Path, "/") {
		r.Path = "/" + r.Path
	}
	t := strings.TrimRight(c.base.String(), "/") + r.Path
	if len(r.Query) > 0 {
		t += "?" + r.Query.Encode()
	}
	return t, true, nil
}

func (c *Client) retryEvent(r *Request, attempt int, wait time.Duration, paused, final bool, reason string) {
	c.obs.ObserveRetry(RetryEvent{API: c.cfg.API, Time: c.clock.Now(), Method: r.Method, Path: r.Path, Route: r.route(),
		Attempt: attempt, Wait: wait, Paused: paused, Final: final, Reason: c.red.Redact(reason)})
}

// backoffWait reports a retry and sleeps for wait (counted in Stats.Waited).
func (c *Client) backoffWait(ctx context.Context, r *Request, attempt int, wait time.Duration, reason string) error {
	c.retryEvent(r, attempt, wait, false, false, reason)
	c.log.LogAttrs(ctx, slog.LevelWarn, c.cfg.API+" request failed; retrying",
		slog.String("method", r.Method), slog.String("path", r.Path), slog.Int("attempt", attempt),
		slog.String("reason", c.red.Redact(reason)), slog.Duration("wait", wait))
	start := c.clock.Now()
	err := c.clock.Sleep(ctx, wait)
	c.count(func(s *Stats) { s.Waited += c.clock.Now().Sub(start) })
	if err != nil {
		return c.errorf(r, "%w", err)
	}
	return nil
}

func (c *Client) backoff(attempt int) time.Duration {
	return c.retry.Backoff(attempt, c.reg.rnd.int64N)
}

// redactErr returns err with the client's secrets removed from its text.
func (c *Client) redactErr(err error) error {
	if s := err.Error(); c.red.Redact(s) != s {
		return redactedError{msg: c.red.Redact(s), err: err}
	}
	return err
}

type redactedError struct {
	msg string
	err error
}

func (e redactedError) Error() string { return e.msg }
func (e redactedError) Unwrap() error { return e.err }

func attemptsSuffix(attempt int) string {
	if attempt > 1 {
		return fmt.Sprintf(" (after %d attempts)", attempt)
	}
	return ""
}

// retryableTransport: timeouts, resets, drops and refusals are worth another
// try; certificate and name-resolution failures and refused redirects are not.
func retryableTransport(err error) bool {
	if errors.Is(err, ErrRedirectRefused) {
		return false
	}
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

// stripURLError drops the URL (account id, query) from a *url.Error,
// keeping its cause.
func stripURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
