package main

// inventoraStockCount is a stock count of the Inventora emulator's sample
// account (inventora/sandbox): one row per product × location counted,
// with new retail and wholesale prices for some products; the input of
// jobs/inventora-update-products.yaml.
func inventoraStockCount() table {
	return table{
		header: []string{"SKU", "Retail Price", "Wholesale Price", "Min Level", "Location", "Counted"},
		rows: [][]string{
			{"CANDLE-Van", "$9.99", "$5.00", "10", "Main Warehouse", "42"},
			{"CANDLE-Van", "", "", "", "Retail Store", "12"},
			{"SOAP-Van", "$7.49", "", "", "Main Warehouse", "30"},
			{"MELT-Van", "", "", "8", "Main Warehouse", "18.5"},
			{"SPRAY-Van", "$12.00", "$6.50", "", "Main Warehouse", "0"},
			{"CANDLE-Lav", "", "", "", "Main Warehouse", "25"},
			{"CANDLE-Lav", "", "", "", "Retail Store", "6"},
			{"MELT-Lav", "", "", "", "Production Floor", "4"},
			{"SPRAY-Lav", "$12.00", "$6.50", "", "Main Warehouse", "15"},
			{"CANDLE-Ced", "$10.49", "", "12", "Main Warehouse", "33"},
		},
	}
}
