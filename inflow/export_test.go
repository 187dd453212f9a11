package inflow

import "github.com/shopspring/decimal"

// Decimal literals for the tests of this package and of inflow_test.

// MustDecimal parses a decimal literal such as "19.99", panicking on a bad one.
func MustDecimal(s string) Decimal { return Decimal{decimal.RequireFromString(s)} }

// DecimalPtr is a pointer to MustDecimal(s).
func DecimalPtr(s string) *Decimal { return new(MustDecimal(s)) }

// DecimalFromInt is the decimal value of n.
func DecimalFromInt(n int64) Decimal { return Decimal{decimal.NewFromInt(n)} }
