//go:build ignore

// gen_model derives model.json, the emulator's compact view of the inFlow
// OpenAPI document: for every schema, its properties with their type,
// format, nullability, enum values and references. Descriptions and examples
// are dropped. Inline object schemas (array items such as Product.prices)
// become synthetic schemas named "Parent.property".
//
//	go run gen_model.go -in ../../../shared/reference/inflow-openapi-2025-06-24.json -out model.json
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"sort"
	"strings"
)

type prop struct {
	Type     string   `json:"type"`
	Nullable bool     `json:"nullable,omitempty"`
	Enum     []string `json:"enum,omitempty"`
	Ref      string   `json:"ref,omitempty"`
	Items    *prop    `json:"items,omitempty"`
}

type spec struct {
	Info struct {
		Description string `json:"description"`
	} `json:"info"`
	Components struct {
		Schemas map[string]json.RawMessage `json:"schemas"`
	} `json:"components"`
}

type rawSchema struct {
	Ref        string                     `json:"$ref"`
	Type       string                     `json:"type"`
	Format     string                     `json:"format"`
	Nullable   bool                       `json:"nullable"`
	Enum       []string                   `json:"enum"`
	Items      *rawSchema                 `json:"items"`
	Properties map[string]json.RawMessage `json:"properties"`
}

var out = map[string]map[string]*prop{}

func refName(r string) string { return r[strings.LastIndex(r, "/")+1:] }

func convert(owner, name string, raw json.RawMessage) *prop {
	var r rawSchema
	if err := json.Unmarshal(raw, &r); err != nil {
		log.Fatalf("%s.%s: %v", owner, name, err)
	}
	return convertRaw(owner, name, &r, raw)
}

func convertRaw(owner, name string, r *rawSchema, raw json.RawMessage) *prop {
	if r.Ref != "" {
		n := refName(r.Ref)
		if n == "Int64" {
			return &prop{Type: "integer"}
		}
		return &prop{Type: "object", Ref: n}
	}
	p := &prop{Nullable: r.Nullable, Enum: r.Enum}
	switch r.Type {
	case "string":
		switch r.Format {
		case "uuid", "decimal", "date-time", "rowversion":
			p.Type = r.Format
		default:
			p.Type = "string"
		}
	case "boolean", "integer", "number":
		p.Type = r.Type
	case "array":
		p.Type = "array"
		if r.Items == nil {
			p.Items = &prop{Type: "any"}
			break
		}
		itemRaw, _ := json.Marshal(r.Items)
		p.Items = convertRaw(owner, name, r.Items, itemRaw)
	case "object", "":
		if len(r.Properties) == 0 {
			p.Type = "any"
			break
		}
		syn := owner + "." + name
		schema(syn, r.Properties)
		p.Type, p.Ref = "object", syn
	default:
		log.Fatalf("%s.%s: unknown type %q", owner, name, r.Type)
	}
	return p
}

func schema(name string, props map[string]json.RawMessage) {
	m := map[string]*prop{}
	out[name] = m
	for k, v := range props {
		m[k] = convert(name, k, v)
	}
}

func main() {
	in := flag.String("in", "", "OpenAPI JSON document")
	dst := flag.String("out", "model.json", "output file")
	flag.Parse()
	b, err := os.ReadFile(*in)
	if err != nil {
		log.Fatal(err)
	}
	var s spec
	if err := json.Unmarshal(b, &s); err != nil {
		log.Fatal(err)
	}
	for name, raw := range s.Components.Schemas {
		var r rawSchema
		if err := json.Unmarshal(raw, &r); err != nil {
			log.Fatal(err)
		}
		if len(r.Properties) > 0 {
			schema(name, r.Properties)
		}
	}
	version := ""
	if i := strings.Index(s.Info.Description, "version=20"); i >= 0 {
		version = s.Info.Description[i+len("version=") : i+len("version=")+10]
	}
	names := make([]string, 0, len(out))
	for n := range out {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "{\n\"version\": %q,\n\"schemas\": {\n", version)
	for i, n := range names {
		body, err := json.Marshal(out[n]) // map keys are sorted
		if err != nil {
			log.Fatal(err)
		}
		sep := ","
		if i == len(names)-1 {
			sep = ""
		}
		fmt.Fprintf(&buf, "%q: %s%s\n", n, body, sep)
	}
	buf.WriteString("}\n}\n")
	if err := os.WriteFile(*dst, buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}
