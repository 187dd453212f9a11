package sandbox

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/google/uuid"

	"github.com/etl-dev/etl/internal/jsonval"
)

// includeTree is a parsed include= parameter: relationship name → nested
// includes.
type includeTree map[string]includeTree

// queryValues returns the query values of a parameter matched
// case-insensitively, as ASP.NET binds them.
func queryValues(q url.Values, name string) []string {
	var out []string
	for k, v := range q {
		if strings.EqualFold(k, name) {
			out = append(out, v...)
		}
	}
	return out
}

// parseInclude validates include= against the schema's relationships
// (nested with dots): an unknown relationship is a 400, as inFlow answers.
func (s *Server) parseInclude(k *kind, q url.Values) (includeTree, *apiError) {
	tree := includeTree{}
	for _, v := range queryValues(q, "include") {
		for _, path := range strings.Split(v, ",") {
			path = strings.TrimSpace(path)
			if path == "" {
				continue
			}
			sc := s.m.schemas[k.schema]
			node := tree
			for _, seg := range strings.Split(path, ".") {
				name, ok := sc.canon(seg)
				var target string
				if ok {
					target, _, ok = s.m.relation(sc.props[name])
				}
				if !ok {
					if name == "customFields" && k.name != "stock-transfers" && k.name != "stock-adjustments" && sc.name == k.schema {
						break // accepted and always answered (custom fields are attributes here)
					}
					return nil, badRequest("Invalid include %q: %q is not a relationship of %s.", path, seg, sc.name)
				}
				sub, has := node[name]
				if !has {
					sub = includeTree{}
					node[name] = sub
				}
				node = sub
				sc = s.m.schemas[target]
				if sc == nil {
					return nil, badRequest("Invalid include %q.", path)
				}
			}
		}
	}
	return tree, nil
}

// owner is the top-level entity an object being rendered belongs to.
type owner struct {
	schema string
	obj    map[string]any
}

// render builds the answer for one stored object of a schema: every
// attribute, plus the relationships named in inc. root is the top-level
// entity the object belongs to (zero: the object itself). Callers hold s.mu.
func (s *Server) render(schemaName string, obj map[string]any, inc includeTree, root owner) map[string]any {
	if root.obj == nil {
		root = owner{schemaName, obj}
	}
	sc := s.m.schemas[schemaName]
	out := map[string]any{}
	for _, name := range sc.names {
		p := sc.props[name]
		if target, many, ok := s.m.relation(p); ok {
			if sub, want := inc[name]; want {
				out[name] = s.resolve(sc, name, target, many, obj, sub, root)
			}
			continue
		}
		if v, ok := obj[name]; ok {
			out[name] = jsonval.Clone(v)
		}
	}
	if schemaName == "Product" {
		out["totalQuantityOnHand"] = nil
		if _, ok := inc["inventoryLines"]; ok {
			_, total := s.inventoryLines(str(obj["productId"]))
			out["totalQuantityOnHand"] = formatDecimal(total)
		}
		out["isManufacturable"] = len(items(obj["itemBoms"])) > 0
	}
	return out
}

func (s *Server) renderAll(schemaName string, objs []map[string]any, inc includeTree, root owner) []any {
	out := make([]any, 0, len(objs))
	for _, o := range objs {
		out = append(out, s.render(schemaName, o, inc, root))
	}
	return out
}

// resolve answers one included relationship.
func (s *Server) resolve(sc *schema, name, target string, many bool, obj map[string]any, inc includeTree, root owner) any {
	switch sc.name + "." + name {
	case "Product.inventoryLines":
		lines, _ := s.inventoryLines(str(obj["productId"]))
		return s.renderAll(target, items(lines), inc, owner{})
	case "Product.cost":
		pid := str(obj["productId"])
		var cost any
		if c, ok := s.costs[pid]; ok {
			cost = c
		}
		return s.render(target, map[string]any{"productCostId": pid, "productId": pid, "cost": cost}, inc, owner{})
	case "Product.defaultPrice":
		for _, p := range items(obj["prices"]) {
			if str(p["pricingSchemeId"]) == s.defs.pricingScheme {
				return s.render(target, p, inc, root)
			}
		}
		return nil
	case "PricingScheme.productPrices", "Vendor.vendorItems":
		arr, fk := "prices", "pricingSchemeId"
		if name == "vendorItems" {
			arr, fk = "vendorItems", "vendorId"
		}
		var found []map[string]any
		for _, p := range s.tables["products"].sorted() {
			for _, it := range items(p.obj[arr]) {
				if str(it[fk]) == str(obj[fk]) {
					found = append(found, it)
				}
			}
		}
		return s.renderAll(target, found, inc, owner{})
	case "TaxingScheme.taxCodes":
		var found []map[string]any
		for _, r := range s.tables["tax-codes"].sorted() {
			if str(r.obj["taxingSchemeId"]) == str(obj["taxingSchemeId"]) {
				found = append(found, r.obj)
			}
		}
		return s.renderAll(target, found, inc, owner{})
	case "Customer.orderHistory":
		return map[string]any{"id": obj["customerId"], "lastOrderDate": s.lastOrderDate(str(obj["customerId"]))}
	}
	if many {
		return s.renderAll(target, items(obj[name]), inc, root)
	}
	fk := str(obj[name+"Id"])
	if fk == "" {
		return nil
	}
	if k := kindForSchema[target]; k != nil {
		if o := s.lookup(k.name, fk); o != nil {
			return s.render(k.schema, o, inc, owner{})
		}
		return nil
	}
	// A reference into the owner's own child lines, such as a customer's
	// defaultBillingAddress among its addresses.
	idProp := lcfirst(target) + "Id"
	if rsc := s.m.schemas[root.schema]; rsc != nil {
		for _, an := range rsc.names {
			for _, it := range items(root.obj[an]) {
				if str(it[idProp]) == fk {
					if t, _, ok := s.m.relation(rsc.props[an]); ok {
						return s.render(t, it, inc, root)
					}
				}
			}
		}
	}
	return nil
}

// lastOrderDate is the latest orderDate of a customer's sales orders.
func (s *Server) lastOrderDate(customerID string) any {
	var last string
	for _, r := range s.tables["sales-orders"].rows {
		if str(r.obj["customerId"]) == customerID && str(r.obj["orderDate"]) > last {
			last = str(r.obj["orderDate"])
		}
	}
	if last == "" {
		return nil
	}
	return last
}

func (s *Server) handleGet(r *http.Request, k *kind, rawID string) (int, any, http.Header, *apiError) {
	inc, e := s.parseInclude(k, r.URL.Query())
	if e != nil {
		return 0, nil, nil, e
	}
	id, err := uuid.Parse(rawID)
	if err != nil {
		return 0, nil, nil, badRequest("%q is not a valid %s.", rawID, k.idProp)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	obj := s.lookup(k.name, id.String())
	if obj == nil {
		return 0, nil, nil, &apiError{status: http.StatusNotFound, msg: k.schema + " " + id.String() + " does not exist."}
	}
	return http.StatusOK, s.render(k.schema, obj, inc, owner{}), nil, nil
}
