package goflow

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/etl-dev/etl/internal/apikit"
)

// ListOptions narrow and order a list.
type ListOptions struct {
	// Filters in Goflow's syntax; checked against the endpoint's catalogue
	// before any request.
	Filters Filters
	// Sort is one of the endpoint's sort fields ("" for the API's order);
	// Desc sorts descending.
	Sort string
	Desc bool
}

// Query is the first page's query string of a list with o.
func (o ListOptions) Query() url.Values {
	q := url.Values{}
	for k, vs := range o.Filters {
		for _, v := range vs {
			q.Add("filters["+k+"]", strings.TrimSpace(v))
		}
	}
	if o.Sort != "" {
		q.Set("sort", o.Sort)
		if o.Desc {
			q.Set("sort_direction", "desc")
		} else {
			q.Set("sort_direction", "asc")
		}
	}
	return q
}

// Check tells whether o fits ep: known filters and operators, a documented
// sort field.
func (o ListOptions) Check(ep *Endpoint) error {
	var errs []error
	if err := ep.CheckFilters(o.Filters); err != nil {
		errs = append(errs, err)
	}
	if o.Sort != "" && !slices.Contains(ep.Sorts, o.Sort) {
		errs = append(errs, fmt.Errorf("%s cannot be sorted by %q: use one of %s", ep.Route, o.Sort, strings.Join(ep.Sorts, ", ")))
	}
	return errors.Join(errs...)
}

// page is the list envelope.
type page[T any] struct {
	Data []T    `json:"data"`
	Next string `json:"next"`
}

// List iterates over the records of a list endpoint, page by page: the
// first page from ep.Route with o's query, each next page from the
// envelope's next URL exactly as the server gave it (it keeps the filters
// and sort; the page size is the server's). key names a record; a record
// whose key was already yielded (a page boundary that moved) is skipped,
// so no record comes twice. A next URL on another host than the base URL
// is refused, so the token is never sent elsewhere. The first error ends
// the iteration.
func List[T any](ctx context.Context, c *Client, ep *Endpoint, o ListOptions, key func(*T) string) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if err := o.Check(ep); err != nil {
			yield(zero, err)
			return
		}
		base, _ := url.Parse(c.BaseURL())
		seen := map[string]bool{}
		k := call{ep: ep, query: o.Query()}
		for pages := 1; ; pages++ {
			var p page[T]
			if _, err := c.do(ctx, k, &p); err != nil {
				yield(zero, err)
				return
			}
			for i := range p.Data {
				id := key(&p.Data[i])
				if seen[id] {
					continue
				}
				seen[id] = true
				if !yield(p.Data[i], nil) {
					return
				}
			}
			if p.Next == "" {
				return
			}
			next, err := url.Parse(p.Next)
			if err != nil || !next.IsAbs() || !apikit.SameHost(next, base) {
				yield(zero, fmt.Errorf("goflow: GET %s: the next page's URL is not on %s: refusing to follow it", ep.Route, base.Host))
				return
			}
			if len(p.Data) == 0 {
				yield(zero, fmt.Errorf("goflow: GET %s: page %d is empty but names a next page", ep.Route, pages))
				return
			}
			k = call{ep: ep, url: p.Next}
		}
	}
}

func idKey(id int64) string { return strconv.FormatInt(id, 10) }

// Typed lists.

func (c *Client) Orders(ctx context.Context, o ListOptions) iter.Seq2[Order, error] {
	return List(ctx, c, EpOrders, o, func(v *Order) string { return idKey(v.ID) })
}

func (c *Client) PurchaseOrders(ctx context.Context, o ListOptions) iter.Seq2[PurchaseOrder, error] {
	return List(ctx, c, EpPurchaseOrders, o, func(v *PurchaseOrder) string { return idKey(v.ID) })
}

func (c *Client) Receipts(ctx context.Context, o ListOptions) iter.Seq2[Receipt, error] {
	return List(ctx, c, EpReceipts, o, func(v *Receipt) string { return idKey(v.ID) })
}

func (c *Client) Products(ctx context.Context, o ListOptions) iter.Seq2[Product, error] {
	return List(ctx, c, EpProducts, o, func(v *Product) string { return idKey(v.ID) })
}

func (c *Client) Adjustments(ctx context.Context, o ListOptions) iter.Seq2[Adjustment, error] {
	return List(ctx, c, EpAdjustments, o, func(v *Adjustment) string { return idKey(v.ID) })
}

func (c *Client) Transfers(ctx context.Context, o ListOptions) iter.Seq2[Transfer, error] {
	return List(ctx, c, EpTransfers, o, func(v *Transfer) string { return idKey(v.ID) })
}

func (c *Client) Warehouses(ctx context.Context, o ListOptions) iter.Seq2[Warehouse, error] {
	return List(ctx, c, EpWarehouses, o, func(v *Warehouse) string { return v.ID })
}

func (c *Client) Vendors(ctx context.Context, o ListOptions) iter.Seq2[Vendor, error] {
	return List(ctx, c, EpVendors, o, func(v *Vendor) string { return idKey(v.ID) })
}

func (c *Client) Stores(ctx context.Context, o ListOptions) iter.Seq2[Store, error] {
	return List(ctx, c, EpStores, o, func(v *Store) string { return idKey(v.ID) })
}

func (c *Client) Listings(ctx context.Context, o ListOptions) iter.Seq2[Listing, error] {
	return List(ctx, c, EpListings, o, func(v *Listing) string { return v.InternalID })
}

// Writes. None of Goflow's creates takes an idempotency key: a create
// whose answer is lost may or may not have happened. Unanswered tells
// such failures apart; the caller looks the record up by its natural key
// before trying again, and never repeats a create blindly.

// Unanswered reports whether err leaves a write's outcome unknown: no
// answer came (a timeout, a dropped connection), or a 5xx or 409 came
// that does not say the request was not processed.
func Unanswered(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	st := Status(err)
	return st == 0 || st >= 500 || st == http.StatusConflict
}

// CreateProduct creates a product; it answers the new id.
func (c *Client) CreateProduct(ctx context.Context, p *NewProduct) (Created, error) {
	var out Created
	_, err := c.do(ctx, call{ep: EpCreateProduct, body: p}, &out)
	return out, err
}

// PatchPricing updates the pricing fields set in p (a partial update: nil
// fields are left alone). It is idempotent.
func (c *Client) PatchPricing(ctx context.Context, productID int64, p *Pricing) error {
	_, err := c.do(ctx, call{ep: EpPricing, path: "/products/" + idKey(productID) + "/pricing", body: p}, nil)
	return err
}

// CreateAdjustment posts an inventory adjustment. changed is false when
// Goflow answered 204: an absolute adjustment in which every line already
// had its quantity, so no document was made.
func (c *Client) CreateAdjustment(ctx context.Context, a *NewAdjustment) (out Created, changed bool, err error) {
	st, err := c.do(ctx, call{ep: EpCreateAdjustment, body: a}, &out)
	return out, err == nil && st != http.StatusNoContent, err
}

// CreatePurchaseOrder creates a purchase order.
func (c *Client) CreatePurchaseOrder(ctx context.Context, po *NewPurchaseOrder) (Created, error) {
	var out Created
	_, err := c.do(ctx, call{ep: EpCreatePurchaseOrder, body: map[string]any{"purchase_order": po}}, &out)
	return out, err
}

// Adjustment reads one adjustment.
func (c *Client) Adjustment(ctx context.Context, id int64) (*Adjustment, error) {
	var a Adjustment
	if _, err := c.do(ctx, call{ep: EpAdjustment, path: "/inventory/adjustments/" + idKey(id)}, &a); err != nil {
		return nil, err
	}
	return &a, nil
}
