package goflow

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/etl-dev/etl/internal/suggest"
)

// Kind is the type of a filterable field; it decides the operators the
// field takes.
type Kind int

// Field kinds.
const (
	KindInt    Kind = iota // int64 ids and numbers
	KindString             // free text
	KindEnum               // open-ended enumerations
	KindUUID               // UUID ids
	KindTime               // date-times, sent as RFC 3339 in UTC
	KindBool
)

// Operators lists the filter operators a kind of field takes. The docs
// name seven operators (eq, not, exists, gt, lt, gte, lte) and say support
// "varies by endpoint and field type"; the copy of the docs lost the
// per-endpoint tables, so the operators here follow the field's type.
func (k Kind) Operators() []string {
	switch k {
	case KindInt, KindTime:
		return []string{"eq", "not", "gt", "lt", "gte", "lte", "exists"}
	case KindString:
		return []string{"eq", "not", "exists"}
	case KindBool:
		return []string{"eq"}
	default:
		return []string{"eq", "not"}
	}
}

// Endpoint is one API endpoint with its documented limit and, for lists,
// the filters and sort fields it takes.
type Endpoint struct {
	Method, Route string
	// PerMinute or PerHour is the documented limit.
	PerMinute, PerHour int
	// Filters maps a filterable field (dot notation) to its kind.
	Filters map[string]Kind
	// Sorts are the documented sort fields.
	Sorts []string
}

// Group is the limiter group of the endpoint: its method and route.
// Goflow states a limit on each endpoint and does not say whether
// endpoints share one, so each is kept on its own.
func (e *Endpoint) Group() string { return e.Method + " " + e.Route }

// The endpoints the client uses. Limits are as documented on each
// endpoint. Paths follow the research notes
// (shared/reference/goflow-inventora-notes.md §A3): those seen in public
// code, and for the rest the notes' reconstruction (see docs/goflow.md).
var (
	EpOrders = &Endpoint{Method: "GET", Route: "/orders", PerMinute: 60,
		Sorts: []string{"id", "order_number", "date", "status_updated_at", "external_transactions.store_shipment_notification.sent_at"},
		Filters: map[string]Kind{"id": KindInt, "order_number": KindString, "date": KindTime, "status": KindEnum,
			"status_updated_at": KindTime, "source": KindEnum, "fulfilled_by": KindEnum, "store.id": KindInt,
			"warehouse.id": KindUUID, "invoice_number": KindString, "purchase_order_number": KindString,
			"original_order_id": KindInt, "shipment.shipped_at": KindTime,
			"external_transactions.store_shipment_notification.sent_at": KindTime,
			"external_transactions.store_invoice.sent_at":               KindTime,
			"external_transactions.accounting_invoice.sent_at":          KindTime}}
	EpPurchaseOrders = &Endpoint{Method: "GET", Route: "/purchasing/purchase-orders", PerMinute: 60,
		Sorts: []string{"id", "purchase_order_number", "date"},
		Filters: map[string]Kind{"id": KindInt, "purchase_order_number": KindString, "date": KindTime, "status": KindEnum,
			"type": KindEnum, "vendor.id": KindInt, "warehouse.id": KindUUID}}
	EpCreatePurchaseOrder = &Endpoint{Method: "POST", Route: "/purchasing/purchase-orders", PerMinute: 30}
	EpReceipts            = &Endpoint{Method: "GET", Route: "/purchasing/receipts", PerMinute: 60,
		Sorts: []string{"id", "reference_number", "date", "vendor.id", "warehouse.id"},
		Filters: map[string]Kind{"id": KindInt, "reference_number": KindString, "date": KindTime, "status": KindEnum,
			"vendor.id": KindInt, "warehouse.id": KindUUID}}
	EpProducts = &Endpoint{Method: "GET", Route: "/products", PerMinute: 60,
		Sorts: []string{"id", "item_number", "details.brand", "details.category", "details.condition"},
		Filters: map[string]Kind{"id": KindInt, "item_number": KindString, "type": KindEnum, "status": KindEnum,
			"details.brand": KindString, "details.category": KindString, "details.condition": KindString,
			"details.manufacturer": KindString}}
	EpCreateProduct = &Endpoint{Method: "POST", Route: "/products", PerMinute: 30}
	EpPricing       = &Endpoint{Method: "PATCH", Route: "/products/{id}/pricing", PerMinute: 30}
	EpAdjustments   = &Endpoint{Method: "GET", Route: "/inventory/adjustments", PerMinute: 60,
		Sorts:   []string{"id"},
		Filters: map[string]Kind{"id": KindInt, "created_at": KindTime, "reference_number": KindString, "warehouse.id": KindUUID}}
	EpCreateAdjustment = &Endpoint{Method: "POST", Route: "/inventory/adjustments", PerMinute: 30}
	EpAdjustment       = &Endpoint{Method: "GET", Route: "/inventory/adjustments/{id}", PerMinute: 60}
	EpTransfers        = &Endpoint{Method: "GET", Route: "/transfers", PerMinute: 60,
		Sorts: []string{"id", "reference_number", "external_id", "date"},
		Filters: map[string]Kind{"id": KindInt, "reference_number": KindString, "external_id": KindString, "date": KindTime,
			"status": KindEnum, "warehouses.from.id": KindUUID, "warehouses.to.id": KindUUID}}
	EpWarehouses = &Endpoint{Method: "GET", Route: "/warehouses", PerMinute: 60,
		Sorts: []string{"name", "type"}, Filters: map[string]Kind{"id": KindUUID, "name": KindString, "type": KindEnum}}
	EpVendors = &Endpoint{Method: "GET", Route: "/vendors", PerMinute: 60,
		Sorts: []string{"id", "name"}, Filters: map[string]Kind{"id": KindInt, "name": KindString, "status": KindEnum}}
	EpStores = &Endpoint{Method: "GET", Route: "/stores", PerMinute: 60,
		Sorts: []string{"id", "name"}, Filters: map[string]Kind{"id": KindInt, "name": KindString, "channel": KindEnum, "status": KindEnum}}
	EpListings = &Endpoint{Method: "GET", Route: "/listings", PerMinute: 60,
		Sorts: []string{"store_provided_id", "sku", "store.id", "product.id"},
		Filters: map[string]Kind{"store_provided_id": KindString, "sku": KindString, "store.id": KindInt, "product.id": KindInt,
			"status": KindEnum, "fulfilled_by": KindEnum}}
	EpReports      = &Endpoint{Method: "GET", Route: "/reports", PerMinute: 60, Sorts: []string{"id"}, Filters: map[string]Kind{"id": KindInt, "status": KindEnum}}
	EpReport       = &Endpoint{Method: "GET", Route: "/reports/{id}", PerMinute: 60}
	EpCountsReport = &Endpoint{Method: "POST", Route: "/reports/inventory/counts", PerHour: 6}
	EpQuota        = &Endpoint{Method: "GET", Route: "/reports/quotas/{type}", PerMinute: 60}
	// EpDownload is the report file (file_url and the download host it
	// redirects to): no limit is documented for it.
	EpDownload = &Endpoint{Method: "GET", Route: "{file_url}"}
)

// Endpoints lists every endpoint the client knows, for plans and docs.
func Endpoints() []*Endpoint {
	return []*Endpoint{EpOrders, EpPurchaseOrders, EpCreatePurchaseOrder, EpReceipts, EpProducts, EpCreateProduct, EpPricing,
		EpAdjustments, EpCreateAdjustment, EpAdjustment, EpTransfers, EpWarehouses, EpVendors, EpStores, EpListings,
		EpReports, EpReport, EpCountsReport, EpQuota, EpDownload}
}

// Filters are list filters in Goflow's own syntax: the key is a field
// (dot notation for nested ones) optionally followed by ":operator"
// ("status", "date:gte", "store.id"); several values of one key are ORed,
// different keys ANDed.
type Filters map[string][]string

// Set replaces the values of key.
func (f Filters) Set(key string, values ...string) { f[key] = values }

// CheckFilters tells whether every key of f is a field e documents with an
// operator its type takes, and every value fits the type. The error names
// each bad key with the closest valid one.
func (e *Endpoint) CheckFilters(f Filters) error {
	var errs []string
	fields := slices.Sorted(maps.Keys(e.Filters))
	for _, key := range slices.Sorted(maps.Keys(f)) {
		field, op, hasOp := strings.Cut(key, ":")
		if !hasOp {
			op = "eq"
		}
		kind, ok := e.Filters[field]
		if !ok {
			h := suggest.Hint(field, fields)
			if h != "" {
				h = " (" + h + ")"
			}
			errs = append(errs, fmt.Sprintf("%s has no filter %q%s; its filters are %s", e.Route, field, h, strings.Join(fields, ", ")))
			continue
		}
		if !slices.Contains(kind.Operators(), op) {
			errs = append(errs, fmt.Sprintf("filter %q: %s takes the operators %s, not %q", key, field, strings.Join(kind.Operators(), ", "), op))
			continue
		}
		if len(f[key]) == 0 {
			errs = append(errs, fmt.Sprintf("filter %q has no value", key))
		}
		for _, v := range f[key] {
			if msg := checkFilterValue(kind, op, v); msg != "" {
				errs = append(errs, fmt.Sprintf("filter %q: %s", key, msg))
			}
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("filters: %s", strings.Join(errs, "; "))
}

func checkFilterValue(kind Kind, op, v string) string {
	v = strings.TrimSpace(v)
	if op == "exists" {
		if v != "true" && v != "false" {
			return fmt.Sprintf("exists takes true or false, not %q", v)
		}
		return ""
	}
	switch kind {
	case KindInt:
		for i, r := range v {
			if (r < '0' || r > '9') && !(i == 0 && r == '-') {
				return fmt.Sprintf("%q is not an integer", v)
			}
		}
		if v == "" || v == "-" {
			return "the value is empty"
		}
	case KindTime:
		if _, err := ParseTime(v); err != nil || !strings.Contains(v, "T") {
			return fmt.Sprintf("%q is not a date-time such as 2025-01-31T18:30:20Z (Goflow wants UTC with date and time)", v)
		}
	case KindBool:
		if v != "true" && v != "false" {
			return fmt.Sprintf("%q is not true or false", v)
		}
	}
	return ""
}
