package goflow

// The entity types follow the schemas of the Goflow API reference
// (shared/reference/goflow-api.txt). Pointers mark what the API may send
// as null or leave out; ids keep the API's types (int64, or a UUID as a
// string); open-ended enums (status, channel, type) are plain strings, so
// a value Goflow adds later reads as it is.

// StoreRef is the store an order or listing belongs to.
type StoreRef struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	Channel string `json:"channel"`
}

// WarehouseRef names a warehouse (id is a UUID).
type WarehouseRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// VendorRef names a vendor.
type VendorRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// ProductRef is a product as documents embed it. An order line's product
// is null for a listing that is not mapped to a product.
type ProductRef struct {
	ID          int64   `json:"id"`
	ItemNumber  string  `json:"item_number"`
	Name        *string `json:"name"`
	Description *string `json:"description"`
}

// Currency is a money object's currency; codes are lower case ("usd").
type Currency struct {
	Code         *string  `json:"code"`
	ExchangeRate *Decimal `json:"exchange_rate"`
}

// Money is {amount, currency}.
type Money struct {
	Amount   *Decimal  `json:"amount"`
	Currency *Currency `json:"currency"`
}

// Charge is one charge, tax, cost or consumer financial: a money amount
// with its type (price, discount, shipping, cogs, commission, ...).
// Discounts are negative.
type Charge struct {
	Amount   *Decimal  `json:"amount"`
	Currency *Currency `json:"currency"`
	Type     string    `json:"type"`
}

// Measure is a unit of measure on a quantity: amount units per UoM.
type Measure struct {
	Amount       *Decimal `json:"amount"`
	Abbreviation *string  `json:"abbreviation"`
}

// Quantity is {amount, measure}.
type Quantity struct {
	Amount  *Decimal `json:"amount"`
	Measure *Measure `json:"measure"`
}

// Weight is {measure, amount}.
type Weight struct {
	Measure *string  `json:"measure"`
	Amount  *Decimal `json:"amount"`
}

// Dimensions is {measure, length, width, height}.
type Dimensions struct {
	Measure *string  `json:"measure"`
	Length  *Decimal `json:"length"`
	Width   *Decimal `json:"width"`
	Height  *Decimal `json:"height"`
}

// Address is a postal address; country codes are lower case ("us").
type Address struct {
	Company        *string `json:"company"`
	Street1        *string `json:"street1"`
	Street2        *string `json:"street2"`
	City           *string `json:"city"`
	State          *string `json:"state"`
	ZipCode        *string `json:"zip_code"`
	CountryCode    *string `json:"country_code"`
	Email          *string `json:"email"`
	Phone          *string `json:"phone"`
	PhoneExtension *string `json:"phone_extension"`
	FirstName      *string `json:"first_name"`
	LastName       *string `json:"last_name"`
}

// Tag is a user-defined tag.
type Tag struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Note is a note on a document.
type Note struct {
	CreatedBy             *string `json:"created_by"`
	CreatedAt             *Time   `json:"created_at"`
	UpdatedAt             *Time   `json:"updated_at"`
	Text                  *string `json:"text"`
	IsPrivate             *bool   `json:"is_private"`
	IsPackingInstructions *bool   `json:"is_packing_instructions"`
}

// Summary is a document's subtotal and total.
type Summary struct {
	Subtotal *Money `json:"subtotal"`
	Total    *Money `json:"total"`
}

// Meta says when and by whom a document was created.
type Meta struct {
	Created *struct {
		At *Time `json:"at"`
		By *struct {
			Type *string `json:"type"`
			User *struct {
				Username *string `json:"username"`
			} `json:"user"`
		} `json:"by"`
	} `json:"created"`
}

// SentAt is an external transaction's time.
type SentAt struct {
	SentAt *Time `json:"sent_at"`
}

// Order is a sales order (GET /orders). Orders have no updated_at:
// status_updated_at moves only when the status changes. order_number is
// not unique: the orders split from one share it.
type Order struct {
	ID                   int64         `json:"id"`
	OrderNumber          string        `json:"order_number"`
	Date                 *Time         `json:"date"`
	Status               string        `json:"status"`
	StatusUpdatedAt      *Time         `json:"status_updated_at"`
	Source               *string       `json:"source"`
	FulfilledBy          *string       `json:"fulfilled_by"`
	Store                *StoreRef     `json:"store"`
	Warehouse            *WarehouseRef `json:"warehouse"`
	Lines                []OrderLine   `json:"lines"`
	ShippingAddress      *Address      `json:"shipping_address"`
	BillingAddress       *Address      `json:"billing_address"`
	Notes                []Note        `json:"notes"`
	PickListNumber       *int64        `json:"pick_list_number"`
	InvoiceNumber        *string       `json:"invoice_number"`
	PurchaseOrderNumber  *string       `json:"purchase_order_number"`
	IsGift               *bool         `json:"is_gift"`
	IsPIIRemoved         *bool         `json:"is_pii_removed"`
	IsReservingInventory *bool         `json:"is_reserving_inventory"`
	Shipment             *Shipment     `json:"shipment"`
	ShipDates            *ShipDates    `json:"ship_dates"`
	Tags                 []Tag         `json:"tags"`
	Charges              []Charge      `json:"charges"`
	Taxes                []Charge      `json:"taxes"`
	Costs                []Charge      `json:"costs"`
	OriginalOrderID      *int64        `json:"original_order_id"`
	ExternalTransactions *struct {
		StoreShipmentNotification *SentAt `json:"store_shipment_notification"`
		StoreInvoice              *SentAt `json:"store_invoice"`
		AccountingInvoice         *SentAt `json:"accounting_invoice"`
	} `json:"external_transactions"`
	Summary *Summary `json:"summary"`
}

// OrderLine is one line of an order (its id is a UUID).
type OrderLine struct {
	ID      string      `json:"id"`
	Product *ProductRef `json:"product"`
	Listing *struct {
		StoreProvidedID *string `json:"store_provided_id"`
		SKU             *string `json:"sku"`
		Description     *string `json:"description"`
	} `json:"listing"`
	Quantity           *Quantity        `json:"quantity"`
	Charges            []Charge         `json:"charges"`
	Taxes              []Charge         `json:"taxes"`
	Costs              []Charge         `json:"costs"`
	ConsumerFinancials []Charge         `json:"consumer_financials"`
	Children           []OrderLineChild `json:"children"`
	Customization      *struct {
		Text *string `json:"text"`
	} `json:"customization"`
}

// OrderLineChild is a component of a group product's line.
type OrderLineChild struct {
	ID       string      `json:"id"`
	Product  *ProductRef `json:"product"`
	Quantity *Quantity   `json:"quantity"`
	Costs    []Charge    `json:"costs"`
}

// Shipment is an order's shipment.
type Shipment struct {
	Type           *string `json:"type"`
	Carrier        *string `json:"carrier"`
	ShippingMethod *string `json:"shipping_method"`
	SCAC           *string `json:"scac"`
	ShippedAt      *Time   `json:"shipped_at"`
	Boxes          []Box   `json:"boxes"`
}

// Box is a packed shipment box of an order (its id is a UUID).
type Box struct {
	ID             string      `json:"id"`
	Cost           *Money      `json:"cost"`
	TrackingNumber *string     `json:"tracking_number"`
	Weight         *Weight     `json:"weight"`
	Dimensions     *Dimensions `json:"dimensions"`
	Lines          []struct {
		OrderLineID string   `json:"order_line_id"`
		Quantity    *Decimal `json:"quantity"`
	} `json:"lines"`
}

// ShipDates are an order's ship-by and deliver-by dates.
type ShipDates struct {
	EarliestShip                *Time `json:"earliest_ship"`
	LatestShip                  *Time `json:"latest_ship"`
	EarliestDelivery            *Time `json:"earliest_delivery"`
	LatestDelivery              *Time `json:"latest_delivery"`
	StoreProvidedLatestShip     *Time `json:"store_provided_latest_ship"`
	StoreProvidedLatestDelivery *Time `json:"store_provided_latest_delivery"`
}

// PurchaseOrder is a purchase order (GET /purchasing/purchase-orders).
// Its date is editable by users.
type PurchaseOrder struct {
	ID                  int64         `json:"id"`
	Type                *string       `json:"type"`
	PurchaseOrderNumber string        `json:"purchase_order_number"`
	Date                *Time         `json:"date"`
	Status              string        `json:"status"`
	Warehouse           *WarehouseRef `json:"warehouse"`
	Vendor              *VendorRef    `json:"vendor"`
	VendorPurchaseOrder *struct {
		PurchaseOrderNumber *string `json:"purchase_order_number"`
		IsSubmitted         *bool   `json:"is_submitted"`
	} `json:"vendor_purchase_order"`
	Charges  []Charge `json:"charges"`
	Shipment *struct {
		ExpectedAt     *Time   `json:"expected_at"`
		Type           *string `json:"type"`
		Carrier        *string `json:"carrier"`
		ShippingMethod *string `json:"shipping_method"`
	} `json:"shipment"`
	Lines   []PurchaseOrderLine `json:"lines"`
	Tags    []Tag               `json:"tags"`
	Notes   []Note              `json:"notes"`
	Summary *Summary            `json:"summary"`
	Meta    *Meta               `json:"meta"`
}

// PurchaseOrderLine is a line of a purchase order (its id is an int64).
type PurchaseOrderLine struct {
	ID               int64       `json:"id"`
	Product          *ProductRef `json:"product"`
	VendorItemNumber *string     `json:"vendor_item_number"`
	Quantity         *Quantity   `json:"quantity"`
	Price            *Money      `json:"price"`
	UnitsReceived    *Decimal    `json:"units_received"`
}

// Receipt is a receipt of products from a vendor (GET
// /purchasing/receipts). The API has no receipt create.
type Receipt struct {
	ID              int64         `json:"id"`
	ReferenceNumber *string       `json:"reference_number"`
	Date            *Time         `json:"date"`
	Status          string        `json:"status"`
	Warehouse       *WarehouseRef `json:"warehouse"`
	Vendor          *VendorRef    `json:"vendor"`
	Lines           []ReceiptLine `json:"lines"`
	Tags            []Tag         `json:"tags"`
	Notes           []Note        `json:"notes"`
	Meta            *Meta         `json:"meta"`
}

// ReceiptLine is a line of a receipt (its id is a UUID).
type ReceiptLine struct {
	ID            string      `json:"id"`
	Product       *ProductRef `json:"product"`
	Description   *string     `json:"description"`
	PurchaseOrder *struct {
		ID                  *int64    `json:"id"`
		PurchaseOrderNumber *string   `json:"purchase_order_number"`
		LineID              *int64    `json:"line_id"`
		Quantity            *Quantity `json:"quantity"`
	} `json:"purchase_order"`
	UnitsReceived *Decimal `json:"units_received"`
	Cost          *Money   `json:"cost"`
}

// Product is a catalog product (GET /products). Products have no stock
// fields and no updated_at; groups hold no stock.
type Product struct {
	ID         int64  `json:"id"`
	Type       string `json:"type"`
	ItemNumber string `json:"item_number"`
	Status     string `json:"status"`
	Tags       []Tag  `json:"tags"`
	Children   []struct {
		ProductID int64    `json:"product_id"`
		Quantity  *Decimal `json:"quantity"`
	} `json:"children"`
	Details  *ProductDetails `json:"details"`
	Pricing  *Pricing        `json:"pricing"`
	Settings *struct {
		FulfillmentMethod *string `json:"fulfillment_method"`
		IsPurchasable     *bool   `json:"is_purchasable"`
		IsSellable        *bool   `json:"is_sellable"`
	} `json:"settings"`
	Identifiers []Identifier `json:"identifiers"`
	Shipping    *struct {
		Weight       *Weight     `json:"weight"`
		Dimensions   *Dimensions `json:"dimensions"`
		InsuredValue *Decimal    `json:"insured_value"`
	} `json:"shipping"`
	Customs *struct {
		Description     *string  `json:"description"`
		DeclaredValue   *Decimal `json:"declared_value"`
		HTSTariffCode   *string  `json:"hts_tariff_code"`
		CountryOfOrigin *string  `json:"country_of_origin"`
	} `json:"customs"`
}

// ProductDetails are a product's descriptive fields.
type ProductDetails struct {
	Name         *string `json:"name,omitempty"`
	Description  *string `json:"description,omitempty"`
	PurchaseName *string `json:"purchase_name,omitempty"`
	Brand        *string `json:"brand,omitempty"`
	Manufacturer *string `json:"manufacturer,omitempty"`
	Condition    *string `json:"condition,omitempty"`
	Category     *string `json:"category,omitempty"`
	IsPerishable *bool   `json:"is_perishable,omitempty"`
}

// Pricing is a product's default cost and prices, each in [0.01,
// 1,000,000] or null.
type Pricing struct {
	DefaultCost  *Decimal `json:"default_cost,omitempty"`
	DefaultPrice *Decimal `json:"default_price,omitempty"`
	MSRP         *Decimal `json:"msrp,omitempty"`
	MAP          *Decimal `json:"map,omitempty"`
}

// Identifier is a product identifier (UPC, EAN, MPN, ASIN, ...).
type Identifier struct {
	Type            string  `json:"type"`
	Value           string  `json:"value"`
	UnitOfMeasureID *string `json:"unit_of_measure_id,omitempty"`
}

// Adjustment is an inventory adjustment (GET /inventory/adjustments). Line
// quantities are the relative change actually made, also for absolute
// requests.
type Adjustment struct {
	ID              int64            `json:"id"`
	CreatedAt       *Time            `json:"created_at"`
	ReferenceNumber *string          `json:"reference_number"`
	Warehouse       *WarehouseRef    `json:"warehouse"`
	Tags            []Tag            `json:"tags"`
	Notes           []Note           `json:"notes"`
	Lines           []AdjustmentLine `json:"lines"`
	Meta            *Meta            `json:"meta"`
}

// AdjustmentLine is a line of an adjustment. It has no id of its own.
type AdjustmentLine struct {
	ProductID          int64    `json:"product_id"`
	ProductDescription *string  `json:"product_description"`
	Quantity           *Decimal `json:"quantity"`
	Cost               *Decimal `json:"cost"`
	Reason             *string  `json:"reason"`
}

// TransferWarehouse is one end of a transfer.
type TransferWarehouse struct {
	ID         string  `json:"id"`
	Name       string  `json:"name"`
	Type       *string `json:"type"`
	ExternalID *string `json:"external_id"`
}

// Transfer is a warehouse transfer (GET /transfers).
type Transfer struct {
	ID              int64   `json:"id"`
	ReferenceNumber *string `json:"reference_number"`
	ExternalID      *string `json:"external_id"`
	Date            *Time   `json:"date"`
	Status          string  `json:"status"`
	Warehouses      *struct {
		From *TransferWarehouse `json:"from"`
		To   *TransferWarehouse `json:"to"`
	} `json:"warehouses"`
	Lines    []TransferLine `json:"lines"`
	Shipment *struct {
		Type           *string `json:"type"`
		Carrier        *string `json:"carrier"`
		ShippingMethod *string `json:"shipping_method"`
		ShippedAt      *Time   `json:"shipped_at"`
		Cost           *Money  `json:"cost"`
	} `json:"shipment"`
	IsReservingInventory *bool  `json:"is_reserving_inventory"`
	Tags                 []Tag  `json:"tags"`
	Notes                []Note `json:"notes"`
	Meta                 *Meta  `json:"meta"`
}

// TransferLine is a line of a transfer (its id is a UUID).
type TransferLine struct {
	ID      string      `json:"id"`
	Product *ProductRef `json:"product"`
	Listing *struct {
		StoreProvidedID       *string `json:"store_provided_id"`
		SKU                   *string `json:"sku"`
		FulfillmentNetworkSKU *string `json:"fulfillment_network_sku"`
	} `json:"listing"`
	Quantity              *Quantity `json:"quantity"`
	UnitsReceived         *Decimal  `json:"units_received"`
	UnitsReportedReceived *Decimal  `json:"units_reported_received"`
	ExpiresAt             *Time     `json:"expires_at"`
}

// Warehouse is a warehouse (GET /warehouses); its id is a UUID.
type Warehouse struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Type     string `json:"type"`
	Settings *struct {
		AllowsFulfillingTransfersWithoutInventory *bool `json:"allows_fulfilling_transfers_without_inventory"`
		AllowsReceivingWithoutPurchaseOrder       *bool `json:"allows_receiving_without_purchase_order"`
		UsesInventoryLocations                    *bool `json:"uses_inventory_locations"`
	} `json:"settings"`
	Address *Address `json:"address"`
	Tags    []Tag    `json:"tags"`
}

// Vendor is a supplier (GET /vendors).
type Vendor struct {
	ID       int64   `json:"id"`
	Name     string  `json:"name"`
	Status   string  `json:"status"`
	Currency *string `json:"currency"`
	Tags     []Tag   `json:"tags"`
	Notes    []Note  `json:"notes"`
}

// Store is a connected store (GET /stores).
type Store struct {
	ID              int64  `json:"id"`
	Name            string `json:"name"`
	Channel         string `json:"channel"`
	Status          string `json:"status"`
	StatusUpdatedAt *Time  `json:"status_updated_at"`
	Settings        *struct {
		CaptureFunds *bool   `json:"capture_funds"`
		Currency     *string `json:"currency"`
		Imports      *struct {
			Listings             *bool `json:"listings"`
			Orders               *bool `json:"orders"`
			StoreFulfilledOrders *bool `json:"store_fulfilled_orders"`
		} `json:"imports"`
	} `json:"settings"`
}

// Listing is an item on a store (GET /listings). Its key is internal_id;
// it has no id.
type Listing struct {
	InternalID            string    `json:"internal_id"`
	Status                *string   `json:"status"`
	Store                 *StoreRef `json:"store"`
	StoreProvidedID       *string   `json:"store_provided_id"`
	StorePageURL          *string   `json:"store_page_url"`
	SKU                   *string   `json:"sku"`
	FulfillmentNetworkSKU *string   `json:"fulfillment_network_sku"`
	Title                 *string   `json:"title"`
	Description           *string   `json:"description"`
	Price                 *Money    `json:"price"`
	Product               *struct {
		ID         int64  `json:"id"`
		ItemNumber string `json:"item_number"`
	} `json:"product"`
	FulfilledBy *string `json:"fulfilled_by"`
	Tags        []Tag   `json:"tags"`
}

// Created is the answer to a create: the new id and where to GET it.
type Created struct {
	ID       int64  `json:"id"`
	Location string `json:"location"`
}

// NewProduct is the body of a product create.
type NewProduct struct {
	Type        string          `json:"type,omitempty"`
	ItemNumber  string          `json:"item_number"`
	Details     *ProductDetails `json:"details,omitempty"`
	Pricing     *Pricing        `json:"pricing,omitempty"`
	Identifiers []Identifier    `json:"identifiers,omitempty"`
}

// NewAdjustment is the body of an inventory adjustment: 1..2000 lines in
// one warehouse.
type NewAdjustment struct {
	Type            string              `json:"type"` // absolute or relative
	WarehouseID     string              `json:"warehouse_id"`
	ReferenceNumber *string             `json:"reference_number,omitempty"`
	Lines           []NewAdjustmentLine `json:"lines"`
}

// NewAdjustmentLine is one line of an adjustment.
type NewAdjustmentLine struct {
	ProductID int64    `json:"product_id"`
	Quantity  Decimal  `json:"quantity"`
	Cost      *Decimal `json:"cost,omitempty"`
	Reason    *string  `json:"reason,omitempty"`
}

// MaxAdjustmentLines is the most lines one adjustment takes.
const MaxAdjustmentLines = 2000

// NewPurchaseOrder is the purchase order of a create.
type NewPurchaseOrder struct {
	PurchaseOrderNumber string                 `json:"purchase_order_number"`
	Date                *Time                  `json:"date,omitempty"`
	Warehouse           IDRef[string]          `json:"warehouse"`
	Vendor              IDRef[int64]           `json:"vendor"`
	Lines               []NewPurchaseOrderLine `json:"lines"`
}

// IDRef is {"id": ...}.
type IDRef[T any] struct {
	ID T `json:"id"`
}

// NewPurchaseOrderLine is one line of a purchase order create.
type NewPurchaseOrderLine struct {
	Product  IDRef[int64] `json:"product"`
	Quantity struct {
		Amount Decimal `json:"amount"`
	} `json:"quantity"`
	Price *struct {
		Amount Decimal `json:"amount"`
	} `json:"price,omitempty"`
}
