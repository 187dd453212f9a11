package sandbox

// The filters each list endpoint takes. The vendor's reference lost its
// per-endpoint filter tables in the copy this emulator is built from, so
// the fields are the documented sort fields, the filters public clients
// are seen using (orders status, id, date, status_updated_at, store.id,
// external_transactions.*.sent_at; products item_number, status; listings
// product.id; purchase orders status) and the entity's obvious keys. The
// operators follow the field's type (see operators). Anything else is
// refused with a 422, as a typo must never export everything.
var (
	ordersSpec = &listSpec{key: "id", keyKind: kInt,
		sorts: []string{"id", "order_number", "date", "status_updated_at", "external_transactions.store_shipment_notification.sent_at",
			"external_transactions.store_invoice.sent_at", "external_transactions.accounting_invoice.sent_at"},
		filters: map[string]kind{
			"id": kInt, "order_number": kString, "date": kTime, "status": kEnum, "status_updated_at": kTime,
			"source": kEnum, "fulfilled_by": kEnum, "store.id": kInt, "warehouse.id": kUUID,
			"invoice_number": kString, "purchase_order_number": kString, "original_order_id": kInt,
			"shipment.shipped_at": kTime,
			"external_transactions.store_shipment_notification.sent_at": kTime,
			"external_transactions.store_invoice.sent_at":               kTime,
			"external_transactions.accounting_invoice.sent_at":          kTime,
		}}
	purchaseOrdersSpec = &listSpec{key: "id", keyKind: kInt,
		sorts: []string{"id", "purchase_order_number", "date"},
		filters: map[string]kind{
			"id": kInt, "purchase_order_number": kString, "date": kTime, "status": kEnum, "type": kEnum,
			"vendor.id": kInt, "warehouse.id": kUUID,
		}}
	receiptsSpec = &listSpec{key: "id", keyKind: kInt,
		sorts: []string{"id", "reference_number", "date", "vendor.id", "warehouse.id"},
		filters: map[string]kind{
			"id": kInt, "reference_number": kString, "date": kTime, "status": kEnum, "vendor.id": kInt, "warehouse.id": kUUID,
		}}
	productsSpec = &listSpec{key: "id", keyKind: kInt,
		sorts: []string{"id", "item_number", "details.brand", "details.category", "details.condition", "details.manufacturer"},
		filters: map[string]kind{
			"id": kInt, "item_number": kString, "type": kEnum, "status": kEnum,
			"details.brand": kString, "details.category": kString, "details.condition": kString, "details.manufacturer": kString,
		}}
	adjustmentsSpec = &listSpec{key: "id", keyKind: kInt,
		sorts: []string{"id"},
		filters: map[string]kind{
			"id": kInt, "created_at": kTime, "reference_number": kString, "warehouse.id": kUUID,
		}}
	transfersSpec = &listSpec{key: "id", keyKind: kInt,
		sorts: []string{"id", "reference_number", "external_id", "date"},
		filters: map[string]kind{
			"id": kInt, "reference_number": kString, "external_id": kString, "date": kTime, "status": kEnum,
			"warehouses.from.id": kUUID, "warehouses.to.id": kUUID,
		}}
	warehousesSpec = &listSpec{key: "id", keyKind: kUUID,
		sorts:   []string{"name", "type"},
		filters: map[string]kind{"id": kUUID, "name": kString, "type": kEnum}}
	vendorsSpec = &listSpec{key: "id", keyKind: kInt,
		sorts:   []string{"id", "name"},
		filters: map[string]kind{"id": kInt, "name": kString, "status": kEnum}}
	storesSpec = &listSpec{key: "id", keyKind: kInt,
		sorts:   []string{"id", "name"},
		filters: map[string]kind{"id": kInt, "name": kString, "channel": kEnum, "status": kEnum}}
	listingsSpec = &listSpec{key: "internal_id", keyKind: kString,
		sorts: []string{"store_provided_id", "sku", "store.id", "product.id"},
		filters: map[string]kind{
			"store_provided_id": kString, "sku": kString, "store.id": kInt, "product.id": kInt, "status": kEnum, "fulfilled_by": kEnum,
		}}
	reportsSpec = &listSpec{key: "id", keyKind: kInt,
		sorts:   []string{"id"},
		filters: map[string]kind{"id": kInt, "status": kEnum}}
)
