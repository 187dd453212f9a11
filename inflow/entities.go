package inflow

// Entity types follow the OpenAPI document of API version 2025-06-24: JSON
// names and types are the contract. Optional fields are pointers with
// omitempty, and arrays are omitted when nil (omitzero), so that a PUT sends
// only what is set and inFlow leaves the rest as it is. Set a non-nil empty
// slice to send an empty array. A primary id is a plain string; Timestamp is
// the row version: keep it from a GET to make a PUT fail on concurrent
// change, or leave it empty for a blind write. Read-only fields decode but
// are ignored by inFlow when sent back.
//
// Generated once from the spec, then edited by hand.

// ---- Products ----

// Product is a physical good or service whose cost, stock, sales and movements inFlow tracks.
// Name must be unique; Sku must be unique when set; ItemType and TrackSerials cannot change once set.
// Cost is read-only (change it with a ProductCostAdjustment). InventoryLines and TotalQuantityOnHand are
// filled only with include=inventoryLines. A sent child array (Prices, ProductBarcodes, VendorItems,
// ReorderSettings, ...) is taken as the full new list: reuse the ids from a GET when updating.
type Product struct {
	// The primary identifier for this product
	ProductID string `json:"productId,omitempty"`
	// File attachments included with this customer (read-only)
	Attachments []Attachment `json:"attachments,omitzero"`
	// Only relevant for products with a bill of materials
	AutoAssemble   *bool         `json:"autoAssemble,omitempty"`
	Category       *Category     `json:"category,omitempty"`
	CategoryID     *string       `json:"categoryId,omitempty"`
	Cost           *ProductCost  `json:"cost,omitempty"`
	CustomFields   *CustomFields `json:"customFields,omitempty"`
	DefaultImage   *Image        `json:"defaultImage,omitempty"`
	DefaultImageID *string       `json:"defaultImageId,omitempty"`
	DefaultPrice   *ProductPrice `json:"defaultPrice,omitempty"`
	// A human-readable description for this product
	Description *string `json:"description,omitempty"`
	// Height of this product (unit depends on global setting)
	Height *Decimal `json:"height,omitempty"`
	// Harmonized Tariff Schedule code for customs when exporting this item
	HsTariffNumber *string `json:"hsTariffNumber,omitempty"`
	Images         []Image `json:"images,omitzero"`
	// Only relevant for products with a bill of materials
	IncludeQuantityBuildable *bool           `json:"includeQuantityBuildable,omitempty"`
	InventoryLines           []InventoryLine `json:"inventoryLines,omitzero"`
	// Products with IsActive = false are deactivated and hidden away for future usage
	IsActive *bool `json:"isActive,omitempty"`
	// Whether this product can be manufactured (read-only)
	IsManufacturable *bool     `json:"isManufacturable,omitempty"`
	ItemBoms         []ItemBom `json:"itemBoms,omitzero"`
	// The type of this item
	ItemType       *ItemType   `json:"itemType,omitempty"`
	LastModifiedBy *TeamMember `json:"lastModifiedBy,omitempty"`
	// The inFlow Team Member, system process, or API key that last modified this product (read-only)
	LastModifiedByID *string `json:"lastModifiedById,omitempty"`
	// Last modified datetime of this product
	LastModifiedDateTime *DateTime `json:"lastModifiedDateTime,omitempty"`
	LastVendor           *Vendor   `json:"lastVendor,omitempty"`
	LastVendorID         *string   `json:"lastVendorId,omitempty"`
	// Length of this product (unit depends on global setting)
	Length *Decimal `json:"length,omitempty"`
	// An item name or title that should be human readable
	Name *string `json:"name,omitempty"`
	// 2-character country code for country of origin
	OriginCountry     *string            `json:"originCountry,omitempty"`
	Prices            []ProductPrice     `json:"prices,omitzero"`
	ProductBarcodes   []ProductBarcode   `json:"productBarcodes,omitzero"`
	ProductOperations []ProductOperation `json:"productOperations,omitzero"`
	PurchasingUom     *UnitOfMeasure     `json:"purchasingUom,omitempty"`
	// A space for any extra remarks about this product
	Remarks         *string           `json:"remarks,omitempty"`
	ReorderSettings []ReorderSettings `json:"reorderSettings,omitzero"`
	SalesUom        *UnitOfMeasure    `json:"salesUom,omitempty"`
	// A SKU (stock-keeping-unit) code that represents a product in a concise, machine-friendly, way
	Sku *string `json:"sku,omitempty"`
	// Standard unit of measure for tracking this product
	StandardUomName *string          `json:"standardUomName,omitempty"`
	TaxCodes        []ProductTaxCode `json:"taxCodes,omitzero"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string `json:"timestamp,omitempty"`
	// The total inventory quantity on hand across all locations for this product
	TotalQuantityOnHand *Decimal `json:"totalQuantityOnHand,omitempty"`
	// Whether this product requires serial numbers
	TrackSerials *bool `json:"trackSerials,omitempty"`
	// Whether lots are tracked (not in the spec; reported by live tests)
	TrackLots *bool `json:"trackLots,omitempty"`
	// Whether expiry dates are tracked (not in the spec; reported by live tests)
	TrackExpiry *bool `json:"trackExpiry,omitempty"`
	// Shelf life in days (not in the spec; reported by live tests)
	ShelfLifeDays *int `json:"shelfLifeDays,omitempty"`
	// Days before expiry to notify (not in the spec; reported by live tests)
	ExpiryNotificationDays *int `json:"expiryNotificationDays,omitempty"`
	// A list of vendors that sell this item to you
	VendorItems []VendorItem `json:"vendorItems,omitzero"`
	// Weight of this product (unit depends on global setting)
	Weight *Decimal `json:"weight,omitempty"`
	// Width of this product (unit depends on global setting)
	Width *Decimal `json:"width,omitempty"`
}

// ProductPrice is a product's price in one pricing scheme. UnitPrice is per sales unit of measure in the
// scheme's currency (FixedPrice); FixedMarkup is a percentage over cost (FixedMarkup).
type ProductPrice struct {
	// The primary identifier for this product price
	ProductPriceID string `json:"productPriceId,omitempty"`
	// For FixedMarkup, the percentage markup over the product cost
	FixedMarkup *Decimal `json:"fixedMarkup,omitempty"`
	// Most commonly FixedPrice for a set price, or FixedMarkup to automatically fluctuate as a markup over
	// the product cost
	PriceType       *PriceType     `json:"priceType,omitempty"`
	PricingScheme   *PricingScheme `json:"pricingScheme,omitempty"`
	PricingSchemeID *string        `json:"pricingSchemeId,omitempty"`
	Product         *Product       `json:"product,omitempty"`
	ProductID       *string        `json:"productId,omitempty"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string `json:"timestamp,omitempty"`
	// For FixedPrice, the price for 1 sales unit of measure in the pricing scheme's currency
	UnitPrice *Decimal `json:"unitPrice,omitempty"`
}

// ProductBarcode is one barcode of a product (the 2025-06-24 schema has no top-level barcode field).
type ProductBarcode struct {
	ProductBarcodeID string `json:"productBarcodeId,omitempty"`
	// The numeric or text value of this barcode value
	Barcode   *string  `json:"barcode,omitempty"`
	LineNum   *int     `json:"lineNum,omitempty"`
	Product   *Product `json:"product,omitempty"`
	ProductID *string  `json:"productId,omitempty"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string `json:"timestamp,omitempty"`
}

// VendorItem is a vendor's offer of a product: code, cost per purchasing unit in the vendor's currency, lead time.
type VendorItem struct {
	// The primary identifier for this vendor item
	VendorItemID string `json:"vendorItemId,omitempty"`
	// The cost for 1 purchasing unit of measure of this item, in the vendor's currency
	Cost *Decimal `json:"cost,omitempty"`
	// The lead time for this product and vendor in days
	LeadTimeDays *int `json:"leadTimeDays,omitempty"`
	// The order by which this vendor item is sorted
	LineNum   *int     `json:"lineNum,omitempty"`
	Product   *Product `json:"product,omitempty"`
	ProductID *string  `json:"productId,omitempty"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string  `json:"timestamp,omitempty"`
	Vendor    *Vendor `json:"vendor,omitempty"`
	VendorID  *string `json:"vendorId,omitempty"`
	// The code by which this vendor refers to this item
	VendorItemCode *string `json:"vendorItemCode,omitempty"`
}

// ReorderSettings are a product's reorder rules at one location.
type ReorderSettings struct {
	// The primary identifier for this reorder settings
	ReorderSettingsID string `json:"reorderSettingsId,omitempty"`
	// The default sublocation this product will be received into for this location
	DefaultSublocation *string `json:"defaultSublocation,omitempty"`
	// When true, reordering is enabled
	EnableReordering *bool     `json:"enableReordering,omitempty"`
	FromLocation     *Location `json:"fromLocation,omitempty"`
	FromLocationID   *string   `json:"fromLocationId,omitempty"`
	Location         *Location `json:"location,omitempty"`
	LocationID       *string   `json:"locationId,omitempty"`
	Product          *Product  `json:"product,omitempty"`
	ProductID        *string   `json:"productId,omitempty"`
	// The method by which this product should be reordered when low in stock (PurchaseOrder, WorkOrder, or
	// StockTransfer)
	ReorderMethod *ReorderMethod `json:"reorderMethod,omitempty"`
	// If stock levels (including pending orders) fall below the reorder point, then inFlow will suggest
	// replenishing this item in this location
	ReorderPoint *Decimal `json:"reorderPoint,omitempty"`
	// This is the minimum units of the product which will be reordered for this location when the quantity
	// falls below the reorder point
	ReorderQuantity *Decimal `json:"reorderQuantity,omitempty"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string  `json:"timestamp,omitempty"`
	Vendor    *Vendor `json:"vendor,omitempty"`
	VendorID  *string `json:"vendorId,omitempty"`
}

// InventoryLine is stock of a product at one location, sublocation and (for serialised products) serial.
// For a serial, QuantityOnHand is 1 when in stock and 0 when gone (lines are kept as history).
// Read through include=inventoryLines.
type InventoryLine struct {
	// The primary identifier for this inventory line
	InventoryLineID string    `json:"inventoryLineId,omitempty"`
	Location        *Location `json:"location,omitempty"`
	LocationID      *string   `json:"locationId,omitempty"`
	Product         *Product  `json:"product,omitempty"`
	ProductID       *string   `json:"productId,omitempty"`
	// The units of this product stored in this location and sublocation in standard unit of measure
	QuantityOnHand *Decimal `json:"quantityOnHand,omitempty"`
	// The serial number, if it's a serialized product with TrackSerials = true (other serial numbers will
	// be in other inventory lines)
	Serial *string `json:"serial,omitempty"`
	// The sublocation (e.g. bin number) where inventory is stored
	Sublocation *string `json:"sublocation,omitempty"`
	// Lot of this line (not in the spec; reported by live tests)
	LotID *string `json:"lotId,omitempty"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string `json:"timestamp,omitempty"`
}

// ProductCost is a product's inventory cost in the home currency per standard unit. Read-only.
type ProductCost struct {
	// Identifier for this product cost (read-only)
	ProductCostID string `json:"productCostId,omitempty"`
	// The inventory cost in the home currency for 1 standard unit of measure of this product (read-only)
	Cost      *Decimal `json:"cost,omitempty"`
	Product   *Product `json:"product,omitempty"`
	ProductID *string  `json:"productId,omitempty"`
}

// ProductTaxCode is a product's tax code within one taxing scheme.
type ProductTaxCode struct {
	// The primary identifier for this product tax code
	ProductTaxCodeID string        `json:"productTaxCodeId,omitempty"`
	Product          *Product      `json:"product,omitempty"`
	ProductID        *string       `json:"productId,omitempty"`
	TaxCode          *TaxCode      `json:"taxCode,omitempty"`
	TaxCodeID        *string       `json:"taxCodeId,omitempty"`
	TaxingScheme     *TaxingScheme `json:"taxingScheme,omitempty"`
	TaxingSchemeID   *string       `json:"taxingSchemeId,omitempty"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string `json:"timestamp,omitempty"`
}

// ItemBom is one component line of a product's bill of materials.
type ItemBom struct {
	ItemBomID      string           `json:"itemBomId,omitempty"`
	ChildProduct   *Product         `json:"childProduct,omitempty"`
	ChildProductID *string          `json:"childProductId,omitempty"`
	Product        *Product         `json:"product,omitempty"`
	ProductID      *string          `json:"productId,omitempty"`
	Quantity       *QuantityWithUom `json:"quantity,omitempty"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string `json:"timestamp,omitempty"`
}

// ProductOperation is one manufacturing operation step of a product.
type ProductOperation struct {
	ProductOperationID string `json:"productOperationId,omitempty"`
	// A fixed per-unit operation cost, in home currency
	Cost             *Decimal `json:"cost,omitempty"`
	EstimatedMinutes *Decimal `json:"estimatedMinutes,omitempty"`
	// An estimate of time required to complete this operation
	EstimatedSeconds *Decimal       `json:"estimatedSeconds,omitempty"`
	Instructions     *string        `json:"instructions,omitempty"`
	LineNum          *int           `json:"lineNum,omitempty"`
	OperationType    *OperationType `json:"operationType,omitempty"`
	OperationTypeID  *string        `json:"operationTypeId,omitempty"`
	// Variable per-hour operation cost, in home currency, e.g. worker salary
	PerHourCost *Decimal `json:"perHourCost,omitempty"`
	Product     *Product `json:"product,omitempty"`
	ProductID   *string  `json:"productId,omitempty"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string `json:"timestamp,omitempty"`
}

// OperationType is a kind of manufacturing operation. Read-only through the API.
type OperationType struct {
	// The primary identifier for this operation type
	OperationTypeID string `json:"operationTypeId,omitempty"`
	// Operation types with IsActive = false are deactivated and hidden away for new usage
	IsActive *bool `json:"isActive,omitempty"`
	// Only one operation type, your company-wide default, should have IsDefault = true
	IsDefault *bool `json:"isDefault,omitempty"`
	// Operation type name (human-readable)
	Name *string `json:"name,omitempty"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string `json:"timestamp,omitempty"`
}

// QuantityWithUom is a quantity in the standard unit and in a display unit, with serial numbers for
// serialised products (one per standard unit). Used by every order and movement line.
type QuantityWithUom struct {
	// For serialized products, a list of serial numbers (should be one serial number per standard
	// quantity)
	SerialNumbers []string `json:"serialNumbers,omitzero"`
	// The quantity measured in the standard unit of measure for the associated product
	StandardQuantity *Decimal `json:"standardQuantity,omitempty"`
	// The name of the unit of measure to be shown
	Uom *string `json:"uom,omitempty"`
	// The quantity measured in the unit of measure to be shown
	UomQuantity *Decimal `json:"uomQuantity,omitempty"`
}

// UnitOfMeasure is an alternate unit of measure and its ratio to the standard unit.
type UnitOfMeasure struct {
	ConversionRatio *UomConversionRatio `json:"conversionRatio,omitempty"`
	// Name of this alternate unit of measure
	Name *string `json:"name,omitempty"`
}

// UomConversionRatio says StandardQuantity standard units equal UomQuantity of this unit.
type UomConversionRatio struct {
	// A quantity in the standard unit of measure such that the two parts are equal
	StandardQuantity *Decimal `json:"standardQuantity,omitempty"`
	// A quantity in this unit of measure such that the two parts are equal
	UomQuantity *Decimal `json:"uomQuantity,omitempty"`
}

// Image holds the URLs of a product image in several sizes. Read-only.
type Image struct {
	// The primary identifier for this image
	ImageID string `json:"imageId,omitempty"`
	// The url to find the to the large size of the image (a rectangle in the same aspect ratio as the
	// original but shrunk to a maximum height and width of 960)
	LargeURL *string `json:"largeUrl,omitempty"`
	// The url to find the to the medium uncropped size of the image (a rectangle in the same aspect ratio
	// as the original but shrunk to a maximum height and width of 256)
	MediumUncroppedURL *string `json:"mediumUncroppedUrl,omitempty"`
	// The url to find the to the medium size of the image (256x256)
	MediumURL *string `json:"mediumUrl,omitempty"`
	// The url to find the unmodified source of the original image
	OriginalURL *string `json:"originalUrl,omitempty"`
	// The url to find the to the small size of the image (128x128)
	SmallURL *string `json:"smallUrl,omitempty"`
	// The url to find the to the thumb size of the image (48x48)
	ThumbURL *string `json:"thumbUrl,omitempty"`
}

// Attachment is a file attached to an entity. Read-only.
type Attachment struct {
	// The attachmentId to be fetched
	AttachmentID string `json:"attachmentId,omitempty"`
	// The Url associated with the attachment
	AttachmentURL *string `json:"attachmentUrl,omitempty"`
	// The human-readable name for this attachment
	FileName *string `json:"fileName,omitempty"`
	FileSize *int64  `json:"fileSize,omitempty"`
	// The DateTimeOffset when this attachment was last modified
	LastModDttm    *DateTime   `json:"lastModDttm,omitempty"`
	LastModifiedBy *TeamMember `json:"lastModifiedBy,omitempty"`
	// The inFlow Team Member, system process, or API key that last modified this attachment
	LastModifiedByID *string `json:"lastModifiedById,omitempty"`
}

// CustomFields are the ten custom field values of an entity; their labels come from
// /custom-field-definitions.
type CustomFields struct {
	// The first custom field value (as defined in settings) for this type
	Custom1 *string `json:"custom1,omitempty"`
	// The tenth custom field value (as defined in settings) for this type
	Custom10 *string `json:"custom10,omitempty"`
	// The second custom field value (as defined in settings) for this type
	Custom2 *string `json:"custom2,omitempty"`
	// The third custom field value (as defined in settings) for this type
	Custom3 *string `json:"custom3,omitempty"`
	// The fourth custom field value (as defined in settings) for this type
	Custom4 *string `json:"custom4,omitempty"`
	// The fifth custom field value (as defined in settings) for this type
	Custom5 *string `json:"custom5,omitempty"`
	// The sixth custom field value (as defined in settings) for this type
	Custom6 *string `json:"custom6,omitempty"`
	// The seventh custom field value (as defined in settings) for this type
	Custom7 *string `json:"custom7,omitempty"`
	// The eighth custom field value (as defined in settings) for this type
	Custom8 *string `json:"custom8,omitempty"`
	// The ninth custom field value (as defined in settings) for this type
	Custom9 *string `json:"custom9,omitempty"`
}

// ProductSummary is a product's inventory summary, at one location or (LocationID nil) across all.
// The spec types the quantities as numbers; the live API sends decimal strings. Both decode exactly.
// QuantityBuildable nil means unlimited.
type ProductSummary struct {
	// URL for a small image of the product
	ImageSmallURL *string `json:"imageSmallUrl,omitempty"`
	// The location whose inventory is being represented here, or null if this is a summary across all
	// locations
	LocationID *string `json:"locationId,omitempty"`
	// The product whose inventory is being represented here
	ProductID *string `json:"productId,omitempty"`
	// This number is how many of the products you’ll have left if you fulfill all open outgoing orders
	QuantityAvailable *Decimal `json:"quantityAvailable,omitempty"`
	// For manufactured products, the quantity buildable is how many units can be built based on the stock
	// of raw materials
	QuantityBuildable *Decimal `json:"quantityBuildable,omitempty"`
	// These are specific items that have been sent via Transfer Stock and are still in the Transit status
	// (i.e. you’ve sent the transfer, but it has not been received at the other location yet)
	QuantityInTransit *Decimal `json:"quantityInTransit,omitempty"`
	// This number is the total you have physically available (including Qty reserved) minus any items that
	// have already been picked in a sales order (i.e. what’s still on your warehouse shelves)
	QuantityOnHand *Decimal `json:"quantityOnHand,omitempty"`
	// This number is how many you've ordered but haven't received
	QuantityOnOrder *Decimal `json:"quantityOnOrder,omitempty"`
	// A breakdown of QuantityOnOrder into only those ordered from vendors but haven't received
	QuantityOnPurchaseOrder *Decimal `json:"quantityOnPurchaseOrder,omitempty"`
	// A breakdown of QuantityOnOrder into only those expected to be received on a stock transfer (only
	// when a locationId is specified)
	QuantityOnTransferOrder *Decimal `json:"quantityOnTransferOrder,omitempty"`
	// A breakdown of QuantityOnOrder into only those on manufacture orders that haven't been finished yet
	QuantityOnWorkOrder *Decimal `json:"quantityOnWorkOrder,omitempty"`
	// This number is the total that has already been picked in sales orders/work orders and is awaiting
	// shipment (think of them as sitting in a box waiting to be shipped out)
	QuantityPicked *Decimal `json:"quantityPicked,omitempty"`
	// This number is the total stock reserved for use that haven't been picked or used yet
	QuantityReserved *Decimal `json:"quantityReserved,omitempty"`
	// A breakdown of QuantityReserved into only those parts needed for bills of materials on products with
	// negative anticipated inventory
	QuantityReservedForBuilds *Decimal `json:"quantityReservedForBuilds,omitempty"`
	// A breakdown of QuantityReserved into only those reserved for raw materials of manufacture orders
	QuantityReservedForManufacturing *Decimal `json:"quantityReservedForManufacturing,omitempty"`
	// A breakdown of QuantityReserved into only those reserved for sales orders
	QuantityReservedForSales *Decimal `json:"quantityReservedForSales,omitempty"`
	// A breakdown of QuantityReserved into only those reserved to be picked for a stock transfer (only
	// when a locationId is specified)
	QuantityReservedForTransfers *Decimal `json:"quantityReservedForTransfers,omitempty"`
	// This number is how many of the products you’ll have left if you fulfill all open outgoing orders,
	// excluding QuantityBuildable and QuantityReservedForBuilds
	RawQuantityAvailable *Decimal `json:"rawQuantityAvailable,omitempty"`
}

// ---- Reference data ----

// Category organises products in a tree. Read-only through the API.
type Category struct {
	// The primary identifier for this category
	CategoryID string `json:"categoryId,omitempty"`
	// Only one category, your company-wide default, should have IsDefault = true
	IsDefault *bool `json:"isDefault,omitempty"`
	// A human-readable name for this category
	Name             *string   `json:"name,omitempty"`
	ParentCategory   *Category `json:"parentCategory,omitempty"`
	ParentCategoryID *string   `json:"parentCategoryId,omitempty"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string `json:"timestamp,omitempty"`
}

// Location is a warehouse or store. Read-only through the API; sublocations are free strings.
type Location struct {
	// The primary identifier for this location
	LocationID string   `json:"locationId,omitempty"`
	Address    *Address `json:"address,omitempty"`
	// Locations with IsActive = false are deactivated and hidden away for new usage, but inventory is not
	// removed from that location
	IsActive *bool `json:"isActive,omitempty"`
	// Only one location, your company-wide default, should have IsDefault = true
	IsDefault *bool `json:"isDefault,omitempty"`
	// Human-readable name for this location
	Name *string `json:"name,omitempty"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string `json:"timestamp,omitempty"`
}

// Address is a postal address.
type Address struct {
	// The first line of the street address
	Address1 *string `json:"address1,omitempty"`
	// The second line of the street address
	Address2 *string `json:"address2,omitempty"`
	// Whether this is a residential or commercial address
	AddressType *AddressType `json:"addressType,omitempty"`
	// The city of this address
	City *string `json:"city,omitempty"`
	// The Country of this address
	Country *string `json:"country,omitempty"`
	// The postal code or zip code of this address
	PostalCode *string `json:"postalCode,omitempty"`
	// Any additional remarks about this address
	Remarks *string `json:"remarks,omitempty"`
	// The state or province of this address
	State *string `json:"state,omitempty"`
}

// PricingScheme is a named set of product prices in one currency. Read-only through the API.
type PricingScheme struct {
	// The primary identifier for this pricing scheme
	PricingSchemeID string    `json:"pricingSchemeId,omitempty"`
	Currency        *Currency `json:"currency,omitempty"`
	CurrencyID      *string   `json:"currencyId,omitempty"`
	// Pricing schemes with IsActive = false are deactivated and hidden away for new usage
	IsActive *bool `json:"isActive,omitempty"`
	// Only one pricing scheme, your company-wide default, should have IsDefault = true
	IsDefault *bool `json:"isDefault,omitempty"`
	// Set IsTaxInclusive if prices should be interpreted as tax-inclusive, otherwise tax will be added on
	// top of listed prices
	IsTaxInclusive *bool `json:"isTaxInclusive,omitempty"`
	// Human-readable name for this pricing scheme
	Name *string `json:"name,omitempty"`
	// The list of prices under this pricing scheme
	ProductPrices []ProductPrice `json:"productPrices,omitzero"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string `json:"timestamp,omitempty"`
}

// Currency is a currency and its formatting rules. Read-only.
type Currency struct {
	// The primary identifier for this currency
	CurrencyID string `json:"currencyId,omitempty"`
	// A list of conversion rates related to this currency
	CurrencyConversions []CurrencyConversion `json:"currencyConversions,omitzero"`
	// The number of decimal places typically shown with this currency
	DecimalPlaces *int `json:"decimalPlaces,omitempty"`
	// The symbol used to separate decimals with this currency
	DecimalSeparator *string `json:"decimalSeparator,omitempty"`
	// Whether the symbol is shown prior to the numerical value for this currency
	IsSymbolFirst *bool `json:"isSymbolFirst,omitempty"`
	// The ISO 4217 code for this currency
	IsoCode *string `json:"isoCode,omitempty"`
	// A descriptive name of this currency
	Name *string `json:"name,omitempty"`
	// How negative numbers are shown for this currency
	NegativeType *NegativeType `json:"negativeType,omitempty"`
	// A short symbol representing this currency
	Symbol *string `json:"symbol,omitempty"`
	// The symbol used to separate thousands with this currency
	ThousandsSeparator *string `json:"thousandsSeparator,omitempty"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string `json:"timestamp,omitempty"`
}

// CurrencyConversion is the exchange rate of a currency against the home currency.
type CurrencyConversion struct {
	// The primary identifier for this currency conversion
	CurrencyConversionID string    `json:"currencyConversionId,omitempty"`
	Currency             *Currency `json:"currency,omitempty"`
	CurrencyID           *string   `json:"currencyId,omitempty"`
	// How many units of this currency 1 home currency unit is worth
	ExchangeRate *Decimal `json:"exchangeRate,omitempty"`
	// True if this exchange rate is overridden and manually set, false if it's automatically sourced When
	// this is true, then the entire record should be treated as read-only (read-only)
	IsManual *bool `json:"isManual,omitempty"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string `json:"timestamp,omitempty"`
}

// AdjustmentReason is a predefined reason for stock adjustments. Read-only through the API.
type AdjustmentReason struct {
	// The primary identifier for this adjustment reason
	AdjustmentReasonID string `json:"adjustmentReasonId,omitempty"`
	// Adjustment reasons with IsActive = false are deactivated and hidden away for new usage
	IsActive *bool `json:"isActive,omitempty"`
	// Whether this is a system-generated adjustment reason (read-only)
	IsInternal *bool `json:"isInternal,omitempty"`
	// A short description of this adjustment reason
	Name *string `json:"name,omitempty"`
}

// TaxingScheme is a set of up to two taxes and its tax codes.
type TaxingScheme struct {
	// The primary identifier for this taxing scheme
	TaxingSchemeID string `json:"taxingSchemeId,omitempty"`
	// Whether a secondary tax should be compounded on top of the primary tax
	CalculateTax2OnTax1 *bool    `json:"calculateTax2OnTax1,omitempty"`
	DefaultTaxCode      *TaxCode `json:"defaultTaxCode,omitempty"`
	DefaultTaxCodeID    *string  `json:"defaultTaxCodeId,omitempty"`
	// Taxing schemes with IsActive = false are deactivated and hidden away for new usage
	IsActive *bool `json:"isActive,omitempty"`
	// Only one taxing scheme, your company-wide default, should have IsDefault = true
	IsDefault *bool `json:"isDefault,omitempty"`
	// Human-readable name for this pricing scheme
	Name *string `json:"name,omitempty"`
	// A short name for display of the primary tax
	Tax1Name *string `json:"tax1Name,omitempty"`
	// Whether the primary tax applies to shipping/freight costs
	Tax1OnShipping *bool `json:"tax1OnShipping,omitempty"`
	// A short name for display of the secondary tax
	Tax2Name *string `json:"tax2Name,omitempty"`
	// Whether the secondary tax applies to shipping/freight costs
	Tax2OnShipping *bool `json:"tax2OnShipping,omitempty"`
	// A list of other potential tax codes (percentages) for this taxing scheme, e.g. for tax-exempt items
	TaxCodes []TaxCode `json:"taxCodes,omitzero"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string `json:"timestamp,omitempty"`
}

// TaxCode is a pair of tax rates within a taxing scheme. Read-only through the API.
type TaxCode struct {
	// The primary identifier for this tax code
	TaxCodeID string `json:"taxCodeId,omitempty"`
	// Tax codes with IsActive = false are deactivated and hidden away for new usage
	IsActive *bool `json:"isActive,omitempty"`
	// Human-readable name for this tax code
	Name *string `json:"name,omitempty"`
	// Percentage of the primary tax for this tax code
	Tax1Rate *Decimal `json:"tax1Rate,omitempty"`
	// Percentage of the secondary tax for this tax code
	Tax2Rate     *Decimal      `json:"tax2Rate,omitempty"`
	TaxingScheme *TaxingScheme `json:"taxingScheme,omitempty"`
	// The taxing scheme that this tax code is for
	TaxingSchemeID *string `json:"taxingSchemeId,omitempty"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string `json:"timestamp,omitempty"`
}

// PaymentTerms say when payment is due. Read-only through the API.
type PaymentTerms struct {
	// The primary identifier for these payment terms
	PaymentTermsID string `json:"paymentTermsId,omitempty"`
	// How many days from invoice until the payment is due
	DaysDue *int `json:"daysDue,omitempty"`
	// Payment terms IsActive = false are deactivated and hidden away for new usage
	IsActive *bool `json:"isActive,omitempty"`
	// Payment terms name (human-readable, typically include how many days until due)
	Name *string `json:"name,omitempty"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string `json:"timestamp,omitempty"`
}

// TeamMember is an inFlow user. Listed only (there is no get by id); read-only.
type TeamMember struct {
	// The primary identifier for this user
	TeamMemberID string `json:"teamMemberId,omitempty"`
	// Whether this team member has access to all locations
	AccessAllLocations *bool `json:"accessAllLocations,omitempty"`
	// If CanAccessAllLocations is false, then the list of Location ids that this team member has access to
	AccessLocationIDs []string `json:"accessLocationIds,omitzero"`
	// A list of access rights given to this team member
	AccessRights []string `json:"accessRights,omitzero"`
	// Whether this team member should be included as a choice for sales rep
	CanBeSalesRep *bool `json:"canBeSalesRep,omitempty"`
	// The email address associated with this user
	Email *string `json:"email,omitempty"`
	// Whether this user is currently an active inFlow user
	IsActive *bool `json:"isActive,omitempty"`
	// Whether this user is an internal inFlow system account
	IsInternal *bool `json:"isInternal,omitempty"`
	// The name of this inFlow user
	Name *string `json:"name,omitempty"`
}

// ---- Customers and vendors ----

// Customer is a person or business you sell to. The spec states no uniqueness rule for Name.
// Balances, Credits, Dues and OrderHistory are read-only.
type Customer struct {
	// The primary identifier for this customer
	CustomerID string `json:"customerId,omitempty"`
	// All addresses for this customer
	Addresses []CustomerAddress `json:"addresses,omitzero"`
	// File attachments included with this customer (read-only)
	Attachments []Attachment `json:"attachments,omitzero"`
	// How much this customer owes you (potentially in one or more currencies)
	Balances []CustomerBalance `json:"balances,omitzero"`
	// Name of your primary contact for this customer (if it's a business)
	ContactName *string `json:"contactName,omitempty"`
	// How much in store credit this customer has with you (potentially in one or more currencies)
	Credits                 []CustomerCredit `json:"credits,omitzero"`
	CustomFields            *CustomFields    `json:"customFields,omitempty"`
	DefaultBillingAddress   *CustomerAddress `json:"defaultBillingAddress,omitempty"`
	DefaultBillingAddressID *string          `json:"defaultBillingAddressId,omitempty"`
	// The default shipment method for this customer
	DefaultCarrier    *string   `json:"defaultCarrier,omitempty"`
	DefaultLocation   *Location `json:"defaultLocation,omitempty"`
	DefaultLocationID *string   `json:"defaultLocationId,omitempty"`
	// The default payment method that this customer uses to pay you for sales orders
	DefaultPaymentMethod  *string       `json:"defaultPaymentMethod,omitempty"`
	DefaultPaymentTerms   *PaymentTerms `json:"defaultPaymentTerms,omitempty"`
	DefaultPaymentTermsID *string       `json:"defaultPaymentTermsId,omitempty"`
	// The sales rep for your company that should be assigned to orders from this customer by default Note:
	// this can only be set when legacy free-form sales rep values are allowed
	DefaultSalesRep             *string          `json:"defaultSalesRep,omitempty"`
	DefaultSalesRepTeamMember   *TeamMember      `json:"defaultSalesRepTeamMember,omitempty"`
	DefaultSalesRepTeamMemberID *string          `json:"defaultSalesRepTeamMemberId,omitempty"`
	DefaultShippingAddress      *CustomerAddress `json:"defaultShippingAddress,omitempty"`
	DefaultShippingAddressID    *string          `json:"defaultShippingAddressId,omitempty"`
	// Percentage discount that you give by default on orders by this customer
	Discount *Decimal `json:"discount,omitempty"`
	// How much this customer owes you (potentially in one or more currencies)
	Dues []CustomerDue `json:"dues,omitzero"`
	// Primary contact email for this customer
	Email *string `json:"email,omitempty"`
	// Fax number for this customer
	Fax *string `json:"fax,omitempty"`
	// Vendors with IsActive = false are deactivated and hidden away for new usage
	IsActive       *bool       `json:"isActive,omitempty"`
	LastModifiedBy *TeamMember `json:"lastModifiedBy,omitempty"`
	// The inFlow Team Member, system process, or API key that last modified this customer (read-only)
	LastModifiedByID *string `json:"lastModifiedById,omitempty"`
	// The DateTimeOffset when this customer was last modified (read-only)
	LastModifiedDttm *DateTime `json:"lastModifiedDttm,omitempty"`
	// Customer's name (human-readable, typically a person or business name)
	Name         *string               `json:"name,omitempty"`
	OrderHistory *CustomerOrderHistory `json:"orderHistory,omitempty"`
	// Phone number for this customer
	Phone           *string        `json:"phone,omitempty"`
	PricingScheme   *PricingScheme `json:"pricingScheme,omitempty"`
	PricingSchemeID *string        `json:"pricingSchemeId,omitempty"`
	// Any additional remarks regarding this vendor
	Remarks *string `json:"remarks,omitempty"`
	// A government number/identifier documenting why this customer has special tax privileges
	TaxExemptNumber *string       `json:"taxExemptNumber,omitempty"`
	TaxingScheme    *TaxingScheme `json:"taxingScheme,omitempty"`
	TaxingSchemeID  *string       `json:"taxingSchemeId,omitempty"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string `json:"timestamp,omitempty"`
	// Vendor's website
	Website *string `json:"website,omitempty"`
}

// CustomerAddress is one named address of a customer.
type CustomerAddress struct {
	// The primary identifier for this customer address
	CustomerAddressID string    `json:"customerAddressId,omitempty"`
	Address           *Address  `json:"address,omitempty"`
	Customer          *Customer `json:"customer,omitempty"`
	CustomerID        *string   `json:"customerId,omitempty"`
	// A descriptive name of this address, e.g. "New York Store"
	Name *string `json:"name,omitempty"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string `json:"timestamp,omitempty"`
}

// CustomerBalance is what a customer owes in one currency. Read-only.
type CustomerBalance struct {
	CustomerBalanceID string    `json:"customerBalanceId,omitempty"`
	Balance           *Decimal  `json:"balance,omitempty"`
	Currency          *Currency `json:"currency,omitempty"`
	CurrencyID        *string   `json:"currencyId,omitempty"`
	Customer          *Customer `json:"customer,omitempty"`
	CustomerID        *string   `json:"customerId,omitempty"`
}

// CustomerCredit is a customer's store credit in one currency. Read-only.
type CustomerCredit struct {
	CustomerCreditID string    `json:"customerCreditId,omitempty"`
	Credit           *Decimal  `json:"credit,omitempty"`
	Currency         *Currency `json:"currency,omitempty"`
	CurrencyID       *string   `json:"currencyId,omitempty"`
	Customer         *Customer `json:"customer,omitempty"`
	CustomerID       *string   `json:"customerId,omitempty"`
}

// CustomerDue is a customer's dues by age in one currency. Read-only.
type CustomerDue struct {
	CustomerDueID string    `json:"customerDueId,omitempty"`
	Amount1To30   *Decimal  `json:"amount1To30,omitempty"`
	Amount31To60  *Decimal  `json:"amount31To60,omitempty"`
	Amount61Plus  *Decimal  `json:"amount61Plus,omitempty"`
	AmountCurrent *Decimal  `json:"amountCurrent,omitempty"`
	Currency      *Currency `json:"currency,omitempty"`
	CurrencyID    *string   `json:"currencyId,omitempty"`
}

// CustomerOrderHistory holds the date of a customer's last order. Read-only.
type CustomerOrderHistory struct {
	ID            *string   `json:"id,omitempty"`
	LastOrderDate *DateTime `json:"lastOrderDate,omitempty"`
}

// Vendor is a business you buy from.
type Vendor struct {
	// The primary identifier for this vendor
	VendorID string `json:"vendorId,omitempty"`
	// This list of all addresses (e.g. stores) for this vendor
	Addresses []VendorAddress `json:"addresses,omitzero"`
	// File attachments included with this vendor (read-only)
	Attachments []Attachment `json:"attachments,omitzero"`
	// How much you owe this vendor (potentially in one or more currencies)
	Balances []VendorBalance `json:"balances,omitzero"`
	// Name of your primary contact for this vendor
	ContactName *string `json:"contactName,omitempty"`
	// How much in store credit you have with this vendor (potentially in one or more currencies)
	Credits          []VendorCredit `json:"credits,omitzero"`
	Currency         *Currency      `json:"currency,omitempty"`
	CurrencyID       *string        `json:"currencyId,omitempty"`
	CustomFields     *CustomFields  `json:"customFields,omitempty"`
	DefaultAddress   *VendorAddress `json:"defaultAddress,omitempty"`
	DefaultAddressID *string        `json:"defaultAddressId,omitempty"`
	// The default shipment method for this vendor
	DefaultCarrier *string `json:"defaultCarrier,omitempty"`
	// The default payment method that you use to pay for purchase orders with this vendor
	DefaultPaymentMethod  *string       `json:"defaultPaymentMethod,omitempty"`
	DefaultPaymentTerms   *PaymentTerms `json:"defaultPaymentTerms,omitempty"`
	DefaultPaymentTermsID *string       `json:"defaultPaymentTermsId,omitempty"`
	// Percentage discount that you receive by default on orders to this vendor
	Discount *Decimal `json:"discount,omitempty"`
	// How much you owe this vendor (potentially in one or more currencies)
	Dues []VendorDue `json:"dues,omitzero"`
	// Primary contact email for this vendor
	Email *string `json:"email,omitempty"`
	// Fax number for this vendor
	Fax *string `json:"fax,omitempty"`
	// Vendors with IsActive = false are deactivated and hidden away for new usage
	IsActive *bool `json:"isActive,omitempty"`
	// Whether this vendor's prices are tax-inclusive, or whether tax should be added on top of those
	// prices
	IsTaxInclusivePricing *bool       `json:"isTaxInclusivePricing,omitempty"`
	LastModifiedBy        *TeamMember `json:"lastModifiedBy,omitempty"`
	// The inFlow Team Member, system process, or API key that last modified this vendor (read-only)
	LastModifiedByID *string `json:"lastModifiedById,omitempty"`
	// The last time this vendor was modified (read-only)
	LastModifiedDttm *DateTime `json:"lastModifiedDttm,omitempty"`
	// For reordering purposes, how many days it typically takes to receive shipments from this vendor
	LeadTimeDays *int `json:"leadTimeDays,omitempty"`
	// Vendor's name (human-readable, typically a business name)
	Name *string `json:"name,omitempty"`
	// Phone number for this vendor
	Phone *string `json:"phone,omitempty"`
	// Any additional remarks regarding this vendor
	Remarks        *string       `json:"remarks,omitempty"`
	TaxingScheme   *TaxingScheme `json:"taxingScheme,omitempty"`
	TaxingSchemeID *string       `json:"taxingSchemeId,omitempty"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string `json:"timestamp,omitempty"`
	// A list of items that this vendor sells to you
	VendorItems []VendorItem `json:"vendorItems,omitzero"`
	// Vendor's website
	Website *string `json:"website,omitempty"`
}

// VendorAddress is one named address of a vendor.
type VendorAddress struct {
	// The primary identifier for this vendor address
	VendorAddressID string   `json:"vendorAddressId,omitempty"`
	Address         *Address `json:"address,omitempty"`
	// A descriptive name of this address, e.g. "New York Store"
	Name *string `json:"name,omitempty"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string  `json:"timestamp,omitempty"`
	Vendor    *Vendor `json:"vendor,omitempty"`
	VendorID  *string `json:"vendorId,omitempty"`
}

// VendorBalance is what you owe a vendor in one currency. Read-only.
type VendorBalance struct {
	// The primary identifier for this vendor balance
	VendorBalanceID string `json:"vendorBalanceId,omitempty"`
	// The amount that you owe this vendor in the specified currency
	Balance    *Decimal  `json:"balance,omitempty"`
	Currency   *Currency `json:"currency,omitempty"`
	CurrencyID *string   `json:"currencyId,omitempty"`
	Vendor     *Vendor   `json:"vendor,omitempty"`
	VendorID   *string   `json:"vendorId,omitempty"`
}

// VendorCredit is your store credit with a vendor in one currency. Read-only.
type VendorCredit struct {
	// The primary identifier for this vendor credit
	VendorCreditID string `json:"vendorCreditId,omitempty"`
	// The amount of store credit you have with this vendor in the specified currency
	Credit     *Decimal  `json:"credit,omitempty"`
	Currency   *Currency `json:"currency,omitempty"`
	CurrencyID *string   `json:"currencyId,omitempty"`
	Vendor     *Vendor   `json:"vendor,omitempty"`
	VendorID   *string   `json:"vendorId,omitempty"`
}

// VendorDue is what you owe a vendor by age in one currency. Read-only.
type VendorDue struct {
	VendorDueID   string    `json:"vendorDueId,omitempty"`
	Amount1To30   *Decimal  `json:"amount1To30,omitempty"`
	Amount31To60  *Decimal  `json:"amount31To60,omitempty"`
	Amount61Plus  *Decimal  `json:"amount61Plus,omitempty"`
	AmountCurrent *Decimal  `json:"amountCurrent,omitempty"`
	Currency      *Currency `json:"currency,omitempty"`
	CurrencyID    *string   `json:"currencyId,omitempty"`
}

// ---- Orders ----

// SalesOrder is an order from a customer. CustomerID and Source are required on PUT. Totals are
// computed by inFlow when left out. Picks that would drive stock negative fail with 422 unless the
// write sends the header X-OverrideAllowNegativeInventory: true (Request.Header). A sent line array
// replaces the stored one.
type SalesOrder struct {
	// The primary identifier for this sales order
	SalesOrderID string `json:"salesOrderId,omitempty"`
	// The amount that this customer has paid you
	AmountPaid             *Decimal    `json:"amountPaid,omitempty"`
	AssignedToTeamMember   *TeamMember `json:"assignedToTeamMember,omitempty"`
	AssignedToTeamMemberID *string     `json:"assignedToTeamMemberId,omitempty"`
	// File attachments included with this sales order (read-only)
	Attachments []Attachment `json:"attachments,omitzero"`
	// The remaining amount that the customer owes you
	Balance        *Decimal `json:"balance,omitempty"`
	BillingAddress *Address `json:"billingAddress,omitempty"`
	// Whether a secondary tax should be compounded on top of the primary tax
	CalculateTax2OnTax1   *bool       `json:"calculateTax2OnTax1,omitempty"`
	ConfirmerTeamMember   *TeamMember `json:"confirmerTeamMember,omitempty"`
	ConfirmerTeamMemberID *string     `json:"confirmerTeamMemberId,omitempty"`
	// The name of the customer's employee that you should contact for this order
	ContactName     *string                    `json:"contactName,omitempty"`
	CostOfGoodsSold *SalesOrderCostOfGoodsSold `json:"costOfGoodsSold,omitempty"`
	Currency        *Currency                  `json:"currency,omitempty"`
	CurrencyID      *string                    `json:"currencyId,omitempty"`
	CustomFields    *CustomFields              `json:"customFields,omitempty"`
	Customer        *Customer                  `json:"customer,omitempty"`
	CustomerID      *string                    `json:"customerId,omitempty"`
	// The date by which payment is due
	DueDate *DateTime `json:"dueDate,omitempty"`
	// The email address for the customer that you should contact for this order
	Email *string `json:"email,omitempty"`
	// The exchange rate between the currency in this order and your home currency effective for this order
	ExchangeRate *Decimal `json:"exchangeRate,omitempty"`
	// If this exchange rate was automatically pulled, then the date it was set, otherwise null
	ExchangeRateAutoPulled *DateTime `json:"exchangeRateAutoPulled,omitempty"`
	// An optional external identifier, for use in integrating with other systems
	ExternalID *string `json:"externalId,omitempty"`
	// The inventory-related status of this order (read-only)
	InventoryStatus *InventoryStatus `json:"inventoryStatus,omitempty"`
	// The date that you sent an invoice for this customer
	InvoicedDate *DateTime `json:"invoicedDate,omitempty"`
	// Whether this order is cancelled (being cancelled voids any payments and inventory movements)
	IsCancelled *bool `json:"isCancelled,omitempty"`
	// Whether this order is completed (fully shipped and returns processed)
	IsCompleted *bool `json:"isCompleted,omitempty"`
	// Whether you have issued an invoice to this customer for this order
	IsInvoiced *bool `json:"isInvoiced,omitempty"`
	// Whether this order is prioritized for fulfillment (read-only)
	IsPrioritized *bool `json:"isPrioritized,omitempty"`
	// When true, then treat this as a sales quote (where the customer hasn't agreed to purchase yet)
	// instead of an order
	IsQuote *bool `json:"isQuote,omitempty"`
	// When true, then prices should be treated as tax-inclusive
	IsTaxInclusive *bool       `json:"isTaxInclusive,omitempty"`
	LastModifiedBy *TeamMember `json:"lastModifiedBy,omitempty"`
	// The inFlow Team Member, system process, or API key that last modified this sales order (read-only)
	LastModifiedByID *string `json:"lastModifiedById,omitempty"`
	// Lines representing which goods have been ordered and returned
	Lines      []SalesOrderLine `json:"lines,omitzero"`
	Location   *Location        `json:"location,omitempty"`
	LocationID *string          `json:"locationId,omitempty"`
	// When the following conditions are met, then this order needs confirmation before it should be
	// fulfilled: needsConfirmation = True; confirmerTeamMemberId = Null; isQuote = False
	NeedsConfirmation *bool                 `json:"needsConfirmation,omitempty"`
	NonCustomerCost   *PercentOrFixedAmount `json:"nonCustomerCost,omitempty"`
	// The date this order was placed
	OrderDate *DateTime `json:"orderDate,omitempty"`
	// The amount you charge this customer for shipping
	OrderFreight *Decimal `json:"orderFreight,omitempty"`
	// An identifier for this sales order and shown on printed documents
	OrderNumber *string `json:"orderNumber,omitempty"`
	// Any extra comments on this order
	OrderRemarks *string `json:"orderRemarks,omitempty"`
	// Lines representing which goods have been packed into which boxes for shipping
	PackLines []SalesOrderPackLine `json:"packLines,omitzero"`
	// Any extra comments on this order regarding packing
	PackRemarks *string `json:"packRemarks,omitempty"`
	// Lines representing a history of payment details for this order
	PaymentLines []SalesOrderPaymentHistoryLine `json:"paymentLines,omitzero"`
	// The payment-related status of this order
	PaymentStatus  *PaymentStatus `json:"paymentStatus,omitempty"`
	PaymentTerms   *PaymentTerms  `json:"paymentTerms,omitempty"`
	PaymentTermsID *string        `json:"paymentTermsId,omitempty"`
	// The phone number for the customer that you should contact for this order
	Phone *string `json:"phone,omitempty"`
	// Lines representing which goods have been picked from your warehouse
	PickLines []SalesOrderPickLine `json:"pickLines,omitzero"`
	// Any extra comments on this order regarding picking
	PickRemarks *string `json:"pickRemarks,omitempty"`
	// The customer's Purchase Order number for this order
	PoNumber        *string        `json:"poNumber,omitempty"`
	PricingScheme   *PricingScheme `json:"pricingScheme,omitempty"`
	PricingSchemeID *string        `json:"pricingSchemeId,omitempty"`
	// The date that you should ship this order
	RequestedShipDate *DateTime `json:"requestedShipDate,omitempty"`
	// Lines representing which returned items have been restocked
	RestockLines []SalesOrderRestockLine `json:"restockLines,omitzero"`
	// Any extra comments on this order regarding restocking
	RestockRemarks *string `json:"restockRemarks,omitempty"`
	// The amount you charge to this customer for return fees
	ReturnFee *Decimal `json:"returnFee,omitempty"`
	// The amount that you refund to this customer for returns related to shipping
	ReturnFreight *Decimal `json:"returnFreight,omitempty"`
	// Any extra comments on this order regarding returns
	ReturnRemarks *string `json:"returnRemarks,omitempty"`
	// The name of the sales rep at your company in charge of this order
	SalesRep             *string     `json:"salesRep,omitempty"`
	SalesRepTeamMember   *TeamMember `json:"salesRepTeamMember,omitempty"`
	SalesRepTeamMemberID *string     `json:"salesRepTeamMemberId,omitempty"`
	// When true, then the shipping address should be the same as the billing address
	SameBillingAndShipping *bool `json:"sameBillingAndShipping,omitempty"`
	// Lines representing which boxes have been shipped
	ShipLines []SalesOrderShipLine `json:"shipLines,omitzero"`
	// Any extra comments on this order regarding shipping
	ShipRemarks *string `json:"shipRemarks,omitempty"`
	// The ship-to company name shown on printed documents
	ShipToCompanyName *string  `json:"shipToCompanyName,omitempty"`
	ShippingAddress   *Address `json:"shippingAddress,omitempty"`
	// Whether this order will be shipped; this controls whether certain fields like Shipping Address will
	// be shown
	ShowShipping *bool `json:"showShipping,omitempty"`
	// Where this order originated from, i.e. the name of your app
	Source *string `json:"source,omitempty"`
	// The total of line items for this order
	SubTotal *Decimal `json:"subTotal,omitempty"`
	// The calculated primary tax amount for this order
	Tax1 *Decimal `json:"tax1,omitempty"`
	// A short name for display of the primary tax
	Tax1Name *string `json:"tax1Name,omitempty"`
	// Whether the primary tax applies to shipping/freight costs
	Tax1OnShipping *bool `json:"tax1OnShipping,omitempty"`
	// The default percentage primary tax for this order
	Tax1Rate *Decimal `json:"tax1Rate,omitempty"`
	// The calculated secondary tax amount for this order
	Tax2 *Decimal `json:"tax2,omitempty"`
	// A short name for display of the secondary tax
	Tax2Name *string `json:"tax2Name,omitempty"`
	// Whether the secondary tax applies to shipping/freight costs
	Tax2OnShipping *bool `json:"tax2OnShipping,omitempty"`
	// The default percentage secondary tax for this order
	Tax2Rate       *Decimal      `json:"tax2Rate,omitempty"`
	TaxingScheme   *TaxingScheme `json:"taxingScheme,omitempty"`
	TaxingSchemeID *string       `json:"taxingSchemeId,omitempty"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string `json:"timestamp,omitempty"`
	// The total amount the customer should pay, including taxes and shipping
	Total *Decimal `json:"total,omitempty"`
}

// SalesOrderLine is one ordered (or, with a negative quantity, returned) product.
type SalesOrderLine struct {
	// The primary identifier for this sales order line
	SalesOrderLineID string `json:"salesOrderLineId,omitempty"`
	// A human-readable description for the product being ordered or returned (can be customized
	// specifically this order)
	Description *string               `json:"description,omitempty"`
	Discount    *PercentOrFixedAmount `json:"discount,omitempty"`
	// For lines with negative quantities, true if the items should be discarded, not restocked (e.g. for
	// damaged items)
	IsDiscarded *bool            `json:"isDiscarded,omitempty"`
	Product     *Product         `json:"product,omitempty"`
	ProductID   *string          `json:"productId,omitempty"`
	Quantity    *QuantityWithUom `json:"quantity,omitempty"`
	// For lines with negative quantities, the date the item was returned
	ReturnDate *DateTime `json:"returnDate,omitempty"`
	// For service lines, whether the service has been completed
	ServiceCompleted *bool `json:"serviceCompleted,omitempty"`
	// The subtotal for this line (calculated from Quantity, UnitPrice and Discount)
	SubTotal *Decimal `json:"subTotal,omitempty"`
	// The primary tax rate charged for this line
	Tax1Rate *Decimal `json:"tax1Rate,omitempty"`
	// The secondary tax rate charged for this line
	Tax2Rate  *Decimal `json:"tax2Rate,omitempty"`
	TaxCode   *TaxCode `json:"taxCode,omitempty"`
	TaxCodeID *string  `json:"taxCodeId,omitempty"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string `json:"timestamp,omitempty"`
	// The price charged per unit of measure
	UnitPrice *Decimal `json:"unitPrice,omitempty"`
}

// SalesOrderPickLine records goods picked from a location for a sales order.
type SalesOrderPickLine struct {
	// The primary identifier for this sales order pick line
	SalesOrderPickLineID string `json:"salesOrderPickLineId,omitempty"`
	// A human-readable description for the product being picked (can be customized specifically this
	// order)
	Description *string   `json:"description,omitempty"`
	Location    *Location `json:"location,omitempty"`
	LocationID  *string   `json:"locationId,omitempty"`
	// The date that this line was picked
	PickDate  *DateTime        `json:"pickDate,omitempty"`
	Product   *Product         `json:"product,omitempty"`
	ProductID *string          `json:"productId,omitempty"`
	Quantity  *QuantityWithUom `json:"quantity,omitempty"`
	// The sublocation this product is being picked from
	Sublocation *string `json:"sublocation,omitempty"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string `json:"timestamp,omitempty"`
}

// SalesOrderPackLine records goods packed into a container.
type SalesOrderPackLine struct {
	// The primary identifier for this sales order pack line
	SalesOrderPackLineID string `json:"salesOrderPackLineId,omitempty"`
	// The container/box number that this product is being packed into
	ContainerNumber *string `json:"containerNumber,omitempty"`
	// A human-readable description for the product being packed (can be customized specifically this
	// order)
	Description *string          `json:"description,omitempty"`
	Product     *Product         `json:"product,omitempty"`
	ProductID   *string          `json:"productId,omitempty"`
	Quantity    *QuantityWithUom `json:"quantity,omitempty"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string `json:"timestamp,omitempty"`
}

// SalesOrderShipLine records containers shipped.
type SalesOrderShipLine struct {
	// The primary identifier for this sales order ship line
	SalesOrderShipLineID string `json:"salesOrderShipLineId,omitempty"`
	// The carrier or shipping method for these items
	Carrier *string `json:"carrier,omitempty"`
	// A list of container numbers (see SalesOrderPackLine) being shipped
	Containers []string `json:"containers,omitzero"`
	// The email address associated with the shipment, will be used for the EasyPost confirmation email
	// when the shipment starts
	EasyPostConfirmationEmailAddress *string `json:"easyPostConfirmationEmailAddress,omitempty"`
	// A shipment ID from EasyPost (read-only)
	EasyPostShipmentID *string `json:"easyPostShipmentId,omitempty"`
	// Whether this shipment has been integrated with EasyPost, and if so, whether the label has been
	// purchased (read-only)
	EasyPostShipmentStatus *ShipmentStatus `json:"easyPostShipmentStatus,omitempty"`
	// The date these items were shipped
	ShippedDate *DateTime `json:"shippedDate,omitempty"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string `json:"timestamp,omitempty"`
	// The tracking number associated with shipment
	TrackingNumber *string `json:"trackingNumber,omitempty"`
}

// SalesOrderRestockLine records returned goods put back into stock.
type SalesOrderRestockLine struct {
	// The primary identifier for this sales order restock line
	SalesOrderRestockLineID string `json:"salesOrderRestockLineId,omitempty"`
	// A human-readable description for the product being restocked (can be customized specifically this
	// order)
	Description *string          `json:"description,omitempty"`
	Location    *Location        `json:"location,omitempty"`
	LocationID  *string          `json:"locationId,omitempty"`
	Product     *Product         `json:"product,omitempty"`
	ProductID   *string          `json:"productId,omitempty"`
	Quantity    *QuantityWithUom `json:"quantity,omitempty"`
	// The date that this item was restocked
	RestockDate *DateTime `json:"restockDate,omitempty"`
	// The sublocation that this item is being restocked into
	Sublocation *string `json:"sublocation,omitempty"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string `json:"timestamp,omitempty"`
}

// SalesOrderPaymentHistoryLine is one payment or refund on a sales order.
type SalesOrderPaymentHistoryLine struct {
	// The primary identifier for this sales order payment history line
	SalesOrderPaymentHistoryLineID string `json:"salesOrderPaymentHistoryLineId,omitempty"`
	// The amount being paid
	Amount *Decimal `json:"amount,omitempty"`
	// The date this payment or refund was made
	DatePaid *DateTime `json:"datePaid,omitempty"`
	// A number representing the sequence of this payment line
	LineNum *int `json:"lineNum,omitempty"`
	// Method of payment
	PaymentMethod *string `json:"paymentMethod,omitempty"`
	// The type of payment or refund
	PaymentType *PaymentType `json:"paymentType,omitempty"`
	// A reference number for this payment, e.g. check number
	ReferenceNumber *string `json:"referenceNumber,omitempty"`
	// Any extra remarks about this payment
	Remarks *string `json:"remarks,omitempty"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string `json:"timestamp,omitempty"`
}

// SalesOrderCostOfGoodsSold is the cost of goods of a completed order. Read-only.
type SalesOrderCostOfGoodsSold struct {
	// The primary identifier of this cost information
	SalesOrderCostOfGoodsSoldID string `json:"salesOrderCostOfGoodsSoldId,omitempty"`
	// For completed orders, the cost of goods sold in your home currency
	CostOfGoodsSold *Decimal    `json:"costOfGoodsSold,omitempty"`
	SalesOrder      *SalesOrder `json:"salesOrder,omitempty"`
	SalesOrderID    *string     `json:"salesOrderId,omitempty"`
}

// PercentOrFixedAmount is a discount or cost given as a percentage or an amount.
type PercentOrFixedAmount struct {
	// If true, interpret the Value as a percentage, otherwise, as a currency amount
	IsPercent *bool `json:"isPercent,omitempty"`
	// Numerical value
	Value *Decimal `json:"value,omitempty"`
}

// PurchaseOrder is an order to a vendor. VendorID is required on PUT. A sent line array replaces
// the stored one.
type PurchaseOrder struct {
	// The primary identifier for this purchase order
	PurchaseOrderID string `json:"purchaseOrderId,omitempty"`
	// The amount that you have paid this vendor
	AmountPaid             *Decimal    `json:"amountPaid,omitempty"`
	ApproverTeamMember     *TeamMember `json:"approverTeamMember,omitempty"`
	ApproverTeamMemberID   *string     `json:"approverTeamMemberId,omitempty"`
	AssignedToTeamMember   *TeamMember `json:"assignedToTeamMember,omitempty"`
	AssignedToTeamMemberID *string     `json:"assignedToTeamMemberId,omitempty"`
	// File attachments included with this purchase order (read-only)
	Attachments []Attachment `json:"attachments,omitzero"`
	// The remaining amount that you owe this vendor
	Balance *Decimal `json:"balance,omitempty"`
	// Whether a secondary tax should be compounded on top of the primary tax
	CalculateTax2OnTax1 *bool `json:"calculateTax2OnTax1,omitempty"`
	// The carrier or shipping method for this order
	Carrier *string `json:"carrier,omitempty"`
	// The name of the vendor's employee that you should contact for this order
	ContactName  *string       `json:"contactName,omitempty"`
	Currency     *Currency     `json:"currency,omitempty"`
	CurrencyID   *string       `json:"currencyId,omitempty"`
	CustomFields *CustomFields `json:"customFields,omitempty"`
	// The date by which payment is due
	DueDate *DateTime `json:"dueDate,omitempty"`
	// The email address for the vendor that you should contact for this order
	Email *string `json:"email,omitempty"`
	// The exchange rate between the currency in this order and your home currency effective for this order
	ExchangeRate *Decimal `json:"exchangeRate,omitempty"`
	// If this exchange rate was automatically pulled, then the date it was set, otherwise null
	ExchangeRateAutoPulled *DateTime `json:"exchangeRateAutoPulled,omitempty"`
	// The amount this vendor charges you for shipping
	Freight *Decimal `json:"freight,omitempty"`
	// The inventory-related status of this order
	InventoryStatus *InventoryStatus `json:"inventoryStatus,omitempty"`
	// Whether this order is cancelled (being cancelled voids any payments and inventory movements)
	IsCancelled *bool `json:"isCancelled,omitempty"`
	// Whether this order is completed (fully received)
	IsCompleted *bool `json:"isCompleted,omitempty"`
	// Whether this order is a quote
	IsQuote *bool `json:"isQuote,omitempty"`
	// When true, then prices should be treated as tax-inclusive
	IsTaxInclusive *bool       `json:"isTaxInclusive,omitempty"`
	LastModifiedBy *TeamMember `json:"lastModifiedBy,omitempty"`
	// The inFlow Team Member, system process, or API key that last modified this purchase order (read-
	// only)
	LastModifiedByID *string `json:"lastModifiedById,omitempty"`
	// Lines representing which goods have been ordered and returned
	Lines          []PurchaseOrderLine   `json:"lines,omitzero"`
	Location       *Location             `json:"location,omitempty"`
	LocationID     *string               `json:"locationId,omitempty"`
	NonVendorCosts *PercentOrFixedAmount `json:"nonVendorCosts,omitempty"`
	// The date this order was placed
	OrderDate *DateTime `json:"orderDate,omitempty"`
	// An identifier for this purchase order and shown on printed documents
	OrderNumber *string `json:"orderNumber,omitempty"`
	// Any extra comments on this order
	OrderRemarks *string `json:"orderRemarks,omitempty"`
	// Lines representing a history of payment details for this order
	PaymentLines []PurchaseOrderPaymentHistoryLine `json:"paymentLines,omitzero"`
	// The total amount the customer should pay, including taxes and shipping
	PaymentStatus  *PaymentStatus `json:"paymentStatus,omitempty"`
	PaymentTerms   *PaymentTerms  `json:"paymentTerms,omitempty"`
	PaymentTermsID *string        `json:"paymentTermsId,omitempty"`
	// The phone number for the vendor that you should contact for this order
	Phone *string `json:"phone,omitempty"`
	// Lines representing which goods have been received into your warehouse
	ReceiveLines []PurchaseOrderReceiveLine `json:"receiveLines,omitzero"`
	// Any extra comments on this order regarding receiving
	ReceiveRemarks *string `json:"receiveRemarks,omitempty"`
	// The date that you request that this order be shipped
	RequestShipDate *DateTime `json:"requestShipDate,omitempty"`
	// The amount that this vendor refunds you for returns related to shipping
	ReturnExtra *Decimal `json:"returnExtra,omitempty"`
	// The amount this vendor charges you for return fees
	ReturnFee *Decimal `json:"returnFee,omitempty"`
	// Any extra comments on this order regarding returns
	ReturnRemarks *string  `json:"returnRemarks,omitempty"`
	ShipToAddress *Address `json:"shipToAddress,omitempty"`
	// The ship-to company name shown on printed documents, e.g. for dropshipping
	ShipToCompanyName *string `json:"shipToCompanyName,omitempty"`
	// Whether this order will be shipped; this controls whether certain fields will be shown
	ShowShipping *bool `json:"showShipping,omitempty"`
	// The total of line items for this order
	SubTotal *Decimal `json:"subTotal,omitempty"`
	// The calculated primary tax amount for this order
	Tax1 *Decimal `json:"tax1,omitempty"`
	// A short name for display of the primary tax
	Tax1Name *string `json:"tax1Name,omitempty"`
	// Whether the primary tax applies to shipping/freight costs
	Tax1OnShipping *bool `json:"tax1OnShipping,omitempty"`
	// The default percentage primary tax for this order
	Tax1Rate *Decimal `json:"tax1Rate,omitempty"`
	// The calculated secondary tax amount for this order
	Tax2 *Decimal `json:"tax2,omitempty"`
	// A short name for display of the secondary tax
	Tax2Name *string `json:"tax2Name,omitempty"`
	// Whether the secondary tax applies to shipping/freight costs
	Tax2OnShipping *bool `json:"tax2OnShipping,omitempty"`
	// The default percentage secondary tax for this order
	Tax2Rate       *Decimal      `json:"tax2Rate,omitempty"`
	TaxingScheme   *TaxingScheme `json:"taxingScheme,omitempty"`
	TaxingSchemeID *string       `json:"taxingSchemeId,omitempty"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string `json:"timestamp,omitempty"`
	// The total amount you should pay, including taxes and shipping
	Total *Decimal `json:"total,omitempty"`
	// Lines representing which returned items have been unstocked
	UnstockLines []PurchaseOrderUnstockLine `json:"unstockLines,omitzero"`
	// Any extra comments on this order regarding unstocking
	UnstockRemarks *string  `json:"unstockRemarks,omitempty"`
	Vendor         *Vendor  `json:"vendor,omitempty"`
	VendorAddress  *Address `json:"vendorAddress,omitempty"`
	VendorID       *string  `json:"vendorId,omitempty"`
	// The vendor's number for this order
	VendorOrderNumber *string `json:"vendorOrderNumber,omitempty"`
}

// PurchaseOrderLine is one ordered (or returned) product.
type PurchaseOrderLine struct {
	// The primary identifier for this purchase order line
	PurchaseOrderLineID string `json:"purchaseOrderLineId,omitempty"`
	// A human-readable description for the product being ordered or returned (can be customized
	// specifically this order)
	Description *string               `json:"description,omitempty"`
	Discount    *PercentOrFixedAmount `json:"discount,omitempty"`
	Product     *Product              `json:"product,omitempty"`
	ProductID   *string               `json:"productId,omitempty"`
	Quantity    *QuantityWithUom      `json:"quantity,omitempty"`
	// For lines with negative quantities, the date the item was returned
	ReturnDate *DateTime `json:"returnDate,omitempty"`
	// For service lines, whether the service has been completed
	ServiceCompleted *bool `json:"serviceCompleted,omitempty"`
	// The subtotal for this line (calculated from Quantity, UnitPrice and Discount)
	SubTotal *Decimal `json:"subTotal,omitempty"`
	// The primary tax rate charged for this line
	Tax1Rate *Decimal `json:"tax1Rate,omitempty"`
	// The secondary tax rate charged for this line
	Tax2Rate  *Decimal `json:"tax2Rate,omitempty"`
	TaxCode   *TaxCode `json:"taxCode,omitempty"`
	TaxCodeID *string  `json:"taxCodeId,omitempty"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string `json:"timestamp,omitempty"`
	// The price charged per unit of measure
	UnitPrice *Decimal `json:"unitPrice,omitempty"`
	// The code that this vendor uses to refer to the product
	VendorItemCode *string `json:"vendorItemCode,omitempty"`
}

// PurchaseOrderReceiveLine records goods received into a location.
type PurchaseOrderReceiveLine struct {
	// The primary identifier for this purchase order receive line
	PurchaseOrderReceiveLineID string `json:"purchaseOrderReceiveLineId,omitempty"`
	// A human-readable description for the product being received (can be customized specifically this
	// order)
	Description *string          `json:"description,omitempty"`
	Location    *Location        `json:"location,omitempty"`
	LocationID  *string          `json:"locationId,omitempty"`
	Product     *Product         `json:"product,omitempty"`
	ProductID   *string          `json:"productId,omitempty"`
	Quantity    *QuantityWithUom `json:"quantity,omitempty"`
	// The date that this line was received
	ReceiveDate *DateTime `json:"receiveDate,omitempty"`
	// The sublocation this product is being received into
	Sublocation *string `json:"sublocation,omitempty"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string `json:"timestamp,omitempty"`
	// The code that this vendor uses to refer to the product
	VendorItemCode *string `json:"vendorItemCode,omitempty"`
}

// PurchaseOrderUnstockLine records returned goods taken out of stock.
type PurchaseOrderUnstockLine struct {
	// The primary identifier for this purchase order unstock line
	PurchaseOrderUnstockLineID string `json:"purchaseOrderUnstockLineId,omitempty"`
	// A human-readable description for the product being unstocked (can be customized specifically this
	// order)
	Description *string   `json:"description,omitempty"`
	Location    *Location `json:"location,omitempty"`
	// The location this product is being unstocked from
	LocationID *string          `json:"locationId,omitempty"`
	Product    *Product         `json:"product,omitempty"`
	ProductID  *string          `json:"productId,omitempty"`
	Quantity   *QuantityWithUom `json:"quantity,omitempty"`
	// The sublocation this product is being unstocked from
	Sublocation *string `json:"sublocation,omitempty"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string `json:"timestamp,omitempty"`
	// The date that this line was removed from stock
	UnstockDate *DateTime `json:"unstockDate,omitempty"`
	// The code that this vendor uses to refer to the product
	VendorItemCode *string `json:"vendorItemCode,omitempty"`
}

// PurchaseOrderPaymentHistoryLine is one payment or refund on a purchase order.
type PurchaseOrderPaymentHistoryLine struct {
	PurchaseOrderPaymentHistoryLineID string       `json:"purchaseOrderPaymentHistoryLineId,omitempty"`
	Amount                            *Decimal     `json:"amount,omitempty"`
	DatePaid                          *DateTime    `json:"datePaid,omitempty"`
	PaymentMethod                     *string      `json:"paymentMethod,omitempty"`
	PaymentType                       *PaymentType `json:"paymentType,omitempty"`
	ReferenceNumber                   *string      `json:"referenceNumber,omitempty"`
	Remarks                           *string      `json:"remarks,omitempty"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string `json:"timestamp,omitempty"`
}

// ---- Stock movements ----

// StockAdjustment changes stock at one location. It is idempotent only under the same
// StockAdjustmentID: always generate the id before the first attempt and reuse it.
type StockAdjustment struct {
	// The primary identifier for this stock adjustment.
	StockAdjustmentID string `json:"stockAdjustmentId,omitempty"`
	// An identifier for this stock adjustment and shown on printed documents
	AdjustmentNumber   *string           `json:"adjustmentNumber,omitempty"`
	AdjustmentReason   *AdjustmentReason `json:"adjustmentReason,omitempty"`
	AdjustmentReasonID *string           `json:"adjustmentReasonId,omitempty"`
	// File attachments included with this stock adjustment (read-only)
	Attachments  []Attachment  `json:"attachments,omitzero"`
	CustomFields *CustomFields `json:"customFields,omitempty"`
	// The effective date of this stock adjustment
	Date *DateTime `json:"date,omitempty"`
	// Whether this adjustment is cancelled (being cancelled voids inventory movements)
	IsCancelled    *bool       `json:"isCancelled,omitempty"`
	LastModifiedBy *TeamMember `json:"lastModifiedBy,omitempty"`
	// The inFlow Team Member, system process, or API key that last modified this stock adjustment (read-
	// only)
	LastModifiedByID *string `json:"lastModifiedById,omitempty"`
	// Lines representing which inventory levels are being adjusted
	Lines      []StockAdjustmentLine `json:"lines,omitzero"`
	Location   *Location             `json:"location,omitempty"`
	LocationID *string               `json:"locationId,omitempty"`
	// Any extra comments on this stock adjustment
	Remarks *string `json:"remarks,omitempty"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string `json:"timestamp,omitempty"`
}

// StockAdjustmentLine is one product's adjustment (the quantity is a change, by the notes' reading).
type StockAdjustmentLine struct {
	// The primary identifier for this stock adjustment line.
	StockAdjustmentLineID string `json:"stockAdjustmentLineId,omitempty"`
	// A human-readable description for the product being adjusted (can be customized specifically for this
	// adjustment)
	Description *string          `json:"description,omitempty"`
	Product     *Product         `json:"product,omitempty"`
	ProductID   *string          `json:"productId,omitempty"`
	Quantity    *QuantityWithUom `json:"quantity,omitempty"`
	// The sublocation this inventory is being adjusted in
	Sublocation *string `json:"sublocation,omitempty"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string `json:"timestamp,omitempty"`
}

// StockTransfer moves stock between locations. FromLocationID and ToLocationID are required on PUT;
// Status decides when stock leaves and arrives.
type StockTransfer struct {
	// The primary identifier for this stock transfer.
	StockTransferID        string      `json:"stockTransferId,omitempty"`
	AssignedToTeamMember   *TeamMember `json:"assignedToTeamMember,omitempty"`
	AssignedToTeamMemberID *string     `json:"assignedToTeamMemberId,omitempty"`
	// File attachments included with this stock transfer (read-only)
	Attachments    []Attachment  `json:"attachments,omitzero"`
	CustomFields   *CustomFields `json:"customFields,omitempty"`
	FromLocation   *Location     `json:"fromLocation,omitempty"`
	FromLocationID *string       `json:"fromLocationId,omitempty"`
	// Whether this adjustment is cancelled (being cancelled voids inventory movements)
	IsCancelled    *bool       `json:"isCancelled,omitempty"`
	LastModifiedBy *TeamMember `json:"lastModifiedBy,omitempty"`
	// The inFlow Team Member, system process, or API key that last modified this stock transfer (read-
	// only)
	LastModifiedByID *string `json:"lastModifiedById,omitempty"`
	// Lines representing which the inventory movements
	Lines []StockTransferLine `json:"lines,omitzero"`
	// The date stock was added to the destination location
	ReceivedDate *DateTime `json:"receivedDate,omitempty"`
	// Any extra comments on this stock transfer
	Remarks *string `json:"remarks,omitempty"`
	// The date stock was removed from the source location
	SentDate *DateTime `json:"sentDate,omitempty"`
	// The status of the stock transfer (this determines when stock is removed and added)
	Status *TransferStatus `json:"status,omitempty"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp    string    `json:"timestamp,omitempty"`
	ToLocation   *Location `json:"toLocation,omitempty"`
	ToLocationID *string   `json:"toLocationId,omitempty"`
	// The date this stock transfer was requested
	TransferDate *DateTime `json:"transferDate,omitempty"`
	// An identifier for this stock transfer and shown on printed documents
	TransferNumber *string `json:"transferNumber,omitempty"`
}

// StockTransferLine is one product moved by a transfer.
type StockTransferLine struct {
	// The primary identifier for this stock transfer line
	StockTransferLineID string `json:"stockTransferLineId,omitempty"`
	// A human-readable description for the product being adjusted (can be customized specifically for this
	// transfer)
	Description *string `json:"description,omitempty"`
	// The sublocation (within the source location) where inventory is being moved from
	FromSublocation *string          `json:"fromSublocation,omitempty"`
	Product         *Product         `json:"product,omitempty"`
	ProductID       *string          `json:"productId,omitempty"`
	Quantity        *QuantityWithUom `json:"quantity,omitempty"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string `json:"timestamp,omitempty"`
	// The sublocation (within the destination location) where inventory is being moved to
	ToSublocation *string `json:"toSublocation,omitempty"`
}

// ProductCostAdjustment sets a product's inventory cost per standard unit from a date
// (optionally for one serial).
type ProductCostAdjustment struct {
	// The primary identifier for this product cost adjustment
	ProductCostAdjustmentID string `json:"productCostAdjustmentId,omitempty"`
	// The effective date of this adjustment
	DateTime       *DateTime   `json:"dateTime,omitempty"`
	LastModifiedBy *TeamMember `json:"lastModifiedBy,omitempty"`
	// The inFlow Team Member, system process, or API key that last modified this product cost adjustment
	// (read-only)
	LastModifiedByID *string  `json:"lastModifiedById,omitempty"`
	Product          *Product `json:"product,omitempty"`
	ProductID        *string  `json:"productId,omitempty"`
	// For serialized products, the serial number whose cost is being adjusted
	Serial *string `json:"serial,omitempty"`
	// Row version for optimistic concurrency: when sent, the write fails if the entity changed since
	Timestamp string `json:"timestamp,omitempty"`
	// The new target inventory cost per standard unit of measure
	UnitCost *Decimal `json:"unitCost,omitempty"`
}
