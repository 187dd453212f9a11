package report

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/etl-dev/etl/pipeline"
)

// Options says which reports Write makes. An empty path skips that report.
// Paths are used as given: the caller resolves them.
type Options struct {
	HTML      string // the HTML page (WriteHTML)
	JSON      string // the JSON report (WriteJSON)
	Annotated string // the annotated .xlsx copy of the input (Annotate)
	// Requests are the API requests the run made (from the run journal),
	// for the HTML report's timeline; nil for file jobs.
	Requests []Request
	// Source and Env are the job's source, read again for the annotated
	// copy.
	Source pipeline.SourceConfig
	Env    pipeline.Env
}

// Write writes the reports opts asks for, each atomically (a temporary file
// renamed into place), creating directories as needed. A report that fails
// does not stop the others; the errors are joined.
func Write(ctx context.Context, r *pipeline.Result, opts Options) error {
	var errs []error
	if opts.HTML != "" {
		errs = append(errs, writeAtomic(opts.HTML, func(w io.Writer) error { return WriteHTML(w, r, opts.Requests) }))
	}
	if opts.JSON != "" {
		errs = append(errs, writeAtomic(opts.JSON, func(w io.Writer) error { return WriteJSON(w, r) }))
	}
	if opts.Annotated != "" {
		if opts.Source == nil {
			errs = append(errs, fmt.Errorf("report: annotated copy %s: no source to annotate", opts.Annotated))
		} else {
			errs = append(errs, Annotate(ctx, opts.Source, opts.Env, r.Problems, opts.Annotated))
		}
	}
	return errors.Join(errs...)
}

// writeAtomic writes a file through a temporary file in the same directory
// that is renamed into place once complete, so that readers never see half a
// report and a failure leaves any earlier file as it was.
func writeAtomic(path string, write func(io.Writer) error) (err error) {
	if pipeline.IsObjectURL(path) {
		return writeObject(path, write) // object.go
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		return fmt.Errorf("report: writing %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}
