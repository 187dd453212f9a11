package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/etl-dev/etl/inspect"
	"github.com/etl-dev/etl/jobfile"
	"github.com/etl-dev/etl/serials"
)

func newValidateCmd(a *app) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "validate JOB.yaml...",
		Short: "Check job files without moving any data",
		Long: `Validate checks each job file: keys, types, ${VAR} references, the source's
settings and columns, the mapping, the rules and their expressions. It opens
the source to read its header, and writes nothing. It prints one line per
file; every mistake is reported on stderr with file:line:column and a hint.
The exit code is the worst of the files' (2 when any is invalid).

  etl validate jobs/*.yaml`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var results []validation
			worst := exitOK
			for _, path := range args {
				v := validateJob(cmd.Context(), a, path)
				results = append(results, v)
				worst = max(worst, v.ExitCode)
				if asJSON {
					continue
				}
				fmt.Fprintln(cmd.OutOrStdout(), v.line())
				if v.err != nil {
					printError(cmd.ErrOrStderr(), v.err)
				}
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				if err := enc.Encode(results); err != nil {
					return err
				}
			}
			if worst != exitOK {
				return &exitError{code: worst, err: fmt.Errorf("%d of %d job files are not valid", countInvalid(results), len(results)), quiet: true}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the results as a JSON array (one object per file) instead of lines")
	return cmd
}

// validation is the result of validating one job file; its JSON form is
// what `etl validate --json` prints.
type validation struct {
	File       string            `json:"file"`
	OK         bool              `json:"ok"`
	ExitCode   int               `json:"exit_code"`
	SourceType string            `json:"source_type,omitempty"`
	SinkType   string            `json:"sink_type,omitempty"`
	Columns    int               `json:"columns"`
	Fields     int               `json:"fields"`
	Errors     []validationError `json:"errors"`
	err        error
}

type validationError struct {
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Message string `json:"message"`
	Hint    string `json:"hint,omitempty"`
}

func (v validation) line() string {
	if v.OK {
		return fmt.Sprintf("%s: ok: %s source with %d columns → %d fields → %s sink", v.File, v.SourceType, v.Columns, v.Fields, v.SinkType)
	}
	n := len(v.Errors)
	return fmt.Sprintf("%s: invalid: %d %s", v.File, n, plural(int64(n), "mistake", "mistakes"))
}

func countInvalid(vs []validation) int {
	n := 0
	for _, v := range vs {
		if !v.OK {
			n++
		}
	}
	return n
}

func validateJob(ctx context.Context, a *app, path string) validation {
	v := validation{File: path, Errors: []validationError{}}
	fail := func(err error) validation {
		v.err, v.ExitCode = err, exitJobInvalid
		var errs jobfile.Errors
		var one *jobfile.Error
		switch {
		case errors.As(err, &errs):
			for _, e := range errs {
				v.Errors = append(v.Errors, validationError{File: e.File, Line: e.Line, Column: e.Column, Message: e.Message, Hint: e.Hint})
			}
		case errors.As(err, &one):
			v.Errors = append(v.Errors, validationError{File: one.File, Line: one.Line, Column: one.Column, Message: one.Message, Hint: one.Hint})
		default:
			v.Errors = append(v.Errors, validationError{File: path, Message: err.Error()})
		}
		return v
	}
	job, err := jobfile.Load(path, nil)
	if err != nil {
		return fail(jobfile.Diagnose(ctx, job, err))
	}
	job.Env.Logger = a.logger()
	v.SourceType, v.SinkType = job.SourceType, job.SinkType
	prep, err := job.Prepare(ctx)
	if err != nil {
		return fail(placeSourceError(job, err))
	}
	defer prep.Source.Close()
	v.OK = true
	v.Columns, v.Fields = len(prep.Source.Columns()), len(prep.Mapping.Schema())
	return v
}

func newSchemaCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of job files, for editors",
		Long: `Schema prints a JSON Schema (draft 2020-12) of job files. Save it and point
your editor at it, e.g. with the YAML language server:

  etl schema > etl-job.schema.json
  # yaml-language-server: $schema=./etl-job.schema.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := jobfile.Schema()
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "%s\n", b)
			return err
		},
	}
}

// fileFlags are the inspect and init options for what real files need.
type fileFlags struct {
	sheet, encoding, delimiter string
	headerRow                  int
}

func (f *fileFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.sheet, "sheet", "", "Excel: the sheet to read, by name or position (default: the first visible sheet with data)")
	cmd.Flags().IntVar(&f.headerRow, "header-row", 0, "the row of the column names (default: found, below any title rows)")
	cmd.Flags().StringVar(&f.encoding, "encoding", "", "CSV: the text encoding: utf-8, windows-1252, iso-8859-1, utf-16 (default utf-8; a byte order mark wins)")
	cmd.Flags().StringVar(&f.delimiter, "delimiter", "", `CSV: the delimiter: "," ";" tab or "|" (default: detected)`)
}

func (f *fileFlags) options(sample int) inspect.Options {
	return inspect.Options{SampleRows: sample, Sheet: f.sheet, HeaderRow: f.headerRow, Encoding: f.encoding, Delimiter: f.delimiter}
}

func newInspectCmd() *cobra.Command {
	var rows int
	var asJSON bool
	var ff fileFlags
	cmd := &cobra.Command{
		Use:   "inspect FILE",
		Short: "Show a file's columns, inferred types and sample rows",
		Long: `Inspect reads a CSV, Excel or Parquet file and shows its columns, the types their values fit, and a few rows.
It finds the header below title rows, passes over a hidden first sheet, and
notices numbers with a decimal comma and dates written day first, naming the
setting that reads them.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := ff.options(rows).Inspect(cmd.Context(), args[0])
			if err != nil {
				return withCode(exitFailed, err)
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(r)
			}
			return r.WriteText(cmd.OutOrStdout())
		},
	}
	cmd.Flags().IntVar(&rows, "rows", 5, "sample rows to show")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	ff.add(cmd)
	return cmd
}

func newInitCmd() *cobra.Command {
	var out, sink, entity string
	var force bool
	var ff fileFlags
	cmd := &cobra.Command{
		Use:   "init FILE",
		Short: "Write a starter job file for a spreadsheet",
		Long: `Init inspects FILE and writes a starter job next to it, named after it
(products.csv: products.yaml), that maps its columns to the target fields it
recognises (SKU, name, price, ...; the headers of Shopify, WooCommerce and
inFlow exports among them), with types and a few rules, into a Parquet file,
or with --sink inflow --entity products|customers|vendors into inFlow. Lines
marked TODO need a decision. Edit it, then run 'etl validate' and 'etl run'.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				base := filepath.Base(args[0])
				out = filepath.Join(filepath.Dir(args[0]), base[:len(base)-len(filepath.Ext(base))]+".yaml")
			}
			if _, err := os.Stat(out); err == nil && !force {
				return withCode(exitJobInvalid, fmt.Errorf("%s exists: use --force to overwrite it, or -o to choose another name", out))
			}
			r, err := ff.options(200).Inspect(cmd.Context(), args[0])
			if err != nil {
				return withCode(exitFailed, err)
			}
			b, err := inspect.StarterJobFor(r, out, inspect.StarterOptions{Sink: sink, Entity: entity})
			if err != nil {
				return withCode(exitFailed, err)
			}
			if err := os.WriteFile(out, b, 0o644); err != nil {
				return withCode(exitFailed, err)
			}
			todo := bytes.Count(b, []byte("# TODO:"))
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s", out)
			if todo > 0 {
				fmt.Fprintf(cmd.OutOrStdout(), " (%d lines marked TODO: columns it did not recognise, to rename or delete)", todo)
			}
			fmt.Fprintf(cmd.OutOrStdout(), ": check it with 'etl validate %s', then 'etl run %s --dry-run'\n", out, out)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "job file to write (default: next to FILE, named after it: FILE's name with .yaml)")
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing job file")
	cmd.Flags().StringVar(&sink, "sink", "parquet", "where the job sends the rows: parquet, csv, jsonl, xlsx, or inflow (and the other API sinks)")
	cmd.Flags().StringVar(&entity, "entity", "", "with an API sink: what it writes: products, customers or vendors (default: what the columns look like)")
	ff.add(cmd)
	return cmd
}

func newSerialCmd() *cobra.Command {
	var dirs []string
	cmd := &cobra.Command{
		Use:   "serial",
		Short: "Questions about serial numbers, answered from exported files",
	}
	find := &cobra.Command{
		Use:   "find SERIAL",
		Short: "Where is this serial, and which orders and transfers was it on?",
		Long: `Find answers from the last serials export (jobs/export-serials.yaml and
jobs/export-serial-history.yaml) without calling the inFlow API: the newest
snapshot says where the serial is, the history files which orders, transfers
and adjustments it was on. --dir names the export directories or files.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			a, err := serials.Find(cmd.Context(), dirs, args[0])
			if err != nil {
				return withCode(exitFailed, err)
			}
			if err := a.WriteText(cmd.OutOrStdout()); err != nil {
				return err
			}
			if !a.Found() {
				return &exitError{code: exitFailed, err: fmt.Errorf("serial %s not found", args[0]), quiet: true}
			}
			return nil
		},
	}
	find.Flags().StringSliceVar(&dirs, "dir", []string{"out/inflow"}, "export directories or Parquet files to search (repeatable)")
	cmd.AddCommand(find)
	return cmd
}
