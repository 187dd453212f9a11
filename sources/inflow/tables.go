package inflowsrc

import (
	"context"
	"fmt"
	"iter"
	"sort"
	"strings"

	"github.com/etl-dev/etl/inflow"
	"github.com/etl-dev/etl/pipeline"
)

// table is one exportable table: an entity's headers, one of its line
// arrays, or a derived table (inventory, serials).
type table struct {
	entity, name string
	doc          string
	columns      []pipeline.Column
	// paths are the columns' JSON paths in the items the table reads (""
	// for computed columns), for tests and docs.
	paths []string
	// includes are always requested, because columns need them.
	includes []string
	// filters lists the filter[...] names the list endpoint takes; nil
	// when the table takes no filters.
	filters []string
	// locations is set for tables that honour the locations setting.
	locations bool
	// incremental is set for the table that can export only changes.
	incremental bool
	// rows yields the records of a run, in a stable order.
	rows func(ctx context.Context, r *run) iter.Seq2[pipeline.Record, error]
}

// lister is a list endpoint of the client.
type lister[T any] interface {
	List(ctx context.Context, opts *inflow.ListOptions) iter.Seq2[T, error]
}

// entityTable is a table with one row per listed entity.
func entityTable[T inflow.Entity](entity, name, doc string, list func(*inflow.Client) lister[T],
	includes, filters []string, label func(*T) string, c *cols[T]) *table {
	t := &table{entity: entity, name: name, doc: doc, columns: c.columns(), paths: c.jsonPaths(), includes: includes, filters: filters}
	t.rows = func(ctx context.Context, r *run) iter.Seq2[pipeline.Record, error] {
		return func(yield func(pipeline.Record, error) bool) {
			for item, err := range list(r.client).List(ctx, r.listOptions(t)) {
				if err != nil {
					yield(pipeline.Record{}, err)
					return
				}
				origin := pipeline.Origin{File: fmt.Sprintf("inflow %s %s", entity, label(&item))}
				vals, problems := c.values(&item, origin)
				if !yield(pipeline.Record{Origin: origin, Values: vals, Problems: problems}, nil) {
					return
				}
			}
		}
	}
	return t
}

// child is one element of a child array together with its parent, for
// line tables. N is the 1-based position of the line in its array.
type child[P, L any] struct {
	Parent *P  `json:"parent"`
	Line   *L  `json:"line"`
	N      int `json:"n"`
}

// linesTable is a table with one row per element of a child array of each
// listed entity (sales order lines, product prices, ...). The include that
// embeds the array is always requested.
func linesTable[P inflow.Entity, L any](entity, name, doc string, list func(*inflow.Client) lister[P],
	include string, filters []string, lines func(*P) []L, label func(*P) string, c *cols[child[P, L]]) *table {
	t := &table{entity: entity, name: name, doc: doc, columns: c.columns(), paths: c.jsonPaths(), includes: []string{include}, filters: filters}
	t.rows = func(ctx context.Context, r *run) iter.Seq2[pipeline.Record, error] {
		return func(yield func(pipeline.Record, error) bool) {
			for parent, err := range list(r.client).List(ctx, r.listOptions(t)) {
				if err != nil {
					yield(pipeline.Record{}, err)
					return
				}
				for i, l := range lines(&parent) {
					item := child[P, L]{Parent: &parent, Line: &l, N: i + 1}
					origin := pipeline.Origin{File: fmt.Sprintf("inflow %s %s %s %d", entity, label(&parent), include, i+1)}
					vals, problems := c.values(&item, origin)
					if !yield(pipeline.Record{Origin: origin, Values: vals, Problems: problems}, nil) {
						return
					}
				}
			}
		}
	}
	return t
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// tables holds every table by entity, then by name; defaults holds each
// entity's default table.
var (
	tables   = map[string]map[string]*table{}
	defaults = map[string]string{}
)

func register(def bool, ts ...*table) {
	for _, t := range ts {
		if tables[t.entity] == nil {
			tables[t.entity] = map[string]*table{}
		}
		if _, dup := tables[t.entity][t.name]; dup {
			panic("inflowsrc: table registered twice: " + t.entity + "/" + t.name)
		}
		tables[t.entity][t.name] = t
		if def {
			defaults[t.entity] = t.name
			def = false
		}
	}
}

// Entities lists the entities the source exports, sorted.
func Entities() []string {
	out := make([]string, 0, len(tables))
	for e := range tables {
		out = append(out, e)
	}
	sort.Strings(out)
	return out
}

// Tables lists the tables of an entity, the default first, then sorted.
func Tables(entity string) []string {
	var out []string
	for n := range tables[entity] {
		if n != defaults[entity] {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	if d, ok := defaults[entity]; ok {
		out = append([]string{d}, out...)
	}
	return out
}

// Columns returns the columns of an entity's table ("" for the default),
// as the source declares them: the same on every run.
func Columns(entity, name string) ([]pipeline.Column, error) {
	t, err := lookupTable(entity, name)
	if err != nil {
		return nil, err
	}
	return append([]pipeline.Column(nil), t.columns...), nil
}

func lookupTable(entity, name string) (*table, error) {
	e := strings.TrimSpace(entity)
	byName, ok := tables[e]
	if !ok {
		if e == "" {
			return nil, fmt.Errorf("entity is not set: name what to export, one of %s", strings.Join(Entities(), ", "))
		}
		return nil, fmt.Errorf("entity %q is not known%s; known entities: %s", entity, hint(e, Entities()), strings.Join(Entities(), ", "))
	}
	n := strings.TrimSpace(name)
	if n == "" {
		n = defaults[e]
	}
	t, ok := byName[n]
	if !ok {
		return nil, fmt.Errorf("table %q is not a table of %s%s; its tables are %s", name, e, hint(n, Tables(e)), strings.Join(Tables(e), ", "))
	}
	return t, nil
}
