package sandbox

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// model.json is derived from the vendor's OpenAPI document by gen_model.go:
//
//go:generate go run gen_model.go -in ../../../shared/reference/inflow-openapi-2025-06-24.json -out model.json
//go:embed model.json
var modelJSON []byte

// prop is one property of a schema, as the OpenAPI document declares it.
// Type is one of string, uuid, decimal, date-time, rowversion, boolean,
// integer, number, object, array or any.
type prop struct {
	Type     string   `json:"type"`
	Nullable bool     `json:"nullable"`
	Enum     []string `json:"enum"`
	Ref      string   `json:"ref"`
	Items    *prop    `json:"items"`
}

type schema struct {
	name  string
	props map[string]*prop
	lower map[string]string // lower-cased property name → property name
	names []string          // property names, sorted
}

// canon returns the declared spelling of a property name matched
// case-insensitively, as ASP.NET model binding does.
func (s *schema) canon(name string) (string, bool) {
	n, ok := s.lower[strings.ToLower(name)]
	return n, ok
}

type model struct {
	version string
	schemas map[string]*schema
}

var loadModel = sync.OnceValues(func() (*model, error) {
	var raw struct {
		Version string                      `json:"version"`
		Schemas map[string]map[string]*prop `json:"schemas"`
	}
	if err := json.Unmarshal(modelJSON, &raw); err != nil {
		return nil, fmt.Errorf("sandbox: model.json: %w", err)
	}
	m := &model{version: raw.Version, schemas: map[string]*schema{}}
	for name, props := range raw.Schemas {
		s := &schema{name: name, props: props, lower: map[string]string{}}
		for p := range props {
			s.lower[strings.ToLower(p)] = p
			s.names = append(s.names, p)
		}
		sort.Strings(s.names)
		m.schemas[name] = s
	}
	return m, nil
})

// isEntity reports whether a schema describes something with an identity
// (a property named id or ending in Id) rather than a value such as Address
// or QuantityWithUom.
func (m *model) isEntity(name string) bool {
	s := m.schemas[name]
	if s == nil {
		return false
	}
	for _, p := range s.names {
		if p == "id" || strings.HasSuffix(p, "Id") {
			return true
		}
	}
	return false
}

// relation reports whether property p of a schema is a relationship, which
// inFlow returns only when named in include=: a reference to another entity
// or an array of objects (child lines).
func (m *model) relation(p *prop) (target string, many, ok bool) {
	switch p.Type {
	case "object":
		if p.Ref != "" && m.isEntity(p.Ref) {
			return p.Ref, false, true
		}
	case "array":
		if p.Items != nil && p.Items.Type == "object" && p.Items.Ref != "" {
			return p.Items.Ref, true, true
		}
	}
	return "", false, false
}

// childID names the primary identifier property of a child-line schema such
// as "Product.prices" (productPriceId): the property ending in Id that is not
// the parent's id and has no relationship property beside it.
func (m *model) childID(itemSchema, parentID string) string {
	s := m.schemas[itemSchema]
	if s == nil {
		return ""
	}
	best := ""
	for _, n := range s.names {
		if !strings.HasSuffix(n, "Id") || n == parentID {
			continue
		}
		if _, has := s.props[strings.TrimSuffix(n, "Id")]; has {
			continue
		}
		if s.props[n].Type == "uuid" {
			return n
		}
		if best == "" {
			best = n
		}
	}
	return best
}

func lcfirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
