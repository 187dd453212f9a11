package inflowsink

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/internal/jsonval"
)

// record is an inFlow entity as JSON: property name → value, numbers as
// json.Number, child lines as []any of maps. The sink works on records
// rather than the client's typed entities so that one diff-and-merge engine
// serves products, customers and vendors, and so that child lines are sent
// back with every property inFlow answered (a line that omits one resets
// it).
type record = map[string]any

func decodeRecords(data []byte) ([]record, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var out []record
	if err := dec.Decode(&out); err != nil {
		return nil, err
	}
	return out, nil
}

func decodeRecord(data []byte) (record, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var out record
	if err := dec.Decode(&out); err != nil {
		return nil, err
	}
	return out, nil
}

// str reads a property as text ("" for null or missing).
func str(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}

// dec reads a property as a decimal; ok is false for null or non-numbers.
func dec(v any) (decimal.Decimal, bool) {
	switch x := v.(type) {
	case string:
		if strings.TrimSpace(x) == "" {
			return decimal.Decimal{}, false
		}
		d, err := decimal.NewFromString(strings.TrimSpace(x))
		return d, err == nil
	case json.Number:
		d, err := decimal.NewFromString(x.String())
		return d, err == nil
	case decimal.Decimal:
		return x, true
	case int64:
		return decimal.NewFromInt(x), true
	case int:
		return decimal.NewFromInt(int64(x)), true
	case float64:
		return decimal.NewFromFloat(x), true
	}
	return decimal.Decimal{}, false
}

// lines returns the maps of a child-line array.
func lines(v any) []record {
	arr, _ := v.([]any)
	out := make([]record, 0, len(arr))
	for _, e := range arr {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// cloneLine copies a child line for sending back: every attribute as
// answered, without its row version (the entity's timestamp guards the
// write) and without embedded related entities.
func cloneLine(l record) record {
	out := make(record, len(l))
	for k, v := range l {
		if k == "timestamp" {
			continue
		}
		if _, isObj := v.(map[string]any); isObj && k != "address" && k != "quantity" {
			continue
		}
		out[k] = jsonval.Clone(v)
	}
	return out
}

func sameID(a, b string) bool { return a != "" && strings.EqualFold(a, b) }

// display formats a value for a plan's Old → New: decimals without
// trailing zeros, null as "".
func display(v any) string {
	if d, ok := v.(decimal.Decimal); ok {
		return d.String()
	}
	if n, ok := v.(json.Number); ok {
		if d, err := decimal.NewFromString(n.String()); err == nil {
			return d.String()
		}
	}
	if s, ok := v.(string); ok {
		if d, err := decimal.NewFromString(s); err == nil && strings.Contains(s, ".") && strings.HasSuffix(s, "0") {
			return d.String()
		}
	}
	return str(v)
}

// lineNum reads a line's lineNum (0 when none).
func lineNum(l record) int {
	d, ok := dec(l["lineNum"])
	if !ok || !d.IsInteger() {
		return 0
	}
	n := d.IntPart()
	if n > math.MaxInt32 || n < 0 {
		return 0
	}
	return int(n)
}
