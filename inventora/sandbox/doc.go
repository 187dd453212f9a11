// Package sandbox is a local emulator of the Inventora API, written from
// the vendor's documentation (shared/reference/inventora-api.txt) and
// independent of the client in package inventora: it never imports it.
//
// # What it models
//
//   - Authentication: the X-Inventora-API-Key header, or the documented
//     x-inventora-api-key query parameter (accepted, and counted in
//     Stats.QueryKey so tests can assert a client never uses it). 401
//     {"error": "API key missing"} or {"error": "Invalid API key"}.
//   - GET /products, /materials, /locations, /tasks with limit (default 100,
//     clamped to 1000: the docs say "max: 1000" and not what happens above)
//     and offset, answering {"data", "pagination": {totalCount, offset,
//     limit}}. No order is promised; Options.UnstableOrder moves records
//     between requests, as concurrent edits reorder an unsorted table.
//     /tasks filters by status and by UserId (an id or an e-mail address).
//   - GET /products/:id, /materials/:id, /tasks/:id; 404 {"error":
//     "Resource not found"} / "Task not found".
//   - PATCH /products/:id and /materials/:id with the documented fields
//     only (any other is a 400 "X cannot be updated"); a refused PATCH
//     changes nothing. unitPrice is refused (400 "Cannot update unitPrice
//     when resource has stock blocks tied to non-initial logs") once the
//     resource has stock history: seeded records with history, and any
//     record after a stock-level update or a production batch. unitType
//     cannot change to or from bundles ("bundle" in the PATCH note), and
//     "bundles" cannot be set.
//   - POST /…/:id/stock-level-updates: audit sets the location's level to
//     quantity, restock adds it, loss subtracts it, custom applies a custom
//     status (customStatusId required: 400; unknown: 404); 400 "quantity is
//     required", "updateType must be one of: audit, restock, loss, custom";
//     404 {"error": "Location not found"} for a locationName no location has
//     (names compare exactly). stockLevel is the sum over locations; a
//     location missing from locationStockLevels holds 0.
//   - Tasks: POST (name and non-empty Items[{ProductId, quantity > 0,
//     unitType}] required; Assignee or UserId as id or e-mail; LocationId;
//     due; status), PATCH (name non-empty; null unsets Assignee/UserId,
//     LocationId, due, notes; status done sets completedAt), DELETE (soft:
//     hidden from lists and gets, 204). Batches: POST
//     /tasks/:id/items/:item_id/batches (quantity > 0) produces: the
//     product gains quantity at the task's location (the default location
//     when the task has none) and each material of its bill of materials
//     loses quantity × quantityUsed there; DELETE /task-batches/:id reverses
//     it (204).
//
// # Where the docs are wrong or silent, and which way it goes
//
//   - The audit example answers 30 → 40 for an audit of 10, which is
//     restock arithmetic; the emulator follows the prose: audit is
//     absolute (30 → 10).
//   - Task fields are mixed case as documented (LocationId, UserId, Items,
//     ResourceId, Product, Batches next to camelCase); create takes
//     Items[].ProductId and answers Items[].ResourceId, as documented. The
//     batch answer has UserId null and TaskResourceId set, as documented,
//     while batches inside a task show their user.
//   - Custom statuses cannot be listed through the API and their arithmetic
//     is not documented: the emulator has statuses 1 "Damaged" (subtracts),
//     2 "Returned" (adds) and 3 "Sample given away" (subtracts).
//   - A negative quantity in a stock-level update is refused (400); a loss
//     may take a level below zero.
//   - What a batch does to stock is inferred from "Deletes a task batch and
//     reverses its production".
//   - Create answers 201 (the docs do not say).
//
// # What it does not model
//
// Rate limits (Inventora documents none; the kit's fault harness can add
// 429s), users beyond two seeded ones, product and material creation (the
// API has none), hideMaterials having any effect, stock logs as such
// (only whether a record has history), currencies, productionType rules,
// TLS, and persistence: the state lives in memory and is gone with the
// process.
package sandbox
