// Package inflowsrc is the inflow source: it exports inFlow Inventory data
// (products with inventory summaries, orders with their lines, serial
// numbers, customers, vendors and reference data) as typed rows, for
// Parquet, CSV, Excel or JSON Lines files. Importing the package registers
// the source type "inflow".
//
// # Settings
//
//	source:
//	  type: inflow
//	  entity: products            # what to export (list below)
//	  table: inventory            # which table of it; the entity's default when left out
//	  filters: {isActive: true}   # inFlow list filters, filter[NAME]=VALUE
//	  include: [inventoryLines]   # extra include= names, on top of those the table needs
//	  locations: [Main Warehouse] # inventory and serials only; default every location
//	  incremental: true           # products table only
//	  sandbox: auto               # auto | never | always
//	  rate_per_minute: 60         # default INFLOW_RATE_PER_MINUTE, else 60
//	  rate_per_hour: 1000         # default INFLOW_RATE_PER_HOUR, else off
//
// The API key and company come only from the environment: INFLOW_API_KEY,
// INFLOW_COMPANY_ID, and INFLOW_BASE_URL for another endpoint. The job file
// never holds a secret.
//
// sandbox: auto (the default) starts the built-in emulator, seeded with its
// sample company, in the process when INFLOW_API_KEY is not set, so the
// example jobs run on a fresh clone; it logs a warning and the run report
// carries a note saying so. Production jobs should say sandbox: never, so
// that a lost key fails the job instead of exporting sample data. always
// uses the emulator whatever the environment.
//
// Filters are checked at Open against the filters inFlow documents for the
// entity (a typo fails before any request, with a suggestion). Values are
// sent as they are; a mapping is sent as JSON, which is how inFlow takes
// ranges: filters: {orderDate: {fromDate: "2026-01-01"}}. ${VAR} works in
// values, so a cron line can pass a date: fromDate: "${SINCE}".
//
// # Entities and tables
//
//	products                  products (default), inventory, serials, serial_history,
//	                          prices, barcodes, vendor_items, reorder_settings
//	sales-orders              headers (default), lines, pick_lines, pack_lines,
//	                          ship_lines, restock_lines, payment_lines
//	purchase-orders           headers (default), lines, receive_lines, unstock_lines, payment_lines
//	stock-adjustments         headers (default), lines
//	stock-transfers           headers (default), lines
//	customers, vendors        customers / vendors (default), addresses
//	product-cost-adjustments, locations, categories, pricing-schemes, currencies,
//	payment-terms, tax-codes, taxing-schemes, adjustment-reasons, team-members
//
// docs/inflow-columns.md lists every table's columns with their types and
// the API fields they come from (generated from this package by
// go test ./sources/inflow -run TestColumnsDoc -update).
//
// # Columns
//
// The columns of a table are declared from the entity types of package
// inflow, never inferred from the data: a run that finds no rows, or only
// rows with empty fields, writes the same schema as any other. Names are the
// API's property names in snake_case (orderDate → order_date); nested
// values are flattened with a prefix (billing_city, shipping_postal_code,
// discount_is_percent, discount_value, custom1 ... custom10; an address's
// remarks are <prefix>address_remarks); the row version inFlow calls
// timestamp is row_version, since it is not a time. Types:
//
//   - money, rates and quantities: DECIMAL(18,5), the five places inFlow
//     answers with ("19.99000"). A value that does not fit exactly is never
//     rounded: its row is rejected, naming the column.
//   - date-times: timestamps in UTC (Parquet TIMESTAMP(MICROS, UTC);
//     inFlow's seventh fractional digit is dropped).
//   - booleans, whole numbers (INT64) and text; enums as inFlow documents
//     them (StockedProduct, Fulfilled), whatever case the API answers.
//   - ids are text GUIDs; an id inFlow leaves out is null.
//
// Line tables (lines, pick_lines, prices, addresses, ...) carry the
// parent's id and number (sales_order_id, order_number, order_date,
// customer_id; product_id, sku, product_name) and line_number, the line's
// 1-based position in the document. A line's quantity is split into
// quantity (in the product's standard unit), uom and uom_quantity (the
// unit shown on the document) and serial_numbers (comma-separated; the
// serial_history table has a row per serial).
//
// Headers of sales and purchase orders add names that cost no request
// (customer_name or vendor_name, location_name, through include=), and the
// products table adds category_name, cost (inFlow's current unit cost),
// default_price and barcode (the first by line number).
//
// # Inventory snapshot
//
// table: inventory has one row per stocked product and location (services
// and non-stocked products carry no stock and are left out): the product's
// SKU, name, category, unit of measure and unit cost, the location, and
// every quantity of inFlow's inventory summary (quantity_on_hand,
// quantity_available, raw_quantity_available, quantity_reserved and its
// breakdown, quantity_picked, quantity_on_order and its breakdown,
// quantity_in_transit, quantity_buildable). snapshot_at, the same on every
// row, is when the run started (UTC), so daily snapshots can be appended
// into one table.
//
// Products are listed 100 a request and their (product, location) pairs sent
// to POST /products/summary 100 a request, every request full (the pairs of
// one page wait for the next page to fill a batch), never one request per
// product. For N products and L locations that is ceil(N/100) list requests
// plus ceil(N_stocked·L/100) summary requests plus one for the locations:
// 10,000 products in 3 locations take 401 requests, 6.7 minutes at 60 a
// minute, within the 1,000-an-hour limit some accounts report.
//
// # Serials
//
// Following inFlow's serial-number guide:
//
//   - table: serials is the current snapshot, from products with
//     filter[trackSerials]=true and include=inventoryLines: one row per
//     serial and place (location_id, location_name, sublocation) with
//     quantity_on_hand and on_hand, plus the product's id, SKU and name and
//     snapshot_at. inFlow keeps a serial's line at zero after it leaves, so
//     a serial has a row for each place it has been, and on_hand is true
//     where it is now. Cost: one request per 100 serialised products.
//   - table: serial_history lists sales orders (include=lines, pickLines,
//     restockLines), purchase orders (lines, receiveLines, unstockLines),
//     stock transfers and stock adjustments (lines): one row per serial per
//     line, with document_type (sales_order, purchase_order, stock_transfer,
//     stock_adjustment), document id, number, date and status, is_cancelled,
//     party_id (customer or vendor), line_type (line, pick, restock,
//     receive, unstock), line_id, line_date, line_quantity (the whole
//     line's), location_id and sublocation (where stock left or arrived;
//     the document's location for plain lines; the source for transfers)
//     and to_location_id, to_sublocation (transfers). Cost: one request per
//     100 documents of each of the four kinds.
//
// Package serials answers "where is this serial and which orders was it
// on?" from these files without calling the API (etl serial find).
//
// # Incremental exports
//
// With incremental: true the products table exports only the products
// modified since the last successful run. The bookmark is the latest
// lastModifiedDateTime exported, with the ids and row versions of the
// products exported at exactly that instant; it lives in the job's state
// (pipeline.StateStore, the run journal, key StateKey) and is saved by
// Commit, which the runner calls only after the sink's Close succeeded: an
// interrupted, failed or dry run never moves it. The next run asks for
// filter[lastModifiedDateTime]={"fromDate": bookmark} (to the second: a
// closed range, so a product saved in the very instant of the last export
// is not lost) and leaves out what the bookmark already covers: products
// modified before it, and those at its instant with the same row version.
// The first run, or one after `etl state reset`, exports everything. A run
// without a state store (State nil) exports everything and saves nothing,
// with a warning.
//
// Only products can be exported incrementally: inFlow has no
// modification-date filter for any other entity (customers and vendors have
// a lastModifiedDttm field but no filter for it; orders, transfers and
// adjustments have no modification date at all), so every other table is
// exported in full on every run: one request per 100 records. A filter such
// as orderDate narrows an order export by order date, not by change.
//
// Like any export through a paged API, a record written while the export
// runs may or may not be in it; the next incremental run picks it up.
//
// # Requests
//
// Every list pages with count=100 and after=<last id> (keyset paging, each
// id once). No request is made at Open except to list locations for the
// inventory and serials tables. Requests wait on one rate limiter (60 a
// minute unless set otherwise), 429s are waited out as Retry-After says;
// the source implements pipeline.Reporter: the run report shows the reads,
// retries, 429s and time waited, and notes (sandbox, summary requests,
// incremental bookmark, rows left out and why).
package inflowsrc
