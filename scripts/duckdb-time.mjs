#!/usr/bin/env node
// duckdb-time.mjs: run one SQL statement in an in-memory DuckDB and print
// the seconds it took (the statement alone, not node's start), for
// bench/convert.sh.
//
//   node scripts/duckdb-time.mjs "COPY (SELECT * FROM read_csv('x.csv')) TO 'x.parquet' (FORMAT parquet)"
//
// It exits 2 on a usage error or when @duckdb/node-api is not installed
// (cd scripts && npm install).
const sql = process.argv[2];
if (!sql || process.argv.length > 3) {
  console.error('usage: node scripts/duckdb-time.mjs SQL');
  process.exit(2);
}
let duckdb;
try {
  duckdb = await import('@duckdb/node-api');
} catch {
  console.error('duckdb-time: @duckdb/node-api is not installed: cd scripts && npm install');
  process.exit(2);
}
const db = await duckdb.DuckDBInstance.create(':memory:');
const c = await db.connect();
const t = performance.now();
await c.run(sql);
console.log(((performance.now() - t) / 1000).toFixed(3));
