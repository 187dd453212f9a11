package sandbox

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/internal/jsonval"
)

// record is one stored entity: its JSON object (attributes and stored child
// arrays, keyed by the spec's property names) and its metadata.
type record struct {
	id  string
	obj map[string]any
	ts  uint64 // rowversion, also in obj["timestamp"]
	seq uint64 // insertion order
}

type table struct {
	rows map[string]*record
}

func (t *table) sorted() []*record {
	out := make([]*record, 0, len(t.rows))
	for _, r := range t.rows {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

// nextRowversion returns a fresh rowversion; callers hold s.mu.
func (s *Server) nextRowversion() uint64 {
	s.rowver++
	return s.rowver
}

func formatRowversion(v uint64) string { return fmt.Sprintf("%016X", v) }

// lookup returns the stored object of kind k with id, or nil; callers hold s.mu.
func (s *Server) lookup(kindName, id string) map[string]any {
	t := s.tables[kindName]
	if t == nil {
		return nil
	}
	if r := t.rows[strings.ToLower(id)]; r != nil {
		return r.obj
	}
	return nil
}

// Entity returns a copy of the stored entity of a kind ("products",
// "customers", ...): its attributes and stored child arrays, without
// computed relationships such as inventoryLines.
func (s *Server) Entity(kindName, id string) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	obj := s.lookup(kindName, canonicalID(id))
	if obj == nil {
		return nil, false
	}
	return jsonval.Clone(obj).(map[string]any), true
}

// All returns copies of every stored entity of a kind, in the default list
// order (by id).
func (s *Server) All(kindName string) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tables[kindName]
	if t == nil {
		return nil
	}
	var out []map[string]any
	for _, r := range t.sorted() {
		out = append(out, jsonval.Clone(r.obj).(map[string]any))
	}
	return out
}

// Put inserts or updates an entity directly, bypassing HTTP, rate limits and
// the timestamp check. It applies the same validation and stock effects as
// a PUT (negative inventory allowed) and works for read-only reference kinds
// too, so tests can add a location or a category.
func (s *Server) Put(kindName string, obj map[string]any) error {
	k := kinds[kindName]
	if k == nil {
		return fmt.Errorf("sandbox: unknown kind %q", kindName)
	}
	// Round-trip through JSON so callers may pass Go numbers, structs in
	// maps, and so on.
	b, err := json.Marshal(obj)
	if err != nil {
		return fmt.Errorf("sandbox: put %s: %w", kindName, err)
	}
	body, err := decodeObject(b)
	if err != nil {
		return fmt.Errorf("sandbox: put %s: %w", kindName, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, e := s.upsert(k, body, writeOpts{allowNegative: true}); e != nil {
		return fmt.Errorf("sandbox: put %s: %s", kindName, e.msg)
	}
	return nil
}

func decodeObject(b []byte) (map[string]any, error) {
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("unexpected data after the JSON value")
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("the body must be one JSON object")
	}
	return m, nil
}

// OnHand is the stock of a product at a location (all sublocations and
// serials), for tests that check what documents did.
func (s *Server) OnHand(productID, locationID string) decimal.Decimal {
	s.mu.Lock()
	defer s.mu.Unlock()
	total := decimal.Zero
	for k, l := range s.inv {
		if strings.EqualFold(k.product, productID) && strings.EqualFold(k.location, locationID) {
			total = total.Add(l.qty)
		}
	}
	return total
}
