package sandbox

import (
	"bytes"
	"crypto/rand"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Report lifecycle: queued → processing → completed (or error). A report
// waits in the queue for Options.ReportQueue and until its type's quota
// has records left; it then takes Options.ReportWork to generate. The
// generated file is kept for reportKeep, after which the report and its
// file answer 404.
const reportKeep = 12 * time.Hour

// DefaultQuotas are the documented daily record quotas.
var DefaultQuotas = map[string]int64{
	"inventory_counts": 1_000_000, "inventory_aging": 200_000, "inventory_values": 200_000,
	"inventory_batches": 100_000, "inventory_history_by_product": 100_000, "inventory_history_by_date": 1_000_000,
}

// countsColumns are the columns the inventory counts report offers. The
// copy of the docs lost the column list; these are the ones public code
// requests and the report's filter and sort fields.
var countsColumns = []string{"product_id", "product_item_number", "product_name", "product_brand", "product_category",
	"product_manufacturer", "product_status", "warehouse_id", "warehouse_name", "on_hand", "available", "reserved", "on_purchase_order"}

// countsFilters are the report filters of the inventory counts report.
var countsFilters = []string{"product_brand", "product_buyer_user_name", "product_category", "product_item_number",
	"product_manufacturer", "product_status", "warehouse_name"}

type report struct {
	id          int64
	typ         string
	status      string
	submitted   time.Time
	started     time.Time
	completed   time.Time
	body        map[string]any
	requestURL  string
	columns     []string
	format      string
	limit       int
	includeZero bool
	filters     map[string][]string
	orderBy     [][2]string
	records     int
	token       string
	errMsg      string
}

type reportFile struct {
	data  []byte
	ctype string
}

// quota is one report type's daily allowance. Overage carries into the
// next days: what a period consumed beyond its allowance is consumed
// again by the next.
type quota struct {
	allowance int64
	day       time.Time // start of the current period (UTC midnight)
	consumed  int64
}

func (q *quota) roll(t time.Time) {
	start := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	if q.day.IsZero() {
		q.day = start
		return
	}
	for !q.day.Add(24 * time.Hour).After(t) {
		q.consumed = max(0, q.consumed-q.allowance)
		q.day = q.day.Add(24 * time.Hour)
	}
}

func (q *quota) available(t time.Time) int64 {
	q.roll(t)
	return max(0, q.allowance-q.consumed)
}

func (s *Server) quotaOf(typ string) *quota {
	q := s.quotas[typ]
	if q == nil {
		allowance := DefaultQuotas[typ]
		if v, ok := s.opts.Quotas[typ]; ok {
			allowance = v
		}
		q = &quota{allowance: allowance}
		s.quotas[typ] = q
	}
	return q
}

// advance moves every report through its lifecycle up to now.
func (s *Server) advance(now time.Time) {
	ids := make([]int64, 0, len(s.reports))
	for id := range s.reports {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var prev time.Time
	for _, id := range ids {
		r := s.reports[id]
		if r.status == "queued" {
			t := r.submitted.Add(s.opts.ReportQueue)
			if t.Before(prev) {
				t = prev
			}
			q := s.quotaOf(r.typ)
			for !t.After(now) {
				if q.available(t) > 0 {
					break
				}
				t = q.day.Add(24 * time.Hour)
			}
			if t.After(now) {
				continue
			}
			prev = t
			r.status, r.started = "processing", t
			s.generate(r)
			q.roll(t)
			q.consumed += int64(r.records)
		}
		if r.status == "processing" && !r.started.Add(s.opts.ReportWork).After(now) {
			r.status, r.completed = "completed", r.started.Add(s.opts.ReportWork)
			if s.opts.ReportError != "" {
				r.status, r.errMsg = "error", s.opts.ReportError
			}
		}
	}
	for id, r := range s.reports {
		if (r.status == "completed" || r.status == "error") && !r.completed.Add(reportKeep).After(now) {
			delete(s.reports, id)
			delete(s.files, r.token)
		}
	}
}

// counts are the inventory counts rows: one per product and warehouse,
// groups left out (they hold no stock).
func (s *Server) counts(r *report) []map[string]any {
	reserved := map[stockKey]decimal.Decimal{}
	for _, o := range s.colls["orders"].recs {
		if o["is_reserving_inventory"] != true {
			continue
		}
		wh, _ := lookup(o, "warehouse.id").(string)
		for _, l := range o["lines"].([]any) {
			m := l.(map[string]any)
			if p, ok := m["product"].(map[string]any); ok {
				k := stockKey{intOf(p["id"]), wh}
				reserved[k] = reserved[k].Add(decOf(lookup(m, "quantity.amount")))
			}
		}
	}
	onPO := map[stockKey]decimal.Decimal{}
	for _, po := range s.colls["purchase-orders"].recs {
		switch po["status"] {
		case "awaiting_receipt", "receiving", "received_partial":
		default:
			continue
		}
		wh, _ := lookup(po, "warehouse.id").(string)
		for _, l := range po["lines"].([]any) {
			m := l.(map[string]any)
			k := stockKey{intOf(lookup(m, "product.id")), wh}
			onPO[k] = onPO[k].Add(decOf(lookup(m, "quantity.amount")).Sub(decOf(m["units_received"])))
		}
	}
	var rows []map[string]any
	for _, p := range s.colls["products"].all() {
		if p["type"] == "group" {
			continue
		}
		for _, wh := range s.colls["warehouses"].all() {
			k := stockKey{intOf(p["id"]), wh["id"].(string)}
			var onHand decimal.Decimal
			if lv := s.stock[k]; lv != nil {
				onHand = lv.onHand
			}
			row := map[string]any{"product_id": p["id"], "product_item_number": p["item_number"], "product_name": lookup(p, "details.name"),
				"product_brand": lookup(p, "details.brand"), "product_category": lookup(p, "details.category"),
				"product_manufacturer": lookup(p, "details.manufacturer"), "product_status": p["status"],
				"warehouse_id": wh["id"], "warehouse_name": wh["name"],
				"on_hand": numDec(onHand), "reserved": numDec(reserved[k]), "available": numDec(onHand.Sub(reserved[k])),
				"on_purchase_order": numDec(onPO[k])}
			if !r.includeZero && onHand.IsZero() && reserved[k].IsZero() && onPO[k].IsZero() {
				continue
			}
			if !r.keep(row) {
				continue
			}
			rows = append(rows, row)
		}
	}
	if len(r.orderBy) > 0 {
		sort.SliceStable(rows, func(i, j int) bool {
			for _, ob := range r.orderBy {
				c := cmpValues(rows[i][ob[0]], rows[j][ob[0]])
				if ob[1] == "desc" {
					c = -c
				}
				if c != 0 {
					return c < 0
				}
			}
			return false
		})
	}
	if len(rows) > r.limit {
		rows = rows[:r.limit]
	}
	return rows
}

func (r *report) keep(row map[string]any) bool {
	for f, vals := range r.filters {
		v := fmt.Sprint(row[f])
		if f == "product_buyer_user_name" {
			return false // the emulator's products have no buyer
		}
		if !slices.Contains(vals, v) {
			return false
		}
	}
	return true
}

// generate writes the report's file.
func (s *Server) generate(r *report) {
	rows := s.counts(r)
	r.records = len(rows)
	var buf bytes.Buffer
	ctype := "application/json"
	project := func(row map[string]any) map[string]any {
		out := make(map[string]any, len(r.columns))
		for _, c := range r.columns {
			out[c] = row[c]
		}
		return out
	}
	switch r.format {
	case "json":
		list := make([]map[string]any, 0, len(rows))
		for _, row := range rows {
			list = append(list, project(row))
		}
		data, _ := json.Marshal(list)
		buf.Write(data)
	case "jsonl":
		ctype = "application/x-ndjson"
		for _, row := range rows {
			data, _ := json.Marshal(project(row))
			buf.Write(data)
			buf.WriteByte('\n')
		}
	case "csv":
		ctype = "text/csv"
		cw := csv.NewWriter(&buf)
		cw.Write(r.columns)
		for _, row := range rows {
			rec := make([]string, len(r.columns))
			for i, c := range r.columns {
				if row[c] != nil {
					rec[i] = fmt.Sprint(row[c])
				}
			}
			cw.Write(rec)
		}
		cw.Flush()
	}
	tok := make([]byte, 16)
	rand.Read(tok)
	r.token = hex.EncodeToString(tok)
	s.files[r.token] = &reportFile{data: buf.Bytes(), ctype: ctype}
}

// createCountsReport is POST /reports/inventory/counts: 202 {id, location}.
func (s *Server) createCountsReport(w *response, r *http.Request) {
	var body map[string]any
	if err := decode(r, &body); err != nil || body == nil {
		w.invalid(errs{"body": {"The body must be a JSON object."}})
		return
	}
	e := errs{}
	rep := &report{typ: "inventory_counts", status: "queued", submitted: s.clock.Now(), body: body, format: "json", limit: 1_000_000, filters: map[string][]string{}}
	cols, _ := body["columns"].([]any)
	if len(cols) == 0 {
		e.add("columns", "The columns field is required.")
	}
	for i, c := range cols {
		name, _ := c.(string)
		if !slices.Contains(countsColumns, name) {
			e.add(fmt.Sprintf("columns.%d", i), "The selected column %q is invalid: use %s.", name, strings.Join(countsColumns, ", "))
			continue
		}
		rep.columns = append(rep.columns, name)
	}
	if f, ok := body["format"]; ok && f != nil {
		rep.format, _ = f.(string)
		if rep.format != "json" && rep.format != "jsonl" && rep.format != "csv" {
			e.add("format", "The format must be json, jsonl or csv.")
		}
	}
	if l, ok := body["limit"]; ok && l != nil {
		n, ok := number(l)
		if !ok || !n.IsInteger() || n.LessThan(decimal.NewFromInt(1)) || n.GreaterThan(decimal.NewFromInt(1_000_000)) {
			e.add("limit", "The limit must be an integer between 1 and 1000000.")
		} else {
			rep.limit = int(n.IntPart())
		}
	}
	if o, ok := body["options"].(map[string]any); ok {
		rep.includeZero = o["include_zeros"] == true
	}
	if fs, ok := body["filters"].(map[string]any); ok {
		for k, v := range fs {
			m, _ := v.(map[string]any)
			vals, _ := m["values"].([]any)
			if !slices.Contains(countsFilters, k) {
				e.add("filters."+k, "Filtering by %q is not supported by this report.", k)
				continue
			}
			if m["operator"] != "in" || len(vals) == 0 {
				e.add("filters."+k, "A report filter is {values: [...], operator: \"in\"}.")
				continue
			}
			for _, x := range vals {
				rep.filters[k] = append(rep.filters[k], fmt.Sprint(x))
			}
		}
	}
	if obs, ok := body["order_by"].([]any); ok {
		for i, x := range obs {
			m, _ := x.(map[string]any)
			f, _ := m["field"].(string)
			d, _ := m["direction"].(string)
			if !slices.Contains(countsColumns, f) || (d != "asc" && d != "desc") {
				e.add(fmt.Sprintf("order_by.%d", i), "Sort by a report column, asc or desc.")
				continue
			}
			rep.orderBy = append(rep.orderBy, [2]string{f, d})
		}
	}
	if len(e) > 0 {
		w.invalid(e)
		return
	}
	s.advance(rep.submitted)
	rep.id = s.newID("reports")
	rep.requestURL = baseOf(r) + "/reports/inventory/counts"
	s.reports[rep.id] = rep
	s.stats.Creates["reports"]++
	w.json(http.StatusAccepted, map[string]any{"id": rep.id, "location": fmt.Sprintf("%s/reports/%d", baseOf(r), rep.id)})
}

func (s *Server) reportJSON(rep *report, base string) map[string]any {
	out := map[string]any{"id": rep.id, "status": rep.status, "request": map[string]any{"url": rep.requestURL, "body": rep.body},
		"error": nil, "completed": nil,
		"meta": map[string]any{"created": map[string]any{"at": ts(rep.submitted), "by": map[string]any{"type": "api", "user": nil}}}}
	if rep.status == "completed" {
		out["completed"] = map[string]any{"records_count": rep.records, "file_url": fmt.Sprintf("%s/report-files/%d", base, rep.id),
			"at": ts(rep.completed), "available_until": ts(rep.completed.Add(reportKeep)), "recorded_at": ts(rep.started)}
	}
	if rep.status == "error" {
		out["error"] = map[string]any{"at": ts(rep.completed), "message": rep.errMsg}
	}
	return out
}

func (s *Server) getReport(w *response, r *http.Request) {
	s.advance(s.clock.Now())
	rep := s.reports[intOf(r.PathValue("id"))]
	if rep == nil {
		w.fail(http.StatusNotFound, "The requested resource was not found.")
		return
	}
	w.json(http.StatusOK, s.reportJSON(rep, baseOf(r)))
}

func (s *Server) listReports(w *response, r *http.Request) {
	s.advance(s.clock.Now())
	c := newCollection("reports", reportsSpec)
	for _, rep := range s.reports {
		c.put(s.reportJSON(rep, baseOf(r)))
	}
	for _, rec := range c.recs {
		rec["id"] = numInt(intOf(rec["id"]))
	}
	s.listOf(c, c.all(), w, r)
}

func (s *Server) deleteReport(w *response, r *http.Request) {
	s.advance(s.clock.Now())
	rep := s.reports[intOf(r.PathValue("id"))]
	switch {
	case rep == nil:
		w.fail(http.StatusNotFound, "The requested resource was not found.")
	case rep.status == "processing":
		w.fail(http.StatusConflict, "Reports that are currently processing cannot be deleted.")
	default:
		delete(s.reports, rep.id)
		delete(s.files, rep.token)
		w.status = http.StatusNoContent
	}
}

func (s *Server) getQuota(w *response, r *http.Request) {
	typ := r.PathValue("type")
	if _, ok := DefaultQuotas[typ]; !ok {
		w.fail(http.StatusNotFound, "The requested resource was not found.")
		return
	}
	now := s.clock.Now()
	s.advance(now)
	q := s.quotaOf(typ)
	avail := q.available(now)
	w.json(http.StatusOK, map[string]any{"quota": map[string]any{"allowance": q.allowance, "per_period": "day"},
		"consumed": q.consumed, "available": avail, "replenishes_at": ts(q.day.Add(24 * time.Hour))})
}

// reportFile is the file_url: a redirect to the download host.
func (s *Server) reportFile(w *response, r *http.Request) {
	s.advance(s.clock.Now())
	rep := s.reports[intOf(r.PathValue("id"))]
	if rep == nil || rep.status != "completed" {
		w.fail(http.StatusNotFound, "The requested resource was not found.")
		return
	}
	w.header.Set("Location", s.cdnURL+"/files/"+rep.token+"."+rep.format)
	w.status = http.StatusFound
}

// DownloadHandler serves the download host (the CDN file_url redirects
// to). It needs no credentials and counts any it is sent.
func (s *Server) DownloadHandler() http.Handler {
	return http.HandlerFunc(func(hw http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.stats.Downloads++
		if r.Header.Get("Authorization") != "" {
			s.stats.LeakedAuth++
			s.mu.Unlock()
			http.Error(hw, "credentials were sent to the download host", http.StatusBadRequest)
			return
		}
		s.advance(s.clock.Now())
		name := strings.TrimPrefix(r.URL.Path, "/files/")
		tok, _, _ := strings.Cut(name, ".")
		f := s.files[tok]
		s.mu.Unlock()
		if f == nil {
			http.Error(hw, "not found", http.StatusNotFound)
			return
		}
		hw.Header().Set("Content-Type", f.ctype)
		hw.Header().Set("Content-Length", strconv.Itoa(len(f.data)))
		hw.Write(f.data)
	})
}
