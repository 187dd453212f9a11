package main

import (
	"bytes"
	"fmt"

	"github.com/xuri/excelize/v2"
)

// goflowStock is a stock count of the Goflow emulator's sample company:
// item numbers GF-0001 … and its warehouses, with two deliberately bad
// rows (an item number Goflow does not have, and a misspelt warehouse).
func goflowStock() table {
	t := table{header: []string{"Item Number", "Warehouse", "Counted"}}
	for i := 1; i <= 24; i++ {
		if i%20 == 0 {
			continue // GF-0020 is a group product: it holds no stock
		}
		wh := "Main Warehouse"
		if i%3 == 0 {
			wh = "East Coast DC"
		}
		t.rows = append(t.rows, []string{fmt.Sprintf("GF-%04d", i), wh, fmt.Sprint(10 + (i*7)%35)})
	}
	t.rows = append(t.rows, []string{"GF-9001", "Main Warehouse", "4"}, []string{"GF-0002", "Main Warehous", "6"})
	return t
}

// goflowStockXLSX writes the stock count as a workbook (sheet "Count",
// counts as number cells).
func goflowStockXLSX(t table) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Count"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	if err := f.SetDocProps(&excelize.DocProperties{Creator: "etl samples", Title: "Goflow stock count",
		Created: "2026-01-15T09:00:00Z", Modified: "2026-01-15T09:00:00Z"}); err != nil {
		return nil, err
	}
	for i, h := range t.header {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellStr(sheet, cell, h); err != nil {
			return nil, err
		}
	}
	for r, row := range t.rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+2)
			var err error
			if t.header[c] == "Counted" {
				var n int
				fmt.Sscan(v, &n)
				err = f.SetCellInt(sheet, cell, int64(n))
			} else {
				err = f.SetCellStr(sheet, cell, v)
			}
			if err != nil {
				return nil, err
			}
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func goflowReadme(t table) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "\n## goflow-stock.xlsx\n\n")
	fmt.Fprintf(&b, "A stock count for the Goflow emulator's sample company (sheet `Count`, %d rows; columns %s),\n", len(t.rows), "Item Number, Warehouse, Counted")
	fmt.Fprintf(&b, "used by jobs/goflow-stock-from-sheet.yaml. Counted is a number cell. Two rows are bad on purpose:\n\n")
	fmt.Fprintf(&b, "| row | column | value | what is wrong |\n|---:|---|---|---|\n")
	fmt.Fprintf(&b, "| %d | Item Number | GF-9001 | Goflow has no such product |\n", len(t.rows))
	fmt.Fprintf(&b, "| %d | Warehouse | Main Warehous | misspelt: the sink names the closest warehouse, Main Warehouse |\n", len(t.rows)+1)
	return b.Bytes()
}
