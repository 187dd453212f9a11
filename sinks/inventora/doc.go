// Package inventorasink is etl's "inventora" sink: updates of Inventora
// products and materials (matched by SKU, then name), their stock per
// location, and production tasks. It registers the sink type from init;
// link it in with `import _ "github.com/etl-dev/etl/sinks/inventora"`.
// docs/inventora.md is the user's guide; this is the contract.
//
//   - Credentials and base URL come from the environment only
//     (INVENTORA_API_KEY, INVENTORA_BASE_URL), resolved with the kit's one
//     precedence (apikit.Resolve); sandbox: auto without a key writes to the
//     embedded emulator and says so.
//   - Open checks the settings (Validate) and the mapping's fields: an
//     unknown field, or a type that cannot feed one, is an error before any
//     request. The first Write reads every record of the entity (⌈N/1000⌉
//     requests) and, with stock mapped, the locations (1 request).
//   - Write handles its rows one at a time in input order: match, diff,
//     PATCH of the differing fields only, then the row's stock-level
//     update. A row ends Updated (something was sent), Unchanged (nothing
//     needed), Unknown (a request went out and no answer came) or rejected
//     through *pipeline.BatchError: no match (the API cannot create
//     products or materials), a forbidden change caught before any request
//     (unit_type to or from bundles, an unknown unit type or location, a
//     field another row of the file set to another value, a SKU or name of
//     another record), or a refusal by Inventora (its message; the run goes
//     on). Any other failure stops the run.
//   - stock: {mode: set} sends an audit where the level differs (absolute,
//     retried like a PATCH); {mode: add} sends restock or loss exactly once
//     per row (same job, same file by content, same row): the journal
//     records the level before each update (Intend) and the confirmation
//     after; a resumed or repeated run skips confirmed rows and reconciles
//     unconfirmed ones against the level read again (applied, not applied,
//     or rejected when it cannot tell). add refuses to run without a
//     journal.
//   - entity: tasks groups rows by task name; Close creates each task
//     (POST /tasks, never retried) unless a live task of that name has the
//     same items, and reports every row's outcome through
//     *pipeline.RowErrors (Outcomes, Failed, Unknown).
//   - Writes go through the apisink layer the runner chooses: in a dry run
//     they are planned, not sent, and Report's Plan gives the counts, the
//     reads made, the writes a real run needs and their time at the rate.
//   - Abort keeps what Inventora already confirmed: the API has no
//     transactions.
package inventorasink
