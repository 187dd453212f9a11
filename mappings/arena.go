package mappings

import (
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/internal/box"
)

// The values of the rows of one MapBatch call are boxed from one arena
// (internal/box), so that a batch costs a few allocations rather than
// several a row. A nil arena, as Map passes, boxes each value as Go does.

func boxString(a *box.Arena, s string) any {
	if a == nil {
		return s
	}
	return a.Strings.Box(s)
}

func boxInt(a *box.Arena, v int64) any {
	if a == nil {
		return v
	}
	return a.Int64s.Box(v)
}

func boxFloat(a *box.Arena, v float64) any {
	if a == nil {
		return v
	}
	return a.Float64s.Box(v)
}

func boxTime(a *box.Arena, t time.Time) any {
	if a == nil {
		return t
	}
	return a.Times.Box(t)
}

// boxDecimal boxes unscaled × 10^exp, as decimal.New(unscaled, exp).
func boxDecimal(a *box.Arena, unscaled int64, exp int32) any {
	if a == nil {
		return decimal.New(unscaled, exp)
	}
	return a.Decimals.Box(a.Decimal(unscaled, exp))
}

// trimSpace is strings.TrimSpace, without the call for the usual text
// that starts and ends with a printable ASCII character (small enough to
// be inlined: c-'!' < 0x80-'!' is '!' <= c < 0x80).
func trimSpace(s string) string {
	if n := len(s); n == 0 || s[0]-'!' >= 0x80-'!' || s[n-1]-'!' >= 0x80-'!' {
		return strings.TrimSpace(s)
	}
	return s
}
