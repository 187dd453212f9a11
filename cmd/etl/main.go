// Command etl runs declarative batch jobs between spreadsheets, Parquet
// files and inFlow Inventory. See README.md for a tour.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/etl-dev/etl/jobfile"

	_ "github.com/etl-dev/etl/sinks"
	_ "github.com/etl-dev/etl/sinks/inflow"
	_ "github.com/etl-dev/etl/sources"
	_ "github.com/etl-dev/etl/sources/inflow"
)

// Exit codes, documented in README.md and in `etl --help`.
const (
	exitOK          = 0 // everything read was written, skipped or left unchanged
	exitFailed      = 1 // the run could not be done: I/O, network, output errors
	exitJobInvalid  = 2 // the job file or the command line is wrong; nothing ran
	exitRejected    = 3 // the run finished, or stopped by its error policy, with rejected rows
	exitInterrupted = 130
)

// exitError carries an exit code out of a command; its message has already
// been printed when quiet is set.
type exitError struct {
	code  int
	err   error
	quiet bool
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func withCode(code int, err error) error { return &exitError{code: code, err: err} }

func main() {
	if os.Getenv("GOGC") == "" {
		// Batches are short-lived garbage: collecting half as often makes
		// a 1M-row conversion about 17% faster for some 35 MB more peak
		// memory (bench/convert.sh). GOGC still overrides it.
		debug.SetGCPercent(200)
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line and returns the exit code; tests call it
// in-process through testscript.
func run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRootCmd(stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		var jobErrs jobfile.Errors
		switch {
		case ee.quiet:
		case errors.As(ee.err, &jobErrs):
			// Each line already says file:line:column.
			fmt.Fprintln(stderr, jobErrs)
		default:
			fmt.Fprintln(stderr, "etl:", ee.err)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "etl:", err)
	// cobra's own errors are usage mistakes: unknown flags, missing args.
	return exitJobInvalid
}

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "etl",
		Short: "Batch ETL between spreadsheets, Parquet and inFlow Inventory",
		Long: `etl runs declarative YAML job files: a source (CSV, Excel, Parquet) is mapped,
typed and validated into a sink (Parquet, CSV, Excel, JSON Lines).

Exit codes:
  0    success: every row was written, skipped or unchanged
  1    the run failed (I/O, output, network); any output was discarded
  2    the job file or command line is invalid; nothing ran
  3    rows were rejected (the run finished, or its error policy stopped it)
  130  interrupted (Ctrl-C); any output was discarded`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(
		newRunCmd(),
		newValidateCmd(),
		newSchemaCmd(),
		newInspectCmd(),
		newInitCmd(),
		newSandboxCmd(),
		newRunsCmd(),
		newStateCmd(),
		newSerialCmd(),
	)
	return root
}
