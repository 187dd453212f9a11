package apikit

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// ErrRedirectRefused is in the chain of a request whose redirect the
// policy refused; such a request is never retried.
var ErrRedirectRefused = errors.New("redirect refused")

// maxRedirects is how many redirects one request follows.
const maxRedirects = 10

// RedirectPolicy returns an http.Client CheckRedirect that
//   - refuses a redirect from https to http, except loopback to loopback,
//     and any redirect to plain http on a non-loopback host;
//   - sends credentials only to the host of the original request: on a
//     redirect to another host (a download host, such as Goflow's report
//     file_url CDN) it follows WITHOUT Authorization, Cookie,
//     Proxy-Authorization and the secretHeaders given;
//   - stops after 10 redirects.
//
// A refusal wraps ErrRedirectRefused.
func RedirectPolicy(secretHeaders ...string) func(req *http.Request, via []*http.Request) error {
	drop := append([]string{"Authorization", "Proxy-Authorization", "Cookie"}, secretHeaders...)
	return func(req *http.Request, via []*http.Request) error {
		if len(via) == 0 {
			return nil
		}
		if len(via) >= maxRedirects {
			return fmt.Errorf("%w: stopped after %d redirects", ErrRedirectRefused, maxRedirects)
		}
		prev, first := via[len(via)-1], via[0]
		to := req.URL
		if !strings.EqualFold(to.Scheme, "https") {
			if !strings.EqualFold(to.Scheme, "http") {
				return fmt.Errorf("%w: to scheme %q", ErrRedirectRefused, to.Scheme)
			}
			if !IsLoopback(to.Hostname()) {
				return fmt.Errorf("%w: to plain http on %s (credentials and data would travel unencrypted)", ErrRedirectRefused, to.Hostname())
			}
			if strings.EqualFold(prev.URL.Scheme, "https") && !IsLoopback(prev.URL.Hostname()) {
				return fmt.Errorf("%w: from https on %s down to http", ErrRedirectRefused, prev.URL.Hostname())
			}
		}
		if !SameHost(first.URL, to) {
			for _, h := range drop {
				req.Header.Del(h)
			}
		}
		return nil
	}
}

// SameHost reports whether a and b name the same scheme, host and port
// (default ports filled in).
func SameHost(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(hostPort(a), hostPort(b))
}

func hostPort(u *url.URL) string {
	if u.Port() != "" {
		return u.Host
	}
	port := "80"
	if strings.EqualFold(u.Scheme, "https") {
		port = "443"
	}
	return net.JoinHostPort(u.Hostname(), port)
}

// IsLoopback reports whether host is localhost or a loopback IP address.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// CheckBaseURL parses a connector's base URL: https, or plain http only to
// a loopback host (an emulator); no user info, query or fragment. api
// prefixes the errors.
func CheckBaseURL(api, raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(strings.TrimSpace(raw), "/"))
	if err != nil {
		return nil, fmt.Errorf("%s: invalid base URL: %v", api, err)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Host == "" {
		return nil, fmt.Errorf("%s: base URL must be scheme://host[/path] without credentials, query or fragment", api)
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !IsLoopback(u.Hostname()) {
			return nil, fmt.Errorf("%s: refusing plain http to %s: the API key would travel unencrypted (use https; http is allowed only for loopback)", api, u.Hostname())
		}
	default:
		return nil, fmt.Errorf("%s: unsupported base URL scheme %q", api, u.Scheme)
	}
	return u, nil
}
