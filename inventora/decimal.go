package inventora

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/internal/jsonval"
)

// Decimal is an exact number for money and quantities. Inventora sends
// and takes decimals as JSON numbers (5.50, 0.5); Decimal reads them
// without going through float64, so 0.1 is exactly 0.1, and writes them back
// as JSON numbers in their exact text (see jsonval.Decimal).
type Decimal = jsonval.Decimal

// NewDecimal wraps a shopspring decimal.
func NewDecimal(d decimal.Decimal) Decimal { return Decimal{Decimal: d} }

// DecimalFromInt returns the decimal value of n.
func DecimalFromInt(n int64) Decimal { return Decimal{Decimal: decimal.NewFromInt(n)} }

// ParseDecimal parses a decimal such as "5.50", "-3" or "1e3".
func ParseDecimal(s string) (Decimal, error) {
	d, err := decimal.NewFromString(strings.TrimSpace(s))
	if err != nil {
		return Decimal{}, fmt.Errorf("inventora: invalid decimal %q", s)
	}
	return Decimal{Decimal: d}, nil
}

// EqualPtr reports whether two optional decimals are both nil or both set
// and numerically equal.
func EqualPtr(a, b *Decimal) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}
