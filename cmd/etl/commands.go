package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/etl-dev/etl/inspect"
	"github.com/etl-dev/etl/jobfile"
	"github.com/etl-dev/etl/serials"
)

func newValidateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "validate JOB.yaml",
		Short: "Check a job file without moving any data",
		Long: `Validate checks the job file: keys, types, ${VAR} references, the source's
settings and columns, the mapping, the rules and their expressions. It opens
the source to read its header, and writes nothing. Every mistake is reported
with file:line:column and a hint.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			job, err := jobfile.Load(args[0], nil)
			if err != nil {
				return invalid(err)
			}
			prep, err := job.Prepare(cmd.Context())
			if err != nil {
				return invalid(err)
			}
			defer prep.Source.Close()
			fmt.Fprintf(cmd.OutOrStdout(), "%s: ok: %s source with %d columns → %d fields → %s sink\n",
				args[0], job.SourceType, len(prep.Source.Columns()), len(prep.Mapping.Schema()), job.SinkType)
			return nil
		},
	}
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

func newInspectCmd() *cobra.Command {
	var rows int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "inspect FILE",
		Short: "Show a file's columns, inferred types and sample rows",
		Long:  `Inspect reads a CSV, Excel or Parquet file and shows its columns, the types their values fit, and a few rows.`,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := inspect.Inspect(cmd.Context(), args[0], rows)
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
	return cmd
}

func newInitCmd() *cobra.Command {
	var out string
	var force bool
	cmd := &cobra.Command{
		Use:   "init FILE",
		Short: "Write a starter job file for a spreadsheet",
		Long: `Init inspects FILE and writes a starter job that maps its columns to the
target fields it recognises (SKU, name, price, ...), with types and a few
rules, into a Parquet sink. Edit it, then run 'etl validate' and 'etl run'.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				base := filepath.Base(args[0])
				out = base[:len(base)-len(filepath.Ext(base))] + ".job.yaml"
			}
			if _, err := os.Stat(out); err == nil && !force {
				return withCode(exitJobInvalid, fmt.Errorf("%s exists: use --force to overwrite it, or -o to choose another name", out))
			}
			r, err := inspect.Inspect(cmd.Context(), args[0], 200)
			if err != nil {
				return withCode(exitFailed, err)
			}
			b, err := inspect.StarterJob(r, out)
			if err != nil {
				return withCode(exitFailed, err)
			}
			if err := os.WriteFile(out, b, 0o644); err != nil {
				return withCode(exitFailed, err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s: check it with 'etl validate %s', then 'etl run %s --dry-run'\n", out, out, out)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "job file to write (default: FILE's name with .job.yaml)")
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing job file")
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
