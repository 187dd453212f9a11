// Package goflow is a client for the Goflow REST API (v1) on the shared
// API kit (internal/apikit), with typed entities, next-link paging, the
// documented filters of each list, the inventory counts report, and the
// writes etl makes (products, pricing, inventory adjustments, purchase
// orders).
//
// # Contract
//
//   - Every request carries Authorization: Bearer <token> (to the base
//     URL's host only) and X-Beta-Contact. The token never appears in
//     errors, logs or the printed form of [Config]; plain http:// is
//     refused unless the base URL is loopback.
//   - Every request first waits on the limiter of its endpoint (method and
//     route): Goflow states a limit per endpoint (60 a minute for lists, 30
//     for writes, 6 an hour for reports) and does not say whether endpoints
//     share one, so each is its own group; [Config.RateMultiplier] scales
//     them all.
//   - A 429 waits for the larger of Retry-After and retry_after_seconds
//     (rounded up) and pauses that endpoint's limiter; it is retried for
//     every method, as Goflow did not process the request. 409, 503 and
//     other 5xx, timeouts and dropped connections are retried only for
//     requests safe to repeat (GET, PATCH, PUT, DELETE, and writes the
//     caller marks so). A create is never repeated by the client: callers
//     see [Unanswered] errors and look the record up by its natural key.
//   - Lists ([List]) follow the envelope's next URL exactly as given (it
//     keeps the filters and sort; the server fixes the page size), refuse a
//     next URL on another host, and never yield a key twice. Filters are
//     checked against the endpoint's catalogue ([Endpoint.CheckFilters])
//     before any request.
//   - Money and quantities are [Decimal]: the JSON number's digits, never
//     a float64. Times are [Time], in UTC, with or without fractions.
//   - Reports ([Client.InventoryCounts]) are submitted once (a lost answer
//     is resolved by finding the report before submitting again), polled
//     on the client's clock, and downloaded from file_url, following the
//     redirect to the download host without the token.
//
// A [Client] is safe for concurrent use. Paths the vendor's documents lost
// in the copy etl works from are those of the research notes; see
// docs/goflow.md for which are guesses.
package goflow
