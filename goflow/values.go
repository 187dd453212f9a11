package goflow

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/internal/jsonval"
)

// Decimal is an exact decimal number for money and quantities. Goflow
// sends amounts as JSON numbers ("double" in its schemas); Decimal reads
// the number's digits as written, never through float64, and writes a
// JSON number (see jsonval.Decimal).
type Decimal = jsonval.Decimal

// NewDecimal wraps a shopspring decimal.
func NewDecimal(d decimal.Decimal) Decimal { return Decimal{Decimal: d} }

// DecimalPtr returns a pointer to d.
func DecimalPtr(d decimal.Decimal) *Decimal { return &Decimal{Decimal: d} }

// Time is an instant as Goflow writes it: ISO 8601 in UTC, with or without
// fractional seconds (2025-01-31T18:30:20Z, 2025-01-31T18:30:20.123456Z).
// An explicit offset is accepted and converted to UTC. It writes RFC 3339
// in UTC, with fractional seconds only when there are some.
type Time struct {
	time.Time
}

// NewTime returns t in UTC as a *Time.
func NewTime(t time.Time) *Time { return &Time{t.UTC()} }

// ParseTime reads the forms Time accepts.
func ParseTime(s string) (Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return Time{t.UTC()}, nil
		}
	}
	return Time{}, fmt.Errorf("goflow: invalid date-time %q: want ISO 8601 such as 2025-01-31T18:30:20Z", s)
}

// FormatTime writes t as Goflow expects it in filters: RFC 3339 in UTC.
func FormatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// MarshalJSON writes RFC 3339 in UTC.
func (t Time) MarshalJSON() ([]byte, error) { return json.Marshal(FormatTime(t.Time)) }

// UnmarshalJSON reads the forms ParseTime accepts; null and "" leave t
// unchanged.
func (t *Time) UnmarshalJSON(data []byte) error {
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("goflow: invalid date-time %s", data)
	}
	if strings.TrimSpace(s) == "" {
		return nil
	}
	v, err := ParseTime(s)
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// Ptr returns a pointer to v, for optional fields.
func Ptr[T any](v T) *T { return &v }
