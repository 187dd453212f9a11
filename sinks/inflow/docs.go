package inflowsink

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/google/uuid"
	"golang.org/x/sync/errgroup"

	"github.com/etl-dev/etl/inflow"
	"github.com/etl-dev/etl/pipeline"
	"github.com/etl-dev/etl/pipeline/journal"
	"github.com/etl-dev/etl/sinks/apisink"
)

// DefaultMaxDocuments bounds the documents a document sink holds until
// the input ends.
const DefaultMaxDocuments = 20000

// docSink writes documents (sales orders, purchase orders, stock
// adjustments, stock transfers). Write takes the rows and groups them by
// document number; Close resolves names, reads the documents the file
// names, and writes one PUT per document to create or change. Every row
// gets its document's outcome at Close.
type docSink struct {
	cfg    *Config
	k      *docKind
	env    pipeline.Env
	fields map[string]*docBound
	cn     *conn
	client *inflow.Client
	w      apisink.Writer
	jr     pipeline.Journal

	refs      refs
	products  *index
	parties   *index // customers or vendors; nil for adjustments and transfers
	docs      *index
	defaultLo string // the company's default location id
	resumed   map[string]journal.Entry

	order  []*document // in order of first row
	byKey  map[string]*document
	loose  []*docRow // rows rejected before they belong to a document
	closed bool

	mu        sync.Mutex
	counts    [pipeline.NotProcessed + 1]int
	docCounts map[string]int // "created", "updated", "unchanged", "rejected", "unknown"
	notes     []string
	changes   int
}

// docRow is one input row: one line of a document.
type docRow struct {
	origin pipeline.Origin
	seq    int64
	vals   map[string]any // converted values, nulls left out
	err    *rowError      // the row's own problem
}

// document is the rows of one document number, and what becomes of them.
type document struct {
	number string
	rows   []*docRow
	err    *rowError // rejects every row of the document
	// errRow is the row whose cell is at fault (nil: the document as a
	// whole); it gets err as it is, the others a reference to it.
	errRow *docRow
	header map[string]any     // header field → value
	from   map[string]*docRow // header field → the row that gave it

	ids     map[string]string // resolved header references, by field
	lines   []*docLine
	rec     record // the existing document; nil when new
	guid    string
	create  bool
	hash    string
	body    record
	changes []pipeline.FieldChange
	outcome pipeline.Outcome
	// confirmed: the write went through (or none was needed); unknown:
	// it went out and no answer came.
	confirmed, unknown bool
}

// docLine is one resolved line of a document.
type docLine struct {
	row       *docRow
	productID string
	product   record
	sku       string // how the row named the product
}

func (r *docRow) text(field string) string { return docText(r.vals[field]) }

func openDocs(ctx context.Context, c *Config, k *docKind, env pipeline.Env, schema pipeline.Schema, layer apisink.Layer) (pipeline.Sink, error) {
	fields, err := bindDocSchema(k, schema, c.Ignore)
	if err != nil {
		return nil, err
	}
	s := &docSink{cfg: c, k: k, env: env, fields: fields, byKey: map[string]*document{}, docCounts: map[string]int{}}
	if env.Journal != nil {
		s.jr = env.Journal
	}
	cn, err := connect(c, env)
	if err != nil {
		return nil, err
	}
	s.cn, s.client = cn, cn.client
	var jr apisink.Journal
	if s.jr != nil {
		jr = s.jr
	}
	s.w = layer(apisink.Journaled(clientWriter(s.client), jr))
	s.notes = append(s.notes, cn.notes...)
	if err := s.prepare(ctx); err != nil {
		cn.close()
		return nil, describeAPIError(err)
	}
	return s, nil
}

// prepare reads the reference data the mapped fields name (one request
// each) and sets up the indexes of products, parties and documents.
func (s *docSink) prepare(ctx context.Context) error {
	need := map[refKind]bool{refLocation: true}
	for _, f := range s.fields {
		if f.def.ref != "" {
			need[f.def.ref] = true
		}
	}
	rs, err := loadRefs(ctx, s.client, need)
	if err != nil {
		return err
	}
	s.refs = rs
	if it, ok := rs[refLocation].defaultItem(); ok {
		s.defaultLo = it.id
	}
	include := []string{"inventoryLines"} // on hand, to predict negative stock
	if s.k == purchaseOrders {
		include = append(include, "vendorItems") // the vendor's price
	}
	s.products = newIndex(products, s.client, include, []string{"sku", "name"})
	switch s.k {
	case salesOrders:
		s.parties = newIndex(customers, s.client, nil, []string{"name"})
	case purchaseOrders:
		s.parties = newIndex(vendors, s.client, nil, []string{"name"})
	}
	s.docs = newIndex(s.k.entity, s.client, s.k.include, []string{s.k.numberProp})
	if s.jr != nil && s.env.Resume {
		entries, err := s.jr.Entries(ctx, s.k.name)
		if err != nil {
			return err
		}
		s.resumed = entries
		if len(entries) > 0 {
			s.notes = append(s.notes, fmt.Sprintf("resumed: the journal holds %d %ss of the interrupted run", len(entries), s.k.singular))
		}
	}
	return nil
}

var (
	_ pipeline.Sink     = (*docSink)(nil)
	_ pipeline.Reporter = (*docSink)(nil)
)

// Write takes the rows: each is converted and filed under its document.
// Nothing is sent before Close, when every document is complete.
func (s *docSink) Write(ctx context.Context, rows []pipeline.Row) error {
	if s.closed {
		return errors.New("inflow sink: write after close")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	var failed map[int]pipeline.Problem
	for i, row := range rows {
		r := &docRow{origin: row.Origin, seq: row.Seq, vals: map[string]any{}}
		for _, f := range s.fields {
			if f.index >= len(row.Values) {
				continue
			}
			v, err := convertDoc(f.def, row.Values[f.index])
			if err != nil && r.err == nil {
				r.err = rowErr(f.def.name, row.Values[f.index], "%v", err)
			}
			if v != nil {
				r.vals[f.def.name] = v
			}
		}
		number := strings.TrimSpace(r.text(s.k.numberField))
		if number == "" {
			if failed == nil {
				failed = map[int]pipeline.Problem{}
			}
			failed[i] = pipeline.Problem{Origin: row.Origin, Field: s.k.numberField, Rule: "inflow",
				Message: fmt.Sprintf("the row has no %s: it belongs to no %s", s.k.numberField, s.k.singular)}
			continue
		}
		key := normKey(number)
		d := s.byKey[key]
		if d == nil {
			if max := s.maxDocuments(); len(s.order) >= max {
				return fmt.Errorf("%s (%s): more than %d %ss in the input; documents are held until the input ends: split the file, or raise the sink's max_documents",
					row.Origin, number, max, s.k.singular)
			}
			d = &document{number: number, header: map[string]any{}, from: map[string]*docRow{}}
			s.byKey[key] = d
			s.order = append(s.order, d)
		}
		d.rows = append(d.rows, r)
	}
	if failed != nil {
		return &pipeline.BatchError{Failed: failed}
	}
	return nil
}

func (s *docSink) maxDocuments() int {
	if s.cfg.MaxDocuments > 0 {
		return s.cfg.MaxDocuments
	}
	return DefaultMaxDocuments
}

// Close writes the documents and tells every row its document's outcome.
func (s *docSink) Close(ctx context.Context) error {
	if s.closed {
		return errors.New("inflow sink: already closed or aborted")
	}
	s.closed = true
	defer s.cn.close()
	defer s.flushRequests(context.WithoutCancel(ctx))

	for _, d := range s.order {
		s.assemble(d)
	}
	if err := s.resolve(ctx); err != nil {
		return describeAPIError(err)
	}
	onHand := newStockView()
	for _, d := range s.order {
		if d.err == nil {
			s.plan(d, onHand)
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.cfg.Concurrency)
	for _, d := range s.order {
		if d.err != nil || d.confirmed {
			continue // rejected, or nothing to send
		}
		g.Go(func() error { return s.put(gctx, d) })
	}
	sendErr := g.Wait()

	res := &pipeline.RowErrors{Failed: map[int64]pipeline.Problem{}, Unknown: map[int64]pipeline.Problem{}, Outcomes: map[int64]pipeline.RowOutcome{}}
	for _, d := range s.order {
		s.report(d, res)
	}
	if sendErr != nil {
		// Documents confirmed keep their outcome; those never sent are
		// the runner's to call not processed.
		res.Err = describeAPIError(sendErr)
	}
	return res
}

// assemble checks a document's rows: their own cells, and header fields
// that must agree on every row.
func (s *docSink) assemble(d *document) {
	for _, r := range d.rows {
		if r.err != nil {
			d.fail(r, r.err)
			return
		}
	}
	names := make([]string, 0, len(s.fields))
	for n, f := range s.fields {
		if !f.def.line {
			names = append(names, n)
		}
	}
	sort.Slice(names, func(i, j int) bool { return s.fields[names[i]].index < s.fields[names[j]].index })
	for _, r := range d.rows {
		for _, n := range names {
			v, ok := r.vals[n]
			if !ok {
				continue
			}
			prev, seen := d.header[n]
			if !seen {
				d.header[n], d.from[n] = v, r
				continue
			}
			if !sameHeader(prev, v) {
				first := d.from[n]
				d.fail(r, rowErr(n, v, "%s %s: %s is %q in %s but %q in %s: the rows of one %s must agree on it",
					s.k.label, d.number, n, docText(prev), rowName(first.origin), docText(v), rowName(r.origin), s.k.singular))
				return
			}
		}
	}
	if st, ok := d.header["status"]; ok {
		if e := pipeline.Enum("status", strings.ToLower(docText(st)), "open", "completed"); e != nil {
			d.fail(d.from["status"], rowErr("status", st, "%s", e.Error()))
		}
	}
}

func sameHeader(a, b any) bool {
	if da, ok := a.(docDate); ok {
		db, ok := b.(docDate)
		return ok && da.hasTime == db.hasTime && da.t.Equal(db.t)
	}
	return strings.TrimSpace(docText(a)) == strings.TrimSpace(docText(b))
}

func rowName(o pipeline.Origin) string {
	if o.Sheet != "" {
		return fmt.Sprintf("row %d of sheet %s", o.Row, o.Sheet)
	}
	return fmt.Sprintf("row %d", o.Row)
}

func (d *document) fail(r *docRow, e *rowError) {
	if d.err == nil {
		d.err, d.errRow = e, r
	}
}

// resolve finds the products, parties and existing documents the input
// names, with as few requests as the indexes allow, then resolves every
// document's names.
func (s *docSink) resolve(ctx context.Context) error {
	var skus, parties, numbers []string
	seen := map[string]bool{}
	once := func(list *[]string, kind, v string) {
		if k := kind + "\x00" + normKey(v); v != "" && !seen[k] {
			seen[k] = true
			*list = append(*list, v)
		}
	}
	partyField := s.partyField()
	for _, d := range s.order {
		if d.err != nil {
			continue
		}
		once(&numbers, "n", d.number)
		if partyField != "" {
			once(&parties, "p", docText(d.header[partyField]))
		}
		for _, r := range d.rows {
			once(&skus, "s", r.text("sku"))
		}
	}
	if err := s.find(ctx, s.docs, []string{s.k.numberProp}, numbers); err != nil {
		return err
	}
	if s.parties != nil {
		if err := s.find(ctx, s.parties, []string{"name"}, parties); err != nil {
			return err
		}
	}
	if err := s.find(ctx, s.products, []string{"sku", "name"}, skus); err != nil {
		return err
	}
	for _, d := range s.order {
		if d.err == nil {
			s.resolveDoc(d)
		}
	}
	return nil
}

// find makes the index know values by the first key that has them, and
// if any stays unknown, reads the rest of the listing for the closest
// names (when that is a handful of pages). In auto mode it reads the
// first page (which tells how many records there are), then either the
// rest of the listing or one filtered query per value, whichever costs
// fewer requests.
func (s *docSink) find(ctx context.Context, x *index, keys []string, values []string) error {
	if len(values) == 0 {
		return nil
	}
	unknown := func() []string {
		var out []string
		for _, v := range values {
			found := false
			for _, k := range keys {
				if len(x.Find(k, v)) > 0 {
					found = true
					break
				}
			}
			if !found {
				out = append(out, v)
			}
		}
		return out
	}
	mode := s.cfg.Reads
	for _, k := range keys {
		if x.lookupFilter(k) == "" {
			mode = "index"
		}
	}
	switch mode {
	case "index":
		if err := x.ReadAll(ctx); err != nil {
			return err
		}
	case "auto":
		if total, pages, _, _ := x.Stats(); total < 0 && pages == 0 {
			if err := x.ReadPage(ctx); err != nil {
				return err
			}
		}
		if u := unknown(); len(u) > 0 && !x.Complete() {
			if len(u)*len(keys) >= x.RemainingPages() {
				if err := x.ReadAll(ctx); err != nil {
					return err
				}
			} else if err := s.lookup(ctx, x, keys, u); err != nil {
				return err
			}
		}
	default:
		if err := s.lookup(ctx, x, keys, unknown()); err != nil {
			return err
		}
	}
	if u := unknown(); len(u) > 0 && x != s.docs && !x.Complete() && x.RemainingPages() <= 10 {
		return x.ReadAll(ctx) // names that do not resolve: the closest ones need the listing
	}
	return nil
}

// lookup queries each value by the keys in order until one finds it.
func (s *docSink) lookup(ctx context.Context, x *index, keys, values []string) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.cfg.Concurrency)
	for _, v := range values {
		g.Go(func() error {
			for _, k := range keys {
				if !x.Known(k, v) {
					if _, err := x.Lookup(gctx, k, v); err != nil {
						return err
					}
				}
				if len(x.Find(k, v)) > 0 {
					return nil
				}
			}
			return nil
		})
	}
	return g.Wait()
}

func (s *docSink) partyField() string {
	switch s.k {
	case salesOrders:
		return "customer"
	case purchaseOrders:
		return "vendor"
	}
	return ""
}

// findOne resolves a name through an index: exactly first, then ignoring
// case and surrounding spaces.
func findOne(x *index, keys []string, value string) (record, string) {
	for _, k := range keys {
		recs := x.Find(k, value)
		if len(recs) > 1 {
			var exact []record
			for _, r := range recs {
				if str(r[k]) == value {
					exact = append(exact, r)
				}
			}
			if len(exact) == 1 {
				return exact[0], ""
			}
			return nil, fmt.Sprintf("%d %s in inFlow have %s %q: rename one in inFlow", len(recs), x.e.name, k, value)
		}
		if len(recs) == 1 {
			return recs[0], ""
		}
	}
	var names []string
	for _, k := range keys {
		names = append(names, x.Values(k)...)
	}
	msg := fmt.Sprintf("no %s in inFlow has %s %q", x.e.singular, strings.Join(keys, " or "), value)
	if c := closest(value, names, 3); len(c) > 0 {
		msg += "; closest: " + quoteList(c)
	}
	return nil, msg
}

// resolveDoc resolves a document's names: its header references, its
// party and each line's product; finds the existing document by number.
func (s *docSink) resolveDoc(d *document) {
	d.ids = map[string]string{}
	names := make([]string, 0, len(d.header))
	for n := range d.header {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return s.fields[names[i]].index < s.fields[names[j]].index })
	for _, n := range names {
		f := s.fields[n].def
		v := docText(d.header[n])
		switch {
		case f.ref != "":
			it, err := s.refs[f.ref].resolve(v)
			if err != nil {
				d.fail(d.from[n], rowErr(n, v, "%s %s: %v", s.k.label, d.number, err))
				return
			}
			d.ids[n] = it.id
		case f.party:
			rec, msg := findOne(s.parties, []string{"name"}, v)
			if rec == nil {
				hint := ""
				if s.k == salesOrders {
					hint = " (onboard customers first, e.g. jobs/onboard-customers.yaml)"
				} else {
					hint = " (onboard vendors first, e.g. jobs/onboard-vendors.yaml)"
				}
				d.fail(d.from[n], rowErr(n, v, "%s %s: %s%s", s.k.label, d.number, msg, hint))
				return
			}
			d.ids[n] = str(rec[s.parties.e.idProp])
		}
	}
	if recs := s.docs.Find(s.k.numberProp, d.number); len(recs) > 1 {
		d.fail(nil, rowErr(s.k.numberField, d.number, "%d %ss in inFlow have number %q: the sink cannot tell which to update", len(recs), s.k.singular, d.number))
		return
	} else if len(recs) == 1 {
		d.rec = recs[0]
	}
	for _, r := range d.rows {
		name := r.text("sku")
		if name == "" {
			d.fail(r, rowErr("sku", nil, "%s %s: the line has no sku: which product is it?", s.k.label, d.number))
			return
		}
		if _, ok := r.vals["quantity"]; !ok {
			d.fail(r, rowErr("quantity", nil, "%s %s: the line of %s has no quantity", s.k.label, d.number, name))
			return
		}
		p, msg := findOne(s.products, []string{"sku", "name"}, name)
		if p == nil {
			d.fail(r, rowErr("sku", name, "%s %s: %s", s.k.label, d.number, msg))
			return
		}
		d.lines = append(d.lines, &docLine{row: r, productID: strings.ToLower(str(p["productId"])), product: p, sku: name})
	}
	if d.rec == nil {
		if f := s.partyField(); f != "" && d.ids[f] == "" {
			d.fail(nil, rowErr(f, nil, "%s %s is new and has no %s: a new %s needs one", s.k.label, d.number, f, s.k.singular))
			return
		}
		if s.k == stockTransfers && (d.ids["from_location"] == "" || d.ids["to_location"] == "") {
			d.fail(nil, rowErr("from_location", nil, "transfer %s is new: it needs from_location and to_location", d.number))
			return
		}
	}
	if s.k == stockTransfers && d.ids["from_location"] != "" && sameID(d.ids["from_location"], d.ids["to_location"]) {
		d.fail(d.from["to_location"], rowErr("to_location", d.header["to_location"], "transfer %s: from_location and to_location are the same location", d.number))
	}
}

// put sends one document's write.
func (s *docSink) put(ctx context.Context, d *document) error {
	for attempt := 1; ; attempt++ {
		err := s.putOnce(ctx, d)
		if err == nil || !inflow.IsConflict(err) || d.create || attempt == 3 {
			if err != nil && inflow.IsRowError(err) {
				d.fail(nil, rowErr("", nil, "inFlow refused %s %s: %s", s.k.singular, d.number, apiMessage(err)))
				return nil
			}
			return err
		}
		// The document changed since it was read (edited in inFlow, or an
		// earlier attempt of this write took effect and its answer was
		// lost): read it again and write what still differs.
		fresh, gerr := s.docs.Get(ctx, d.guid)
		if gerr != nil {
			return gerr
		}
		d.rec, d.body, d.changes, d.confirmed = fresh, nil, nil, false
		s.plan(d, newStockView())
		if d.err != nil {
			return nil
		}
		if d.confirmed {
			d.outcome = pipeline.Updated // the earlier attempt took effect
			return nil
		}
	}
}

// putOnce sends the document's write once (the client retries what it
// may); a conflict comes back for put to handle.
func (s *docSink) putOnce(ctx context.Context, d *document) error {
	body := record{}
	for k, v := range d.body {
		body[k] = v
	}
	body[s.k.idProp] = d.guid
	if !d.create {
		if ts := str(d.rec["timestamp"]); ts != "" {
			body["timestamp"] = ts
		}
	}
	action, outcome := apisink.Update, "updated"
	if d.create {
		action, outcome = apisink.Create, "created"
	}
	w := apisink.Write{
		Method: http.MethodPut, Route: "/" + s.k.name, Body: body, Idempotent: true,
		Kind: s.k.name, Key: s.k.label + " " + d.number, Action: action, Rows: d.origins(), Fields: d.changes,
		Journal: []apisink.Entry{{Kind: s.k.name, Key: d.journalKey(), GUID: d.guid, Hash: d.hash, Outcome: outcome, Intend: d.create}},
	}
	if s.cfg.AllowNegativeInventory {
		w.Header = http.Header{"X-OverrideAllowNegativeInventory": {"TRUE"}}
	}
	var raw json.RawMessage
	err := s.w.Send(ctx, w, &raw)
	switch {
	case err == nil:
		d.confirmed = true
		if resp, _ := decodeRecord(raw); len(raw) > 0 && resp != nil {
			s.docs.Store(resp)
		}
		return nil
	case errors.Is(err, apisink.ErrUnanswered):
		d.unknown = true
		if ctx.Err() == nil {
			return nil // resolved by --resume, under the journaled GUID
		}
	}
	return err
}

func (d *document) origins() []pipeline.Origin {
	out := make([]pipeline.Origin, len(d.rows))
	for i, r := range d.rows {
		out[i] = r.origin
	}
	return out
}

func (d *document) journalKey() string { return "number:" + normKey(d.number) }

// report gives each row of the document its outcome.
func (s *docSink) report(d *document, res *pipeline.RowErrors) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case d.err != nil:
		s.docCounts["rejected"]++
		for _, r := range d.rows {
			p := pipeline.Problem{Origin: r.origin, Field: d.err.field, Value: d.err.value, Rule: "inflow", Message: d.err.msg}
			if d.errRow != nil && r != d.errRow {
				p = pipeline.Problem{Origin: r.origin, Rule: "inflow",
					Message: fmt.Sprintf("%s %s is rejected because of its %s: %s", s.k.label, d.number, rowName(d.errRow.origin),
						strings.TrimPrefix(d.err.msg, s.k.label+" "+d.number+": "))}
			}
			res.Failed[r.seq] = p
			s.counts[pipeline.Rejected]++
		}
	case d.unknown:
		s.docCounts["unknown"]++
		for _, r := range d.rows {
			res.Unknown[r.seq] = pipeline.Problem{Origin: r.origin, Rule: "inflow",
				Message: fmt.Sprintf("%s %s was sent and no answer came: etl run --resume finds out whether inFlow took it", s.k.label, d.number)}
			s.counts[pipeline.Unknown]++
		}
	case d.outcome == pipeline.Created || d.outcome == pipeline.Updated || d.outcome == pipeline.Unchanged:
		if !d.confirmed {
			return // never sent: the run failed first
		}
		s.docCounts[d.outcome.String()]++
		for _, r := range d.rows {
			res.Outcomes[r.seq] = pipeline.RowOutcome{Seq: r.seq, Origin: r.origin, Outcome: d.outcome}
			s.counts[d.outcome]++
		}
	}
}

// flushRequests hands the requests made so far to the journal.
func (s *docSink) flushRequests(ctx context.Context) {
	reqs := s.cn.log.drain()
	if s.jr == nil || len(reqs) == 0 {
		return
	}
	out := make([]journal.Request, len(reqs))
	for i, r := range reqs {
		out[i] = journal.Request{Time: r.time, Method: r.method, Path: r.path, Status: r.status, Duration: r.duration}
	}
	if err := s.jr.LogRequests(ctx, out); err != nil {
		s.env.Log().Warn("inflow sink: logging requests in the journal", "error", err)
	}
}

// Report tells the requests made so far and, in a dry run, the plan.
func (s *docSink) Report() *pipeline.ComponentReport {
	st := s.client.Stats()
	s.mu.Lock()
	defer s.mu.Unlock()
	reads := st.ByMethod[http.MethodGet] + st.ByMethod[http.MethodPost]
	rep := &pipeline.ComponentReport{
		Requests: pipeline.RequestStats{
			Reads: reads, Writes: st.ByMethod[http.MethodPut], Retries: st.Retries, TooMany: st.TooMany, Waited: st.Waited,
		},
		RatePerMinute: s.client.Limiter().PerMinute(),
		Notes:         append([]string(nil), s.notes...),
		Account:       s.cn.account,
	}
	if s.closed {
		plan := apisink.PlanOf(s.w) != nil
		var parts []string
		for _, o := range []string{"created", "updated", "unchanged", "rejected", "unknown"} {
			if n := s.docCounts[o]; n > 0 {
				word := o
				if plan && (o == "created" || o == "updated") {
					word = "to " + strings.TrimSuffix(o, "d")
				}
				parts = append(parts, fmt.Sprintf("%d %s", n, word))
			}
		}
		if len(parts) > 0 {
			rep.Notes = append(rep.Notes, fmt.Sprintf("%ss: %s (of %d in the input)", s.k.singular, strings.Join(parts, ", "), len(s.order)))
		}
	}
	rep.Plan = apisink.PlanOf(s.w).Report(
		apisink.Counts{Creates: s.counts[pipeline.Created], Updates: s.counts[pipeline.Updated], Unchanged: s.counts[pipeline.Unchanged]},
		reads, 0, apisink.Rate{PerMinute: max(rep.RatePerMinute, 1), PerHour: s.client.Limiter().PerHour()})
	return rep
}

// Abort stops the embedded emulator. Nothing was sent before Close.
func (s *docSink) Abort() error {
	s.closed = true
	s.flushRequests(context.Background())
	s.cn.close()
	return nil
}

// docHash identifies what the file says of a document, for the journal.
func (s *docSink) docHash(d *document) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\n", s.k.name, normKey(d.number))
	for _, r := range d.rows {
		fmt.Fprintln(h, sortedVals(r.vals))
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// lineGUID is the GUID of a new document's i-th line of an array: derived
// from the document's GUID, so a retried write is the same write.
func lineGUID(docGUID, array string, i int) string {
	ns, err := uuid.Parse(docGUID)
	if err != nil {
		return newGUID()
	}
	return uuid.NewSHA1(ns, fmt.Appendf(nil, "%s/%d", array, i)).String()
}
