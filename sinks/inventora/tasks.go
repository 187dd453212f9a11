package inventorasink

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/etl-dev/etl/inventora"
	"github.com/etl-dev/etl/pipeline"
	"github.com/etl-dev/etl/sinks/apisink"
)

// taskState collects the rows of entity tasks, grouped by task name.
type taskState struct {
	order  []string
	groups map[string]*taskGroup
}

type taskGroup struct {
	name string
	rows []taskRow
	// task-level values and the row that gave each
	location, assignee, notes, status string
	due                               *time.Time
	from                              map[string]pipeline.Origin
	bad                               *pipeline.Problem // the first bad row's problem
}

type taskRow struct {
	origin   pipeline.Origin
	seq      int64
	sku      string
	qty      inventora.Decimal
	unitType string
}

// collectTasks takes the rows of entity tasks; the tasks are created at
// Close, once every row of each is known (rows of one task need not be
// adjacent). The rows stay Written until Close says what became of them
// (pipeline.RowErrors: Created, Unchanged, Rejected or Unknown).
func (s *sink) collectTasks(rows []pipeline.Row) error {
	if s.tasks == nil {
		s.tasks = &taskState{groups: map[string]*taskGroup{}}
	}
	failed := map[int]pipeline.Problem{}
	for i := range rows {
		row := &rows[i]
		c := &cells{row: row, fields: s.fields}
		name := c.text("task")
		if name == nil {
			failed[i] = *s.reject(row, "task", "", "the row has no task name: rows are grouped into tasks by it")
			continue
		}
		g := s.tasks.groups[*name]
		if g == nil {
			g = &taskGroup{name: *name, from: map[string]pipeline.Origin{}}
			s.tasks.groups[*name] = g
			s.tasks.order = append(s.tasks.order, *name)
		}
		tr := taskRow{origin: row.Origin, seq: row.Seq}
		if v := c.text("sku"); v != nil {
			tr.sku = *v
		} else {
			c.bad("sku", "", "the row has no sku: each row is an item of its task, named by product SKU")
		}
		if q := c.number("quantity"); q != nil {
			if !q.IsPositive() {
				c.bad("quantity", q.String(), "quantity must be more than 0")
			}
			tr.qty = *q
		} else {
			c.bad("quantity", "", "the row has no quantity to produce")
		}
		if v := c.text("unit_type"); v != nil {
			if !slices.Contains(inventora.UnitTypes, *v) || inventora.IsBundle(*v) {
				c.bad("unit_type", *v, fmt.Sprintf("unit_type %q is not an Inventora unit type an item can take%s", *v, hint(*v, inventora.UnitTypes)))
			}
			tr.unitType = *v
		}
		for _, f := range []struct {
			field string
			dst   *string
		}{{"location", &g.location}, {"assignee", &g.assignee}, {"notes", &g.notes}, {"status", &g.status}} {
			v := c.text(f.field)
			if v == nil {
				continue
			}
			if f.field == "status" && !slices.Contains(inventora.TaskStatuses, *v) {
				c.bad("status", *v, fmt.Sprintf("status %q is not one of %s%s", *v, strings.Join(inventora.TaskStatuses, ", "), hint(*v, inventora.TaskStatuses)))
				continue
			}
			if *f.dst != "" && *f.dst != *v {
				c.bad(f.field, *v, fmt.Sprintf("task %q has %s %q from %s: one value per task", g.name, f.field, *f.dst, g.from[f.field]))
				continue
			}
			*f.dst = *v
			if _, ok := g.from[f.field]; !ok {
				g.from[f.field] = row.Origin
			}
		}
		if d := c.when("due"); d != nil {
			if g.due != nil && !g.due.Equal(*d) {
				c.bad("due", d.Format(time.RFC3339), fmt.Sprintf("task %q is due %s from %s: one due date per task", g.name, g.due.Format(time.RFC3339), g.from["due"]))
			} else {
				g.due = d
				g.from["due"] = row.Origin
			}
		}
		if len(c.problems) > 0 {
			failed[i] = c.problems[0]
			if g.bad == nil {
				g.bad = &c.problems[0]
			}
			continue
		}
		g.rows = append(g.rows, tr)
	}
	if len(failed) > 0 {
		return &pipeline.BatchError{Failed: failed}
	}
	return nil
}

// createTasks creates each collected task, unless a live task of that
// name already has the same items (a repeated or resumed run): POST
// /tasks is not idempotent, so the task name is the natural key. A task
// of that name with other items rejects the task's rows: Inventora's API
// cannot change a task's items.
func (s *sink) createTasks(ctx context.Context) error {
	if s.tasks == nil || len(s.tasks.order) == 0 {
		return nil
	}
	re := &pipeline.RowErrors{Failed: map[int64]pipeline.Problem{}, Unknown: map[int64]pipeline.Problem{}, Outcomes: map[int64]pipeline.RowOutcome{}}
	decided := func(g *taskGroup, o pipeline.Outcome) {
		for _, r := range g.rows {
			re.Outcomes[r.seq] = pipeline.RowOutcome{Seq: r.seq, Origin: r.origin, Outcome: o}
		}
	}
	failGroup := func(g *taskGroup, msg string, unknown bool) {
		for _, r := range g.rows {
			p := pipeline.Problem{Origin: r.origin, Field: "task", Value: g.name, Rule: "inventora", Message: msg}
			if unknown {
				re.Unknown[r.seq] = p
			} else {
				re.Failed[r.seq] = p
			}
		}
	}
	products, err := s.client.Products(ctx)
	if err != nil {
		return fmt.Errorf("reading the products: %w", err)
	}
	bySKU := map[string][]inventora.Resource{}
	var skus []string
	for _, p := range products.Items {
		bySKU[lower(p.SKU)] = append(bySKU[lower(p.SKU)], p)
		skus = append(skus, p.SKU)
	}
	if err := s.loadLocations(ctx); err != nil {
		return err
	}
	existing, err := s.client.Tasks(ctx, "")
	if err != nil {
		return fmt.Errorf("reading the tasks: %w", err)
	}
	byName := map[string][]inventora.Task{}
	for _, t := range existing.Items {
		byName[t.Name] = append(byName[t.Name], t)
	}
	for _, name := range s.tasks.order {
		if err := ctx.Err(); err != nil {
			return err
		}
		g := s.tasks.groups[name]
		if len(g.rows) == 0 {
			continue
		}
		if g.bad != nil {
			failGroup(g, fmt.Sprintf("task %q is not created: %s", g.name, g.bad.Error()), false)
			continue
		}
		nt := &inventora.NewTask{Name: g.name, Assignee: g.assignee, Notes: g.notes, Status: g.status, Due: g.due}
		bad := ""
		for _, r := range g.rows {
			ps := bySKU[lower(r.sku)]
			switch len(ps) {
			case 0:
				bad = fmt.Sprintf("no product has SKU %q (%s)%s", r.sku, r.origin, hint(r.sku, skus))
			case 1:
				nt.Items = append(nt.Items, inventora.NewTaskItem{ProductID: ps[0].ID, Quantity: r.qty, UnitType: r.unitType})
				continue
			default:
				bad = fmt.Sprintf("%d products have SKU %q (%s)", len(ps), r.sku, r.origin)
			}
			break
		}
		if bad == "" && g.location != "" {
			name, msg := s.resolveLocation(g.location)
			if msg != "" {
				bad = msg
			}
			for _, l := range s.locations {
				if l.Name == name {
					nt.LocationID = l.ID
				}
			}
		}
		if bad != "" {
			failGroup(g, fmt.Sprintf("task %q is not created: %s", g.name, bad), false)
			continue
		}
		if same := slices.IndexFunc(byName[g.name], func(t inventora.Task) bool { return sameItems(t, nt) }); same >= 0 {
			s.count(pipeline.Unchanged)
			decided(g, pipeline.Unchanged)
			continue
		} else if len(byName[g.name]) > 0 {
			failGroup(g, fmt.Sprintf("a task named %q already exists (%s) with other items, and Inventora's API cannot change a task's items: rename the task or delete the old one in Inventora", g.name, byName[g.name][0].ID), false)
			continue
		}
		var origins []pipeline.Origin
		for _, r := range g.rows {
			origins = append(origins, r.origin)
		}
		var fields []pipeline.FieldChange
		for _, it := range nt.Items {
			fields = append(fields, pipeline.FieldChange{Field: "item " + it.ProductID, New: it.Quantity.String()})
		}
		var out inventora.Task
		err := s.w.Send(ctx, apisink.Write{Method: http.MethodPost, Route: "/tasks", Body: nt, Kind: "tasks", Key: "task " + g.name,
			Action: apisink.Create, Rows: origins, Fields: fields}, &out)
		switch {
		case errors.Is(err, apisink.ErrUnanswered):
			failGroup(g, fmt.Sprintf("task %q was sent and no answer came; a resumed or repeated run finds it by its name", g.name), true)
			continue
		case isRowError(err):
			failGroup(g, fmt.Sprintf("Inventora refused task %q: %s", g.name, inventora.MessageOf(err)), false)
			continue
		case err != nil:
			re.Err = err
			return re
		}
		s.count(pipeline.Created)
		decided(g, pipeline.Created)
	}
	return re
}

// sameItems reports whether task t has exactly the items of nt.
func sameItems(t inventora.Task, nt *inventora.NewTask) bool {
	if len(t.Items) != len(nt.Items) {
		return false
	}
	key := func(id string, q inventora.Decimal) string { return id + "=" + q.String() }
	var a, b []string
	for _, it := range t.Items {
		a = append(a, key(it.ResourceID, inventora.NewDecimal(it.Quantity.Normalize())))
	}
	for _, it := range nt.Items {
		b = append(b, key(it.ProductID, inventora.NewDecimal(it.Quantity.Normalize())))
	}
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
