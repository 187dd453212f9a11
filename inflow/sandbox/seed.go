package sandbox

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

//go:embed seed.json
var seedJSON []byte

// defaultCompanyID is the bundled seed's company id.
const defaultCompanyID = "5b0e8e54-3c1f-4a55-9d0f-1c2b7f3e9a10"

// Seed is the starting state of an emulator: a JSON document whose lists
// hold entities in the API's own JSON shape (the property names of the
// OpenAPI document). Reference data (currencies, locations, categories,
// pricing schemes, taxing schemes and tax codes, adjustment reasons,
// payment terms, team members) can only come from a seed, as inFlow's API
// cannot create it. The first currency is the home currency; the records
// with isDefault set are the defaults; the first internal team member (else
// the first) is the one API writes are attributed to.
type Seed struct {
	CompanyID string `json:"companyId"`

	Currencies        []map[string]any `json:"currencies,omitempty"`
	Locations         []map[string]any `json:"locations,omitempty"`
	Categories        []map[string]any `json:"categories,omitempty"`
	PricingSchemes    []map[string]any `json:"pricingSchemes,omitempty"`
	TaxingSchemes     []map[string]any `json:"taxingSchemes,omitempty"`
	TaxCodes          []map[string]any `json:"taxCodes,omitempty"`
	AdjustmentReasons []map[string]any `json:"adjustmentReasons,omitempty"`
	PaymentTerms      []map[string]any `json:"paymentTerms,omitempty"`
	TeamMembers       []map[string]any `json:"teamMembers,omitempty"`
	OperationTypes    []map[string]any `json:"operationTypes,omitempty"`
	// CustomFieldDefinitions label the custom1 … custom10 properties per
	// entity type; CustomFields holds the transactions' print labels.
	CustomFieldDefinitions []map[string]any `json:"customFieldDefinitions,omitempty"`
	CustomFields           map[string]any   `json:"customFields,omitempty"`

	Vendors   []map[string]any `json:"vendors,omitempty"`
	Customers []map[string]any `json:"customers,omitempty"`
	Products  []map[string]any `json:"products,omitempty"`

	// Inventory is the opening stock, line by line.
	Inventory []SeedStock `json:"inventory,omitempty"`

	ProductCostAdjustments []map[string]any `json:"productCostAdjustments,omitempty"`
	StockAdjustments       []map[string]any `json:"stockAdjustments,omitempty"`
	StockTransfers         []map[string]any `json:"stockTransfers,omitempty"`
	PurchaseOrders         []map[string]any `json:"purchaseOrders,omitempty"`
	SalesOrders            []map[string]any `json:"salesOrders,omitempty"`
}

// SeedStock is one opening inventory line. Serialised products need one
// line per serial number, with quantity 1 (or 0 for a serial that has left).
type SeedStock struct {
	ProductID   string          `json:"productId"`
	LocationID  string          `json:"locationId"`
	Sublocation string          `json:"sublocation,omitempty"`
	Serial      string          `json:"serial,omitempty"`
	Quantity    decimal.Decimal `json:"quantity"`
}

// LoadSeed reads a seed document. Unknown top-level keys are errors.
func LoadSeed(r io.Reader) (*Seed, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var s Seed
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("sandbox: seed: %w", err)
	}
	return &s, nil
}

// DefaultSeed returns a fresh copy of the bundled seed: a small clothing and
// electronics shop with two warehouses and a showroom, a category tree,
// retail and wholesale pricing, USD, a dozen products (one serialised, with
// serials on hand), customers, vendors and a couple of orders.
func DefaultSeed() *Seed {
	s, err := LoadSeed(bytes.NewReader(seedJSON))
	if err != nil {
		panic(err) // the bundled seed is tested
	}
	return s
}

// load fills a new server from a seed.
func (s *Server) load(seed *Seed) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	put := func(kindName string, objs []map[string]any) error {
		k := kinds[kindName]
		for i, o := range objs {
			b, err := json.Marshal(o)
			if err != nil {
				return err
			}
			body, err := decodeObject(b)
			if err != nil {
				return fmt.Errorf("sandbox: seed %s[%d]: %w", kindName, i, err)
			}
			if _, e := s.upsert(k, body, writeOpts{allowNegative: true}); e != nil {
				return fmt.Errorf("sandbox: seed %s[%d]: %s", kindName, i, e.msg)
			}
		}
		return nil
	}
	// Reference data first, in an order that satisfies its references;
	// categories parent before child.
	if err := put("currencies", seed.Currencies); err != nil {
		return err
	}
	if err := put("locations", seed.Locations); err != nil {
		return err
	}
	if err := put("categories", parentsFirst(seed.Categories)); err != nil {
		return err
	}
	if err := put("pricing-schemes", seed.PricingSchemes); err != nil {
		return err
	}
	// Taxing schemes and tax codes refer to each other: load the schemes
	// without their default code, then the codes, then the schemes again.
	var bare []map[string]any
	for _, t := range seed.TaxingSchemes {
		c := map[string]any{}
		for k, v := range t {
			if !strings.EqualFold(k, "defaultTaxCodeId") {
				c[k] = v
			}
		}
		bare = append(bare, c)
	}
	for _, step := range []struct {
		kind string
		objs []map[string]any
	}{
		{"taxing-schemes", bare}, {"tax-codes", seed.TaxCodes}, {"taxing-schemes", seed.TaxingSchemes},
		{"adjustment-reasons", seed.AdjustmentReasons}, {"payment-terms", seed.PaymentTerms}, {"team-members", seed.TeamMembers},
		{"operation-types", seed.OperationTypes}, {"custom-field-definitions", seed.CustomFieldDefinitions},
	} {
		if err := put(step.kind, step.objs); err != nil {
			return err
		}
	}
	if seed.CustomFields != nil {
		if err := put("custom-fields", []map[string]any{seed.CustomFields}); err != nil {
			return err
		}
	}
	s.findDefaults(seed)
	for _, step := range []struct {
		kind string
		objs []map[string]any
	}{
		{"vendors", seed.Vendors}, {"customers", seed.Customers}, {"products", seed.Products},
	} {
		if err := put(step.kind, step.objs); err != nil {
			return err
		}
	}
	for i, st := range seed.Inventory {
		if err := s.seedStock(st); err != nil {
			return fmt.Errorf("sandbox: seed inventory[%d]: %w", i, err)
		}
	}
	for _, step := range []struct {
		kind string
		objs []map[string]any
	}{
		{"product-cost-adjustments", seed.ProductCostAdjustments}, {"stock-adjustments", seed.StockAdjustments},
		{"stock-transfers", seed.StockTransfers}, {"purchase-orders", seed.PurchaseOrders}, {"sales-orders", seed.SalesOrders},
	} {
		if err := put(step.kind, step.objs); err != nil {
			return err
		}
	}
	return nil
}

// parentsFirst orders categories so every parent precedes its children.
func parentsFirst(cats []map[string]any) []map[string]any {
	get := func(o map[string]any, name string) string {
		for k, v := range o {
			if strings.EqualFold(k, name) {
				return canonicalID(str(v))
			}
		}
		return ""
	}
	done := map[string]bool{}
	var out []map[string]any
	rest := cats
	for len(rest) > 0 {
		var next []map[string]any
		for _, c := range rest {
			if p := get(c, "parentCategoryId"); p == "" || done[p] {
				done[get(c, "categoryId")] = true
				out = append(out, c)
			} else {
				next = append(next, c)
			}
		}
		if len(next) == len(rest) { // unknown parents: let validation report them
			return append(out, next...)
		}
		rest = next
	}
	return out
}

func (s *Server) findDefaults(seed *Seed) {
	pick := func(kindName string) string {
		rows := s.tables[kindName].sorted()
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].seq < rows[j].seq })
		for _, r := range rows {
			if r.obj["isDefault"] == true {
				return r.id
			}
		}
		if len(rows) > 0 {
			return rows[0].id
		}
		return ""
	}
	s.defs.location = pick("locations")
	s.defs.category = pick("categories")
	s.defs.pricingScheme = pick("pricing-schemes")
	s.defs.taxingScheme = pick("taxing-schemes")
	if len(seed.Currencies) > 0 {
		for k, v := range seed.Currencies[0] {
			if strings.EqualFold(k, "currencyId") {
				s.defs.currency = canonicalID(str(v))
			}
		}
	}
	members := s.tables["team-members"].sorted()
	sort.SliceStable(members, func(i, j int) bool { return members[i].seq < members[j].seq })
	for _, m := range members {
		if m.obj["isInternal"] == true {
			s.defs.teamMember = m.id
			break
		}
	}
	if s.defs.teamMember == "" && len(members) > 0 {
		s.defs.teamMember = members[0].id
	}
}

func (s *Server) seedStock(st SeedStock) error {
	pid, err := uuid.Parse(st.ProductID)
	if err != nil {
		return fmt.Errorf("productId %q is not a GUID", st.ProductID)
	}
	p := s.lookup("products", pid.String())
	if p == nil {
		return fmt.Errorf("product %s does not exist", pid)
	}
	lid, err := uuid.Parse(st.LocationID)
	if err != nil || s.lookup("locations", lid.String()) == nil {
		return fmt.Errorf("location %q does not exist", st.LocationID)
	}
	if !strings.EqualFold(str(p["itemType"]), "stockedProduct") {
		return fmt.Errorf("product %s is not a stocked product", p["name"])
	}
	serial := strings.TrimSpace(st.Serial)
	if (p["trackSerials"] == true) != (serial != "") {
		return fmt.Errorf("product %s: a serial number is needed exactly when the product tracks serials", p["name"])
	}
	if serial != "" && !st.Quantity.Equal(decimal.NewFromInt(1)) && !st.Quantity.IsZero() {
		return fmt.Errorf("product %s: serial %s must have quantity 0 or 1", p["name"], serial)
	}
	s.addStock(invKey{pid.String(), lid.String(), st.Sublocation, serial}, st.Quantity)
	return nil
}
