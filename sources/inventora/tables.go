package inventorasrc

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/inventora"
	"github.com/etl-dev/etl/pipeline"
)

// Decimal columns are DECIMAL(DecimalPrecision, DecimalScale): Inventora
// states no precision, and four places keep fractional weights and cent
// prices exact with 14 digits before the point.
const (
	DecimalPrecision = 18
	DecimalScale     = 4
)

// col is one output column over values of type T.
type col[T any] struct {
	pipeline.Column
	get func(*T) any
}

func text[T any](name string, get func(*T) string) col[T] {
	return col[T]{pipeline.Column{Name: name, Type: pipeline.TypeString}, func(t *T) any { return get(t) }}
}

func optText[T any](name string, get func(*T) *string) col[T] {
	return col[T]{pipeline.Column{Name: name, Type: pipeline.TypeString}, func(t *T) any {
		if p := get(t); p != nil {
			return *p
		}
		return nil
	}}
}

func num[T any](name string, get func(*T) inventora.Decimal) col[T] {
	return col[T]{decimalColumn(name), func(t *T) any { return get(t).Decimal }}
}

func optNum[T any](name string, get func(*T) *inventora.Decimal) col[T] {
	return col[T]{decimalColumn(name), func(t *T) any {
		if p := get(t); p != nil {
			return p.Decimal
		}
		return nil
	}}
}

func flag[T any](name string, get func(*T) bool) col[T] {
	return col[T]{pipeline.Column{Name: name, Type: pipeline.TypeBool}, func(t *T) any { return get(t) }}
}

func integer[T any](name string, get func(*T) *int64) col[T] {
	return col[T]{pipeline.Column{Name: name, Type: pipeline.TypeInteger}, func(t *T) any {
		if p := get(t); p != nil {
			return *p
		}
		return nil
	}}
}

func stamp[T any](name string, get func(*T) *time.Time) col[T] {
	return col[T]{pipeline.Column{Name: name, Type: pipeline.TypeTimestamp}, func(t *T) any {
		if p := get(t); p != nil {
			return p.UTC()
		}
		return nil
	}}
}

func decimalColumn(name string) pipeline.Column {
	return pipeline.Column{Name: name, Type: pipeline.TypeDecimal, Precision: DecimalPrecision, Scale: DecimalScale}
}

func columnsOf[T any](cs []col[T]) []pipeline.Column {
	out := make([]pipeline.Column, len(cs))
	for i, c := range cs {
		out[i] = c.Column
	}
	return out
}

func valuesOf[T any](cs []col[T], v *T) []any {
	out := make([]any, len(cs))
	for i, c := range cs {
		out[i] = c.get(v)
	}
	return out
}

// table is one exportable table.
type table struct {
	entity, name string
	doc          string
	columns      []pipeline.Column
	// rows yields the table's records from a run.
	rows func(ctx context.Context, r *run) iter.Seq2[pipeline.Record, error]
}

// The columns of every table, fixed by the entity types.
var (
	resourceCols = []col[inventora.Resource]{
		text("id", func(r *inventora.Resource) string { return r.ID }),
		text("name", func(r *inventora.Resource) string { return r.Name }),
		text("sku", func(r *inventora.Resource) string { return r.SKU }),
		num("stock_level", func(r *inventora.Resource) inventora.Decimal { return r.StockLevel }),
		text("unit_type", func(r *inventora.Resource) string { return r.UnitType }),
		optNum("unit_price", func(r *inventora.Resource) *inventora.Decimal { return r.UnitPrice }),
		optNum("min_level", func(r *inventora.Resource) *inventora.Decimal { return r.MinLevel }),
		optText("notes", func(r *inventora.Resource) *string { return r.Notes }),
		optNum("retail_price", func(r *inventora.Resource) *inventora.Decimal { return r.RetailPrice }),
		optNum("wholesale_price", func(r *inventora.Resource) *inventora.Decimal { return r.WholesalePrice }),
		optText("ean", func(r *inventora.Resource) *string { return r.EAN }),
		optNum("minimum_quantity", func(r *inventora.Resource) *inventora.Decimal { return r.MinimumQuantity }),
		text("reorder_urls", func(r *inventora.Resource) string { return strings.Join(r.ReorderURLs, " ") }),
		text("production_type", func(r *inventora.Resource) string { return r.ProductionType }),
	}
	stockCols = []col[stockRow]{
		text("product_id", func(s *stockRow) string { return s.r.ID }),
		text("sku", func(s *stockRow) string { return s.r.SKU }),
		text("location", func(s *stockRow) string { return s.location }),
		num("quantity", func(s *stockRow) inventora.Decimal { return s.qty }),
		optText("location_id", func(s *stockRow) *string { return s.locationID }),
		text("name", func(s *stockRow) string { return s.r.Name }),
		text("unit_type", func(s *stockRow) string { return s.r.UnitType }),
	}
	bomCols = []col[bomRow]{
		text("product_id", func(b *bomRow) string { return b.r.ID }),
		text("material_id", func(b *bomRow) string { return b.m.ID }),
		num("quantity_used", func(b *bomRow) inventora.Decimal { return b.m.QuantityUsed }),
		text("product_sku", func(b *bomRow) string { return b.r.SKU }),
		text("material_sku", func(b *bomRow) string { return b.m.SKU }),
		text("material_name", func(b *bomRow) string { return b.m.Name }),
		text("unit_type", func(b *bomRow) string { return b.m.UnitType }),
		optNum("unit_price", func(b *bomRow) *inventora.Decimal { return b.m.UnitPrice }),
	}
	locationCols = []col[inventora.Location]{
		text("id", func(l *inventora.Location) string { return l.ID }),
		text("name", func(l *inventora.Location) string { return l.Name }),
		flag("is_default", func(l *inventora.Location) bool { return l.IsDefault }),
		flag("hide_materials", func(l *inventora.Location) bool { return l.HideMaterials }),
		optText("address1", func(l *inventora.Location) *string { return l.Address1 }),
		optText("address2", func(l *inventora.Location) *string { return l.Address2 }),
		optText("city", func(l *inventora.Location) *string { return l.City }),
		optText("state", func(l *inventora.Location) *string { return l.State }),
		optText("zip", func(l *inventora.Location) *string { return l.Zip }),
		optText("country", func(l *inventora.Location) *string { return l.Country }),
	}
	taskCols = []col[inventora.Task]{
		text("id", func(t *inventora.Task) string { return t.ID }),
		text("name", func(t *inventora.Task) string { return t.Name }),
		text("status", func(t *inventora.Task) string { return t.Status }),
		integer("order", func(t *inventora.Task) *int64 { return t.Order }),
		optText("location_id", func(t *inventora.Task) *string { return t.LocationID }),
		optText("user_id", func(t *inventora.Task) *string { return t.UserID }),
		stamp("due", func(t *inventora.Task) *time.Time { return t.Due }),
		stamp("completed_at", func(t *inventora.Task) *time.Time { return t.CompletedAt }),
		optText("notes", func(t *inventora.Task) *string { return t.Notes }),
		stamp("created_at", func(t *inventora.Task) *time.Time { return t.CreatedAt }),
		stamp("updated_at", func(t *inventora.Task) *time.Time { return t.UpdatedAt }),
	}
	taskItemCols = []col[taskItemRow]{
		text("task_id", func(i *taskItemRow) string { return i.t.ID }),
		integer("item_id", func(i *taskItemRow) *int64 { return &i.it.ID }),
		text("resource_id", func(i *taskItemRow) string { return i.it.ResourceID }),
		num("quantity", func(i *taskItemRow) inventora.Decimal { return i.it.Quantity }),
		text("unit_type", func(i *taskItemRow) string { return i.it.UnitType }),
		flag("completed", func(i *taskItemRow) bool { return i.it.Completed }),
		text("task_name", func(i *taskItemRow) string { return i.t.Name }),
		text("sku", func(i *taskItemRow) string { return i.it.Product.SKU }),
		text("product_name", func(i *taskItemRow) string { return i.it.Product.Name }),
		num("produced", func(i *taskItemRow) inventora.Decimal { return i.produced() }),
	}
	batchCols = []col[batchRow]{
		text("task_id", func(b *batchRow) string { return b.t.ID }),
		integer("item_id", func(b *batchRow) *int64 { return &b.it.ID }),
		integer("batch_id", func(b *batchRow) *int64 { return &b.b.ID }),
		num("quantity", func(b *batchRow) inventora.Decimal { return b.b.Quantity }),
		optText("user_id", func(b *batchRow) *string { return b.b.UserID }),
		stamp("created_at", func(b *batchRow) *time.Time { return b.b.CreatedAt }),
		stamp("updated_at", func(b *batchRow) *time.Time { return b.b.UpdatedAt }),
	}
)

type stockRow struct {
	r          *inventora.Resource
	location   string
	locationID *string // from GET /locations; nil for a name no location has
	qty        inventora.Decimal
}

type bomRow struct {
	r *inventora.Resource
	m *inventora.MaterialUse
}

type taskItemRow struct {
	t  *inventora.Task
	it *inventora.TaskItem
}

func (i *taskItemRow) produced() inventora.Decimal {
	sum := decimal.Zero
	for _, b := range i.it.Batches {
		sum = sum.Add(b.Quantity.Decimal)
	}
	return inventora.NewDecimal(sum)
}

type batchRow struct {
	t  *inventora.Task
	it *inventora.TaskItem
	b  *inventora.Batch
}

// tables lists every table by entity, the default first.
var tables = map[string][]*table{}

func register(t *table) { tables[t.entity] = append(tables[t.entity], t) }

func init() {
	for _, kind := range []string{"products", "materials"} {
		singular := strings.TrimSuffix(kind, "s")
		register(&table{entity: kind, name: "items", doc: "one row per " + singular, columns: columnsOf(resourceCols),
			rows: func(ctx context.Context, r *run) iter.Seq2[pipeline.Record, error] {
				return each(ctx, r, kind, func(res *inventora.Resource, yield func([]any, string) bool) bool {
					return yield(valuesOf(resourceCols, res), res.SKU)
				})
			}})
		register(&table{entity: kind, name: "stock", doc: "one row per " + singular + " × location of locationStockLevels (zeros included)", columns: columnsOf(stockCols),
			rows: func(ctx context.Context, r *run) iter.Seq2[pipeline.Record, error] {
				return func(yield func(pipeline.Record, error) bool) {
					// Stock is keyed by location name, which can change: the
					// id makes the rows joinable across renames.
					locs, err := r.client.Locations(ctx)
					if err != nil {
						yield(pipeline.Record{}, fmt.Errorf("listing the locations: %w", err))
						return
					}
					ids := map[string]*string{}
					for i := range locs.Items {
						ids[locs.Items[i].Name] = &locs.Items[i].ID
					}
					rows := each(ctx, r, kind, func(res *inventora.Resource, yield func([]any, string) bool) bool {
						for _, loc := range res.Locations() {
							row := stockRow{res, loc, ids[loc], res.LocationStockLevels[loc]}
							if !yield(valuesOf(stockCols, &row), res.SKU+" @ "+loc) {
								return false
							}
						}
						return true
					})
					for rec, err := range rows {
						if !yield(rec, err) {
							return
						}
					}
				}
			}})
		register(&table{entity: kind, name: "materials", doc: "the bill of materials: one row per " + singular + " × material", columns: columnsOf(bomCols),
			rows: func(ctx context.Context, r *run) iter.Seq2[pipeline.Record, error] {
				return each(ctx, r, kind, func(res *inventora.Resource, yield func([]any, string) bool) bool {
					for i := range res.Materials {
						row := bomRow{res, &res.Materials[i]}
						if !yield(valuesOf(bomCols, &row), res.SKU+" uses "+res.Materials[i].SKU) {
							return false
						}
					}
					return true
				})
			}})
	}
	register(&table{entity: "locations", name: "items", doc: "one row per location", columns: columnsOf(locationCols),
		rows: func(ctx context.Context, r *run) iter.Seq2[pipeline.Record, error] {
			return func(yield func(pipeline.Record, error) bool) {
				res, err := r.client.Locations(ctx)
				if err != nil {
					yield(pipeline.Record{}, err)
					return
				}
				r.noteList("locations", res.Reads, res.Requests, res.Moved)
				for i := range res.Items {
					l := &res.Items[i]
					if !yield(record("location "+l.Name, valuesOf(locationCols, l)), nil) {
						return
					}
				}
			}
		}})
	register(&table{entity: "tasks", name: "tasks", doc: "one row per task", columns: columnsOf(taskCols),
		rows: func(ctx context.Context, r *run) iter.Seq2[pipeline.Record, error] {
			return eachTask(ctx, r, func(t *inventora.Task, yield func([]any, string) bool) bool {
				return yield(valuesOf(taskCols, t), t.Name)
			})
		}})
	register(&table{entity: "tasks", name: "items", doc: "one row per task item (product to produce)", columns: columnsOf(taskItemCols),
		rows: func(ctx context.Context, r *run) iter.Seq2[pipeline.Record, error] {
			return eachTask(ctx, r, func(t *inventora.Task, yield func([]any, string) bool) bool {
				for i := range t.Items {
					row := taskItemRow{t, &t.Items[i]}
					if !yield(valuesOf(taskItemCols, &row), fmt.Sprintf("%s item %d", t.Name, t.Items[i].ID)) {
						return false
					}
				}
				return true
			})
		}})
	register(&table{entity: "tasks", name: "batches", doc: "one row per production batch of a task item", columns: columnsOf(batchCols),
		rows: func(ctx context.Context, r *run) iter.Seq2[pipeline.Record, error] {
			return eachTask(ctx, r, func(t *inventora.Task, yield func([]any, string) bool) bool {
				for i := range t.Items {
					for j := range t.Items[i].Batches {
						row := batchRow{t, &t.Items[i], &t.Items[i].Batches[j]}
						if !yield(valuesOf(batchCols, &row), fmt.Sprintf("%s batch %d", t.Name, row.b.ID)) {
							return false
						}
					}
				}
				return true
			})
		}})
}

func record(label string, vals []any) pipeline.Record {
	return pipeline.Record{Origin: pipeline.Origin{File: "inventora " + label}, Values: vals}
}

// each lists the resources of kind and yields what emit makes of each.
func each(ctx context.Context, r *run, kind string, emit func(*inventora.Resource, func([]any, string) bool) bool) iter.Seq2[pipeline.Record, error] {
	return func(yield func(pipeline.Record, error) bool) {
		res, err := r.client.Resources(ctx, kind)
		if err != nil {
			yield(pipeline.Record{}, err)
			return
		}
		r.noteList(kind, res.Reads, res.Requests, res.Moved)
		singular := strings.TrimSuffix(kind, "s")
		for i := range res.Items {
			ok := emit(&res.Items[i], func(vals []any, label string) bool {
				return yield(record(singular+" "+label, vals), nil)
			})
			if !ok {
				return
			}
		}
	}
}

func eachTask(ctx context.Context, r *run, emit func(*inventora.Task, func([]any, string) bool) bool) iter.Seq2[pipeline.Record, error] {
	return func(yield func(pipeline.Record, error) bool) {
		res, err := r.client.Tasks(ctx, r.cfg.Status)
		if err != nil {
			yield(pipeline.Record{}, err)
			return
		}
		r.noteList("tasks", res.Reads, res.Requests, res.Moved)
		for i := range res.Items {
			ok := emit(&res.Items[i], func(vals []any, label string) bool {
				return yield(record("task "+label, vals), nil)
			})
			if !ok {
				return
			}
		}
	}
}

// Entities lists the entities the source exports.
func Entities() []string { return []string{"products", "materials", "locations", "tasks"} }

// lookupTable finds entity's table (its default when name is empty).
func lookupTable(entity, name string) (*table, error) {
	ts, ok := tables[entity]
	if !ok {
		return nil, fmt.Errorf("entity %q is not known: use one of %s", entity, strings.Join(Entities(), ", "))
	}
	if name == "" {
		return ts[0], nil
	}
	var names []string
	for _, t := range ts {
		if t.name == name {
			return t, nil
		}
		names = append(names, t.name)
	}
	slices.Sort(names)
	return nil, fmt.Errorf("table %q is not a table of %s: use one of %s", name, entity, strings.Join(names, ", "))
}
