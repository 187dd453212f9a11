package sandbox

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// Seed describes the account an emulator starts with. Its records are
// generated deterministically: the same Seed gives the same account.
type Seed struct {
	// Products and Materials are how many of each to generate; the
	// bundled account has 24 products and 8 materials.
	Products, Materials int
	// Tasks is how many production tasks to generate (default 3).
	Tasks int
}

// DefaultSeed is the bundled sample account: a small candle and soap
// maker with three locations (Main Warehouse, Retail Store, Production
// Floor), 8 materials, 24 products (one a gift set in bundles, several
// with stock history that locks their unitPrice), two users, three custom
// stock statuses and three tasks, one with a production batch.
func DefaultSeed() *Seed { return &Seed{Products: 24, Materials: 8, Tasks: 3} }

func str(s string) *string { return &s }

func dec(s string) *decimal.Decimal {
	d := decimal.RequireFromString(s)
	return &d
}

var (
	materialNames = []struct{ name, sku, unit, price string }{
		{"Soy Wax", "WAX-SOY", "weight.lbs", "3.25"},
		{"Beeswax", "WAX-BEE", "weight.lbs", "7.80"},
		{"Cotton Wick", "WICK-COT", "pieces", "0.12"},
		{"Glass Jar 8oz", "JAR-8OZ", "pieces", "1.10"},
		{"Vanilla Oil", "OIL-VAN", "volume.ml", "0.09"},
		{"Lavender Oil", "OIL-LAV", "volume.ml", "0.11"},
		{"Olive Oil Base", "BASE-OLV", "weight.kg", "6.40"},
		{"Kraft Box", "BOX-KRF", "pieces", "0.45"},
	}
	scents = []string{"Vanilla", "Lavender", "Cedar", "Rose", "Citrus", "Mint"}
	kinds  = []struct{ name, sku, unit string }{
		{"Candle", "CANDLE", "pieces"}, {"Soap Bar", "SOAP", "pieces"}, {"Wax Melt", "MELT", "weight.oz"}, {"Room Spray", "SPRAY", "volume.ml"},
	}
)

// load fills st with the seed's account.
func (seed *Seed) load(st *store, now time.Time) error {
	if seed.Products < 0 || seed.Materials < 0 || seed.Tasks < 0 {
		return fmt.Errorf("sandbox: seed counts must not be negative")
	}
	st.locations = []*location{
		{id: "loc_789", name: "Main Warehouse", isDefault: true, address1: str("123 Storage St"), address2: str("Unit 5"),
			city: str("Portland"), state: str("OR"), zip: str("97201"), country: str("US")},
		{id: "loc_790", name: "Retail Store", hideMaterials: true, address1: str("456 Main St"),
			city: str("Portland"), state: str("OR"), zip: str("97202"), country: str("US")},
		{id: "loc_791", name: "Production Floor", address1: str("123 Storage St"), address2: str("Unit 6"),
			city: str("Portland"), state: str("OR"), zip: str("97201"), country: str("US")},
	}
	st.users = []user{{"user_456", "maker@example.com"}, {"user_789", "helper@example.com"}}
	st.statuses = []customStatus{{1, "Damaged", -1}, {2, "Returned", +1}, {3, "Sample given away", -1}}

	var materials []string
	for i := range seed.Materials {
		m := materialNames[i%len(materialNames)]
		name, sku := m.name, m.sku
		if i >= len(materialNames) {
			name, sku = fmt.Sprintf("%s %d", m.name, i/len(materialNames)+1), fmt.Sprintf("%s-%d", m.sku, i/len(materialNames)+1)
		}
		r := &resource{
			kind: "materials", id: fmt.Sprintf("mat_%04d", i+1), name: name, sku: sku, unitType: m.unit,
			unitPrice: dec(m.price), minLevel: dec(fmt.Sprint(10 + i%3*5)), notes: str("Supplied by Candle Supply Co."),
			ean: str(fmt.Sprintf("98765432%05d", i+1)), minimumQty: dec(fmt.Sprint(5 + i%4)),
			reorderURLs:    []string{fmt.Sprintf("https://supplier.example.com/%s", sku)},
			levels:         map[string]decimal.Decimal{"Main Warehouse": decimal.NewFromInt(int64(80 + i*7)), "Production Floor": decimal.NewFromInt(int64(20 + i%5))},
			productionType: "supplied", tied: i%2 == 0,
		}
		st.addResource(r)
		materials = append(materials, r.id)
	}
	for i := range seed.Products {
		k := kinds[i%len(kinds)]
		sc := scents[(i/len(kinds))%len(scents)]
		n := i/(len(kinds)*len(scents)) + 1
		name := fmt.Sprintf("%s %s", sc, k.name)
		sku := fmt.Sprintf("%s-%s", k.sku, sc[:3])
		if n > 1 {
			name, sku = fmt.Sprintf("%s %d", name, n), fmt.Sprintf("%s-%d", sku, n)
		}
		cost := decimal.NewFromInt(int64(250 + (i*37)%600)).Shift(-2)
		r := &resource{
			kind: "products", id: fmt.Sprintf("prod_%05d", i+1), name: name, sku: sku, unitType: k.unit,
			unitPrice: &cost, minLevel: dec(fmt.Sprint(5 + i%4*5)),
			retailPrice:    dec(cost.Mul(decimal.NewFromInt(3)).Add(decimal.RequireFromString("0.99")).StringFixed(2)),
			wholesalePrice: dec(cost.Mul(decimal.NewFromInt(2)).StringFixed(2)),
			ean:            str(fmt.Sprintf("4006381%06d", i+1)), minimumQty: dec("1"),
			reorderURLs:    []string{},
			levels:         map[string]decimal.Decimal{"Main Warehouse": decimal.NewFromInt(int64((i * 13) % 60))},
			productionType: "produced", tied: i%3 == 0,
		}
		if i%2 == 0 {
			r.levels["Retail Store"] = decimal.NewFromInt(int64((i * 7) % 20))
			r.notes = str(sc + " scented, hand poured")
		}
		if k.unit == "weight.oz" {
			r.levels["Main Warehouse"] = r.levels["Main Warehouse"].Add(decimal.RequireFromString("0.5"))
		}
		if len(materials) > 0 {
			r.bom = []bomLine{{materials[i%len(materials)], decimal.RequireFromString("0.5")}}
			if len(materials) > 1 {
				r.bom = append(r.bom, bomLine{materials[(i+2)%len(materials)], decimal.NewFromInt(1)})
			}
		}
		if i == 5 {
			// A gift set sold in bundles: its unit type is fixed.
			r.name, r.sku, r.unitType, r.productionType = "Gift Set "+sc, "GIFT-"+sc[:3], "bundles", "bundle"
			r.retailPrice, r.wholesalePrice = dec("39.99"), nil
		}
		st.addResource(r)
	}
	base := now.UTC().Truncate(time.Second)
	for i := range min(seed.Tasks, seed.Products) {
		p := st.order["products"][i]
		created := base.Add(-time.Duration(72-i) * time.Hour)
		due := created.Add(14 * 24 * time.Hour)
		user := st.users[i%len(st.users)].id
		t := &task{
			name: fmt.Sprintf("Produce %d %s", 50+i*10, st.resources[p].name), status: taskStatuses[i%len(taskStatuses)],
			locationID: str("loc_791"), userID: &user, due: &due, notes: str("For the weekend market"),
			createdAt: created, updatedAt: created,
		}
		if t.status == "done" {
			t.completedAt = &due
		}
		st.nextTask++
		t.id = fmt.Sprintf("task_%d", st.nextTask)
		t.order = int64(i + 1)
		st.nextItem++
		it := &taskItem{id: st.nextItem, resourceID: p, quantity: decimal.NewFromInt(int64(50 + i*10)), unitType: st.resources[p].unitType}
		t.items = []*taskItem{it}
		st.tasks[t.id] = t
		st.taskOrder = append(st.taskOrder, t.id)
		if i == 0 {
			changes, err := st.produce(t, it, decimal.NewFromInt(25))
			if err != nil {
				return err
			}
			st.nextBatch++
			b := &batch{id: st.nextBatch, userID: &user, quantity: decimal.NewFromInt(25), createdAt: created.Add(time.Hour), updatedAt: created.Add(time.Hour), applied: changes}
			it.batches = append(it.batches, b)
			st.batches[b.id] = &batchRef{t, it, b}
		}
	}
	return nil
}
