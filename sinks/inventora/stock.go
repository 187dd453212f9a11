package inventorasink

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/inventora"
	"github.com/etl-dev/etl/pipeline"
	"github.com/etl-dev/etl/pipeline/journal"
	"github.com/etl-dev/etl/sinks/apisink"
)

// journalKind is the journal's kind of stock: {mode: add} entries.
const journalKind = "inventora-stock-add"

// jobEntries is what a journal offers beyond the run (the *journal.Journal
// in Env.State): the newest entry per key over all runs of a job, so that
// a repeated run, not only a resumed one, knows what earlier runs applied.
type jobEntries interface {
	JobEntries(ctx context.Context, job, kind string) (map[string]journal.Entry, error)
}

// addState is the bookkeeping of stock mode add. A row is "the same" when
// it is the same job (the journal is per job), the same input file by
// content, and the same row: its key is the file's SHA-256, the sheet and
// the row number.
type addState struct {
	prior  map[string]journal.Entry
	hashes map[string]string
	cross  bool // prior holds earlier runs' entries too
}

func newAddState(ctx context.Context, s *sink) (*addState, error) {
	a := &addState{prior: map[string]journal.Entry{}, hashes: map[string]string{}}
	if je, ok := s.env.State.(jobEntries); ok && s.env.Job != "" {
		m, err := je.JobEntries(ctx, s.env.Job, journalKind)
		if err != nil {
			return nil, fmt.Errorf("reading what earlier runs added to stock: %w", err)
		}
		a.prior, a.cross = m, true
	}
	if s.jr != nil { // a dry run has no journal of its own
		this, err := s.jr.Entries(ctx, journalKind)
		if err != nil {
			return nil, fmt.Errorf("reading the journal: %w", err)
		}
		for k, e := range this {
			a.prior[k] = e
		}
	}
	if !a.cross && !s.dry {
		s.notef("stock mode add: this journal cannot look at earlier runs, so only a resumed run (--resume) is protected from applying a row twice; do not run the same file again afresh")
	}
	return a, nil
}

// rowKey is the row's identity across runs.
func (a *addState) rowKey(env pipeline.Env, o pipeline.Origin) string {
	h, ok := a.hashes[o.File]
	if !ok {
		h = fileHash(env.Path(o.File))
		a.hashes[o.File] = h
	}
	return fmt.Sprintf("%s|%s|%d", h, o.Sheet, o.Row)
}

// fileHash is the SHA-256 of the file's content; for an origin that is no
// readable file (an API source) the hash of its name.
func fileHash(path string) string {
	sum := sha256.New()
	f, err := os.Open(path)
	if err == nil {
		_, err = io.Copy(sum, f)
		f.Close()
	}
	if err != nil {
		sum.Reset()
		sum.Write([]byte("name:" + path))
	}
	return hex.EncodeToString(sum.Sum(nil))[:32]
}

func payload(before, delta decimal.Decimal) string {
	return "before=" + before.String() + " delta=" + delta.String()
}

func parsePayload(s string) (before, delta decimal.Decimal, ok bool) {
	var b, d string
	if _, err := fmt.Sscanf(s, "before=%s delta=%s", &b, &d); err != nil {
		return before, delta, false
	}
	before, err1 := decimal.NewFromString(b)
	delta, err2 := decimal.NewFromString(d)
	return before, delta, err1 == nil && err2 == nil
}

// writeStock sends the row's stock-level update: for set an audit where
// the level differs, for add a restock or loss exactly once. It reports
// whether the row changed stock.
func (s *sink) writeStock(ctx context.Context, row *pipeline.Row, p *rowPlan) (bool, *pipeline.Problem, error) {
	rec, loc, qty := p.rec, p.location, *p.qty
	cur := rec.LevelAt(loc)
	field := fmt.Sprintf("quantity (%s)", loc)
	w := apisink.Write{
		Method: http.MethodPost, Route: "/" + s.kind + "/" + url.PathEscape(rec.ID) + "/stock-level-updates",
		Kind: s.kind + " stock", Key: p.key + " @ " + loc, Action: apisink.Update, Rows: []pipeline.Origin{row.Origin},
	}
	notes := s.cfg.Stock.Notes
	if notes == "" && s.env.Job != "" {
		notes = "etl job " + s.env.Job
	}
	var delta decimal.Decimal
	switch s.cfg.stockMode() {
	case StockSet:
		s.stockRows[rec.ID+"@"+loc] = row.Origin // plan rejects a second row
		if cur.Equal(qty) {
			return false, nil, nil
		}
		delta = qty.Sub(cur.Decimal)
		w.Body = inventora.StockLevelUpdate{Quantity: qty, LocationName: loc, UpdateType: inventora.UpdateAudit, Notes: notes}
		w.Idempotent = true
		w.Fields = []pipeline.FieldChange{{Field: field, Old: cur.String(), New: qty.String()}}
	default: // add
		if qty.IsZero() {
			return false, nil, nil
		}
		delta = qty.Decimal
		u := inventora.StockLevelUpdate{Quantity: inventora.NewDecimal(qty.Abs()), LocationName: loc, UpdateType: inventora.UpdateRestock, Notes: notes}
		if qty.IsNegative() {
			u.UpdateType = inventora.UpdateLoss
		}
		w.Body = u
		w.Fields = []pipeline.FieldChange{{Field: field, Old: cur.String(), New: cur.Add(delta).String()}}
	}
	if s.add == nil { // set mode
		return s.sendStock(ctx, row, w, p, cur, delta)
	}
	key := s.add.rowKey(s.env, row.Origin)
	if s.dry {
		// Plan what a real run would send: nothing for a row an earlier
		// run applied; an unanswered one is planned as sent (a real run
		// reads its level first).
		if e, ok := s.add.prior[key]; ok && e.Confirmed {
			return false, nil, nil
		}
		return s.sendStock(ctx, row, w, p, cur, delta)
	}

	// add mode: journal the level before the write, reconcile what an
	// earlier attempt may have applied.
	guid := rec.ID + "@" + loc
	if e, ok := s.add.prior[key]; ok {
		if e.Confirmed {
			if s.env.Resume {
				return true, nil, nil // applied by the run being resumed
			}
			s.notef("stock: %s was added by an earlier run of this job from the same file; not again", row.Origin)
			return false, nil, nil
		}
		before, d, okp := parsePayload(e.PayloadHash)
		if !okp || e.GUID != guid {
			return false, s.reject(row, "quantity", "", fmt.Sprintf("the journal holds an unfinished stock update of this row for %s that does not match it now; check %s in Inventora", e.GUID, p.key)), nil
		}
		fresh, err := s.client.Resource(ctx, s.kind, rec.ID)
		if err != nil {
			return false, nil, fmt.Errorf("reading %s to reconcile its unanswered stock update: %w", p.key, err)
		}
		now := fresh.LevelAt(loc)
		s.refresh(rec, fresh)
		switch {
		case now.Decimal.Equal(before.Add(d)):
			if err := s.jr.Confirm(ctx, journalKind, key, guid, "updated", e.PayloadHash); err != nil {
				return false, nil, err
			}
			s.notef("stock: %s had been applied by an earlier attempt whose answer was lost (%s %s → %s); not sent again", row.Origin, loc, before, now)
			return true, nil, nil
		case now.Decimal.Equal(before):
			cur = now // never applied: send it now
			w.Fields = []pipeline.FieldChange{{Field: field, Old: cur.String(), New: cur.Add(delta).String()}}
		default:
			return false, s.reject(row, "quantity", "", fmt.Sprintf("an earlier attempt sent %+v to %s at %s and its answer was lost; the level has since moved from %s to %s, so etl cannot tell whether it was applied: check it in Inventora (the row is not sent again)", d, p.key, loc, before, now)), nil
		}
	}
	hash := payload(cur.Decimal, delta)
	if err := s.jr.Intend(ctx, journalKind, key, guid, hash); err != nil {
		return false, nil, fmt.Errorf("journal: recording %s before sending it: %w", w.Key, err)
	}
	sent, prob, err := s.sendStock(ctx, row, w, p, cur, delta)
	if err != nil || prob != nil || row.Outcome == pipeline.Unknown {
		return sent, prob, err
	}
	if err := s.jr.Confirm(ctx, journalKind, key, guid, "updated", hash); err != nil {
		return sent, nil, fmt.Errorf("journal: confirming %s (Inventora took it): %w", w.Key, err)
	}
	return sent, nil, nil
}

// sendStock sends w and keeps the cached record as Inventora has it.
func (s *sink) sendStock(ctx context.Context, row *pipeline.Row, w apisink.Write, p *rowPlan, cur inventora.Decimal, delta decimal.Decimal) (bool, *pipeline.Problem, error) {
	var out inventora.Resource
	err := s.w.Send(ctx, w, &out)
	switch {
	case errors.Is(err, apisink.ErrUnanswered):
		row.Outcome = pipeline.Unknown
		return true, nil, nil
	case isRowError(err):
		return false, s.reject(row, "quantity", "", fmt.Sprintf("Inventora refused the stock update of %s at %s: %s", p.key, p.location, inventora.MessageOf(err))), nil
	case err != nil:
		return false, nil, err
	}
	if out.ID != "" {
		s.refresh(p.rec, &out)
	} else {
		if p.rec.LocationStockLevels == nil {
			p.rec.LocationStockLevels = map[string]inventora.Decimal{}
		}
		p.rec.LocationStockLevels[p.location] = inventora.NewDecimal(cur.Add(delta))
	}
	return true, nil, nil
}

// refresh replaces the cached record with a fresh copy.
func (s *sink) refresh(rec, fresh *inventora.Resource) {
	s.unindexRecord(rec)
	*rec = *fresh
	s.indexRecord(rec)
}
