// Package sandbox is an in-memory emulator of the Goflow REST API (v1),
// for tests over loopback HTTP and for users without an account
// (`etl sandbox goflow`, and `sandbox: auto` in jobs).
//
// It is a second implementation built from the vendor's documentation
// (shared/reference/goflow-api.txt) and the research notes, not from the
// client in package goflow, which it must not import. Records are JSON
// objects with numbers kept exact (json.Number); the kit's harness
// (internal/emulator) stands in front of it for faults, per-endpoint rate
// limits and request counters.
//
// # What it does
//
//   - Routes under /v1: orders (list, get, splits), purchasing/purchase-
//     orders (list, get, create), purchasing/receipts, products (list, get,
//     create, PATCH pricing), inventory/adjustments (list, get, create),
//     transfers, warehouses, vendors, stores, listings, reports (list, get,
//     delete), reports/inventory/counts and reports/quotas/{type}.
//   - Every request needs Authorization: Bearer <token> (401) and an
//     X-Beta-Contact header (403). Writes need a JSON body (415).
//   - Lists answer {data, next}: a fixed page size (Options.PageSize), next
//     a full URL that keeps the query and adds a signed keyset cursor (the
//     sort value and key of the page's last record), which survives inserts
//     and is refused when tampered with, reused with other filters, or
//     older than an hour. Sort by the documented fields, asc or desc.
//   - filters[field] and filters[field:op] with eq, not, exists, gt, lt,
//     gte, lte per field type, repeated keys ORed, dot paths; a field or
//     operator the endpoint does not take is a 422 naming it.
//   - The documented limit of each endpoint (method and route), per minute
//     or per hour, times Options.RateMultiplier: 429 with Retry-After (whole
//     seconds) and retry_after_seconds, and X-Rate-Limit-Limit and
//     X-Rate-Limit-Remaining on every answer.
//   - 422 with {"message": "The given data is invalid", "errors": {field:
//     [messages]}} (an object; the docs print an invalid array).
//     Options.ConflictRate answers writes 409 before processing them;
//     Options.Maintenance answers everything 503 with Retry-After.
//   - Products: item_number required, at most 100 characters, unique
//     (case-insensitively); at most 25 identifiers and children; pricing in
//     [0.01, 1,000,000] or null, PATCH partial (204).
//   - Adjustments: 1..2000 lines in one warehouse, absolute or relative;
//     absolute lines already at their quantity are ignored and a request
//     with only such lines answers 204 with no document; documents store
//     the relative change. Group products hold no stock (422).
//   - Order splits: 2..100 chunks covering every unit of every line; the
//     original order is deleted, the new ones share its order_number, name
//     it in original_order_id, lose the invoice number, and get
//     status_updated_at now (a guess: the docs do not say).
//   - Reports: 202 {id, location}; queued for Options.ReportQueue and
//     until the type's daily record quota has records left; processing for
//     Options.ReportWork; completed with records_count and a file_url that
//     redirects (302) to a second host, which refuses requests carrying an
//     Authorization header (counted in Stats.LeakedAuth); json, jsonl or
//     csv; include_zeros; report filters {values, operator: in}; limit and
//     order_by. Quotas count records per UTC day, and an overage carries
//     into the next days. Reports and files answer 404 twelve hours after
//     completion; a processing report cannot be deleted (409).
//   - The inventory counts report has one row per product (groups left
//     out) and warehouse: on hand (kept by adjustments), reserved (lines of
//     orders that reserve inventory), available (on hand less reserved) and
//     on purchase order (open purchase order lines less units received).
//
// # What it does not model
//
//   - HTTPS, the {subdomain}.api.goflow.com host scheme and token scopes
//     (403 for an endpoint a token may not use).
//   - Which endpoints are beta: it requires X-Beta-Contact on all of them.
//   - Whether limits are counted per token or per tenant, or shared by
//     endpoint groups: each endpoint has its own bucket (a token bucket
//     holding a minute's or an hour's worth).
//   - Order creation, cancel, shipments, boxes, feeds, documents, routing
//     requests, invoice numbers, acknowledgments, tags, productions, vendor
//     products, transfers and receipts writes, and the other inventory
//     reports (aging, values, batches, history): routes it does not serve
//     answer 404.
//   - Stock movements by receipts, transfers, productions and shipped
//     orders: only adjustments change on hand.
//   - The real page size (undocumented), real filter catalogues (lost in
//     the copy of the docs: the emulator's are the notes' reconstruction),
//     and report columns beyond those public code uses.
//   - Trimming of stored values with surrounding whitespace, PII removal,
//     currencies other than the sample's, exchange rates.
package sandbox
