package inflowsrc

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/etl-dev/etl/inflow"
	"github.com/etl-dev/etl/pipeline"
)

// categoryItem is a category with its path from the root.
type categoryItem struct {
	Category *category `json:"category"`
	Path     string    `json:"path"`
	Depth    int       `json:"depth"`
}

// CategoryPathSeparator joins category names in the path column.
const CategoryPathSeparator = " > "

// categoriesTable reads every category (a short list) and adds the path
// from the root, "Apparel > T-shirts", and the depth (0 for a root).
func categoriesTable() *table {
	c := (&cols[categoryItem]{}).
		path("category_id", "category.categoryId").
		path("name", "category.name").
		path("parent_category_id", "category.parentCategoryId").
		path("path", "path").
		path("depth", "depth").
		path("is_default", "category.isDefault").
		path("row_version", "category.timestamp")
	t := &table{entity: "categories", name: "categories", doc: "one row per category, with its path from the root", columns: c.columns(), paths: c.jsonPaths(), filters: noFilters}
	t.rows = func(ctx context.Context, r *run) iter.Seq2[pipeline.Record, error] {
		return func(yield func(pipeline.Record, error) bool) {
			all, err := r.client.Categories().All(ctx, r.listOptions(t))
			if err != nil {
				yield(pipeline.Record{}, err)
				return
			}
			byID := make(map[string]*category, len(all))
			for i := range all {
				byID[all[i].CategoryID] = &all[i]
			}
			for i := range all {
				item := categoryItem{Category: &all[i]}
				var names []string
				seen := map[string]bool{}
				for cat := &all[i]; cat != nil && !seen[cat.CategoryID]; {
					seen[cat.CategoryID] = true
					names = append([]string{deref(cat.Name)}, names...)
					if cat.ParentCategoryID == nil {
						break
					}
					cat = byID[*cat.ParentCategoryID]
				}
				item.Path, item.Depth = strings.Join(names, CategoryPathSeparator), len(names)-1
				origin := pipeline.Origin{File: "inflow categories " + cmp.Or(deref(all[i].Name), all[i].CategoryID)}
				vals, problems := c.values(&item, origin)
				if !yield(pipeline.Record{Origin: origin, Values: vals, Problems: problems}, nil) {
					return
				}
			}
		}
	}
	return t
}

// productRows lists products, incrementally when the run has a bookmark.
func productRows(t *table, c *cols[product]) func(ctx context.Context, r *run) iter.Seq2[pipeline.Record, error] {
	return func(ctx context.Context, r *run) iter.Seq2[pipeline.Record, error] {
		return func(yield func(pipeline.Record, error) bool) {
			opts := r.listOptions(t)
			if r.incr != nil {
				r.incr.apply(opts)
			}
			for p, err := range r.client.Products().List(ctx, opts) {
				if err != nil {
					yield(pipeline.Record{}, err)
					return
				}
				if r.incr != nil && !r.incr.keep(&p) {
					continue
				}
				origin := pipeline.Origin{File: "inflow products " + productLabel(&p)}
				vals, problems := c.values(&p, origin)
				if !yield(pipeline.Record{Origin: origin, Values: vals, Problems: problems}, nil) {
					return
				}
			}
			if r.incr != nil {
				r.incr.finish()
			}
		}
	}
}

// invItem is one (product, location) pair of the inventory snapshot.
type invItem struct {
	SnapshotAt time.Time              `json:"snapshotAt"`
	Product    *product               `json:"product"`
	Location   *location              `json:"location"`
	Summary    *inflow.ProductSummary `json:"summary"`
}

func inventoryCols() *cols[invItem] {
	c := (&cols[invItem]{}).
		path("snapshot_at", "snapshotAt").
		path("product_id", "product.productId").
		path("sku", "product.sku").
		path("product_name", "product.name").
		path("item_type", "product.itemType").
		path("is_active", "product.isActive").
		path("category_id", "product.categoryId").
		path("category_name", "product.category.name").
		path("standard_uom_name", "product.standardUomName").
		path("unit_cost", "product.cost.cost").
		path("location_id", "location.locationId").
		path("location_name", "location.name")
	c.paths("", "summary",
		"quantityOnHand", "quantityAvailable", "rawQuantityAvailable",
		"quantityReserved", "quantityReservedForSales", "quantityReservedForManufacturing",
		"quantityReservedForTransfers", "quantityReservedForBuilds", "quantityPicked",
		"quantityOnOrder", "quantityOnPurchaseOrder", "quantityOnWorkOrder", "quantityOnTransferOrder",
		"quantityInTransit", "quantityBuildable")
	return c
}

// inventoryTable is the snapshot of every stocked product at every chosen
// location: products are listed 100 a page, and their (product, location)
// pairs are sent to POST /products/summary 100 at a time, filling every
// request (pairs of one page wait for the next page to fill a batch). So N
// stocked products in L locations cost ceil(N/100) list requests plus
// ceil(N·L/100) summary requests, plus the one request that lists the
// locations.
func inventoryTable() *table {
	c := inventoryCols()
	t := &table{entity: "products", name: "inventory", columns: c.columns(), paths: c.jsonPaths(),
		doc:      "one row per stocked product and location with the inventory summary (on hand, available, reserved, on order, in transit, picked, ...)",
		includes: []string{"category", "cost"}, filters: productFilters, locations: true}
	t.rows = func(ctx context.Context, r *run) iter.Seq2[pipeline.Record, error] {
		return func(yield func(pipeline.Record, error) bool) {
			var pending []invItem // pairs waiting for their summary, in output order
			skipped := 0
			flush := func(n int) bool {
				for len(pending) >= n && len(pending) > 0 {
					batch := pending[:min(len(pending), inflow.MaxSummaryBatch)]
					pairs := make([]inflow.SummaryRequest, len(batch))
					for i, it := range batch {
						pairs[i] = inflow.SummaryRequest{ProductID: it.Product.ProductID, LocationID: it.Location.LocationID}
					}
					sums, err := r.client.ProductSummaries(ctx, pairs)
					if err == nil {
						err = matchSummaries(batch, sums)
					}
					if err != nil {
						yield(pipeline.Record{}, err)
						return false
					}
					r.summaryRequests.Add(1)
					for i := range batch {
						origin := pipeline.Origin{File: fmt.Sprintf("inflow products %s at %s", productLabel(batch[i].Product), cmp.Or(deref(batch[i].Location.Name), batch[i].Location.LocationID))}
						vals, problems := c.values(&batch[i], origin)
						if !yield(pipeline.Record{Origin: origin, Values: vals, Problems: problems}, nil) {
							return false
						}
					}
					pending = pending[len(batch):]
				}
				return true
			}
			for p, err := range r.client.Products().List(ctx, r.listOptions(t)) {
				if err != nil {
					yield(pipeline.Record{}, err)
					return
				}
				if p.ItemType == nil || !p.ItemType.Is(inflow.StockedProduct) {
					skipped++ // services and non-stocked products carry no stock
					continue
				}
				prod := p
				for i := range r.locations {
					pending = append(pending, invItem{SnapshotAt: r.started, Product: &prod, Location: &r.locations[i]})
				}
				if !flush(inflow.MaxSummaryBatch) {
					return
				}
			}
			if !flush(1) {
				return
			}
			if skipped > 0 {
				r.notef("inventory: %d services and non-stocked products left out (they carry no stock)", skipped)
			}
		}
	}
	return t
}

// matchSummaries puts each summary on its pair, by product and location;
// a pair inFlow did not answer is an error, never a row of zeros.
func matchSummaries(batch []invItem, sums []inflow.ProductSummary) error {
	type key struct{ product, location string }
	byKey := make(map[key]*inflow.ProductSummary, len(sums))
	for i := range sums {
		s := &sums[i]
		byKey[key{strings.ToLower(deref(s.ProductID)), strings.ToLower(deref(s.LocationID))}] = s
	}
	for i := range batch {
		k := key{strings.ToLower(batch[i].Product.ProductID), strings.ToLower(batch[i].Location.LocationID)}
		s, ok := byKey[k]
		if !ok {
			return fmt.Errorf("POST /products/summary answered %d summaries for %d pairs and none for product %s at location %s",
				len(sums), len(batch), k.product, k.location)
		}
		batch[i].Summary = s
	}
	return nil
}

// serialItem is one inventory line of a serialised product.
type serialItem struct {
	SnapshotAt time.Time             `json:"snapshotAt"`
	Product    *product              `json:"product"`
	Line       *inflow.InventoryLine `json:"line"`
	Location   *location             `json:"location"`
}

// serialsTable is the current snapshot of serial numbers: products with
// filter[trackSerials]=true and include=inventoryLines, one row per
// inventory line that carries a serial. inFlow keeps a serial's lines after
// it leaves (at zero), so a serial that moved has a row per place it has
// been; on_hand says where it is now.
func serialsTable() *table {
	c := (&cols[serialItem]{}).
		path("snapshot_at", "snapshotAt").
		path("serial", "line.serial").
		path("product_id", "product.productId").
		path("sku", "product.sku").
		path("product_name", "product.name").
		path("location_id", "line.locationId").
		path("location_name", "location.name").
		path("sublocation", "line.sublocation").
		path("quantity_on_hand", "line.quantityOnHand").
		fn("on_hand", pipeline.TypeBool, func(it *serialItem) any {
			return it.Line.QuantityOnHand != nil && it.Line.QuantityOnHand.IsPositive()
		}).
		path("lot_id", "line.lotId").
		path("inventory_line_id", "line.inventoryLineId")
	t := &table{entity: "products", name: "serials", columns: c.columns(), paths: c.jsonPaths(),
		doc:      "one row per serial number and place (location and sublocation) with whether it is on hand there now",
		includes: []string{"inventoryLines"}, filters: productFilters, locations: true}
	t.rows = func(ctx context.Context, r *run) iter.Seq2[pipeline.Record, error] {
		return func(yield func(pipeline.Record, error) bool) {
			opts := r.listOptions(t)
			opts.Filters["trackSerials"] = true
			blank := 0
			for p, err := range r.client.Products().List(ctx, opts) {
				if err != nil {
					yield(pipeline.Record{}, err)
					return
				}
				if p.TrackSerials == nil || !*p.TrackSerials {
					continue // an API that ignored the filter
				}
				for i := range p.InventoryLines {
					line := &p.InventoryLines[i]
					if deref(line.Serial) == "" {
						blank++
						continue
					}
					loc, ok := r.chosen[strings.ToLower(deref(line.LocationID))]
					if !ok && r.cfgLocations {
						continue
					}
					item := serialItem{SnapshotAt: r.started, Product: &p, Line: line, Location: loc}
					origin := pipeline.Origin{File: fmt.Sprintf("inflow products %s serial %s", productLabel(&p), deref(line.Serial))}
					vals, problems := c.values(&item, origin)
					if !yield(pipeline.Record{Origin: origin, Values: vals, Problems: problems}, nil) {
						return
					}
				}
			}
			if blank > 0 {
				r.notef("serials: %d inventory lines of serialised products carry no serial and were left out", blank)
			}
		}
	}
	return t
}

// movement is one serial number on one line of an order, adjustment or
// transfer.
type movement struct {
	Serial         string           `json:"serial"`
	ProductID      *string          `json:"productId"`
	DocumentType   string           `json:"documentType"`
	DocumentID     string           `json:"documentId"`
	DocumentNumber *string          `json:"documentNumber"`
	DocumentDate   *inflow.DateTime `json:"documentDate"`
	DocumentStatus *string          `json:"documentStatus"`
	IsCancelled    *bool            `json:"isCancelled"`
	PartyID        *string          `json:"partyId"`
	LineType       string           `json:"lineType"`
	LineID         string           `json:"lineId"`
	LineDate       *inflow.DateTime `json:"lineDate"`
	Quantity       *inflow.Decimal  `json:"quantity"`
	LocationID     *string          `json:"locationId"`
	Sublocation    *string          `json:"sublocation"`
	ToLocationID   *string          `json:"toLocationId"`
	ToSublocation  *string          `json:"toSublocation"`
}

// Document and line types of the serial_history table.
const (
	DocSalesOrder      = "sales_order"
	DocPurchaseOrder   = "purchase_order"
	DocStockAdjustment = "stock_adjustment"
	DocStockTransfer   = "stock_transfer"
)

func serialHistoryCols() *cols[movement] {
	c := &cols[movement]{}
	c.path("serial", "serial").
		path("product_id", "productId").
		path("document_type", "documentType").
		path("document_id", "documentId").
		path("document_number", "documentNumber").
		path("document_date", "documentDate").
		path("document_status", "documentStatus").
		path("is_cancelled", "isCancelled").
		path("party_id", "partyId").
		path("line_type", "lineType").
		path("line_id", "lineId").
		path("line_date", "lineDate").
		path("line_quantity", "quantity").
		path("location_id", "locationId").
		path("sublocation", "sublocation").
		path("to_location_id", "toLocationId").
		path("to_sublocation", "toSublocation")
	return c
}

func enumText[E ~string](e *E) *string {
	if e == nil {
		return nil
	}
	s := string(*e)
	return &s
}

func qty(q *inflow.QuantityWithUom) (*inflow.Decimal, []string) {
	if q == nil {
		return nil, nil
	}
	return q.StandardQuantity, q.SerialNumbers
}

// serialHistoryTable lists sales orders, purchase orders, stock transfers
// and stock adjustments with their lines (include=lines and the pick,
// restock, receive and unstock lines, which name where stock moved) and
// writes one row per serial number per line. It costs one list request per
// 100 documents of each kind.
func serialHistoryTable() *table {
	c := serialHistoryCols()
	t := &table{entity: "products", name: "serial_history", columns: c.columns(), paths: c.jsonPaths(),
		doc: "one row per serial number on a line of a sales order, purchase order, stock transfer or stock adjustment"}
	// emit writes one row per serial number of the line's quantity.
	emit := func(yield func(pipeline.Record, error) bool, m *movement, q *inflow.QuantityWithUom) bool {
		var serials []string
		m.Quantity, serials = qty(q)
		for _, sn := range serials {
			if strings.TrimSpace(sn) == "" {
				continue
			}
			m.Serial = sn
			origin := pipeline.Origin{File: fmt.Sprintf("inflow %s %s %s serial %s", m.DocumentType, cmp.Or(deref(m.DocumentNumber), m.DocumentID), m.LineType, sn)}
			vals, problems := c.values(m, origin)
			if !yield(pipeline.Record{Origin: origin, Values: vals, Problems: problems}, nil) {
				return false
			}
		}
		return true
	}
	t.rows = func(ctx context.Context, r *run) iter.Seq2[pipeline.Record, error] {
		return func(yield func(pipeline.Record, error) bool) {
			opts := func(include ...string) *inflow.ListOptions { return &inflow.ListOptions{Include: include} }
			for o, err := range r.client.SalesOrders().List(ctx, opts("lines", "pickLines", "restockLines")) {
				if err != nil {
					yield(pipeline.Record{}, err)
					return
				}
				base := movement{DocumentType: DocSalesOrder, DocumentID: o.SalesOrderID, DocumentNumber: o.OrderNumber,
					DocumentDate: o.OrderDate, DocumentStatus: enumText(o.InventoryStatus), IsCancelled: o.IsCancelled,
					PartyID: o.CustomerID, LocationID: o.LocationID}
				for _, l := range o.Lines {
					m := base
					m.LineType, m.LineID, m.ProductID = "line", l.SalesOrderLineID, l.ProductID
					if !emit(yield, &m, l.Quantity) {
						return
					}
				}
				for _, l := range o.PickLines {
					m := base
					m.LineType, m.LineID, m.ProductID, m.LineDate = "pick", l.SalesOrderPickLineID, l.ProductID, l.PickDate
					m.LocationID, m.Sublocation = l.LocationID, l.Sublocation
					if !emit(yield, &m, l.Quantity) {
						return
					}
				}
				for _, l := range o.RestockLines {
					m := base
					m.LineType, m.LineID, m.ProductID, m.LineDate = "restock", l.SalesOrderRestockLineID, l.ProductID, l.RestockDate
					m.LocationID, m.Sublocation = l.LocationID, l.Sublocation
					if !emit(yield, &m, l.Quantity) {
						return
					}
				}
			}
			for o, err := range r.client.PurchaseOrders().List(ctx, opts("lines", "receiveLines", "unstockLines")) {
				if err != nil {
					yield(pipeline.Record{}, err)
					return
				}
				base := movement{DocumentType: DocPurchaseOrder, DocumentID: o.PurchaseOrderID, DocumentNumber: o.OrderNumber,
					DocumentDate: o.OrderDate, DocumentStatus: enumText(o.InventoryStatus), IsCancelled: o.IsCancelled,
					PartyID: o.VendorID, LocationID: o.LocationID}
				for _, l := range o.Lines {
					m := base
					m.LineType, m.LineID, m.ProductID = "line", l.PurchaseOrderLineID, l.ProductID
					if !emit(yield, &m, l.Quantity) {
						return
					}
				}
				for _, l := range o.ReceiveLines {
					m := base
					m.LineType, m.LineID, m.ProductID, m.LineDate = "receive", l.PurchaseOrderReceiveLineID, l.ProductID, l.ReceiveDate
					m.LocationID, m.Sublocation = l.LocationID, l.Sublocation
					if !emit(yield, &m, l.Quantity) {
						return
					}
				}
				for _, l := range o.UnstockLines {
					m := base
					m.LineType, m.LineID, m.ProductID, m.LineDate = "unstock", l.PurchaseOrderUnstockLineID, l.ProductID, l.UnstockDate
					m.LocationID, m.Sublocation = l.LocationID, l.Sublocation
					if !emit(yield, &m, l.Quantity) {
						return
					}
				}
			}
			for tr, err := range r.client.StockTransfers().List(ctx, opts("lines")) {
				if err != nil {
					yield(pipeline.Record{}, err)
					return
				}
				for _, l := range tr.Lines {
					m := movement{DocumentType: DocStockTransfer, DocumentID: tr.StockTransferID, DocumentNumber: tr.TransferNumber,
						DocumentDate: tr.TransferDate, DocumentStatus: enumText(tr.Status), IsCancelled: tr.IsCancelled,
						LineType: "line", LineID: l.StockTransferLineID, ProductID: l.ProductID,
						LocationID: tr.FromLocationID, Sublocation: l.FromSublocation, ToLocationID: tr.ToLocationID, ToSublocation: l.ToSublocation}
					if !emit(yield, &m, l.Quantity) {
						return
					}
				}
			}
			for a, err := range r.client.StockAdjustments().List(ctx, opts("lines")) {
				if err != nil {
					yield(pipeline.Record{}, err)
					return
				}
				for _, l := range a.Lines {
					m := movement{DocumentType: DocStockAdjustment, DocumentID: a.StockAdjustmentID, DocumentNumber: a.AdjustmentNumber,
						DocumentDate: a.Date, IsCancelled: a.IsCancelled,
						LineType: "line", LineID: l.StockAdjustmentLineID, ProductID: l.ProductID,
						LocationID: a.LocationID, Sublocation: l.Sublocation}
					if !emit(yield, &m, l.Quantity) {
						return
					}
				}
			}
		}
	}
	return t
}
