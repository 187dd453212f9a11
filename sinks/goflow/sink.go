package goflowsink

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/goflow"
	"github.com/etl-dev/etl/goflow/connect"
	"github.com/etl-dev/etl/internal/apikit"
	"github.com/etl-dev/etl/internal/suggest"
	"github.com/etl-dev/etl/pipeline"
	"github.com/etl-dev/etl/sinks/apisink"
)

// The journal kinds of Goflow creates.
const (
	kindProduct    = "goflow-products"
	kindPO         = "goflow-purchase-orders"
	kindAdjustment = "goflow-adjustments"
)

// Write kinds, each one endpoint.
var writeEndpoint = map[string]*goflow.Endpoint{
	"products":        goflow.EpCreateProduct,
	"pricing":         goflow.EpPricing,
	"adjustments":     goflow.EpCreateAdjustment,
	"purchase-orders": goflow.EpCreatePurchaseOrder,
}

// handler is what an entity does with the rows.
type handler interface {
	// write takes a batch: rows it settles now get their outcome; rows it
	// holds for Close stay Written. Per-row failures come back in the
	// BatchError.
	write(ctx context.Context, rows []pipeline.Row) *pipeline.BatchError
	// close sends what was held and says what became of those rows.
	close(ctx context.Context) *pipeline.RowErrors
}

// sink is the pipeline.Sink of every entity.
type sink struct {
	cfg    *Config
	env    pipeline.Env
	conn   *connect.Connection
	client *goflow.Client
	w      apisink.Writer
	dry    bool
	fields map[string]int
	width  int // fields in the schema
	h      handler

	mu     sync.Mutex
	counts apisink.Counts
	notes  []string
	fatal  error
	closed bool
	// writes by kind in a real run (the dry run's plan counts its own).
	writes map[string]int
}

var (
	_ pipeline.Sink     = (*sink)(nil)
	_ pipeline.Reporter = (*sink)(nil)
)

// OpenWith opens the sink with the layer the runner chose (apisink.Direct
// or apisink.DryRun); nothing is read before the first Write.
func (c *Config) OpenWith(ctx context.Context, env pipeline.Env, schema pipeline.Schema, layer apisink.Layer) (pipeline.Sink, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	fields, err := bind(c.Entity, schema)
	if err != nil {
		return nil, err
	}
	conn, err := connect.Open(connect.Options{Mode: c.Sandbox, Env: env, Getenv: c.getenv})
	if err != nil {
		return nil, err
	}
	s := &sink{cfg: c, env: env, conn: conn, client: conn.Client, fields: fields, width: len(schema), writes: map[string]int{}}
	s.notes = append(s.notes, conn.Notes...)
	s.w = layer(apisink.WriterFunc(s.send))
	s.dry = apisink.PlanOf(s.w) != nil
	switch c.Entity {
	case EntityInventory:
		s.h = &inventory{s: s, add: c.mode() == "add"}
	case EntityProducts:
		s.h = &products{s: s}
	case EntityPurchaseOrders:
		s.h = &purchaseOrders{s: s}
	}
	return s, nil
}

// send is the real writer: one request to the write's endpoint. A write
// whose answer never came (a timeout, a dropped connection, a 5xx or 409
// that does not say it was not processed) wraps apisink.ErrUnanswered.
func (s *sink) send(ctx context.Context, w apisink.Write, out any) error {
	ep := writeEndpoint[w.Kind]
	if ep == nil {
		return fmt.Errorf("goflow sink: no endpoint for %s", w.Kind)
	}
	_, err := s.client.Send(ctx, ep, w.Route, w.Body, out, w.Idempotent)
	s.mu.Lock()
	s.writes[w.Kind]++
	s.mu.Unlock()
	if err != nil && (goflow.Unanswered(err) || ctx.Err() != nil) {
		// A cancelled run may have sent the request: its fate is unknown.
		return apisink.Unanswered(err)
	}
	return err
}

func (s *sink) notef(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notes = append(s.notes, fmt.Sprintf(format, args...))
}

func (s *sink) count(o pipeline.Outcome) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts.Add(o)
}

// Write hands the batch to the entity.
func (s *sink) Write(ctx context.Context, rows []pipeline.Row) error {
	if s.closed {
		return errors.New("goflow sink: write after close")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.fatal != nil {
		return s.fatal
	}
	// Rows of the wrong width are refused on their own; the rest go on.
	var good []pipeline.Row
	var at []int
	bad := map[int]pipeline.Problem{}
	for i, r := range rows {
		if len(r.Values) != s.width {
			bad[i] = pipeline.Problem{Origin: r.Origin, Rule: "schema", Message: fmt.Sprintf("the row has %d values, the mapping %d fields", len(r.Values), s.width)}
			continue
		}
		good = append(good, r)
		at = append(at, i)
	}
	be := s.h.write(ctx, good)
	for j, r := range good {
		rows[at[j]].Outcome = r.Outcome
	}
	if be != nil {
		for j, p := range be.Failed {
			bad[at[j]] = p
		}
	}
	if len(bad) > 0 {
		return &pipeline.BatchError{Failed: bad}
	}
	if s.fatal != nil {
		return s.fatal
	}
	return ctx.Err()
}

// Close sends what the entity held (inventory adjustments, purchase
// orders) and returns their rows' outcomes in a *pipeline.RowErrors.
func (s *sink) Close(ctx context.Context) error {
	if s.closed {
		return errors.New("goflow sink: already closed")
	}
	s.closed = true
	defer s.conn.Close()
	if s.fatal != nil {
		return s.fatal
	}
	res := s.h.close(ctx)
	if res == nil || (len(res.Failed) == 0 && len(res.Unknown) == 0 && len(res.Outcomes) == 0 && res.Err == nil) {
		return nil
	}
	return res
}

// Abort stops the sink; what Goflow confirmed stays.
func (s *sink) Abort() error {
	if !s.closed {
		s.closed = true
		s.conn.Close()
	}
	return nil
}

// Report counts requests and, in a dry run, the plan with its time at
// Goflow's per-endpoint limits.
func (s *sink) Report() *pipeline.ComponentReport {
	st := s.client.Kit().Stats()
	byEP := s.client.Requests()
	s.mu.Lock()
	defer s.mu.Unlock()
	rep := &pipeline.ComponentReport{
		Requests: pipeline.RequestStats{Reads: st.ByMethod["GET"], Writes: st.Requests - st.ByMethod["GET"], Retries: st.Retries, TooMany: st.TooMany, Waited: st.Waited},
		Account:  s.conn.Account,
		Notes:    slices.Clone(s.notes),
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(byEP)) {
		parts = append(parts, fmt.Sprintf("%s %d", k, byEP[k]))
	}
	if len(parts) > 0 {
		rep.Notes = append(rep.Notes, "requests: "+strings.Join(parts, ", "))
	}
	plan := apisink.PlanOf(s.w)
	if plan == nil {
		return rep
	}
	reads := 0
	var d time.Duration
	for _, e := range goflow.Endpoints() {
		if e.Method != "GET" {
			continue
		}
		if n := byEP[e.Group()]; n > 0 {
			reads += n
			d += atLimit(n, s.client.Limits(e))
		}
	}
	var wparts []string
	for _, kind := range slices.Sorted(maps.Keys(writeEndpoint)) {
		if n := plan.WritesOf(kind); n > 0 {
			d += atLimit(n, s.client.Limits(writeEndpoint[kind]))
			wparts = append(wparts, fmt.Sprintf("%d %s %s", n, writeEndpoint[kind].Method, writeEndpoint[kind].Route))
		}
	}
	p := plan.Report(s.counts, reads, 0, apisink.Rate{})
	p.Duration = d
	rep.Plan = p
	if len(wparts) > 0 {
		rep.Notes = append(rep.Notes, "planned writes: "+strings.Join(wparts, ", ")+fmt.Sprintf("; %s at Goflow's per-endpoint limits", d.Round(time.Second)))
	}
	return rep
}

// atLimit is how long n requests take at one endpoint's limits: one
// interval between two (the first goes at once).
func atLimit(n int, l apikit.Limits) time.Duration {
	if n <= 1 {
		return 0
	}
	var gap time.Duration
	switch {
	case l.PerMinute > 0:
		gap = time.Minute / time.Duration(l.PerMinute)
	case l.PerHour > 0:
		gap = time.Hour / time.Duration(l.PerHour)
	}
	return time.Duration(n-1) * gap
}

// row access.

func (s *sink) str(r pipeline.Row, field string) string {
	i, ok := s.fields[field]
	if !ok || r.Values[i] == nil {
		return ""
	}
	switch v := r.Values[i].(type) {
	case string:
		return strings.TrimSpace(v)
	default:
		return strings.TrimSpace(fmt.Sprint(v))
	}
}

// num reads a number field: nil when empty, an error when not a number.
func (s *sink) num(r pipeline.Row, field string) (*decimal.Decimal, error) {
	i, ok := s.fields[field]
	if !ok || r.Values[i] == nil {
		return nil, nil
	}
	var d decimal.Decimal
	switch v := r.Values[i].(type) {
	case decimal.Decimal:
		d = v
	case int64:
		d = decimal.NewFromInt(v)
	case float64:
		d = decimal.NewFromFloat(v)
	case string:
		if strings.TrimSpace(v) == "" {
			return nil, nil
		}
		var err error
		if d, err = decimal.NewFromString(strings.TrimSpace(v)); err != nil {
			return nil, fmt.Errorf("%q is not a number", v)
		}
	default:
		return nil, fmt.Errorf("%v is not a number", v)
	}
	return &d, nil
}

func problem(r pipeline.Row, field, value, rule, format string, args ...any) pipeline.Problem {
	return pipeline.Problem{Origin: r.Origin, Field: field, Value: value, Rule: rule, Message: fmt.Sprintf(format, args...)}
}

func closest(name string, candidates []string) string {
	if h := suggest.Hint(name, candidates); h != "" {
		return " (" + h + ")"
	}
	return ""
}

// index is what the sink knows of the account: products by item number,
// warehouses and vendors by name (case-insensitive), read once.
type index struct {
	products       map[string]*goflow.Product
	itemNumbers    []string
	warehouses     map[string]goflow.Warehouse
	warehouseNames []string
	vendors        map[string]goflow.Vendor
	vendorNames    []string
}

func key(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func (s *sink) loadProducts(ctx context.Context, ix *index) error {
	ix.products = map[string]*goflow.Product{}
	for p, err := range s.client.Products(ctx, goflow.ListOptions{}) {
		if err != nil {
			return fmt.Errorf("goflow sink: listing products: %w", err)
		}
		ix.products[key(p.ItemNumber)] = &p
		ix.itemNumbers = append(ix.itemNumbers, p.ItemNumber)
	}
	sort.Strings(ix.itemNumbers)
	return nil
}

func (s *sink) loadWarehouses(ctx context.Context, ix *index) error {
	ix.warehouses = map[string]goflow.Warehouse{}
	for w, err := range s.client.Warehouses(ctx, goflow.ListOptions{}) {
		if err != nil {
			return fmt.Errorf("goflow sink: listing warehouses: %w", err)
		}
		ix.warehouses[key(w.Name)] = w
		ix.warehouseNames = append(ix.warehouseNames, w.Name)
	}
	return nil
}

func (s *sink) loadVendors(ctx context.Context, ix *index) error {
	ix.vendors = map[string]goflow.Vendor{}
	for v, err := range s.client.Vendors(ctx, goflow.ListOptions{}) {
		if err != nil {
			return fmt.Errorf("goflow sink: listing vendors: %w", err)
		}
		ix.vendors[key(v.Name)] = v
		ix.vendorNames = append(ix.vendorNames, v.Name)
	}
	return nil
}

// results collects the outcomes Close decides.
type results struct{ e *pipeline.RowErrors }

func newResults() *results {
	return &results{e: &pipeline.RowErrors{Failed: map[int64]pipeline.Problem{}, Unknown: map[int64]pipeline.Problem{}, Outcomes: map[int64]pipeline.RowOutcome{}}}
}

func (r *results) set(row pipeline.Row, o pipeline.Outcome) {
	r.e.Outcomes[row.Seq] = pipeline.RowOutcome{Seq: row.Seq, Origin: row.Origin, Outcome: o}
}

func (r *results) fail(row pipeline.Row, p pipeline.Problem) { r.e.Failed[row.Seq] = p }

func (r *results) unknown(row pipeline.Row, msg string) {
	r.e.Unknown[row.Seq] = pipeline.Problem{Origin: row.Origin, Rule: "unknown", Message: msg}
}
