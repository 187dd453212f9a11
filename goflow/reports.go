package goflow

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"time"

	"github.com/etl-dev/etl/internal/apikit"
)

// Report is a report's status (GET /reports/{id}).
type Report struct {
	ID      int64  `json:"id"`
	Status  string `json:"status"` // queued, processing, completed, error
	Request *struct {
		URL  string          `json:"url"`
		Body json.RawMessage `json:"body"`
	} `json:"request"`
	Error *struct {
		At      *Time  `json:"at"`
		Message string `json:"message"`
	} `json:"error"`
	Completed *struct {
		RecordsCount   int64  `json:"records_count"`
		FileURL        string `json:"file_url"`
		At             *Time  `json:"at"`
		AvailableUntil *Time  `json:"available_until"`
	} `json:"completed"`
	Meta *Meta `json:"meta"`
}

// Quota is a report type's quota state (GET /reports/quotas/{type}).
type Quota struct {
	Quota *struct {
		Allowance int64  `json:"allowance"`
		PerPeriod string `json:"per_period"`
	} `json:"quota"`
	Consumed      int64 `json:"consumed"`
	Available     int64 `json:"available"`
	ReplenishesAt *Time `json:"replenishes_at"`
}

// ReportFilter is a report filter: {values, operator: "in"}. Report
// filters have their own syntax, unlike list filters.
type ReportFilter struct {
	Values   []string `json:"values"`
	Operator string   `json:"operator"`
}

// CountsRequest is the body of an inventory counts report.
type CountsRequest struct {
	Columns []string                `json:"columns"`
	OrderBy []ReportOrder           `json:"order_by,omitempty"`
	Limit   int                     `json:"limit,omitempty"`
	Format  string                  `json:"format"`
	Filters map[string]ReportFilter `json:"filters,omitempty"`
	Options *struct {
		IncludeZeros bool `json:"include_zeros"`
	} `json:"options,omitempty"`
}

// ReportOrder is one sort key of a report.
type ReportOrder struct {
	Field     string `json:"field"`
	Direction string `json:"direction"`
}

// CountsColumns are the inventory counts report's columns the snapshot
// asks for.
var CountsColumns = []string{"product_id", "product_item_number", "product_name", "warehouse_name", "on_hand", "available", "on_purchase_order"}

// CountsRow is one row of the inventory counts report: a product in a
// warehouse.
type CountsRow struct {
	ProductID         int64    `json:"product_id"`
	ProductItemNumber string   `json:"product_item_number"`
	ProductName       *string  `json:"product_name"`
	WarehouseName     string   `json:"warehouse_name"`
	OnHand            *Decimal `json:"on_hand"`
	Available         *Decimal `json:"available"`
	OnPurchaseOrder   *Decimal `json:"on_purchase_order"`
}

// PollOptions pace the polling of a report.
type PollOptions struct {
	// First and Max bound the wait between two polls: it starts at First
	// (2s) and doubles up to Max (30s), on the client's clock.
	First, Max time.Duration
	// QueueTimeout fails the run when the report is still queued after it
	// (30 minutes): the daily record quota may not replenish until
	// tomorrow.
	QueueTimeout time.Duration
	// WorkTimeout fails the run when it is still processing after it (1h).
	WorkTimeout time.Duration
}

func (o PollOptions) withDefaults() PollOptions {
	if o.First <= 0 {
		o.First = 2 * time.Second
	}
	if o.Max < o.First {
		o.Max = max(30*time.Second, o.First)
	}
	if o.QueueTimeout <= 0 {
		o.QueueTimeout = 30 * time.Minute
	}
	if o.WorkTimeout <= 0 {
		o.WorkTimeout = time.Hour
	}
	return o
}

// ReportStats count the requests of one report.
type ReportStats struct {
	Submits, Polls, Downloads, Lookups int
	// Waited is the time spent between polls, on the client's clock.
	Waited time.Duration
}

// InventoryCounts requests an inventory counts report, waits for it and
// returns its rows. The submit is a POST Goflow counts against 6 an hour
// and the day's record quota: when its answer is lost, the recent reports
// are searched for one with the same request before it is sent again.
// Format is forced to jsonl.
func (c *Client) InventoryCounts(ctx context.Context, req CountsRequest, po PollOptions) ([]CountsRow, *Report, ReportStats, error) {
	var st ReportStats
	po = po.withDefaults()
	req.Format = "jsonl"
	clock := c.kit.Clock()
	submitted := clock.Now()
	var created Created
	st.Submits++
	_, err := c.do(ctx, call{ep: EpCountsReport, body: req}, &created)
	if err != nil && Unanswered(err) {
		st.Lookups++
		id, found, ferr := c.findReport(ctx, req, submitted)
		if ferr != nil {
			return nil, nil, st, fmt.Errorf("%w; looking for the report it may have made: %w", err, ferr)
		}
		if found {
			created.ID, err = id, nil
		} else {
			st.Submits++
			_, err = c.do(ctx, call{ep: EpCountsReport, body: req}, &created)
		}
	}
	if err != nil {
		return nil, nil, st, fmt.Errorf("requesting the inventory counts report: %w", err)
	}
	wait := po.First
	var rep Report
	var startedWork time.Time
	for {
		st.Polls++
		if _, err := c.do(ctx, call{ep: EpReport, path: fmt.Sprintf("/reports/%d", created.ID)}, &rep); err != nil {
			return nil, nil, st, fmt.Errorf("polling report %d: %w", created.ID, err)
		}
		now := clock.Now()
		switch rep.Status {
		case "completed":
			if rep.Completed == nil || rep.Completed.FileURL == "" {
				return nil, &rep, st, fmt.Errorf("report %d is completed but names no file", rep.ID)
			}
			rows, err := c.download(ctx, rep.Completed.FileURL)
			st.Downloads++
			if err != nil {
				return nil, &rep, st, fmt.Errorf("downloading report %d: %w", rep.ID, err)
			}
			return rows, &rep, st, nil
		case "error":
			msg := "no message"
			if rep.Error != nil {
				msg = rep.Error.Message
			}
			return nil, &rep, st, fmt.Errorf("report %d failed in Goflow: %s", rep.ID, msg)
		case "queued":
			if now.Sub(submitted) > po.QueueTimeout {
				return nil, &rep, st, c.queuedTooLong(ctx, rep.ID, now.Sub(submitted))
			}
		case "processing":
			if startedWork.IsZero() {
				startedWork = now
			}
			if now.Sub(startedWork) > po.WorkTimeout {
				return nil, &rep, st, fmt.Errorf("report %d is still processing after %s", rep.ID, now.Sub(startedWork).Round(time.Second))
			}
		}
		if err := clock.Sleep(ctx, wait); err != nil {
			return nil, &rep, st, err
		}
		st.Waited += wait
		wait = min(wait*2, po.Max)
	}
}

// queuedTooLong explains a report stuck in the queue with the quota state.
func (c *Client) queuedTooLong(ctx context.Context, id int64, waited time.Duration) error {
	var q Quota
	msg := ""
	if _, err := c.do(ctx, call{ep: EpQuota, path: "/reports/quotas/inventory_counts"}, &q); err == nil {
		msg = fmt.Sprintf(": the daily quota has %d records left", q.Available)
		if q.Quota != nil {
			msg = fmt.Sprintf(": %d of the %d records a %s are used", q.Consumed, q.Quota.Allowance, q.Quota.PerPeriod)
		}
		if q.ReplenishesAt != nil {
			msg += ", replenished at " + FormatTime(q.ReplenishesAt.Time)
		}
	}
	return fmt.Errorf("report %d is still queued after %s%s; run the job again after the quota replenishes (the report stays queued in Goflow)", id, waited.Round(time.Second), msg)
}

// findReport looks for a report made by the request req at or after
// since (the first page of GET /reports, newest first).
func (c *Client) findReport(ctx context.Context, req CountsRequest, since time.Time) (int64, bool, error) {
	want, _ := json.Marshal(req)
	var wantV any
	json.Unmarshal(want, &wantV)
	var p page[Report]
	q := url.Values{"sort": {"id"}, "sort_direction": {"desc"}}
	if _, err := c.do(ctx, call{ep: EpReports, query: q}, &p); err != nil {
		return 0, false, err
	}
	for _, r := range p.Data {
		if r.Request == nil || r.Meta == nil || r.Meta.Created == nil || r.Meta.Created.At == nil {
			continue
		}
		if r.Meta.Created.At.Before(since.Add(-time.Minute)) {
			continue
		}
		var got any
		if json.Unmarshal(r.Request.Body, &got) == nil && reflect.DeepEqual(got, wantV) {
			return r.ID, true, nil
		}
	}
	return 0, false, nil
}

// download fetches a report file (jsonl) from its file_url, following the
// redirect to the download host without the token.
func (c *Client) download(ctx context.Context, fileURL string) ([]CountsRow, error) {
	u, err := url.Parse(fileURL)
	if err != nil || !u.IsAbs() {
		return nil, fmt.Errorf("file_url %q is not an absolute URL", fileURL)
	}
	resp, err := c.kit.Do(ctx, apikit.Request{URL: fileURL, Route: EpDownload.Route, Group: EpDownload.Group()})
	if err != nil {
		return nil, err
	}
	var rows []CountsRow
	sc := bufio.NewScanner(bytes.NewReader(resp.Body))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var r CountsRow
		if err := json.Unmarshal(line, &r); err != nil {
			return nil, fmt.Errorf("line %d of the report file: %w", n, err)
		}
		rows = append(rows, r)
	}
	return rows, sc.Err()
}
