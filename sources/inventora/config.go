package inventorasrc

import (
	"context"
	"fmt"
	"io"
	"iter"
	"slices"
	"sync"

	"github.com/invopop/jsonschema"

	"github.com/etl-dev/etl/internal/apikit"
	"github.com/etl-dev/etl/internal/suggest"
	"github.com/etl-dev/etl/inventora"
	"github.com/etl-dev/etl/pipeline"
)

func init() {
	pipeline.RegisterSource(pipeline.SourceType{
		Name:      "inventora",
		Doc:       "Inventora API: products and materials (with stock per location and bills of materials), locations, tasks",
		NewConfig: func() pipeline.SourceConfig { return NewConfig() },
	})
}

// Config is the `source:` section of a job that exports from Inventora.
// The API key and base URL come only from the environment
// (INVENTORA_API_KEY, INVENTORA_BASE_URL), never from the job file.
type Config struct {
	Entity  string `yaml:"entity" jsonschema:"required,description=What to export: products or materials or locations or tasks"`
	Table   string `yaml:"table" jsonschema:"description=Which table: for products and materials items (default: one row per record) or stock (one row per record × location) or materials (bill of materials); for tasks tasks (default) or items or batches; locations has items only"`
	Status  string `yaml:"status" jsonschema:"description=Tasks only: export the tasks of this status (pending or in-progress or done); all when empty"`
	Sandbox string `yaml:"sandbox" jsonschema:"description=auto: use the built-in emulator when INVENTORA_API_KEY is unset; never: always the real API; always: always the emulator,enum=auto,enum=never,enum=always,default=auto"`
	// RatePerMinute is overridden by INVENTORA_RATE_PER_MINUTE.
	RatePerMinute int `yaml:"rate_per_minute" jsonschema:"description=Requests a minute (default INVENTORA_RATE_PER_MINUTE or 60); the environment wins,minimum=0"`

	// Getenv reads the environment (os.Getenv when nil): for tests that
	// point a source at their own emulator without touching the process's
	// environment.
	Getenv func(string) string `yaml:"-" json:"-"`
}

// NewConfig returns a Config with its defaults.
func NewConfig() *Config { return &Config{Sandbox: apikit.SandboxAuto} }

var _ pipeline.Validator = (*Config)(nil)

// Validate checks the settings without any request.
func (c *Config) Validate() error {
	var errs pipeline.SettingErrors
	ts, ok := tables[c.Entity]
	if !ok {
		errs.Add(pipeline.Enum("entity", c.Entity, Entities()...))
	} else if c.Table != "" {
		var names []string
		for _, t := range ts {
			names = append(names, t.name)
		}
		if !slices.Contains(names, c.Table) {
			errs = append(errs, &pipeline.SettingError{Setting: "table",
				Message: fmt.Sprintf("table %q is not a table of %s: use one of %s", c.Table, c.Entity, joinNames(names)),
				Hint:    suggest.Hint(c.Table, names)})
		}
	}
	if c.Status != "" {
		if c.Entity != "tasks" {
			errs = append(errs, &pipeline.SettingError{Setting: "status", Message: "status applies to tasks only"})
		} else {
			errs.Add(pipeline.Enum("status", c.Status, inventora.TaskStatuses...))
		}
	}
	if c.Sandbox != "" {
		errs.Add(pipeline.Enum("sandbox", c.Sandbox, apikit.SandboxAuto, apikit.SandboxNever, apikit.SandboxAlways))
	}
	if c.RatePerMinute < 0 {
		errs = append(errs, &pipeline.SettingError{Setting: "rate_per_minute", Message: fmt.Sprintf("rate_per_minute %d must not be negative", c.RatePerMinute)})
	}
	return errs.Err()
}

func joinNames(names []string) string {
	out := ""
	for i, n := range names {
		switch {
		case i == 0:
		case i == len(names)-1:
			out += " or "
		default:
			out += ", "
		}
		out += n
	}
	return out
}

// Describe names what the source reads, for reports: "products/stock".
func (c *Config) Describe() string {
	t, err := lookupTable(c.Entity, c.Table)
	if err != nil {
		return c.Entity
	}
	return t.entity + "/" + t.name
}

// Open checks the settings and connects (or starts the emulator). No
// request is sent before the first Next.
func (c *Config) Open(ctx context.Context, env pipeline.Env) (pipeline.Source, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	t, err := lookupTable(c.Entity, c.Table)
	if err != nil {
		return nil, err
	}
	conn, err := inventora.Connect(inventora.ConnectOptions{
		Component: "inventora source", Sandbox: c.Sandbox, RatePerMinute: c.RatePerMinute,
		Registry: env.APIs, Logger: env.Logger, Getenv: c.Getenv,
	})
	if err != nil {
		return nil, err
	}
	s := &source{cfg: c, table: t, conn: conn}
	s.run = &run{client: conn.Client, cfg: c, notef: s.notef}
	return s, nil
}

// JSONSchemaExtend lists the entities in the job-file schema, for editors.
func (Config) JSONSchemaExtend(s *jsonschema.Schema) {
	if p, ok := s.Properties.Get("entity"); ok {
		for _, e := range Entities() {
			p.Enum = append(p.Enum, e)
		}
	}
}

// run is the state of one export.
type run struct {
	client *inventora.Client
	cfg    *Config
	notef  func(format string, args ...any)
}

// noteList says when a list had to be read more than once.
func (r *run) noteList(kind string, reads, requests, moved int) {
	if reads > 1 {
		r.notef("%s: records moved while paging (%d seen twice or late), so the list was read %d times (%d requests) until every id was found once", kind, moved, reads, requests)
	}
}

// source is the pipeline.Source of an Inventora export.
type source struct {
	cfg   *Config
	table *table
	conn  *inventora.Connection
	run   *run

	next    func() (pipeline.Record, error, bool)
	stop    func()
	rows    int
	started bool
	done    bool
	closed  bool

	mu    sync.Mutex
	notes []string
}

var (
	_ pipeline.Source   = (*source)(nil)
	_ pipeline.Reporter = (*source)(nil)
)

func (s *source) notef(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notes = append(s.notes, fmt.Sprintf(format, args...))
}

// Columns are the table's columns, fixed by the entity types.
func (s *source) Columns() []pipeline.Column { return slices.Clone(s.table.columns) }

// Next returns the next row. The first call reads the whole list (a
// consistent snapshot: see inventora.ListResult); an export whose list
// cannot be made consistent fails here, before any row, so no file is
// written.
func (s *source) Next(ctx context.Context) (pipeline.Record, error) {
	if s.closed {
		return pipeline.Record{}, fmt.Errorf("inventora source is closed")
	}
	if err := ctx.Err(); err != nil {
		return pipeline.Record{}, err
	}
	if s.done {
		return pipeline.Record{}, io.EOF
	}
	if !s.started {
		s.started = true
		var seq iter.Seq2[pipeline.Record, error] = s.table.rows(ctx, s.run)
		s.next, s.stop = iter.Pull2(seq)
	}
	rec, err, ok := s.next()
	if !ok {
		s.done = true
		return pipeline.Record{}, io.EOF
	}
	if err != nil {
		s.stop()
		s.done = true
		return pipeline.Record{}, fmt.Errorf("inventora %s: %w", s.table.entity, err)
	}
	s.rows++
	rec.Origin.Row = s.rows
	return rec, nil
}

// Close stops the export and the embedded emulator.
func (s *source) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	if s.stop != nil {
		s.stop()
	}
	s.conn.Close()
	return nil
}

// Report counts the requests (all reads) and carries the notes.
func (s *source) Report() *pipeline.ComponentReport {
	st := s.conn.Client.Stats()
	rep := &pipeline.ComponentReport{
		Requests: pipeline.RequestStats{
			Reads:   st.Requests,
			Retries: st.Retries,
			TooMany: st.TooMany,
			Waited:  st.Waited,
		},
		RatePerMinute: s.conn.Client.RatePerMinute(),
		Account:       s.conn.Account,
	}
	s.mu.Lock()
	rep.Notes = append(slices.Clone(s.conn.Notes), s.notes...)
	s.mu.Unlock()
	return rep
}
