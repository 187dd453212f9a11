// Package samples holds the sample inputs the example jobs and the tests
// read: a product catalog (catalog.csv and catalog.xlsx, the same rows with a
// few deliberately bad ones), customers.csv and vendors.csv. README.md lists
// every bad row and why it is bad.
//
// The files are written by a deterministic generator; run `go generate
// ./samples` (or `go run ./samples/gen` from the repository root) after
// changing samples/gen/main.go, and commit the result. Running it again
// changes nothing.
package samples

//go:generate go run ./gen
