// Command etl runs declarative batch jobs between spreadsheets, Parquet
// files and inFlow Inventory. See README.md for a tour.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/etl-dev/etl/jobfile"

	_ "github.com/etl-dev/etl/sinks"
	_ "github.com/etl-dev/etl/sinks/goflow"
	_ "github.com/etl-dev/etl/sinks/inflow"
	_ "github.com/etl-dev/etl/sinks/inventora"
	_ "github.com/etl-dev/etl/sources"
	_ "github.com/etl-dev/etl/sources/goflow"
	_ "github.com/etl-dev/etl/sources/inflow"
	_ "github.com/etl-dev/etl/sources/inventora"
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
	tuneMemory(os.Getenv)
	os.Exit(profiled(os.Getenv("ETL_CPUPROFILE"), func() int { return run(os.Args[1:], os.Stdout, os.Stderr) }))
}

// profiled runs fn, writing a CPU profile of it to path when path is set
// (ETL_CPUPROFILE, for bench/: `go tool pprof -top etl cpu.out`).
func profiled(path string, fn func() int) int {
	if path == "" {
		return fn()
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "etl: ETL_CPUPROFILE:", err)
		return exitFailed
	}
	code := fn()
	pprof.StopCPUProfile()
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "etl: ETL_CPUPROFILE:", err)
	}
	return code
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
			printJobErrors(stderr, jobErrs)
		default:
			fmt.Fprintln(stderr, "etl:", ee.err)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "etl:", err)
	// cobra's own errors are usage mistakes: unknown flags, missing args.
	return exitJobInvalid
}

// app is what every command shares: the output flags and the process's
// streams and environment.
type app struct {
	out    outputFlags
	stderr io.Writer
	getenv func(string) string
}

// logger is the logger for components, as the output flags ask.
func (a *app) logger() *slog.Logger { return newLogger(a.stderr, a.out, a.getenv) }

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	a := &app{stderr: stderr, getenv: os.Getenv}
	root := &cobra.Command{
		Use:   "etl",
		Short: "Batch ETL between spreadsheets, Parquet and inFlow Inventory",
		Long: `etl runs declarative YAML job files: the rows of a source are mapped, typed and
validated into a sink. Files (CSV, Excel, Parquet, JSON Lines) and inFlow
Inventory (and the other APIs listed) on both sides:

` + componentTypes() + `

Exit codes:
  0    success: every row was written, created, updated, unchanged or skipped
  1    the run failed (I/O, output, network); any output was discarded
  2    the job file or command line is invalid; nothing ran
  3    rows were rejected (the run finished, or its error policy stopped it)
  130  interrupted (Ctrl-C); any output was discarded`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       buildVersion(),
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if err := a.out.check(); err != nil {
				return withCode(exitJobInvalid, err)
			}
			return nil
		},
	}
	root.SetVersionTemplate("{{.Version}}")
	pf := root.PersistentFlags()
	pf.StringVar(&a.out.logFormat, "log-format", "text", "how messages are printed on stderr: text (sentences) or json (one JSON object a line, for machines)")
	pf.BoolVarP(&a.out.verbose, "verbose", "v", false, "print more: what is being done, not only warnings and errors")
	pf.BoolVar(&a.out.debug, "debug", false, "print everything, for bug reports")
	pf.BoolVarP(&a.out.quiet, "quiet", "q", false, "print only errors and the summary line")
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(
		newRunCmd(a),
		newPreviewCmd(a),
		newValidateCmd(a),
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
