package main

import (
	"bytes"
	"fmt"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"
)

// The inputs of the inFlow document jobs (jobs/import-open-sales-orders.yaml,
// jobs/receive-purchase-orders.yaml, jobs/stock-count-adjustments.yaml,
// jobs/transfer-stock.yaml). They name the embedded emulator's sample
// company (inflow/sandbox/seed.json): its customers, vendors, products,
// locations and adjustment reasons, so each job runs as it stands.

// openSalesOrders: one row per order line; the lines of SO-2003 are not
// adjacent, and SO-2005 names a customer the company lacks.
func openSalesOrders() table {
	return table{
		header: []string{"Order", "Date", "Customer", "Customer PO", "SKU", "Qty", "Unit Price", "Discount %"},
		rows: [][]string{
			{"SO-2001", "2026-01-12", "Blue Harbor Boutique", "BHB-4410", "TS-CRW-BLK-M", "12", "14.50", ""},
			{"SO-2001", "2026-01-12", "Blue Harbor Boutique", "BHB-4410", "TS-CRW-WHT-M", "12", "14.50", ""},
			{"SO-2001", "2026-01-12", "Blue Harbor Boutique", "BHB-4410", "GN-TOTE-NAT", "20", "6.00", "10"},
			{"SO-2002", "2026-01-13", "Maria Gonzalez", "", "EL-BUDS-PRO", "1", "89.00", ""},
			{"SO-2003", "2026-01-13", "Westfield College Campus Store", "WCS-2026-07", "HD-PUL-CHR-L", "8", "32.00", "5"},
			{"SO-2002", "2026-01-13", "Maria Gonzalez", "", "EL-CBL-USBC-2M", "2", "12.00", ""},
			{"SO-2003", "2026-01-13", "Westfield College Campus Store", "WCS-2026-07", "HD-ZIP-FGR-M", "6", "36.00", "5"},
			{"SO-2004", "2026-01-14", "Blue Harbor Boutique", "BHB-4431", "TS-VN-HGR-L", "10", "15.00", ""},
			{"SO-2005", "2026-01-14", "Westfeld Campus Store", "", "TS-ORG-NVY-S", "4", "16.00", ""},
			{"SO-2003", "2026-01-13", "Westfield College Campus Store", "WCS-2026-07", "GN-TOTE-NAT", "30", "6.00", "5"},
		},
		bad: []badRow{{row: 10, column: "Customer", value: "Westfeld Campus Store",
			why: "no such customer: order SO-2005 is rejected with the closest name, \"Westfield College Campus Store\"", bad: true}},
	}
}

// purchaseOrders is a sheet of purchase orders, received or not.
func purchaseOrderSheet() table {
	return table{
		header: []string{"PO", "Vendor", "Order Date", "SKU", "Qty", "Unit Cost", "Received"},
		rows: [][]string{
			{"PO-3001", "Northwind Apparel Co.", "2026-01-05", "TS-CRW-BLK-M", "48", "6.20", "Yes"},
			{"PO-3001", "Northwind Apparel Co.", "2026-01-05", "TS-CRW-WHT-M", "48", "6.20", "Yes"},
			{"PO-3001", "Northwind Apparel Co.", "2026-01-05", "HD-PUL-CHR-L", "24", "14.80", "Yes"},
			{"PO-3002", "Soundwave Electronics Ltd.", "2026-01-08", "EL-BUDS-PRO", "20", "41.00", "Yes"},
			{"PO-3002", "Soundwave Electronics Ltd.", "2026-01-08", "EL-CBL-USBC-2M", "100", "2.10", "Yes"},
			{"PO-3003", "Northwind Apparel Co.", "2026-01-15", "TS-VN-HGR-L", "36", "6.90", "No"},
		},
	}
}

func purchaseOrdersXLSX(t table) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Purchase Orders"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	if err := f.SetDocProps(&excelize.DocProperties{
		Creator: "etl samples", Title: "Purchase orders",
		Created: "2026-01-15T09:00:00Z", Modified: "2026-01-15T09:00:00Z",
	}); err != nil {
		return nil, err
	}
	date, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		return nil, err
	}
	cost, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr(`"$"#,##0.00`)})
	if err != nil {
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
			switch t.header[c] {
			case "Order Date":
				d, perr := time.Parse(time.DateOnly, v)
				if perr != nil {
					return nil, perr
				}
				if err = f.SetCellValue(sheet, cell, d); err == nil {
					err = f.SetCellStyle(sheet, cell, cell, date)
				}
			case "Qty":
				n, _ := strconv.Atoi(v)
				err = f.SetCellInt(sheet, cell, int64(n))
			case "Unit Cost":
				x, _ := strconv.ParseFloat(v, 64)
				if err = f.SetCellFloat(sheet, cell, x, 2, 64); err == nil {
					err = f.SetCellStyle(sheet, cell, cell, cost)
				}
			default:
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

func ptr[T any](v T) *T { return &v }

// stockCountAdjustments: a physical count's differences, as signed
// changes, one adjustment per location.
func stockCountAdjustments() table {
	return table{
		header: []string{"Count", "Location", "Reason", "SKU", "Bin", "Change"},
		rows: [][]string{
			{"COUNT-2026-01-MAIN", "Main Warehouse", "Stock count correction", "TS-CRW-BLK-M", "A-01", "-3"},
			{"COUNT-2026-01-MAIN", "Main Warehouse", "Stock count correction", "TS-CRW-WHT-M", "A-02", "2"},
			{"COUNT-2026-01-MAIN", "Main Warehouse", "Stock count correction", "GN-TOTE-NAT", "D-01", "-5"},
			{"COUNT-2026-01-SHOW", "Showroom", "Stock count correction", "TS-CRW-BLK-M", "", "-1"},
			{"COUNT-2026-01-SHOW", "Showroom", "Stock count correction", "EL-CBL-USBC-2M", "", "4"},
		},
	}
}

// stockTransfer: restocking the showroom from the main warehouse; the
// first transfer is completed (the stock moves), the second stays open.
func stockTransferSheet() table {
	return table{
		header: []string{"Transfer", "From", "To", "SKU", "Qty", "From Bin", "Status"},
		rows: [][]string{
			{"TR-2026-001", "Main Warehouse", "Showroom", "TS-CRW-BLK-M", "10", "A-01", "completed"},
			{"TR-2026-001", "Main Warehouse", "Showroom", "TS-CRW-WHT-M", "10", "A-02", "completed"},
			{"TR-2026-001", "Main Warehouse", "Showroom", "HD-PUL-CHR-L", "4", "", "completed"},
			{"TR-2026-002", "Main Warehouse", "Overflow Storage", "EL-CBL-USBC-2M", "50", "C-02", "open"},
		},
	}
}

// inflowDocsReadme describes the files above for samples/README.md.
func inflowDocsReadme(so, po, adj, tr table) []byte {
	var b bytes.Buffer
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	p("\n## open-sales-orders.csv, purchase-orders.xlsx, stock-count-adjustments.csv, stock-transfer.csv\n\n")
	p("Inputs of the inFlow document jobs (`jobs/import-open-sales-orders.yaml`, `jobs/receive-purchase-orders.yaml`,\n")
	p("`jobs/stock-count-adjustments.yaml`, `jobs/transfer-stock.yaml`). They name the embedded emulator's sample\n")
	p("company (its customers, vendors, SKUs, locations and adjustment reasons), so each job runs as it stands.\n")
	p("One row is one document line; rows with the same number are one document, and need not be adjacent.\n\n")
	p("- **open-sales-orders.csv**: %d lines of %d orders. Columns: %s.\n", len(so.rows), countDocs(so), joinComma(so.header))
	p("- **purchase-orders.xlsx** (sheet `Purchase Orders`): %d lines of %d purchase orders; Order Date is a date cell,\n", len(po.rows), countDocs(po))
	p("  Unit Cost a currency cell, Received `Yes` (received on import) or `No`. Columns: %s.\n", joinComma(po.header))
	p("- **stock-count-adjustments.csv**: %d signed changes from a count, one adjustment per location. Columns: %s.\n", len(adj.rows), joinComma(adj.header))
	p("- **stock-transfer.csv**: %d lines of %d transfers, one completed, one open. Columns: %s.\n\n", len(tr.rows), countDocs(tr), joinComma(tr.header))
	p("Deliberately bad rows of open-sales-orders.csv:\n\n")
	badTable(&b, so.bad)
	return b.Bytes()
}

func countDocs(t table) int {
	seen := map[string]bool{}
	for _, r := range t.rows {
		seen[r[0]] = true
	}
	return len(seen)
}

func joinComma(s []string) string {
	var b bytes.Buffer
	for i, v := range s {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(v)
	}
	return b.String()
}
