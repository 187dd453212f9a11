package mappings

import (
	"fmt"

	"github.com/etl-dev/etl/pipeline"
)

// Identity returns the mapping a job gets when it has no `mapping:`
// section: every source column, in order, under an identifier made from
// its name ("Product Name" → product_name), with the column's own type (and
// decimal precision and scale when the source knows them). Text stays text:
// to type CSV or Excel columns, write a mapping.
func Identity(columns []pipeline.Column) Spec {
	fields := make([]FieldSpec, 0, len(columns))
	seen := map[string]int{}
	for _, c := range columns {
		name := c.Name
		if !isIdent(name) || reservedNames[name] {
			name = identFor(name)
		}
		if n := seen[name]; n > 0 {
			seen[name]++
			name = fmt.Sprintf("%s_%d", name, n+1)
		} else {
			seen[name] = 1
		}
		fs := FieldSpec{Name: name, From: c.Name, Type: c.Type.String()}
		if c.Type == pipeline.TypeDecimal && c.Scale+c.Precision > 0 {
			precision, scale := c.Precision, c.Scale
			if precision == 0 {
				precision = DefaultPrecision
			}
			fs.Precision, fs.Scale = &precision, &scale
		}
		if c.Type == pipeline.TypeString {
			// Keep text as it is: an identity mapping must not turn
			// empty cells into nulls or trim what the source holds.
			keep := false
			fs.Trim = &keep
			fs.NullIf = []string{}
		}
		fields = append(fields, fs)
	}
	return Spec{Fields: fields}
}
