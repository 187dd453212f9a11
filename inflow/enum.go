package inflow

import (
	"encoding/json"
	"strings"
)

// EqualFold reports whether two enum values are equal ignoring case. inFlow
// documents PascalCase enum values ("StockedProduct") but returns camelCase
// ("stockedProduct"); always compare with EqualFold or the Is methods.
func EqualFold[E ~string](a, b E) bool { return strings.EqualFold(string(a), string(b)) }

// canonicalEnum maps s case-insensitively onto one of known, or returns s
// unchanged when none matches (values the spec does not list survive a
// round trip).
func canonicalEnum[E ~string](s string, known []E) E {
	for _, k := range known {
		if strings.EqualFold(s, string(k)) {
			return k
		}
	}
	return E(s)
}

func unmarshalEnum[E ~string](data []byte, dst *E, known []E) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return err
	}
	*dst = canonicalEnum(s, known)
	return nil
}

// ItemType is a product's type. Cannot be changed once set.
// Values read from the API are normalised to the constants below.
type ItemType string

// ItemType values.
const (
	StockedProduct    ItemType = "StockedProduct"
	NonstockedProduct ItemType = "NonstockedProduct"
	ServiceItem       ItemType = "Service"
)

var itemTypes = []ItemType{StockedProduct, NonstockedProduct, ServiceItem}

// Is reports whether e equals o ignoring case.
func (e ItemType) Is(o ItemType) bool { return EqualFold(e, o) }

// UnmarshalJSON normalises the case of known values.
func (e *ItemType) UnmarshalJSON(b []byte) error { return unmarshalEnum(b, e, itemTypes) }

// PriceType is how a product price is set in a pricing scheme.
type PriceType string

// PriceType values.
const (
	FixedPrice  PriceType = "FixedPrice"
	FixedMarkup PriceType = "FixedMarkup"
)

var priceTypes = []PriceType{FixedPrice, FixedMarkup}

// Is reports whether e equals o ignoring case.
func (e PriceType) Is(o PriceType) bool { return EqualFold(e, o) }

// UnmarshalJSON normalises the case of known values.
func (e *PriceType) UnmarshalJSON(b []byte) error { return unmarshalEnum(b, e, priceTypes) }

// ReorderMethod is how a product is reordered when low in stock.
type ReorderMethod string

// ReorderMethod values.
const (
	ReorderPurchaseOrder ReorderMethod = "PurchaseOrder"
	ReorderWorkOrder     ReorderMethod = "WorkOrder"
	ReorderStockTransfer ReorderMethod = "StockTransfer"
)

var reorderMethods = []ReorderMethod{ReorderPurchaseOrder, ReorderWorkOrder, ReorderStockTransfer}

// Is reports whether e equals o ignoring case.
func (e ReorderMethod) Is(o ReorderMethod) bool { return EqualFold(e, o) }

// UnmarshalJSON normalises the case of known values.
func (e *ReorderMethod) UnmarshalJSON(b []byte) error { return unmarshalEnum(b, e, reorderMethods) }

// AddressType says whether an address is commercial or residential.
type AddressType string

// AddressType values.
const (
	AddressCommercial  AddressType = "Commercial"
	AddressResidential AddressType = "Residential"
)

var addressTypes = []AddressType{AddressCommercial, AddressResidential}

// Is reports whether e equals o ignoring case.
func (e AddressType) Is(o AddressType) bool { return EqualFold(e, o) }

// UnmarshalJSON normalises the case of known values.
func (e *AddressType) UnmarshalJSON(b []byte) error { return unmarshalEnum(b, e, addressTypes) }

// InventoryStatus is the read-only inventory status of a sales or purchase
// order. Sales orders use Unconfirmed, Quote, Unfulfilled, Started and
// Fulfilled; purchase orders Quote, Unapproved, Unfulfilled, Started and
// Fulfilled.
type InventoryStatus string

// InventoryStatus values.
const (
	InventoryUnconfirmed InventoryStatus = "Unconfirmed"
	InventoryQuote       InventoryStatus = "Quote"
	InventoryUnapproved  InventoryStatus = "Unapproved"
	InventoryUnfulfilled InventoryStatus = "Unfulfilled"
	InventoryStarted     InventoryStatus = "Started"
	InventoryFulfilled   InventoryStatus = "Fulfilled"
)

var inventoryStatuses = []InventoryStatus{InventoryUnconfirmed, InventoryQuote, InventoryUnapproved,
	InventoryUnfulfilled, InventoryStarted, InventoryFulfilled}

// Is reports whether e equals o ignoring case.
func (e InventoryStatus) Is(o InventoryStatus) bool { return EqualFold(e, o) }

// UnmarshalJSON normalises the case of known values.
func (e *InventoryStatus) UnmarshalJSON(b []byte) error {
	return unmarshalEnum(b, e, inventoryStatuses)
}

// PaymentStatus is the payment status of a sales or purchase order.
type PaymentStatus string

// PaymentStatus values (sales orders and purchase orders together).
const (
	PaymentUnconfirmed PaymentStatus = "Unconfirmed"
	PaymentQuote       PaymentStatus = "Quote"
	PaymentUnapproved  PaymentStatus = "Unapproved"
	PaymentUninvoiced  PaymentStatus = "Uninvoiced"
	PaymentInvoiced    PaymentStatus = "Invoiced"
	PaymentUnpaid      PaymentStatus = "Unpaid"
	PaymentPartial     PaymentStatus = "Partial"
	PaymentPaid        PaymentStatus = "Paid"
	PaymentOwing       PaymentStatus = "Owing"
)

var paymentStatuses = []PaymentStatus{PaymentUnconfirmed, PaymentQuote, PaymentUnapproved, PaymentUninvoiced,
	PaymentInvoiced, PaymentUnpaid, PaymentPartial, PaymentPaid, PaymentOwing}

// Is reports whether e equals o ignoring case.
func (e PaymentStatus) Is(o PaymentStatus) bool { return EqualFold(e, o) }

// UnmarshalJSON normalises the case of known values.
func (e *PaymentStatus) UnmarshalJSON(b []byte) error { return unmarshalEnum(b, e, paymentStatuses) }

// TransferStatus is the status of a stock transfer; it decides when stock
// leaves the source and reaches the destination.
type TransferStatus string

// TransferStatus values.
const (
	TransferOpen      TransferStatus = "Open"
	TransferInTransit TransferStatus = "InTransit"
	TransferCompleted TransferStatus = "Completed"
)

var transferStatuses = []TransferStatus{TransferOpen, TransferInTransit, TransferCompleted}

// Is reports whether e equals o ignoring case.
func (e TransferStatus) Is(o TransferStatus) bool { return EqualFold(e, o) }

// UnmarshalJSON normalises the case of known values.
func (e *TransferStatus) UnmarshalJSON(b []byte) error {
	return unmarshalEnum(b, e, transferStatuses)
}

// PaymentType is the kind of a payment history line.
type PaymentType string

// PaymentType values.
const (
	PaymentTypePayment         PaymentType = "Payment"
	PaymentTypeBatchPayment    PaymentType = "BatchPayment"
	PaymentTypeApplyCredit     PaymentType = "ApplyCredit"
	PaymentTypeConvertToCredit PaymentType = "ConvertToCredit"
	PaymentTypeRefund          PaymentType = "Refund"
	PaymentTypeInFlowPay       PaymentType = "InFlowPay"
)

var paymentTypes = []PaymentType{PaymentTypePayment, PaymentTypeBatchPayment, PaymentTypeApplyCredit,
	PaymentTypeConvertToCredit, PaymentTypeRefund, PaymentTypeInFlowPay}

// Is reports whether e equals o ignoring case.
func (e PaymentType) Is(o PaymentType) bool { return EqualFold(e, o) }

// UnmarshalJSON normalises the case of known values.
func (e *PaymentType) UnmarshalJSON(b []byte) error { return unmarshalEnum(b, e, paymentTypes) }

// NegativeType is how a currency shows negative numbers.
type NegativeType string

// NegativeType values.
const (
	NegativeLeading              NegativeType = "Leading"
	NegativeLeadingInsideSymbol  NegativeType = "LeadingInsideSymbol"
	NegativeTrailingInsideSymbol NegativeType = "TrailingInsideSymbol"
	NegativeTrailing             NegativeType = "Trailing"
	NegativeBracketed            NegativeType = "Bracketed"
)

var negativeTypes = []NegativeType{NegativeLeading, NegativeLeadingInsideSymbol, NegativeTrailingInsideSymbol,
	NegativeTrailing, NegativeBracketed}

// Is reports whether e equals o ignoring case.
func (e NegativeType) Is(o NegativeType) bool { return EqualFold(e, o) }

// UnmarshalJSON normalises the case of known values.
func (e *NegativeType) UnmarshalJSON(b []byte) error { return unmarshalEnum(b, e, negativeTypes) }

// ShipmentStatus is the EasyPost status of a sales order ship line.
type ShipmentStatus string

// ShipmentStatus values.
const (
	ShipmentManual    ShipmentStatus = "Manual"
	ShipmentOpen      ShipmentStatus = "Open"
	ShipmentPurchased ShipmentStatus = "Purchased"
)

var shipmentStatuses = []ShipmentStatus{ShipmentManual, ShipmentOpen, ShipmentPurchased}

// Is reports whether e equals o ignoring case.
func (e ShipmentStatus) Is(o ShipmentStatus) bool { return EqualFold(e, o) }

// UnmarshalJSON normalises the case of known values.
func (e *ShipmentStatus) UnmarshalJSON(b []byte) error {
	return unmarshalEnum(b, e, shipmentStatuses)
}
