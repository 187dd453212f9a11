// Package inflowsink is etl's "inflow" sink: catalog onboarding and
// transactions into inFlow Inventory. Rows of products, customers or
// vendors become inFlow records by upsert, with opening stock and cost for
// products; rows that are lines of sales orders, purchase orders, stock
// adjustments or stock transfers become documents, by upsert on their
// number (see "Documents" below and docs/inflow-transactions.md). Both use
// as few requests as the job allows, a journal that makes an interrupted
// run resumable without duplicates, and a dry run that plans without
// writing. The package registers the sink type from init; link it in with
// `import _ "github.com/etl-dev/etl/sinks/inflow"`.
//
// # Where it writes
//
// The API key and company come from the environment only: INFLOW_API_KEY,
// INFLOW_COMPANY_ID and optionally INFLOW_BASE_URL. The key is never in a
// job file, a log line or a report. With `sandbox: auto` (the default) and
// no INFLOW_API_KEY, the sink starts the embedded emulator (package
// inflow/sandbox, seeded with the sample company) in-process, says so in a
// warning and in the report, and writes there: `etl run
// jobs/onboard-products-xlsx.yaml` works on a fresh clone. The emulator is
// in memory and gone when etl exits (`etl sandbox` serves one that lasts).
// `sandbox: never` requires an account; `sandbox: always` never touches
// one.
//
// # Settings
//
//	entity                 products | customers | vendors | sales-orders |
//	                       purchase-orders | stock-adjustments |
//	                       stock-transfers (required)
//	mode                   upsert (default) | insert | update
//	                       insert: existing records are skipped (outcome
//	                       skipped); update: rows without a record are
//	                       rejected ("mode update creates nothing")
//	match                  keys that find the existing record, in order:
//	                       products [sku, name] (default), barcode;
//	                       customers and vendors [name]; or custom:customN,
//	                       or custom:<label> (the custom field inFlow labels
//	                       so, from /custom-field-definitions: one request,
//	                       only when a label is used).
//	                       A default key the mapping lacks is dropped.
//	prices                 extra price fields → pricing scheme names
//	ignore                 mapped fields the sink leaves alone
//	concurrency            writes in flight (default 4)
//	rate_per_minute        the account's limit (default 60; 6000 for the
//	                       embedded emulator); INFLOW_RATE_PER_MINUTE wins
//	rate_per_hour          an optional second limit; INFLOW_RATE_PER_HOUR wins
//	reads                  auto (default) | index | lookup
//	allow_negative_inventory  send X-OverrideAllowNegativeInventory on stock
//	                       adjustments
//	stock.mode             set (default): the sheet's quantity is what is on
//	                       hand; add: add it to what is on hand; off
//	stock.location         location of rows without one (default: the
//	                       company's default location)
//	stock.adjustment_reason  reason name on the adjustments (default none)
//	stock.remarks          remarks on the adjustments
//	stock.lines_per_adjustment  lines per stock adjustment (default 250)
//	sandbox                auto (default) | never | always
//	fulfill, receive       sales-orders / purchase-orders: pick / receive
//	                       the lines (default false)
//	status                 stock-transfers: open (default) | completed
//	keep_unlisted_lines    documents: keep lines the file does not list
//	max_documents          documents held until the input ends (20000)
//
// Config.Validate checks every setting without opening anything (the job
// loader reports each bad one at its line and column, with the closest
// valid value); Open calls it too.
//
// The environment's rate wins over the job's because the limit belongs to
// the account the job runs against, which the operator knows and the job's
// author may not; the limiter also lowers itself to what inFlow's
// rate-limit headers announce. One limiter serves every sink and source of
// the process that uses the same account (base URL and company).
//
// # Fields
//
// Open checks the mapping's fields against the entity: an unknown field is
// an error naming the closest known one; a type that cannot feed the field
// (a bool for a price) is an error saying which type to map. Values that
// are null leave the inFlow value as it is; there is no way to blank a
// field from an empty cell.
//
// Products (inFlow property in brackets):
//
//	name [name], sku [sku], description, remarks, uom [standardUomName],
//	weight, length, width, height, hs_tariff_number, origin_country,
//	is_active [isActive], custom1 … custom10 [customFields.customN]
//	category [categoryId]   a name or path "Clothing > Tshirts" (">" with any
//	                        spacing); a leaf name alone when it is unique
//	item_type [itemType]    stocked (default for new products) | nonstocked |
//	                        service; inFlow cannot change it once set, so a
//	                        different value on an existing product rejects
//	                        the row
//	track_serials           likewise fixed once set
//	barcode                 the primary barcode: unchanged when the product
//	                        has it among its barcodes; else it replaces the
//	                        first barcode's value (same line GUID); other
//	                        barcodes are kept
//	price                   FixedPrice in the default pricing scheme
//	price_<scheme>          in the scheme whose name normalises to <scheme>
//	                        ("price_wholesale" or "price_wholesale_price" for
//	                        "Wholesale Price"); or any field named in prices.
//	                        A scheme inFlow lacks rejects the rows that give
//	                        the field a value, naming the schemes there are
//	tax_code                "Taxing scheme > Tax code", or a tax code name
//	                        unique across schemes: the product's code in
//	                        that scheme (its codes in other schemes stay)
//	vendor                  vendor name: the product's vendor item for it
//	vendor_item_code, vendor_cost, vendor_lead_time_days  on that line
//	reorder_point, reorder_quantity  the reorder line of the row's location
//	location, sublocation   where opening stock goes (and reorder settings)
//	quantity                on hand (stock.mode set) or to add (add)
//	serials                 serial numbers on hand, comma-separated
//	cost                    unit cost: a product cost adjustment when it
//	                        differs from inFlow's (one request per product:
//	                        inFlow has no multi-line cost adjustment; leave
//	                        cost out of the mapping to halve a first import)
//
// Customers and vendors: name, contact_name, email, phone, fax, website,
// remarks, discount, is_active, taxing_scheme, payment_terms [
// defaultPaymentTermsId], payment_method, carrier, custom1 … custom10, and
// one address: address_name, address1, address2, city, state, postal_code,
// country, address_type (commercial | residential), address_remarks.
// Customers also: pricing_scheme, tax_exempt_number, location [
// defaultLocationId], sales_rep. Vendors also: currency (ISO code or name),
// tax_inclusive, lead_time_days.
//
// The address fields set one line of addresses[]: the one named
// address_name when mapped, else the default (billing) address, else the
// first; a record without one gets a new line ("Main" unless named), which
// becomes the default billing and shipping (vendors: default) address where
// none is set.
//
// References (category, location, pricing scheme, taxing scheme, tax code,
// payment terms, currency, vendor, adjustment reason) resolve by name,
// case-insensitively, from lists read once at Open. inFlow's API cannot
// create categories, locations, pricing schemes, currencies, payment terms,
// adjustment reasons or tax codes: a row naming one that does not exist is
// rejected with the closest existing names and that explanation. Vendors
// referenced by products must have been onboarded first.
//
// # Matching, change detection and writes
//
// Each row is matched by its first match key that names exactly one record
// (two customers of the same name reject the row: match on a custom field
// instead). A record matched by one key whose other unique value (SKU or
// name) belongs to another product is rejected before any request, naming
// both products. Rows repeating a unique or match key of an earlier row are
// rejected ("same SKU as row 33"); they are never sent twice.
//
// A matched row is diffed against the record: scalars by value (decimals
// numerically, so "19.99000" equals 19.99), references by id, child lines
// by their natural key (price by pricing scheme, vendor item by vendor,
// reorder settings by location, the barcode and address as above). A row
// that changes nothing — record, stock and cost — costs no write (outcome
// unchanged). An update sends only the changed properties; a changed child
// array is sent whole, because inFlow replaces arrays on PUT: every
// existing line with its GUID and all its properties, the changed ones
// modified, new ones with fresh GUIDs. Lines the mapping does not own are
// never dropped. Updates carry the record's timestamp: if the record
// changed since it was read (someone edited it in inFlow, or an earlier
// attempt of this very write took effect before its answer was lost), the
// sink reads it again, diffs anew and writes the merge, at most three
// times. New records get a fresh GUID (recorded in the journal before the
// write is sent). Writes of a batch go out concurrency at a time, all
// paced by the account's limiter; Write returns when every row of the batch
// has its outcome. A 400, 409 or 422 rejects the row with inFlow's message;
// any other failure (after the client's retries) stops the run.
//
// # Request economy
//
// Before the first batch's writes the sink reads the reference lists it
// needs (one request each) and the first page of records with
// includeCount, which tells how many the account has. For each batch it
// then either reads the rest of the listing (100 records a request, with
// the child lines the diff needs: include=prices,productBarcodes,...) or
// queries just the batch's keys (products: filter[smart] for a SKU —
// inFlow has no SKU filter — then filter[name]; customers and vendors:
// filter[name]; exact matches kept), whichever costs fewer requests; once
// the lookups spent plus the batch's would reach the remaining pages, the
// listing wins (so the sink never spends much more than the better choice
// in hindsight). Custom-field keys cannot be queried: they read the
// listing. What is on hand comes with the records (include=inventoryLines:
// per location, bin and serial), so opening stock costs no extra read; a
// record that comes without its lines has its stock read through POST
// /products/summary, 100 products a request. A re-run of an unchanged
// file costs those reads and nothing else: for the 300-product sample, 8
// requests (4 reference lists, 4 pages of products).
//
// # Opening stock and cost
//
// At Close, after every record is written, stock.mode set adjusts each
// (product, location) to the sheet's quantity: the difference from what is
// on hand becomes a line of a stock adjustment, grouped by location, up to
// lines_per_adjustment lines each (the sample catalog: 2 requests for 290
// products). Decreases go to the row's sublocation (none by default);
// inFlow refuses only what would take the location as a whole below zero
// (allow_negative_inventory overrides that). Serialised products
// list the serials on hand: missing ones are added, others at the location
// removed (from the bin they are in). stock.mode add adds the quantity (or
// the serials not yet on hand) each run. Costs then go out as product cost
// adjustments for products whose cost differs, so the cost applies to the
// stock just adjusted. Failures of adjustments are collected and returned
// by Close after all were tried (the records themselves are written):
// Close returns a *pipeline.RowErrors naming the rows each failed
// adjustment was for (by Row.Seq), rejected with inFlow's reason, or
// unknown when the adjustment was sent and no answer came; the run is not
// failed by them.
//
// # Journal and resume
//
// With a journal (pipeline.Env.Journal), a new record's GUID is recorded
// (Intend) before its write is sent and confirmed after; updates are
// confirmed; stock and cost adjustments likewise, keyed by location and a
// hash of their lines. The requests made are logged. A resumed run
// (Env.Resume) reuses every GUID the interrupted run chose, does not resend
// a write confirmed with the same values (the row keeps the outcome the
// journal recorded), recognises records the interrupted run created
// without confirming (reported created), and recomputes stock and cost
// from inFlow's state, which makes set-mode stock and cost idempotent; an
// adjustment whose lines are unchanged reuses its GUID, so one that was
// sent but not confirmed counts once; add-mode lines confirmed before are
// skipped.
//
// # Outcomes when a run is cut short
//
// A row whose write inFlow confirmed keeps its outcome (created, updated)
// even when the run is then cancelled or fails: Write sets it before
// returning the error. A row whose write went out and got no answer (the
// client's retries spent, or cancelled after sending) is
// pipeline.Unknown; etl run --resume resolves it through the journaled
// GUID. Rows never sent are the runner's to call not processed.
//
// # Dry run
//
// The sink is a planner (it reads inFlow and decides creates, updates and
// unchanged rows) over a writer (one request per write, package apisink).
// The runner chooses the writer's layer: Open (apisink.Direct) sends the
// writes, OpenDryRun (apisink.DryRun) records them in a plan and sends
// nothing — no component tests a dry-run flag. The reads go out either
// way, so creates, updates and unchanged rows are told apart exactly, and
// Close's deferred writes go through the same layer. Report returns the
// plan: counts, the read requests made, the writes a real run needs
// (records, stock adjustments, cost adjustments), their duration at the
// rate limit, and each create and update with its fields old → new (stock
// as "quantity (Main Warehouse)"). The real sink's Report gives the
// requests made by kind, retries, 429s and time spent waiting, for
// progress and the run report.
//
// # Documents
//
// With a document entity each row is one line; rows are grouped by the
// number field (order_number, adjustment_number, transfer_number) and need
// not be adjacent, so Write only files them and Close does the work:
// header fields must agree on every row of a document; names resolve to
// ids (customers, vendors and products through their listings or one
// lookup each, whichever is cheaper; reference data from one list each);
// the existing documents the file names are read the same way, with their
// line arrays; each document is diffed (lines matched by product, and
// sublocations, in order, keeping their GUIDs; lines the file lacks
// removed unless keep_unlisted_lines) and written with one PUT when new or
// changed, none when equal. A new document's GUID is journaled before its
// PUT. A document inFlow no longer lets change (fulfilled, received,
// completed, cancelled) is left alone and its rows say why. fulfill and
// receive add pick and receive lines; allow_negative_inventory sends the
// override header on every write. Close returns a *pipeline.RowErrors
// whose Outcomes give every row its document's outcome.
package inflowsink
