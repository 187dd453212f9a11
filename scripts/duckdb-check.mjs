#!/usr/bin/env node
// duckdb-check.mjs: check that DuckDB reads Parquet files as etl wrote them.
//
//   node scripts/duckdb-check.mjs [--json] PATH...
//
// Each PATH is a Parquet file or a directory searched for *.parquet files
// (hidden files, such as a sink's temporary files, are skipped). For every
// file the script prints DuckDB's schema (column, type, nullable) and the
// row count, read back with a full scan, so a corrupt page fails here and
// not in an analyst's notebook. With --json it prints one JSON document:
// {"files": [{"path", "rows", "columns": [{"name", "type", "nullable"}]}]}.
//
// It exits 0 when every file was read, 1 when one could not be, and 2 on a
// usage error (no PATH, no Parquet file found). It needs Node.js 18 or later
// and the npm package @duckdb/node-api (cd scripts && npm install).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const json = args.includes('--json');
const paths = args.filter((a) => a !== '--json');
if (paths.length === 0 || args.includes('-h') || args.includes('--help')) {
  console.error('usage: node scripts/duckdb-check.mjs [--json] FILE.parquet|DIR ...');
  process.exit(2);
}

let duckdb;
try {
  duckdb = await import('@duckdb/node-api');
} catch (err) {
  console.error(`duckdb-check: cannot load @duckdb/node-api (run "npm install" in scripts/): ${err.message}`);
  process.exit(2);
}

function collect(path, out) {
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    throw new Error(`${path}: ${err.code === 'ENOENT' ? 'no such file or directory' : err.message}`);
  }
  if (st.isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      if (name.startsWith('.')) continue;
      const child = join(path, name);
      if (statSync(child).isDirectory() || name.endsWith('.parquet')) collect(child, out);
    }
  } else {
    out.push(path);
  }
}

const files = [];
try {
  for (const p of paths) collect(p, files);
} catch (err) {
  console.error(`duckdb-check: ${err.message}`);
  process.exit(2);
}
if (files.length === 0) {
  console.error(`duckdb-check: no Parquet file in ${paths.join(', ')}`);
  process.exit(2);
}

const quote = (s) => `'${s.replaceAll("'", "''")}'`;
const instance = await duckdb.DuckDBInstance.create(':memory:');
const conn = await instance.connect();
const results = [];
let failed = 0;
for (const file of files) {
  try {
    const source = `read_parquet(${quote(file)})`;
    const schema = await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
    const columns = schema.getRowObjectsJson().map((r) => ({
      name: r.column_name,
      type: r.column_type,
      nullable: r.null === 'YES',
    }));
    // A full scan: every column of every row is decoded.
    const count = await conn.runAndReadAll(
      `SELECT count(*)::BIGINT AS rows, count(COLUMNS(*)) FROM ${source}`,
    );
    const rows = Number(count.getRowObjectsJson()[0].rows);
    results.push({ path: file, rows, columns });
    if (!json) {
      console.log(`${file}: ${rows} rows, ${columns.length} columns`);
      for (const c of columns) console.log(`  ${c.name} ${c.type}${c.nullable ? '' : ' NOT NULL'}`);
    }
  } catch (err) {
    failed++;
    results.push({ path: file, error: err.message });
    console.error(`duckdb-check: ${file}: ${err.message}`);
  }
}
conn.closeSync();
if (json) console.log(JSON.stringify({ files: results }, null, 2));
process.exit(failed > 0 ? 1 : 0);
