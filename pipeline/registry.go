package pipeline

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// SourceType registers a kind of source under the name job files use in
// `source: {type: NAME}`.
type SourceType struct {
	Name string
	// Doc is one line for help texts and the JSON Schema.
	Doc string
	// Extensions are the file extensions (".csv") that `etl inspect` and
	// `etl init` open with this source; empty for API sources.
	Extensions []string
	// NewConfig returns a fresh config with its defaults set.
	NewConfig func() SourceConfig
	// ForPath returns a config that reads the given file with default
	// settings; nil for API sources.
	ForPath func(path string) SourceConfig
}

// SinkType registers a kind of sink under the name job files use in
// `sink: {type: NAME}`.
type SinkType struct {
	Name       string
	Doc        string
	Extensions []string
	NewConfig  func() SinkConfig
}

var registry = struct {
	sync.RWMutex
	sources map[string]SourceType
	sinks   map[string]SinkType
}{sources: map[string]SourceType{}, sinks: map[string]SinkType{}}

// RegisterSource adds a source type; packages call it from init. It panics
// on a duplicate name, which is a programming error.
func RegisterSource(t SourceType) {
	registry.Lock()
	defer registry.Unlock()
	if _, dup := registry.sources[t.Name]; dup {
		panic("pipeline: source type registered twice: " + t.Name)
	}
	registry.sources[t.Name] = t
}

// RegisterSink adds a sink type; packages call it from init.
func RegisterSink(t SinkType) {
	registry.Lock()
	defer registry.Unlock()
	if _, dup := registry.sinks[t.Name]; dup {
		panic("pipeline: sink type registered twice: " + t.Name)
	}
	registry.sinks[t.Name] = t
}

// LookupSource returns the source type registered under name.
func LookupSource(name string) (SourceType, bool) {
	registry.RLock()
	defer registry.RUnlock()
	t, ok := registry.sources[name]
	return t, ok
}

// LookupSink returns the sink type registered under name.
func LookupSink(name string) (SinkType, bool) {
	registry.RLock()
	defer registry.RUnlock()
	t, ok := registry.sinks[name]
	return t, ok
}

// SourceTypes lists the registered source types by name.
func SourceTypes() []SourceType {
	registry.RLock()
	defer registry.RUnlock()
	out := make([]SourceType, 0, len(registry.sources))
	for _, t := range registry.sources {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// SinkTypes lists the registered sink types by name.
func SinkTypes() []SinkType {
	registry.RLock()
	defer registry.RUnlock()
	out := make([]SinkType, 0, len(registry.sinks))
	for _, t := range registry.sinks {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// SourceForPath picks the source type that reads a file by its extension.
func SourceForPath(path string) (SourceType, error) {
	ext := strings.ToLower(filepath.Ext(path))
	var known []string
	for _, t := range SourceTypes() {
		for _, e := range t.Extensions {
			if e == ext && t.ForPath != nil {
				return t, nil
			}
			known = append(known, e)
		}
	}
	return SourceType{}, fmt.Errorf("%s: no source reads %q files (known: %s)", path, ext, strings.Join(known, ", "))
}
