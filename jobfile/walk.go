package jobfile

import (
	"encoding"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"

	"github.com/etl-dev/etl/internal/suggest"
)

// walker checks a YAML tree against the Go type it will be decoded into
// before decoding: it reports every unknown key with the closest valid one,
// and expands ${VAR} references in string values. Reporting all mistakes at
// once, with positions, is kinder than goccy's first-error-wins decoding.
type walker struct {
	file   string
	lookup LookupEnv
	errs   Errors
	// unknownKeys counts the errors that are unknown keys, so that a
	// section whose only mistakes are unknown keys can still have its
	// written settings validated.
	unknownKeys int
}

func (w *walker) errorAt(tk *token.Token, hint, format string, args ...any) {
	e := &Error{File: w.file, Message: fmt.Sprintf(format, args...), Hint: hint}
	if tk != nil && tk.Position != nil {
		e.Line, e.Column = tk.Position.Line, tk.Position.Column
	}
	w.errs = append(w.errs, e)
}

// decodeError turns a goccy decoding error into a positioned Error.
func (w *walker) decodeError(err error, where string) {
	var ye yaml.Error
	if errors.As(err, &ye) {
		msg := ye.GetMessage()
		// goccy names Go types ("cannot unmarshal string into Go struct
		// field Options.BatchSize of type int"); users know their value
		// and the key, which the position points at.
		if i := strings.Index(msg, " into Go"); i > 0 {
			expected := "a mapping of settings"
			if j := strings.LastIndex(msg, " of type "); j > i {
				expected = yamlTypeName(msg[j+len(" of type "):])
			}
			msg = "expected " + expected
			if tk := ye.GetToken(); tk != nil && tk.Value != "" {
				msg = fmt.Sprintf("%q is not %s", tk.Value, expected)
			}
		}
		w.errorAt(ye.GetToken(), "", "%s: %s", where, msg)
		return
	}
	w.errorAt(nil, "", "%s: %v", where, err)
}

func yamlTypeName(goType string) string {
	switch {
	case strings.HasPrefix(goType, "int"), strings.HasPrefix(goType, "uint"):
		return "a whole number"
	case strings.HasPrefix(goType, "float"):
		return "a number"
	case goType == "bool":
		return "true or false"
	case goType == "string":
		return "text"
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	case strings.HasPrefix(goType, "map["):
		return "a mapping of keys to values"
	}
	return "a mapping of settings"
}

// pairs returns the key/value pairs of a mapping node. goccy represents a
// one-key mapping as a bare MappingValueNode.
func pairs(n ast.Node) ([]*ast.MappingValueNode, bool) {
	switch n := n.(type) {
	case *ast.MappingNode:
		return n.Values, true
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{n}, true
	case *ast.AnchorNode:
		return pairs(n.Value)
	case *ast.TagNode:
		return pairs(n.Value)
	}
	return nil, false
}

func keyName(mv *ast.MappingValueNode) string {
	if mv.Key == nil {
		return ""
	}
	if s, ok := mv.Key.(*ast.StringNode); ok {
		return s.Value
	}
	return mv.Key.String()
}

func isNull(n ast.Node) bool {
	_, ok := n.(*ast.NullNode)
	return n == nil || ok
}

var (
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	bytesUnmarshal  = reflect.TypeFor[yaml.BytesUnmarshaler]()
	ifaceUnmarshal  = reflect.TypeFor[yaml.InterfaceUnmarshaler]()
	astNodeType     = reflect.TypeFor[ast.Node]()
)

// customDecoded reports whether values of t decode themselves, so their
// keys are theirs to check.
func customDecoded(t reflect.Type) bool {
	pt := reflect.PointerTo(t)
	return pt.Implements(textUnmarshaler) || pt.Implements(bytesUnmarshal) || pt.Implements(ifaceUnmarshal) || t == astNodeType
}

// fieldsByKey maps the yaml keys of struct t to their field types,
// following inline embedded structs.
func fieldsByKey(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		if strings.Contains(opts, "inline") || (f.Anonymous && tag == "") {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range fieldsByKey(ft) {
					out[k] = v
				}
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = f.Type
	}
	return out
}

func sortedKeys(m map[string]reflect.Type) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// walk checks n against t (nil: anything goes) and returns the node to
// keep in its place, which differs from n only when an expanded scalar had
// to change type. where names the section for messages ("source (csv)").
// skip lists keys accepted at this level without a field (such as "type").
func (w *walker) walk(n ast.Node, t reflect.Type, where string, skip ...string) ast.Node {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch node := n.(type) {
	case nil, *ast.NullNode, *ast.AliasNode:
		return n
	case *ast.AnchorNode:
		node.Value = w.walk(node.Value, t, where, skip...)
		return n
	case *ast.TagNode:
		node.Value = w.walk(node.Value, t, where, skip...)
		return n
	case *ast.StringNode:
		return w.expandScalar(node, t)
	case *ast.LiteralNode:
		if node.Value != nil {
			v, err := expand(node.Value.Value, w.lookup)
			if err != nil {
				w.errorAt(node.GetToken(), "", "%s: %v", where, err)
			}
			node.Value.Value = v
		}
		return n
	case *ast.SequenceNode:
		var elem reflect.Type
		if t != nil && !customDecoded(t) {
			switch t.Kind() {
			case reflect.Slice, reflect.Array:
				elem = t.Elem()
			case reflect.Interface:
			default:
				w.errorAt(node.GetToken(), "", "%s: expected %s, not a list", where, yamlTypeName(t.String()))
				return n
			}
		}
		for i, v := range node.Values {
			node.Values[i] = w.walk(v, elem, fmt.Sprintf("%s[%d]", where, i))
		}
		return n
	}
	ps, isMap := pairs(n)
	if !isMap {
		return n
	}
	if t == nil || customDecoded(t) || t.Kind() == reflect.Interface {
		for _, mv := range ps {
			mv.Value = w.walk(mv.Value, nil, where+"."+keyName(mv))
		}
		return n
	}
	switch t.Kind() {
	case reflect.Map:
		for _, mv := range ps {
			mv.Value = w.walk(mv.Value, t.Elem(), where+"."+keyName(mv))
		}
	case reflect.Struct:
		fields := fieldsByKey(t)
		for _, mv := range ps {
			k := keyName(mv)
			ft, ok := fields[k]
			if !ok {
				if !contains(skip, k) {
					w.unknownKey(mv, k, where, sortedKeys(fields))
				}
				continue
			}
			mv.Value = w.walk(mv.Value, ft, where+"."+k)
		}
	default:
		w.errorAt(n.GetToken(), "", "%s: expected %s, not a mapping", where, yamlTypeName(t.String()))
	}
	return n
}

func (w *walker) unknownKey(mv *ast.MappingValueNode, key, where string, valid []string) {
	hint := suggest.Hint(key, valid)
	if hint == "" {
		hint = "valid keys: " + strings.Join(valid, ", ")
	}
	w.errorAt(mv.Key.GetToken(), hint, "unknown key %q in %s", key, where)
	w.unknownKeys++
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// expandScalar expands ${VAR} in a string scalar. When the target is a
// bool or a number, the expanded text is re-read as a scalar of its own so
// that `concurrency: ${WORKERS:-4}` decodes as the number 4.
func (w *walker) expandScalar(node *ast.StringNode, t reflect.Type) ast.Node {
	if !strings.Contains(node.Value, "$") {
		return node
	}
	v, err := expand(node.Value, w.lookup)
	if err != nil {
		w.errorAt(node.GetToken(), "", "%v", err)
		return node
	}
	changed := v != node.Value
	node.Value = v
	if !changed || t == nil {
		return node
	}
	var pos *token.Position
	if tk := node.GetToken(); tk != nil {
		pos = tk.Position
	}
	switch t.Kind() {
	case reflect.Bool:
		if tk := token.New(v, v, pos); tk.Type == token.BoolType {
			return ast.Bool(tk)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if tk := token.New(v, v, pos); tk.Type == token.IntegerType {
			return ast.Integer(tk)
		}
	case reflect.Float32, reflect.Float64:
		if tk := token.New(v, v, pos); tk.Type == token.FloatType || tk.Type == token.IntegerType {
			return ast.Float(tk)
		}
	}
	return node
}
