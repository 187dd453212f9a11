// Package inventora is a client for the Inventora API
// (https://api.inventora.com/api) on the shared HTTP kit
// (internal/apikit): typed products, materials, locations and tasks,
// offset paging made consistent, partial updates, stock-level updates and
// task creation.
//
// # Contract
//
//   - The API key is an apikit.Secret sent only as the X-Inventora-API-Key
//     header, never as the query parameter the docs also allow (it would put
//     the key into URLs, logs and errors). It never appears in an error.
//   - Every request waits on the account's limiter: Inventora publishes no
//     rate limit, so the client keeps DefaultRatePerMinute (60) unless told
//     otherwise, and honours 429 and Retry-After if they come (the kit's
//     back-off, shared by every request to the account).
//   - GET and PATCH (absolute values) and audit stock updates are retried
//     after 5xx and dropped connections; restock, loss and custom stock
//     updates and task creation are not, because a repeat of one that was
//     applied would count it twice.
//   - Lists page with limit=1000 and offset. Inventora promises no order, so
//     a list is deduplicated by id and checked against totalCount; when
//     records moved while paging it is read again (up to DefaultReads
//     times) and fails with ErrInconsistent rather than return a wrong
//     snapshot. A list is held in memory before it is returned.
//   - Money and quantities are Decimal: exact, read from JSON numbers
//     without float64, written as JSON numbers.
//
// A Client is safe for concurrent use.
package inventora
