package jsonval

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// Decimal is an exact decimal number for money and quantities in APIs that
// send them as JSON numbers (Goflow, Inventora). It reads the number's
// digits as written, never through float64, accepts a JSON string holding
// a number too, and writes a JSON number with its exact digits. The zero
// value is 0. Compare with Equal: 1.0 and 1.00 are Equal but not ==.
type Decimal struct {
	decimal.Decimal
}

// Equal reports whether d and o are numerically equal.
func (d Decimal) Equal(o Decimal) bool { return d.Decimal.Equal(o.Decimal) }

// MarshalJSON writes the decimal as a JSON number with its exact digits.
func (d Decimal) MarshalJSON() ([]byte, error) { return []byte(d.Decimal.String()), nil }

// UnmarshalJSON reads a JSON number, or a string holding one, exactly. JSON
// null leaves d unchanged, so a *Decimal field stays nil.
func (d *Decimal) UnmarshalJSON(data []byte) error {
	return UnmarshalDecimal(data, &d.Decimal, false)
}

// UnmarshalDecimal decodes a JSON number or a JSON string holding a number
// into dst exactly, never through float64. JSON null leaves dst unchanged.
// An empty string reads as zero when emptyIsZero is set (inFlow writes ""
// for some unset amounts), and is an error otherwise.
func UnmarshalDecimal(data []byte, dst *decimal.Decimal, emptyIsZero bool) error {
	data = bytes.TrimSpace(data)
	if bytes.Equal(data, []byte("null")) {
		return nil
	}
	s := string(data)
	if len(data) > 0 && data[0] == '"' {
		if err := json.Unmarshal(data, &s); err != nil {
			return fmt.Errorf("invalid decimal %s", data)
		}
		s = strings.TrimSpace(s)
		if s == "" && emptyIsZero {
			*dst = decimal.Zero
			return nil
		}
	}
	v, err := decimal.NewFromString(s)
	if err != nil {
		return fmt.Errorf("invalid decimal %q", s)
	}
	*dst = v
	return nil
}
