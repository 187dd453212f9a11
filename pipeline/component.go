package pipeline

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/etl-dev/etl/internal/apikit"
	"github.com/etl-dev/etl/internal/box"
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
	// ctx cancellation. The record is the caller's: the source keeps no
	// reference to its Values, which the mapping may reuse for the row.
	Next(ctx context.Context) (Record, error)
	// Close releases the source. It is safe to call more than once.
	Close() error
}

// Sink receives mapped rows. A Sink is used by one goroutine at a time, and
// receives rows in input order.
//
// What becomes of each row is the runner's to count from what the sink
// says (see Outcome): a row the destination confirmed (Created, Updated,
// Unchanged) keeps that outcome whatever happens to the run afterwards; a
// row sent whose answer never came is Unknown; a row taken into an output
// that only Close makes visible is Written.
type Sink interface {
	// Write takes a batch of rows. It returns nil when every row was taken.
	// A *BatchError names rows that failed on their own (the rest were
	// taken); any other error means the sink cannot go on, and the run
	// stops.
	//
	// Write sets rows[i].Outcome to Created, Updated or Unchanged once the
	// destination confirmed the row, to Skipped when the sink leaves the
	// row out on purpose (mode insert and the record exists), and to
	// Unknown when the row's request went out and no answer came (a lost
	// reply, a cancellation after sending); left zero it means Written.
	// The runner keeps those outcomes even when Write then returns an
	// error. When Write fails, rows still Written count as Rejected with
	// the error, or as NotProcessed when the run was cancelled (ctx is
	// done): they were never sent. Write honours ctx: with ctx done before
	// it sends anything it returns ctx.Err().
	Write(ctx context.Context, rows []Row) error
	// Close finishes the output. File sinks write to a temporary file and
	// make it visible here as a whole; API sinks, which write in Write, may
	// send deferred writes here (stock and cost adjustments of rows written
	// before). After Close returns nil, everything written is durable.
	//
	// When deferred writes of some rows fail while the rest of the output
	// is complete, Close returns a *RowErrors naming those rows by Row.Seq:
	// the runner re-labels them Rejected (Failed) or Unknown (Unknown), or
	// gives them the outcome Close decided (Outcomes: rows a document sink
	// writes at Close), and the run is not failed by it (unless
	// RowErrors.Err is set). Any other
	// error means the output is not complete, and the run fails. Close
	// after Close or Abort returns an error and changes nothing.
	Close(ctx context.Context) error
	// Abort discards the output after a failed or cancelled run, so that no
	// half-written file is left behind; writes an API sink already had
	// confirmed stay (and keep their outcomes). It is safe to call more than
	// once, and after Close, where it changes nothing.
	Abort() error
}

// BoxingSource is a Source that can put a record's values, and the []any
// that holds them, in an arena the runner gives it (see internal/box): the
// records of a batch then share a few allocations, and the runner can use
// the memory again once the batch is written (see Copier).
type BoxingSource interface {
	Source
	// NextIn is Next with the record's values boxed from a. The source
	// keeps no reference to a.
	NextIn(ctx context.Context, a *box.Arena) (Record, error)
}

// Copier is implemented by sinks whose Write keeps nothing of the rows it
// is given once it returns (it has written out or copied what it needs),
// so that the runner may use their memory again for later batches.
type Copier interface {
	Sink
	CopiesRows()
}

// Journal is what sinks may record in the run journal (pipeline/journal's
// *journal.Run implements it): the IDs chosen for new records before their
// writes are sent, the confirmations, and the requests made. An
// unconfirmed entry found by a resumed run (Env.Resume) says a write may
// have reached the destination: the sink looks before it writes again.
type Journal interface {
	// Intend records, durably and before the write is sent, that the
	// record kind/key is about to be written with guid. When it fails, do
	// not send.
	Intend(ctx context.Context, kind, key, guid, payloadHash string) error
	// Confirm records that the destination accepted the write. It goes on
	// when ctx is cancelled.
	Confirm(ctx context.Context, kind, key, guid, outcome, payloadHash string) error
	// Entries returns this run's entries of one kind, by key (for a
	// resumed run, those of the run it resumes).
	Entries(ctx context.Context, kind string) (map[string]journal.Entry, error)
	// LogRequests records API requests made by the run.
	LogRequests(ctx context.Context, reqs []journal.Request) error
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
	// Resume is set by `etl run --resume`: finish the job's last
	// unfinished run instead of starting afresh.
	Resume bool
	// State keeps bookmarks between runs; nil when the run keeps none.
	State StateStore
	// Journal is the run's journal; nil when the run keeps none.
	Journal Journal
	// Logger receives diagnostics; never secrets.
	Logger *slog.Logger
	// Clock is the run's clock, for what a component names by time (path
	// templates, partitions); nil means time.Now.
	Clock func() time.Time
	// APIs is the process's API kit registry: one rate limiter per API
	// account (and endpoint group) shared by every source and sink, the
	// clock API clients wait on, and test options. nil: each component
	// makes a private one (apikit.Registry.Or), so nothing is shared.
	APIs *apikit.Registry
}

// Now returns the time by Clock.
func (e Env) Now() time.Time {
	if e.Clock == nil {
		return time.Now()
	}
	return e.Clock()
}

// Path resolves p against BaseDir unless it is absolute.
func (e Env) Path(p string) string {
	if p == "" || filepath.IsAbs(p) || e.BaseDir == "" || IsObjectURL(p) {
		return p
	}
	return filepath.Join(e.BaseDir, p)
}

// IsObjectURL tells whether p names an object in object storage (s3://,
// gs://, azblob://; see internal/blobio) rather than a local file. Such
// paths are never resolved against BaseDir.
func IsObjectURL(p string) bool {
	scheme, _, ok := strings.Cut(p, "://")
	switch strings.ToLower(scheme) {
	case "s3", "gs", "azblob":
		return ok
	}
	return false
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
	// schema. A dry run opens file sinks for real too (so that their
	// settings and paths are checked) and aborts them at the end; see
	// OpenSink.
	Open(ctx context.Context, env Env, schema Schema) (Sink, error)
}

// Outputter is implemented by sinks that write one file or object, so the
// run can say where the rows went. Output is the final path or URL, with
// date templates and partitions applied (not the setting as written); it is
// known once the sink is open and meaningful after Close succeeded.
type Outputter interface {
	Output() string
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
