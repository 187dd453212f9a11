// Package inventorasrc is etl's "inventora" source: exports of Inventora
// products, materials, locations and tasks as typed tables. It registers
// the source type from init; link it in with
// `import _ "github.com/etl-dev/etl/sources/inventora"`. docs/inventora.md
// lists the tables and their columns.
//
// Columns are fixed by the entity types (inventora.Resource, Task, ...):
// the same on every run whatever the data, money and quantities
// DECIMAL(18,4). The first Next reads the whole list as a consistent
// snapshot (inventora.ListResult: deduplicated by id, checked against
// totalCount, re-read when records moved); a list that cannot be made
// consistent fails the run before its first row, so no file is written.
// Report counts the requests and says when a list had to be re-read.
package inventorasrc
