package goflowsink

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/goflow"
	"github.com/etl-dev/etl/pipeline"
	"github.com/etl-dev/etl/sinks/apisink"
)

// inventory writes stock: absolute adjustments (mode set) or relative
// ones (mode add), up to 2,000 lines a request, one warehouse each, sent
// at Close once every row is known. Stock is never read first (the counts
// report is limited to 6 an hour): an absolute adjustment leaves lines
// already at their quantity alone, and answers 204 when all are.
type inventory struct {
	s    *sink
	add  bool
	rows []stockRow
	seen map[string]int // item+warehouse → row number, for duplicates
}

type stockRow struct {
	row       pipeline.Row
	item, wh  string
	qty       decimal.Decimal
	cost      *decimal.Decimal
	reason    string
	productID int64
	whID      string
}

func (in *inventory) write(_ context.Context, rows []pipeline.Row) *pipeline.BatchError {
	s := in.s
	be := &pipeline.BatchError{Failed: map[int]pipeline.Problem{}}
	if in.seen == nil {
		in.seen = map[string]int{}
	}
	for i, r := range rows {
		sr := stockRow{row: r, item: s.str(r, "item_number"), wh: s.str(r, "warehouse"), reason: s.str(r, "reason")}
		if sr.reason == "" {
			sr.reason = s.cfg.Reason
		}
		switch {
		case sr.item == "":
			be.Failed[i] = problem(r, "item_number", "", "required", "item_number is empty: name the Goflow product")
			continue
		case sr.wh == "":
			be.Failed[i] = problem(r, "warehouse", "", "required", "warehouse is empty: name the Goflow warehouse")
			continue
		}
		q, err := s.num(r, "quantity")
		if err != nil || q == nil {
			msg := "quantity is empty"
			if err != nil {
				msg = "quantity: " + err.Error()
			}
			be.Failed[i] = problem(r, "quantity", "", "type", "%s", msg)
			continue
		}
		sr.qty = *q
		if !in.add && q.IsNegative() {
			be.Failed[i] = problem(r, "quantity", q.String(), "min", "quantity %s is negative: with mode set it is the stock on hand (use mode add for changes)", q)
			continue
		}
		if c, err := s.num(r, "cost"); err != nil {
			be.Failed[i] = problem(r, "cost", "", "type", "cost: %v", err)
			continue
		} else {
			sr.cost = c
		}
		k := key(sr.item) + "\x00" + key(sr.wh)
		if first, dup := in.seen[k]; dup {
			be.Failed[i] = problem(r, "item_number", sr.item, "unique", "%s at %s is already on row %d: one quantity per product and warehouse", sr.item, sr.wh, first)
			continue
		}
		in.seen[k] = r.Origin.Row
		in.rows = append(in.rows, sr)
	}
	return be
}

func (in *inventory) close(ctx context.Context) *pipeline.RowErrors {
	s := in.s
	res := newResults()
	if len(in.rows) == 0 {
		return res.e
	}
	var ix index
	if err := s.loadProducts(ctx, &ix); err != nil {
		res.e.Err = err
		return res.e
	}
	if err := s.loadWarehouses(ctx, &ix); err != nil {
		res.e.Err = err
		return res.e
	}
	// Names to ids, before any write.
	var whOrder []string
	byWH := map[string][]*stockRow{}
	for i := range in.rows {
		sr := &in.rows[i]
		p := ix.products[key(sr.item)]
		w, whOK := ix.warehouses[key(sr.wh)]
		switch {
		case p == nil:
			res.fail(sr.row, problem(sr.row, "item_number", sr.item, "reference", "Goflow has no product with item number %q%s", sr.item, closest(sr.item, ix.itemNumbers)))
			continue
		case p.Type == "group":
			res.fail(sr.row, problem(sr.row, "item_number", sr.item, "reference", "%s is a group product, which holds no stock of its own: adjust its children", sr.item))
			continue
		case !whOK:
			res.fail(sr.row, problem(sr.row, "warehouse", sr.wh, "reference", "Goflow has no warehouse named %q%s; its warehouses are %s", sr.wh, closest(sr.wh, ix.warehouseNames), strings.Join(ix.warehouseNames, ", ")))
			continue
		}
		sr.productID, sr.whID = p.ID, w.ID
		if _, ok := byWH[w.ID]; !ok {
			whOrder = append(whOrder, w.ID)
		}
		byWH[w.ID] = append(byWH[w.ID], sr)
	}
	for _, wh := range whOrder {
		rows := byWH[wh]
		for start := 0; start < len(rows); start += goflow.MaxAdjustmentLines {
			chunk := rows[start:min(start+goflow.MaxAdjustmentLines, len(rows))]
			if err := ctx.Err(); err != nil {
				res.e.Err = err
				return res.e
			}
			var err error
			if in.add {
				err = in.sendRelative(ctx, chunk, res)
			} else {
				err = in.sendAbsolute(ctx, chunk, res)
			}
			if err != nil {
				res.e.Err = err
				return res.e
			}
		}
	}
	return res.e
}

func (in *inventory) body(typ string, chunk []*stockRow, ref *string) *goflow.NewAdjustment {
	a := &goflow.NewAdjustment{Type: typ, WarehouseID: chunk[0].whID, ReferenceNumber: ref}
	for _, sr := range chunk {
		l := goflow.NewAdjustmentLine{ProductID: sr.productID, Quantity: goflow.NewDecimal(sr.qty)}
		if sr.cost != nil {
			l.Cost = goflow.DecimalPtr(*sr.cost)
		}
		if sr.reason != "" {
			l.Reason = goflow.Ptr(sr.reason)
		}
		a.Lines = append(a.Lines, l)
	}
	return a
}

func origins(chunk []*stockRow) []pipeline.Origin {
	out := make([]pipeline.Origin, len(chunk))
	for i, sr := range chunk {
		out[i] = sr.row.Origin
	}
	return out
}

// sendAbsolute sets the chunk's stock. Repeating an absolute adjustment
// changes nothing, so it is retried like an idempotent request.
func (in *inventory) sendAbsolute(ctx context.Context, chunk []*stockRow, res *results) error {
	s := in.s
	w := apisink.Write{Method: "POST", Route: goflow.EpCreateAdjustment.Route, Body: in.body("absolute", chunk, nil), Idempotent: true,
		Kind: "adjustments", Key: fmt.Sprintf("absolute adjustment of %d lines at %s", len(chunk), chunk[0].wh), Action: apisink.Update, Rows: origins(chunk)}
	var created goflow.Created
	err := s.w.Send(ctx, w, &created)
	switch {
	case err == nil && s.dry:
		for _, sr := range chunk {
			res.set(sr.row, pipeline.Updated)
			s.count(pipeline.Updated)
		}
		s.notef("inventory: the plan counts every row of an absolute adjustment as an update; Goflow leaves lines already at their quantity alone (answering 204 when all are), which the plan cannot know without the counts report")
	case err == nil && created.ID == 0:
		for _, sr := range chunk {
			res.set(sr.row, pipeline.Unchanged)
			s.count(pipeline.Unchanged)
		}
	case err == nil:
		changed := map[int64]bool{}
		if a, gerr := s.client.Adjustment(ctx, created.ID); gerr == nil {
			for _, l := range a.Lines {
				changed[l.ProductID] = true
			}
		} else {
			for _, sr := range chunk {
				changed[sr.productID] = true
			}
			s.notef("inventory: adjustment %d was made but could not be read back (%v): its rows count as updated", created.ID, gerr)
		}
		for _, sr := range chunk {
			o := pipeline.Unchanged
			if changed[sr.productID] {
				o = pipeline.Updated
			}
			res.set(sr.row, o)
			s.count(o)
		}
	case errors.Is(err, apisink.ErrUnanswered):
		for _, sr := range chunk {
			res.unknown(sr.row, "the absolute adjustment was sent and no answer came; running the job again sets the same stock and changes nothing else")
		}
	default:
		return in.refused(err, chunk, res)
	}
	return nil
}

// refused fails the chunk's rows with Goflow's reasons (by line where it
// names one); a failure that is not the rows' fault stops the run.
func (in *inventory) refused(err error, chunk []*stockRow, res *results) error {
	st := goflow.Status(err)
	if st != 422 && st != 404 && st != 400 {
		return err
	}
	fe := goflow.FieldErrors(err)
	for i, sr := range chunk {
		msg := ""
		for f, msgs := range fe {
			if strings.HasPrefix(f, "lines."+strconv.Itoa(i)+".") {
				msg = strings.Join(msgs, "; ")
			}
		}
		if msg == "" {
			msg = "Goflow refused the adjustment with this row in it: " + err.Error()
		} else {
			msg = "Goflow refused the line: " + msg
		}
		res.fail(sr.row, problem(sr.row, "quantity", sr.qty.String(), "api", "%s", msg))
	}
	return nil
}

// reference names a relative adjustment by the job's reference word and
// the chunk's content, so the same rows make the same reference.
func (in *inventory) reference(chunk []*stockRow) string {
	word := in.s.cfg.Reference
	if word == "" {
		word = in.s.env.Job
	}
	if word == "" {
		word = "etl"
	}
	if len(word) > 24 {
		word = word[:24]
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00", word, chunk[0].whID)
	for _, sr := range chunk {
		fmt.Fprintf(h, "%d:%s:%s\x00", sr.productID, sr.qty.String(), sr.reason)
	}
	return word + "-" + hex.EncodeToString(h.Sum(nil))[:12]
}

// sendRelative applies the chunk's changes once: the adjustment's
// reference is looked up first (a repeated or resumed run finds it and
// applies nothing), recorded in the journal before the POST, and looked
// up again after a POST whose answer was lost; a POST is never repeated
// blindly.
func (in *inventory) sendRelative(ctx context.Context, chunk []*stockRow, res *results) error {
	s := in.s
	ref := in.reference(chunk)
	found, err := in.lookup(ctx, ref)
	if err != nil {
		return err
	}
	if found != 0 {
		for _, sr := range chunk {
			res.set(sr.row, pipeline.Unchanged)
			s.count(pipeline.Unchanged)
		}
		s.notef("inventory: adjustment %s (%d rows) was already applied as adjustment %d: not applied again", ref, len(chunk), found)
		return nil
	}
	body := in.body("relative", chunk, &ref)
	if j := s.env.Journal; j != nil && !s.dry {
		if err := j.Intend(ctx, kindAdjustment, ref, ref, ref); err != nil {
			return err
		}
	}
	w := apisink.Write{Method: "POST", Route: goflow.EpCreateAdjustment.Route, Body: body,
		Kind: "adjustments", Key: fmt.Sprintf("relative adjustment %s of %d lines at %s", ref, len(chunk), chunk[0].wh), Action: apisink.Update, Rows: origins(chunk)}
	for attempt := 1; ; attempt++ {
		var created goflow.Created
		err := s.w.Send(ctx, w, &created)
		if errors.Is(err, apisink.ErrUnanswered) && attempt < 4 && ctx.Err() == nil {
			id, lerr := in.lookup(ctx, ref)
			if lerr != nil {
				return lerr
			}
			if id == 0 {
				continue // it did not happen: send again
			}
			created.ID, err = id, nil
		}
		switch {
		case err == nil:
			for _, sr := range chunk {
				res.set(sr.row, pipeline.Updated)
				s.count(pipeline.Updated)
			}
			if j := s.env.Journal; j != nil && !s.dry {
				id := ref
				if created.ID != 0 {
					id = strconv.FormatInt(created.ID, 10)
				}
				j.Confirm(ctx, kindAdjustment, ref, id, "updated", ref)
			}
			return nil
		case errors.Is(err, apisink.ErrUnanswered):
			for _, sr := range chunk {
				res.unknown(sr.row, fmt.Sprintf("adjustment %s was sent with no answer, and not found after %d tries; etl run --resume looks it up again", ref, attempt))
			}
			return nil
		default:
			return in.refused(err, chunk, res)
		}
	}
}

// lookup finds the adjustment with reference ref, 0 when there is none.
func (in *inventory) lookup(ctx context.Context, ref string) (int64, error) {
	for a, err := range in.s.client.Adjustments(ctx, goflow.ListOptions{Filters: goflow.Filters{"reference_number": {ref}}}) {
		if err != nil {
			return 0, fmt.Errorf("goflow sink: looking up adjustment %s: %w", ref, err)
		}
		if a.ReferenceNumber != nil && *a.ReferenceNumber == ref {
			return a.ID, nil
		}
	}
	return 0, nil
}
