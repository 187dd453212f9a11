// Package sqlite links the SQLite journal backend (modernc.org/sqlite, no
// cgo): import it for its side effect, and journal.Open takes file paths.
package sqlite

import _ "modernc.org/sqlite" // database/sql driver "sqlite"
