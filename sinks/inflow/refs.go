package inflowsink

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/etl-dev/etl/inflow"
)

// refItem is one record of reference data.
type refItem struct {
	id, name  string
	isDefault bool
	active    bool
	parent    string // tax codes: the taxing scheme's id
}

// refTable resolves names of one kind of reference data to ids.
type refTable struct {
	kind   refKind
	byName map[string][]refItem // normKey(name or alias) → items
	byID   map[string]refItem   // lower-case id → item
	names  []string             // display names, for suggestions
}

func newRefTable(k refKind) *refTable {
	return &refTable{kind: k, byName: map[string][]refItem{}, byID: map[string]refItem{}}
}

func (t *refTable) add(it refItem, aliases ...string) {
	t.byID[strings.ToLower(it.id)] = it
	t.names = append(t.names, it.name)
	for _, n := range append([]string{it.name}, aliases...) {
		k := normKey(n)
		if k != "" && !containsItem(t.byName[k], it.id) {
			t.byName[k] = append(t.byName[k], it)
		}
	}
}

func containsItem(items []refItem, id string) bool {
	for _, it := range items {
		if it.id == id {
			return true
		}
	}
	return false
}

// defaultItem returns the record marked default, if any.
func (t *refTable) defaultItem() (refItem, bool) {
	for _, it := range t.byID {
		if it.isDefault {
			return it, true
		}
	}
	return refItem{}, false
}

// name returns the display name of id, or id itself when unknown.
func (t *refTable) name(id string) string {
	if id == "" {
		return ""
	}
	if t == nil {
		return id
	}
	if it, ok := t.byID[strings.ToLower(id)]; ok {
		return it.name
	}
	return id
}

// resolve finds the one record named name. The error says what is wrong
// and lists the closest existing names; it also says that inFlow's API
// cannot create this kind of record where that is so.
func (t *refTable) resolve(name string) (refItem, error) {
	items := t.byName[normKey(name)]
	switch len(items) {
	case 1:
		return items[0], nil
	case 0:
		msg := fmt.Sprintf("no %s named %q in inFlow", t.kind, name)
		if c := closest(name, t.names, 3); len(c) > 0 {
			msg += "; closest: " + quoteList(c)
		} else if len(t.names) > 0 && len(t.names) <= 12 {
			msg += "; existing: " + quoteList(sortedStrings(t.names))
		}
		switch t.kind {
		case refVendor:
			msg += " (onboard vendors first, e.g. jobs/onboard-vendors.yaml)"
		case refCategory, refLocation, refPricingScheme, refCurrency, refPaymentTerms, refTaxingScheme, refReason, refTaxCode:
			msg += fmt.Sprintf(" (inFlow's API cannot create a %s: add it in inFlow, or correct the name)", t.kind)
		}
		return refItem{}, fmt.Errorf("%s", msg)
	default:
		// Names match exactly first: "Main" picks Main even when "MAIN"
		// exists too; only then ignoring case and surrounding spaces.
		var exact []refItem
		for _, it := range items {
			if it.name == name {
				exact = append(exact, it)
			}
		}
		if len(exact) == 1 {
			return exact[0], nil
		}
		var paths []string
		for _, it := range items {
			paths = append(paths, it.name)
		}
		sort.Strings(paths)
		return refItem{}, fmt.Errorf("%q names %d %ss in inFlow (%s): give the full name", name, len(items), t.kind, quoteList(paths))
	}
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

// refs holds the reference data a sink loaded, by kind.
type refs map[refKind]*refTable

// loadRefs reads the reference data of the given kinds, each through one
// paged list (usually one request).
func loadRefs(ctx context.Context, c *inflow.Client, kinds map[refKind]bool) (refs, error) {
	out := refs{}
	order := make([]refKind, 0, len(kinds))
	for k := range kinds {
		order = append(order, k)
	}
	sort.Slice(order, func(i, j int) bool { return order[i] < order[j] })
	for _, k := range order {
		t := newRefTable(k)
		var err error
		switch k {
		case refCategory:
			err = loadCategories(ctx, c, t)
		case refLocation:
			err = each(ctx, c.Locations().List(ctx, nil), func(v inflow.Location) {
				t.add(refItem{id: v.LocationID, name: deref(v.Name), isDefault: derefBool(v.IsDefault), active: v.IsActive == nil || *v.IsActive})
			})
		case refPricingScheme:
			err = each(ctx, c.PricingSchemes().List(ctx, nil), func(v inflow.PricingScheme) {
				t.add(refItem{id: v.PricingSchemeID, name: deref(v.Name), isDefault: derefBool(v.IsDefault), active: v.IsActive == nil || *v.IsActive})
			})
		case refTaxingScheme:
			err = each(ctx, c.TaxingSchemes().List(ctx, nil), func(v inflow.TaxingScheme) {
				t.add(refItem{id: v.TaxingSchemeID, name: deref(v.Name), isDefault: derefBool(v.IsDefault), active: v.IsActive == nil || *v.IsActive})
			})
		case refPaymentTerms:
			err = each(ctx, c.PaymentTerms().List(ctx, nil), func(v inflow.PaymentTerms) {
				t.add(refItem{id: v.PaymentTermsID, name: deref(v.Name), active: v.IsActive == nil || *v.IsActive})
			})
		case refCurrency:
			err = each(ctx, c.Currencies().List(ctx, nil), func(v inflow.Currency) {
				name := deref(v.IsoCode)
				if name == "" {
					name = deref(v.Name)
				}
				t.add(refItem{id: v.CurrencyID, name: name, active: true}, deref(v.Name))
			})
		case refVendor:
			err = each(ctx, c.Vendors().List(ctx, nil), func(v inflow.Vendor) {
				t.add(refItem{id: v.VendorID, name: deref(v.Name), active: v.IsActive == nil || *v.IsActive})
			})
		case refTaxCode:
			schemes := map[string]string{}
			err = each(ctx, c.TaxingSchemes().List(ctx, nil), func(v inflow.TaxingScheme) { schemes[strings.ToLower(v.TaxingSchemeID)] = deref(v.Name) })
			if err == nil {
				err = each(ctx, c.TaxCodes().List(ctx, nil), func(v inflow.TaxCode) {
					scheme := deref(v.TaxingSchemeID)
					path := schemes[strings.ToLower(scheme)] + " > " + deref(v.Name)
					t.add(refItem{id: v.TaxCodeID, name: path, parent: scheme, active: v.IsActive == nil || *v.IsActive}, deref(v.Name), strings.ReplaceAll(path, " > ", ">"))
				})
			}
		case refReason:
			err = each(ctx, c.AdjustmentReasons().List(ctx, nil), func(v inflow.AdjustmentReason) {
				t.add(refItem{id: v.AdjustmentReasonID, name: deref(v.Name), active: v.IsActive == nil || *v.IsActive})
			})
		}
		if err != nil {
			return nil, fmt.Errorf("reading %ss: %w", k, err)
		}
		out[k] = t
	}
	return out, nil
}

// loadCategories indexes categories by full path ("Clothing > Tshirts")
// and, as an alias, by their own name (so a unique leaf name resolves).
func loadCategories(ctx context.Context, c *inflow.Client, t *refTable) error {
	all, err := c.Categories().All(ctx, nil)
	if err != nil {
		return err
	}
	byID := map[string]inflow.Category{}
	for _, cat := range all {
		byID[strings.ToLower(cat.CategoryID)] = cat
	}
	for _, cat := range all {
		path := []string{deref(cat.Name)}
		seen := map[string]bool{strings.ToLower(cat.CategoryID): true}
		for p := cat.ParentCategoryID; p != nil && *p != ""; {
			parent, ok := byID[strings.ToLower(*p)]
			if !ok || seen[strings.ToLower(*p)] {
				break
			}
			seen[strings.ToLower(*p)] = true
			path = append([]string{deref(parent.Name)}, path...)
			p = parent.ParentCategoryID
		}
		full := strings.Join(path, " > ")
		aliases := []string{deref(cat.Name)}
		// "Clothing>Tshirts" and "Clothing / Tshirts" are common spellings.
		aliases = append(aliases, strings.Join(path, ">"), strings.Join(path, " / "), strings.Join(path, "/"))
		t.add(refItem{id: cat.CategoryID, name: full, isDefault: derefBool(cat.IsDefault), active: true}, aliases...)
	}
	return nil
}

// normCategoryPath normalises the separators of a category path as typed
// ("Clothing>Tshirts", "Clothing  >  Tshirts") to "Clothing > Tshirts".
func normCategoryPath(s string) string {
	parts := strings.Split(s, ">")
	for i, p := range parts {
		parts[i] = strings.Join(strings.Fields(p), " ")
	}
	return strings.Join(parts, " > ")
}

func each[T any](ctx context.Context, seq iter.Seq2[T, error], f func(T)) error {
	for v, err := range seq {
		if err != nil {
			return err
		}
		f(v)
	}
	return ctx.Err()
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func derefBool(p *bool) bool { return p != nil && *p }

// closest returns up to n candidates nearest to name by edit distance
// (case-insensitive), nearest first, leaving out those too far to be a
// plausible slip (more than half the name's length).
func closest(name string, candidates []string, n int) []string {
	type scored struct {
		s string
		d int
	}
	lower := strings.ToLower(strings.TrimSpace(name))
	var all []scored
	seen := map[string]bool{}
	for _, c := range candidates {
		if seen[c] {
			continue
		}
		seen[c] = true
		lc := strings.ToLower(c)
		d := editDistance(lower, lc)
		// A name inside the other ("Tshirts" in "Clothing > Tshirts") is close.
		if len(lower) >= 3 && strings.Contains(lc, lower) || len(lc) >= 3 && strings.Contains(lower, lc) {
			d = min(d, max(1, abs(len(lc)-len(lower))/4))
		}
		// Compare the last path element too: "Clothing > Tshirt" vs "Tshirts".
		if i := strings.LastIndex(lc, ">"); i >= 0 {
			j := strings.LastIndex(lower, ">")
			d = min(d, editDistance(strings.TrimSpace(lower[j+1:]), strings.TrimSpace(lc[i+1:]))+1)
		}
		all = append(all, scored{c, d})
	}
	limit := max(2, len([]rune(lower))/2)
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].d != all[j].d {
			return all[i].d < all[j].d
		}
		return all[i].s < all[j].s
	})
	var out []string
	for _, s := range all {
		if s.d > limit || len(out) == n {
			break
		}
		out = append(out, s.s)
	}
	return out
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// editDistance is the Levenshtein distance between a and b, by runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	row := make([]int, len(rb)+1)
	for j := range row {
		row[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		diag := row[0]
		row[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			next := min(row[j]+1, row[j-1]+1, diag+cost)
			diag = row[j]
			row[j] = next
		}
	}
	return row[len(rb)]
}

// entityTypes are the custom field definitions' entityType of each entity.
var entityTypes = map[string]string{"products": "product", "customers": "customer", "vendors": "vendor"}

// resolveCustomLabels turns match keys custom:<label> into
// custom:customN, by the entity's custom field definitions (one request,
// made only when a key names a label): the label exactly, else ignoring
// case and surrounding spaces.
func resolveCustomLabels(ctx context.Context, c *inflow.Client, e *entityKind, match []string) error {
	var labels []int
	for i, m := range match {
		if name, ok := strings.CutPrefix(m, "custom:"); ok && !customNumberRE.MatchString(name) {
			labels = append(labels, i)
		}
	}
	if len(labels) == 0 {
		return nil
	}
	var defs []struct {
		EntityType   string `json:"entityType"`
		PropertyName string `json:"propertyName"`
		Label        string `json:"label"`
		IsActive     *bool  `json:"isActive"`
	}
	if _, err := c.Do(ctx, inflow.Request{Method: http.MethodGet, Path: "/custom-field-definitions", Query: url.Values{"count": {"100"}}}, &defs); err != nil {
		return fmt.Errorf("reading the custom field definitions (for match custom:<label>): %w", err)
	}
	byLabel := map[string][]string{}
	var names []string
	for _, d := range defs {
		if !strings.EqualFold(d.EntityType, entityTypes[e.name]) || !customNumberRE.MatchString(strings.ToLower(d.PropertyName)) {
			continue
		}
		byLabel[d.Label] = append(byLabel[d.Label], strings.ToLower(d.PropertyName))
		names = append(names, d.Label)
	}
	for _, i := range labels {
		label := strings.TrimPrefix(match[i], "custom:")
		props := byLabel[label]
		if len(props) == 0 {
			for l, p := range byLabel {
				if normKey(l) == normKey(label) {
					props = append(props, p...)
				}
			}
		}
		switch len(props) {
		case 1:
			match[i] = "custom:" + props[0]
		case 0:
			msg := fmt.Sprintf("match %q: no %s custom field is labelled %q in inFlow", match[i], e.singular, label)
			if cl := closest(label, names, 3); len(cl) > 0 {
				msg += "; closest: " + quoteList(cl)
			} else if len(names) == 0 {
				msg += fmt.Sprintf(" (the %s custom fields have no labels: use custom:custom1 … custom:custom10)", e.singular)
			}
			return fmt.Errorf("%s", msg)
		default:
			return fmt.Errorf("match %q: %d %s custom fields are labelled %q (%s): use custom:customN", match[i], len(props), e.singular, label, strings.Join(props, ", "))
		}
	}
	return nil
}
