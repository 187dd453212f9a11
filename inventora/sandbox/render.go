package sandbox

import (
	"encoding/json"
	"slices"
	"time"

	"github.com/shopspring/decimal"
)

// num is a decimal written as a JSON number in its exact text.
type num struct{ d decimal.Decimal }

func (n num) MarshalJSON() ([]byte, error) { return []byte(n.d.String()), nil }

func numPtr(d *decimal.Decimal) *num {
	if d == nil {
		return nil
	}
	return &num{*d}
}

type resourceJSON struct {
	ID                  string         `json:"id"`
	Name                string         `json:"name"`
	SKU                 string         `json:"sku"`
	StockLevel          num            `json:"stockLevel"`
	UnitType            string         `json:"unitType"`
	UnitPrice           *num           `json:"unitPrice"`
	MinLevel            *num           `json:"minLevel"`
	Notes               *string        `json:"notes"`
	RetailPrice         *num           `json:"retailPrice"`
	WholesalePrice      *num           `json:"wholesalePrice"`
	EAN                 *string        `json:"ean"`
	MinimumQuantity     *num           `json:"minimumQuantity"`
	ReorderURLs         []string       `json:"reorderURLs"`
	LocationStockLevels map[string]num `json:"locationStockLevels"`
	ProductionType      string         `json:"productionType"`
	Materials           []materialJSON `json:"materials"`
}

type materialJSON struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	SKU          string `json:"sku"`
	UnitType     string `json:"unitType"`
	UnitPrice    *num   `json:"unitPrice"`
	StockLevel   num    `json:"stockLevel"`
	MinLevel     *num   `json:"minLevel"`
	QuantityUsed num    `json:"quantityUsed"`
}

func (s *store) renderResource(r *resource) resourceJSON {
	out := resourceJSON{
		ID: r.id, Name: r.name, SKU: r.sku, StockLevel: num{r.stockLevel()}, UnitType: r.unitType,
		UnitPrice: numPtr(r.unitPrice), MinLevel: numPtr(r.minLevel), Notes: r.notes,
		RetailPrice: numPtr(r.retailPrice), WholesalePrice: numPtr(r.wholesalePrice), EAN: r.ean,
		MinimumQuantity: numPtr(r.minimumQty), ReorderURLs: slices.Clone(r.reorderURLs),
		LocationStockLevels: map[string]num{}, ProductionType: r.productionType, Materials: []materialJSON{},
	}
	if out.ReorderURLs == nil {
		out.ReorderURLs = []string{}
	}
	for name, v := range r.levels {
		out.LocationStockLevels[name] = num{v}
	}
	for _, b := range r.bom {
		m := s.resources[b.materialID]
		if m == nil {
			continue
		}
		out.Materials = append(out.Materials, materialJSON{
			ID: m.id, Name: m.name, SKU: m.sku, UnitType: m.unitType, UnitPrice: numPtr(m.unitPrice),
			StockLevel: num{m.stockLevel()}, MinLevel: numPtr(m.minLevel), QuantityUsed: num{b.qty},
		})
	}
	return out
}

type locationJSON struct {
	ID            string  `json:"id"`
	Name          string  `json:"name"`
	IsDefault     bool    `json:"isDefault"`
	HideMaterials bool    `json:"hideMaterials"`
	Address1      *string `json:"address1"`
	Address2      *string `json:"address2"`
	City          *string `json:"city"`
	State         *string `json:"state"`
	Zip           *string `json:"zip"`
	Country       *string `json:"country"`
}

func renderLocation(l *location) locationJSON {
	return locationJSON{l.id, l.name, l.isDefault, l.hideMaterials, l.address1, l.address2, l.city, l.state, l.zip, l.country}
}

type taskJSON struct {
	ID          string         `json:"id"`
	Name        string         `json:"name"`
	Status      string         `json:"status"`
	Order       int64          `json:"order"`
	LocationID  *string        `json:"LocationId"`
	UserID      *string        `json:"UserId"`
	Due         *string        `json:"due"`
	CompletedAt *string        `json:"completedAt"`
	Notes       *string        `json:"notes"`
	CreatedAt   string         `json:"createdAt"`
	UpdatedAt   string         `json:"updatedAt"`
	Items       []taskItemJSON `json:"Items"`
}

type taskItemJSON struct {
	ID         int64           `json:"id"`
	ResourceID string          `json:"ResourceId"`
	Quantity   num             `json:"quantity"`
	UnitType   string          `json:"unitType"`
	Completed  bool            `json:"completed"`
	Product    taskProductJSON `json:"Product"`
	Batches    []batchJSON     `json:"Batches"`
}

type taskProductJSON struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	SKU        string `json:"sku"`
	UnitType   string `json:"unitType"`
	StockLevel num    `json:"stockLevel"`
	Type       string `json:"type"`
}

type batchJSON struct {
	ID             int64   `json:"id"`
	TaskResourceID *int64  `json:"TaskResourceId,omitempty"`
	UserID         *string `json:"UserId"`
	Quantity       num     `json:"quantity"`
	CreatedAt      string  `json:"createdAt"`
	UpdatedAt      string  `json:"updatedAt"`
}

func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

func isoPtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := isoTime(*t)
	return &s
}

func (s *store) renderTask(t *task) taskJSON {
	out := taskJSON{
		ID: t.id, Name: t.name, Status: t.status, Order: t.order, LocationID: t.locationID, UserID: t.userID,
		Due: isoPtr(t.due), CompletedAt: isoPtr(t.completedAt), Notes: t.notes,
		CreatedAt: isoTime(t.createdAt), UpdatedAt: isoTime(t.updatedAt), Items: []taskItemJSON{},
	}
	for _, it := range t.items {
		ij := taskItemJSON{ID: it.id, ResourceID: it.resourceID, Quantity: num{it.quantity}, UnitType: it.unitType,
			Completed: it.completed, Batches: []batchJSON{}}
		if p := s.resources[it.resourceID]; p != nil {
			ij.Product = taskProductJSON{ID: p.id, Name: p.name, SKU: p.sku, UnitType: p.unitType,
				StockLevel: num{p.stockLevel()}, Type: "product"}
			if p.kind == "materials" {
				ij.Product.Type = "material"
			}
		}
		for _, b := range it.batches {
			ij.Batches = append(ij.Batches, batchJSON{ID: b.id, UserID: b.userID, Quantity: num{b.quantity},
				CreatedAt: isoTime(b.createdAt), UpdatedAt: isoTime(b.updatedAt)})
		}
		out.Items = append(out.Items, ij)
	}
	return out
}

// toMap turns a rendered value into generic JSON (numbers as json.Number),
// for Server's snapshot accessors.
func toMap(v any) map[string]any {
	b, _ := json.Marshal(v)
	var m map[string]any
	dec := json.NewDecoder(bytesReader(b))
	dec.UseNumber()
	_ = dec.Decode(&m)
	return m
}
