package inflowsink

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"golang.org/x/sync/errgroup"

	"github.com/etl-dev/etl/inflow"
	"github.com/etl-dev/etl/pipeline"
	"github.com/etl-dev/etl/pipeline/journal"
	"github.com/etl-dev/etl/sinks/apisink"
)

// Journal kinds of the writes Close makes.
const (
	kindStockAdjustments = "stock-adjustments"
	kindCostAdjustments  = "product-cost-adjustments"
)

// stockWant is a row's opening stock at one location.
type stockWant struct {
	location, locationName, sublocation string
	qty                                 *decimal.Decimal // on hand wanted (set) or to add (add)
	serials                             []string         // serials wanted on hand (set) or to add (add)

	// Found by diffStockAndCost.
	delta         decimal.Decimal
	addSerials    []string
	removeSerials []string          // sorted
	removeFrom    map[string]string // serial → the sublocation it is in
	fieldChanges  []pipeline.FieldChange
	onHand        *decimal.Decimal // read through the summaries (existing products)
}

func (w *stockWant) changes() bool {
	return w != nil && (!w.delta.IsZero() || len(w.addSerials) > 0 || len(w.removeSerials) > 0)
}

func (s *sink) stockWantOf(st *rowState) *stockWant {
	q, hasQty := st.vals["quantity"].(decimal.Decimal)
	serials, hasSerials := st.vals["serials"].([]string)
	if !hasQty && !hasSerials {
		return nil
	}
	w := &stockWant{location: st.ids["location"]}
	if w.location == "" {
		st.fail(rowErr("location", nil, "the row has no location and the company has no default location: map location or set stock.location"))
		return nil
	}
	w.locationName = s.differ.refs[refLocation].name(w.location)
	if sub, ok := st.vals["sublocation"].(string); ok {
		w.sublocation = sub
	}
	if hasQty {
		if q.IsNegative() && s.cfg.Stock.Mode == "set" {
			st.fail(rowErr("quantity", q, "quantity %s is negative: a stock level cannot be below zero", q))
			return nil
		}
		w.qty = &q
	}
	if hasSerials {
		w.serials = serials
		if hasQty && !q.Equal(decimal.NewFromInt(int64(len(serials)))) {
			st.fail(rowErr("quantity", q, "quantity %s does not match the %d serial numbers listed", q, len(serials)))
			return nil
		}
	}
	return w
}

// readStock finds what is on hand for the batch's existing products: from
// their inventory lines, which the listing and lookups include, or, for
// records that came without them, through POST /products/summary, 100
// (product, location) pairs a request. New products have nothing on hand.
func (s *sink) readStock(ctx context.Context, states []*rowState) error {
	if !s.stockMapped || s.e != products || s.cfg.Stock.Mode == "add" {
		return nil
	}
	var pairs []inflow.SummaryRequest
	seen := map[inflow.SummaryRequest]bool{}
	for _, st := range states {
		if st.stock == nil || st.rec == nil || st.rec["trackSerials"] == true || st.outcome == pipeline.Skipped {
			continue
		}
		if inv, ok := st.rec["inventoryLines"].([]any); ok {
			var q decimal.Decimal
			for _, l := range lines(inv) {
				if sameID(str(l["locationId"]), st.stock.location) {
					if d, ok := dec(l["quantityOnHand"]); ok {
						q = q.Add(d)
					}
				}
			}
			st.stock.onHand = &q
			continue
		}
		p := inflow.SummaryRequest{ProductID: st.guid, LocationID: st.stock.location}
		if !seen[p] {
			seen[p] = true
			pairs = append(pairs, p)
		}
	}
	if len(pairs) == 0 {
		return nil
	}
	sums, err := s.client.ProductSummaries(ctx, pairs)
	if err != nil {
		return err
	}
	onHand := map[inflow.SummaryRequest]decimal.Decimal{}
	for _, sm := range sums {
		if sm.ProductID == nil {
			continue
		}
		key := inflow.SummaryRequest{ProductID: strings.ToLower(*sm.ProductID), LocationID: strings.ToLower(deref(sm.LocationID))}
		var q decimal.Decimal
		if sm.QuantityOnHand != nil {
			q = sm.QuantityOnHand.Decimal
		}
		onHand[key] = q
	}
	for _, st := range states {
		if st.stock == nil || st.rec == nil || st.rec["trackSerials"] == true || st.stock.onHand != nil {
			continue
		}
		q := onHand[inflow.SummaryRequest{ProductID: strings.ToLower(st.guid), LocationID: strings.ToLower(st.stock.location)}]
		st.stock.onHand = &q
	}
	return nil
}

// diffStockAndCost works out the row's stock adjustment lines and cost
// adjustment.
func (s *sink) diffStockAndCost(st *rowState) *rowError {
	if c, ok := st.vals["cost"].(decimal.Decimal); ok {
		var old any
		if cost, ok := oldOf(st.rec, "cost").(map[string]any); ok {
			old = cost["cost"]
		}
		if o, ok := dec(old); !ok || !o.Equal(c) || st.create {
			st.cost, st.costOld = &c, old
		}
	}
	w := st.stock
	if w == nil {
		return nil
	}
	itemType := "StockedProduct"
	if t, ok := st.res.body["itemType"]; ok {
		itemType = str(t)
	} else if st.rec != nil {
		itemType = str(st.rec["itemType"])
	}
	if !strings.EqualFold(itemType, "StockedProduct") {
		return rowErr("quantity", w.qty, "only stocked products carry stock; this one is %s", itemType)
	}
	serialised := st.rec != nil && st.rec["trackSerials"] == true || st.create && st.res.body["trackSerials"] == true
	if serialised && w.serials == nil && w.qty != nil && !w.qty.IsZero() {
		return rowErr("serials", nil, "the product tracks serial numbers: list them in serials (comma-separated)")
	}
	if !serialised && w.serials != nil {
		return rowErr("serials", strings.Join(w.serials, ","), "serial numbers given, but the product does not track serials (track_serials)")
	}
	label := fmt.Sprintf("quantity (%s)", w.locationName)
	add := s.cfg.Stock.Mode == "add"
	if serialised {
		have := map[string]bool{}
		w.removeFrom = map[string]string{}
		for _, l := range lines(oldOf(st.rec, "inventoryLines")) {
			q, _ := dec(l["quantityOnHand"])
			if sameID(str(l["locationId"]), w.location) && q.IsPositive() && str(l["serial"]) != "" {
				have[str(l["serial"])] = true
				w.removeFrom[str(l["serial"])] = str(l["sublocation"])
			}
		}
		want := map[string]bool{}
		for _, sn := range w.serials {
			want[sn] = true
			if !have[sn] {
				w.addSerials = append(w.addSerials, sn)
			}
		}
		if !add {
			for sn := range have {
				if !want[sn] {
					w.removeSerials = append(w.removeSerials, sn)
				}
			}
			sort.Strings(w.removeSerials)
		}
		if len(w.addSerials)+len(w.removeSerials) > 0 {
			var parts []string
			if len(w.addSerials) > 0 {
				parts = append(parts, "+"+strings.Join(w.addSerials, ","))
			}
			if len(w.removeSerials) > 0 {
				parts = append(parts, "-"+strings.Join(w.removeSerials, ","))
			}
			w.fieldChanges = append(w.fieldChanges, pipeline.FieldChange{Field: fmt.Sprintf("serials (%s)", w.locationName),
				Old: fmt.Sprint(len(have)), New: strings.Join(parts, " ")})
		}
		return nil
	}
	if w.qty == nil {
		return nil
	}
	var have decimal.Decimal
	if w.onHand != nil {
		have = *w.onHand
	}
	if add {
		w.delta = *w.qty
		if !w.delta.IsZero() {
			w.fieldChanges = append(w.fieldChanges, pipeline.FieldChange{Field: label, Old: "", New: "+" + w.qty.String()})
		}
		return nil
	}
	w.delta = w.qty.Sub(have)
	if !w.delta.IsZero() {
		w.fieldChanges = append(w.fieldChanges, pipeline.FieldChange{Field: label, Old: have.String(), New: w.qty.String()})
	}
	return nil
}

// stockLine is one line of a stock adjustment to make.
type stockLine struct {
	productID, sublocation string
	qty                    decimal.Decimal
	serials                []string
	origin                 pipeline.Origin
	seq                    int64 // the row's Row.Seq
}

func (l stockLine) key(location string) string {
	sign := "+"
	if l.qty.IsNegative() {
		sign = "-"
	}
	return "line:" + strings.ToLower(l.productID) + ":" + strings.ToLower(location) + ":" + l.sublocation + ":" + sign
}

// stockBook collects the stock adjustment lines of the run, by location.
type stockBook struct {
	mu      sync.Mutex
	lines   map[string][]stockLine
	resumed map[string]journal.Entry // the interrupted run's adjustments and lines
}

func newStockBook() *stockBook { return &stockBook{lines: map[string][]stockLine{}} }

func (b *stockBook) add(productID string, w *stockWant, origin pipeline.Origin, seq int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	put := func(l stockLine) {
		if e, ok := b.resumed[l.key(w.location)]; ok && e.Confirmed {
			return // add mode: the interrupted run already adjusted this
		}
		b.lines[w.location] = append(b.lines[w.location], l)
	}
	if len(w.addSerials) > 0 {
		put(stockLine{productID: productID, sublocation: w.sublocation, qty: decimal.NewFromInt(int64(len(w.addSerials))), serials: w.addSerials, origin: origin, seq: seq})
	}
	// A serial leaves from the sublocation it is in.
	bySub := map[string][]string{}
	var subs []string
	for _, sn := range w.removeSerials {
		sub := w.removeFrom[sn]
		if _, ok := bySub[sub]; !ok {
			subs = append(subs, sub)
		}
		bySub[sub] = append(bySub[sub], sn)
	}
	sort.Strings(subs)
	for _, sub := range subs {
		put(stockLine{productID: productID, sublocation: sub, qty: decimal.NewFromInt(-int64(len(bySub[sub]))), serials: bySub[sub], origin: origin, seq: seq})
	}
	if !w.delta.IsZero() && len(w.addSerials)+len(w.removeSerials) == 0 {
		put(stockLine{productID: productID, sublocation: w.sublocation, qty: w.delta, origin: origin, seq: seq})
	}
}

// adjustment is one stock adjustment to send.
type adjustment struct {
	location string
	lines    []stockLine
	key      string // journal key: location and hash of the lines
	hash     string
}

// adjustments groups the lines by location, in a stable order, in
// adjustments of at most per lines.
func (b *stockBook) adjustments(per int) []adjustment {
	b.mu.Lock()
	defer b.mu.Unlock()
	locs := make([]string, 0, len(b.lines))
	for l := range b.lines {
		locs = append(locs, l)
	}
	sort.Strings(locs)
	var out []adjustment
	for _, loc := range locs {
		ls := append([]stockLine(nil), b.lines[loc]...)
		sort.SliceStable(ls, func(i, j int) bool {
			if ls[i].productID != ls[j].productID {
				return ls[i].productID < ls[j].productID
			}
			return ls[i].sublocation < ls[j].sublocation
		})
		for start := 0; start < len(ls); start += per {
			chunk := ls[start:min(start+per, len(ls))]
			h := sha256.New()
			for _, l := range chunk {
				fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\n", strings.ToLower(l.productID), l.sublocation, l.qty.String(), strings.Join(l.serials, ","))
			}
			hash := hex.EncodeToString(h.Sum(nil)[:12])
			out = append(out, adjustment{location: loc, lines: chunk, hash: hash, key: "adj:" + strings.ToLower(loc) + ":" + hash})
		}
	}
	return out
}

func (b *stockBook) plannedWrites(per int) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, ls := range b.lines {
		n += (len(ls) + per - 1) / per
	}
	return n
}

// costWant is a product cost adjustment to make.
type costWant struct {
	productID string
	unitCost  decimal.Decimal
	origin    pipeline.Origin
	seq       int64
	key       string
}

// Close sends the opening stock (stock adjustments, many lines each) and
// the costs (product cost adjustments), now that every product exists.
// Stock goes first so that the cost applies to it.
func (s *sink) Close(ctx context.Context) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return errors.New("inflow sink: already closed or aborted")
	}
	s.closed = true
	s.mu.Unlock()
	defer s.cn.close()
	defer s.flushRequests(context.WithoutCancel(ctx))

	rowErrs := &pipeline.RowErrors{Failed: map[int64]pipeline.Problem{}, Unknown: map[int64]pipeline.Problem{}}
	var errMu sync.Mutex
	// rowFailure lands a deferred write's failure on the rows it was for:
	// rejected, or unknown when the write went out and no answer came.
	rowFailure := func(rows []deferredRow, err error, msg string) {
		errMu.Lock()
		defer errMu.Unlock()
		m := rowErrs.Failed
		if errors.Is(err, apisink.ErrUnanswered) {
			m = rowErrs.Unknown
			msg += ": sent, but no answer came (etl run --resume finds out whether it took effect)"
		}
		for _, r := range rows {
			m[r.seq] = pipeline.Problem{Origin: r.origin, Rule: "inflow", Message: msg}
		}
	}
	adjs := s.stock.adjustments(s.cfg.Stock.LinesPerAdjustment)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.cfg.Concurrency)
	for _, a := range adjs {
		g.Go(func() error { return s.sendAdjustment(gctx, a, rowFailure) })
	}
	if err := g.Wait(); err != nil {
		return describeAPIError(err)
	}
	s.mu.Lock()
	costs := append([]costWant(nil), s.costs...)
	s.mu.Unlock()
	g, gctx = errgroup.WithContext(ctx)
	g.SetLimit(s.cfg.Concurrency)
	for _, c := range costs {
		g.Go(func() error { return s.sendCost(gctx, c, rowFailure) })
	}
	if err := g.Wait(); err != nil {
		return describeAPIError(err)
	}
	if len(rowErrs.Failed)+len(rowErrs.Unknown) > 0 {
		return rowErrs
	}
	return nil
}

// deferredRow is a row a deferred write is for.
type deferredRow struct {
	origin pipeline.Origin
	seq    int64
}

func (s *sink) sendAdjustment(ctx context.Context, a adjustment, rowFailure func([]deferredRow, error, string)) error {
	guid := ""
	if e, ok := s.stock.resumed[a.key]; ok && e.PayloadHash == a.hash {
		if e.Confirmed {
			return nil
		}
		guid = e.GUID // possibly sent: the same id makes it count once
	}
	if guid == "" {
		guid = newGUID()
	}
	ns := uuid.MustParse(guid)
	var body []any
	for i, l := range a.lines {
		q := record{"standardQuantity": l.qty.String(), "uomQuantity": l.qty.String()}
		if len(l.serials) > 0 {
			q["serialNumbers"] = l.serials
		}
		line := record{
			"stockAdjustmentLineId": uuid.NewSHA1(ns, fmt.Appendf(nil, "%d", i)).String(),
			"productId":             l.productID,
			"quantity":              q,
		}
		if l.sublocation != "" {
			line["sublocation"] = l.sublocation
		}
		body = append(body, line)
	}
	remarks := s.cfg.Stock.Remarks
	if remarks == "" {
		remarks = "Opening stock from etl job " + s.env.Job
	}
	adj := record{
		"stockAdjustmentId": guid,
		"locationId":        a.location,
		"date":              time.Now().UTC().Format(time.RFC3339),
		"remarks":           remarks,
		"lines":             body,
	}
	if s.reasonID != "" {
		adj["adjustmentReasonId"] = s.reasonID
	}
	locName := s.differ.refs[refLocation].name(a.location)
	w := apisink.Write{
		Method: http.MethodPut, Route: "/stock-adjustments", Body: adj, Idempotent: true,
		Kind: kindStockAdjustments, Key: fmt.Sprintf("stock adjustment at %s (%d lines)", locName, len(a.lines)), Action: apisink.Create, Deferred: true,
		Journal: []apisink.Entry{{Kind: kindStockAdjustments, Key: a.key, GUID: guid, Hash: a.hash, Outcome: "created", Intend: true}},
	}
	for _, l := range a.lines {
		w.Rows = append(w.Rows, l.origin)
		if s.cfg.Stock.Mode == "add" {
			w.Journal = append(w.Journal, apisink.Entry{Kind: kindStockAdjustments, Key: l.key(a.location), GUID: guid, Hash: a.hash, Outcome: "adjusted"})
		}
	}
	if s.cfg.AllowNegativeInventory {
		w.Header = http.Header{"X-OverrideAllowNegativeInventory": {"true"}}
	}
	if err := s.w.Send(ctx, w, nil); err != nil {
		if inflow.IsRowError(err) || errors.Is(err, apisink.ErrUnanswered) && ctx.Err() == nil {
			rows := make([]deferredRow, len(a.lines))
			for i, l := range a.lines {
				rows[i] = deferredRow{l.origin, l.seq}
			}
			rowFailure(rows, err, fmt.Sprintf("the %s was written, but the stock adjustment of its quantity (%d lines at %s) failed: %s",
				s.e.singular, len(a.lines), locName, apiMessage(err)))
			return nil
		}
		return err
	}
	return nil
}

func (s *sink) sendCost(ctx context.Context, c costWant, rowFailure func([]deferredRow, error, string)) error {
	guid := newGUID()
	key := strings.ToLower(c.productID)
	hash := c.unitCost.String()
	body := record{
		"productCostAdjustmentId": guid,
		"productId":               c.productID,
		"unitCost":                c.unitCost.String(),
		"dateTime":                time.Now().UTC().Format(time.RFC3339Nano),
	}
	w := apisink.Write{
		Method: http.MethodPut, Route: "/product-cost-adjustments", Body: body, Idempotent: true,
		Kind: kindCostAdjustments, Key: "cost of " + c.key, Action: apisink.Create, Deferred: true, Rows: []pipeline.Origin{c.origin},
		Journal: []apisink.Entry{{Kind: kindCostAdjustments, Key: key, GUID: guid, Hash: hash, Outcome: "created", Intend: true}},
	}
	if err := s.w.Send(ctx, w, nil); err != nil {
		if inflow.IsRowError(err) || errors.Is(err, apisink.ErrUnanswered) && ctx.Err() == nil {
			rowFailure([]deferredRow{{c.origin, c.seq}}, err, fmt.Sprintf("the %s was written, but its cost adjustment failed: %s", s.e.singular, apiMessage(err)))
			return nil
		}
		return err
	}
	return nil
}
