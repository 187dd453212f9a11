package goflowsink

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/etl-dev/etl/goflow"
	"github.com/etl-dev/etl/pipeline"
	"github.com/etl-dev/etl/sinks/apisink"
)

// products creates the item numbers Goflow does not have and patches the
// pricing of those it has where a price differs. Goflow's API has no
// general product update: a row that would change anything else of an
// existing product is rejected, saying so.
type products struct {
	s  *sink
	ix *index
}

var (
	minPrice = decimal.New(1, -2)
	maxPrice = decimal.NewFromInt(1_000_000)
)

// detailFields are the product details a row may set on a new product.
var detailFields = []string{"name", "description", "brand", "manufacturer", "category", "condition"}

var priceFields = []string{"default_cost", "default_price", "msrp", "map"}

func (pr *products) write(ctx context.Context, rows []pipeline.Row) *pipeline.BatchError {
	s := pr.s
	be := &pipeline.BatchError{Failed: map[int]pipeline.Problem{}}
	if pr.ix == nil {
		pr.ix = &index{}
		if err := s.loadProducts(ctx, pr.ix); err != nil {
			s.fatal = err
			return nil
		}
	}
	for i := range rows {
		if ctx.Err() != nil {
			return be
		}
		o, p := pr.row(ctx, rows[i])
		if p != nil {
			be.Failed[i] = *p
			continue
		}
		if s.fatal != nil {
			return be
		}
		rows[i].Outcome = o
		s.count(o)
	}
	return be
}

func (pr *products) close(context.Context) *pipeline.RowErrors { return nil }

// prices reads the row's pricing fields, checking Goflow's range.
func (pr *products) prices(r pipeline.Row) (map[string]*decimal.Decimal, *pipeline.Problem) {
	out := map[string]*decimal.Decimal{}
	for _, f := range priceFields {
		d, err := pr.s.num(r, f)
		if err != nil {
			p := problem(r, f, "", "type", "%s: %v", f, err)
			return nil, &p
		}
		if d == nil {
			continue
		}
		if d.LessThan(minPrice) || d.GreaterThan(maxPrice) {
			p := problem(r, f, d.String(), "range", "%s %s is outside what Goflow takes (0.01 to 1,000,000): leave it empty for none", f, d)
			return nil, &p
		}
		out[f] = d
	}
	return out, nil
}

func priceOf(p *goflow.Pricing, f string) *goflow.Decimal {
	if p == nil {
		return nil
	}
	switch f {
	case "default_cost":
		return p.DefaultCost
	case "default_price":
		return p.DefaultPrice
	case "msrp":
		return p.MSRP
	default:
		return p.MAP
	}
}

func setPrice(p *goflow.Pricing, f string, d decimal.Decimal) {
	v := goflow.DecimalPtr(d)
	switch f {
	case "default_cost":
		p.DefaultCost = v
	case "default_price":
		p.DefaultPrice = v
	case "msrp":
		p.MSRP = v
	default:
		p.MAP = v
	}
}

func detailOf(d *goflow.ProductDetails, f string) string {
	if d == nil {
		return ""
	}
	var v *string
	switch f {
	case "name":
		v = d.Name
	case "description":
		v = d.Description
	case "brand":
		v = d.Brand
	case "manufacturer":
		v = d.Manufacturer
	case "category":
		v = d.Category
	case "condition":
		v = d.Condition
	}
	if v == nil {
		return ""
	}
	return strings.TrimSpace(*v)
}

func setDetail(d *goflow.ProductDetails, f, v string) {
	p := goflow.Ptr(v)
	switch f {
	case "name":
		d.Name = p
	case "description":
		d.Description = p
	case "brand":
		d.Brand = p
	case "manufacturer":
		d.Manufacturer = p
	case "category":
		d.Category = p
	case "condition":
		d.Condition = p
	}
}

// row decides and sends one row.
func (pr *products) row(ctx context.Context, r pipeline.Row) (pipeline.Outcome, *pipeline.Problem) {
	s := pr.s
	item := s.str(r, "item_number")
	if item == "" {
		p := problem(r, "item_number", "", "required", "item_number is empty: every Goflow product has one")
		return 0, &p
	}
	if len([]rune(item)) > 100 {
		p := problem(r, "item_number", item, "max_length", "item_number has %d characters; Goflow takes at most 100", len([]rune(item)))
		return 0, &p
	}
	prices, bad := pr.prices(r)
	if bad != nil {
		return 0, bad
	}
	existing := pr.ix.products[key(item)]
	if existing == nil {
		return pr.create(ctx, r, item, prices)
	}
	// What the API cannot change on an existing product.
	var cannot []string
	for _, f := range detailFields {
		if v := s.str(r, f); v != "" && v != detailOf(existing.Details, f) {
			cannot = append(cannot, fmt.Sprintf("%s is %q in Goflow, %q in the row", f, detailOf(existing.Details, f), v))
		}
	}
	for _, f := range IdentifierFields {
		v := s.str(r, f)
		if v == "" {
			continue
		}
		var have []string
		for _, id := range existing.Identifiers {
			if strings.EqualFold(id.Type, f) {
				have = append(have, id.Value)
			}
		}
		if !containsFold(have, v) {
			cannot = append(cannot, fmt.Sprintf("%s is %q in Goflow, %q in the row", f, strings.Join(have, ", "), v))
		}
	}
	if len(cannot) > 0 {
		p := problem(r, "item_number", item, "immutable", "product %s exists in Goflow, whose API can update only its pricing: %s; leave those cells empty or change them in Goflow", item, strings.Join(cannot, "; "))
		return 0, &p
	}
	var patch goflow.Pricing
	var changes []pipeline.FieldChange
	for _, f := range priceFields {
		d := prices[f]
		if d == nil {
			continue
		}
		old := priceOf(existing.Pricing, f)
		if old != nil && old.Decimal.Equal(*d) {
			continue
		}
		setPrice(&patch, f, *d)
		oldText := ""
		if old != nil {
			oldText = old.String()
		}
		changes = append(changes, pipeline.FieldChange{Field: f, Old: oldText, New: d.String()})
	}
	if len(changes) == 0 {
		return pipeline.Unchanged, nil
	}
	w := apisink.Write{Method: "PATCH", Route: "/products/" + strconv.FormatInt(existing.ID, 10) + "/pricing", Body: &patch, Idempotent: true,
		Kind: "pricing", Key: "product " + item, Action: apisink.Update, Rows: []pipeline.Origin{r.Origin}, Fields: changes}
	err := s.w.Send(ctx, w, nil)
	switch {
	case err == nil:
		if existing.Pricing == nil {
			existing.Pricing = &goflow.Pricing{}
		}
		for _, f := range priceFields {
			if d := priceOf(&patch, f); d != nil {
				setPrice(existing.Pricing, f, d.Decimal)
			}
		}
		return pipeline.Updated, nil
	case errors.Is(err, apisink.ErrUnanswered):
		return pipeline.Unknown, nil
	}
	return pr.refused(r, err)
}

func containsFold(list []string, v string) bool {
	for _, x := range list {
		if strings.EqualFold(strings.TrimSpace(x), v) {
			return true
		}
	}
	return false
}

// refused turns Goflow's refusal of a row's write into its problem; a
// failure that is not the row's stops the run.
func (pr *products) refused(r pipeline.Row, err error) (pipeline.Outcome, *pipeline.Problem) {
	switch goflow.Status(err) {
	case 400, 404, 422:
		msg := err.Error()
		if fe := goflow.FieldErrors(err); len(fe) > 0 {
			var parts []string
			for f, m := range fe {
				parts = append(parts, f+": "+strings.Join(m, " "))
			}
			msg = "Goflow refused the row: " + strings.Join(parts, "; ")
		}
		p := problem(r, "item_number", pr.s.str(r, "item_number"), "api", "%s", msg)
		return 0, &p
	}
	pr.s.fatal = err
	return 0, nil
}

// create makes a product. Goflow's create takes no idempotency key: the
// journal records the intent under the item number before the POST, and a
// POST whose answer was lost is followed by a lookup of the item number
// before it is ever sent again.
func (pr *products) create(ctx context.Context, r pipeline.Row, item string, prices map[string]*decimal.Decimal) (pipeline.Outcome, *pipeline.Problem) {
	s := pr.s
	np := &goflow.NewProduct{ItemNumber: item}
	changes := []pipeline.FieldChange{{Field: "item_number", New: item}}
	var det goflow.ProductDetails
	hasDet := false
	for _, f := range detailFields {
		if v := s.str(r, f); v != "" {
			setDetail(&det, f, v)
			hasDet = true
			changes = append(changes, pipeline.FieldChange{Field: f, New: v})
		}
	}
	if hasDet {
		np.Details = &det
	}
	var pricing goflow.Pricing
	for _, f := range priceFields {
		if d := prices[f]; d != nil {
			setPrice(&pricing, f, *d)
			np.Pricing = &pricing
			changes = append(changes, pipeline.FieldChange{Field: f, New: d.String()})
		}
	}
	for _, f := range IdentifierFields {
		if v := s.str(r, f); v != "" {
			np.Identifiers = append(np.Identifiers, goflow.Identifier{Type: f, Value: v})
			changes = append(changes, pipeline.FieldChange{Field: f, New: v})
		}
	}
	if j := s.env.Journal; j != nil && !s.dry {
		if err := j.Intend(ctx, kindProduct, "item_number:"+item, "item_number:"+item, ""); err != nil {
			s.fatal = err
			return 0, nil
		}
	}
	w := apisink.Write{Method: "POST", Route: goflow.EpCreateProduct.Route, Body: np, Kind: "products", Key: "product " + item,
		Action: apisink.Create, Rows: []pipeline.Origin{r.Origin}, Fields: changes}
	for attempt := 1; ; attempt++ {
		var created goflow.Created
		err := s.w.Send(ctx, w, &created)
		if errors.Is(err, apisink.ErrUnanswered) && attempt < 4 && ctx.Err() == nil {
			found, lerr := pr.lookup(ctx, item)
			if lerr != nil {
				s.fatal = lerr
				return 0, nil
			}
			if found == nil {
				continue // it was not made: send again
			}
			created.ID, err = found.ID, nil
		}
		switch {
		case err == nil:
			p := &goflow.Product{ID: created.ID, Type: "standard", ItemNumber: item, Details: np.Details, Pricing: np.Pricing, Identifiers: np.Identifiers}
			if p.Pricing == nil {
				p.Pricing = &goflow.Pricing{}
			}
			pr.ix.products[key(item)] = p
			if j := s.env.Journal; j != nil && !s.dry {
				j.Confirm(ctx, kindProduct, "item_number:"+item, strconv.FormatInt(created.ID, 10), "created", "")
			}
			return pipeline.Created, nil
		case errors.Is(err, apisink.ErrUnanswered):
			return pipeline.Unknown, nil
		}
		return pr.refused(r, err)
	}
}

// lookup finds a product by item number (one request).
func (pr *products) lookup(ctx context.Context, item string) (*goflow.Product, error) {
	for p, err := range pr.s.client.Products(ctx, goflow.ListOptions{Filters: goflow.Filters{"item_number": {item}}}) {
		if err != nil {
			return nil, fmt.Errorf("goflow sink: looking up product %s: %w", item, err)
		}
		if strings.EqualFold(p.ItemNumber, item) {
			return &p, nil
		}
	}
	return nil, nil
}
