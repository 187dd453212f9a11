package sandbox

// kind is one top-level entity collection of the API, such as products.
type kind struct {
	name     string // URL segment: "products"
	schema   string // OpenAPI schema: "Product"
	idProp   string // primary key property: "productId"
	writable bool   // PUT /{companyId}/{name} exists (and is modelled)
	byID     bool   // GET /{companyId}/{name}/{id} exists
	// numberProp, when set, is a document number assigned on insert when
	// none is sent ("SO-000001").
	numberProp, numberPrefix string
	filters                  map[string]filterMaker
	// singleton: one record per company, whose id is the company id (GET
	// answers it, not a list): custom-fields.
	singleton bool
}

// The entities the emulator serves. Paths and id properties follow the
// OpenAPI document. Reference data is read-only: inFlow's API cannot create
// locations, categories, pricing schemes, currencies, adjustment reasons,
// payment terms, tax codes or team members (taxing schemes have a PUT in the
// spec, but the emulator keeps all tax configuration in the seed).
var kindList = []*kind{
	{name: "products", schema: "Product", idProp: "productId", writable: true, byID: true, filters: productFilters},
	{name: "categories", schema: "Category", idProp: "categoryId", byID: true},
	{name: "locations", schema: "Location", idProp: "locationId", byID: true},
	{name: "pricing-schemes", schema: "PricingScheme", idProp: "pricingSchemeId", byID: true},
	{name: "currencies", schema: "Currency", idProp: "currencyId", byID: true},
	{name: "customers", schema: "Customer", idProp: "customerId", writable: true, byID: true, filters: customerFilters},
	{name: "vendors", schema: "Vendor", idProp: "vendorId", writable: true, byID: true, filters: vendorFilters},
	{name: "sales-orders", schema: "SalesOrder", idProp: "salesOrderId", writable: true, byID: true,
		numberProp: "orderNumber", numberPrefix: "SO-", filters: salesOrderFilters},
	{name: "purchase-orders", schema: "PurchaseOrder", idProp: "purchaseOrderId", writable: true, byID: true,
		numberProp: "orderNumber", numberPrefix: "PO-", filters: purchaseOrderFilters},
	{name: "stock-adjustments", schema: "StockAdjustment", idProp: "stockAdjustmentId", writable: true, byID: true,
		numberProp: "adjustmentNumber", numberPrefix: "ADJ-", filters: map[string]filterMaker{"adjustmentNumber": textFilter("adjustmentNumber")}},
	{name: "stock-transfers", schema: "StockTransfer", idProp: "stockTransferId", writable: true, byID: true,
		numberProp: "transferNumber", numberPrefix: "TO-", filters: map[string]filterMaker{"transferNumber": textFilter("transferNumber")}},
	{name: "product-cost-adjustments", schema: "ProductCostAdjustment", idProp: "productCostAdjustmentId", writable: true, byID: true},
	{name: "adjustment-reasons", schema: "AdjustmentReason", idProp: "adjustmentReasonId", byID: true},
	{name: "taxing-schemes", schema: "TaxingScheme", idProp: "taxingSchemeId", byID: true,
		filters: map[string]filterMaker{"name": textFilter("name")}},
	{name: "tax-codes", schema: "TaxCode", idProp: "taxCodeId", byID: true},
	{name: "payment-terms", schema: "PaymentTerms", idProp: "paymentTermsId", byID: true},
	// The spec has no GET /team-members/{id}.
	{name: "team-members", schema: "TeamMember", idProp: "teamMemberId"},
	{name: "operation-types", schema: "OperationType", idProp: "operationTypeId", byID: true},
	// Custom field labels per entity type and property (custom1 … custom10).
	{name: "custom-field-definitions", schema: "CustomFieldDefinition", idProp: "customFieldDefinitionId", writable: true},
	// The print labels of the transactions' custom fields: one object,
	// "customFieldsId refers to the companyID".
	{name: "custom-fields", schema: "CustomFields", idProp: "customFieldsId", writable: true, singleton: true},
}

var (
	kinds         = map[string]*kind{} // by URL segment
	kindForSchema = map[string]*kind{} // by schema name
)

func init() {
	for _, k := range kindList {
		kinds[k.name] = k
		kindForSchema[k.schema] = k
	}
}

// Relationship arrays that are computed by the emulator, never stored from
// a PUT body.
var computedArrays = map[string]bool{
	"Product.inventoryLines":      true,
	"Product.attachments":         true,
	"Product.images":              true,
	"Customer.attachments":        true,
	"Customer.balances":           true,
	"Customer.credits":            true,
	"Customer.dues":               true,
	"Vendor.attachments":          true,
	"Vendor.balances":             true,
	"Vendor.credits":              true,
	"Vendor.dues":                 true,
	"Vendor.vendorItems":          true,
	"SalesOrder.attachments":      true,
	"PurchaseOrder.attachments":   true,
	"StockAdjustment.attachments": true,
	"StockTransfer.attachments":   true,
	"PricingScheme.productPrices": true,
	"TaxingScheme.taxCodes":       true,
}

// Attributes that are set by inFlow and cannot be set through the API; they
// are ignored in PUT bodies.
var readOnlyProps = map[string]bool{
	"lastModifiedById":     true,
	"lastModifiedDateTime": true,
	"lastModifiedDttm":     true,
	"isManufacturable":     true,
	"totalQuantityOnHand":  true,
	"inventoryStatus":      true,
	"paymentStatus":        true,
	"subTotal":             true,
	"tax1":                 true,
	"tax2":                 true,
	"total":                true,
	"balance":              true,
	"amountPaid":           true,
	"timestamp":            true,
}
