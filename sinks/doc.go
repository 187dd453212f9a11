// Package sinks holds etl's sink types. Each registers itself with
// pipeline.RegisterSink from init; a program links them in with a blank
// import.
//
// # File sinks
//
// parquet, csv, xlsx and jsonl write one local file each. They share these
// rules:
//
//   - Nothing appears at the destination before Close: rows go to a hidden
//     temporary file next to the final path (".NAME.*.tmp", in the same
//     directory, created if missing), which Close flushes, fsyncs and renames
//     onto the final path in one step. A crash or an Abort leaves any previous
//     file untouched. The new file keeps the permissions of the file it
//     replaces, or gets 0644.
//   - Settings are checked by Validate (pipeline.Validator) before any
//     data moves: the job loader reports each bad one at its line and
//     column, and Open calls Validate again for configs built in code.
//   - A dry run opens the sink for real (so its path is checked: a
//     directory in the way, a directory that cannot be made), gives it
//     every row and aborts it: the temporary file and any directory Open
//     made are removed, and the destination is as it was.
//   - Memory is bounded whatever the number of rows: rows stream to disk as
//     they come (parquet holds at most one row group, compressed).
//   - Values are those of pipeline.Type. A value that the file cannot hold
//     exactly (a decimal with more digits than the field's precision or
//     more decimal places than its scale, text over Excel's cell limit) fails
//     its row alone, through a *pipeline.BatchError; the other rows are
//     written. A value of the wrong Go type, a nil in a required field or a
//     row of the wrong length fail the row the same way (they are bugs of
//     the mapping, but the row names where they came from).
//   - Decimals are never rounded and never pass through float64 where the
//     format can carry them exactly (parquet DECIMAL, text in csv and
//     jsonl). When a decimal field has neither precision nor scale, the text
//     sinks write each value exactly as it is; parquet then uses
//     DECIMAL(18,0).
//
// # Parquet types
//
// Columns follow the schema's order and names; fields that are not Required
// are optional columns. string → BYTE_ARRAY (STRING); integer → INT64;
// float → DOUBLE; bool → BOOLEAN; date → INT32 (DATE); timestamp → INT64
// (TIMESTAMP(MICROS, isAdjustedToUTC=true), sub-microseconds truncated);
// bytes → BYTE_ARRAY. decimal → DECIMAL(precision, scale), precision 18 when
// the field has none, at most 38, stored as INT32 up to 9 digits (as the
// Parquet spec advises: INT64 below 10 digits draws a warning from readers
// and parquet-go logs one), INT64 up to 18 and FIXED_LEN_BYTE_ARRAY (two's
// complement, the fewest bytes) beyond. Values are exact unscaled integers.
// Pages are PLAIN-encoded, version 1 (read by every reader), compressed with
// the configured codec.
//
// # xlsx cells
//
// Strings are inline text cells; integers and decimals are number cells
// (integers with format "0", decimals with "#,##0.00" at the field's scale)
// as long as Excel can hold them exactly, which is 15 significant digits;
// longer ones are written as exact text rather than rounded. Floats are
// numbers, bools are booleans, dates and timestamps are Excel dates with
// formats yyyy-mm-dd and yyyy-mm-dd hh:mm:ss (timestamps in UTC). Bytes are
// lowercase hex. Column widths fit the header and the first 100 rows; the
// header row is bold and frozen. A sheet holds at most 1,048,575 rows under
// its header: past that the run stops with an error naming csv or parquet.
//
// # Formatting in text sinks
//
// csv: decimals with exactly scale decimal places, dates YYYY-MM-DD,
// timestamps RFC 3339 in UTC with fractional seconds only as needed (at most
// microseconds), bools true/false, bytes as lowercase hex, floats in the
// shortest form that reads back the same (NaN, +Inf, -Inf), null as an empty
// cell.
//
// jsonl: one object per line, keys in schema order. Decimals are JSON
// strings ("12.50"), as the inFlow API sends them, because a JSON number is
// read as a float by most consumers. Integers and floats are numbers (NaN and
// infinities, which JSON cannot hold, become null), bytes are base64 strings
// as encoding/json writes them, dates and timestamps are strings as in csv.
//
// # Formula neutralization
//
// A text cell that begins with =, +, -, @, tab or carriage return is run as
// a formula by spreadsheet apps that open a CSV file. With
// neutralize_formulas (the default) the csv sink writes such a cell of a
// string field with a leading apostrophe, as OWASP advises. Typed numbers are
// never touched, even negative ones.
//
// The xlsx sink never writes formulas: every string is an inline string cell,
// which Excel shows as text when it opens the file. With neutralize_formulas
// such cells also get Excel's "quote prefix" style, which is what Excel
// itself stores when a user types '=1+1: the value stays exactly as it was
// (no apostrophe in the data, so a re-import reads the same text), and Excel
// keeps treating the cell as text even when the user edits it. A user who
// later saves the sheet as CSV from Excel loses that protection; that is
// Excel's export, not this file.
package sinks
