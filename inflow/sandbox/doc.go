// Package sandbox is an in-memory emulator of the inFlow Inventory Cloud API
// (version 2025-06-24), for tests over real loopback HTTP and for users
// without an account (etl sandbox).
//
// It is a second implementation built from the vendor's documentation, not
// from the client in package inflow, which it must not import. Entities are
// stored as JSON objects keyed by the OpenAPI document's property names;
// model.json, generated from that document by gen_model.go, drives
// validation, defaults, includes and sorting.
//
// # What it does
//
//   - Routes /{companyId}/... for products (and GET /products/{id}/summary,
//     POST /products/summary), categories, locations, pricing-schemes,
//     currencies, customers, vendors, sales-orders, purchase-orders,
//     stock-adjustments, stock-transfers, product-cost-adjustments,
//     adjustment-reasons, taxing-schemes, tax-codes, payment-terms,
//     team-members, operation-types and custom-field-definitions: GET list,
//     GET by id (not team-members and custom-field-definitions: the spec has
//     no such route) and PUT upsert on the collection for the writable ones
//     (custom-field-definitions too). custom-fields is one object per
//     company (the transactions' custom-field print labels): GET answers
//     it, PUT updates it, and its customFieldsId is the company id (another
//     id is a 400). PUT on a read-only collection and any other method
//     answer 405 with Allow.
//   - Checks, in order: injected drops, the rate limit (429 with
//     Retry-After in whole seconds, at least 1), injected 429s and 5xx,
//     Authorization: Bearer key (401), company id (404), Accept:
//     application/json;version=2025-06-24 (400 when missing or another
//     version), then the route (404, or 405 with Allow).
//   - Errors are JSON {"message": "...", "status": N} (inFlow's error body is
//     undocumented). Bodies must be Content-Type application/json (else 415).
//   - Relationships (references to other entities and child-line arrays,
//     as classified from the spec) are answered only when named in include=,
//     with nested dotted paths; an unknown name is a 400. include=customFields
//     is accepted (custom fields are always answered) except on stock
//     transfers and adjustments, where live clients found it invalid.
//   - Lists answer bare JSON arrays. count defaults to 100 and more than 100
//     is a 400 (not capped). after/before/start take an entity id and act
//     as keyset filters on the current order (before keeps the records
//     sorted before the anchor and answers the first count of them); skip
//     then count apply after them. sort takes a scalar property name
//     (case-insensitive); the default order is by the id property; ties are
//     broken by id, so keyset paging is stable under any sort. Strings sort
//     case-insensitively, nulls first. includeCount=true sends X-listCount,
//     the number of records matching the filters (before paging).
//   - Filters are those the spec documents per list. Text filters match
//     when the value is contained, case-insensitively; ids, booleans and
//     enums match exactly (enums case-insensitively; status filters take a
//     JSON array, a comma list or one value). Date ranges are JSON
//     {"fromDate","toDate"}, both inclusive, a bare toDate date covering
//     that whole day; total/balance ranges use the same two keys. Orders'
//     isActive means not cancelled; customers' lastOrder=N keeps customers
//     who ordered within N days. products also take filter[trackSerials]
//     (used by the serial-number guide). An unknown filter is a 400.
//   - PUT upserts by the id property (400 when missing or not a GUID).
//     Property names match case-insensitively; unknown and read-only
//     properties (lastModified*, computed totals, statuses, references) are
//     ignored. On insert missing properties take defaults (isActive true,
//     company defaults for category, location, currency, pricing and taxing
//     scheme, now for document dates, automatic numbers SO-000001,
//     PO-000001, ADJ-000001, TO-000001); on update they are left as they are.
//     A child-line array that is sent replaces the stored one wholesale, and
//     each line is built from what was sent (a property a line omits is
//     reset, not kept); an array that is absent or null is kept. Every line
//     needs its own GUID. The answer is the entity with its stored child
//     arrays.
//   - Rules: product names unique and SKUs unique when set (both
//     case-insensitive; 400); itemType and trackSerials cannot change (400);
//     trackSerials only on stocked products; sales orders need customerId and
//     source, purchase orders vendorId, transfers fromLocationId and
//     toLocationId; every foreign key must name an existing record (400).
//     A sent timestamp that is not the current one is a 409 Conflict (also
//     per child line); omit it to overwrite. Each write sets a new timestamp
//     (a 16-hex-digit rowversion) and lastModifiedDateTime (products) or
//     lastModifiedDttm (customers, vendors).
//   - Values: decimals are accepted as numbers or strings and answered as
//     strings with five places ("19.99000"); date-times are answered in .NET
//     round-trip form in UTC ("2025-01-02T09:00:00.0000000+00:00"); enums are
//     accepted in any case and answered in camelCase ("stockedProduct"), as
//     the live API does; GUIDs are answered in lower case.
//   - Stock is kept per (product, location, sublocation, serial). Stock
//     adjustments add their line quantities (a delta) at the header location;
//     transfers move stock when Completed, take it out of the source when
//     InTransit, and reserve it when Open; sales order pickLines remove and
//     restockLines return stock; purchase order receiveLines add and
//     unstockLines remove. Cancelled documents have no effect; editing a
//     document undoes exactly the effect its old version had (remembered
//     per document) and applies the new one.
//   - Negative inventory is judged per location, as the vendor states it
//     ("would make inventory levels in that location go into a negative
//     quantity"): a document whose decreases leave a product's total at a
//     location below zero is 422 "Negative Inventory ..." unless
//     X-OverrideAllowNegativeInventory: TRUE is sent (for every document
//     type, not only sales orders). A decrease that names a sublocation
//     takes from that sublocation, which may go below zero while the
//     location as a whole does not.
//   - How a decrease that names no sublocation (a pick line without one,
//     an adjustment line, a transfer's line without fromSublocation, an
//     unstock line) chooses sublocations: from the unnamed sublocation
//     first, then from the others in name order (A-01 before B-02), each
//     as far as its stock goes; what none holds is taken from the unnamed
//     sublocation (below zero: the rule above decides). So picking from a
//     location whose stock sits only in sublocations is not refused while
//     the location has enough.
//     Serialised products need one serial per unit; a serial is in stock at
//     most once and never below zero (the override does not apply), and its
//     line stays at zero once it leaves. Services and non-stocked products
//     carry no stock.
//   - include=inventoryLines answers the lines and fills
//     totalQuantityOnHand. Summaries (one product, optionally per
//     location; or POST up to 100 {productId, locationId} pairs, more is a
//     400) compute on hand, reserved for sales (ordered minus picked on open
//     orders), reserved for transfers (open transfers out; per location),
//     on purchase order (ordered minus received), on transfer order
//     (incoming open or in-transit transfers; per location, null for all
//     locations), in transit, picked, available = on hand minus reserved.
//     Quantities are decimal strings, as the live API answers.
//   - Order totals, tax (from tax codes' rates), amount paid, balance,
//     inventoryStatus and paymentStatus are computed; totals sent are
//     ignored.
//   - Rate limit: a token bucket of RatePerMinute a minute holding RateBurst
//     (default RatePerMinute) tokens, and optionally RatePerHour an hour;
//     refused requests take no token. RatePerMinute 0 or negative means no
//     limit (the zero Options, handy in tests); DefaultRatePerMinute (60)
//     is inFlow's documented pace. Every answer carries
//     X-inflow-api-rate-limit: used/limit (and X-RateLimit-Limit: used/limit
//     for the hour window), used being the tokens spent before this request;
//     the live headers' meaning is unconfirmed.
//   - Faults: DropRate closes the connection without an answer, TooManyRate
//     answers 429, ErrorRate answers 500 or 503 (evenly), all before any
//     state change; LostReplyRate applies the request and then drops the
//     answer (a write that happened although the client saw an error);
//     RetryAfter can omit the header or send a fixed value such as "0";
//     Latency delays every answer. Rand (or Seed) makes the draws
//     repeatable. Faults, the rate limit and the counters are the shared
//     emulator harness (internal/emulator), on Options.Clock.
//   - Stats count requests by "METHOD /route/{template}" and by method,
//     writes that reached the API (Writes: a dry run leaves it 0), 429s
//     (TooMany) and injected faults (Faulted); Requests is the request log
//     (bounded to the latest 200,000). Entity, All, OnHand and Put give
//     tests direct access to the state, Put with the same validation and
//     stock effects as a PUT.
//
// # What it does not model
//
//   - Manufacturing orders, stock counts and count sheets, stockroom scans
//     and users, custom field dropdown options, webhooks, suggested
//     sublocations, images and attachments (always empty), and PUT on
//     taxing schemes (tax configuration is seed-only). Custom field
//     definitions are labels only: nothing checks a value against its
//     type (dropdown, date, checkbox).
//   - PUT /{entity}/{id}: the spec has none, so there is no URL/body id
//     check; a bulk PUT of a JSON array (seen in old vendor samples) is a 400.
//   - Units of measure: quantities are taken in standard units
//     (uomQuantity defaults to standardQuantity and is not converted).
//   - Costing: cost is the latest product cost adjustment, not a moving
//     average; no cost of goods sold, no FixedMarkup price calculation.
//   - Reservations beyond the summary figures: no allocation to specific
//     sublocations or serials, no backorders, no work orders or builds
//     (those quantities are always zero), no default sublocation per
//     product: an unnamed decrease chooses as described above.
//   - Customer and vendor balances, credits and dues (always empty),
//     invoicing, returns accounting, currency conversion and exchange rates.
//   - Permissions, several companies or keys, webhook delivery, deletion
//     (inFlow has none for these entities), the real error body format and
//     the exact status inFlow uses for a stale timestamp (409 here) or a
//     uniqueness clash (400 here), the default page size, and whatever the
//     live service does beyond its documents and public clients' reports.
package sandbox
