// Package pipeline is the engine of etl: the records that flow from a
// source, the rows a mapping makes of them, the Source and Sink contracts,
// the component registries, and the bounded concurrent runner that moves
// every input row to exactly one outcome.
package pipeline
