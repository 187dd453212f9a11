package jobfile

import (
	"encoding/json"
	"reflect"

	"github.com/invopop/jsonschema"

	"github.com/etl-dev/etl/mappings"
	"github.com/etl-dev/etl/pipeline"
)

// Schema returns a JSON Schema of job files, for editors (the YAML
// language server reads it from a `# yaml-language-server: $schema=...`
// comment). Source and sink settings are generated from the registered
// component types, so the schema always matches this binary.
func Schema() ([]byte, error) {
	r := &jsonschema.Reflector{
		FieldNameTag:               "yaml",
		DoNotReference:             true,
		RequiredFromJSONSchemaTags: true,
		ExpandedStruct:             true,
	}
	top := r.Reflect(&topLevel{})
	top.Version = "https://json-schema.org/draft/2020-12/schema"
	top.ID = "https://github.com/etl-dev/etl/job.schema.json"
	top.Title = "etl job file"
	top.Required = []string{"source", "mapping", "sink"}

	var sources, sinks []*jsonschema.Schema
	for _, t := range pipeline.SourceTypes() {
		sources = append(sources, component(r, t.Name, t.Doc, t.NewConfig()))
	}
	for _, t := range pipeline.SinkTypes() {
		sinks = append(sinks, component(r, t.Name, t.Doc, t.NewConfig()))
	}
	src, _ := top.Properties.Get("source")
	top.Properties.Set("source", &jsonschema.Schema{Description: src.Description, OneOf: sources})
	snk, _ := top.Properties.Get("sink")
	top.Properties.Set("sink", &jsonschema.Schema{Description: snk.Description, OneOf: sinks})

	field := r.ReflectFromType(reflect.TypeFor[mappings.FieldSpec]())
	field.Version = ""
	m, _ := top.Properties.Get("mapping")
	top.Properties.Set("mapping", &jsonschema.Schema{
		Type:        "object",
		Description: m.Description,
		AdditionalProperties: &jsonschema.Schema{OneOf: []*jsonschema.Schema{
			{Type: "string", Description: "The source column to copy, as text"},
			field,
		}},
	})
	return json.MarshalIndent(top, "", "  ")
}

// component describes one source or sink type: its settings plus the
// `type` that selects it.
func component(r *jsonschema.Reflector, name, doc string, cfg any) *jsonschema.Schema {
	s := r.ReflectFromType(reflect.TypeOf(cfg).Elem())
	s.Version = ""
	s.Title = name
	s.Description = doc
	s.Properties.Set("type", &jsonschema.Schema{Const: name})
	s.Required = append([]string{"type"}, s.Required...)
	return s
}
