package inflow

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Errors returned without contacting the server.
var (
	// ErrMissingID: a Put (or Get) was given an entity without its GUID.
	ErrMissingID = errors.New("inflow: missing entity id")
	// ErrInvalidID: the id is not a GUID.
	ErrInvalidID = errors.New("inflow: entity id is not a GUID")
	// ErrPagingStalled: a full page brought only ids already seen, so the
	// server is not honouring after=; the list stops rather than loop.
	ErrPagingStalled = errors.New("inflow: paging stalled: a full page repeated only ids already seen")
)

// maxMessage bounds APIError.Message; maxBody bounds APIError.Body.
const (
	maxMessage = 512
	maxBody    = 4096
)

// APIError is a request that inFlow answered with a status other than 2xx,
// after any retries. It carries what a user needs to act on it and never the
// API key or the query string.
type APIError struct {
	// Status is the HTTP status code, e.g. 422.
	Status int
	// Message is the server's message: taken from a JSON body ("message",
	// "title", "detail", "error", "errors", ...) or the text body, trimmed
	// and truncated to 512 bytes. Empty when the body had none.
	Message string
	// Body is the raw response body, truncated to 4 KiB, for journals.
	Body string
	// Method and Path name the request, e.g. "PUT" and "/products"; Path is
	// relative to the company root and carries no query string.
	Method, Path string
	// Attempts is how many times the request was sent. Above 1, an earlier
	// attempt may have taken effect (e.g. a conflict after a retried PUT).
	Attempts int
	// RetryAfter is the server's Retry-After on a 429 or 503, if any.
	RetryAfter time.Duration
}

// Error reads "inflow: PUT /products: 422 Unprocessable Entity: Negative Inventory".
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "inflow: %s %s: %d %s", e.Method, e.Path, e.Status, http.StatusText(e.Status))
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	return b.String()
}

// StatusOf returns the HTTP status of an *APIError in err's chain, or 0.
func StatusOf(err error) int {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Status
	}
	return 0
}

func messageContains(err error, words ...string) bool {
	var ae *APIError
	if !errors.As(err, &ae) {
		return false
	}
	m := strings.ToLower(ae.Message + " " + ae.Body)
	for _, w := range words {
		if strings.Contains(m, w) {
			return true
		}
	}
	return false
}

// IsConflict reports an optimistic-concurrency failure: a 409 or 412, or a
// 400/422 whose message speaks of the timestamp or a concurrent change (inFlow
// does not document the status it uses).
func IsConflict(err error) bool {
	switch StatusOf(err) {
	case http.StatusConflict, http.StatusPreconditionFailed:
		return true
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		return messageContains(err, "timestamp", "concurren", "modified by", "has been modified", "stale")
	}
	return false
}

// IsNegativeInventory reports inFlow's "422 - Negative Inventory": a pick
// that would drive stock below zero without the override header.
func IsNegativeInventory(err error) bool {
	return StatusOf(err) == http.StatusUnprocessableEntity && messageContains(err, "negative")
}

// IsNotFound reports a 404.
func IsNotFound(err error) bool { return StatusOf(err) == http.StatusNotFound }

// IsBadRequest reports a 400 (e.g. an invalid body, filter or include).
func IsBadRequest(err error) bool { return StatusOf(err) == http.StatusBadRequest }

// IsUnauthorized reports a 401 or 403: a wrong key or company, or no access.
func IsUnauthorized(err error) bool {
	s := StatusOf(err)
	return s == http.StatusUnauthorized || s == http.StatusForbidden
}

// IsRateLimited reports a 429 that outlasted the retries.
func IsRateLimited(err error) bool { return StatusOf(err) == http.StatusTooManyRequests }

// IsRowError reports an error that belongs to the data sent (400, 409, 412,
// 422): retrying the same request cannot help, but other rows can go on.
func IsRowError(err error) bool {
	switch StatusOf(err) {
	case http.StatusBadRequest, http.StatusConflict, http.StatusPreconditionFailed, http.StatusUnprocessableEntity:
		return true
	}
	return false
}

// serverMessage extracts a human message from an error body.
func serverMessage(body []byte) string {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return ""
	}
	var v any
	if json.Unmarshal(body, &v) == nil {
		if m := jsonMessage(v, 0); m != "" {
			return truncate(m, maxMessage)
		}
		if s, ok := v.(string); ok {
			return truncate(strings.TrimSpace(s), maxMessage)
		}
	}
	if bytes.HasPrefix(body, []byte("<")) { // an HTML error page says nothing useful
		return ""
	}
	return truncate(strings.Join(strings.Fields(string(body)), " "), maxMessage)
}

var messageKeys = []string{"message", "title", "detail", "error_description", "error", "errors", "description", "reason"}

// jsonMessage finds message-like values in a decoded JSON body.
func jsonMessage(v any, depth int) string {
	if depth > 4 {
		return ""
	}
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case []any:
		var parts []string
		for _, e := range x {
			if m := jsonMessage(e, depth+1); m != "" {
				parts = append(parts, m)
			}
		}
		return strings.Join(parts, "; ")
	case map[string]any:
		var parts []string
		keys := slices.Sorted(maps.Keys(x))
		for _, want := range messageKeys {
			for _, k := range keys {
				if val := x[k]; strings.EqualFold(k, want) {
					if m := jsonMessage(val, depth+1); m != "" && !slices.Contains(parts, m) {
						parts = append(parts, m)
					}
				}
			}
		}
		if len(parts) == 0 && depth > 0 {
			// A validation map such as {"errors": {"name": ["must be unique"]}}.
			for _, k := range slices.Sorted(maps.Keys(x)) {
				if m := jsonMessage(x[k], depth+1); m != "" {
					parts = append(parts, k+": "+m)
				}
			}
		}
		return strings.Join(parts, ": ")
	}
	return ""
}

// truncate cuts s to at most n bytes on a rune boundary, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
