// Package mappings is the mapping and validation engine of etl: the
// `mapping:`, `skip_if:` and `validate:` sections of a job file (Spec),
// compiled once at load time (Compile) into a Mapping, which implements
// pipeline.BatchMapper and supplies a pipeline.OrderedCheck for uniqueness.
//
// Compile finds every mistake of a spec before any data moves and reports
// them all as SpecErrors, each with the path of the setting at fault. Map
// then turns each source record into a typed row, or into the complete
// list of its problems, each naming the cell and saying how to fix it;
// MapBatch does the same for a batch of records, whose rows share their
// allocations.
package mappings
