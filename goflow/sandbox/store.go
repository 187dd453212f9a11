package sandbox

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// collection holds the records of one resource as JSON objects (numbers
// as json.Number, so amounts stay exact), by key.
type collection struct {
	name string
	spec *listSpec
	recs map[string]map[string]any
	// sorted caches the records in key order until the next change.
	sorted []map[string]any
	dirty  bool
}

func newCollection(name string, spec *listSpec) *collection {
	return &collection{name: name, spec: spec, recs: map[string]map[string]any{}}
}

func (c *collection) keyOf(rec map[string]any) string { return fmt.Sprint(rec[c.spec.key]) }

func (c *collection) put(rec map[string]any) {
	c.recs[c.keyOf(rec)] = rec
	c.dirty = true
}

func (c *collection) remove(rec map[string]any) {
	delete(c.recs, c.keyOf(rec))
	c.dirty = true
}

func (c *collection) get(key string) map[string]any { return c.recs[key] }

// all returns the records in key order (numeric keys numerically). The
// slice is shared: callers must not change it.
func (c *collection) all() []map[string]any {
	if c.sorted != nil && !c.dirty {
		return c.sorted
	}
	out := make([]map[string]any, 0, len(c.recs))
	for _, r := range c.recs {
		out = append(out, r)
	}
	keys := make([]sortKey, len(out))
	for i, r := range out {
		keys[i] = keyOf(r[c.spec.key])
	}
	sort.Sort(byKeys{out, keys})
	c.sorted, c.dirty = out, false
	return out
}

type byKeys struct {
	recs []map[string]any
	keys []sortKey
}

func (b byKeys) Len() int           { return len(b.recs) }
func (b byKeys) Less(i, j int) bool { return b.keys[i].cmp(b.keys[j]) < 0 }
func (b byKeys) Swap(i, j int) {
	b.recs[i], b.recs[j] = b.recs[j], b.recs[i]
	b.keys[i], b.keys[j] = b.keys[j], b.keys[i]
}

// level is the stock of one product in one warehouse. Reserved and on
// purchase order are derived from the orders and purchase orders when a
// report runs; on hand is kept here.
type level struct {
	onHand decimal.Decimal
}

// stockKey names a product in a warehouse.
type stockKey struct {
	product   int64
	warehouse string
}

func num(s string) json.Number {
	if _, err := decimal.NewFromString(s); err != nil {
		panic("sandbox: bad number " + s)
	}
	return json.Number(s)
}

func numInt(n int64) json.Number { return json.Number(strconv.FormatInt(n, 10)) }

func numDec(d decimal.Decimal) json.Number { return json.Number(d.String()) }

// decOf reads a stored number (json.Number, or nil as zero).
func decOf(v any) decimal.Decimal {
	if v == nil {
		return decimal.Zero
	}
	d, err := decimal.NewFromString(fmt.Sprint(v))
	if err != nil {
		return decimal.Zero
	}
	return d
}

func intOf(v any) int64 {
	n, _ := strconv.ParseInt(fmt.Sprint(v), 10, 64)
	return n
}

var uuidSpace = uuid.MustParse("6f1c1b52-3d5e-4e0a-9a57-1b2f7c0d4e11")

// newUUID is a UUID derived from parts, so a seeded company is the same on
// every start.
func newUUID(parts ...any) string {
	return uuid.NewSHA1(uuidSpace, []byte(fmt.Sprint(parts...))).String()
}
