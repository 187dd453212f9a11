package goflowsrc

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"sort"
	"strings"

	"github.com/etl-dev/etl/goflow"
	"github.com/etl-dev/etl/internal/suggest"
	"github.com/etl-dev/etl/pipeline"
)

// table is one exportable table: an entity's headers, one of its line
// arrays, or the inventory snapshot.
type table struct {
	entity, name string
	doc          string
	ep           *goflow.Endpoint // the list it reads (its filters)
	columns      []pipeline.Column
	paths        []string
	incremental  bool
	rows         func(ctx context.Context, r *run) iter.Seq2[pipeline.Record, error]
	// withHeader is the same line table with the document's own columns
	// appended, named with HeaderPrefix (header_columns: true); nil for
	// tables that are not line tables.
	withHeader *table
}

// HeaderPrefix names the document's columns that header_columns: true
// appends to a line table: the headers table's columns, each prefixed
// (header_date, header_status, header_store_name, ...).
const HeaderPrefix = "header_"

type lister[T any] func(c *goflow.Client, ctx context.Context, o goflow.ListOptions) iter.Seq2[T, error]

func headerTable[T any](entity, name, doc string, ep *goflow.Endpoint, list lister[T], label func(*T) string, cols []column[T]) *table {
	t := &table{entity: entity, name: name, doc: doc, ep: ep, columns: pipelineColumns(cols)}
	for _, c := range cols {
		t.paths = append(t.paths, c.Path)
	}
	t.rows = func(ctx context.Context, r *run) iter.Seq2[pipeline.Record, error] {
		return func(yield func(pipeline.Record, error) bool) {
			for item, err := range list(r.client, ctx, r.listOptions()) {
				if err != nil {
					yield(pipeline.Record{}, err)
					return
				}
				if !r.keep(&item) {
					continue
				}
				rec := pipeline.Record{Origin: pipeline.Origin{File: fmt.Sprintf("goflow %s %s", entity, label(&item))}, Values: values(cols, &item)}
				if !yield(rec, nil) {
					return
				}
			}
			r.finish()
		}
	}
	return t
}

// child is one element of a child array with its parent; N is its
// 1-based position.
type child[P, L any] struct {
	P *P
	L *L
	N int
}

func linesTable[P, L any](entity, name, doc string, ep *goflow.Endpoint, list lister[P], lines func(*P) []L,
	label func(*P) string, cols []column[child[P, L]]) *table {
	build := func(cols []column[child[P, L]]) *table {
		t := &table{entity: entity, name: name, doc: doc, ep: ep, columns: pipelineColumns(cols)}
		for _, c := range cols {
			t.paths = append(t.paths, c.Path)
		}
		t.rows = func(ctx context.Context, r *run) iter.Seq2[pipeline.Record, error] {
			return func(yield func(pipeline.Record, error) bool) {
				for parent, err := range list(r.client, ctx, r.listOptions()) {
					if err != nil {
						yield(pipeline.Record{}, err)
						return
					}
					if !r.keep(&parent) {
						continue
					}
					ls := lines(&parent)
					for i := range ls {
						item := child[P, L]{P: &parent, L: &ls[i], N: i + 1}
						rec := pipeline.Record{Origin: pipeline.Origin{File: fmt.Sprintf("goflow %s %s %s %d", entity, label(&parent), name, i+1)}, Values: values(cols, &item)}
						if !yield(rec, nil) {
							return
						}
					}
				}
				r.finish()
			}
		}
		return t
	}
	t := build(cols)
	// The header columns come from the same listing: no extra request.
	t.withHeader = build(append(slices.Clip(cols), parentCols[P, L](flatten[P](HeaderPrefix))...))
	return t
}

// parentCols lifts a parent's columns into a line table.
func parentCols[P, L any](cols []column[P]) []column[child[P, L]] {
	return sub(cols, func(c *child[P, L]) *P { return c.P }, "parent.")
}

func lineCols[P, L any](cols []column[L]) []column[child[P, L]] {
	return sub(cols, func(c *child[P, L]) *L { return c.L }, "")
}

var (
	tables   = map[string]map[string]*table{}
	defaults = map[string]string{}
)

func register(ts ...*table) {
	for i, t := range ts {
		if tables[t.entity] == nil {
			tables[t.entity] = map[string]*table{}
		}
		if _, dup := tables[t.entity][t.name]; dup {
			panic("goflowsrc: table registered twice: " + t.entity + "/" + t.name)
		}
		tables[t.entity][t.name] = t
		if i == 0 {
			defaults[t.entity] = t.name
		}
	}
}

// Entities lists the entities the source exports.
func Entities() []string {
	out := make([]string, 0, len(tables))
	for e := range tables {
		out = append(out, e)
	}
	sort.Strings(out)
	return out
}

// Tables lists an entity's tables, the default first.
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

// hint is ` (did you mean "x"?)` or "".
func hint(name string, candidates []string) string {
	if h := suggest.Hint(name, candidates); h != "" {
		return " (" + h + ")"
	}
	return ""
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
