package apikit

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

// Bounds of APIError.Message and APIError.Body.
const (
	MaxMessage = 512
	MaxBody    = 4096
)

// APIError is a request an API answered with a status the connector treats
// as a failure, after any retries. It carries what a user needs to act on it
// and never a secret (Message and Body are redacted) nor the query string.
// Connectors return it as it is, alias it, or wrap it.
type APIError struct {
	// API is the connector's name, the prefix of Error: "inflow".
	API string
	// Status is the HTTP status code, e.g. 422.
	Status int
	// Message is the server's message (see ServerMessage), redacted and
	// truncated to MaxMessage bytes; empty when the body had none.
	Message string
	// Body is the raw response body, redacted and truncated to MaxBody
	// bytes, for journals.
	Body string
	// Method and Path name the request, e.g. "PUT" and "/products"; Path
	// is relative to the base URL and carries no query string.
	Method, Path string
	// Route is the path template, e.g. "/products/{id}"; Path when the
	// connector gives none.
	Route string
	// Attempts is how many times the request was sent. Above 1, an earlier
	// attempt may have taken effect.
	Attempts int
	// RetryAfter is the server's wait hint (Retry-After), if any.
	RetryAfter time.Duration
}

// Error reads "inflow: PUT /products: 422 Unprocessable Entity: Negative
// Inventory (after 2 attempts)".
func (e *APIError) Error() string {
	var b strings.Builder
	if e.API != "" {
		b.WriteString(e.API + ": ")
	}
	fmt.Fprintf(&b, "%s %s: %d %s", e.Method, e.Path, e.Status, http.StatusText(e.Status))
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

// ServerMessage extracts a human message from an error body: from a JSON
// body ("message", "title", "detail", "error_description", "error",
// "errors", "description", "reason", and validation maps such as
// {"errors": {"name": ["must be unique"]}}), or the text of a non-HTML
// body, truncated to MaxMessage bytes.
func ServerMessage(body []byte) string {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return ""
	}
	var v any
	if json.Unmarshal(body, &v) == nil {
		if m := jsonMessage(v, 0); m != "" {
			return Truncate(m, MaxMessage)
		}
		if s, ok := v.(string); ok {
			return Truncate(strings.TrimSpace(s), MaxMessage)
		}
	}
	if bytes.HasPrefix(body, []byte("<")) { // an HTML error page says nothing useful
		return ""
	}
	return Truncate(strings.Join(strings.Fields(string(body)), " "), MaxMessage)
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

// Truncate cuts s to at most n bytes on a rune boundary, marking the cut
// with "…".
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
