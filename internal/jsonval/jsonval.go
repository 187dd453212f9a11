// Package jsonval works on JSON values decoded into any: maps of string
// to any, slices of any, and scalars.
package jsonval

// Clone returns a deep copy of a decoded JSON value, so the copy can be
// changed without touching the original. Scalars are shared, as they are
// immutable.
func Clone(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = Clone(e)
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = Clone(e)
		}
		return s
	}
	return v
}
