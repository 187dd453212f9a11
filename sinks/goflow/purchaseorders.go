package goflowsink

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/goflow"
	"github.com/etl-dev/etl/pipeline"
	"github.com/etl-dev/etl/sinks/apisink"
)

// purchaseOrders creates purchase orders from rows grouped by
// purchase_order_number (rows of one order need not be adjacent); an
// order whose number Goflow already has is left alone. They are sent at
// Close, when every row of every order is known.
type purchaseOrders struct {
	s     *sink
	order []string // numbers in order of first appearance
	byNum map[string]*poDoc
}

type poDoc struct {
	number       string
	vendor, wh   string
	date         *time.Time
	rows         []pipeline.Row
	lines        []poLine
	problem      string // set when the document cannot be sent
	problemField string
}

type poLine struct {
	item  string
	qty   decimal.Decimal
	price *decimal.Decimal
}

func (po *purchaseOrders) write(_ context.Context, rows []pipeline.Row) *pipeline.BatchError {
	s := po.s
	be := &pipeline.BatchError{Failed: map[int]pipeline.Problem{}}
	if po.byNum == nil {
		po.byNum = map[string]*poDoc{}
	}
	for i, r := range rows {
		num, vendor, wh, item := s.str(r, "purchase_order_number"), s.str(r, "vendor"), s.str(r, "warehouse"), s.str(r, "item_number")
		for _, f := range [][2]string{{"purchase_order_number", num}, {"vendor", vendor}, {"warehouse", wh}, {"item_number", item}} {
			if f[1] == "" {
				be.Failed[i] = problem(r, f[0], "", "required", "%s is empty", f[0])
				break
			}
		}
		if _, bad := be.Failed[i]; bad {
			continue
		}
		qty, err := s.num(r, "quantity")
		if err != nil || qty == nil || !qty.IsPositive() {
			be.Failed[i] = problem(r, "quantity", "", "min", "quantity must be a number above 0")
			continue
		}
		price, err := s.num(r, "price")
		if err != nil || (price != nil && price.IsNegative()) {
			be.Failed[i] = problem(r, "price", "", "type", "price must be a number of at least 0")
			continue
		}
		var date *time.Time
		if i, ok := s.fields["date"]; ok && r.Values[i] != nil {
			switch v := r.Values[i].(type) {
			case time.Time:
				date = &v
			case string:
				t, err := goflow.ParseTime(v)
				if err != nil {
					be.Failed[i] = problem(r, "date", v, "type", "date %q is not a date such as 2026-03-01 or 2026-03-01T09:00:00Z", v)
					continue
				}
				date = &t.Time
			}
		}
		d := po.byNum[key(num)]
		if d == nil {
			d = &poDoc{number: num, vendor: vendor, wh: wh, date: date}
			po.byNum[key(num)] = d
			po.order = append(po.order, key(num))
		}
		switch {
		case key(d.vendor) != key(vendor):
			d.problem, d.problemField = fmt.Sprintf("purchase order %s names two vendors (%q and %q): one vendor per order", num, d.vendor, vendor), "vendor"
		case key(d.wh) != key(wh):
			d.problem, d.problemField = fmt.Sprintf("purchase order %s names two warehouses (%q and %q): one warehouse per order", num, d.wh, wh), "warehouse"
		}
		d.rows = append(d.rows, r)
		d.lines = append(d.lines, poLine{item: item, qty: *qty, price: price})
	}
	return be
}

func (po *purchaseOrders) close(ctx context.Context) *pipeline.RowErrors {
	s := po.s
	res := newResults()
	if len(po.order) == 0 {
		return res.e
	}
	ix := &index{}
	for _, load := range []func(context.Context, *index) error{s.loadProducts, s.loadWarehouses, s.loadVendors} {
		if err := load(ctx, ix); err != nil {
			res.e.Err = err
			return res.e
		}
	}
	// Which numbers Goflow has: 50 numbers a request (repeated filter
	// values are ORed).
	existing := map[string]int64{}
	for start := 0; start < len(po.order); start += 50 {
		var nums []string
		for _, k := range po.order[start:min(start+50, len(po.order))] {
			nums = append(nums, po.byNum[k].number)
		}
		found, err := po.find(ctx, nums)
		if err != nil {
			res.e.Err = err
			return res.e
		}
		for k, v := range found {
			existing[k] = v
		}
	}
	for _, k := range po.order {
		if err := ctx.Err(); err != nil {
			res.e.Err = err
			return res.e
		}
		d := po.byNum[k]
		if id, ok := existing[k]; ok {
			for _, r := range d.rows {
				res.set(r, pipeline.Unchanged)
				s.count(pipeline.Unchanged)
			}
			s.notef("purchase order %s already exists in Goflow (id %d): left alone", d.number, id)
			continue
		}
		body, p := po.build(d, ix)
		if p != nil {
			for _, r := range d.rows {
				q := *p
				q.Origin = r.Origin
				res.fail(r, q)
			}
			continue
		}
		if err := po.create(ctx, d, body, res); err != nil {
			res.e.Err = err
			return res.e
		}
	}
	return res.e
}

// build resolves names to ids; any row's problem fails the order.
func (po *purchaseOrders) build(d *poDoc, ix *index) (*goflow.NewPurchaseOrder, *pipeline.Problem) {
	first := d.rows[0]
	if d.problem != "" {
		p := problem(first, d.problemField, "", "consistent", "%s", d.problem)
		return nil, &p
	}
	v, ok := ix.vendors[key(d.vendor)]
	if !ok {
		p := problem(first, "vendor", d.vendor, "reference", "Goflow has no vendor named %q%s", d.vendor, closest(d.vendor, ix.vendorNames))
		return nil, &p
	}
	w, ok := ix.warehouses[key(d.wh)]
	if !ok {
		p := problem(first, "warehouse", d.wh, "reference", "Goflow has no warehouse named %q%s; its warehouses are %s", d.wh, closest(d.wh, ix.warehouseNames), strings.Join(ix.warehouseNames, ", "))
		return nil, &p
	}
	body := &goflow.NewPurchaseOrder{PurchaseOrderNumber: d.number, Warehouse: goflow.IDRef[string]{ID: w.ID}, Vendor: goflow.IDRef[int64]{ID: v.ID}}
	if d.date != nil {
		body.Date = goflow.NewTime(*d.date)
	}
	for i, l := range d.lines {
		p := ix.products[key(l.item)]
		switch {
		case p == nil:
			pb := problem(d.rows[i], "item_number", l.item, "reference", "purchase order %s: Goflow has no product with item number %q%s", d.number, l.item, closest(l.item, ix.itemNumbers))
			return nil, &pb
		case p.Type == "group":
			pb := problem(d.rows[i], "item_number", l.item, "reference", "purchase order %s: %s is a group product, which cannot be purchased: order its children", d.number, l.item)
			return nil, &pb
		}
		line := goflow.NewPurchaseOrderLine{Product: goflow.IDRef[int64]{ID: p.ID}}
		line.Quantity.Amount = goflow.NewDecimal(l.qty)
		if l.price != nil {
			line.Price = &struct {
				Amount goflow.Decimal `json:"amount"`
			}{Amount: goflow.NewDecimal(*l.price)}
		}
		body.Lines = append(body.Lines, line)
	}
	return body, nil
}

// create sends one purchase order: journaled under its number before the
// POST, looked up by number after a POST whose answer was lost, never
// sent again blindly.
func (po *purchaseOrders) create(ctx context.Context, d *poDoc, body *goflow.NewPurchaseOrder, res *results) error {
	s := po.s
	jkey := "purchase_order_number:" + d.number
	if j := s.env.Journal; j != nil && !s.dry {
		if err := j.Intend(ctx, kindPO, jkey, jkey, ""); err != nil {
			return err
		}
	}
	var origins []pipeline.Origin
	for _, r := range d.rows {
		origins = append(origins, r.Origin)
	}
	w := apisink.Write{Method: "POST", Route: goflow.EpCreatePurchaseOrder.Route, Body: map[string]any{"purchase_order": body},
		Kind: "purchase-orders", Key: "purchase order " + d.number, Action: apisink.Create, Rows: origins,
		Fields: []pipeline.FieldChange{{Field: "purchase_order_number", New: d.number}, {Field: "vendor", New: d.vendor},
			{Field: "warehouse", New: d.wh}, {Field: "lines", New: strconv.Itoa(len(body.Lines))}}}
	for attempt := 1; ; attempt++ {
		var created goflow.Created
		err := s.w.Send(ctx, w, &created)
		if errors.Is(err, apisink.ErrUnanswered) && attempt < 4 && ctx.Err() == nil {
			found, lerr := po.find(ctx, []string{d.number})
			if lerr != nil {
				return lerr
			}
			id, ok := found[key(d.number)]
			if !ok {
				continue // it was not made: send again
			}
			created.ID, err = id, nil
		}
		switch {
		case err == nil:
			for _, r := range d.rows {
				res.set(r, pipeline.Created)
				s.count(pipeline.Created)
			}
			if j := s.env.Journal; j != nil && !s.dry {
				j.Confirm(ctx, kindPO, jkey, strconv.FormatInt(created.ID, 10), "created", "")
			}
			return nil
		case errors.Is(err, apisink.ErrUnanswered):
			for _, r := range d.rows {
				res.unknown(r, fmt.Sprintf("purchase order %s was sent with no answer and not found after %d tries; etl run --resume looks it up again", d.number, attempt))
			}
			return nil
		}
		switch goflow.Status(err) {
		case 400, 404, 422:
			msg := err.Error()
			if fe := goflow.FieldErrors(err); len(fe) > 0 {
				var parts []string
				for _, f := range slices.Sorted(maps.Keys(fe)) {
					parts = append(parts, f+": "+strings.Join(fe[f], " "))
				}
				msg = "Goflow refused purchase order " + d.number + ": " + strings.Join(parts, "; ")
			}
			for _, r := range d.rows {
				res.fail(r, problem(r, "purchase_order_number", d.number, "api", "%s", msg))
			}
			return nil
		}
		return err
	}
}

// find looks purchase orders up by number (repeated values ORed).
func (po *purchaseOrders) find(ctx context.Context, nums []string) (map[string]int64, error) {
	out := map[string]int64{}
	for p, err := range po.s.client.PurchaseOrders(ctx, goflow.ListOptions{Filters: goflow.Filters{"purchase_order_number": nums}}) {
		if err != nil {
			return nil, fmt.Errorf("goflow sink: looking up purchase orders: %w", err)
		}
		out[key(p.PurchaseOrderNumber)] = p.ID
	}
	return out, nil
}
