package mappings

import (
	"testing"

	"github.com/etl-dev/etl/pipeline"
)

func TestLocateFillsColumnAndCellOfASinkProblem(t *testing.T) {
	m, err := Compile(Spec{Fields: []FieldSpec{{Name: "sku", From: "SKU"}, {Name: "cat", From: "Category"}, {Name: "calc", Expr: `"x"`}}},
		[]pipeline.Column{{Name: "SKU", Ref: "A"}, {Name: "Category", Ref: "B"}})
	if err != nil {
		t.Fatal(err)
	}
	p := pipeline.Problem{Origin: pipeline.Origin{File: "c.xlsx", Row: 12}, Field: "cat", Message: "unknown category"}
	m.Locate(&p)
	if p.Column != "Category" || p.Cell != "B12" {
		t.Fatalf("located %+v", p)
	}
	computed := pipeline.Problem{Origin: pipeline.Origin{Row: 3}, Field: "calc"}
	m.Locate(&computed)
	if computed.Column != "" || computed.Cell != "" {
		t.Fatalf("a computed field has no cell: %+v", computed)
	}
}
