package conformance

import (
	"context"
	"errors"
	"io"
	"slices"
	"testing"

	"github.com/etl-dev/etl/pipeline"
)

// SourceOptions describe a source type to RunSource.
type SourceOptions struct {
	// Type is the source's registered type name, written as a string
	// literal (the coverage test looks for it).
	Type string
	// New makes a fresh input and a config reading it. Each check calls it
	// once.
	New func(t *testing.T) Input
}

// Input is one input a source reads, fresh for one check.
type Input struct {
	// Config is a source config reading this input.
	Config pipeline.SourceConfig
	// Env is what the source opens with; BaseDir defaults to a temporary
	// directory and Job to "conformance".
	Env pipeline.Env
	// Records is the number of records the input holds; -1 when the test
	// cannot say.
	Records int
}

// RunSource runs every source check as a subtest.
func RunSource(t *testing.T, opts SourceOptions) {
	t.Helper()
	if opts.Type == "" || opts.New == nil {
		t.Fatal("conformance: SourceOptions need Type and New")
	}
	if _, ok := pipeline.LookupSource(opts.Type); !ok {
		t.Fatalf("conformance: no source type %q is registered", opts.Type)
	}
	s := &sourceSuite{opts: opts}
	for _, c := range []struct {
		name string
		run  func(*testing.T)
	}{
		{"ReadsEveryRecord", s.readsEveryRecord},
		{"Cancellation", s.cancellation},
		{"CloseIdempotent", s.closeIdempotent},
		{"ValidConfigValidates", s.validConfig},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.run(t)
		})
	}
}

type sourceSuite struct{ opts SourceOptions }

func (s *sourceSuite) open(t *testing.T) (pipeline.Source, Input) {
	t.Helper()
	in := s.opts.New(t)
	if in.Config == nil {
		t.Fatal("conformance: an Input needs Config")
	}
	if in.Env.BaseDir == "" {
		in.Env.BaseDir = t.TempDir()
	}
	if in.Env.Job == "" {
		in.Env.Job = "conformance"
	}
	src, err := in.Config.Open(context.Background(), in.Env)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return src, in
}

func (s *sourceSuite) readsEveryRecord(t *testing.T) {
	ctx := context.Background()
	src, in := s.open(t)
	defer src.Close()
	cols := slices.Clone(src.Columns())
	if len(cols) == 0 {
		t.Fatal("no columns after Open")
	}
	seen := map[string]bool{}
	for _, c := range cols {
		if c.Name == "" || seen[c.Name] {
			t.Errorf("column %q: every column needs a name of its own", c.Name)
		}
		seen[c.Name] = true
	}
	n := 0
	for {
		rec, err := src.Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("Next after %d records: %v", n, err)
		}
		n++
		if rec.Origin == (pipeline.Origin{}) {
			t.Errorf("record %d has no origin", n)
		}
		if len(rec.Problems) == 0 && len(rec.Values) != len(cols) {
			t.Errorf("%v: %d values for %d columns and no problem said why", rec.Origin, len(rec.Values), len(cols))
		}
		for _, p := range rec.Problems {
			if p.Message == "" {
				t.Errorf("%v: a problem without a message", rec.Origin)
			}
		}
	}
	if in.Records >= 0 && n != in.Records {
		t.Errorf("read %d records, the input holds %d", n, in.Records)
	}
	if _, err := src.Next(ctx); !errors.Is(err, io.EOF) {
		t.Errorf("Next after io.EOF: %v, want io.EOF again", err)
	}
	if !slices.Equal(cols, src.Columns()) {
		t.Errorf("the columns changed while reading: %v, then %v", cols, src.Columns())
	}
}

func (s *sourceSuite) cancellation(t *testing.T) {
	src, _ := s.open(t)
	defer src.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rec, err := src.Next(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Next with a cancelled context: record %v, error %v; want context.Canceled", rec.Origin, err)
	}
}

func (s *sourceSuite) closeIdempotent(t *testing.T) {
	src, _ := s.open(t)
	if err := src.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := src.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
	if _, err := src.Next(context.Background()); err == nil || errors.Is(err, io.EOF) {
		t.Errorf("Next after Close: %v, want an error", err)
	}
}

// validConfig: a config that reads fine passes its own Validate.
func (s *sourceSuite) validConfig(t *testing.T) {
	in := s.opts.New(t)
	if err := pipeline.Validate(in.Config); err != nil {
		t.Errorf("Validate refuses a working config: %v", err)
	}
}
