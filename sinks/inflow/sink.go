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

	"github.com/shopspring/decimal"
	"golang.org/x/sync/errgroup"

	"github.com/etl-dev/etl/inflow"
	"github.com/etl-dev/etl/internal/suggest"
	"github.com/etl-dev/etl/pipeline"
	"github.com/etl-dev/etl/pipeline/journal"
	"github.com/etl-dev/etl/sinks/apisink"
)

// journalRun is what the sink needs of the run journal (*journal.Run).
type journalRun interface {
	Intend(ctx context.Context, kind, key, guid, payloadHash string) error
	Confirm(ctx context.Context, kind, key, guid, outcome, payloadHash string) error
	Entries(ctx context.Context, kind string) (map[string]journal.Entry, error)
	LogRequests(ctx context.Context, reqs []journal.Request) error
}

// sink writes one entity kind to one inFlow account.
type sink struct {
	cfg *Config
	e   *entityKind
	env pipeline.Env
	cn  *conn
	// w sends the writes: the runner's layer around the journaled client
	// (apisink.DryRun records them instead).
	w      apisink.Writer
	client *inflow.Client
	fields map[string]*boundField
	differ *differ
	index  *index
	jr     journalRun // nil: no journal
	// resumed holds the journal's entries of a resumed run, by key.
	resumed map[string]journal.Entry

	defaultLocation string // id: stock.location, else the company default
	// badScheme holds, by price field, why its pricing scheme is not in
	// inFlow: a row with a value for the field is rejected with it.
	badScheme     map[string]string
	reasonID      string // adjustment reason id, "" for none
	stockMapped   bool
	costMapped    bool
	serialsMapped bool

	// seen maps "key\x00value" of rows accepted so far to the first row
	// that had it, for duplicates within the input (and, with stock mapped,
	// rows giving the same product's stock at another location).
	seen  map[string]*seenRow
	batch int // Write calls so far

	mu           sync.Mutex
	counts       [pipeline.NotProcessed + 1]int
	lookupsSpent int
	stock        *stockBook
	costs        []costWant
	closed       bool
	notes        []string
}

func open(ctx context.Context, c *Config, env pipeline.Env, schema pipeline.Schema, layer apisink.Layer) (pipeline.Sink, error) {
	e, err := c.check()
	if err != nil {
		return nil, err
	}
	if k := docKinds[c.Entity]; k != nil {
		return openDocs(ctx, c, k, env, schema, layer)
	}
	fields, err := bindSchema(e, schema, c.Prices, c.Ignore)
	if err != nil {
		return nil, err
	}
	cn, err := connect(c, env)
	if err != nil {
		return nil, err
	}
	fail := func(err error) (pipeline.Sink, error) {
		cn.close()
		return nil, err
	}
	if err := resolveCustomLabels(ctx, cn.client, e, c.Match); err != nil {
		return fail(describeAPIError(err))
	}
	var match []string
	for _, m := range c.Match {
		if fields[matchField(m)] != nil {
			match = append(match, m)
		} else if !c.matchDefaulted {
			return fail(fmt.Errorf("match %q: the mapping has no %s field", m, matchField(m)))
		}
	}
	if len(match) == 0 {
		return fail(fmt.Errorf("the mapping has none of the fields %s are matched by (%s)", e.name, strings.Join(c.Match, ", ")))
	}
	c.Match = match
	s := &sink{cfg: c, e: e, env: env, fields: fields, seen: map[string]*seenRow{}, stock: newStockBook()}
	_, s.stockMapped = fields["quantity"]
	_, s.serialsMapped = fields["serials"]
	s.stockMapped = (s.stockMapped || s.serialsMapped) && c.Stock.Mode != "off"
	_, s.costMapped = fields["cost"]
	for _, n := range []string{"vendor_item_code", "vendor_cost", "vendor_lead_time_days"} {
		if fields[n] != nil && fields["vendor"] == nil {
			return fail(fmt.Errorf("field %s needs a vendor field in the mapping (the vendor whose item it is)", n))
		}
	}
	if env.Journal != nil {
		s.jr = env.Journal
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
		return nil, err
	}
	return s, nil
}

// prepare reads the reference data the mapping needs and sets up the
// index and the differ.
func (s *sink) prepare(ctx context.Context) error {
	need := map[refKind]bool{}
	for _, f := range s.fields {
		switch {
		case f.def.ref != "":
			need[f.def.ref] = true
		case f.def.apply == aPrice:
			need[refPricingScheme] = true
		case f.def.apply == aReorder, f.def.name == "location":
			need[refLocation] = true
		}
	}
	if s.stockMapped {
		need[refLocation] = true
		if s.cfg.Stock.AdjustmentReason != "" {
			need[refReason] = true
		}
	}
	rs, err := loadRefs(ctx, s.client, need)
	if err != nil {
		return describeAPIError(err)
	}
	s.differ = &differ{e: s.e, refs: rs, schemeIDs: map[string]string{}, newID: newGUID}
	s.badScheme = map[string]string{}
	for _, f := range s.fields {
		s.differ.fields = append(s.differ.fields, f)
	}
	sortBound(s.differ.fields)

	// Price fields: the default scheme, named schemes, price_<scheme>.
	for _, f := range s.differ.fields {
		if f.def.apply != aPrice {
			continue
		}
		t := rs[refPricingScheme]
		switch {
		case f.scheme == "":
			it, ok := t.defaultItem()
			if !ok {
				s.badScheme[f.def.name] = "the inFlow company has no default pricing scheme; name one with prices: {price: <scheme>}"
				continue
			}
			s.differ.schemeIDs[f.def.name] = it.id
		case strings.HasPrefix(f.scheme, "\x00"):
			want := f.scheme[1:]
			var found []refItem
			for _, it := range t.byID {
				n := normSchemeName(it.name)
				if n == want || strings.TrimSuffix(n, "_price") == want {
					found = append(found, it)
				}
			}
			if len(found) != 1 {
				var schemes, names []string
				for _, it := range t.byID {
					schemes = append(schemes, "price_"+normSchemeName(it.name)+" ("+it.name+")")
					names = append(names, "price_"+normSchemeName(it.name))
				}
				msg := fmt.Sprintf("no single pricing scheme is called %q in inFlow (the pricing schemes give %s); or map the field with prices: {%s: <scheme name>}",
					want, strings.Join(sortedStrings(schemes), ", "), f.def.name)
				if h := suggest.Hint(f.def.name, names); h != "" {
					msg += " (" + h + ")"
				}
				s.badScheme[f.def.name] = msg
				continue
			}
			s.differ.schemeIDs[f.def.name] = found[0].id
		default:
			it, err := t.resolve(f.scheme)
			if err != nil {
				s.badScheme[f.def.name] = fmt.Sprintf("prices: %s: %v", f.def.name, err)
				continue
			}
			s.differ.schemeIDs[f.def.name] = it.id
		}
	}
	if t := rs[refLocation]; t != nil {
		if s.cfg.Stock.Location != "" {
			it, err := t.resolve(s.cfg.Stock.Location)
			if err != nil {
				return fmt.Errorf("stock.location: %v", err)
			}
			s.defaultLocation = it.id
		} else if it, ok := t.defaultItem(); ok {
			s.defaultLocation = it.id
		}
	}
	if t := rs[refReason]; t != nil {
		it, err := t.resolve(s.cfg.Stock.AdjustmentReason)
		if err != nil {
			return fmt.Errorf("stock.adjustment_reason: %v", err)
		}
		s.reasonID = it.id
	}

	var include []string
	add := func(n string) {
		if !contains(include, n) {
			include = append(include, n)
		}
	}
	for _, f := range s.fields {
		switch f.def.apply {
		case aPrice:
			add("prices")
		case aBarcode:
			add("productBarcodes")
		case aVendor:
			add("vendorItems")
		case aReorder:
			add("reorderSettings")
		case aCost:
			add("cost")
		case aAddress:
			add("addresses")
		case aTaxCode:
			add("taxCodes")
		}
		if f.def.name == "vendor" {
			add("vendorItems")
		}
	}
	if contains(s.cfg.Match, "barcode") {
		add("productBarcodes")
	}
	if s.stockMapped && (s.serialsMapped || s.cfg.Stock.Mode == "set") {
		// What is on hand comes with the records read anyway: no
		// summary request for products the listing or a lookup brought.
		add("inventoryLines")
	}
	s.index = newIndex(s.e, s.client, include, s.cfg.Match)

	if s.jr != nil && s.env.Resume {
		entries, err := s.jr.Entries(ctx, s.e.name)
		if err != nil {
			return err
		}
		s.resumed = entries
		adj, err := s.jr.Entries(ctx, kindStockAdjustments)
		if err != nil {
			return err
		}
		s.stock.resumed = adj
		if len(entries) > 0 {
			s.notes = append(s.notes, fmt.Sprintf("resumed: the journal holds %d %s of the interrupted run", len(entries), s.e.name))
		}
	}
	return nil
}

func sortedStrings(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

func sortBound(fs []*boundField) {
	sort.Slice(fs, func(i, j int) bool { return fs[i].index < fs[j].index })
}

// describeAPIError turns authentication failures into advice.
func describeAPIError(err error) error {
	if inflow.IsUnauthorized(err) {
		return fmt.Errorf("%w (check INFLOW_API_KEY and INFLOW_COMPANY_ID)", err)
	}
	return err
}

// rowState is one row on its way through Write.
type rowState struct {
	pos     int
	row     pipeline.Row
	vals    map[string]any    // converted values, nulls left out
	ids     map[string]string // resolved reference ids, by field ("location" too)
	keys    [][2]string       // match keys the row has, in match order: type, value
	jkey    string            // journal key: the first match key
	hash    string
	rec     record // the matched existing record
	guid    string
	create  bool
	res     *diffResult
	stock   *stockWant
	cost    *decimal.Decimal // a cost adjustment to make
	costOld any
	outcome pipeline.Outcome
	skipPut bool // confirmed in the journal of the run being resumed
	// follows is an earlier row of the batch for the same product whose
	// write this row's stock rides on (the product at another location).
	follows *rowState
	// done: the row's outcome stands (its write confirmed, or none
	// needed); unknown: its write went out and no answer came.
	done, unknown bool
	err           *rowError
}

func (r *rowState) fail(e *rowError) {
	if r.err == nil {
		r.err = e
	}
}

var _ pipeline.Sink = (*sink)(nil)
var _ pipeline.Reporter = (*sink)(nil)

// Write upserts one batch: it finds the existing records (planning its
// reads), diffs each row against its record, and sends the writes in
// parallel, bounded by concurrency and paced by the account's limiter. It
// returns when every row has its outcome.
func (s *sink) Write(ctx context.Context, rows []pipeline.Row) error {
	if s.closed {
		return errors.New("inflow sink: write after close")
	}
	s.batch++
	states := make([]*rowState, len(rows))
	for i := range rows {
		states[i] = s.prepareRow(i, rows[i])
	}
	live := func() []*rowState {
		var out []*rowState
		for _, st := range states {
			if st.err == nil {
				out = append(out, st)
			}
		}
		return out
	}
	if err := s.plan(ctx, live()); err != nil {
		return s.fatal(err)
	}
	for _, st := range live() {
		if st.follows == nil {
			s.match(st)
		}
	}
	for _, st := range live() {
		if l := st.follows; l != nil {
			if l.err != nil {
				st.fail(rowErr("", nil, "row %d, the same product, was rejected: %s", l.row.Origin.Row, l.err.msg))
				continue
			}
			st.rec, st.guid = l.rec, l.guid
		}
	}
	if err := s.readStock(ctx, live()); err != nil {
		return s.fatal(err)
	}
	for _, st := range live() {
		s.diffRow(st)
	}
	if err := s.send(ctx, live()); err != nil {
		// Rows the API confirmed keep their outcome; the rest of the
		// batch is the runner's to label (not processed, or rejected).
		for i, st := range states {
			switch {
			case st.err == nil && st.done:
				rows[i].Outcome = st.outcome
				s.count(st.outcome)
			case st.unknown:
				rows[i].Outcome = pipeline.Unknown
			}
		}
		return s.fatal(err)
	}
	s.flushRequests(ctx)

	var failed map[int]pipeline.Problem
	for i, st := range states {
		if st.err != nil {
			if failed == nil {
				failed = map[int]pipeline.Problem{}
			}
			failed[i] = pipeline.Problem{Origin: st.row.Origin, Field: st.err.field, Value: st.err.value, Rule: "inflow", Message: st.err.msg}
			continue
		}
		if st.unknown {
			rows[i].Outcome = pipeline.Unknown
			continue
		}
		rows[i].Outcome = st.outcome
		s.count(st.outcome)
	}
	if failed != nil {
		return &pipeline.BatchError{Failed: failed}
	}
	return nil
}

func (s *sink) count(o pipeline.Outcome) {
	s.mu.Lock()
	s.counts[o]++
	s.mu.Unlock()
}

func (s *sink) fatal(err error) error {
	s.flushRequests(context.WithoutCancel(context.Background()))
	return describeAPIError(err)
}

// prepareRow converts the values, resolves references and match keys, and
// rejects duplicates within the input.
func (s *sink) prepareRow(pos int, row pipeline.Row) *rowState {
	st := &rowState{pos: pos, row: row, vals: map[string]any{}, ids: map[string]string{}}
	for _, f := range s.differ.fields {
		if f.index >= len(row.Values) {
			continue
		}
		v, err := convert(f, row.Values[f.index])
		if err != nil {
			st.fail(rowErr(f.def.name, row.Values[f.index], "%v", err))
			return st
		}
		if v != nil {
			st.vals[f.def.name] = v
		}
	}
	for _, f := range s.differ.fields {
		if msg, bad := s.badScheme[f.def.name]; bad {
			if v, ok := st.vals[f.def.name]; ok {
				st.fail(rowErr(f.def.name, v, "%s", msg))
				return st
			}
		}
	}
	for _, f := range s.differ.fields {
		v, ok := st.vals[f.def.name]
		if !ok || f.def.ref == "" {
			continue
		}
		name := str(v)
		if f.def.ref == refCategory {
			name = normCategoryPath(name)
		}
		it, err := s.differ.refs[f.def.ref].resolve(name)
		if err != nil {
			st.fail(rowErr(f.def.name, v, "%v", err))
			return st
		}
		st.ids[f.def.name] = it.id
	}
	if _, ok := st.ids["location"]; !ok && s.e == products {
		st.ids["location"] = s.defaultLocation
	}
	for _, m := range s.cfg.Match {
		if v, ok := st.vals[matchField(m)]; ok {
			st.keys = append(st.keys, [2]string{m, str(v)})
		}
	}
	if len(st.keys) == 0 {
		st.fail(rowErr("", nil, "the row has no %s: nothing to match or create it by", strings.Join(s.cfg.Match, " or ")))
		return st
	}
	st.jkey = st.keys[0][0] + ":" + normKey(st.keys[0][1])
	sum := sha256.Sum256([]byte(s.e.name + "\x00" + s.cfg.Mode + "\x00" + sortedVals(st.vals)))
	st.hash = hex.EncodeToString(sum[:12])

	// Duplicates within the input, on every key inFlow keeps unique and on
	// the match keys.
	check := append([]string(nil), s.e.unique...)
	for _, m := range s.cfg.Match {
		if !contains(check, m) {
			check = append(check, m)
		}
	}
	var claim []string
	place := st.ids["location"] + "\x00" + str(st.vals["sublocation"])
	var follows *seenRow
	for _, k := range check {
		v, ok := st.vals[matchField(k)]
		if !ok {
			continue
		}
		key := k + "\x00" + normKey(str(v))
		first, dup := s.seen[key]
		switch {
		case !dup:
			claim = append(claim, key)
			continue
		case follows == first:
			continue
		case follows != nil:
			st.fail(rowErr(matchField(k), v, "same %s as row %d (%q), but another product than row %d's", keyLabel(k), first.row, str(v), follows.row))
			return st
		}
		// With stock mapped, the same product at another location (or
		// sublocation) is its stock there, not a duplicate.
		if !s.stockMapped {
			st.fail(rowErr(matchField(k), v, "same %s as row %d (%q): the row is not sent twice", keyLabel(k), first.row, str(v)))
			return st
		}
		if r, again := first.places[place]; again {
			st.fail(rowErr(matchField(k), v, "same %s as row %d (%q), at the same location: the row is not sent twice", keyLabel(k), r, str(v)))
			return st
		}
		if f := recordConflict(first.vals, st.vals); f != "" {
			st.fail(rowErr(f, st.vals[f], "row %d gives the same product (%s %q) another %s: one product has one set of values", first.row, keyLabel(k), str(v), f))
			return st
		}
		follows = first
	}
	if follows != nil {
		follows.places[place] = row.Origin.Row
		if follows.batch == s.batch {
			st.follows = follows.state
		}
		delete(st.vals, "cost") // the first row's cost adjustment serves the product
	} else {
		first := &seenRow{row: row.Origin.Row, places: map[string]int{place: row.Origin.Row}, vals: st.vals, state: st, batch: s.batch}
		for _, k := range claim {
			s.seen[k] = first
		}
	}
	if s.stockMapped {
		st.stock = s.stockWantOf(st)
	}
	if c, ok := st.vals["cost"].(decimal.Decimal); ok && c.IsNegative() {
		st.fail(rowErr("cost", c, "cost %s is negative", c))
	}
	return st
}

// seenRow is the first row of the input with a key value.
type seenRow struct {
	row    int
	places map[string]int // location and sublocation → row, for stock rows
	vals   map[string]any
	state  *rowState // the row's state, while its batch is written
	batch  int
}

// stockFields are the fields a row of a product at another location may
// give on its own.
var stockFields = map[string]bool{"location": true, "sublocation": true, "quantity": true, "serials": true, "reorder_point": true, "reorder_quantity": true}

// recordConflict names a field two rows of one product give different
// values (or that only the later row gives), "" when they agree.
func recordConflict(first, later map[string]any) string {
	var names []string
	for n := range later {
		if !stockFields[n] {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		fv, ok := first[n]
		if !ok || fmt.Sprint(jsonValue(fv)) != fmt.Sprint(jsonValue(later[n])) {
			return n
		}
	}
	return ""
}

func keyLabel(k string) string {
	switch k {
	case "sku":
		return "SKU"
	case "name", "barcode":
		return k
	}
	return matchField(k)
}

// plan makes sure the index can answer for every row's keys, with as
// few requests as it can: the rest of the full listing, or one query per
// key, whichever costs less (the first page, which also tells how many
// records the account has, is read either way in auto mode).
func (s *sink) plan(ctx context.Context, states []*rowState) error {
	if len(states) == 0 {
		return nil
	}
	unknown := func() (keys int, est int) {
		for _, st := range states {
			if s.confirmedSkip(st) && !s.stockMapped && !s.costMapped {
				continue
			}
			n := 0
			for _, k := range st.keys {
				if !s.index.Known(k[0], k[1]) {
					n++
				}
			}
			if n > 0 {
				keys++
				est += n
			}
		}
		return keys, est
	}
	canLookup := true
	for _, m := range s.cfg.Match {
		if s.index.lookupFilter(m) == "" {
			canLookup = false
		}
	}
	mode := s.cfg.Reads
	if !canLookup {
		mode = "index"
	}
	if k, _ := unknown(); k == 0 {
		return nil
	}
	switch mode {
	case "index":
		return s.index.ReadAll(ctx)
	case "auto":
		if s.index.RemainingPages() > 0 && !s.index.Complete() {
			total, pages, _, _ := s.index.Stats()
			if total < 0 && pages == 0 {
				if err := s.index.ReadPage(ctx); err != nil {
					return err
				}
			}
		}
		_, est := unknown()
		if est == 0 {
			return nil
		}
		s.mu.Lock()
		spent := s.lookupsSpent
		s.mu.Unlock()
		if spent+est >= s.index.RemainingPages() {
			return s.index.ReadAll(ctx)
		}
	}
	return s.lookupAll(ctx, states)
}

// lookupAll queries each row's keys in match order until one finds a
// record, several rows at a time.
func (s *sink) lookupAll(ctx context.Context, states []*rowState) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.cfg.Concurrency)
	pending := map[string]bool{}
	for _, st := range states {
		if s.confirmedSkip(st) && !s.stockMapped && !s.costMapped {
			continue
		}
		g.Go(func() error {
			for _, k := range st.keys {
				if !s.index.Known(k[0], k[1]) {
					id := k[0] + "\x00" + normKey(k[1])
					s.mu.Lock()
					dup := pending[id]
					pending[id] = true
					s.mu.Unlock()
					if dup {
						continue
					}
					n, err := s.index.Lookup(gctx, k[0], k[1])
					s.mu.Lock()
					s.lookupsSpent += n
					s.mu.Unlock()
					if err != nil {
						return err
					}
				}
				if len(s.index.Find(k[0], k[1])) > 0 {
					return nil
				}
			}
			return nil
		})
	}
	return g.Wait()
}

// confirmedSkip tells whether the journal of the run being resumed says
// this row's write was made and confirmed with the same values.
func (s *sink) confirmedSkip(st *rowState) bool {
	if s.resumed == nil {
		return false
	}
	e, ok := s.resumed[st.jkey]
	return ok && e.Confirmed && e.PayloadHash == st.hash && e.GUID != ""
}

// match finds the row's record: the first match key that names exactly
// one record; then checks that no other record holds the row's unique
// values (inFlow would refuse the write).
func (s *sink) match(st *rowState) {
	for _, k := range st.keys {
		recs := s.index.Find(k[0], k[1])
		if len(recs) > 1 {
			var ids []string
			for _, r := range recs {
				ids = append(ids, str(r[s.e.idProp]))
			}
			st.fail(rowErr(matchField(k[0]), k[1], "%d %s in inFlow have %s %q (%s): match on another key, e.g. match: [custom:custom1]",
				len(recs), s.e.name, keyLabel(k[0]), k[1], strings.Join(ids, ", ")))
			return
		}
		if len(recs) == 1 {
			st.rec = recs[0]
			break
		}
	}
	var entry journal.Entry
	var inJournal bool
	if s.resumed != nil {
		entry, inJournal = s.resumed[st.jkey]
	}
	if st.rec == nil && inJournal && entry.GUID != "" {
		st.rec = s.index.ByID(entry.GUID)
	}
	if st.rec != nil {
		st.guid = str(st.rec[s.e.idProp])
		// Another record holding this row's unique values would make
		// inFlow refuse the write: say which.
		for _, u := range s.e.unique {
			v, ok := st.vals[u]
			if !ok || !s.index.Known(u, str(v)) {
				continue
			}
			for _, other := range s.index.Find(u, str(v)) {
				if !sameID(str(other[s.e.idProp]), st.guid) {
					st.fail(rowErr(u, v, "%s %q belongs to another %s in inFlow (%s) than the one matched by %s (%s): inFlow keeps %ss unique",
						keyLabel(u), str(v), s.e.singular, describeRecord(s.e, other), keyLabel(st.keys[0][0]), describeRecord(s.e, st.rec), u))
					return
				}
			}
		}
		switch s.cfg.Mode {
		case "insert":
			st.outcome = pipeline.Skipped
		}
		return
	}
	if s.cfg.Mode == "update" {
		st.fail(rowErr(matchField(st.keys[0][0]), st.keys[0][1], "no %s in inFlow has %s (mode update creates nothing)", s.e.singular, describeKeys(st.keys)))
		return
	}
	for _, u := range s.e.unique {
		v, ok := st.vals[u]
		if !ok || !s.index.Known(u, str(v)) {
			continue
		}
		if others := s.index.Find(u, str(v)); len(others) > 0 {
			st.fail(rowErr(u, v, "%s %q already belongs to %s %s in inFlow, which the row's %s does not match: inFlow keeps %ss unique",
				keyLabel(u), str(v), s.e.singular, describeRecord(s.e, others[0]), describeKeys(st.keys), u))
			return
		}
	}
	st.create = true
	if inJournal && entry.GUID != "" {
		st.guid = entry.GUID // the interrupted run chose it: reuse, never duplicate
	} else {
		st.guid = newGUID()
	}
}

func describeKeys(keys [][2]string) string {
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %q", keyLabel(k[0]), k[1]))
	}
	return strings.Join(parts, " or ")
}

func describeRecord(e *entityKind, rec record) string {
	if e == products && str(rec["sku"]) != "" {
		return fmt.Sprintf("SKU %q, %q", str(rec["sku"]), str(rec["name"]))
	}
	return fmt.Sprintf("%q", str(rec["name"]))
}

// diffRow decides the row's outcome and builds its write.
func (s *sink) diffRow(st *rowState) {
	if st.outcome == pipeline.Skipped {
		return
	}
	if l := st.follows; l != nil {
		s.diffFollower(st, l)
		return
	}
	if st.create {
		if _, ok := st.vals["name"]; !ok {
			st.fail(rowErr("name", nil, "a new %s needs a name: the row has none (it matched no existing %s by %s)", s.e.singular, s.e.singular, describeKeys(st.keys)))
			return
		}
	}
	res, rerr := s.differ.diff(st.rec, st.vals, st.ids)
	if rerr != nil {
		st.fail(rerr)
		return
	}
	st.res = res
	if s.e == products {
		if err := s.diffStockAndCost(st); err != nil {
			st.fail(err)
			return
		}
	}
	switch {
	case st.create:
		if s.e == products {
			if _, ok := res.body["itemType"]; !ok {
				res.body["itemType"] = "StockedProduct"
			}
		}
		st.outcome = pipeline.Created
	case s.confirmedSkip(st):
		st.skipPut = true
		st.outcome = outcomeOf(s.resumed[st.jkey].Outcome)
	case s.createdUnconfirmed(st):
		// The interrupted run created it; its confirmation was lost.
		st.outcome = pipeline.Created
	case len(res.body) > 0 || st.stock.changes() || st.cost != nil:
		st.outcome = pipeline.Updated
	default:
		st.outcome = pipeline.Unchanged
	}
}

// diffFollower works out the stock of a row that gives another location
// of the product of an earlier row of its batch: no write of its own; the
// product's stock there goes into the adjustments once the earlier row's
// write is made.
func (s *sink) diffFollower(st, l *rowState) {
	if l.err != nil || l.res == nil {
		st.fail(rowErr("", nil, "row %d, the same product, was not written", l.row.Origin.Row))
		return
	}
	st.res = &diffResult{body: record{}}
	if l.create {
		for _, p := range []string{"itemType", "trackSerials"} {
			if v, ok := l.res.body[p]; ok {
				st.res.body[p] = v
			}
		}
	}
	st.create = l.create // for the stock rules of a new product
	err := s.diffStockAndCost(st)
	st.create, st.res = false, &diffResult{body: record{}}
	if err != nil {
		st.fail(err)
		return
	}
	// The earlier row creates or updates the product; this one changes
	// its stock (as it would in a later batch, the product written by then).
	st.outcome = pipeline.Unchanged
	if st.stock.changes() {
		st.outcome = pipeline.Updated
	}
}

// createdUnconfirmed tells whether the interrupted run being resumed sent
// the create of this row's record (it exists under the GUID the journal
// holds) without its confirmation being recorded.
func (s *sink) createdUnconfirmed(st *rowState) bool {
	e, ok := s.resumed[st.jkey]
	return ok && !e.Confirmed && sameID(e.GUID, st.guid) && !st.create
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func outcomeOf(name string) pipeline.Outcome {
	for _, o := range pipeline.Outcomes() {
		if o.String() == name {
			return o
		}
	}
	return pipeline.Updated
}

// send makes the writes of the batch, concurrency at a time.
func (s *sink) send(ctx context.Context, states []*rowState) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.cfg.Concurrency)
	for _, st := range states {
		if st.err != nil {
			continue
		}
		needPut := st.res != nil && !st.skipPut && (st.create || len(st.res.body) > 0)
		if !needPut {
			if st.outcome == pipeline.Created || st.outcome == pipeline.Updated {
				// No write of its own (stock or cost alone, or created by
				// the interrupted run): the plan still lists it.
				apisink.PlanOf(s.w).Note(s.change(st))
			}
			st.done = true
			s.afterWrite(st)
			continue
		}
		g.Go(func() error { return s.put(gctx, st) })
	}
	return g.Wait()
}

// put sends one row's write. A conflict (the record changed since it was
// read, or an earlier attempt of this very write took effect) reads the
// record again and diffs anew, up to three times.
func (s *sink) put(ctx context.Context, st *rowState) error {
	for attempt := 1; ; attempt++ {
		body := record{}
		for k, v := range st.res.body {
			body[k] = v
		}
		body[s.e.idProp] = st.guid
		if !st.create {
			if ts := str(st.rec["timestamp"]); ts != "" {
				body["timestamp"] = ts
			}
		}
		c := s.change(st)
		w := apisink.Write{
			Method: http.MethodPut, Route: "/" + s.e.name, Body: body, Idempotent: true,
			Kind: s.e.name, Key: c.Key, Action: apisink.Action(c.Action), Rows: []pipeline.Origin{st.row.Origin}, Fields: c.Fields,
			Journal: []apisink.Entry{{Kind: s.e.name, Key: st.jkey, GUID: st.guid, Hash: st.hash, Outcome: string(c.Action) + "d", Intend: st.create}},
		}
		var raw json.RawMessage
		err := s.w.Send(ctx, w, &raw)
		if err == nil {
			var resp record
			if len(raw) > 0 && string(raw) != "null" {
				resp, _ = decodeRecord(raw)
			}
			merged := mergeRecord(st.rec, body, resp)
			if resp == nil {
				delete(merged, "timestamp") // unknown now: the next write goes without
			}
			s.index.Store(merged)
			st.done = true
			s.afterWrite(st)
			return nil
		}
		if errors.Is(err, apisink.ErrUnanswered) && ctx.Err() == nil {
			// The client gave up on a reply: the row is unknown and the
			// batch goes on (a resumed run looks under the journaled GUID).
			st.unknown = true
			return nil
		}
		if inflow.IsConflict(err) && attempt < 3 && !st.create {
			fresh, gerr := s.index.Get(ctx, st.guid)
			if gerr != nil {
				return gerr
			}
			st.rec = fresh
			res, rerr := s.differ.diff(fresh, st.vals, st.ids)
			if rerr != nil {
				st.fail(rerr)
				return nil
			}
			st.res = res
			if len(res.body) == 0 { // the earlier attempt took effect
				st.done = true
				s.afterWrite(st)
				return nil
			}
			continue
		}
		if inflow.IsRowError(err) {
			st.fail(rowErr("", nil, "inFlow refused the %s: %s", s.e.singular, apiMessage(err)))
			return nil
		}
		if errors.Is(err, apisink.ErrUnanswered) {
			st.unknown = true
		}
		return err
	}
}

// apiMessage is the status and server message of an API error.
func apiMessage(err error) string {
	var ae *inflow.APIError
	if errors.As(err, &ae) {
		msg := fmt.Sprintf("%d %s", ae.Status, http.StatusText(ae.Status))
		if ae.Message != "" {
			msg += ": " + ae.Message
		}
		return msg
	}
	return err.Error()
}

// mergeRecord is what the record looks like after a write: the old one,
// with the sent properties, and whatever the server answered on top.
func mergeRecord(old, sent, resp record) record {
	out := record{}
	for k, v := range old {
		out[k] = v
	}
	for k, v := range sent {
		out[k] = v
	}
	for k, v := range resp {
		out[k] = v
	}
	return out
}

// afterWrite queues the row's opening stock and cost for Close.
func (s *sink) afterWrite(st *rowState) {
	if st.stock != nil && st.stock.changes() {
		s.stock.add(st.guid, st.stock, st.row.Origin, st.row.Seq)
	}
	if st.cost != nil {
		s.mu.Lock()
		s.costs = append(s.costs, costWant{productID: st.guid, unitCost: *st.cost, origin: st.row.Origin, seq: st.row.Seq, key: st.jkey})
		s.mu.Unlock()
	}
}

// change describes a planned create or update of the row, for the plan.
func (s *sink) change(st *rowState) pipeline.Change {
	action := "update"
	if st.create {
		action = "create"
	}
	c := pipeline.Change{Origin: st.row.Origin, Action: action, Key: describeKeys(st.keys[:1])}
	if st.res != nil {
		c.Fields = append(c.Fields, st.res.changes...)
	}
	if st.stock != nil {
		c.Fields = append(c.Fields, st.stock.fieldChanges...)
	}
	if st.cost != nil {
		c.Fields = append(c.Fields, pipeline.FieldChange{Field: "cost", Old: display(st.costOld), New: display(*st.cost)})
	}
	// In the mapping's order ("quantity (Main Warehouse)" where quantity is).
	pos := func(f string) int {
		name, _, _ := strings.Cut(f, " (")
		if b := s.fields[name]; b != nil {
			return b.index
		}
		return len(s.fields)
	}
	sort.SliceStable(c.Fields, func(i, j int) bool { return pos(c.Fields[i].Field) < pos(c.Fields[j].Field) })
	// Decimals as the sheet writes them: with the mapping's scale.
	for i, f := range c.Fields {
		if b := s.fields[f.Field]; b != nil && b.scale > 0 && (b.def.kind == kDecimal || b.def.apply == aPrice) {
			c.Fields[i].Old, c.Fields[i].New = withScale(f.Old, b.scale), withScale(f.New, b.scale)
		}
	}
	return c
}

// withScale writes a decimal text with scale places ("12.5" → "12.50");
// other text is left as it is.
func withScale(v string, scale int) string {
	d, err := decimal.NewFromString(v)
	if err != nil {
		return v
	}
	return d.StringFixed(int32(scale))
}

// flushRequests hands the requests made so far to the journal.
func (s *sink) flushRequests(ctx context.Context) {
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
func (s *sink) Report() *pipeline.ComponentReport {
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
	total, pages, lookups, complete := s.index.Stats()
	switch {
	case complete && lookups == 0:
		rep.Notes = append(rep.Notes, fmt.Sprintf("existing %s: all %d read in %s of 100", s.e.name, max(total, 0), plural(pages, "request")))
	case pages > 0 || lookups > 0:
		rep.Notes = append(rep.Notes, fmt.Sprintf("existing %s: %d of %d read by listing, %s", s.e.name, min(pages*inflow.MaxPageSize, max(total, 0)), max(total, 0), plural(lookups, "key lookup")))
	}
	pending := 0 // deferred writes Close has yet to make
	if !s.closed {
		pending = s.stock.plannedWrites(s.cfg.Stock.LinesPerAdjustment) + len(s.costs)
	}
	rep.Plan = apisink.PlanOf(s.w).Report(
		apisink.Counts{Creates: s.counts[pipeline.Created], Updates: s.counts[pipeline.Updated], Unchanged: s.counts[pipeline.Unchanged]},
		reads, pending, apisink.Rate{PerMinute: max(rep.RatePerMinute, 1), PerHour: s.client.Limiter().PerHour()})
	return rep
}

// Abort stops the embedded emulator; writes already sent stay (inFlow has
// no transactions), and the journal knows them.
func (s *sink) Abort() error {
	s.mu.Lock()
	s.closed = true // nothing more goes out: a later Close is an error
	s.mu.Unlock()
	s.flushRequests(context.Background())
	s.cn.close()
	return nil
}
