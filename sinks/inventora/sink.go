package inventorasink

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/etl-dev/etl/internal/apikit"
	"github.com/etl-dev/etl/inventora"
	"github.com/etl-dev/etl/pipeline"
	"github.com/etl-dev/etl/pipeline/journal"
	"github.com/etl-dev/etl/sinks/apisink"
)

// OpenWith opens the sink with writes going through layer (apisink.Direct
// for a real run, apisink.DryRun for a dry run). It checks the settings
// and the mapping's fields and connects; the records are read with the
// first batch.
func (c *Config) OpenWith(ctx context.Context, env pipeline.Env, schema pipeline.Schema, layer apisink.Layer) (pipeline.Sink, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	defs := resourceFields
	if c.Entity == "tasks" {
		defs = taskFields
	}
	fields, err := bindFields(defs, schema, c.Entity)
	if err != nil {
		return nil, err
	}
	s := &sink{cfg: c, env: env, fields: fields, kind: c.Entity, reqs: &requestLog{}}
	if c.Entity == "tasks" {
		for _, req := range []string{"task", "sku", "quantity"} {
			if _, ok := fields[req]; !ok {
				return nil, fmt.Errorf("inventora sink: entity tasks needs the field %s in the mapping (task, sku and quantity make a task item)", req)
			}
		}
	} else {
		_, hasQty := fields["quantity"]
		_, hasLoc := fields["location"]
		if hasLoc && !hasQty {
			return nil, errors.New("inventora sink: location is mapped but quantity is not: map quantity for stock, or drop location")
		}
		s.stock = hasQty && c.stockMode() != StockOff
		hasKey := false
		for _, k := range c.match() {
			if _, ok := fields[k]; ok {
				hasKey = true
			}
		}
		if !hasKey {
			return nil, fmt.Errorf("inventora sink: the mapping has none of the match keys %s: map sku (or name) so rows find their %s", strings.Join(c.match(), ", "), c.Entity)
		}
	}
	conn, err := inventora.Connect(inventora.ConnectOptions{
		Component: "inventora sink", Sandbox: c.Sandbox, RatePerMinute: c.RatePerMinute,
		Registry: env.APIs, Logger: env.Logger, Getenv: c.Getenv, Observer: s.reqs,
	})
	if err != nil {
		return nil, err
	}
	s.conn, s.client = conn, conn.Client
	s.w = layer(apisink.WriterFunc(s.send))
	s.dry = apisink.PlanOf(s.w) != nil
	if s.stock && c.stockMode() == StockAdd && !s.dry {
		if env.Journal == nil {
			conn.Close()
			return nil, errors.New("inventora sink: stock mode add needs the run journal, which makes a resumed or repeated run apply each row once: run without --no-journal")
		}
		s.jr = env.Journal
	}
	return s, nil
}

// sink is the pipeline.Sink of an Inventora job.
type sink struct {
	cfg    *Config
	env    pipeline.Env
	fields map[string]bound
	kind   string // products, materials or tasks
	conn   *inventora.Connection
	client *inventora.Client
	w      apisink.Writer
	dry    bool
	stock  bool
	jr     pipeline.Journal

	loaded    bool
	records   map[string]*inventora.Resource
	index     map[string]map[string][]string // key → lower-case value → ids
	locations []inventora.Location
	defLoc    string
	// setBy remembers which row set a field of a record, so a later row
	// that wants another value is rejected instead of undoing it.
	setBy map[string]setMark
	// stockRows remembers the row that set a (record, location), for set
	// mode's duplicates.
	stockRows map[string]pipeline.Origin
	add       *addState
	tasks     *taskState
	reqs      *requestLog

	mu     sync.Mutex
	counts apisink.Counts
	notes  []string
	closed bool
}

type setMark struct {
	origin pipeline.Origin
	value  string
}

var (
	_ pipeline.Sink     = (*sink)(nil)
	_ pipeline.Reporter = (*sink)(nil)
)

// send is the real writer: one request through the client. A request that
// went out and got no answer is apisink.Unanswered.
func (s *sink) send(ctx context.Context, w apisink.Write, out any) error {
	var sent atomic.Bool
	tctx := httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { sent.Store(true) }})
	err := s.client.Send(tctx, w.Method, w.Route, w.Body, out, w.Idempotent)
	var ae *apikit.APIError
	if err != nil && sent.Load() && !errors.As(err, &ae) {
		return apisink.Unanswered(err)
	}
	return err
}

// load reads every record of the entity (1 request per 1000) and the
// locations (1 request).
func (s *sink) load(ctx context.Context) error {
	s.loaded = true
	s.records = map[string]*inventora.Resource{}
	s.index = map[string]map[string][]string{"sku": {}, "name": {}, "id": {}}
	s.setBy = map[string]setMark{}
	s.stockRows = map[string]pipeline.Origin{}
	res, err := s.client.Resources(ctx, s.kind)
	if err != nil {
		return fmt.Errorf("reading the %s: %w", s.kind, err)
	}
	if res.Reads > 1 {
		s.notef("%s: records moved while they were read, so the list was read %d times", s.kind, res.Reads)
	}
	for i := range res.Items {
		r := &res.Items[i]
		s.records[r.ID] = r
		s.indexRecord(r)
	}
	if s.stock {
		if err := s.loadLocations(ctx); err != nil {
			return err
		}
	}
	if s.stock && s.cfg.stockMode() == StockAdd {
		a, err := newAddState(ctx, s)
		if err != nil {
			return err
		}
		s.add = a
	}
	return nil
}

func (s *sink) loadLocations(ctx context.Context) error {
	locs, err := s.client.Locations(ctx)
	if err != nil {
		return fmt.Errorf("reading the locations: %w", err)
	}
	s.locations = locs.Items
	for _, l := range s.locations {
		if l.IsDefault {
			s.defLoc = l.Name
		}
	}
	if s.defLoc == "" && len(s.locations) > 0 {
		s.defLoc = s.locations[0].Name
	}
	if name := strings.TrimSpace(s.cfg.Stock.Location); name != "" {
		loc, msg := s.resolveLocation(name)
		if msg != "" {
			return fmt.Errorf("stock.location: %s", msg)
		}
		s.defLoc = loc
	}
	return nil
}

func lower(v string) string { return strings.ToLower(strings.TrimSpace(v)) }

func (s *sink) indexRecord(r *inventora.Resource) {
	for key, v := range map[string]string{"sku": r.SKU, "name": r.Name, "id": r.ID} {
		if lv := lower(v); lv != "" && !slices.Contains(s.index[key][lv], r.ID) {
			s.index[key][lv] = append(s.index[key][lv], r.ID)
		}
	}
}

func (s *sink) unindexRecord(r *inventora.Resource) {
	for key, v := range map[string]string{"sku": r.SKU, "name": r.Name, "id": r.ID} {
		lv := lower(v)
		s.index[key][lv] = slices.DeleteFunc(s.index[key][lv], func(id string) bool { return id == r.ID })
	}
}

// resolveLocation finds a location by name: exactly, else
// case-insensitively; else a message with the closest names.
func (s *sink) resolveLocation(name string) (string, string) {
	var names []string
	for _, l := range s.locations {
		if l.Name == name {
			return l.Name, ""
		}
		names = append(names, l.Name)
	}
	for _, l := range s.locations {
		if strings.EqualFold(strings.TrimSpace(l.Name), strings.TrimSpace(name)) {
			return l.Name, ""
		}
	}
	return "", fmt.Sprintf("Inventora has no location named %q%s; its locations are %s (Inventora's API cannot create locations)", name, hint(name, names), strings.Join(names, ", "))
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

// Write matches each row to its record, PATCHes the fields that differ and
// sends the row's stock-level update, one row at a time in input order
// (every request waits on the account's limiter anyway). Rows of entity
// tasks are grouped and created at Close.
func (s *sink) Write(ctx context.Context, rows []pipeline.Row) error {
	if s.closed {
		return errors.New("inventora sink: write after close")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.kind == "tasks" {
		return s.collectTasks(rows)
	}
	defer s.flushRequests(ctx)
	if !s.loaded {
		if err := s.load(ctx); err != nil {
			return err
		}
	}
	failed := map[int]pipeline.Problem{}
	for i := range rows {
		if err := ctx.Err(); err != nil {
			return err
		}
		p, err := s.writeRow(ctx, &rows[i])
		if err != nil {
			return err
		}
		if p != nil {
			failed[i] = *p
		}
	}
	if len(failed) > 0 {
		return &pipeline.BatchError{Failed: failed}
	}
	return nil
}

// requestLog collects the requests the client makes, for the journal.
type requestLog struct {
	mu   sync.Mutex
	reqs []journal.Request
}

func (l *requestLog) ObserveRequest(e apikit.RequestEvent) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reqs = append(l.reqs, journal.Request{Time: e.Time, Method: e.Method, Path: e.Path, Status: e.Status, Duration: e.Duration})
}

func (l *requestLog) ObserveRetry(apikit.RetryEvent) {}

func (l *requestLog) drain() []journal.Request {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.reqs
	l.reqs = nil
	return out
}

// flushRequests hands the requests made so far to the run journal.
func (s *sink) flushRequests(ctx context.Context) {
	reqs := s.reqs.drain()
	if s.env.Journal == nil || s.dry || len(reqs) == 0 {
		return
	}
	if err := s.env.Journal.LogRequests(ctx, reqs); err != nil {
		s.env.Log().Warn("inventora sink: logging requests in the journal", "error", err)
	}
}

// rowPlan is what one row asks of its record.
type rowPlan struct {
	rec     *inventora.Resource
	key     string // "SKU CANDLE-1"
	patch   inventora.Patch
	changes []pipeline.FieldChange
	marks   map[string]string
	// stock
	location string
	qty      *inventora.Decimal
}

func (s *sink) reject(row *pipeline.Row, field, value, msg string) *pipeline.Problem {
	return &pipeline.Problem{Origin: row.Origin, Field: field, Value: value, Rule: "inventora", Message: msg}
}

// writeRow plans and sends one row. It returns the row's problem when the
// row is rejected, and an error when the sink cannot go on.
func (s *sink) writeRow(ctx context.Context, row *pipeline.Row) (*pipeline.Problem, error) {
	c := &cells{row: row, fields: s.fields}
	p, prob := s.plan(c)
	if prob != nil {
		return prob, nil
	}
	if len(c.problems) > 0 {
		return &c.problems[0], nil
	}
	changed := false
	if !p.patch.Empty() {
		var out inventora.Resource
		err := s.w.Send(ctx, apisink.Write{
			Method: http.MethodPatch, Route: "/" + s.kind + "/" + url.PathEscape(p.rec.ID), Body: &p.patch, Idempotent: true,
			Kind: s.kind, Key: p.key, Action: apisink.Update, Rows: []pipeline.Origin{row.Origin}, Fields: p.changes,
		}, &out)
		switch {
		case errors.Is(err, apisink.ErrUnanswered):
			row.Outcome = pipeline.Unknown
			return nil, nil
		case isRowError(err):
			field := ""
			if strings.Contains(inventora.MessageOf(err), "unitPrice") {
				field = "unit_price"
			}
			return s.reject(row, field, "", fmt.Sprintf("Inventora refused the update of %s: %s", p.key, inventora.MessageOf(err))), nil
		case err != nil:
			return nil, err
		}
		s.applyPatch(p, &out)
		changed = true
	}
	if p.qty != nil {
		sent, prob, err := s.writeStock(ctx, row, p)
		if err != nil || prob != nil {
			if prob != nil && changed {
				prob.Message = "the fields were updated, but " + prob.Message
			}
			return prob, err
		}
		if row.Outcome == pipeline.Unknown {
			return nil, nil
		}
		changed = changed || sent
	}
	for f, v := range p.marks {
		if _, ok := s.setBy[p.rec.ID+"\x00"+f]; !ok {
			s.setBy[p.rec.ID+"\x00"+f] = setMark{row.Origin, v}
		}
	}
	row.Outcome = pipeline.Unchanged
	if changed {
		row.Outcome = pipeline.Updated
	}
	s.count(row.Outcome)
	return nil, nil
}

// isRowError tells a refusal of this row (400, 404, 409, 422) from a
// failure that stops the run.
func isRowError(err error) bool {
	switch inventora.StatusOf(err) {
	case http.StatusBadRequest, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity:
		return true
	}
	return false
}

// applyPatch keeps the cached record as Inventora has it after the PATCH:
// its answer in a real run, the patch merged in a dry run.
func (s *sink) applyPatch(p *rowPlan, out *inventora.Resource) {
	s.unindexRecord(p.rec)
	if out.ID != "" {
		*p.rec = *out
	} else {
		mergePatch(p.rec, &p.patch)
	}
	s.indexRecord(p.rec)
}

func mergePatch(r *inventora.Resource, p *inventora.Patch) {
	if p.Name != nil {
		r.Name = *p.Name
	}
	if p.SKU != nil {
		r.SKU = *p.SKU
	}
	if p.UnitType != nil {
		r.UnitType = *p.UnitType
	}
	for _, f := range []struct{ dst, src **inventora.Decimal }{
		{&r.UnitPrice, &p.UnitPrice}, {&r.MinLevel, &p.MinLevel}, {&r.RetailPrice, &p.RetailPrice},
		{&r.WholesalePrice, &p.WholesalePrice}, {&r.MinimumQuantity, &p.MinimumQuantity},
	} {
		if *f.src != nil {
			*f.dst = *f.src
		}
	}
	if p.Notes != nil {
		r.Notes = p.Notes
	}
	if p.EAN != nil {
		r.EAN = p.EAN
	}
	if p.ReorderURLs != nil {
		r.ReorderURLs = p.ReorderURLs
	}
}

// match finds the row's record by the match keys in order.
func (s *sink) match(c *cells) (*inventora.Resource, string, *pipeline.Problem) {
	singular := strings.TrimSuffix(s.kind, "s")
	var tried []string
	for _, key := range s.cfg.match() {
		if _, ok := s.fields[key]; !ok {
			continue
		}
		v := c.text(key)
		if v == nil {
			continue
		}
		label := strings.ToUpper(key)
		if key == "name" {
			label = "name"
		}
		ids := s.index[key][lower(*v)]
		switch len(ids) {
		case 0:
			tried = append(tried, fmt.Sprintf("%s %q", label, *v))
			continue
		case 1:
			return s.records[ids[0]], fmt.Sprintf("%s %s", label, *v), nil
		default:
			return nil, "", s.reject(c.row, key, *v, fmt.Sprintf("%d %s have %s %q (%s): match on another key (match: [id, ...]) or make them unique in Inventora", len(ids), s.kind, label, *v, strings.Join(ids, ", ")))
		}
	}
	if len(tried) == 0 {
		return nil, "", s.reject(c.row, "", "", fmt.Sprintf("the row has no %s to find its %s by", strings.Join(s.cfg.match(), " or "), singular))
	}
	return nil, "", s.reject(c.row, s.cfg.match()[0], "", fmt.Sprintf("no %s has %s: Inventora's API cannot create %s, so add it in Inventora first (or correct the row)", singular, strings.Join(tried, " or "), s.kind))
}

// sameValue compares two cell values: numerically when both are numbers.
func sameValue(a, b string) bool {
	if a == b {
		return true
	}
	x, err1 := inventora.ParseDecimal(a)
	y, err2 := inventora.ParseDecimal(b)
	return err1 == nil && err2 == nil && x.Equal(y)
}

func textOf(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func decText(p *inventora.Decimal) string {
	if p == nil {
		return ""
	}
	return p.String()
}

// plan matches the row and works out the changes it asks for, rejecting
// forbidden changes per cell before any request.
func (s *sink) plan(c *cells) (*rowPlan, *pipeline.Problem) {
	rec, key, prob := s.match(c)
	if prob != nil {
		return nil, prob
	}
	p := &rowPlan{rec: rec, key: key, marks: map[string]string{}}
	row := c.row
	// claim checks a value against the one an earlier row of the file
	// gave the same record's field: two rows that disagree would undo each
	// other on every run.
	claim := func(field, v string) *pipeline.Problem {
		if m, ok := s.setBy[rec.ID+"\x00"+field]; ok && !sameValue(m.value, v) {
			return s.reject(row, field, v, fmt.Sprintf("%s of %s is %q in %s; this row says %q: keep one value per %s", field, key, m.value, m.origin, v, strings.TrimSuffix(s.kind, "s")))
		}
		p.marks[field] = v
		return nil
	}
	change := func(field, old, new string) {
		p.changes = append(p.changes, pipeline.FieldChange{Field: field, Old: old, New: new})
	}
	// SKU and name stay unique: a row must not take another record's.
	for _, f := range []string{"sku", "name"} {
		v := c.text(f)
		if v == nil {
			continue
		}
		if pr := claim(f, *v); pr != nil {
			return nil, pr
		}
		cur := rec.SKU
		if f == "name" {
			cur = rec.Name
		}
		if *v == cur {
			continue
		}
		for _, id := range s.index[f][lower(*v)] {
			if id != rec.ID {
				return nil, s.reject(row, f, *v, fmt.Sprintf("%s %q belongs to another %s (%s, %s): the row found %s by %s", f, *v, strings.TrimSuffix(s.kind, "s"), id, s.records[id].Name, rec.ID, key))
			}
		}
		change(f, cur, *v)
		if f == "sku" {
			p.patch.SKU = v
		} else {
			p.patch.Name = v
		}
	}
	if v := c.text("unit_type"); v != nil {
		if pr := claim("unit_type", *v); pr != nil {
			return nil, pr
		}
	}
	if v := c.text("unit_type"); v != nil && *v != rec.UnitType {
		switch {
		case !slices.Contains(inventora.UnitTypes, *v):
			return nil, s.reject(row, "unit_type", *v, fmt.Sprintf("unit_type %q is not an Inventora unit type%s", *v, hint(*v, inventora.UnitTypes)))
		case inventora.IsBundle(*v):
			return nil, s.reject(row, "unit_type", *v, fmt.Sprintf("unit_type cannot be set to %s: bundles is read-only in Inventora", *v))
		case inventora.IsBundle(rec.UnitType):
			return nil, s.reject(row, "unit_type", *v, fmt.Sprintf("%s is a bundle: Inventora cannot change a unit type from bundles (to %s)", key, *v))
		}
		change("unit_type", rec.UnitType, *v)
		p.patch.UnitType = v
	}
	for _, d := range []struct {
		field string
		cur   *inventora.Decimal
		dst   **inventora.Decimal
	}{
		{"unit_price", rec.UnitPrice, &p.patch.UnitPrice},
		{"retail_price", rec.RetailPrice, &p.patch.RetailPrice},
		{"wholesale_price", rec.WholesalePrice, &p.patch.WholesalePrice},
		{"min_level", rec.MinLevel, &p.patch.MinLevel},
		{"minimum_quantity", rec.MinimumQuantity, &p.patch.MinimumQuantity},
	} {
		v := c.number(d.field)
		if v == nil {
			continue
		}
		if pr := claim(d.field, v.String()); pr != nil {
			return nil, pr
		}
		if inventora.EqualPtr(v, d.cur) {
			continue
		}
		change(d.field, decText(d.cur), v.String())
		*d.dst = v
	}
	for _, t := range []struct {
		field string
		cur   *string
		dst   **string
	}{{"notes", rec.Notes, &p.patch.Notes}, {"ean", rec.EAN, &p.patch.EAN}} {
		v := c.text(t.field)
		if v == nil {
			continue
		}
		if pr := claim(t.field, *v); pr != nil {
			return nil, pr
		}
		if *v == textOf(t.cur) {
			continue
		}
		change(t.field, textOf(t.cur), *v)
		*t.dst = v
	}
	if urls := c.list("reorder_urls"); urls != nil {
		if pr := claim("reorder_urls", strings.Join(urls, " ")); pr != nil {
			return nil, pr
		}
		if !slices.Equal(urls, rec.ReorderURLs) {
			change("reorder_urls", strings.Join(rec.ReorderURLs, " "), strings.Join(urls, " "))
			p.patch.ReorderURLs = urls
		}
	}
	if s.stock {
		if q := c.number("quantity"); q != nil {
			loc := s.defLoc
			if v := c.text("location"); v != nil {
				name, msg := s.resolveLocation(*v)
				if msg != "" {
					return nil, s.reject(row, "location", *v, msg)
				}
				loc = name
			}
			if loc == "" {
				return nil, s.reject(row, "location", "", "the account has no location to put the stock in")
			}
			if prev, dup := s.stockRows[rec.ID+"@"+loc]; dup && s.cfg.stockMode() == StockSet {
				return nil, s.reject(row, "location", loc, fmt.Sprintf("%s at %s was already set by %s: one row per %s and location", key, loc, prev, strings.TrimSuffix(s.kind, "s")))
			}
			p.location, p.qty = loc, q
		}
	}
	return p, nil
}

// Close finishes the run: for entity tasks it creates the tasks.
func (s *sink) Close(ctx context.Context) error {
	if s.closed {
		return errors.New("inventora sink: closed twice")
	}
	s.closed = true
	defer s.conn.Close()
	defer s.flushRequests(ctx)
	if s.kind == "tasks" {
		return s.createTasks(ctx)
	}
	return nil
}

// Abort ends the run. Writes already confirmed stay: Inventora has no
// transactions.
func (s *sink) Abort() error {
	if !s.closed {
		s.closed = true
		s.conn.Close()
	}
	return nil
}

// Report gives the requests made and, in a dry run, the plan.
func (s *sink) Report() *pipeline.ComponentReport {
	st := s.client.Stats()
	reads := st.ByMethod[http.MethodGet]
	rep := &pipeline.ComponentReport{
		Requests: pipeline.RequestStats{
			Reads:   reads,
			Writes:  st.Requests - reads,
			Retries: st.Retries,
			TooMany: st.TooMany,
			Waited:  st.Waited,
		},
		RatePerMinute: s.client.RatePerMinute(),
		Account:       s.conn.Account,
	}
	s.mu.Lock()
	counts := s.counts
	rep.Notes = append(slices.Clone(s.conn.Notes), s.notes...)
	s.mu.Unlock()
	extra := 0
	if s.tasks != nil && !s.closed {
		extra = len(s.tasks.order)
	}
	rep.Plan = apisink.PlanOf(s.w).Report(counts, reads, extra, apisink.Rate{PerMinute: s.client.RatePerMinute()})
	return rep
}
