package inflow

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Decimal is an exact decimal number for money and quantities.
//
// It marshals as a JSON string ("19.99"), as inFlow sends and expects
// decimals, and unmarshals from a JSON string or a JSON number without going
// through float64. An empty string reads as zero. The zero value is 0.
//
// Compare with Equal (not ==): 1.0 and 1.00 are Equal but not ==.
type Decimal struct {
	decimal.Decimal
}

// NewDecimal wraps a shopspring decimal.
func NewDecimal(d decimal.Decimal) Decimal { return Decimal{d} }

// DecimalFromInt returns the decimal value of n.
func DecimalFromInt(n int64) Decimal { return Decimal{decimal.NewFromInt(n)} }

// ParseDecimal parses a decimal such as "19.99", "-3" or "1e3".
func ParseDecimal(s string) (Decimal, error) {
	d, err := decimal.NewFromString(strings.TrimSpace(s))
	if err != nil {
		return Decimal{}, fmt.Errorf("inflow: invalid decimal %q", s)
	}
	return Decimal{d}, nil
}

// MustDecimal is ParseDecimal that panics on error; for constants and tests.
func MustDecimal(s string) Decimal {
	d, err := ParseDecimal(s)
	if err != nil {
		panic(err)
	}
	return d
}

// DecimalPtr returns a pointer to the parsed decimal, panicking on a bad
// literal; handy for building entities.
func DecimalPtr(s string) *Decimal {
	d := MustDecimal(s)
	return &d
}

// Equal reports whether d and o are numerically equal.
func (d Decimal) Equal(o Decimal) bool { return d.Decimal.Equal(o.Decimal) }

// MarshalJSON writes the decimal as a JSON string.
func (d Decimal) MarshalJSON() ([]byte, error) {
	return json.Marshal(d.Decimal.String())
}

// UnmarshalJSON accepts a JSON string or number. JSON null leaves d unchanged
// (a *Decimal field becomes nil).
func (d *Decimal) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if bytes.Equal(data, []byte("null")) {
		return nil
	}
	s := string(data)
	if len(data) > 0 && data[0] == '"' {
		if err := json.Unmarshal(data, &s); err != nil {
			return fmt.Errorf("inflow: invalid decimal %s", data)
		}
		s = strings.TrimSpace(s)
		if s == "" {
			d.Decimal = decimal.Zero
			return nil
		}
	}
	v, err := decimal.NewFromString(s)
	if err != nil {
		return fmt.Errorf("inflow: invalid decimal %q", s)
	}
	d.Decimal = v
	return nil
}

// DateTime is an instant as inFlow writes it: a .NET DateTimeOffset such as
// 2026-01-20T17:06:26.3122114+00:00. On read it also accepts a date-time
// without an offset (taken as UTC) and a bare date; it writes RFC 3339 with
// nanoseconds.
type DateTime struct {
	time.Time
}

// NewDateTime wraps t.
func NewDateTime(t time.Time) *DateTime { return &DateTime{t} }

var dateTimeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02",
}

// ParseDateTime parses the forms DateTime accepts.
func ParseDateTime(s string) (DateTime, error) {
	s = strings.TrimSpace(s)
	for _, layout := range dateTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return DateTime{t}, nil
		}
	}
	return DateTime{}, fmt.Errorf("inflow: invalid date-time %q", s)
}

// MarshalJSON writes RFC 3339 with nanoseconds.
func (t DateTime) MarshalJSON() ([]byte, error) {
	return json.Marshal(t.Time.Format(time.RFC3339Nano))
}

// UnmarshalJSON accepts the forms ParseDateTime accepts; null or "" leave t
// unchanged.
func (t *DateTime) UnmarshalJSON(data []byte) error {
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("inflow: invalid date-time %s", data)
	}
	if strings.TrimSpace(s) == "" {
		return nil
	}
	v, err := ParseDateTime(s)
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// Ptr returns a pointer to v, for setting optional entity fields:
// Product{Name: inflow.Ptr("Widget")}.
func Ptr[T any](v T) *T { return &v }
