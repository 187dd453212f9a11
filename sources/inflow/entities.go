package inflowsrc

import (
	"cmp"
	"slices"
	"strings"

	"github.com/etl-dev/etl/inflow"
	"github.com/etl-dev/etl/internal/suggest"
	"github.com/etl-dev/etl/pipeline"
)

// The filters each list endpoint documents (OpenAPI 2025-06-24, endpoint
// descriptions), checked at Open so that a typo fails before any request.
var (
	productFilters  = []string{"name", "description", "isActive", "barcode", "itemType", "categoryId", "lastModifiedDateTime", "smart", "trackSerials"}
	partyFilters    = []string{"name", "contactName", "phone", "email", "website", "address", "city", "state", "postalCode", "country", "isActive", "smart"}
	customerFilters = append(slices.Clone(partyFilters), "pricingSchemeId", "defaultLocationId", "lastOrder")
	orderFilters    = []string{"orderNumber", "inventoryStatus", "paymentStatus", "orderDate", "locationId", "total", "balance", "isActive", "smart"}
	soFilters       = append(slices.Clone(orderFilters), "customerId", "poNumber", "requestedShipDate", "invoicedDate")
	poFilters       = append(slices.Clone(orderFilters), "vendorId", "vendorOrderNumber", "requestShipDate")
	noFilters       = []string{}
)

func hint(name string, candidates []string) string {
	for _, c := range candidates {
		if strings.EqualFold(c, name+"s") || strings.EqualFold(c, strings.ReplaceAll(name, "_", "-")) ||
			strings.EqualFold(c, strings.ReplaceAll(name, "-", "_")) {
			return ` (did you mean "` + c + `"?)`
		}
	}
	if h := suggest.Hint(name, candidates); h != "" {
		return " (" + h + ")"
	}
	return ""
}

// Short names for the entity types, to keep the column lists readable.
type (
	product   = inflow.Product
	customer  = inflow.Customer
	vendor    = inflow.Vendor
	salesOrd  = inflow.SalesOrder
	purchOrd  = inflow.PurchaseOrder
	adjust    = inflow.StockAdjustment
	transfer  = inflow.StockTransfer
	costAdj   = inflow.ProductCostAdjustment
	location  = inflow.Location
	category  = inflow.Category
	pricing   = inflow.PricingScheme
	currency  = inflow.Currency
	payTerms  = inflow.PaymentTerms
	taxCode   = inflow.TaxCode
	taxScheme = inflow.TaxingScheme
	adjReason = inflow.AdjustmentReason
	member    = inflow.TeamMember
)

func products(c *inflow.Client) lister[product]   { return c.Products() }
func customers(c *inflow.Client) lister[customer] { return c.Customers() }
func vendors(c *inflow.Client) lister[vendor]     { return c.Vendors() }
func salesOrders(c *inflow.Client) lister[salesOrd] {
	return c.SalesOrders()
}
func purchaseOrders(c *inflow.Client) lister[purchOrd] {
	return c.PurchaseOrders()
}
func adjustments(c *inflow.Client) lister[adjust] { return c.StockAdjustments() }
func transfers(c *inflow.Client) lister[transfer] { return c.StockTransfers() }
func costAdjustments(c *inflow.Client) lister[costAdj] {
	return c.ProductCostAdjustments()
}

func productLabel(p *product) string { return cmp.Or(deref(p.Sku), deref(p.Name), p.ProductID) }
func customerLabel(p *customer) string {
	return cmp.Or(deref(p.Name), p.CustomerID)
}
func vendorLabel(p *vendor) string         { return cmp.Or(deref(p.Name), p.VendorID) }
func soLabel(o *salesOrd) string           { return cmp.Or(deref(o.OrderNumber), o.SalesOrderID) }
func poLabel(o *purchOrd) string           { return cmp.Or(deref(o.OrderNumber), o.PurchaseOrderID) }
func adjustmentLabel(a *adjust) string     { return cmp.Or(deref(a.AdjustmentNumber), a.StockAdjustmentID) }
func transferLabel(t *transfer) string     { return cmp.Or(deref(t.TransferNumber), t.StockTransferID) }
func idLabel[T inflow.Entity](v *T) string { return (*v).EntityID() }

// firstBarcode is the barcode with the lowest lineNum.
func firstBarcode(p *product) any {
	var best *inflow.ProductBarcode
	for i := range p.ProductBarcodes {
		b := &p.ProductBarcodes[i]
		if b.Barcode == nil || *b.Barcode == "" {
			continue
		}
		if best == nil || lineNum(b.LineNum) < lineNum(best.LineNum) {
			best = b
		}
	}
	if best == nil {
		return nil
	}
	return *best.Barcode
}

func lineNum(n *int) int {
	if n == nil {
		return int(^uint(0) >> 1)
	}
	return *n
}

// productCols are the columns of the products table.
func productCols() *cols[product] {
	c := &cols[product]{}
	c.path("product_id", "productId").
		path("name", "name").
		path("sku", "sku").
		fn("barcode", pipeline.TypeString, firstBarcode).
		path("description", "description").
		path("item_type", "itemType").
		path("is_active", "isActive").
		path("track_serials", "trackSerials").
		path("track_lots", "trackLots").
		path("track_expiry", "trackExpiry").
		path("category_id", "categoryId").
		path("category_name", "category.name").
		path("standard_uom_name", "standardUomName").
		path("sales_uom_name", "salesUom.name").
		path("sales_uom_standard_quantity", "salesUom.conversionRatio.standardQuantity").
		path("sales_uom_quantity", "salesUom.conversionRatio.uomQuantity").
		path("purchasing_uom_name", "purchasingUom.name").
		path("purchasing_uom_standard_quantity", "purchasingUom.conversionRatio.standardQuantity").
		path("purchasing_uom_quantity", "purchasingUom.conversionRatio.uomQuantity").
		path("cost", "cost.cost").
		path("default_price", "defaultPrice.unitPrice").
		path("default_pricing_scheme_id", "defaultPrice.pricingSchemeId").
		path("total_quantity_on_hand", "totalQuantityOnHand").
		path("weight", "weight").
		path("length", "length").
		path("width", "width").
		path("height", "height").
		path("hs_tariff_number", "hsTariffNumber").
		path("origin_country", "originCountry").
		path("last_vendor_id", "lastVendorId").
		path("auto_assemble", "autoAssemble").
		path("include_quantity_buildable", "includeQuantityBuildable").
		path("is_manufacturable", "isManufacturable").
		path("shelf_life_days", "shelfLifeDays").
		path("expiry_notification_days", "expiryNotificationDays").
		path("default_image_id", "defaultImageId").
		path("remarks", "remarks").
		custom("customFields").
		path("last_modified_date_time", "lastModifiedDateTime").
		path("last_modified_by_id", "lastModifiedById").
		path("row_version", "timestamp")
	return c
}

// productChild starts the columns of a product child table with the
// product's id, SKU and name.
func productChild[L any]() *cols[child[product, L]] {
	c := &cols[child[product, L]]{}
	c.path("product_id", "parent.productId").path("sku", "parent.sku").path("product_name", "parent.name")
	return c
}

func init() {
	register(true, entityTable("products", "products",
		"one row per product, with its category, cost, default price and first barcode",
		products, []string{"category", "cost", "defaultPrice", "productBarcodes"}, productFilters, productLabel, productCols()))
	productsTable := tables["products"]["products"]
	productsTable.incremental = true
	productsTable.rows = productRows(productsTable, productCols())

	register(false,
		linesTable("products", "prices", "one row per product price in a pricing scheme",
			products, "prices", productFilters, func(p *product) []inflow.ProductPrice { return p.Prices }, productLabel,
			productChild[inflow.ProductPrice]().
				path("product_price_id", "line.productPriceId").
				path("pricing_scheme_id", "line.pricingSchemeId").
				path("price_type", "line.priceType").
				path("unit_price", "line.unitPrice").
				path("fixed_markup", "line.fixedMarkup").
				path("row_version", "line.timestamp")),
		linesTable("products", "barcodes", "one row per product barcode",
			products, "productBarcodes", productFilters, func(p *product) []inflow.ProductBarcode { return p.ProductBarcodes }, productLabel,
			productChild[inflow.ProductBarcode]().
				path("product_barcode_id", "line.productBarcodeId").
				path("barcode", "line.barcode").
				path("line_num", "line.lineNum").
				path("row_version", "line.timestamp")),
		linesTable("products", "vendor_items", "one row per vendor offer of a product (vendor code, cost, lead time)",
			products, "vendorItems", productFilters, func(p *product) []inflow.VendorItem { return p.VendorItems }, productLabel,
			productChild[inflow.VendorItem]().
				path("vendor_item_id", "line.vendorItemId").
				path("vendor_id", "line.vendorId").
				path("vendor_item_code", "line.vendorItemCode").
				path("cost", "line.cost").
				path("lead_time_days", "line.leadTimeDays").
				path("line_num", "line.lineNum").
				path("row_version", "line.timestamp")),
		linesTable("products", "reorder_settings", "one row per product and location with reorder settings",
			products, "reorderSettings", productFilters, func(p *product) []inflow.ReorderSettings { return p.ReorderSettings }, productLabel,
			productChild[inflow.ReorderSettings]().
				path("reorder_settings_id", "line.reorderSettingsId").
				path("location_id", "line.locationId").
				path("enable_reordering", "line.enableReordering").
				path("reorder_method", "line.reorderMethod").
				path("reorder_point", "line.reorderPoint").
				path("reorder_quantity", "line.reorderQuantity").
				path("from_location_id", "line.fromLocationId").
				path("vendor_id", "line.vendorId").
				path("default_sublocation", "line.defaultSublocation").
				path("row_version", "line.timestamp")),
		inventoryTable(),
		serialsTable(),
		serialHistoryTable(),
	)

	register(true,
		entityTable("customers", "customers", "one row per customer, with the default billing and shipping addresses",
			customers, []string{"defaultBillingAddress", "defaultShippingAddress"}, customerFilters, customerLabel,
			(&cols[customer]{}).
				path("customer_id", "customerId").
				path("name", "name").
				path("contact_name", "contactName").
				path("email", "email").
				path("phone", "phone").
				path("fax", "fax").
				path("website", "website").
				path("discount", "discount").
				path("is_active", "isActive").
				path("pricing_scheme_id", "pricingSchemeId").
				path("taxing_scheme_id", "taxingSchemeId").
				path("tax_exempt_number", "taxExemptNumber").
				path("default_location_id", "defaultLocationId").
				path("default_payment_terms_id", "defaultPaymentTermsId").
				path("default_payment_method", "defaultPaymentMethod").
				path("default_carrier", "defaultCarrier").
				path("default_sales_rep", "defaultSalesRep").
				path("default_sales_rep_team_member_id", "defaultSalesRepTeamMemberId").
				path("default_billing_address_id", "defaultBillingAddressId").
				path("billing_address_name", "defaultBillingAddress.name").
				address("billing_", "defaultBillingAddress.address").
				path("default_shipping_address_id", "defaultShippingAddressId").
				path("shipping_address_name", "defaultShippingAddress.name").
				address("shipping_", "defaultShippingAddress.address").
				path("remarks", "remarks").
				custom("customFields").
				path("last_modified_dttm", "lastModifiedDttm").
				path("last_modified_by_id", "lastModifiedById").
				path("row_version", "timestamp")),
		linesTable("customers", "addresses", "one row per customer address",
			customers, "addresses", customerFilters, func(c *customer) []inflow.CustomerAddress { return c.Addresses }, customerLabel,
			(&cols[child[customer, inflow.CustomerAddress]]{}).
				path("customer_id", "parent.customerId").
				path("customer_name", "parent.name").
				path("customer_address_id", "line.customerAddressId").
				path("address_name", "line.name").
				address("", "line.address").
				path("row_version", "line.timestamp")),
	)

	register(true,
		entityTable("vendors", "vendors", "one row per vendor, with the default address",
			vendors, []string{"defaultAddress"}, partyFilters, vendorLabel,
			(&cols[vendor]{}).
				path("vendor_id", "vendorId").
				path("name", "name").
				path("contact_name", "contactName").
				path("email", "email").
				path("phone", "phone").
				path("fax", "fax").
				path("website", "website").
				path("discount", "discount").
				path("is_active", "isActive").
				path("currency_id", "currencyId").
				path("taxing_scheme_id", "taxingSchemeId").
				path("is_tax_inclusive_pricing", "isTaxInclusivePricing").
				path("lead_time_days", "leadTimeDays").
				path("default_payment_terms_id", "defaultPaymentTermsId").
				path("default_payment_method", "defaultPaymentMethod").
				path("default_carrier", "defaultCarrier").
				path("default_address_id", "defaultAddressId").
				path("address_name", "defaultAddress.name").
				address("", "defaultAddress.address").
				path("remarks", "remarks").
				custom("customFields").
				path("last_modified_dttm", "lastModifiedDttm").
				path("last_modified_by_id", "lastModifiedById").
				path("row_version", "timestamp")),
		linesTable("vendors", "addresses", "one row per vendor address",
			vendors, "addresses", partyFilters, func(v *vendor) []inflow.VendorAddress { return v.Addresses }, vendorLabel,
			(&cols[child[vendor, inflow.VendorAddress]]{}).
				path("vendor_id", "parent.vendorId").
				path("vendor_name", "parent.name").
				path("vendor_address_id", "line.vendorAddressId").
				path("address_name", "line.name").
				address("", "line.address").
				path("row_version", "line.timestamp")),
	)

	registerSalesOrders()
	registerPurchaseOrders()
	registerMovements()
	registerReference()
}

// soLine starts the columns of a sales order line table with the order's
// id, number, date and customer.
func soLine[L any]() *cols[child[salesOrd, L]] {
	c := &cols[child[salesOrd, L]]{}
	c.path("sales_order_id", "parent.salesOrderId").
		path("order_number", "parent.orderNumber").
		path("order_date", "parent.orderDate").
		path("customer_id", "parent.customerId").
		path("line_number", "n")
	return c
}

func registerSalesOrders() {
	register(true,
		entityTable("sales-orders", "headers", "one row per sales order",
			salesOrders, []string{"customer", "location", "costOfGoodsSold"}, soFilters, soLabel,
			(&cols[salesOrd]{}).
				path("sales_order_id", "salesOrderId").
				path("order_number", "orderNumber").
				path("order_date", "orderDate").
				path("customer_id", "customerId").
				path("customer_name", "customer.name").
				path("location_id", "locationId").
				path("location_name", "location.name").
				path("inventory_status", "inventoryStatus").
				path("payment_status", "paymentStatus").
				path("is_quote", "isQuote").
				path("is_cancelled", "isCancelled").
				path("is_completed", "isCompleted").
				path("is_invoiced", "isInvoiced").
				path("is_prioritized", "isPrioritized").
				path("needs_confirmation", "needsConfirmation").
				path("po_number", "poNumber").
				path("external_id", "externalId").
				path("source", "source").
				path("contact_name", "contactName").
				path("email", "email").
				path("phone", "phone").
				path("currency_id", "currencyId").
				path("exchange_rate", "exchangeRate").
				path("pricing_scheme_id", "pricingSchemeId").
				path("taxing_scheme_id", "taxingSchemeId").
				path("payment_terms_id", "paymentTermsId").
				path("is_tax_inclusive", "isTaxInclusive").
				path("sub_total", "subTotal").
				path("order_freight", "orderFreight").
				discount("non_customer_cost", "nonCustomerCost").
				path("tax1_name", "tax1Name").
				path("tax1_rate", "tax1Rate").
				path("tax1", "tax1").
				path("tax1_on_shipping", "tax1OnShipping").
				path("tax2_name", "tax2Name").
				path("tax2_rate", "tax2Rate").
				path("tax2", "tax2").
				path("tax2_on_shipping", "tax2OnShipping").
				path("calculate_tax2_on_tax1", "calculateTax2OnTax1").
				path("total", "total").
				path("amount_paid", "amountPaid").
				path("balance", "balance").
				path("cost_of_goods_sold", "costOfGoodsSold.costOfGoodsSold").
				path("return_fee", "returnFee").
				path("return_freight", "returnFreight").
				path("invoiced_date", "invoicedDate").
				path("due_date", "dueDate").
				path("requested_ship_date", "requestedShipDate").
				path("sales_rep", "salesRep").
				path("sales_rep_team_member_id", "salesRepTeamMemberId").
				path("assigned_to_team_member_id", "assignedToTeamMemberId").
				path("confirmer_team_member_id", "confirmerTeamMemberId").
				address("billing_", "billingAddress").
				address("shipping_", "shippingAddress").
				path("ship_to_company_name", "shipToCompanyName").
				path("same_billing_and_shipping", "sameBillingAndShipping").
				path("show_shipping", "showShipping").
				path("order_remarks", "orderRemarks").
				path("pick_remarks", "pickRemarks").
				path("pack_remarks", "packRemarks").
				path("ship_remarks", "shipRemarks").
				path("return_remarks", "returnRemarks").
				path("restock_remarks", "restockRemarks").
				custom("customFields").
				path("last_modified_by_id", "lastModifiedById").
				path("row_version", "timestamp")),
		linesTable("sales-orders", "lines", "one row per ordered (or, with a negative quantity, returned) product",
			salesOrders, "lines", soFilters, func(o *salesOrd) []inflow.SalesOrderLine { return o.Lines }, soLabel,
			soLine[inflow.SalesOrderLine]().
				path("sales_order_line_id", "line.salesOrderLineId").
				path("product_id", "line.productId").
				path("description", "line.description").
				quantity("", "line.quantity").
				path("unit_price", "line.unitPrice").
				discount("discount", "line.discount").
				path("sub_total", "line.subTotal").
				path("tax_code_id", "line.taxCodeId").
				path("tax1_rate", "line.tax1Rate").
				path("tax2_rate", "line.tax2Rate").
				path("is_discarded", "line.isDiscarded").
				path("return_date", "line.returnDate").
				path("service_completed", "line.serviceCompleted").
				path("row_version", "line.timestamp")),
		linesTable("sales-orders", "pick_lines", "one row per picked product (stock leaving a location)",
			salesOrders, "pickLines", soFilters, func(o *salesOrd) []inflow.SalesOrderPickLine { return o.PickLines }, soLabel,
			soLine[inflow.SalesOrderPickLine]().
				path("sales_order_pick_line_id", "line.salesOrderPickLineId").
				path("product_id", "line.productId").
				path("description", "line.description").
				path("location_id", "line.locationId").
				path("sublocation", "line.sublocation").
				quantity("", "line.quantity").
				path("pick_date", "line.pickDate").
				path("row_version", "line.timestamp")),
		linesTable("sales-orders", "pack_lines", "one row per packed product and container",
			salesOrders, "packLines", soFilters, func(o *salesOrd) []inflow.SalesOrderPackLine { return o.PackLines }, soLabel,
			soLine[inflow.SalesOrderPackLine]().
				path("sales_order_pack_line_id", "line.salesOrderPackLineId").
				path("product_id", "line.productId").
				path("description", "line.description").
				path("container_number", "line.containerNumber").
				quantity("", "line.quantity").
				path("row_version", "line.timestamp")),
		linesTable("sales-orders", "ship_lines", "one row per shipment",
			salesOrders, "shipLines", soFilters, func(o *salesOrd) []inflow.SalesOrderShipLine { return o.ShipLines }, soLabel,
			soLine[inflow.SalesOrderShipLine]().
				path("sales_order_ship_line_id", "line.salesOrderShipLineId").
				path("carrier", "line.carrier").
				path("tracking_number", "line.trackingNumber").
				path("containers", "line.containers").
				path("shipped_date", "line.shippedDate").
				path("row_version", "line.timestamp")),
		linesTable("sales-orders", "restock_lines", "one row per returned product put back into stock",
			salesOrders, "restockLines", soFilters, func(o *salesOrd) []inflow.SalesOrderRestockLine { return o.RestockLines }, soLabel,
			soLine[inflow.SalesOrderRestockLine]().
				path("sales_order_restock_line_id", "line.salesOrderRestockLineId").
				path("product_id", "line.productId").
				path("description", "line.description").
				path("location_id", "line.locationId").
				path("sublocation", "line.sublocation").
				quantity("", "line.quantity").
				path("restock_date", "line.restockDate").
				path("row_version", "line.timestamp")),
		linesTable("sales-orders", "payment_lines", "one row per payment or refund",
			salesOrders, "paymentLines", soFilters, func(o *salesOrd) []inflow.SalesOrderPaymentHistoryLine { return o.PaymentLines }, soLabel,
			soLine[inflow.SalesOrderPaymentHistoryLine]().
				path("sales_order_payment_history_line_id", "line.salesOrderPaymentHistoryLineId").
				path("payment_type", "line.paymentType").
				path("payment_method", "line.paymentMethod").
				path("amount", "line.amount").
				path("date_paid", "line.datePaid").
				path("reference_number", "line.referenceNumber").
				path("remarks", "line.remarks").
				path("row_version", "line.timestamp")),
	)
}

// poLine starts the columns of a purchase order line table.
func poLine[L any]() *cols[child[purchOrd, L]] {
	c := &cols[child[purchOrd, L]]{}
	c.path("purchase_order_id", "parent.purchaseOrderId").
		path("order_number", "parent.orderNumber").
		path("order_date", "parent.orderDate").
		path("vendor_id", "parent.vendorId").
		path("line_number", "n")
	return c
}

func registerPurchaseOrders() {
	register(true,
		entityTable("purchase-orders", "headers", "one row per purchase order",
			purchaseOrders, []string{"vendor", "location"}, poFilters, poLabel,
			(&cols[purchOrd]{}).
				path("purchase_order_id", "purchaseOrderId").
				path("order_number", "orderNumber").
				path("order_date", "orderDate").
				path("vendor_id", "vendorId").
				path("vendor_name", "vendor.name").
				path("vendor_order_number", "vendorOrderNumber").
				path("location_id", "locationId").
				path("location_name", "location.name").
				path("inventory_status", "inventoryStatus").
				path("payment_status", "paymentStatus").
				path("is_quote", "isQuote").
				path("is_cancelled", "isCancelled").
				path("is_completed", "isCompleted").
				path("contact_name", "contactName").
				path("email", "email").
				path("phone", "phone").
				path("currency_id", "currencyId").
				path("exchange_rate", "exchangeRate").
				path("taxing_scheme_id", "taxingSchemeId").
				path("payment_terms_id", "paymentTermsId").
				path("is_tax_inclusive", "isTaxInclusive").
				path("sub_total", "subTotal").
				path("freight", "freight").
				discount("non_vendor_costs", "nonVendorCosts").
				path("tax1_name", "tax1Name").
				path("tax1_rate", "tax1Rate").
				path("tax1", "tax1").
				path("tax1_on_shipping", "tax1OnShipping").
				path("tax2_name", "tax2Name").
				path("tax2_rate", "tax2Rate").
				path("tax2", "tax2").
				path("tax2_on_shipping", "tax2OnShipping").
				path("calculate_tax2_on_tax1", "calculateTax2OnTax1").
				path("total", "total").
				path("amount_paid", "amountPaid").
				path("balance", "balance").
				path("return_extra", "returnExtra").
				path("return_fee", "returnFee").
				path("due_date", "dueDate").
				path("request_ship_date", "requestShipDate").
				path("carrier", "carrier").
				path("approver_team_member_id", "approverTeamMemberId").
				path("assigned_to_team_member_id", "assignedToTeamMemberId").
				address("vendor_", "vendorAddress").
				address("ship_to_", "shipToAddress").
				path("ship_to_company_name", "shipToCompanyName").
				path("show_shipping", "showShipping").
				path("order_remarks", "orderRemarks").
				path("receive_remarks", "receiveRemarks").
				path("return_remarks", "returnRemarks").
				path("unstock_remarks", "unstockRemarks").
				custom("customFields").
				path("last_modified_by_id", "lastModifiedById").
				path("row_version", "timestamp")),
		linesTable("purchase-orders", "lines", "one row per ordered (or, with a negative quantity, returned) product",
			purchaseOrders, "lines", poFilters, func(o *purchOrd) []inflow.PurchaseOrderLine { return o.Lines }, poLabel,
			poLine[inflow.PurchaseOrderLine]().
				path("purchase_order_line_id", "line.purchaseOrderLineId").
				path("product_id", "line.productId").
				path("description", "line.description").
				path("vendor_item_code", "line.vendorItemCode").
				quantity("", "line.quantity").
				path("unit_price", "line.unitPrice").
				discount("discount", "line.discount").
				path("sub_total", "line.subTotal").
				path("tax_code_id", "line.taxCodeId").
				path("tax1_rate", "line.tax1Rate").
				path("tax2_rate", "line.tax2Rate").
				path("return_date", "line.returnDate").
				path("service_completed", "line.serviceCompleted").
				path("row_version", "line.timestamp")),
		linesTable("purchase-orders", "receive_lines", "one row per received product (stock arriving at a location)",
			purchaseOrders, "receiveLines", poFilters, func(o *purchOrd) []inflow.PurchaseOrderReceiveLine { return o.ReceiveLines }, poLabel,
			poLine[inflow.PurchaseOrderReceiveLine]().
				path("purchase_order_receive_line_id", "line.purchaseOrderReceiveLineId").
				path("product_id", "line.productId").
				path("description", "line.description").
				path("vendor_item_code", "line.vendorItemCode").
				path("location_id", "line.locationId").
				path("sublocation", "line.sublocation").
				quantity("", "line.quantity").
				path("receive_date", "line.receiveDate").
				path("row_version", "line.timestamp")),
		linesTable("purchase-orders", "unstock_lines", "one row per returned product taken out of stock",
			purchaseOrders, "unstockLines", poFilters, func(o *purchOrd) []inflow.PurchaseOrderUnstockLine { return o.UnstockLines }, poLabel,
			poLine[inflow.PurchaseOrderUnstockLine]().
				path("purchase_order_unstock_line_id", "line.purchaseOrderUnstockLineId").
				path("product_id", "line.productId").
				path("description", "line.description").
				path("vendor_item_code", "line.vendorItemCode").
				path("location_id", "line.locationId").
				path("sublocation", "line.sublocation").
				quantity("", "line.quantity").
				path("unstock_date", "line.unstockDate").
				path("row_version", "line.timestamp")),
		linesTable("purchase-orders", "payment_lines", "one row per payment or refund",
			purchaseOrders, "paymentLines", poFilters, func(o *purchOrd) []inflow.PurchaseOrderPaymentHistoryLine { return o.PaymentLines }, poLabel,
			poLine[inflow.PurchaseOrderPaymentHistoryLine]().
				path("purchase_order_payment_history_line_id", "line.purchaseOrderPaymentHistoryLineId").
				path("payment_type", "line.paymentType").
				path("payment_method", "line.paymentMethod").
				path("amount", "line.amount").
				path("date_paid", "line.datePaid").
				path("reference_number", "line.referenceNumber").
				path("remarks", "line.remarks").
				path("row_version", "line.timestamp")),
	)
}

func registerMovements() {
	register(true,
		entityTable("stock-adjustments", "headers", "one row per stock adjustment",
			adjustments, []string{"adjustmentReason"}, []string{"adjustmentNumber"}, adjustmentLabel,
			(&cols[adjust]{}).
				path("stock_adjustment_id", "stockAdjustmentId").
				path("adjustment_number", "adjustmentNumber").
				path("date", "date").
				path("location_id", "locationId").
				path("adjustment_reason_id", "adjustmentReasonId").
				path("adjustment_reason_name", "adjustmentReason.name").
				path("is_cancelled", "isCancelled").
				path("remarks", "remarks").
				custom("customFields").
				path("last_modified_by_id", "lastModifiedById").
				path("row_version", "timestamp")),
		linesTable("stock-adjustments", "lines", "one row per adjusted product; quantity is the change",
			adjustments, "lines", []string{"adjustmentNumber"}, func(a *adjust) []inflow.StockAdjustmentLine { return a.Lines }, adjustmentLabel,
			(&cols[child[adjust, inflow.StockAdjustmentLine]]{}).
				path("stock_adjustment_id", "parent.stockAdjustmentId").
				path("adjustment_number", "parent.adjustmentNumber").
				path("date", "parent.date").
				path("location_id", "parent.locationId").
				path("line_number", "n").
				path("stock_adjustment_line_id", "line.stockAdjustmentLineId").
				path("product_id", "line.productId").
				path("description", "line.description").
				path("sublocation", "line.sublocation").
				quantity("", "line.quantity").
				path("row_version", "line.timestamp")),
	)
	register(true,
		entityTable("stock-transfers", "headers", "one row per stock transfer",
			transfers, nil, []string{"transferNumber"}, transferLabel,
			(&cols[transfer]{}).
				path("stock_transfer_id", "stockTransferId").
				path("transfer_number", "transferNumber").
				path("transfer_date", "transferDate").
				path("status", "status").
				path("from_location_id", "fromLocationId").
				path("to_location_id", "toLocationId").
				path("sent_date", "sentDate").
				path("received_date", "receivedDate").
				path("is_cancelled", "isCancelled").
				path("assigned_to_team_member_id", "assignedToTeamMemberId").
				path("remarks", "remarks").
				custom("customFields").
				path("last_modified_by_id", "lastModifiedById").
				path("row_version", "timestamp")),
		linesTable("stock-transfers", "lines", "one row per transferred product",
			transfers, "lines", []string{"transferNumber"}, func(t *transfer) []inflow.StockTransferLine { return t.Lines }, transferLabel,
			(&cols[child[transfer, inflow.StockTransferLine]]{}).
				path("stock_transfer_id", "parent.stockTransferId").
				path("transfer_number", "parent.transferNumber").
				path("transfer_date", "parent.transferDate").
				path("status", "parent.status").
				path("from_location_id", "parent.fromLocationId").
				path("to_location_id", "parent.toLocationId").
				path("line_number", "n").
				path("stock_transfer_line_id", "line.stockTransferLineId").
				path("product_id", "line.productId").
				path("description", "line.description").
				path("from_sublocation", "line.fromSublocation").
				path("to_sublocation", "line.toSublocation").
				quantity("", "line.quantity").
				path("row_version", "line.timestamp")),
	)
	register(true,
		entityTable("product-cost-adjustments", "product-cost-adjustments", "one row per product cost adjustment",
			costAdjustments, nil, noFilters, idLabel[costAdj],
			(&cols[costAdj]{}).
				path("product_cost_adjustment_id", "productCostAdjustmentId").
				path("product_id", "productId").
				path("date_time", "dateTime").
				path("unit_cost", "unitCost").
				path("serial", "serial").
				path("last_modified_by_id", "lastModifiedById").
				path("row_version", "timestamp")),
	)
}

func registerReference() {
	register(true, entityTable("locations", "locations", "one row per location (warehouse or store)",
		func(c *inflow.Client) lister[location] { return c.Locations() }, nil, noFilters, idLabel[location],
		(&cols[location]{}).
			path("location_id", "locationId").
			path("name", "name").
			path("is_active", "isActive").
			path("is_default", "isDefault").
			address("", "address").
			path("row_version", "timestamp")))
	register(true, categoriesTable())
	register(true, entityTable("pricing-schemes", "pricing-schemes", "one row per pricing scheme",
		func(c *inflow.Client) lister[pricing] { return c.PricingSchemes() }, nil, noFilters, idLabel[pricing],
		(&cols[pricing]{}).
			path("pricing_scheme_id", "pricingSchemeId").
			path("name", "name").
			path("currency_id", "currencyId").
			path("is_active", "isActive").
			path("is_default", "isDefault").
			path("is_tax_inclusive", "isTaxInclusive").
			path("row_version", "timestamp")))
	register(true, entityTable("currencies", "currencies", "one row per currency",
		func(c *inflow.Client) lister[currency] { return c.Currencies() }, nil, noFilters, idLabel[currency],
		(&cols[currency]{}).
			path("currency_id", "currencyId").
			path("name", "name").
			path("iso_code", "isoCode").
			path("symbol", "symbol").
			path("decimal_places", "decimalPlaces").
			path("row_version", "timestamp")))
	register(true, entityTable("payment-terms", "payment-terms", "one row per payment terms",
		func(c *inflow.Client) lister[payTerms] { return c.PaymentTerms() }, nil, noFilters, idLabel[payTerms],
		(&cols[payTerms]{}).
			path("payment_terms_id", "paymentTermsId").
			path("name", "name").
			path("days_due", "daysDue").
			path("is_active", "isActive").
			path("row_version", "timestamp")))
	register(true, entityTable("tax-codes", "tax-codes", "one row per tax code",
		func(c *inflow.Client) lister[taxCode] { return c.TaxCodes() }, nil, noFilters, idLabel[taxCode],
		(&cols[taxCode]{}).
			path("tax_code_id", "taxCodeId").
			path("name", "name").
			path("taxing_scheme_id", "taxingSchemeId").
			path("tax1_rate", "tax1Rate").
			path("tax2_rate", "tax2Rate").
			path("is_active", "isActive").
			path("row_version", "timestamp")))
	register(true, entityTable("taxing-schemes", "taxing-schemes", "one row per taxing scheme",
		func(c *inflow.Client) lister[taxScheme] { return c.TaxingSchemes() }, nil, []string{"name"}, idLabel[taxScheme],
		(&cols[taxScheme]{}).
			path("taxing_scheme_id", "taxingSchemeId").
			path("name", "name").
			path("tax1_name", "tax1Name").
			path("tax1_on_shipping", "tax1OnShipping").
			path("tax2_name", "tax2Name").
			path("tax2_on_shipping", "tax2OnShipping").
			path("calculate_tax2_on_tax1", "calculateTax2OnTax1").
			path("default_tax_code_id", "defaultTaxCodeId").
			path("is_active", "isActive").
			path("is_default", "isDefault").
			path("row_version", "timestamp")))
	register(true, entityTable("adjustment-reasons", "adjustment-reasons", "one row per stock adjustment reason",
		func(c *inflow.Client) lister[adjReason] { return c.AdjustmentReasons() }, nil, noFilters, idLabel[adjReason],
		(&cols[adjReason]{}).
			path("adjustment_reason_id", "adjustmentReasonId").
			path("name", "name").
			path("is_active", "isActive").
			path("is_internal", "isInternal")))
	register(true, entityTable("team-members", "team-members", "one row per inFlow user",
		func(c *inflow.Client) lister[member] { return c.TeamMembers() }, nil, noFilters, idLabel[member],
		(&cols[member]{}).
			path("team_member_id", "teamMemberId").
			path("name", "name").
			path("email", "email").
			path("is_active", "isActive").
			path("is_internal", "isInternal").
			path("can_be_sales_rep", "canBeSalesRep").
			path("access_all_locations", "accessAllLocations")))
}
