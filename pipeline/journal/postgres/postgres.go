// Package postgres links the PostgreSQL journal backend (jackc/pgx):
// import it for its side effect, and journal.Open takes postgres:// URLs.
//
// The URL is libpq's: postgres://user@host:5432/db?sslmode=verify-full,
// with the password from PGPASSWORD or ~/.pgpass rather than the URL, so
// that it stays out of job files, process lists and logs.
package postgres

import _ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
