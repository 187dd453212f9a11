package goflowsrc

import (
	"context"
	"fmt"
	"iter"
	"strconv"

	"github.com/etl-dev/etl/goflow"
	"github.com/etl-dev/etl/pipeline"
)

func id(n int64) string { return strconv.FormatInt(n, 10) }

// chargeRow is one charge, tax or cost of an order line, for the
// line_charges table.
type chargeRow struct {
	order *goflow.Order
	line  *goflow.OrderLine
	kind  string
	c     *goflow.Charge
}

func init() {
	orders := lister[goflow.Order]((*goflow.Client).Orders)
	orderLabel := func(o *goflow.Order) string { return o.OrderNumber + " (id " + id(o.ID) + ")" }
	orderCols := flatten[goflow.Order]("")
	orderParent := rename(pick(orderCols, "id", "order_number"), map[string]string{"id": "order_id"})
	lineCols_ := flatten[goflow.OrderLine]("")
	ordersHeaders := headerTable("orders", "headers", "one row per sales order", goflow.EpOrders, orders, orderLabel, orderCols)
	ordersLines := linesTable("orders", "lines", "one row per order line, with the order's id and number; a line of an unmapped listing has null product columns",
		goflow.EpOrders, orders, func(o *goflow.Order) []goflow.OrderLine { return o.Lines }, orderLabel,
		append(parentCols[goflow.Order, goflow.OrderLine](orderParent), lineCols[goflow.Order](lineCols_)...))
	ordersBoxes := linesTable("orders", "boxes", "one row per packed shipment box of an order (its id is a UUID), with the order's id and number",
		goflow.EpOrders, orders, func(o *goflow.Order) []goflow.Box {
			if o.Shipment == nil {
				return nil
			}
			return o.Shipment.Boxes
		}, orderLabel,
		append(parentCols[goflow.Order, goflow.Box](orderParent), lineCols[goflow.Order](flatten[goflow.Box](""))...))
	ordersHeaders.incremental, ordersLines.incremental, ordersBoxes.incremental = true, true, true
	register(ordersHeaders, ordersLines, lineChargesTable(orders, orderLabel), ordersBoxes)

	pos := lister[goflow.PurchaseOrder]((*goflow.Client).PurchaseOrders)
	poLabel := func(p *goflow.PurchaseOrder) string { return p.PurchaseOrderNumber + " (id " + id(p.ID) + ")" }
	poCols := flatten[goflow.PurchaseOrder]("")
	poParent := rename(pick(poCols, "id", "purchase_order_number"), map[string]string{"id": "purchase_order_id"})
	register(
		headerTable("purchase-orders", "headers", "one row per purchase order", goflow.EpPurchaseOrders, pos, poLabel, poCols),
		linesTable("purchase-orders", "lines", "one row per purchase order line", goflow.EpPurchaseOrders, pos,
			func(p *goflow.PurchaseOrder) []goflow.PurchaseOrderLine { return p.Lines }, poLabel,
			append(parentCols[goflow.PurchaseOrder, goflow.PurchaseOrderLine](poParent), lineCols[goflow.PurchaseOrder](flatten[goflow.PurchaseOrderLine](""))...)),
	)

	receipts := lister[goflow.Receipt]((*goflow.Client).Receipts)
	rcLabel := func(r *goflow.Receipt) string { return "receipt " + id(r.ID) }
	rcCols := flatten[goflow.Receipt]("")
	rcParent := rename(pick(rcCols, "id", "reference_number"), map[string]string{"id": "receipt_id", "reference_number": "receipt_reference_number"})
	register(
		headerTable("receipts", "headers", "one row per receipt", goflow.EpReceipts, receipts, rcLabel, rcCols),
		linesTable("receipts", "lines", "one row per receipt line", goflow.EpReceipts, receipts,
			func(r *goflow.Receipt) []goflow.ReceiptLine { return r.Lines }, rcLabel,
			append(parentCols[goflow.Receipt, goflow.ReceiptLine](rcParent), lineCols[goflow.Receipt](flatten[goflow.ReceiptLine](""))...)),
	)

	adjs := lister[goflow.Adjustment]((*goflow.Client).Adjustments)
	adjLabel := func(a *goflow.Adjustment) string { return "adjustment " + id(a.ID) }
	adjCols := flatten[goflow.Adjustment]("")
	adjParent := rename(pick(adjCols, "id", "reference_number"), map[string]string{"id": "adjustment_id", "reference_number": "adjustment_reference_number"})
	adjLines := append(parentCols[goflow.Adjustment, goflow.AdjustmentLine](adjParent),
		computed("line_number", pipeline.TypeInteger, func(c *child[goflow.Adjustment, goflow.AdjustmentLine]) any { return int64(c.N) }))
	register(
		headerTable("adjustments", "headers", "one row per inventory adjustment", goflow.EpAdjustments, adjs, adjLabel, adjCols),
		linesTable("adjustments", "lines", "one row per adjustment line (the relative change made, also for absolute adjustments); line_number is its position, as lines have no id",
			goflow.EpAdjustments, adjs, func(a *goflow.Adjustment) []goflow.AdjustmentLine { return a.Lines }, adjLabel,
			append(adjLines, lineCols[goflow.Adjustment](flatten[goflow.AdjustmentLine](""))...)),
	)

	trs := lister[goflow.Transfer]((*goflow.Client).Transfers)
	trLabel := func(t *goflow.Transfer) string { return "transfer " + id(t.ID) }
	trCols := flatten[goflow.Transfer]("")
	trParent := rename(pick(trCols, "id", "reference_number"), map[string]string{"id": "transfer_id", "reference_number": "transfer_reference_number"})
	register(
		headerTable("transfers", "headers", "one row per warehouse transfer", goflow.EpTransfers, trs, trLabel, trCols),
		linesTable("transfers", "lines", "one row per transfer line", goflow.EpTransfers, trs,
			func(t *goflow.Transfer) []goflow.TransferLine { return t.Lines }, trLabel,
			append(parentCols[goflow.Transfer, goflow.TransferLine](trParent), lineCols[goflow.Transfer](flatten[goflow.TransferLine](""))...)),
	)

	register(headerTable("products", "products", "one row per product (standard, group or kit)", goflow.EpProducts,
		lister[goflow.Product]((*goflow.Client).Products), func(p *goflow.Product) string { return p.ItemNumber }, flatten[goflow.Product]("")))
	register(headerTable("warehouses", "warehouses", "one row per warehouse", goflow.EpWarehouses,
		lister[goflow.Warehouse]((*goflow.Client).Warehouses), func(w *goflow.Warehouse) string { return w.Name }, flatten[goflow.Warehouse]("")))
	register(headerTable("vendors", "vendors", "one row per vendor", goflow.EpVendors,
		lister[goflow.Vendor]((*goflow.Client).Vendors), func(v *goflow.Vendor) string { return v.Name }, flatten[goflow.Vendor]("")))
	register(headerTable("stores", "stores", "one row per connected store", goflow.EpStores,
		lister[goflow.Store]((*goflow.Client).Stores), func(s *goflow.Store) string { return s.Name }, flatten[goflow.Store]("")))
	register(headerTable("listings", "listings", "one row per store listing; a listing not mapped to a product has null product columns", goflow.EpListings,
		lister[goflow.Listing]((*goflow.Client).Listings), func(l *goflow.Listing) string { return l.InternalID }, flatten[goflow.Listing]("")))
	register(inventoryTable())
}

// lineChargesTable is orders/line_charges: one row per charge, tax and
// cost of every line.
func lineChargesTable(orders lister[goflow.Order], label func(*goflow.Order) string) *table {
	cols := []column[chargeRow]{
		computed("order_id", pipeline.TypeInteger, func(r *chargeRow) any { return r.order.ID }),
		computed("order_number", pipeline.TypeString, func(r *chargeRow) any { return r.order.OrderNumber }),
		computed("line_id", pipeline.TypeString, func(r *chargeRow) any { return r.line.ID }),
		computed("kind", pipeline.TypeString, func(r *chargeRow) any { return r.kind }),
		computed("type", pipeline.TypeString, func(r *chargeRow) any { return r.c.Type }),
		computed("amount", pipeline.TypeDecimal, func(r *chargeRow) any {
			if r.c.Amount == nil {
				return nil
			}
			return r.c.Amount.Decimal
		}),
		computed("currency_code", pipeline.TypeString, func(r *chargeRow) any {
			if r.c.Currency == nil || r.c.Currency.Code == nil {
				return nil
			}
			return *r.c.Currency.Code
		}),
	}
	paths := []string{"id", "order_number", "lines.id", "", "lines.{charges,taxes,costs}.type", "lines.{charges,taxes,costs}.amount", "lines.{charges,taxes,costs}.currency.code"}
	t := &table{entity: "orders", name: "line_charges", ep: goflow.EpOrders, columns: pipelineColumns(cols), paths: paths, incremental: true,
		doc: "one row per charge, tax and cost of every order line (kind charge, tax or cost), amounts as Goflow sends them"}
	t.rows = func(ctx context.Context, r *run) iter.Seq2[pipeline.Record, error] {
		return func(yield func(pipeline.Record, error) bool) {
			for o, err := range orders(r.client, ctx, r.listOptions()) {
				if err != nil {
					yield(pipeline.Record{}, err)
					return
				}
				if !r.keep(&o) {
					continue
				}
				for li := range o.Lines {
					l := &o.Lines[li]
					for _, k := range []struct {
						kind string
						cs   []goflow.Charge
					}{{"charge", l.Charges}, {"tax", l.Taxes}, {"cost", l.Costs}} {
						for ci := range k.cs {
							row := chargeRow{order: &o, line: l, kind: k.kind, c: &k.cs[ci]}
							rec := pipeline.Record{Origin: pipeline.Origin{File: fmt.Sprintf("goflow orders %s line %d %s %d", label(&o), li+1, k.kind, ci+1)}, Values: values(cols, &row)}
							if !yield(rec, nil) {
								return
							}
						}
					}
				}
			}
			r.finish()
		}
	}
	return t
}
