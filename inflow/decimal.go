package inflow

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/internal/jsonval"
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

// Equal reports whether d and o are numerically equal.
func (d Decimal) Equal(o Decimal) bool { return d.Decimal.Equal(o.Decimal) }

// MarshalJSON writes the decimal as a JSON string.
func (d Decimal) MarshalJSON() ([]byte, error) {
	return json.Marshal(d.Decimal.String())
}

// UnmarshalJSON accepts a JSON string or number, exactly; an empty string
// reads as zero. JSON null leaves d unchanged (a *Decimal field becomes nil).
func (d *Decimal) UnmarshalJSON(data []byte) error {
	if err := jsonval.UnmarshalDecimal(data, &d.Decimal, true); err != nil {
		return fmt.Errorf("inflow: %w", err)
	}
	return nil
}

// DateTime is an instant as inFlow writes it: a .NET DateTimeOffset such as
// 2026-01-20T17:06:26.3122114+00:00. On read it also accepts a date-time
// without an offset (taken as UTC) and a bare date; it writes RFC 3339 with
// nanoseconds.
type DateTime struct {
	time.Time
}

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
