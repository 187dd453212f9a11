package inventora

import (
	"slices"
	"strings"
	"time"
)

// Resource is a product or a material: Inventora gives both the same
// shape. Optional values are pointers (nil when the API sends null or
// leaves them out). LocationStockLevels is keyed by location name.
type Resource struct {
	ID                  string             `json:"id"`
	Name                string             `json:"name"`
	SKU                 string             `json:"sku"`
	StockLevel          Decimal            `json:"stockLevel"`
	UnitType            string             `json:"unitType"`
	UnitPrice           *Decimal           `json:"unitPrice"`
	MinLevel            *Decimal           `json:"minLevel"`
	Notes               *string            `json:"notes"`
	RetailPrice         *Decimal           `json:"retailPrice"`
	WholesalePrice      *Decimal           `json:"wholesalePrice"`
	EAN                 *string            `json:"ean"`
	MinimumQuantity     *Decimal           `json:"minimumQuantity"`
	ReorderURLs         []string           `json:"reorderURLs"`
	LocationStockLevels map[string]Decimal `json:"locationStockLevels"`
	ProductionType      string             `json:"productionType"`
	// Materials is the bill of materials (empty for materials).
	Materials []MaterialUse `json:"materials"`
}

// MaterialUse is one line of a product's bill of materials: a material
// and how much of it one unit of the product uses.
type MaterialUse struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	SKU          string   `json:"sku"`
	UnitType     string   `json:"unitType"`
	UnitPrice    *Decimal `json:"unitPrice"`
	StockLevel   Decimal  `json:"stockLevel"`
	MinLevel     *Decimal `json:"minLevel"`
	QuantityUsed Decimal  `json:"quantityUsed"`
}

// LevelAt returns the stock level at the named location; a location the
// record does not list holds 0. Names compare case-insensitively, spaces
// trimmed.
func (r *Resource) LevelAt(location string) Decimal {
	if v, ok := r.LocationStockLevels[location]; ok {
		return v
	}
	want := strings.TrimSpace(location)
	for name, v := range r.LocationStockLevels {
		if strings.EqualFold(strings.TrimSpace(name), want) {
			return v
		}
	}
	return Decimal{}
}

// Locations returns the names of LocationStockLevels, sorted.
func (r *Resource) Locations() []string {
	names := make([]string, 0, len(r.LocationStockLevels))
	for n := range r.LocationStockLevels {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Patch is the body of PATCH /products/:id and /materials/:id. Only the
// fields that are set are sent; Inventora leaves the others as they are.
type Patch struct {
	Name            *string  `json:"name,omitempty"`
	SKU             *string  `json:"sku,omitempty"`
	UnitType        *string  `json:"unitType,omitempty"`
	UnitPrice       *Decimal `json:"unitPrice,omitempty"`
	MinLevel        *Decimal `json:"minLevel,omitempty"`
	Notes           *string  `json:"notes,omitempty"`
	RetailPrice     *Decimal `json:"retailPrice,omitempty"`
	WholesalePrice  *Decimal `json:"wholesalePrice,omitempty"`
	EAN             *string  `json:"ean,omitempty"`
	MinimumQuantity *Decimal `json:"minimumQuantity,omitempty"`
	ReorderURLs     []string `json:"reorderURLs,omitempty"`
}

// Empty reports whether the patch changes nothing.
func (p *Patch) Empty() bool {
	return p.Name == nil && p.SKU == nil && p.UnitType == nil && p.UnitPrice == nil && p.MinLevel == nil &&
		p.Notes == nil && p.RetailPrice == nil && p.WholesalePrice == nil && p.EAN == nil &&
		p.MinimumQuantity == nil && p.ReorderURLs == nil
}

// Stock-level update types.
const (
	UpdateAudit   = "audit"   // set the level to the quantity
	UpdateRestock = "restock" // add the quantity
	UpdateLoss    = "loss"    // subtract the quantity
	UpdateCustom  = "custom"  // a custom status (CustomStatusID required)
)

// StockLevelUpdate is the body of POST /products/:id/stock-level-updates
// (and /materials/:id/...).
type StockLevelUpdate struct {
	Quantity       Decimal `json:"quantity"`
	LocationName   string  `json:"locationName"`
	UpdateType     string  `json:"updateType"`
	Notes          string  `json:"notes,omitempty"`
	CustomStatusID *int64  `json:"customStatusId,omitempty"`
}

// Location is a stock location. Stock levels and stock-level updates name
// locations by Name.
type Location struct {
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

// Task is a production task. Inventora spells its relation keys in
// PascalCase (LocationId, UserId, Items) next to camelCase scalars.
type Task struct {
	ID          string     `json:"id"`
	Name        string     `json:"name"`
	Status      string     `json:"status"`
	Order       *int64     `json:"order"`
	LocationID  *string    `json:"LocationId"`
	UserID      *string    `json:"UserId"`
	Due         *time.Time `json:"due"`
	CompletedAt *time.Time `json:"completedAt"`
	Notes       *string    `json:"notes"`
	CreatedAt   *time.Time `json:"createdAt"`
	UpdatedAt   *time.Time `json:"updatedAt"`
	Items       []TaskItem `json:"Items"`
}

// TaskItem is one product a task produces.
type TaskItem struct {
	ID         int64       `json:"id"`
	ResourceID string      `json:"ResourceId"`
	Quantity   Decimal     `json:"quantity"`
	UnitType   string      `json:"unitType"`
	Completed  bool        `json:"completed"`
	Product    TaskProduct `json:"Product"`
	Batches    []Batch     `json:"Batches"`
}

// TaskProduct is the product summary embedded in a task item.
type TaskProduct struct {
	ID         string  `json:"id"`
	Name       string  `json:"name"`
	SKU        string  `json:"sku"`
	UnitType   string  `json:"unitType"`
	StockLevel Decimal `json:"stockLevel"`
	Type       string  `json:"type"`
}

// Batch is a production batch of a task item.
type Batch struct {
	ID             int64      `json:"id"`
	TaskResourceID *int64     `json:"TaskResourceId,omitempty"`
	UserID         *string    `json:"UserId"`
	Quantity       Decimal    `json:"quantity"`
	CreatedAt      *time.Time `json:"createdAt"`
	UpdatedAt      *time.Time `json:"updatedAt"`
}

// NewTask is the body of POST /tasks. Items are required and not empty.
type NewTask struct {
	Name       string        `json:"name"`
	Assignee   string        `json:"Assignee,omitempty"`
	Items      []NewTaskItem `json:"Items"`
	LocationID string        `json:"LocationId,omitempty"`
	Due        *time.Time    `json:"due,omitempty"`
	Notes      string        `json:"notes,omitempty"`
	Status     string        `json:"status,omitempty"`
}

// NewTaskItem is one item of a NewTask: note ProductId here where the
// answer says ResourceId.
type NewTaskItem struct {
	ProductID string  `json:"ProductId"`
	Quantity  Decimal `json:"quantity"`
	UnitType  string  `json:"unitType,omitempty"`
}

// Task statuses.
var TaskStatuses = []string{"pending", "in-progress", "done"}

// UnitTypes lists the unit types of the docs. UnitBundles is read-only.
var UnitTypes = []string{
	"pieces", "bundles", "cases",
	"weight.lbs", "weight.oz", "weight.kg", "weight.grams", "weight.mg", "weight.ct", "weight.gr",
	"length.ft", "length.yd", "length.in", "length.m", "length.cm", "length.mm",
	"area.sqft", "area.sqin", "area.sqm", "area.sqcm",
	"volume.oz", "volume.pt", "volume.qt", "volume.ga", "volume.ml", "volume.liters", "volume.bdft",
	"volume.cuin", "volume.cuft", "volume.cuyd", "volume.cm3", "volume.m3", "volume.tsp", "volume.tbsp", "volume.cup",
	"time.seconds", "time.minutes", "time.hours", "time.days",
}

// UnitBundles is the read-only unit type: it cannot be set, and a
// resource's unit type cannot change to or from it.
const UnitBundles = "bundles"

// IsBundle reports whether a unit type is the bundle type. The docs say
// "bundles" in the list and "bundle" in the PATCH note; both count.
func IsBundle(unitType string) bool {
	u := strings.ToLower(strings.TrimSpace(unitType))
	return u == "bundles" || u == "bundle"
}

// ProductionTypes lists the production types of the docs.
var ProductionTypes = []string{"infinite", "single", "produced", "supplied", "bundle"}
