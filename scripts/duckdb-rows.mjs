#!/usr/bin/env node
// duckdb-rows.mjs: print what DuckDB reads from Parquet files, row by row,
// so that a test can compare another reader (etl's parquet source) with it.
//
//   node scripts/duckdb-rows.mjs FILE.parquet...
//
// For every file it prints one JSON line:
//   {"path", "columns": [{"name", "type"}], "rows": [[TEXT|null, ...]], "error"}
// Struct columns are unnested into their leaf columns (named by the leaf).
// where each value is DuckDB's own text of it (CAST(v AS VARCHAR)), null
// for NULL, and "error" is set (and rows left out) when DuckDB cannot read
// the file. It exits 0 when it could run DuckDB at all, 2 on a usage error
// or when @duckdb/node-api is not installed (cd scripts && npm install).
const paths = process.argv.slice(2);
if (paths.length === 0 || paths.includes('-h') || paths.includes('--help')) {
  console.error('usage: node scripts/duckdb-rows.mjs FILE.parquet ...');
  process.exit(2);
}
let duckdb;
try {
  duckdb = await import('@duckdb/node-api');
} catch (err) {
  console.error(`duckdb-rows: cannot load @duckdb/node-api (run "npm install" in scripts/): ${err.message}`);
  process.exit(2);
}
const quote = (s) => `'${s.replaceAll("'", "''")}'`;
const ident = (s) => `"${s.replaceAll('"', '""')}"`;
const instance = await duckdb.DuckDBInstance.create(':memory:');
const conn = await instance.connect();
for (const path of paths) {
  const out = { path };
  try {
    // Struct columns are unnested into their leaf columns, as etl reads
    // them ("address.city" is DuckDB's "city" of the struct "address").
    const file = `read_parquet(${quote(path)})`;
    const top = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${file}`)).getRowObjectsJson();
    const select = top
      .map((r) => (r.column_type.startsWith('STRUCT(') ? `UNNEST(${ident(r.column_name)}, recursive := true)` : ident(r.column_name)))
      .join(', ');
    const source = `(SELECT ${select} FROM ${file})`;
    const schema = await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
    out.columns = schema.getRowObjectsJson().map((r) => ({ name: r.column_name, type: r.column_type }));
    const list = out.columns.map((c) => `CAST(${ident(c.name)} AS VARCHAR)`).join(', ');
    const rows = await conn.runAndReadAll(`SELECT ${list} FROM ${source}`);
    out.rows = rows.getRows().map((r) => r.map((v) => (v === null ? null : String(v))));
  } catch (err) {
    out.error = String(err.message ?? err).split('\n')[0];
    delete out.rows;
  }
  console.log(JSON.stringify(out));
}
