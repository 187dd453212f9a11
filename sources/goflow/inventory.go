package goflowsrc

import (
	"context"
	"fmt"
	"iter"

	"github.com/etl-dev/etl/goflow"
	"github.com/etl-dev/etl/pipeline"
)

// inventoryTable is the stock snapshot: one row per product × warehouse
// from the inventory counts report (zeros included), groups left out.
func inventoryTable() *table {
	cols := []column[goflow.CountsRow]{
		computed("product_id", pipeline.TypeInteger, func(r *goflow.CountsRow) any { return r.ProductID }),
		computed("product_item_number", pipeline.TypeString, func(r *goflow.CountsRow) any { return r.ProductItemNumber }),
		computed("product_name", pipeline.TypeString, func(r *goflow.CountsRow) any { return deref(r.ProductName) }),
		computed("warehouse_name", pipeline.TypeString, func(r *goflow.CountsRow) any { return r.WarehouseName }),
		computed("on_hand", pipeline.TypeDecimal, func(r *goflow.CountsRow) any { return dec(r.OnHand) }),
		computed("available", pipeline.TypeDecimal, func(r *goflow.CountsRow) any { return dec(r.Available) }),
		computed("on_purchase_order", pipeline.TypeDecimal, func(r *goflow.CountsRow) any { return dec(r.OnPurchaseOrder) }),
	}
	t := &table{entity: "inventory", name: "snapshot", ep: goflow.EpCountsReport, columns: pipelineColumns(cols),
		paths: goflow.CountsColumns,
		doc:   "one row per product and warehouse from the inventory counts report (zeros included, group products left out)"}
	t.rows = func(ctx context.Context, r *run) iter.Seq2[pipeline.Record, error] {
		return func(yield func(pipeline.Record, error) bool) {
			// Groups hold no stock; the report's rows for them, should
			// Goflow send any, are left out. Listing them costs a request
			// per page of groups.
			groups := map[int64]bool{}
			for p, err := range r.client.Products(ctx, goflow.ListOptions{Filters: goflow.Filters{"type": {"group"}}}) {
				if err != nil {
					yield(pipeline.Record{}, fmt.Errorf("listing group products: %w", err))
					return
				}
				groups[p.ID] = true
			}
			req := goflow.CountsRequest{Columns: goflow.CountsColumns, Limit: r.cfg.Limit,
				OrderBy: []goflow.ReportOrder{{Field: "product_item_number", Direction: "asc"}, {Field: "warehouse_name", Direction: "asc"}},
				Options: &struct {
					IncludeZeros bool `json:"include_zeros"`
				}{IncludeZeros: true}}
			if len(r.cfg.Warehouses) > 0 {
				req.Filters = map[string]goflow.ReportFilter{"warehouse_name": {Values: r.cfg.Warehouses, Operator: "in"}}
			}
			var po goflow.PollOptions
			if r.cfg.ReportTimeout != nil {
				po.QueueTimeout = r.cfg.ReportTimeout.Duration
			}
			rows, rep, st, err := r.client.InventoryCounts(ctx, req, po)
			if err != nil {
				yield(pipeline.Record{}, err)
				return
			}
			left := 0
			for i := range rows {
				row := &rows[i]
				if groups[row.ProductID] {
					left++
					continue
				}
				rec := pipeline.Record{Origin: pipeline.Origin{File: fmt.Sprintf("goflow inventory report %d: %s at %s", rep.ID, row.ProductItemNumber, row.WarehouseName)},
					Values: values(cols, row)}
				if !yield(rec, nil) {
					return
				}
			}
			r.notef("inventory: report %d, %d rows (%d of group products left out); %d submit, %d polls, %d download",
				rep.ID, len(rows), left, st.Submits, st.Polls, st.Downloads)
		}
	}
	return t
}

func deref(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

func dec(d *goflow.Decimal) any {
	if d == nil {
		return nil
	}
	return d.Decimal
}
