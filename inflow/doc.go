// Package inflow is a client for the inFlow Inventory Cloud API (version
// 2025-06-24) with typed entities, keyset paging, upserts, inventory
// summaries, an account-wide rate limiter and bounded retries.
//
// # Contract
//
//   - Every request carries Authorization: Bearer <key>,
//     Accept: application/json;version=2025-06-24 and, when it has a body,
//     Content-Type: application/json. The key never appears in errors, logs,
//     or the printed form of [Config].
//   - Every request first waits on the account's [Limiter] (60 a minute by
//     default). Clients built with the same [Config.Registry] (the run's
//     pipeline.Env.APIs) share one limiter per account; [Config.Limiter]
//     shares one explicitly.
//   - The HTTP layers (limiter, retries, redirect policy, redaction,
//     observer, stats) are the shared API kit's (internal/apikit); this
//     package adds inFlow's paths, headers and header learning
//     ([ObserveLimits]).
//   - A 429 is retried after Retry-After (or a jittered backoff when absent),
//     and pauses the shared limiter for that long. Idempotent requests (GET,
//     PUT with a GUID, POST /products/summary) are also retried on 5xx,
//     timeouts and dropped connections, with capped exponential backoff and
//     jitter. Other failures come back as [*APIError] at once.
//   - Lists are iterators ([iter.Seq2]) that page with count=100 and
//     after=<last id> under an explicit sort, and never yield an id twice.
//   - Entity fields are pointers (or zero-omitted slices) so that a PUT sends
//     only what is set: inFlow leaves missing properties as they are on
//     update. Note that inFlow treats a sent line array (lines, prices, ...)
//     as the full new list.
//   - Money and quantities are [Decimal]: exact, sent as JSON strings,
//     accepted as strings or numbers. Enums compare case-insensitively.
//
// A [Client] is safe for concurrent use.
package inflow
