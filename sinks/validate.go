package sinks

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/etl-dev/etl/internal/suggest"
	"github.com/etl-dev/etl/pipeline"
)

// Every file sink's settings are checked by Validate before any data moves
// (the job loader calls it, and Open calls it again for configs built in
// code); Open then uses the values as they are.
var (
	_ pipeline.Validator = (*CSVConfig)(nil)
	_ pipeline.Validator = (*JSONLConfig)(nil)
	_ pipeline.Validator = (*ParquetConfig)(nil)
	_ pipeline.Validator = (*XLSXConfig)(nil)
)

// Validate checks path, partition and delimiter.
func (c *CSVConfig) Validate() error {
	var errs pipeline.SettingErrors
	checkOutput(&errs, ".csv", c.Path, c.Partition)
	if _, err := c.delimiter(); err != nil {
		errs.Add(&pipeline.SettingError{Setting: "delimiter", Message: err.Error()})
	}
	return errs.Err()
}

// Validate checks path and partition.
func (c *JSONLConfig) Validate() error {
	var errs pipeline.SettingErrors
	checkOutput(&errs, ".jsonl", c.Path, c.Partition)
	return errs.Err()
}

// parquetCodecs are the compression names the parquet sink knows.
var parquetCodecs = []string{"snappy", "zstd", "gzip", "none"}

// Validate checks path, partition, row_group_size and compression.
func (c *ParquetConfig) Validate() error {
	var errs pipeline.SettingErrors
	checkOutput(&errs, ".parquet", c.Path, c.Partition)
	if c.RowGroupSize < 1 {
		errs.Add(&pipeline.SettingError{Setting: "row_group_size",
			Message: fmt.Sprintf("row_group_size must be at least 1 (got %d); leave it out for the default 100000", c.RowGroupSize)})
	}
	if name := c.codecName(); name != "" && !contains(parquetCodecs, name) {
		errs.Add(&pipeline.SettingError{Setting: "compression",
			Message: fmt.Sprintf("compression %q is not known: use snappy (the default), zstd, gzip or none", c.Compression),
			Hint:    suggest.Hint(name, parquetCodecs)})
	}
	return errs.Err()
}

// codecName is the compression setting as Open reads it.
func (c *ParquetConfig) codecName() string {
	return strings.ToLower(strings.TrimSpace(c.Compression))
}

// Validate checks path, partition and the sheet name by Excel's rules.
func (c *XLSXConfig) Validate() error {
	var errs pipeline.SettingErrors
	checkOutput(&errs, ".xlsx", c.Path, c.Partition)
	if msg := sheetNameProblem(c.Sheet); msg != "" {
		errs.Add(&pipeline.SettingError{Setting: "sheet", Message: fmt.Sprintf("sheet %q: %s", c.Sheet, msg)})
	}
	return errs.Err()
}

// sheetNameProblem says why Excel would refuse a sheet name, or "". An
// empty name means the default.
func sheetNameProblem(name string) string {
	switch {
	case name == "":
		return ""
	case utf8.RuneCountInString(name) > 31:
		return "a sheet name has at most 31 characters"
	case strings.ContainsAny(name, `:\/?*[]`):
		return `a sheet name cannot hold any of : \ / ? * [ ]`
	case strings.HasPrefix(name, "'") || strings.HasSuffix(name, "'"):
		return "a sheet name cannot start or end with an apostrophe"
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
