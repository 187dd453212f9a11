package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/internal/jsonval"
)

// Decimals are stored and answered as strings with this many places, as
// inFlow answers "1.00000".
const decimalPlaces = 5

// dateTimeLayout is .NET's round-trip format for DateTimeOffset.
const dateTimeLayout = "2006-01-02T15:04:05.0000000-07:00"

func formatDecimal(d decimal.Decimal) string { return d.StringFixed(decimalPlaces) }

func formatTime(t time.Time) string { return t.UTC().Format(dateTimeLayout) }

// parseTime accepts RFC 3339 (with up to 9 fractional digits), a date-time
// without offset (UTC), or a bare date.
func parseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.9999999", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not a date-time: %q", s)
}

// toDecimal accepts a JSON number or a string.
func toDecimal(v any) (decimal.Decimal, bool) {
	switch x := v.(type) {
	case json.Number:
		d, err := decimal.NewFromString(x.String())
		return d, err == nil
	case string:
		d, err := decimal.NewFromString(strings.TrimSpace(x))
		return d, err == nil
	case float64:
		return decimal.NewFromFloat(x), true
	case int:
		return decimal.NewFromInt(int64(x)), true
	case int64:
		return decimal.NewFromInt(x), true
	}
	return decimal.Decimal{}, false
}

// dec reads a stored decimal (a string), zero when absent.
func dec(v any) decimal.Decimal {
	d, _ := toDecimal(v)
	return d
}

func canonicalID(s string) string {
	if id, err := uuid.Parse(s); err == nil {
		return id.String()
	}
	return strings.ToLower(s)
}

// enumOut is the spelling inFlow answers for a spec enum value: camelCase
// for PascalCase names ("stockedProduct"), as is otherwise.
func enumOut(v string) string {
	if strings.ContainsAny(v, "_ ") || v == "" || !unicode.IsUpper(rune(v[0])) {
		return v
	}
	return lcfirst(v)
}

func conversionError(path, typ string) *apiError {
	return badRequest("The JSON value could not be converted to %s. Path: %s", typ, path)
}

// normValue converts one property value of a request body to its stored
// form. base is the stored value it replaces, if any (value objects are
// merged onto it).
func (s *Server) normValue(path string, p *prop, v any, base any) (any, *apiError) {
	if v == nil {
		switch p.Type {
		case "string":
			if len(p.Enum) > 0 && !p.Nullable {
				return nil, conversionError(path, "an enum value")
			}
			if len(p.Enum) > 0 {
				return nil, nil
			}
			return "", nil
		case "boolean", "integer", "number", "decimal":
			if !p.Nullable {
				return nil, conversionError(path, p.Type)
			}
		}
		return nil, nil
	}
	switch p.Type {
	case "string":
		str, ok := v.(string)
		if !ok {
			return nil, conversionError(path, "System.String")
		}
		if len(p.Enum) == 0 {
			return str, nil
		}
		for _, e := range p.Enum {
			if strings.EqualFold(e, strings.TrimSpace(str)) {
				return enumOut(e), nil
			}
		}
		return nil, badRequest("%q is not a valid value at %s; expected one of %s", str, path, strings.Join(p.Enum, ", "))
	case "uuid":
		str, ok := v.(string)
		if !ok {
			return nil, conversionError(path, "System.Guid")
		}
		if strings.TrimSpace(str) == "" {
			return nil, nil
		}
		id, err := uuid.Parse(str)
		if err != nil {
			return nil, conversionError(path, "System.Guid")
		}
		return id.String(), nil
	case "decimal":
		if str, ok := v.(string); ok && strings.TrimSpace(str) == "" && p.Nullable {
			return nil, nil
		}
		d, ok := toDecimal(v)
		if !ok {
			return nil, conversionError(path, "System.Decimal")
		}
		return formatDecimal(d), nil
	case "date-time":
		str, ok := v.(string)
		if !ok {
			return nil, conversionError(path, "System.DateTimeOffset")
		}
		if strings.TrimSpace(str) == "" {
			return nil, nil
		}
		t, err := parseTime(str)
		if err != nil {
			return nil, conversionError(path, "System.DateTimeOffset")
		}
		return formatTime(t), nil
	case "boolean":
		b, ok := v.(bool)
		if !ok {
			return nil, conversionError(path, "System.Boolean")
		}
		return b, nil
	case "integer":
		n, ok := v.(json.Number)
		if !ok {
			return nil, conversionError(path, "System.Int32")
		}
		i, err := strconv.ParseInt(n.String(), 10, 64)
		if err != nil {
			return nil, conversionError(path, "System.Int32")
		}
		return i, nil
	case "number":
		n, ok := v.(json.Number)
		if !ok {
			return nil, conversionError(path, "System.Double")
		}
		f, err := n.Float64()
		if err != nil {
			return nil, conversionError(path, "System.Double")
		}
		return f, nil
	case "object":
		in, ok := v.(map[string]any)
		if !ok {
			return nil, conversionError(path, p.Ref)
		}
		sc := s.m.schemas[p.Ref]
		if sc == nil {
			return jsonval.Clone(in), nil
		}
		out, _ := jsonval.Clone(base).(map[string]any)
		if out == nil {
			out = s.defaultsFor(sc)
		}
		if err := s.normObject(path, sc, in, out, "", ""); err != nil {
			return nil, err
		}
		if p.Ref == "QuantityWithUom" {
			fixQuantity(in, out)
		}
		return out, nil
	case "array":
		arr, ok := v.([]any)
		if !ok {
			return nil, conversionError(path, "an array")
		}
		out := make([]any, 0, len(arr))
		for i, e := range arr {
			nv, err := s.normValue(fmt.Sprintf("%s[%d]", path, i), p.Items, e, nil)
			if err != nil {
				return nil, err
			}
			out = append(out, nv)
		}
		return out, nil
	}
	return jsonval.Clone(v), nil
}

// fixQuantity fills the half of a QuantityWithUom the caller left out: a
// quantity given only in standard units is also the UoM quantity, and the
// other way round (the emulator does not convert units).
func fixQuantity(in, out map[string]any) {
	has := func(name string) bool {
		for k, v := range in {
			if strings.EqualFold(k, name) && v != nil {
				return true
			}
		}
		return false
	}
	switch {
	case has("standardQuantity") && !has("uomQuantity"):
		out["uomQuantity"] = out["standardQuantity"]
	case has("uomQuantity") && !has("standardQuantity"):
		out["standardQuantity"] = out["uomQuantity"]
	}
}

// normObject merges the request object in onto out, property by property,
// following schema sc. Unknown and read-only properties are ignored;
// property names match case-insensitively. parentIDProp and parentID name
// the entity that owns child arrays found on the way.
func (s *Server) normObject(path string, sc *schema, in map[string]any, out map[string]any, parentIDProp, parentID string) *apiError {
	for key, v := range in {
		name, ok := sc.canon(key)
		if !ok || readOnlyProps[name] {
			continue
		}
		p := sc.props[name]
		if target, many, ok := s.m.relation(p); ok {
			if !many || computedArrays[sc.name+"."+name] || v == nil {
				continue // references and computed arrays cannot be written
			}
			arr, ok := v.([]any)
			if !ok {
				return conversionError(path+"."+name, "an array")
			}
			old, _ := out[name].([]any)
			items, err := s.normChildren(path+"."+name, target, arr, old, parentIDProp, parentID)
			if err != nil {
				return err
			}
			out[name] = items
			continue
		}
		nv, err := s.normValue(path+"."+name, p, v, out[name])
		if err != nil {
			return err
		}
		out[name] = nv
	}
	return nil
}

// normChildren builds a child-line array from a request. The array replaces
// the stored one wholesale, and each line is built from defaults plus what
// was sent: properties a line leaves out are not kept from the stored line.
func (s *Server) normChildren(path, itemSchema string, arr, old []any, parentIDProp, parentID string) ([]any, *apiError) {
	sc := s.m.schemas[itemSchema]
	idProp := s.m.childID(itemSchema, parentIDProp)
	oldByID := map[string]map[string]any{}
	for _, o := range old {
		if m, ok := o.(map[string]any); ok {
			if id, ok := m[idProp].(string); ok {
				oldByID[id] = m
			}
		}
	}
	seen := map[string]bool{}
	out := make([]any, 0, len(arr))
	for i, it := range arr {
		ipath := fmt.Sprintf("%s[%d]", path, i)
		in, ok := it.(map[string]any)
		if !ok {
			return nil, conversionError(ipath, itemSchema)
		}
		var id, ts string
		for k, v := range in {
			switch name, _ := sc.canon(k); name {
			case idProp:
				id, _ = v.(string)
			case "timestamp":
				ts, _ = v.(string)
			}
		}
		if sc.props[idProp] != nil && sc.props[idProp].Type == "uuid" {
			u, err := uuid.Parse(id)
			if err != nil || u == uuid.Nil {
				return nil, badRequest("%s property is required at %s, please generate a GUID when inserting.", idProp, ipath)
			}
			id = u.String()
		} else if id == "" {
			id = uuid.NewString()
		}
		if seen[id] {
			return nil, badRequest("Duplicate %s %s at %s.", idProp, id, ipath)
		}
		seen[id] = true
		if prev := oldByID[id]; prev != nil && ts != "" && !strings.EqualFold(ts, fmt.Sprint(prev["timestamp"])) {
			return nil, &apiError{status: http.StatusConflict,
				msg: fmt.Sprintf("The record at %s has been modified since you loaded it (timestamp %s is no longer current).", ipath, ts)}
		}
		item := s.defaultsFor(sc)
		if err := s.normObject(ipath, sc, in, item, idProp, id); err != nil {
			return nil, err
		}
		item[idProp] = id
		if parentIDProp != "" && sc.props[parentIDProp] != nil {
			item[parentIDProp] = parentID
		}
		if _, ok := sc.props["timestamp"]; ok {
			item["timestamp"] = formatRowversion(s.nextRowversion())
		}
		out = append(out, item)
	}
	return out, nil
}

// defaultsFor is a new object of schema sc with every attribute at its
// default and every writable child array empty.
func (s *Server) defaultsFor(sc *schema) map[string]any {
	out := map[string]any{}
	for _, name := range sc.names {
		p := sc.props[name]
		if _, many, ok := s.m.relation(p); ok {
			if many && !computedArrays[sc.name+"."+name] {
				out[name] = []any{}
			}
			continue
		}
		if name == "timestamp" {
			continue
		}
		out[name] = s.zero(sc.name, name, p)
	}
	return out
}

func (s *Server) zero(schemaName, name string, p *prop) any {
	switch p.Type {
	case "string":
		if len(p.Enum) > 0 {
			if p.Nullable {
				return nil
			}
			return enumOut(p.Enum[0])
		}
		return ""
	case "decimal":
		if p.Nullable {
			return nil
		}
		if schemaName == "UomConversionRatio" || name == "exchangeRate" {
			return formatDecimal(decimal.NewFromInt(1))
		}
		return formatDecimal(decimal.Zero)
	case "boolean":
		if name == "isActive" {
			return true
		}
		if p.Nullable {
			return nil
		}
		return false
	case "integer":
		if p.Nullable {
			return nil
		}
		return int64(0)
	case "number":
		if p.Nullable {
			return nil
		}
		return float64(0)
	case "object":
		if sc := s.m.schemas[p.Ref]; sc != nil {
			return s.defaultsFor(sc)
		}
		return nil
	case "array":
		return []any{}
	}
	return nil
}
