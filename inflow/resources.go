package inflow

// Endpoints. Each accessor is cheap (no request); the returned value is
// safe for concurrent use. Read-only reference data (categories, locations,
// pricing schemes, ...) cannot be created through the API and has no Put.

// Products is /products: get, list and upsert by PUT.
func (c *Client) Products() *WritableResource[Product] {
	return &WritableResource[Product]{Resource[Product]{Collection[Product]{c, "/products", "productId"}}}
}

// Customers is /customers: get, list and upsert by PUT.
func (c *Client) Customers() *WritableResource[Customer] {
	return &WritableResource[Customer]{Resource[Customer]{Collection[Customer]{c, "/customers", "customerId"}}}
}

// Vendors is /vendors: get, list and upsert by PUT.
func (c *Client) Vendors() *WritableResource[Vendor] {
	return &WritableResource[Vendor]{Resource[Vendor]{Collection[Vendor]{c, "/vendors", "vendorId"}}}
}

// SalesOrders is /sales-orders: get, list and upsert by PUT.
func (c *Client) SalesOrders() *WritableResource[SalesOrder] {
	return &WritableResource[SalesOrder]{Resource[SalesOrder]{Collection[SalesOrder]{c, "/sales-orders", "salesOrderId"}}}
}

// PurchaseOrders is /purchase-orders: get, list and upsert by PUT.
func (c *Client) PurchaseOrders() *WritableResource[PurchaseOrder] {
	return &WritableResource[PurchaseOrder]{Resource[PurchaseOrder]{Collection[PurchaseOrder]{c, "/purchase-orders", "purchaseOrderId"}}}
}

// StockAdjustments is /stock-adjustments: get, list and upsert by PUT.
func (c *Client) StockAdjustments() *WritableResource[StockAdjustment] {
	return &WritableResource[StockAdjustment]{Resource[StockAdjustment]{Collection[StockAdjustment]{c, "/stock-adjustments", "stockAdjustmentId"}}}
}

// StockTransfers is /stock-transfers: get, list and upsert by PUT.
func (c *Client) StockTransfers() *WritableResource[StockTransfer] {
	return &WritableResource[StockTransfer]{Resource[StockTransfer]{Collection[StockTransfer]{c, "/stock-transfers", "stockTransferId"}}}
}

// ProductCostAdjustments is /product-cost-adjustments: get, list and upsert by PUT.
func (c *Client) ProductCostAdjustments() *WritableResource[ProductCostAdjustment] {
	return &WritableResource[ProductCostAdjustment]{Resource[ProductCostAdjustment]{Collection[ProductCostAdjustment]{c, "/product-cost-adjustments", "productCostAdjustmentId"}}}
}

// TaxingSchemes is /taxing-schemes: get, list and upsert by PUT.
func (c *Client) TaxingSchemes() *WritableResource[TaxingScheme] {
	return &WritableResource[TaxingScheme]{Resource[TaxingScheme]{Collection[TaxingScheme]{c, "/taxing-schemes", "taxingSchemeId"}}}
}

// Categories is /categories: get and list (read-only through the API).
func (c *Client) Categories() *Resource[Category] {
	return &Resource[Category]{Collection[Category]{c, "/categories", "categoryId"}}
}

// Locations is /locations: get and list (read-only through the API).
func (c *Client) Locations() *Resource[Location] {
	return &Resource[Location]{Collection[Location]{c, "/locations", "locationId"}}
}

// PricingSchemes is /pricing-schemes: get and list (read-only through the API).
func (c *Client) PricingSchemes() *Resource[PricingScheme] {
	return &Resource[PricingScheme]{Collection[PricingScheme]{c, "/pricing-schemes", "pricingSchemeId"}}
}

// Currencies is /currencies: get and list (read-only through the API).
func (c *Client) Currencies() *Resource[Currency] {
	return &Resource[Currency]{Collection[Currency]{c, "/currencies", "currencyId"}}
}

// AdjustmentReasons is /adjustment-reasons: get and list (read-only through the API).
func (c *Client) AdjustmentReasons() *Resource[AdjustmentReason] {
	return &Resource[AdjustmentReason]{Collection[AdjustmentReason]{c, "/adjustment-reasons", "adjustmentReasonId"}}
}

// TaxCodes is /tax-codes: get and list (read-only through the API).
func (c *Client) TaxCodes() *Resource[TaxCode] {
	return &Resource[TaxCode]{Collection[TaxCode]{c, "/tax-codes", "taxCodeId"}}
}

// PaymentTerms is /payment-terms: get and list (read-only through the API).
func (c *Client) PaymentTerms() *Resource[PaymentTerms] {
	return &Resource[PaymentTerms]{Collection[PaymentTerms]{c, "/payment-terms", "paymentTermsId"}}
}

// OperationTypes is /operation-types: get and list (read-only through the API).
func (c *Client) OperationTypes() *Resource[OperationType] {
	return &Resource[OperationType]{Collection[OperationType]{c, "/operation-types", "operationTypeId"}}
}

// TeamMembers is /team-members: list only (there is no get by id).
func (c *Client) TeamMembers() *Collection[TeamMember] {
	return &Collection[TeamMember]{c, "/team-members", "teamMemberId"}
}

// EntityID returns productId.
func (e Product) EntityID() string { return e.ProductID }

// EntityID returns customerId.
func (e Customer) EntityID() string { return e.CustomerID }

// EntityID returns vendorId.
func (e Vendor) EntityID() string { return e.VendorID }

// EntityID returns salesOrderId.
func (e SalesOrder) EntityID() string { return e.SalesOrderID }

// EntityID returns purchaseOrderId.
func (e PurchaseOrder) EntityID() string { return e.PurchaseOrderID }

// EntityID returns stockAdjustmentId.
func (e StockAdjustment) EntityID() string { return e.StockAdjustmentID }

// EntityID returns stockTransferId.
func (e StockTransfer) EntityID() string { return e.StockTransferID }

// EntityID returns productCostAdjustmentId.
func (e ProductCostAdjustment) EntityID() string { return e.ProductCostAdjustmentID }

// EntityID returns taxingSchemeId.
func (e TaxingScheme) EntityID() string { return e.TaxingSchemeID }

// EntityID returns categoryId.
func (e Category) EntityID() string { return e.CategoryID }

// EntityID returns locationId.
func (e Location) EntityID() string { return e.LocationID }

// EntityID returns pricingSchemeId.
func (e PricingScheme) EntityID() string { return e.PricingSchemeID }

// EntityID returns currencyId.
func (e Currency) EntityID() string { return e.CurrencyID }

// EntityID returns adjustmentReasonId.
func (e AdjustmentReason) EntityID() string { return e.AdjustmentReasonID }

// EntityID returns taxCodeId.
func (e TaxCode) EntityID() string { return e.TaxCodeID }

// EntityID returns paymentTermsId.
func (e PaymentTerms) EntityID() string { return e.PaymentTermsID }

// EntityID returns operationTypeId.
func (e OperationType) EntityID() string { return e.OperationTypeID }

// EntityID returns teamMemberId.
func (e TeamMember) EntityID() string { return e.TeamMemberID }
