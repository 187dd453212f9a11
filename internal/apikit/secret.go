package apikit

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
)

// Redacted is what a Secret prints as.
const Redacted = "[REDACTED]"

// Secret holds a credential (an API key, a token). It prints as
// "[REDACTED]" through every path a value leaves a program by — fmt (all
// verbs, %#v too), log/slog, encoding/json, encoding.TextMarshaler — and as
// "" when empty, so whether it is set stays visible. Only Reveal gives the
// value, for the one header that carries it.
type Secret struct{ v string }

// NewSecret wraps v.
func NewSecret(v string) Secret { return Secret{v: v} }

// Reveal returns the value. Call it only where the value is sent.
func (s Secret) Reveal() string { return s.v }

// IsZero reports an empty secret.
func (s Secret) IsZero() bool { return strings.TrimSpace(s.v) == "" }

func (s Secret) String() string {
	if s.v == "" {
		return ""
	}
	return Redacted
}

// GoString is String, so %#v redacts too.
func (s Secret) GoString() string { return s.String() }

// Format makes every fmt verb print the redacted form.
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", s.String())
		return
	}
	_, _ = f.Write([]byte(s.String()))
}

// LogValue is for log/slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalJSON writes the redacted form.
func (s Secret) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// MarshalText writes the redacted form (YAML, TOML and friends use it).
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Redactor replaces the values of secrets in text (error bodies a server
// echoed, log lines). The zero value redacts nothing.
type Redactor struct{ values []string }

// NewRedactor redacts the non-empty secrets given.
func NewRedactor(secrets ...Secret) Redactor {
	var r Redactor
	for _, s := range secrets {
		if s.v != "" {
			r.values = append(r.values, s.v)
		}
	}
	return r
}

// Redact returns s with every secret value replaced by "[REDACTED]".
func (r Redactor) Redact(s string) string {
	for _, v := range r.values {
		if strings.Contains(s, v) {
			s = strings.ReplaceAll(s, v, Redacted)
		}
	}
	return s
}
