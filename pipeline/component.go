package pipeline

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"

	"github.com/etl-dev/etl/pipeline/journal"
)

// Source streams records. A Source is used by one goroutine at a time.
type Source interface {
	// Columns describes the values of every record, in order. It is
	// known once the source is open and does not change.
	Columns() []Column
	// Next returns the next record, or io.EOF after the last one. A record
	// that cannot be read faithfully (a ragged row, bad text encoding) comes
	// back as a Record with Problems, not as an error, so the run can count
	// it and go on; an error means the source cannot continue. Next honours
	// ctx cancellation.
	Next(ctx context.Context) (Record, error)
	// Close releases the source. It is safe to call more than once.
	Close() error
}

// Sink receives mapped rows. A Sink is used by one goroutine at a time, and
// receives rows in input order.
type Sink interface {
	// Write takes a batch of rows. It returns nil when every row was taken.
	// A *BatchError names rows that failed on their own (the rest were
	// taken); any other error means the sink cannot go on, and the run
	// stops. Write may set rows[i].Outcome (Created, Updated, Unchanged);
	// left zero it means Written.
	Write(ctx context.Context, rows []Row) error
	// Close finishes the output and makes it visible as a whole (file sinks
	// write to a temporary file and rename it here). After Close returns
	// nil, everything written is durable.
	Close(ctx context.Context) error
	// Abort discards the output after a failed or cancelled run, so that no
	// half-written file is left behind. It is safe to call after Close.
	Abort() error
}

// Env is what components may use when they open.
type Env struct {
	// BaseDir is the directory relative paths in the job file are resolved
	// against: the job file's own directory.
	BaseDir string
	// WorkDir is the user's working directory, for showing paths the way
	// the user would type them; empty shows paths as the job writes them.
	WorkDir string
	// Job is the job's name, for components that keep state per job.
	Job string
	// DryRun is set when the run must not change the destination.
	DryRun bool
	// Resume is set by `etl run --resume`: finish the job's last
	// unfinished run instead of starting afresh.
	Resume bool
	// State keeps bookmarks between runs; nil when the run keeps none.
	State StateStore
	// Journal is the run's journal; nil when the run keeps none.
	Journal *journal.Run
	// Logger receives diagnostics; never secrets.
	Logger *slog.Logger
}

// Path resolves p against BaseDir unless it is absolute.
func (e Env) Path(p string) string {
	if p == "" || filepath.IsAbs(p) || e.BaseDir == "" {
		return p
	}
	return filepath.Join(e.BaseDir, p)
}

// Display returns how to show the job's path p to a user: relative to
// WorkDir when the file is below it, else resolved. Without a WorkDir it is
// p as written.
func (e Env) Display(p string) string {
	if e.WorkDir == "" {
		return p
	}
	resolved := e.Path(p)
	if rel, err := filepath.Rel(e.WorkDir, resolved); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return resolved
}

// Log returns the logger, or a discarding one.
func (e Env) Log() *slog.Logger {
	if e.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return e.Logger
}

// SourceConfig is the decoded `source:` section of a job file for one source
// type. Implementations are pointers to structs whose yaml tags name the
// settings (and whose jsonschema tags document them).
type SourceConfig interface {
	// Open checks the settings and starts reading. Errors name the setting
	// or file at fault.
	Open(ctx context.Context, env Env) (Source, error)
}

// SinkConfig is the decoded `sink:` section of a job file for one sink
// type, like SourceConfig.
type SinkConfig interface {
	// Open checks the settings and prepares to receive rows of the given
	// schema. Nothing is visible at the destination before Close.
	Open(ctx context.Context, env Env, schema Schema) (Sink, error)
}

// FileSource is implemented by sources that read one local file, so that a
// report can annotate a copy of it.
type FileSource interface {
	// File describes the file as read: resolved path, format ("csv",
	// "xlsx", "parquet"), sheet name and header row where they apply.
	File() FileInfo
}

// FileInfo describes the file a FileSource reads.
type FileInfo struct {
	Path      string
	Format    string
	Sheet     string
	HeaderRow int
}

// Progresser is implemented by sources that know how far through their
// input they are, so progress can show an ETA. Progress is safe to call
// from another goroutine while Next runs; done and total are in the same
// unit (bytes of the file, usually), total 0 when unknown.
type Progresser interface {
	Progress() (done, total int64)
}
